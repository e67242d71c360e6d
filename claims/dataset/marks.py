"""How generated rows are marked, and finding and removing them (and only them) by those marks."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import Annotation, Claim, Claimant, ClaimEvent, ClaimVisit, Correction, Evidence, Source, Tag
from .writing import AUDIT_OF, ClaimTag, HistoricalClaim, HistoricalClaimTags

DATASET_URL = "https://dataset.claimdesk.invalid/"
DATASET_DOMAIN = "dataset.claimdesk.invalid"
DATASET_MARK = "generated dataset"


def generated_claims():
    return Claim.objects.filter(source__url__startswith=DATASET_URL)


def generated_users():
    return get_user_model().objects.filter(email__endswith=f"@{DATASET_DOMAIN}")


def delete_generated() -> dict[str, int]:
    """Delete what this module generated, and only that: the claims on generated sources with their
    timelines, audit rows, tags, notes, evidence, corrections and visits; the sources (unless a claim
    of the desk's own cites one as evidence); generated claimants and tags no other claim uses; the
    generated users. Returns the rows deleted per table."""
    deleted: dict[str, int] = {}

    def remove(queryset) -> None:
        # A raw delete: the ORM's would load every row and write a "deleted" audit row for each.
        count = queryset._raw_delete(queryset.db)
        if count:
            table = queryset.model._meta.db_table
            deleted[table] = deleted.get(table, 0) + count

    with transaction.atomic():
        claims = generated_claims().values("pk")
        audit = HistoricalClaim.objects.filter(id__in=claims)
        remove(HistoricalClaimTags.objects.filter(history_id__in=audit.values("history_id")))
        remove(audit)
        for model in [Annotation, Evidence, Correction]:
            remove(AUDIT_OF[model].objects.filter(claim_id__in=claims))
        for model in [ClaimEvent, Annotation, Evidence, Correction, ClaimVisit, ClaimTag]:
            remove(model.objects.filter(claim__in=claims))
        remove(Claim.objects.filter(pk__in=claims))
        sources = Source.objects.filter(url__startswith=DATASET_URL, cited_as_evidence__isnull=True).values("pk")
        remove(AUDIT_OF[Source].objects.filter(id__in=sources))
        remove(Source.objects.filter(pk__in=sources))
        for model in [Claimant, Tag]:
            marked = AUDIT_OF[model].objects.filter(history_type="+", history_change_reason=DATASET_MARK)
            # Listed first: the subquery would find nothing once their audit rows are gone.
            unused = list(
                model.objects.filter(pk__in=marked.values("id"), claims__isnull=True).values_list("pk", flat=True)
            )
            remove(AUDIT_OF[model].objects.filter(id__in=unused))
            remove(model.objects.filter(pk__in=unused))
        _, users = generated_users().delete()
        deleted.update({model.lower(): count for model, count in users.items() if count})
    return deleted
