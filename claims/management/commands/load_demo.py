"""`manage.py load_demo`: the demo users and, on an empty desk, the demo claims from
the seed articles (fixtures/demo.json), for trying Claimdesk locally."""

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import suggesting
from claims.demo import DEMO_PASSWORD, DEMO_USERS, create_demo_users
from claims.models import Annotation, Claim, Claimant, ClaimEvent, Evidence, Source, Suggestion, Tag

FIXTURE = settings.BASE_DIR / "fixtures" / "demo.json"

# The fixture carries fixed primary keys, so loading it over existing rows would
# overwrite them: it only goes into a desk that holds none of these yet.
DESK_MODELS = [Claim, Source, Claimant, Tag]


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users, one per role, with the public demo password, and load the demo "
        "claims from fixtures/demo.json if the desk has no claims, sources, claimants or tags yet; existing "
        "work is never touched unless --reset is given. Needs DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Delete ALL claims, sources, claimants and tags, with their evidence, annotations and history, "
                "then load the demo data afresh."
            ),
        )

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo needs DEBUG on: its users share a public password. Run it only on a local "
                "database, e.g. `DEBUG=1 python manage.py load_demo`."
            )
        with transaction.atomic():
            self.create_users()
            if reset:
                self.delete_desk()
            if any(model.objects.exists() for model in DESK_MODELS):
                self.stdout.write(
                    f"The desk already has data ({Claim.objects.count()} claims, {Source.objects.count()} "
                    "sources): left untouched. Use --reset to replace it with the demo data."
                )
                return
            call_command("loaddata", str(FIXTURE), verbosity=0)
            # Loading a fixture writes no audit rows; start each record's trail here.
            # (It reports models that already have a trail, such as the ratings; that is expected.)
            call_command("populate_history", auto=True, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
            # Rows from a fixture skip Claim.save(): the arithmetic checks, and the sentences worth checking.
            Claim.objects.recheck_numbers()
            for source in Source.objects.order_by("pk"):
                suggesting.suggest_for(source)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo data: {Source.objects.count()} sources, {Claimant.objects.count()} claimants, "
                f"{Claim.objects.count()} claims, {Evidence.objects.count()} pieces of evidence, "
                f"{Annotation.objects.count()} annotations, {ClaimEvent.objects.count()} history entries, "
                f"{Suggestion.objects.count()} suggestions of what else to check."
            )
        )

    def create_users(self):
        usernames = [username for username, *_ in DEMO_USERS]
        existing = set(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
        create_demo_users()
        self.stdout.write(f'Demo users, all with the password "{DEMO_PASSWORD}":')
        for username, role, is_staff, is_superuser in DEMO_USERS:
            if is_superuser:
                access = "superuser"
            else:
                access = f"{role}{' + admin site' if is_staff else ''}"
            done = "reset" if username in existing else "created"
            self.stdout.write(f"  {username:<9} {access:<22} ({done})")

    def delete_desk(self):
        # Claims first: they protect their sources and claimants, and take their
        # evidence, annotations and history with them.
        deleted = Claim.objects.count()
        Claim.objects.all().delete()
        for model in [Evidence, Source, Claimant, Tag]:
            model.objects.all().delete()
        self.stdout.write(f"Deleted {deleted} claims with their sources, claimants, tags, evidence and history.")
