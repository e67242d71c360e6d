"""`manage.py evaluate_checkworthiness FILE.csv [--scores OUT.csv]`: how well the model finds check-worthy sentences.

`manage.py evaluate_checkworthiness --demo-articles [FIXTURE.json]`: the same figures on the seed news articles of
`fixtures/demo.json`, whose sentences are labelled by the editors' claims, and what the suggestion rule proposes.
"""

import csv
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.checkworthiness import is_checkworthy, load_model, score_sentences
from claims.checkworthiness.evaluation import (
    FixtureError,
    LabelledCsvError,
    average_precision,
    class_figures,
    label_article_sentences,
    mean_average_precision,
    read_fixture_articles,
    read_labelled_csv,
)

DEMO_FIXTURE = Path("fixtures") / "demo.json"


class Command(BaseCommand):
    help = (
        "Score the sentences of a CSV in ClaimBuster's format (Text and Verdict columns; Verdict 1 is "
        "check-worthy) and print precision, recall and F1 of the check-worthy class, average precision of the "
        "ranking (per File_id too, when the file has that column) and the scoring time per 1,000 words. "
        "With --demo-articles instead of a CSV, do the same for the news articles of the demo fixture, a sentence "
        "being check-worthy when an editor's claim quotes from it, and show what the suggestion rule proposes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="CSV with Text and Verdict columns.")
        parser.add_argument(
            "--demo-articles",
            nargs="?",
            type=Path,
            # The default is found from the project, not from wherever the command happens to be run.
            const=Path(settings.BASE_DIR) / DEMO_FIXTURE,
            metavar="FIXTURE.json",
            help=(
                f"Evaluate on the news articles of a Django fixture (default {DEMO_FIXTURE}, relative to the project "
                "directory), read as JSON without a database, instead of a CSV."
            ),
        )
        parser.add_argument(
            "--scores",
            type=Path,
            metavar="OUT.csv",
            help=(
                "Write the input rows back with two columns added: score (0-1) and checkworthy (0/1). With "
                "--demo-articles, write each sentence (File_id = article, Text, Verdict 1 where a claim quotes it) "
                "with its score, decision, figure and proposed columns: a CSV this command reads back."
            ),
        )

    def handle(self, *args, **options):
        if options["demo_articles"] is not None:
            if options["file"] is not None:
                raise CommandError("Give either FILE.csv or --demo-articles, not both.")
            self._demo_articles(options["demo_articles"], options["scores"])
            return
        if options["file"] is None:
            raise CommandError("Give a labelled CSV file, or --demo-articles.")
        try:
            data = read_labelled_csv(options["file"])
        except LabelledCsvError as error:
            raise CommandError(str(error)) from error
        texts = data.texts
        scores, seconds, load_seconds = self._score(texts)
        decisions = [is_checkworthy(score) for score in scores]
        groups = [row["File_id"] for row in data.rows] if "File_id" in data.columns else None
        self._print_figures(
            data.labels, scores, decisions, texts, seconds, load_seconds, groups, "Verdict = 1", "File_id", "files"
        )
        if options["scores"]:
            self._write_scores(options["scores"], data, scores, decisions)
            self.stdout.write(f"Scores written to {options['scores']}")

    def _demo_articles(self, path, scores_path):
        # Imported here, after Django is set up: claims.suggesting imports the models (but touches no database).
        from claims.sentences import reasons
        from claims.suggesting import FIGURES, propose

        try:
            articles = read_fixture_articles(path)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        labelled = [
            (article, sentence, label) for article in articles for sentence, label in label_article_sentences(article)
        ]
        texts = [sentence.text for _, sentence, _ in labelled]
        labels = [label for _, _, label in labelled]
        groups = [article.title for article, _, _ in labelled]
        self.stdout.write(
            f"{len(articles)} news articles of {path}; a sentence is check-worthy when one of the "
            f"{sum(len(article.claim_spans) for article in articles)} claims quotes from it."
        )
        scores, seconds, load_seconds = self._score(texts)
        decisions = [is_checkworthy(score) for score in scores]
        self._print_figures(
            labels, scores, decisions, texts, seconds, load_seconds, groups, "quoted by a claim", "article", "articles"
        )

        # What editors are shown: every sentence stating a figure or a date, and the others the model picks.
        figure = [any(reason.code in FIGURES for reason in reasons(text)) for text in texts]
        proposed_spans = {
            (article.pk, proposal.sentence.start, proposal.sentence.end)
            for article in articles
            for proposal in propose(article.text)
        }
        proposed = [(article.pk, sentence.start, sentence.end) in proposed_spans for article, sentence, _ in labelled]
        for name, chosen in (
            ("Proposed by the rules alone (a figure or a date)", figure),
            ("Proposed by the suggestion rule (a figure or a date, or the model)", proposed),
        ):
            figures = class_figures(labels, chosen)
            correct = sum(1 for label, pick in zip(labels, chosen, strict=True) if label and pick)
            self.stdout.write(
                f"{name}: {figures.predicted} sentences, {correct} of them check-worthy: "
                f"precision {figures.precision:.4f}, recall {figures.recall:.4f}, F1 {figures.f1:.4f}"
            )

        if scores_path:
            rows = [
                {
                    "File_id": article.title,
                    "start": sentence.start,
                    "end": sentence.end,
                    "Text": sentence.text,
                    "Verdict": int(label),
                    "score": f"{score:.6f}",
                    "checkworthy": int(decision),
                    "figure": int(has_figure),
                    "proposed": int(is_proposed),
                }
                for (article, sentence, label), score, decision, has_figure, is_proposed in zip(
                    labelled, scores, decisions, figure, proposed, strict=True
                )
            ]
            self._write_rows(scores_path, list(rows[0]) if rows else ["File_id", "Text", "Verdict"], rows)
            self.stdout.write(f"Scores written to {scores_path}")

    def _score(self, texts):
        """Scores, and the seconds spent scoring; the model is loaded first and its loading timed apart."""
        started = time.perf_counter()
        load_model()
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        scores = score_sentences(texts)
        return scores, time.perf_counter() - started, load_seconds

    def _print_figures(self, labels, scores, decisions, texts, seconds, load_seconds, groups, positive, unit, units):
        figures = class_figures(labels, decisions)
        self.stdout.write(f"Sentences: {figures.sentences:,} ({figures.positives:,} check-worthy, {positive})")
        self.stdout.write(f"Predicted check-worthy: {figures.predicted:,}")
        self.stdout.write(f"Precision: {figures.precision:.4f}")
        self.stdout.write(f"Recall:    {figures.recall:.4f}")
        self.stdout.write(f"F1:        {figures.f1:.4f}")
        # A random ranking's average precision is about the share of check-worthy sentences: the floor to beat.
        self.stdout.write(
            f"Average precision (whole file ranked by score): {average_precision(labels, scores):.4f} "
            f"(random ranking: about {figures.positives / figures.sentences if figures.sentences else 0:.4f})"
        )
        if groups is not None:
            per_group = mean_average_precision(labels, scores, groups)
            if per_group:
                shares = mean_average_precision(labels, [0.0] * len(labels), groups)  # all tied: the share
                if len(per_group) <= 10:
                    for group, value in per_group.items():
                        self.stdout.write(f"  average precision, {group}: {value:.4f} (random: {shares[group]:.4f})")
                mean = sum(per_group.values()) / len(per_group)
                random_mean = sum(shares.values()) / len(shares)
                self.stdout.write(
                    f"MAP (each {unit} ranked on its own, {len(per_group)} {units}): {mean:.4f} "
                    f"(random ranking: about {random_mean:.4f})"
                )
        words = sum(len(text.split()) for text in texts)
        per_thousand = seconds / words * 1000 if words else 0.0
        self.stdout.write(
            f"Time: {per_thousand * 1000:.1f} ms per 1,000 words ({words:,} words in {seconds:.3f} s; "
            f"model loaded beforehand in {load_seconds:.2f} s)"
        )

    def _write_scores(self, path, data, scores, decisions):
        added = [name for name in ("score", "checkworthy") if name not in data.columns]
        # A column the input already had under one of these names is overwritten, not doubled.
        rows = [
            {**row, "score": f"{score:.6f}", "checkworthy": int(decision)}
            for row, score, decision in zip(data.rows, scores, decisions, strict=True)
        ]
        self._write_rows(path, [*data.columns, *added], rows)

    def _write_rows(self, path, columns, rows):
        try:
            with open(path, "w", newline="", encoding="utf-8") as stream:
                writer = csv.DictWriter(stream, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
