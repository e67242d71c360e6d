"""`manage.py train_checkworthiness [FILE.csv]`: retrain the check-worthiness model and print held-out figures.

`manage.py train_checkworthiness [FILE.csv] --cross-validate [K]`: measure the same recipe over every debate, in K
folds of whole debates, and print the pooled out-of-fold figures; writes no model file.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.checkworthiness.model import MODEL_PATH
from claims.checkworthiness.training import HELD_OUT_DEBATES, cross_validate, train

DEFAULT_DATA = Path("..") / "shared" / "checkworthiness" / "crowdsourced.csv"
DEFAULT_FOLDS = 5


class Command(BaseCommand):
    help = (
        "Retrain the check-worthiness model from ClaimBuster's crowd-labelled debates (Text, Verdict and File_id "
        "columns), holding out the debates named in claims/checkworthiness/training.py, and write the model file. "
        "With --cross-validate K, measure the same recipe over every debate instead and write nothing. "
        "Needs scikit-learn (a training-only dependency). Takes a minute or two (K times that to cross-validate)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help=f"Labelled CSV (default {DEFAULT_DATA}, relative to the project directory).",
        )
        parser.add_argument("--output", type=Path, help=f"Model file to write (default {MODEL_PATH}).")
        parser.add_argument(
            "--cross-validate",
            nargs="?",
            type=int,
            const=DEFAULT_FOLDS,
            metavar="K",
            help=(
                f"Instead of training the model, cross-validate its recipe over all debates in K folds of whole "
                f"debates (default {DEFAULT_FOLDS}; each debate held out once) and print the pooled out-of-fold "
                "figures. Writes no model file. Takes K times as long as training, divided by --jobs."
            ),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            metavar="N",
            help="With --cross-validate, train N folds at once, one process each (default 1; same figures).",
        )

    def handle(self, *args, **options):
        # The default is found from the project, not from wherever the command happens to be run.
        data_path = options["file"] or (Path(settings.BASE_DIR) / DEFAULT_DATA).resolve()
        try:
            import sklearn  # noqa: F401 - checked before a minute of work, not after
        except ImportError as error:
            raise CommandError("Training needs scikit-learn: pip install scikit-learn.") from error

        if options["cross_validate"] is not None:
            if options["output"] is not None:
                raise CommandError("--cross-validate writes no model file: drop --output.")
            jobs = 1 if options["jobs"] is None else options["jobs"]
            if jobs < 1:
                raise CommandError(f"--jobs must be at least 1, not {jobs}.")
            self._cross_validate(data_path, options["cross_validate"], jobs)
            return
        if options["jobs"] is not None:
            raise CommandError("--jobs is for --cross-validate; training trains one model.")

        output = options["output"] or MODEL_PATH
        self.stdout.write(f"Training on {data_path}, holding out {', '.join(HELD_OUT_DEBATES)}…")
        try:
            report = train(data_path, output)
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
        self.stdout.write(f"Model written to {output} ({output.stat().st_size:,} bytes).")

    def _cross_validate(self, data_path, folds, jobs):
        self.stdout.write(
            f"Cross-validating on {data_path} in {folds} folds of whole debates, {jobs} at a time "
            "(no model is written)…"
        )
        try:
            report = cross_validate(data_path, folds, jobs=jobs, on_fold=self._print_fold)
        except ValueError as error:  # LabelledCsvError included
            raise CommandError(str(error)) from error

        pooled = report.pooled
        debates = sum(len(fold.debates) for fold in report.folds)
        self.stdout.write(
            f"Pooled out-of-fold, {debates} debates ({pooled.sentences:,} sentences, {pooled.positives:,} "
            f"check-worthy, {pooled.predicted:,} predicted):"
        )
        self.stdout.write(f"Precision: {pooled.precision:.4f}")
        self.stdout.write(f"Recall:    {pooled.recall:.4f}")
        self.stdout.write(f"F1:        {pooled.f1:.4f}")
        for debate, value in report.average_precision.items():
            self.stdout.write(
                f"  average precision, {debate}: {value:.4f} (share check-worthy {report.prevalence[debate]:.4f})"
            )
        values = report.average_precision.values()
        self.stdout.write(
            f"MAP over {len(report.average_precision)} debates (each ranked on its own): {report.map:.4f} "
            f"(min {min(values):.4f}, max {max(values):.4f}; a random ranking would get about "
            f"{report.random_map:.4f})"
        )
        self.stdout.write(f"Cross-validated in {report.seconds:.0f} s; no model file written.")

    def _print_fold(self, number, fold):
        figures = fold.figures
        self.stdout.write(
            f"Fold {number}: {len(fold.debates)} debates, {figures.sentences:,} sentences, threshold "
            f"{fold.threshold:.4f}: P {figures.precision:.4f}, R {figures.recall:.4f}, F1 {figures.f1:.4f}"
            f" ({', '.join(fold.debates)})"
        )
        self.stdout.flush()
