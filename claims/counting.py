"""The desk's counts per status, cached until a claim changes.

Counting every claim per status for each request is a scan of the filtered
table: cheap at a few thousand claims, tens of milliseconds at hundreds of
thousands. The counts are cached (Redis in production, shared by every app
server) under the filters and the newest change to any claim, so a change shows
at once; deletions, which leave no newer change, show within a minute.
"""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Max

from .models import Claim

LIFETIME_SECONDS = 60
# Filters whose results differ per person are counted per person.
PERSONAL = {"assignee": "me"}
UNCACHED = {"changed"}  # "changed since I last looked" moves with every visit


def status_counts(filterset) -> list[tuple[str, str, int]]:
    """(status, label, count) for the filters of `filterset` other than the status itself."""
    without_status = filterset.without("status")
    params = {
        name: value
        for name, value in filterset.data.items()
        if value and name in filterset.form.fields and name not in {"status", "sort"}
    }
    if UNCACHED & params.keys():
        return without_status.qs.status_counts()
    if any(params.get(name) == value for name, value in PERSONAL.items()):
        params["person"] = filterset.request.user.pk
    newest = Claim.objects.aggregate(changed=Max("updated_at"), last=Max("id"))
    key = hashlib.sha256(json.dumps([params, str(newest["changed"]), newest["last"]], sort_keys=True).encode())
    return cache.get_or_set(
        f"status-counts:{key.hexdigest()}", lambda: without_status.qs.status_counts(), LIFETIME_SECONDS
    )
