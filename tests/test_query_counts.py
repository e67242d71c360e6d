"""No N+1: every page and every partial htmx asks for runs the same number of SQL
queries with one row as with fifty (claims on the desk, the queue and a source;
evidence, notes and history on a claim's page; claims in the admin)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimVisit
from claims.queue_views import QUEUE_PARTIALS
from claims.source_views import READER_PARTIALS
from claims.views import CLAIM_PARTIALS, DESK_PARTIALS
from claims.workflow import Status

from .factories import AnnotationFactory, ClaimEventFactory, ClaimFactory, EvidenceFactory, SourceFactory, TagFactory

ROWS = (1, 50)


def queries(client, url, target=None) -> int:
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target} if target else {}
    client.get(url, **headers)  # warm: the first request of a client fills caches a person's session keeps
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def desk_with(rows, world):
    tags = [TagFactory(name=f"topic-{n}") for n in range(3)]
    for _ in range(rows):
        claim = ClaimFactory(researching=True, assignee=world["editor"], tags=tags)
        ClaimVisit.objects.create(user=world["editor"], claim=claim, seen_at=timezone.now())
    return reverse("claims:claim_list")


def claim_page_with(rows, world):
    claim = ClaimFactory(in_review=True, assignee=world["editor"], tags=[TagFactory(name="economy")])
    for _ in range(rows):
        EvidenceFactory(claim=claim, added_by=world["editor"])
        AnnotationFactory(claim=claim, author=world["editor"])
        ClaimEventFactory(claim=claim, actor=world["editor"])
    ClaimFactory.create_batch(rows, source=claim.source, quote="Critics disputed the figures.")
    return claim.get_absolute_url()


def queue_with(rows, world):
    for _ in range(rows):
        ClaimFactory(in_review=True, reviewer=world["editor"], verdict_by=None)
        ClaimFactory(researching=True, assignee=world["editor"])
    return reverse("claims:my_queue")


def reader_with(rows, world):
    source = SourceFactory(text=" ".join(f"Sentence {n} says {n} percent." for n in range(rows)))
    for n in range(rows):
        claim = ClaimFactory(source=source, quote=f"Sentence {n} says {n} percent.", status=Status.RESEARCHING)
        EvidenceFactory(claim=claim)
    return f"{reverse('claims:source_detail', args=[source.pk])}?claim={claim.pk}"


def source_list_with(rows, world):
    ClaimFactory.create_batch(rows)
    return reverse("claims:source_list")


def admin_claims_with(rows, world):
    ClaimFactory.create_batch(rows, tags=[TagFactory(name="economy")], assignee=world["editor"])
    return reverse("admin:claims_claim_changelist")


PAGES = {
    "desk": (desk_with, [None, *sorted(DESK_PARTIALS)]),
    "claim page": (claim_page_with, [None, *sorted(CLAIM_PARTIALS)]),
    "queue": (queue_with, [None, *sorted(QUEUE_PARTIALS)]),
    "reader": (reader_with, [None, *sorted(READER_PARTIALS - {"source-progress"})]),
    "source list": (source_list_with, [None]),
    "admin changelist": (admin_claims_with, [None]),
}
CASES = [(page, target) for page, (_, targets) in PAGES.items() for target in targets]


@pytest.mark.parametrize(("page", "target"), CASES, ids=[f"{page}#{target or 'page'}" for page, target in CASES])
def test_queries_are_the_same_for_one_row_and_fifty(page, target, editor, superuser, client):
    client.force_login(superuser if page == "admin changelist" else editor)
    build, _ = PAGES[page]
    world = {"editor": editor}
    counts = {}
    for rows in ROWS:
        url = build(rows, world)
        counts[rows] = queries(client, url, target)
    assert counts[1] == counts[50], f"{page} ({target or 'whole page'}): {counts}"
