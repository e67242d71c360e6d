"""The domain rules: which status changes are allowed, for whom, on what
conditions; verdicts; assignment and tags; and the history each change writes."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import workflow
from claims.models import Claim, ClaimEvent, Correction, EditConflict, Origin, Rating
from claims.workflow import Status

from .factories import ClaimFactory, EvidenceFactory, TagFactory

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
    """A claim in `status` that meets every condition of leaving it (verdict, rationale, evidence)."""
    verdict = Rating.objects.get(key="half-true")
    published = {}
    if status == Status.PUBLISHED:
        published = {"published_verdict": verdict, "published_at": "2026-11-20T10:00Z"}
    return ClaimFactory(
        status=status, verdict=verdict, rationale="Checked against the record.", evidence=1, **published, **kwargs
    )


def test_the_table_is_exactly_the_documented_workflow():
    assert {(t.source, t.target) for t in workflow.TRANSITIONS} == ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize("source, target", EVERY_PAIR)
def test_every_pair_of_statuses(reviewer, source, target):
    claim = claim_in(source)
    if (source, target) in ALLOWED:
        event = claim.transition(target, by=reviewer, note="why")  # proposed by someone else: verdict_by is empty
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
def test_publishing_needs_a_reviewer(editor):
    claim = claim_in(Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        claim.transition(Status.PUBLISHED, by=editor)
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


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
    assert "set a verdict; write the verdict's rationale" in refused.value.messages[0]


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
    assert blocked[Status.IN_REVIEW] == "Before “Send to review”, set a verdict; write the verdict's rationale."
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


@pytest.mark.django_db
class TestPublishingConditions:
    """Publishing needs a verdict, its rationale, evidence, and a second person."""

    def test_each_missing_condition_is_named(self, reviewer):
        claim = ClaimFactory(in_review=True, rationale=" ")
        with pytest.raises(ValidationError) as refused:
            claim.transition(Status.PUBLISHED, by=reviewer)
        assert refused.value.messages == [
            "Before “Approve and publish”, write the verdict's rationale; add at least one piece of evidence."
        ]

    def test_the_proposer_cannot_approve_their_own_verdict(self, reviewer):
        claim = ClaimFactory(researching=True, evidence=1)
        claim.set_verdict(Rating.objects.get(key="false"), by=reviewer, rationale="No such treaty exists.")
        claim.transition(Status.IN_REVIEW, by=reviewer)
        with pytest.raises(ValidationError) as refused:
            claim.transition(Status.PUBLISHED, by=reviewer)
        assert "a reviewer other than you" in refused.value.messages[0]
        claim.refresh_from_db()
        assert claim.status == Status.IN_REVIEW

    def test_a_second_reviewer_publishes_and_readers_see_that_verdict(self, editor, reviewer):
        claim = ClaimFactory(researching=True, evidence=1)
        claim.set_verdict(Rating.objects.get(key="false"), by=editor, rationale="No such treaty exists.")
        claim.transition(Status.IN_REVIEW, by=editor)
        claim.transition(Status.PUBLISHED, by=reviewer)
        claim.refresh_from_db()
        assert (claim.status, claim.verdict_by, claim.published_by) == (Status.PUBLISHED, editor, reviewer)
        assert (claim.published_verdict.key, claim.published_rationale) == ("false", "No such treaty exists.")

    def test_superusers_are_bound_by_the_two_person_rule_too(self, superuser):
        claim = ClaimFactory(in_review=True, evidence=1, verdict_by=superuser)
        reason = dict((t.target, r) for t, r in workflow.available_transitions(claim, superuser))[Status.PUBLISHED]
        assert "a reviewer other than you" in reason

    @pytest.mark.parametrize("target", [Status.RESEARCHING])
    def test_asking_for_more_evidence_needs_a_note(self, reviewer, target):
        claim = claim_in(Status.IN_REVIEW)
        with pytest.raises(ValidationError) as refused:
            claim.transition(target, by=reviewer, note="  ")
        assert refused.value.message_dict == {"note": ["Say what is missing, so the editor knows what to look for."]}
        claim.transition(target, by=reviewer, note="Find the 1999 central bank table.")
        assert claim.events.get().note == "Find the 1999 central bank table."


@pytest.mark.django_db
class TestCorrections:
    def published_claim(self, editor, reviewer):
        claim = ClaimFactory(researching=True, evidence=1)
        claim.set_verdict(Rating.objects.get(key="mostly-true"), by=editor, rationale="Close to the bank's figure.")
        claim.transition(Status.IN_REVIEW, by=editor)
        claim.transition(Status.PUBLISHED, by=reviewer)
        return claim

    def test_a_published_verdict_changes_only_through_a_correction(self, editor, other_editor, reviewer):
        claim = self.published_claim(editor, reviewer)
        with pytest.raises(ValidationError) as refused:
            claim.set_verdict(Rating.objects.get(key="false"), by=editor, rationale="Wrong year.")
        assert refused.value.messages == ["The verdict is published; open a correction to change it."]

        claim.transition(Status.RESEARCHING, by=other_editor, note="The bank revised its 2016 table.")
        correction = Correction.objects.get(claim=claim)
        assert correction.is_open and correction.old_verdict.key == "mostly-true"
        claim.refresh_from_db()
        assert claim.under_correction
        assert claim.published_verdict.key == "mostly-true"  # readers still see it until the correction is approved

        claim.set_verdict(Rating.objects.get(key="false"), by=other_editor, rationale="The revised table says 0.")
        claim.transition(Status.IN_REVIEW, by=other_editor)
        claim.transition(Status.PUBLISHED, by=reviewer)
        correction.refresh_from_db()
        claim.refresh_from_db()
        assert (correction.old_verdict.key, correction.new_verdict.key) == ("mostly-true", "false")
        assert (correction.reason, correction.opened_by, correction.published_by) == (
            "The bank revised its 2016 table.",
            other_editor,
            reviewer,
        )
        assert claim.published_verdict.key == "false" and claim.corrected_at == correction.published_at
        event = claim.events.filter(field="correction").get()
        assert (event.old_label, event.new_label, event.note) == ("Mostly true", "False", correction.reason)

    def test_a_correction_needs_its_reason(self, editor, reviewer):
        claim = self.published_claim(editor, reviewer)
        with pytest.raises(ValidationError):
            claim.transition(Status.RESEARCHING, by=editor)
        assert not Correction.objects.exists()


@pytest.mark.django_db
class TestNoLostUpdates:
    def test_every_change_bumps_the_version(self, editor, reviewer):
        claim = ClaimFactory(researching=True)
        versions = [claim.version]
        claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale="Matches.")
        versions.append(claim.version)
        claim.assign(editor, by=editor)
        versions.append(claim.version)
        claim.add_tag(TagFactory(), by=reviewer)
        versions.append(claim.version)
        assert versions == [1, 2, 3, 4]
        assert list(claim.events.order_by("id").values_list("version", flat=True)) == [2, 3, 4]

    def test_a_change_based_on_a_stale_copy_is_refused_and_says_what_changed(self, editor, other_editor):
        claim = ClaimFactory(researching=True)
        seen = claim.version
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="Matches the table.")
        mine = type(claim).objects.get(pk=claim.pk)
        with pytest.raises(EditConflict) as conflict:
            mine.set_verdict(Rating.objects.get(key="false"), by=editor, rationale="Wrong.", based_on=seen)
        assert [(e.actor, e.new_label) for e in conflict.value.changes] == [(other_editor, "True")]
        claim.refresh_from_db()
        assert (claim.verdict.key, claim.rationale, claim.version) == ("true", "Matches the table.", seen + 1)

    @pytest.mark.parametrize("change", ["transition", "assign", "assign_reviewer", "add_tag"])
    def test_every_change_checks_the_version(self, editor, reviewer, superuser, change):
        claim = ClaimFactory()
        claim.assign(editor, by=superuser)  # version 2, by someone else than who acts below
        calls = {
            "transition": lambda: claim.transition(Status.RESEARCHING, by=editor, based_on=1),
            "assign": lambda: claim.assign(reviewer, by=editor, based_on=1),
            "assign_reviewer": lambda: claim.assign_reviewer(reviewer, by=editor, based_on=1),
            "add_tag": lambda: claim.add_tag(TagFactory(), by=reviewer, based_on=1),
        }
        with pytest.raises(EditConflict):
            calls[change]()
        claim.refresh_from_db()
        assert (claim.version, claim.status, claim.events.count()) == (2, Status.NEW, 1)

    def test_my_own_changes_since_are_not_a_conflict(self, editor):
        """The verdict panel saved a moment ago; the status panel's copy is older but saw nothing new."""
        claim = ClaimFactory(researching=True)
        claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale="Matches.", based_on=1)
        claim.transition(Status.IN_REVIEW, by=editor, based_on=1)
        claim.refresh_from_db()
        assert (claim.status, claim.version) == (Status.IN_REVIEW, 3)

    def test_the_conflict_lists_only_the_others_changes(self, editor, other_editor):
        claim = ClaimFactory(researching=True)
        claim.assign(other_editor, by=editor)
        claim.set_verdict(Rating.objects.get(key="true"), by=other_editor, rationale="Matches.")
        with pytest.raises(EditConflict) as conflict:
            claim.transition(Status.NOT_CHECKWORTHY, by=editor, based_on=1)
        assert [event.field for event in conflict.value.changes] == ["verdict"]

    def test_only_reviewers_can_be_asked_to_review(self, editor, other_editor):
        with pytest.raises(ValidationError):
            ClaimFactory().assign_reviewer(other_editor, by=editor)


@pytest.mark.django_db
def test_every_change_leaves_an_audit_row_with_who_and_what(editor):
    claim = ClaimFactory(researching=True)
    claim.set_verdict(Rating.objects.get(key="true"), by=editor, rationale="Matches.")
    latest, before = claim.history.all()[:2]
    assert (latest.history_user, latest.history_type) == (editor, "~")
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(before).changes}
    assert changes["rationale"] == ("", "Matches.")
    assert changes["verdict"] == (None, claim.verdict_id)
    assert (before.version, latest.version) == (1, 2)


@pytest.mark.django_db
def test_a_deleted_record_keeps_its_audit_trail(editor):
    evidence = EvidenceFactory()
    pk = evidence.pk
    evidence._history_user = editor
    evidence.delete()
    deleted = evidence.history.model.objects.get(id=pk, history_type="-")
    assert (deleted.history_user, deleted.url) == (editor, evidence.url)


class TestMovingManyClaimsAtOnce:
    def test_each_claim_is_checked_and_every_move_is_recorded(self, editor, reviewer):
        new = ClaimFactory.create_batch(3)
        published = ClaimFactory(published=True, evidence=1)
        in_review = ClaimFactory(in_review=True, verdict_by=reviewer, evidence=1)
        queryset = Claim.objects.filter(pk__in=[c.pk for c in [*new, published, in_review]])

        moved, refused = queryset.transition_all(Status.RESEARCHING, by=editor, origin=Origin.ADMIN)

        assert {claim.pk for claim in moved} == {c.pk for c in new}
        # Opening a correction and asking for more evidence both need a note saying why.
        reasons = {claim.pk: " ".join(error.messages) for claim, error in refused}
        assert reasons.keys() == {published.pk, in_review.pk}
        assert reasons[published.pk] == workflow.find_transition(Status.PUBLISHED, Status.RESEARCHING).note_required
        assert reasons[in_review.pk] == workflow.find_transition(Status.IN_REVIEW, Status.RESEARCHING).note_required
        for claim in new:
            claim.refresh_from_db()
            assert claim.status == Status.RESEARCHING and claim.version == 2 and claim.changed_by == editor
            event = claim.events.get()
            assert (event.old_value, event.new_value, event.actor, event.origin, event.version) == (
                Status.NEW,
                Status.RESEARCHING,
                editor,
                Origin.ADMIN,
                2,
            )
            audit = claim.history.order_by("-history_id").first()
            assert (audit.status, audit.history_user, audit.history_origin, audit.history_type) == (
                Status.RESEARCHING,
                editor,
                Origin.ADMIN,
                "~",
            )
        published.refresh_from_db()
        assert published.status == Status.PUBLISHED and published.version == 1

    def test_publishing_in_bulk_keeps_the_two_person_rule_and_the_published_verdict(self, editor, reviewer):
        mine = ClaimFactory(in_review=True, verdict_by=reviewer, evidence=1)
        theirs = ClaimFactory(in_review=True, verdict_by=editor, evidence=1)
        without_evidence = ClaimFactory(in_review=True, verdict_by=editor)
        queryset = Claim.objects.filter(pk__in=[mine.pk, theirs.pk, without_evidence.pk])

        moved, refused = queryset.transition_all(Status.PUBLISHED, by=reviewer)

        assert [claim.pk for claim in moved] == [theirs.pk]
        assert {claim.pk for claim, _ in refused} == {mine.pk, without_evidence.pk}
        theirs.refresh_from_db()
        assert theirs.published_verdict == theirs.verdict and theirs.published_by == reviewer
