"""`manage.py evaluate_checkworthiness FILE.csv [--scores OUT.csv]`: how well the model finds check-worthy sentences."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.checkworthiness import is_checkworthy, score_sentences
from claims.checkworthiness.evaluation import (
    LabelledCsvError,
    average_precision,
    class_figures,
    mean_average_precision,
    read_labelled_csv,
)


class Command(BaseCommand):
    help = (
        "Score the sentences of a CSV in ClaimBuster's format (Text and Verdict columns; Verdict 1 is "
        "check-worthy) and print precision, recall and F1 of the check-worthy class, average precision of the "
        "ranking (per File_id too, when the file has that column) and the scoring time per 1,000 words."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV with Text and Verdict columns.")
        parser.add_argument(
            "--scores",
            type=Path,
            metavar="OUT.csv",
            help="Write the input rows back with two columns added: score (0-1) and checkworthy (0/1).",
        )

    def handle(self, *args, **options):
        try:
            data = read_labelled_csv(options["file"])
        except LabelledCsvError as error:
            raise CommandError(str(error)) from error
        texts = data.texts
        started = time.perf_counter()
        scores = score_sentences(texts)
        seconds = time.perf_counter() - started
        decisions = [is_checkworthy(score) for score in scores]
        words = sum(len(text.split()) for text in texts)

        figures = class_figures(data.labels, decisions)
        self.stdout.write(f"Sentences: {figures.sentences:,} ({figures.positives:,} check-worthy, Verdict = 1)")
        self.stdout.write(f"Predicted check-worthy: {figures.predicted:,}")
        self.stdout.write(f"Precision: {figures.precision:.4f}")
        self.stdout.write(f"Recall:    {figures.recall:.4f}")
        self.stdout.write(f"F1:        {figures.f1:.4f}")
        self.stdout.write(
            f"Average precision (whole file ranked by score): {average_precision(data.labels, scores):.4f}"
        )
        if "File_id" in data.columns:
            per_file = mean_average_precision(data.labels, scores, [row["File_id"] for row in data.rows])
            if per_file:
                mean = sum(per_file.values()) / len(per_file)
                self.stdout.write(f"MAP (each File_id ranked on its own, {len(per_file)} files): {mean:.4f}")
        # Timed over scoring alone, model loading included when this is the process's first use.
        per_thousand = seconds / words * 1000 if words else 0.0
        self.stdout.write(f"Time: {per_thousand * 1000:.1f} ms per 1,000 words ({words:,} words in {seconds:.2f} s)")

        if options["scores"]:
            self._write_scores(options["scores"], data, scores, decisions)
            self.stdout.write(f"Scores written to {options['scores']}")

    def _write_scores(self, path, data, scores, decisions):
        added = [name for name in ("score", "checkworthy") if name not in data.columns]
        try:
            with open(path, "w", newline="", encoding="utf-8") as stream:
                writer = csv.DictWriter(stream, fieldnames=[*data.columns, *added])
                writer.writeheader()
                for row, score, decision in zip(data.rows, scores, decisions, strict=True):
                    # A column the input already had under one of these names is overwritten, not doubled.
                    writer.writerow({**row, "score": f"{score:.6f}", "checkworthy": int(decision)})
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
