"""`manage.py train_checkworthiness [FILE.csv]`: retrain the check-worthiness model and print held-out figures."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.checkworthiness.model import MODEL_PATH
from claims.checkworthiness.training import HELD_OUT_DEBATES, train

DEFAULT_DATA = Path("..") / "shared" / "checkworthiness" / "crowdsourced.csv"


class Command(BaseCommand):
    help = (
        "Retrain the check-worthiness model from ClaimBuster's crowd-labelled debates (Text, Verdict and File_id "
        "columns), holding out the debates named in claims/checkworthiness/training.py, and write the model file. "
        "Needs scikit-learn (a training-only dependency). Takes a minute or two."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help=f"Labelled CSV (default {DEFAULT_DATA}, relative to the project directory).",
        )
        parser.add_argument(
            "--output", type=Path, default=MODEL_PATH, help=f"Model file to write (default {MODEL_PATH})."
        )

    def handle(self, *args, **options):
        # The default is found from the project, not from wherever the command happens to be run.
        data_path = options["file"] or (Path(settings.BASE_DIR) / DEFAULT_DATA).resolve()
        try:
            import sklearn  # noqa: F401 - checked before a minute of work, not after
        except ImportError as error:
            raise CommandError("Training needs scikit-learn: pip install scikit-learn.") from error

        self.stdout.write(f"Training on {data_path}, holding out {', '.join(HELD_OUT_DEBATES)}…")
        try:
            report = train(data_path, options["output"])
        except ValueError as error:  # LabelledCsvError included: a missing file, column or verdict
            raise CommandError(str(error)) from error

        cv = report.cross_validated
        held = report.held_out
        self.stdout.write(
            f"Trained on {report.training_sentences:,} sentences of {report.training_debates} debates "
            f"in {report.seconds:.0f} s."
        )
        self.stdout.write(
            f"Threshold {report.threshold:.4f}, chosen on out-of-fold scores of the training debates "
            f"(cross-validated P {cv.precision:.4f}, R {cv.recall:.4f}, F1 {cv.f1:.4f})."
        )
        self.stdout.write(
            f"Held-out debates ({held.sentences:,} sentences, {held.positives:,} check-worthy): "
            f"precision {held.precision:.4f}, recall {held.recall:.4f}, F1 {held.f1:.4f}"
        )
        for debate, value in report.held_out_average_precision.items():
            self.stdout.write(f"  average precision, {debate}: {value:.4f}")
        self.stdout.write(f"MAP over held-out debates: {report.held_out_map:.4f}")
        self.stdout.write(f"Model written to {options['output']} ({options['output'].stat().st_size:,} bytes).")
