"""Similar claims and duplicates: what is listed while a claim is written and on its
page, and a duplicate that follows its original's verdict."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.models import ClaimEvent, EventField
from claims.workflow import Status

from .conftest import HTMX, is_fragment, shown
from .factories import ClaimFactory, RatingFactory

FDI = "Russia has not had any foreign direct investment in the Philippines since 1999."
FDI_AGAIN = "No Russian FDI has reached the Philippines since 1999, the envoy said."


def similar_panel(client, claim):
    return client.get(claim.get_absolute_url(), HTTP_HX_TARGET="similar-claims", **HTMX)


@pytest.fixture
def pair(db):
    original = ClaimFactory(summary="Russian FDI in the Philippines", quote=FDI, researching=True)
    repeat = ClaimFactory(summary="No Russian investment since 1999", quote=FDI_AGAIN)
    ClaimFactory(summary="Exports of bananas doubled", quote="Banana exports doubled in 2015.")
    return original, repeat


def test_the_claim_page_lists_claims_that_say_the_same(editor_client, pair):
    original, repeat = pair
    page = editor_client.get(repeat.get_absolute_url())
    assert "Looking for claims that say the same" in shown(page)  # found after the page shows
    panel = similar_panel(editor_client, repeat)
    assert is_fragment(panel)
    text = shown(panel)
    assert f"#{original.pk} Russian FDI in the Philippines" in text
    assert "bananas" not in text
    assert f"This claim is a duplicate of #{original.pk}" in text  # the button that marks it


def test_without_javascript_the_similar_claims_are_on_the_page(editor_client, pair):
    original, repeat = pair
    page = shown(editor_client.get(repeat.get_absolute_url(), {"similar": "1"}))
    assert f"#{original.pk} Russian FDI in the Philippines" in page


def test_a_new_claims_words_are_checked_against_the_desk_while_typed(editor_client, pair):
    original, _ = pair
    response = editor_client.get(
        reverse("claims:claim_similar"), {"summary": "Russian foreign direct investment in the Philippines"}, **HTMX
    )
    assert is_fragment(response)
    assert "Already on the desk?" in shown(response)
    assert f"#{original.pk} Russian FDI in the Philippines" in shown(response)
    nothing = editor_client.get(reverse("claims:claim_similar"), {"summary": "Weather"}, **HTMX)
    assert "Already on the desk?" not in shown(nothing)


def test_similar_claims_page_without_javascript(viewer_client, pair):
    original, _ = pair
    response = viewer_client.get(reverse("claims:claim_similar"), {"text": FDI})
    assert "<html" in response.content.decode()
    assert f"#{original.pk}" in shown(response)


def test_marking_a_duplicate_takes_the_originals_verdict_and_follows_it(editor_client, editor, pair):
    original, repeat = pair
    mostly = RatingFactory(key="mostly-true")
    original.set_verdict(mostly, by=editor, rationale="The embassy's figures agree.")
    response = editor_client.post(
        reverse("claims:claim_mark_duplicate", args=[repeat.pk]),
        {"original": original.pk, "based_on": repeat.version},
        HTTP_HX_TARGET="similar-claims",
        **HTMX,
    )
    assert response.status_code == 200 and is_fragment(response)
    assert "claim-changed" in response["HX-Trigger"]
    assert "its verdict follows that claim's" in shown(response)
    assert f"#{original.pk} Russian FDI in the Philippines</a>: its verdict follows" in shown(response)
    repeat.refresh_from_db()
    assert (repeat.duplicate_of, repeat.verdict, repeat.rationale) == (
        original,
        mostly,
        "The embassy's figures agree.",
    )
    # The original's verdict changes: so does the duplicate's, in its own timeline.
    false = RatingFactory(key="false")
    original.refresh_from_db()
    original.set_verdict(false, by=editor, rationale="The central bank shows a 2012 investment.")
    repeat.refresh_from_db()
    assert (repeat.verdict, repeat.rationale) == (false, "The central bank shows a 2012 investment.")
    events = list(repeat.events.order_by("id").values_list("field", "new_value"))
    assert events[-3:] == [(EventField.DUPLICATE, str(original.pk)), ("verdict", "mostly-true"), ("verdict", "false")]
    header = shown(editor_client.get(repeat.get_absolute_url()))
    assert f"Duplicate of #{original.pk}" in header


def test_a_duplicates_own_verdict_is_locked_until_unmarked(editor_client, editor, pair):
    original, repeat = pair
    repeat.mark_duplicate(original, by=editor)
    with pytest.raises(ValidationError, match="duplicate of"):
        repeat.set_verdict(RatingFactory(key="true"), by=editor, rationale="Mine.")
    response = editor_client.post(
        reverse("claims:claim_unmark_duplicate", args=[repeat.pk]), {"based_on": repeat.version}
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.duplicate_of is None
    repeat.set_verdict(RatingFactory(key="true"), by=editor, rationale="Its own now.")


@pytest.mark.parametrize(
    "case, message",
    [
        ("itself", "cannot be a duplicate of itself"),
        ("chain", "is itself a duplicate of"),
        ("published", "has been published"),
        ("has duplicates", "Other claims are duplicates of this one"),
    ],
)
def test_refused_duplicates_change_nothing(editor, pair, case, message):
    original, repeat = pair
    third = ClaimFactory(summary="A third telling")
    if case == "itself":
        target = repeat
    elif case == "chain":
        original.mark_duplicate(third, by=editor)
        original.refresh_from_db()
        target = original
    elif case == "published":
        repeat = ClaimFactory(published=True)
        target = original
    else:
        third.mark_duplicate(repeat, by=editor)
        target = original
    repeat.refresh_from_db()
    before = (repeat.duplicate_of_id, repeat.version)
    with pytest.raises(ValidationError, match=message):
        repeat.mark_duplicate(target, by=editor)
    repeat.refresh_from_db()
    assert (repeat.duplicate_of_id, repeat.version) == before


def test_viewers_cannot_mark_duplicates(viewer_client, viewer, pair):
    original, repeat = pair
    response = viewer_client.post(
        reverse("claims:claim_mark_duplicate", args=[repeat.pk]), {"original": original.pk, "based_on": repeat.version}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        repeat.mark_duplicate(original, by=viewer)
    repeat.refresh_from_db()
    assert repeat.duplicate_of is None
    assert not ClaimEvent.objects.filter(claim=repeat, field=EventField.DUPLICATE).exists()


def test_the_desk_flags_duplicates_and_filters_them(editor_client, editor, pair):
    original, repeat = pair
    repeat.mark_duplicate(original, by=editor)
    desk = shown(editor_client.get(reverse("claims:claim_list")))
    assert f"duplicate of #{original.pk}" in desk
    listed = editor_client.get(
        reverse("claims:claim_list"), {"flag": "duplicate"}, HTTP_HX_TARGET="claim-results", **HTMX
    )
    assert [claim.pk for claim in listed.context["page"].object_list] == [repeat.pk]


def test_a_stale_mark_is_a_conflict_and_changes_nothing(editor_client, other_editor, pair):
    original, repeat = pair
    seen = repeat.version
    repeat.transition(Status.RESEARCHING, by=other_editor)
    response = editor_client.post(
        reverse("claims:claim_mark_duplicate", args=[repeat.pk]),
        {"original": original.pk, "based_on": seen},
        HTTP_HX_TARGET="similar-claims",
        **HTMX,
    )
    assert response.status_code == 409
    repeat.refresh_from_db()
    assert repeat.duplicate_of is None
