"""`manage.py import_annotations FILE [--user USERNAME]`: claims from W3C Web Annotations, all or nothing."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.webannotation import AnnotationFileError, import_annotations, read_annotations


class Command(BaseCommand):
    help = (
        "Import the claims of a JSON-LD file of W3C Web Annotations (as `export_annotations` writes them), with "
        "their sources, claimants and tags. All or nothing: if anything is wrong, every problem is listed and "
        "nothing changes. Claims already here are skipped."
    )
    # Tests hand the command their own standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import, or - to read standard input.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Whose import the history records; their permissions apply. Without it the history names "
            "nobody (origin: import) and every permission is granted.",
        )

    def handle(self, *args, file, user=None, stdin=None, **options):
        by = None
        if user is not None:
            try:
                by = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user “{user}”.") from None
        try:
            if file == "-":
                raw = (stdin or sys.stdin).read()
            else:
                with open(file, "rb") as stream:
                    raw = stream.read()
            data = read_annotations(raw)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except AnnotationFileError as error:
            raise CommandError(str(error)) from None
        report = import_annotations(data, by=by)
        if not report.ok:
            raise CommandError("\n".join(report.lines()))
        self.stdout.write("\n".join(report.lines()))
