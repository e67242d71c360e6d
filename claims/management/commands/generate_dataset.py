"""`manage.py generate_dataset`: a large, realistic dataset for benchmarks (claims.dataset)."""

import dataclasses
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.dataset import (
    DATASET_DOMAIN,
    DATASET_PASSWORD,
    DATASET_URL,
    DatasetGenerator,
    Sizes,
    delete_generated,
    generated_claims,
)


class Command(BaseCommand):
    help = (
        "Generate a large dataset for benchmarks: by default 100,000 claims over 20,000 sources, 500,000 "
        "annotations and 1,000,000 history rows (timeline events and the claims' audit rows), with 40 editors "
        f"and 10 reviewers (editor001…, reviewer001…) sharing the password {DATASET_PASSWORD!r}. Generated "
        f"rows are marked (sources under {DATASET_URL}, users at @{DATASET_DOMAIN}), so --reset removes them "
        "and nothing else. Needs DEBUG on, or --force."
    )

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--claims", type=int, help=f"Claims (default {defaults.claims:,}, times --scale).")
        parser.add_argument("--sources", type=int, help=f"Sources (default {defaults.sources:,}, times --scale).")
        parser.add_argument(
            "--annotations", type=int, help=f"Editors' notes (default {defaults.annotations:,}, times --scale)."
        )
        parser.add_argument(
            "--history",
            type=int,
            help=f"Timeline events plus claim audit rows (default {defaults.history:,}, times --scale).",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the default sizes, e.g. 0.01 for a quick run."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument(
            "--batch-size", type=int, default=5_000, help="Claims per transaction, and rows per insert (SQLite)."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing if a generated dataset of at least --claims claims is there; replace a smaller one.",
        )
        parser.add_argument("--reset", action="store_true", help="Delete the generated data (only that) first.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (it creates users with a known password)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The dataset's users share a published password: run it with DEBUG on, on a local database, "
                "or pass --force."
            )
        if options["batch_size"] < 1 or options["scale"] < 0:
            raise CommandError("--batch-size must be positive and --scale not negative.")
        sizes = Sizes().scaled(options["scale"])
        for name in ["claims", "sources", "annotations", "history"]:
            if options[name] is not None:
                if options[name] < 0:
                    raise CommandError(f"--{name} cannot be negative.")
                sizes = dataclasses.replace(sizes, **{name: options[name]})
        started = time.monotonic()
        reset = options["reset"]
        if options["if_missing"]:
            present = generated_claims().count()
            if present and present >= sizes.claims:
                self.stdout.write(f"A generated dataset of {present:,} claims is already there: nothing to do.")
                return
            reset = reset or present > 0
        if reset:
            deleted = delete_generated()
            total = sum(deleted.values())
            self.stdout.write(f"Deleted the generated data: {total:,} rows ({time.monotonic() - started:.1f} s).")
        self.stdout.write(
            f"Generating {sizes.claims:,} claims, {sizes.sources:,} sources, {sizes.annotations:,} annotations and "
            f"{sizes.history:,} history rows (seed {options['seed']})."
        )
        generator = DatasetGenerator(
            sizes, seed=options["seed"], batch_size=options["batch_size"], log=self.stdout.write
        )
        counts = generator.run()
        width = max((len(model._meta.db_table) for model in counts), default=0)
        self.stdout.write("Rows written, and the seconds spent writing them:")
        for model, count in counts.items():
            seconds = generator.writer.seconds[model]
            self.stdout.write(f"  {model._meta.db_table:<{width}} {count:>10,} {seconds:>7.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {sum(counts.values()):,} rows in {time.monotonic() - started:.1f} s. Users editor001… and "
                f"reviewer001… log in with the password {DATASET_PASSWORD!r}."
            )
        )
