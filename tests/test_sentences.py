"""Claimdesk proposes the sentences of a source worth checking, each with its reasons and its likely claimant:
every number and date the seed articles state is in a proposed sentence, underlined by a reason."""

import json
import re
from pathlib import Path

import pytest

from claims.sentences import LABELS, Candidate, candidates, reasons, split_sentences
from claims.speakers import detect_speaker

ROOT = Path(__file__).resolve().parent.parent
DEMO = json.loads((ROOT / "fixtures" / "demo.json").read_text(encoding="utf-8"))
SOURCES = {record["pk"]: record["fields"]["text"] for record in DEMO if record["model"] == "claims.source"}
SEED_ARTICLES = [SOURCES[1], SOURCES[2]]  # the two CNN Philippines articles the product was built around

# Found independently of the code under test: figures, spelled numbers (not "one", mostly a pronoun), month and
# day names, and dates relative to the article's own.
STATED_NUMBERS_AND_DATES = re.compile(
    r"\d+(?:[.,]\d+)*"
    r"|\b(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred"
    r"|thousand|million|billion|dozen)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?i:(?:last|this|next) (?:year|month|week))\b"
)


def texts_of(found) -> list[str]:
    return [sentence.text for sentence in found]


def reason_words(sentence: str) -> set[tuple[str, str]]:
    return {(reason.code, sentence[reason.start : reason.end]) for reason in reasons(sentence)}


# ---- sentences ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", SEED_ARTICLES)
def test_sentences_are_slices_of_the_text_in_order_covering_all_of_it(text):
    sentences = split_sentences(text)

    assert sentences
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))
    covered = "".join(text[a.end : b.start] for a, b in zip(sentences, sentences[1:], strict=False))
    assert not covered.strip(), "no word falls between two sentences"
    assert not text[: sentences[0].start].strip() and not text[sentences[-1].end :].strip()


def test_abbreviations_and_decimals_do_not_end_a_sentence():
    text = (
        "The U.S. Navy sent three ships. Mr. Duterte left at 3 p.m. on Jan. 4. He was No. 3 on the list. "
        "Atty. Cruz and Gen. Ronald dela Rosa met in Sta. Rosa. The total was $26.9 billion. It grew 0.2 percent."
    )

    assert texts_of(split_sentences(text)) == [
        "The U.S. Navy sent three ships.",
        "Mr. Duterte left at 3 p.m. on Jan. 4.",
        "He was No. 3 on the list.",
        "Atty. Cruz and Gen. Ronald dela Rosa met in Sta. Rosa.",
        "The total was $26.9 billion.",
        "It grew 0.2 percent.",
    ]


def test_quotations_end_sentences_and_their_sentences_are_split():
    text = (
        '"We have no military alliance in the region. We speak against alliances," he said. "It\'s fine." He left. '
        "He described the talks as “very open and very fruitful.” He will also meet Pimentel."
    )

    assert texts_of(split_sentences(text)) == [
        '"We have no military alliance in the region.',
        'We speak against alliances," he said.',
        '"It\'s fine."',
        "He left.",
        "He described the talks as “very open and very fruitful.”",
        "He will also meet Pimentel.",
    ]


def test_a_stop_without_a_space_after_it_does_not_end_a_sentence():
    text = '"Mabuhay kayo!…I hope you can come back more often," Duterte told Khovaev.'

    assert texts_of(split_sentences(text)) == [text]


def test_a_line_break_always_ends_a_sentence_and_headings_stand_alone():
    text = "\nRussia eyes closer ties, says envoy\n\nMetro Manila — Ties are key\nThe envoy said so.  \n\n\n"

    sentences = split_sentences(text)

    assert texts_of(sentences) == [
        "Russia eyes closer ties, says envoy",
        "Metro Manila — Ties are key",
        "The envoy said so.",
    ]
    assert [text[s.start : s.end] for s in sentences] == texts_of(sentences)


def test_a_repeated_sentence_keeps_its_own_offsets():
    text = "Prices rose. Prices rose. Prices rose."

    assert [(s.start, s.end) for s in split_sentences(text)] == [(0, 12), (13, 25), (26, 38)]


def test_no_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []


# ---- reasons ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia accounted for $43 million last year.", {("money", "$43 million"), ("date", "last year")}),
        ("The project costs P2.5 billion.", {("money", "P2.5 billion")}),
        ("Revenue hit US$1.2bn.", {("money", "US$1.2bn")}),
        ("He earns 25,000 pesos a month.", {("money", "25,000 pesos")}),
        ("It was only 0.2 percent of the total.", {("percentage", "0.2 percent")}),
        ("Prices are up 15% this year.", {("percentage", "15%"), ("date", "this year"), ("comparison", "up")}),
        ("Growth was 3.5 per cent.", {("percentage", "3.5 per cent")}),
        ("Russia sent three ships and 1,200 troops.", {("number", "three ships"), ("number", "1,200 troops")}),
        ("The treaty was signed in 1951.", {("year", "1951")}),
        ("He spoke on January 4, 2017.", {("date", "January 4, 2017"), ("year", "2017")}),
        ("It ran from 2010 to 2015.", {("year", "from 2010 to 2015")}),
        ("Thousands of people marched.", {("number", "Thousands")}),
        ("He was No. 3 on the list.", {("number", "3")}),
        ("A quarter of the troops stayed.", {("share", "A quarter")}),
        ("One in five workers is abroad.", {("share", "One in five")}),
    ],
)
def test_quantities_and_dates_are_reasons(sentence, expected):
    assert expected <= reason_words(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Exports were more than $5 million.", ("comparison", "more than")),
        ("Imports were higher than in 2015.", ("comparison", "higher than")),
        ("The budget doubled.", ("comparison", "doubled")),
        ("There was an increase of 4 percent.", ("comparison", "increase of")),
        ("Output fell, compared with last year.", ("comparison", "compared with")),
        ("There has been no investment since 1999.", ("since", "since 1999")),
        ("Prices have risen since last year.", ("since", "since last year")),
        ("It is the largest ship in the fleet.", ("superlative", "the largest")),
        ("It is Asia's biggest port.", ("superlative", "Asia's biggest")),
        ("He was the first to visit.", ("superlative", "first")),
        ("It is the most expensive project.", ("superlative", "most")),
        ("The economy grew, Khovaev said.", ("attributed", "said")),
        ("According to the ambassador, ties grew.", ("attributed", "According to")),
        ("No investment came, central bank data showed.", ("attributed", "data showed")),
    ],
)
def test_comparisons_since_superlatives_and_attribution_are_reasons(sentence, expected):
    assert expected in reason_words(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "He declined to give details.",  # a refusal, not a fall
        "In any case, the final say will belong to the Philippine side.",  # the noun, not the verb
        "First, solid legal basis, and mutual trust.",  # a list, not a superlative
        "It does not intend to build one.",  # a pronoun, not a number
        "We would rather talk than fight.",
        "He has since softened his stance.",
        "The interest of the West is at the forest.",
    ],
)
def test_words_that_only_look_like_reasons_are_not(sentence):
    assert reasons(sentence) == []


def test_reasons_carry_labels_and_offsets_in_order():
    sentence = "Russia accounted for $43 million, only 0.2 percent of the total $26.9 billion, data showed."

    found = reasons(sentence)

    assert [(r.code, sentence[r.start : r.end]) for r in found] == [
        ("money", "$43 million"),
        ("percentage", "0.2 percent"),
        ("money", "$26.9 billion"),
        ("attributed", "data showed"),
    ]
    assert [r.label for r in found] == [LABELS["money"], LABELS["percentage"], LABELS["money"], LABELS["attributed"]]
    assert LABELS["money"] == "a money amount"


# ---- candidates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", SEED_ARTICLES)
def test_every_number_and_date_in_the_seed_articles_is_suggested(text):
    found = candidates(text)
    stated = list(STATED_NUMBERS_AND_DATES.finditer(text))

    assert len(stated) >= 10, "the seed articles state numbers and dates"
    for match in stated:
        assert covered_by_a_reason(found, match.start(), match.end()), f"{match.group()!r} at {match.start()}"


def covered_by_a_reason(found: list[Candidate], start: int, end: int) -> bool:
    return any(
        candidate.sentence.start + reason.start <= start and end <= candidate.sentence.start + reason.end
        for candidate in found
        for reason in candidate.reasons
    )


def test_the_remittances_sentence_is_suggested_with_its_figures():
    text = SOURCES[2]
    sentence = next(c for c in candidates(text) if c.sentence.text.startswith("Russia accounted for $43 million"))

    assert sentence.sentence.text.endswith("from all over the world.")
    assert {"money", "percentage", "date"} <= {reason.code for reason in sentence.reasons}


def test_candidates_are_the_sentences_with_reasons_and_name_their_claimant():
    text = (
        "Russia eyes closer ties\n"
        "Ties between the nations are warm. Russian Ambassador Igor Khovaev spoke on Tuesday.\n"
        '"Trade rose 15 percent last year," Khovaev said.'
    )

    found = candidates(text)

    assert [c.sentence.text for c in found] == [
        "Russian Ambassador Igor Khovaev spoke on Tuesday.",
        '"Trade rose 15 percent last year," Khovaev said.',
    ]
    assert found[0].claimant is None
    assert found[1].claimant.name == "Igor Khovaev"
    assert found[1].claimant.role == "Russian Ambassador"
    for candidate in found:
        assert text[candidate.sentence.start : candidate.sentence.end] == candidate.sentence.text


@pytest.mark.parametrize("text", SEED_ARTICLES)
def test_the_claimant_is_the_speaker_detected_for_the_sentence(text):
    for candidate in candidates(text):
        assert candidate.claimant == detect_speaker(text, candidate.sentence.start, candidate.sentence.end)


def test_a_statistic_attributed_to_data_has_no_person_as_claimant():
    text = SOURCES[2]
    sentence = next(c for c in candidates(text) if "since 1999" in c.sentence.text)

    assert sentence.claimant is None
    assert {"since", "year", "attributed"} <= {reason.code for reason in sentence.reasons}
