"""Check-worthiness: the model's scores, the evaluate and train commands, and its held-out figures."""

import csv
import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.checkworthiness import THRESHOLD, is_checkworthy, score_sentences
from claims.checkworthiness.evaluation import average_precision, class_figures, read_labelled_csv
from claims.checkworthiness.model import MODEL_PATH, CheckworthinessModel

CROWDSOURCED = Path(settings.BASE_DIR).parent / "shared" / "checkworthiness" / "crowdsourced.csv"
# Measured with the committed model (README.md in claims/checkworthiness); a retrain that loses more than
# the margin fails here.
MEASURED_HELD_OUT_F1 = 0.695
MEASURED_HELD_OUT_MAP = 0.759
MARGIN = 0.01

CLAIM = "Unemployment fell from 10 percent to 4.7 percent since 2009."
CHIT_CHAT = "Thank you very much."


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_scores_are_between_zero_and_one():
    texts = [CLAIM, CHIT_CHAT, "", "   ", "?", "$", "Ünïcödé 😀 text", "We spent $3 trillion. " * 200]
    scores = score_sentences(texts)
    assert len(scores) == len(texts)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_numeric_factual_statement_scores_above_chit_chat():
    claim, chit_chat = score_sentences([CLAIM, CHIT_CHAT])
    assert claim > chit_chat
    assert is_checkworthy(claim)
    assert not is_checkworthy(chit_chat)


def test_threshold_is_the_decision_point():
    assert 0.0 < THRESHOLD < 1.0
    assert is_checkworthy(THRESHOLD)
    assert not is_checkworthy(THRESHOLD - 1e-9)


def test_model_file_is_small_gzipped_json_not_a_pickle():
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    assert data["format"] == "claimdesk-checkworthiness/1"
    assert data["training"]["held_out_debates"]


def test_average_precision_counts_ties_as_one_step():
    # Ranked: positive, negative, positive -> (1/1 + 2/3) / 2.
    assert average_precision([True, False, True], [0.9, 0.5, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    # All tied: precision at the single step is the share of positives, whatever the listed order.
    assert average_precision([False, True], [0.5, 0.5]) == pytest.approx(0.5)
    assert average_precision([False, False], [0.2, 0.1]) == 0.0


def labelled_rows():
    return [
        ("1", CLAIM, "1"),
        ("2", "The deficit was $1.4 trillion in 2009 and is $400 billion today.", "1"),
        ("3", "He voted against the bill 15 times.", "1"),
        ("4", CHIT_CHAT, "-1"),
        ("5", "I think we can do better, and we will.", "-1"),
        ("6", "Good evening, everyone.", "-1"),
        ("7", "That is a good question, Jim.", "0"),
        ("8", "I was in Ohio yesterday.", "0"),
    ]


def test_evaluate_prints_figures_matching_the_scores_it_writes(tmp_path, capsys):
    source = write_csv(tmp_path / "sentences.csv", ["Sentence_id", "Text", "Verdict"], labelled_rows())
    out = tmp_path / "scores.csv"

    call_command("evaluate_checkworthiness", str(source), "--scores", str(out))

    printed = capsys.readouterr().out
    written = read_csv(out)
    assert list(written[0]) == ["Sentence_id", "Text", "Verdict", "score", "checkworthy"]
    assert [row["Sentence_id"] for row in written] == [row[0] for row in labelled_rows()]
    assert all(0.0 <= float(row["score"]) <= 1.0 for row in written)
    assert all(row["checkworthy"] == str(int(is_checkworthy(float(row["score"])))) for row in written)

    expected = class_figures([row["Verdict"] == "1" for row in written], [row["checkworthy"] == "1" for row in written])
    assert f"Precision: {expected.precision:.4f}" in printed
    assert f"Recall:    {expected.recall:.4f}" in printed
    assert f"F1:        {expected.f1:.4f}" in printed
    assert "Sentences: 8 (3 check-worthy" in printed
    assert re.search(r"Time: [\d.]+ ms per 1,000 words", printed)


def test_evaluate_reports_map_per_file_id(tmp_path, capsys):
    rows = [(f"debate-{i % 2}", text, verdict) for i, (_, text, verdict) in enumerate(labelled_rows())]
    source = write_csv(tmp_path / "debates.csv", ["File_id", "Text", "Verdict"], rows)

    call_command("evaluate_checkworthiness", str(source))

    assert "MAP (each File_id ranked on its own, 2 files)" in capsys.readouterr().out


def test_evaluate_refuses_a_file_without_the_verdict_column(tmp_path):
    source = write_csv(tmp_path / "unlabelled.csv", ["Text"], [[CLAIM]])
    with pytest.raises(CommandError, match="no Verdict column"):
        call_command("evaluate_checkworthiness", str(source))


def test_evaluate_refuses_a_file_without_the_text_column(tmp_path):
    source = write_csv(tmp_path / "no-text.csv", ["Sentence", "Verdict"], [[CLAIM, "1"]])
    with pytest.raises(CommandError, match="no Text column"):
        call_command("evaluate_checkworthiness", str(source))


def test_evaluate_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate_checkworthiness", str(tmp_path / "absent.csv"))


def test_evaluate_refuses_a_verdict_that_is_not_a_number(tmp_path):
    source = write_csv(tmp_path / "bad.csv", ["Text", "Verdict"], [[CLAIM, "yes"]])
    with pytest.raises(CommandError, match="data row 1"):
        call_command("evaluate_checkworthiness", str(source))


def test_training_writes_a_reproducible_model_that_scores_like_scikit_learn(tmp_path):
    pytest.importorskip("sklearn")
    from claims.checkworthiness.training import train

    claims = [text for _, text, verdict in labelled_rows() if verdict == "1"]
    others = [text for _, text, verdict in labelled_rows() if verdict != "1"]
    rows = []
    for debate in range(6):
        for i in range(10):
            rows.append((f"d{debate}.txt", f"{claims[i % len(claims)]} ({debate}{i})", "1"))
            rows.append((f"d{debate}.txt", f"{others[i % len(others)]} {debate}{i}", "-1"))
    data = write_csv(tmp_path / "train.csv", ["File_id", "Text", "Verdict"], rows)

    report = train(data, tmp_path / "first.json.gz", held_out=("d5.txt",))
    train(data, tmp_path / "second.json.gz", held_out=("d5.txt",))

    # Deterministic: the same data writes the same bytes.
    assert (tmp_path / "first.json.gz").read_bytes() == (tmp_path / "second.json.gz").read_bytes()
    model = CheckworthinessModel.load(tmp_path / "first.json.gz")
    assert model.training["held_out_debates"] == ["d5.txt"]
    assert report.held_out.sentences == 20
    assert model.score(CLAIM) > model.score(CHIT_CHAT)


def test_train_command_refuses_data_without_debate_ids(tmp_path):
    pytest.importorskip("sklearn")
    source = write_csv(tmp_path / "no-debates.csv", ["Text", "Verdict"], [[CLAIM, "1"]])
    with pytest.raises(CommandError, match="no File_id column"):
        call_command("train_checkworthiness", str(source), "--output", str(tmp_path / "model.json.gz"))


def test_held_out_debates_reach_the_measured_figures():
    if not CROWDSOURCED.exists():
        pytest.skip(f"{CROWDSOURCED} is not here")
    from claims.checkworthiness.evaluation import mean_average_precision

    model = CheckworthinessModel.load()
    held_out = set(model.training["held_out_debates"])
    data = read_labelled_csv(CROWDSOURCED, required=("Text", "Verdict", "File_id"))
    rows = [(row, label) for row, label in zip(data.rows, data.labels, strict=True) if row["File_id"] in held_out]
    scores = score_sentences([row["Text"] for row, _ in rows])
    labels = [label for _, label in rows]

    figures = class_figures(labels, [is_checkworthy(score) for score in scores])
    per_debate = mean_average_precision(labels, scores, [row["File_id"] for row, _ in rows])
    assert len(per_debate) == len(held_out) == 5
    assert figures.f1 >= MEASURED_HELD_OUT_F1 - MARGIN
    assert sum(per_debate.values()) / len(per_debate) >= MEASURED_HELD_OUT_MAP - MARGIN
    # The figures recorded in the model file at training time are the ones this model gives.
    assert figures.f1 == pytest.approx(model.training["figures"]["held_out_f1"], abs=1e-3)
