"""The default status names and colours, rating colours, the published verdicts of
claims published before corrections existed, and a first audit row for every
existing record so later changes have something to be compared with."""

from django.db import migrations
from django.utils import timezone

STATUS_STYLES = [
    ("new", "New", "#eef1f5", "Found, not yet worked on."),
    ("researching", "Researching", "#dbe8ff", "An editor is gathering evidence and drafting a verdict."),
    ("in_review", "In review", "#ffe9b8", "Waiting for a second person to approve the verdict."),
    ("published", "Published", "#cdeed6", "Approved by a second person and public."),
    ("not_checkworthy", "Not check-worthy", "#e4e4e4", "Set aside: not a claim worth checking."),
]

RATING_COLOURS = {
    "true": "#1c7c3a",
    "mostly-true": "#5a9e3a",
    "half-true": "#c99a06",
    "mostly-false": "#d9711c",
    "misleading": "#b4541a",
    "false": "#b42318",
    "unverifiable": "#6b7280",
}

AUDITED = ["Source", "Claimant", "Tag", "Rating", "StatusStyle", "Claim", "Correction", "Evidence", "Annotation"]


def create_styles_and_colours(apps, schema_editor):
    StatusStyle = apps.get_model("claims", "StatusStyle")
    for position, (status, label, colour, description) in enumerate(STATUS_STYLES, start=1):
        StatusStyle.objects.get_or_create(
            status=status,
            defaults={"label": label, "colour": colour, "position": position, "description": description},
        )
    Rating = apps.get_model("claims", "Rating")
    for key, colour in RATING_COLOURS.items():
        Rating.objects.filter(key=key).update(colour=colour)


def backfill_published_verdicts(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.filter(status="published", published_at__isnull=True):
        claim.published_verdict_id = claim.verdict_id
        claim.published_rationale = claim.rationale
        claim.published_at = claim.updated_at
        claim.save(update_fields=["published_verdict", "published_rationale", "published_at"])


def audit_baseline(apps, schema_editor):
    now = timezone.now()
    for name in AUDITED:
        model = apps.get_model("claims", name)
        history = apps.get_model("claims", f"Historical{name}")
        fields = [field.attname for field in model._meta.concrete_fields]
        history.objects.bulk_create(
            (
                history(
                    **{field: getattr(row, field) for field in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason="Existing record when the audit trail began",
                    history_origin="system",
                )
                for row in model.objects.iterator()
            ),
            batch_size=500,
        )


def sync_roles(apps, schema_editor):
    from claims.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_review_workflow_and_audit")]

    operations = [
        migrations.RunPython(create_styles_and_colours, migrations.RunPython.noop),
        migrations.RunPython(backfill_published_verdicts, migrations.RunPython.noop),
        migrations.RunPython(audit_baseline, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
