"""`manage.py export_annotations [--source ID]`: claims as W3C Web Annotations (JSON-LD) on stdout."""

import json

from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim, Source
from claims.webannotation import export_annotations


class Command(BaseCommand):
    help = (
        "Print every claim (or one source's) as a JSON array of W3C Web Annotations, each carrying its source's "
        "text, so `import_annotations` can recreate the claims in another database. Identifiers start with the "
        "CLAIMDESK_BASE_URL setting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, metavar="ID", help="Only the claims of the source with this id.")

    def handle(self, *args, source=None, **options):
        claims = Claim.objects.order_by("source_id", "quote_start", "id")
        if source is not None:
            if not Source.objects.filter(pk=source).exists():
                raise CommandError(f"There is no source with id {source}.")
            claims = claims.filter(source_id=source)
        self.stdout.write(json.dumps(export_annotations(claims), indent=2, ensure_ascii=False))
