"""Keyset paging: walking every page forward and back gives exactly the sorted list,
whatever the sort, with ties and empty values, and a bad token gives the first page."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.paging import Key, keyset_page

from .factories import ClaimantFactory, ClaimFactory, RatingFactory

SORTS = {
    "recently changed": [Key("updated_at", descending=True), Key("id", descending=True)],
    "oldest first": [Key("created_at"), Key("id")],
    "truest verdict first": [
        Key("verdict__value", descending=True, nullable=True),
        Key("verdict__position", nullable=True),
        Key("id", descending=True),
    ],
    "claimant, empty first": [
        Key("claimant__name", nullable=True, nulls_last=False),
        Key("updated_at", descending=True),
        Key("id"),
    ],
    "claimant, empty last": [Key("claimant__name", nullable=True), Key("id")],
}


@pytest.fixture
def claims(db):
    """23 claims with ties in every key and empty verdicts and claimants."""
    moment = timezone.now().replace(microsecond=0)
    ratings = [RatingFactory(key=key) for key in ("true", "false", "unverifiable")] + [None]
    claimants = [ClaimantFactory(name=name) for name in ("Ana", "Ben")] + [None]
    made = []
    for n in range(23):
        claim = ClaimFactory(verdict=ratings[n % 4], claimant=claimants[n % 3])
        # Three claims share each moment: ties that only the id breaks.
        Claim.objects.filter(pk=claim.pk).update(
            updated_at=moment - datetime.timedelta(minutes=n // 3), created_at=moment - datetime.timedelta(days=n % 5)
        )
        made.append(claim)
    return made


def walk_forward(keys, size):
    queryset = Claim.objects.all()
    page = keyset_page(queryset, keys, size=size)
    pages = [page]
    while page.has_next:
        page = keyset_page(queryset, keys, size=size, after=page.next_token)
        pages.append(page)
    return pages


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("size", [1, 5, 23, 50])
def test_walking_forward_gives_the_sorted_list_once(claims, sort, size):
    keys = SORTS[sort]
    expected = list(Claim.objects.order_by(*(key.order_by() for key in keys)).values_list("pk", flat=True))

    pages = walk_forward(keys, size)

    assert [claim.pk for page in pages for claim in page] == expected
    assert [page.start_index for page in pages] == list(range(1, len(expected) + 1, size))
    assert pages[-1].end_index == len(expected)
    assert not pages[0].has_previous and not pages[-1].has_next


@pytest.mark.parametrize("sort", SORTS)
def test_walking_back_from_the_last_page_gives_the_same_pages(claims, sort):
    keys = SORTS[sort]
    forward = walk_forward(keys, 5)

    page, backward = forward[-1], [forward[-1]]
    while page.has_previous:
        page = keyset_page(Claim.objects.all(), keys, size=5, before=page.previous_token)
        backward.append(page)

    assert [[c.pk for c in p] for p in reversed(backward)] == [[c.pk for c in p] for p in forward]
    assert [p.start_index for p in reversed(backward)] == [p.start_index for p in forward]


@pytest.mark.parametrize("token", ["nonsense", "eyJ2IjpbXX0", "", "e30"])
def test_a_token_that_cannot_be_read_gives_the_first_page(claims, token):
    keys = SORTS["recently changed"]
    first = keyset_page(Claim.objects.all(), keys, size=5)

    page = keyset_page(Claim.objects.all(), keys, size=5, after=token)

    assert [c.pk for c in page] == [c.pk for c in first] and page.start_index == 1


def test_an_empty_list_has_no_pages(db):
    page = keyset_page(Claim.objects.all(), SORTS["recently changed"], size=5)
    assert list(page) == [] and page.start_index == 0 and not page.has_other_pages


def test_a_deep_page_is_one_query(claims, django_assert_num_queries):
    pages = walk_forward(SORTS["truest verdict first"], 5)
    with django_assert_num_queries(1):
        keyset_page(Claim.objects.all(), SORTS["truest verdict first"], size=5, after=pages[-2].next_token)
