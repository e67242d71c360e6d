"""The claim workflow: its statuses, the moves between them, who may make each,
and what must be true of the claim first.

This table is the one place the rules live. Views, admin actions, imports and
commands all go through `Claim.transition()` and `Claim.set_verdict()`, which ask
it; templates only show what `available_transitions()` returns. Admins may rename,
recolour and reorder the statuses (`StatusStyle`), but not change this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

if TYPE_CHECKING:
    from .models import Claim


class Status(models.TextChoices):
    NEW = "new", "New"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    NOT_CHECKWORTHY = "not_checkworthy", "Not check-worthy"


# The default order a desk reads statuses in: the flow of work, then the way out.
STATUS_ORDER = [
    Status.NEW,
    Status.RESEARCHING,
    Status.IN_REVIEW,
    Status.PUBLISHED,
    Status.NOT_CHECKWORTHY,
]

CHANGE_STATUS = "claims.change_claim_status"
SET_VERDICT = "claims.set_claim_verdict"
PUBLISH = "claims.publish_claim"
ASSIGN = "claims.assign_claim"
TAG = "claims.change_claim"
CAPTURE = "claims.add_claim"  # take a claim from a source's text, or place one there again
CORRECT_SOURCE = "claims.change_source"


@dataclass(frozen=True)
class Condition:
    """Something that must be true before a move; `unmet` says what is missing, or None."""

    name: str
    unmet: Callable[[Claim, object], str | None]


def _verdict_set(claim, user):
    return None if claim.verdict_id is not None else "set a verdict"


def _rationale_written(claim, user):
    return None if claim.rationale.strip() else "write the verdict's rationale"


def _evidence_added(claim, user):
    return None if claim.has_evidence() else "add at least one piece of evidence"


def _second_person(claim, user):
    # Fact-checkers publish only what a second person has checked: whoever
    # proposed the verdict cannot also approve it.
    if claim.verdict_by_id is not None and claim.verdict_by_id == user.pk:
        return "have it approved by a reviewer other than you, since you proposed this verdict"
    return None


VERDICT_SET = Condition("verdict_set", _verdict_set)
RATIONALE_WRITTEN = Condition("rationale_written", _rationale_written)
EVIDENCE_ADDED = Condition("evidence_added", _evidence_added)
SECOND_PERSON = Condition("second_person", _second_person)


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # what the button says
    permission: str
    conditions: tuple[Condition, ...] = ()
    note_required: str = ""  # when set, the move needs a note, and this says what it is for
    opens_correction: bool = False  # leaves a published verdict, so a correction records what changes

    @property
    def target_label(self) -> str:
        return Status(self.target).label


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.NEW, Status.RESEARCHING, "Start research", CHANGE_STATUS),
    Transition(Status.NEW, Status.NOT_CHECKWORTHY, "Not check-worthy", CHANGE_STATUS),
    Transition(
        Status.RESEARCHING,
        Status.IN_REVIEW,
        "Send to review",
        CHANGE_STATUS,
        conditions=(VERDICT_SET, RATIONALE_WRITTEN),
    ),
    Transition(Status.RESEARCHING, Status.NOT_CHECKWORTHY, "Not check-worthy", CHANGE_STATUS),
    Transition(
        Status.IN_REVIEW,
        Status.RESEARCHING,
        "Needs more evidence",
        CHANGE_STATUS,
        note_required="Say what is missing, so the editor knows what to look for.",
    ),
    Transition(
        Status.IN_REVIEW,
        Status.PUBLISHED,
        "Approve and publish",
        PUBLISH,
        conditions=(VERDICT_SET, RATIONALE_WRITTEN, EVIDENCE_ADDED, SECOND_PERSON),
    ),
    Transition(
        Status.PUBLISHED,
        Status.RESEARCHING,
        "Open a correction",
        CHANGE_STATUS,
        note_required="Say what needs correcting and why; readers will see it with the corrected verdict.",
        opens_correction=True,
    ),
    Transition(Status.NOT_CHECKWORTHY, Status.NEW, "Reinstate", CHANGE_STATUS),
)


def find_transition(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def needs_verdict(status: str) -> bool:
    """Whether every way into this status needs a verdict, so a claim in it must have one."""
    entries = [transition for transition in TRANSITIONS if transition.target == status]
    return bool(entries) and all(VERDICT_SET in transition.conditions for transition in entries)


def unmet_conditions(claim: Claim, transition: Transition, user) -> list[str]:
    """What is missing before this user may take this transition on the claim, in the table's order."""
    return [reason for condition in transition.conditions if (reason := condition.unmet(claim, user))]


def blocked_reason(claim: Claim, transition: Transition, user) -> str | None:
    """One sentence naming every missing condition, or None if nothing is missing."""
    missing = unmet_conditions(claim, transition, user)
    if not missing:
        return None
    return f"Before “{transition.action}”, {'; '.join(missing)}."


def check_transition(claim: Claim, target: str, user, note: str = "", labels=None) -> Transition:
    """Return the transition from the claim's status to `target`, or refuse it.

    `labels` maps statuses to the names the newsroom gave them, for the messages.
    Raises ValidationError (bad or blocked move) or PermissionDenied (not this user's).
    """
    labels = labels or dict(Status.choices)
    if target not in Status.values:
        raise ValidationError(f"“{target}” is not a status.", code="unknown_status")
    transition = find_transition(claim.status, target)
    if transition is None:
        raise ValidationError(
            f"A claim that is {labels[claim.status].lower()} cannot move to {labels[target].lower()}.",
            code="invalid_transition",
        )
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You are not allowed to “{transition.action}”.")
    reason = blocked_reason(claim, transition, user)
    if reason:
        raise ValidationError(reason, code="condition_unmet")
    if transition.note_required and not note.strip():
        raise ValidationError({"note": transition.note_required}, code="note_required")
    return transition


def available_transitions(claim: Claim, user) -> list[tuple[Transition, str | None]]:
    """The moves this user may make from the claim's status, each with what blocks it now."""
    return [
        (transition, blocked_reason(claim, transition, user))
        for transition in TRANSITIONS
        if transition.source == claim.status and user.has_perm(transition.permission)
    ]


def transitions_for_others(claim: Claim, user) -> list[Transition]:
    """Moves from the claim's status that need rights this user lacks (e.g. publishing)."""
    return [t for t in TRANSITIONS if t.source == claim.status and not user.has_perm(t.permission)]


def verdict_lock(claim: Claim) -> str | None:
    """Why the claim's verdict cannot change in its current status, or None if it can."""
    if claim.duplicate_of_id is not None:
        return f"This claim is a duplicate of #{claim.duplicate_of_id}: its verdict follows that claim's."
    if claim.status == Status.PUBLISHED:
        return "The verdict is published; open a correction to change it."
    if claim.status == Status.NOT_CHECKWORTHY:
        return "The claim is set aside as not check-worthy; reinstate it to give a verdict."
    return None


def check_verdict_change(claim: Claim, user) -> None:
    if not user.has_perm(SET_VERDICT):
        raise PermissionDenied("You are not allowed to set verdicts.")
    reason = verdict_lock(claim)
    if reason:
        raise ValidationError(reason, code="verdict_locked")


def can_change_verdict(claim: Claim, user) -> bool:
    return user.has_perm(SET_VERDICT) and verdict_lock(claim) is None


def check_assignment(user) -> None:
    if not user.has_perm(ASSIGN):
        raise PermissionDenied("You are not allowed to assign claims.")


def check_reviewer(reviewer) -> None:
    """Only someone who may publish can be a claim's reviewer."""
    if reviewer is not None and not reviewer.has_perm(PUBLISH):
        raise ValidationError(f"{reviewer} cannot approve verdicts, so cannot review claims.", code="not_a_reviewer")


def check_tagging(user) -> None:
    if not user.has_perm(TAG):
        raise PermissionDenied("You are not allowed to tag claims.")


def check_duplicate(claim: Claim, original: Claim, user, *, has_duplicates: bool) -> None:
    """Whether `claim` may be marked as repeating `original` (and so follow its verdict)."""
    if not user.has_perm(CHANGE_STATUS):
        raise PermissionDenied("You are not allowed to mark claims as duplicates.")
    if original.pk == claim.pk:
        raise ValidationError("A claim cannot be a duplicate of itself.", code="duplicate_of_itself")
    if original.duplicate_of_id is not None:
        raise ValidationError(
            f"#{original.pk} is itself a duplicate of #{original.duplicate_of_id}: mark this claim as a duplicate "
            f"of #{original.duplicate_of_id}.",
            code="duplicate_of_duplicate",
        )
    if claim.duplicate_of_id is not None:
        raise ValidationError(
            f"This claim is already a duplicate of #{claim.duplicate_of_id}.", code="already_duplicate"
        )
    if has_duplicates:
        raise ValidationError(
            "Other claims are duplicates of this one: mark the original of those instead.", code="has_duplicates"
        )
    if claim.status == Status.PUBLISHED or claim.published_at is not None:
        raise ValidationError("This claim's verdict has been published; it keeps its own.", code="duplicate_published")


def check_duplicate_removal(claim: Claim, user) -> None:
    if not user.has_perm(CHANGE_STATUS):
        raise PermissionDenied("You are not allowed to mark claims as duplicates.")
    if claim.duplicate_of_id is None:
        raise ValidationError("This claim is not marked as a duplicate.", code="not_duplicate")


def check_quote_change(claim: Claim, user) -> None:
    if not user.has_perm(CAPTURE):
        raise PermissionDenied("You are not allowed to place claims in their sources.")
