"""The arithmetic of numeric claims: the part, total and share a quote states are
checked, shown on the claim, and an inconsistent claim is flagged on the desk."""

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from claims.models import Claim, NumbersCheck

from .conftest import HTMX, shown
from .factories import ClaimFactory

REMITTANCES = "Russia accounted for $43 million in remittances last year, only 0.2 percent of the total $26.9 billion."
WRONG = "Russia accounted for $43 million in remittances last year, only 2 percent of the total $26.9 billion."


@pytest.mark.django_db
def test_a_consistent_claim_shows_its_arithmetic(editor_client):
    claim = ClaimFactory(quote=REMITTANCES)
    assert claim.numbers_check == NumbersCheck.CONSISTENT
    page = shown(editor_client.get(claim.get_absolute_url()))
    assert "The numbers add up." in page
    assert "$43 million / $26.9 billion = 0.16 %, which rounds to the stated 0.2 %" in page


@pytest.mark.django_db
def test_a_share_in_words_is_checked_and_listed_with_its_value(editor_client):
    claim = ClaimFactory(quote="Russia sent $3 billion, a third of the $8 billion total.")
    assert claim.numbers_check == NumbersCheck.INCONSISTENT
    page = shown(editor_client.get(claim.get_absolute_url()))
    assert "The numbers do not add up." in page
    assert "$3 billion / $8 billion = 37.5 %, which is not close to the stated “a third” (33.3 %)" in page
    assert "share: 1 in 3, 33.3 %" in page


@pytest.mark.django_db
def test_a_change_is_checked_on_the_claim_page(editor_client):
    claim = ClaimFactory(quote="Remittances fell 15 percent to $30 billion from $26 billion.")
    assert claim.numbers_check == NumbersCheck.INCONSISTENT
    page = shown(editor_client.get(claim.get_absolute_url()))
    assert "The numbers do not add up." in page
    assert "($30 billion − $26 billion) / $26 billion = +15.4 %, a rise, not the stated fall of 15 %" in page


@pytest.mark.django_db
def test_an_inconsistent_claim_is_flagged_on_its_page_and_the_desk(editor_client):
    wrong = ClaimFactory(quote=WRONG, summary="Two percent of remittances")
    ClaimFactory(quote=REMITTANCES, summary="Remittances as stated")
    assert wrong.numbers_check == NumbersCheck.INCONSISTENT
    assert "The numbers do not add up." in shown(editor_client.get(wrong.get_absolute_url()))
    desk = shown(editor_client.get(reverse("claims:claim_list")))
    assert desk.count("numbers do not add up") == 1
    flagged = editor_client.get(
        reverse("claims:claim_list"), {"flag": "numbers"}, HTTP_HX_TARGET="claim-results", **HTMX
    )
    assert [claim.summary for claim in flagged.context["page"].object_list] == ["Two percent of remittances"]


@pytest.mark.django_db
def test_the_check_follows_the_quote_when_it_changes(editor):
    claim = ClaimFactory(quote=REMITTANCES)
    source = claim.source
    source.correct_text(source.text.replace("only 0.2 percent", "only 2 percent"), by=editor)
    claim.refresh_from_db()
    assert "2 percent" in claim.quote
    assert claim.numbers_check == NumbersCheck.INCONSISTENT


@pytest.mark.django_db
def test_claims_written_in_bulk_are_checked_on_demand():
    claim = ClaimFactory(quote=WRONG)
    Claim.objects.filter(pk=claim.pk).update(numbers_check=NumbersCheck.NONE)
    assert Claim.objects.recheck_numbers() == 1
    claim.refresh_from_db()
    assert claim.numbers_check == NumbersCheck.INCONSISTENT
    assert Claim.objects.recheck_numbers() == 0


@pytest.mark.django_db
def test_the_migration_rechecks_the_claims_already_stored():
    recheck_numbers = import_module("claims.migrations.0009_recheck_numbers").recheck_numbers
    in_words = ClaimFactory(quote="Russia sent $3 billion, a third of the $8 billion total.")
    untouched = ClaimFactory(quote=REMITTANCES)
    no_longer = ClaimFactory(quote="Russia has not had any foreign direct investment since 1999.")
    # as stored before shares in words were read, and a stale flag
    Claim.objects.filter(pk=in_words.pk).update(numbers_check=NumbersCheck.NONE)
    Claim.objects.filter(pk=no_longer.pk).update(numbers_check=NumbersCheck.INCONSISTENT)

    recheck_numbers(django_apps, None)

    stored = dict(Claim.objects.values_list("pk", "numbers_check"))
    assert stored[in_words.pk] == NumbersCheck.INCONSISTENT
    assert stored[untouched.pk] == NumbersCheck.CONSISTENT
    assert stored[no_longer.pk] == NumbersCheck.NONE


def listed_quantities(page: str) -> list[str]:
    """The claim page's list of quantities, each item as a reader sees it: “since 1999” period: 1999 on."""
    items = re.search(r'<ul class="quantities">(.*?)</ul>', page, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", items, re.S)
    return [" ".join(re.sub(r"</?span[^>]*>", "", re.sub(r"<q>(.*?)</q>", r"“\1”", item)).split()) for item in items]


@pytest.mark.django_db
def test_a_change_in_words_is_listed_with_the_quantities(editor_client):
    claim = ClaimFactory(quote="The fleet was halved, from 40 ships to 30.")
    page = shown(editor_client.get(claim.get_absolute_url()))
    assert "“halved” (−50 %)" in page
    assert listed_quantities(page) == ["“halved” change: −50 %", "“40 ships” count: 40 ships", "“30” count: 30"]


@pytest.mark.django_db
def test_years_periods_and_points_are_listed_with_what_they_were_read_as(editor_client):
    claim = ClaimFactory(
        quote="Since 1999 unemployment rose 2 percentage points; from 2010 to 2015 it fell, and in 2016 it was "
        "6 percent."
    )
    page = shown(editor_client.get(claim.get_absolute_url()))
    assert listed_quantities(page) == [
        "“Since 1999” period: 1999 on",
        "“2 percentage points” percentage: 2 points",
        "“from 2010 to 2015” period: 2010–2015",
        "“2016” year: 2016",
        "“6 percent” percentage: 6 %",
    ]
