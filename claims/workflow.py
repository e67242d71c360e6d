"""The claim workflow: its statuses, the moves between them, and who may make each.

This table is the one place the rules live. Views, admin actions, imports and
commands all go through `Claim.transition()` and `Claim.set_verdict()`, which ask
it; templates only show what `available_transitions()` returns.
"""

from __future__ import annotations

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


# The order a desk reads statuses in: the flow of work, then the way out.
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


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # what the button says
    permission: str
    needs_verdict: bool = False

    @property
    def target_label(self) -> str:
        return Status(self.target).label


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.NEW, Status.RESEARCHING, "Start research", CHANGE_STATUS),
    Transition(Status.NEW, Status.NOT_CHECKWORTHY, "Not check-worthy", CHANGE_STATUS),
    Transition(Status.RESEARCHING, Status.IN_REVIEW, "Send to review", CHANGE_STATUS, needs_verdict=True),
    Transition(Status.RESEARCHING, Status.NOT_CHECKWORTHY, "Not check-worthy", CHANGE_STATUS),
    Transition(Status.IN_REVIEW, Status.RESEARCHING, "Needs more evidence", CHANGE_STATUS),
    Transition(Status.IN_REVIEW, Status.PUBLISHED, "Approve and publish", PUBLISH, needs_verdict=True),
    Transition(Status.PUBLISHED, Status.RESEARCHING, "Reopen", PUBLISH),
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
    return bool(entries) and all(transition.needs_verdict for transition in entries)


def unmet_condition(claim: Claim, transition: Transition) -> str | None:
    """Why the claim cannot take this transition now, or None if it can."""
    if transition.needs_verdict and claim.verdict_id is None:
        return f"Set a verdict before “{transition.action}”."
    return None


def check_transition(claim: Claim, target: str, user) -> Transition:
    """Return the transition from the claim's status to `target`, or refuse it.

    Raises ValidationError (bad or blocked move) or PermissionDenied (not this user's).
    """
    if target not in Status.values:
        raise ValidationError(f"“{target}” is not a status.", code="unknown_status")
    transition = find_transition(claim.status, target)
    if transition is None:
        raise ValidationError(
            f"A claim that is {Status(claim.status).label.lower()} cannot move to {Status(target).label.lower()}.",
            code="invalid_transition",
        )
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You are not allowed to “{transition.action}”.")
    reason = unmet_condition(claim, transition)
    if reason:
        raise ValidationError(reason, code="condition_unmet")
    return transition


def available_transitions(claim: Claim, user) -> list[tuple[Transition, str | None]]:
    """The moves this user may make from the claim's status, each with what blocks it now."""
    return [
        (transition, unmet_condition(claim, transition))
        for transition in TRANSITIONS
        if transition.source == claim.status and user.has_perm(transition.permission)
    ]


def verdict_lock(claim: Claim) -> str | None:
    """Why the claim's verdict cannot change in its current status, or None if it can."""
    if claim.status == Status.PUBLISHED:
        return "The verdict is published; a reviewer must reopen the claim to change it."
    if claim.status == Status.NOT_CHECKWORTHY:
        return "The claim is set aside as not check-worthy; reinstate it to give a verdict."
    return None


def transitions_for_others(claim: Claim, user) -> list[Transition]:
    """Moves from the claim's status that need rights this user lacks (e.g. publishing)."""
    return [t for t in TRANSITIONS if t.source == claim.status and not user.has_perm(t.permission)]


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


def check_tagging(user) -> None:
    if not user.has_perm(TAG):
        raise PermissionDenied("You are not allowed to tag claims.")
