"""Measuring the check-worthiness model: reading labelled CSVs and the figures the task is scored by.

The CSVs are in ClaimBuster's format: a `Text` column and a `Verdict` column where 1 marks a check-worthy
factual sentence (0 an unimportant factual one, -1 a non-factual one). Pure Python, so the evaluate command
runs wherever the app does, without the training dependencies.

News articles are read from a Django fixture instead (`fixtures/demo.json`): each source's sentences, labelled
check-worthy where an editor's claim quotes from them.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claims.sentences import Sentence

REQUIRED_COLUMNS = ("Text", "Verdict")


class LabelledCsvError(ValueError):
    """The file cannot be read as labelled sentences."""


@dataclass(frozen=True)
class LabelledCsv:
    """A labelled CSV as read: its columns in order, its rows as dicts, and each row's label."""

    columns: list[str]
    rows: list[dict[str, str]]
    labels: list[bool]

    @property
    def texts(self) -> list[str]:
        return [row["Text"] or "" for row in self.rows]


def read_labelled_csv(path: Path, required: Sequence[str] = REQUIRED_COLUMNS) -> LabelledCsv:
    """Read a labelled CSV, checking that the required columns and every verdict are there."""
    try:
        # utf-8-sig: a spreadsheet's byte-order mark would otherwise stick to the first column's name.
        with open(path, newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            columns = list(reader.fieldnames or [])
            missing = [name for name in required if name not in columns]
            if missing:
                found = ", ".join(columns) or "nothing"
                raise LabelledCsvError(f"{path} has no {' or '.join(missing)} column (it has: {found}).")
            rows = list(reader)
    except FileNotFoundError as error:
        raise LabelledCsvError(f"{path}: no such file.") from error
    except IsADirectoryError as error:
        raise LabelledCsvError(f"{path} is a directory, not a CSV file.") from error
    except UnicodeDecodeError as error:
        raise LabelledCsvError(f"{path} is not UTF-8 text.") from error
    labels = []
    for number, row in enumerate(rows, start=1):
        try:
            labels.append(is_positive_verdict(row["Verdict"]))
        except ValueError as error:
            raise LabelledCsvError(f"{path}, data row {number}: Verdict {row['Verdict']!r} is not a number.") from error
    return LabelledCsv(columns, rows, labels)


def is_positive_verdict(verdict: str | None) -> bool:
    # Some exports write the verdict as a float ("1.0").
    return int(float(verdict or "")) == 1


@dataclass(frozen=True)
class ClassFigures:
    """Precision, recall and F1 of the check-worthy class, with the counts they come from."""

    precision: float
    recall: float
    f1: float
    sentences: int
    positives: int
    predicted: int


def class_figures(labels: Sequence[bool], decisions: Sequence[bool]) -> ClassFigures:
    true_positives = sum(1 for label, decision in zip(labels, decisions, strict=True) if label and decision)
    positives = sum(labels)
    predicted = sum(decisions)
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassFigures(precision, recall, f1, len(labels), positives, predicted)


def average_precision(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Average precision of the positives when the sentences are ranked by score, highest first.

    Tied scores count as one step, as in scikit-learn's `average_precision_score`, so a ranking gains
    nothing from the order in which ties happen to be listed.
    """
    positives = sum(labels)
    if not positives:
        return 0.0
    by_score = defaultdict(lambda: [0, 0])
    for label, score in zip(labels, scores, strict=True):
        by_score[score][0] += 1
        by_score[score][1] += bool(label)
    total = 0.0
    seen = found = 0
    for score in sorted(by_score, reverse=True):
        count, hits = by_score[score]
        seen += count
        found += hits
        total += (hits / positives) * (found / seen)
    return total


def mean_average_precision(labels: Sequence[bool], scores: Sequence[float], groups: Sequence[str]) -> dict[str, float]:
    """Average precision within each group (a debate, a speech) that has a positive; ranking is per document."""
    by_group: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for label, score, group in zip(labels, scores, groups, strict=True):
        by_group[group][0].append(label)
        by_group[group][1].append(score)
    return {
        group: average_precision(group_labels, group_scores)
        for group, (group_labels, group_scores) in sorted(by_group.items())
        if any(group_labels)
    }


class FixtureError(ValueError):
    """The file cannot be read as a Django fixture of sources and claims."""


@dataclass(frozen=True)
class Article:
    """A source of a Django fixture (model `claims.source`) with the spans its claims quote: text[start:end]."""

    pk: int
    title: str
    text: str
    claim_spans: tuple[tuple[int, int], ...]


def read_fixture_articles(path: Path, kind: str = "news_article") -> list[Article]:
    """The sources of `kind` in a fixture (`fixtures/demo.json`), read as JSON: no database is involved."""
    try:
        with open(path, encoding="utf-8") as stream:
            objects = json.load(stream)
    except FileNotFoundError as error:
        raise FixtureError(f"{path}: no such file.") from error
    except IsADirectoryError as error:
        raise FixtureError(f"{path} is a directory, not a fixture file.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FixtureError(f"{path} is not a JSON fixture: {error}.") from error
    if not isinstance(objects, list):
        raise FixtureError(f"{path} is not a Django fixture (a JSON list of objects).")
    spans = defaultdict(list)
    for item in objects:
        if item.get("model") == "claims.claim":
            fields = item["fields"]
            spans[fields["source"]].append((fields["quote_start"], fields["quote_end"]))
    articles = [
        Article(item["pk"], item["fields"]["title"], item["fields"]["text"], tuple(sorted(spans[item["pk"]])))
        for item in objects
        if item.get("model") == "claims.source" and item["fields"].get("kind") == kind and item["fields"].get("text")
    ]
    if not articles:
        raise FixtureError(f"{path} has no claims.source of kind {kind!r} with a text.")
    return articles


def label_article_sentences(article: Article) -> list[tuple[Sentence, bool]]:
    """The article's sentences (as `claims.sentences.split_sentences` finds them, as the product does), each
    labelled check-worthy when a claim's quote overlaps it by at least one character."""
    from claims.sentences import split_sentences

    return [
        (sentence, any(start < sentence.end and sentence.start < end for start, end in article.claim_spans))
        for sentence in split_sentences(article.text)
    ]
