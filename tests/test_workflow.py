"""The domain rules: which status changes are allowed, for whom, on what
conditions; verdicts; assignment and tags; and the history each change writes."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import workflow
from claims.models import ClaimEvent, Origin, Rating
from claims.workflow import Status

from .factories import ClaimFactory, TagFactory

ALLOWED = {
    (Status.NEW, Status.RESEARCHING),
    (Status.NEW, Status.NOT_CHECKWORTHY),
    (Status.RESEARCHING, Status.IN_REVIEW),
    (Status.RESEARCHING, Status.NOT_CHECKWORTHY),
    (Status.IN_REVIEW, Status.RESEARCHING),
    (Status.IN_REVIEW, Status.PUBLISHED),
    (Status.PUBLISHED, Status.RESEARCHING),
    (Status.NOT_CHECKWORTHY, Status.NEW),
}
EVERY_PAIR = list(itertools.product(Status.values, repeat=2))


def claim_in(status, **kwargs):
    verdict = Rating.objects.get(key="half-true")
    return ClaimFactory(status=status, verdict=verdict, rationale="Checked against the record.", **kwargs)


def test_the_table_is_exactly_the_documented_workflow():
    assert {(t.source, t.target) for t in workflow.TRANSITIONS} == ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize("source, target", EVERY_PAIR)
def test_every_pair_of_statuses(reviewer, source, target):
    claim = claim_in(source)
    if (source, target) in ALLOWED:
        event = claim.transition(target, by=reviewer, note="why")
        claim.refresh_from_db()
        assert claim.status == target
        assert (event.old_value, event.new_value, event.actor, event.note) == (source, target, reviewer, "why")
    else:
        with pytest.raises(ValidationError) as refused:
            claim.transition(target, by=reviewer)
        assert refused.value.code == "invalid_transition"
        claim.refresh_from_db()
        assert claim.status == source
        assert not claim.events.exists()


@pytest.mark.django_db
def test_unknown_status_is_refused(reviewer):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as refused:
        claim.transition("done", by=reviewer)
    assert refused.value.code == "unknown_status"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source, target", [(Status.IN_REVIEW, Status.PUBLISHED), (Status.PUBLISHED, Status.RESEARCHING)]
)
def test_publishing_and_reopening_need_a_reviewer(editor, source, target):
    claim = claim_in(source)
    with pytest.raises(PermissionDenied):
        claim.transition(target, by=editor)
    claim.refresh_from_db()
    assert claim.status == source


@pytest.mark.django_db
def test_viewers_cannot_move_claims(viewer):
    with pytest.raises(PermissionDenied):
        ClaimFactory().transition(Status.RESEARCHING, by=viewer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source, target", [(Status.RESEARCHING, Status.IN_REVIEW), (Status.IN_REVIEW, Status.PUBLISHED)]
)
def test_review_and_publishing_need_a_verdict(reviewer, source, target):
    claim = ClaimFactory(status=source)
    with pytest.raises(ValidationError) as refused:
        claim.transition(target, by=reviewer)
    assert refused.value.code == "condition_unmet"
    assert "Set a verdict" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_stale_copy_is_checked_against_the_database(editor):
    """Two editors load the same claim; the second move starts from what the first left."""
    first = ClaimFactory()
    second = type(first).objects.get(pk=first.pk)
    first.transition(Status.NOT_CHECKWORTHY, by=editor)
    with pytest.raises(ValidationError):
        second.transition(Status.IN_REVIEW, by=editor)  # from not check-worthy: not allowed
    first.refresh_from_db()
    assert first.status == Status.NOT_CHECKWORTHY


@pytest.mark.django_db
def test_available_transitions_are_what_the_user_may_do(editor, reviewer):
    claim = claim_in(Status.IN_REVIEW)
    assert [t.target for t, _ in workflow.available_transitions(claim, editor)] == [Status.RESEARCHING]
    assert [t.target for t, _ in workflow.available_transitions(claim, reviewer)] == [
        Status.RESEARCHING,
        Status.PUBLISHED,
    ]
    assert [t.action for t in workflow.transitions_for_others(claim, editor)] == ["Approve and publish"]


@pytest.mark.django_db
def test_available_transitions_say_what_blocks_them(editor):
    claim = ClaimFactory(status=Status.RESEARCHING)
    blocked = dict((t.target, reason) for t, reason in workflow.available_transitions(claim, editor))
    assert blocked[Status.IN_REVIEW] == "Set a verdict before “Send to review”."
    assert blocked[Status.NOT_CHECKWORTHY] is None


@pytest.mark.django_db
class TestVerdicts:
    def test_setting_a_verdict_records_it(self, editor):
        claim = ClaimFactory(researching=True)
        rating = Rating.objects.get(key="mostly-false")
        event = claim.set_verdict(rating, by=editor, rationale="  Off by a factor of ten.  ")
        claim.refresh_from_db()
        assert claim.verdict == rating
        assert claim.rationale == "Off by a factor of ten."
        assert (event.field, event.old_value, event.new_value, event.new_label) == (
            "verdict",
            "",
            "mostly-false",
            "Mostly false",
        )

    def test_a_rationale_is_required(self, editor):
        claim = ClaimFactory()
        with pytest.raises(ValidationError):
            claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale=" ")
        assert not claim.events.exists()

    def test_an_unchanged_verdict_is_not_recorded_twice(self, editor):
        claim = ClaimFactory()
        claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale="Same")
        with pytest.raises(ValidationError) as refused:
            claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale="Same")
        assert refused.value.code == "unchanged"
        assert claim.events.count() == 1

    @pytest.mark.parametrize("status", [Status.PUBLISHED, Status.NOT_CHECKWORTHY])
    def test_locked_when_published_or_set_aside(self, reviewer, status):
        claim = claim_in(status)
        with pytest.raises(ValidationError) as refused:
            claim.set_verdict(Rating.objects.get(key="false"), by=reviewer, rationale="Changed my mind")
        assert refused.value.code == "verdict_locked"
        claim.refresh_from_db()
        assert claim.verdict.key == "half-true"

    def test_viewers_cannot_rate(self, viewer):
        with pytest.raises(PermissionDenied):
            ClaimFactory().set_verdict(Rating.objects.get(key="true"), by=viewer, rationale="x")

    def test_the_scale_runs_from_false_to_true(self):
        values = dict(Rating.objects.values_list("key", "value"))
        assert values["true"] > values["mostly-true"] > values["half-true"] > values["mostly-false"] > values["false"]
        assert values["misleading"] < values["half-true"]
        assert values["unverifiable"] is None


@pytest.mark.django_db
class TestAssignmentAndTags:
    def test_assignment_is_recorded_once(self, editor, other_editor):
        claim = ClaimFactory()
        event = claim.assign(other_editor, by=editor, origin=Origin.ADMIN)
        assert (event.field, event.old_value, event.new_value, event.origin) == ("assignee", "", "edna", "admin")
        assert claim.assign(other_editor, by=editor) is None
        assert claim.events.count() == 1

    def test_viewers_cannot_assign(self, viewer, editor):
        with pytest.raises(PermissionDenied):
            ClaimFactory().assign(editor, by=viewer)

    def test_tags_added_and_removed_are_recorded(self, reviewer):
        claim = ClaimFactory()
        tag = TagFactory(name="defence")
        claim.add_tag(tag, by=reviewer)
        assert claim.add_tag(tag, by=reviewer) is None
        claim.remove_tag(tag, by=reviewer)
        assert list(claim.tags.all()) == []
        assert list(claim.events.order_by("id").values_list("old_value", "new_value")) == [
            ("", "defence"),
            ("defence", ""),
        ]

    def test_editors_do_not_tag(self, editor):
        with pytest.raises(PermissionDenied):
            ClaimFactory().add_tag(TagFactory(), by=editor)


@pytest.mark.django_db
def test_history_keeps_the_labels_of_its_time(reviewer):
    claim = ClaimFactory(researching=True)
    rating = Rating.objects.get(key="false")
    claim.set_verdict(rating, by=reviewer, rationale="No record of it")
    rating.label = "Pants on fire"
    rating.save()
    assert ClaimEvent.objects.get().new_label == "False"
