"""Who has what to do now, and what changed while they were not looking.

A person's queue is the claims waiting for them: claims they are the editor of
that are new or being researched, claims they are asked to review, and, for
those who may publish, claims in review that nobody has been asked to review and
that they did not propose the verdict of (the two-person rule). It is read
oldest-waiting first, by (`updated_at`, `id`): a stable order a person can walk.

Review mode walks the queue by `Cursor`, the place of a claim in that order as
it was shown, not by position or by the next claim's id: acting on a claim
changes its `updated_at` (it goes to the back of the queue, or leaves it), and
others act on claims too, so "the claim after this one" is looked up when it is
asked for, after the cursor of the claim the person was looking at.

"Changed since I last looked" uses `ClaimVisit`, which the claim page writes:
a claim someone else changed (`changed_by`, `updated_at`) after the person's
last visit of it. Claims never opened are not listed: nobody has seen them to
miss a change.
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import reduce

from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from . import workflow
from .models import Claim, ClaimVisit
from .workflow import Status

EDITOR_WORK = [Status.NEW, Status.RESEARCHING]  # what an editor does next with a claim assigned to them
QUEUE_ORDER = ["updated_at", "id"]  # oldest-waiting first; the id keeps claims changed in the same instant apart


class Reason(models.TextChoices):
    """Why a claim is in someone's queue, in the words the queue shows."""

    ASSIGNED = "assigned", "assigned to you"
    REVIEWER = "reviewer", "you are the reviewer"
    NEEDS_REVIEWER = "needs_reviewer", "waiting for a reviewer"


def _reasons(user) -> list[tuple[Reason, Q]]:
    """Each reason a claim may be in this user's queue with its condition, first reason first when several hold."""
    reasons = [
        (Reason.ASSIGNED, Q(assignee=user, status__in=EDITOR_WORK)),
        (Reason.REVIEWER, Q(reviewer=user, status=Status.IN_REVIEW)),
    ]
    if user.has_perm(workflow.PUBLISH):
        # Someone else's proposal that no reviewer has been asked to approve yet.
        # (~Q keeps claims without a proposer: Django's negation includes NULLs.)
        reasons.append((Reason.NEEDS_REVIEWER, Q(reviewer__isnull=True, status=Status.IN_REVIEW) & ~Q(verdict_by=user)))
    return reasons


def queue_claims(user) -> QuerySet[Claim]:
    """The claims in this user's queue, oldest-waiting first (no joins: for counting and walking)."""
    condition = reduce(operator.or_, (condition for _, condition in _reasons(user)))
    return Claim.objects.filter(condition).order_by(*QUEUE_ORDER)


def my_queue(user) -> QuerySet[Claim]:
    """The claims in this user's queue, ready to list: each with `queue_reason` (a key of
    `Reason`) and `queue_reason_label` (the words), its badges' data joined in."""
    reasons = _reasons(user)
    return (
        queue_claims(user)
        .select_related("verdict")
        .annotate(
            queue_reason=Case(
                *(When(condition, then=Value(reason.value)) for reason, condition in reasons), output_field=CharField()
            ),
            queue_reason_label=Case(
                *(When(condition, then=Value(reason.label)) for reason, condition in reasons), output_field=CharField()
            ),
        )
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_PATTERN = re.compile(r"^(\d{1,20})-(\d{1,20})$")


def _to_micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _from_micros(micros: int) -> datetime | None:
    try:
        return EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        return None


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in the queue's order: a claim's (`updated_at`, `id`) as it was shown.

    Written into addresses as "<microseconds since 1970>-<id>", exact to the
    microsecond the database keeps, so it round-trips without loss."""

    updated_at: datetime
    pk: int

    @classmethod
    def of(cls, claim: Claim) -> Cursor:
        return cls(claim.updated_at, claim.pk)

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor written in `text`, or None if it is not one."""
        match = CURSOR_PATTERN.match(text or "")
        if not match:
            return None
        moment = _from_micros(int(match[1]))
        return cls(moment, int(match[2])) if moment else None

    def __str__(self) -> str:
        return f"{_to_micros(self.updated_at)}-{self.pk}"

    def after(self) -> Q:
        return Q(updated_at__gt=self.updated_at) | Q(updated_at=self.updated_at, pk__gt=self.pk)

    def before(self) -> Q:
        return Q(updated_at__lt=self.updated_at) | Q(updated_at=self.updated_at, pk__lt=self.pk)


def first_in_queue(user) -> int | None:
    """The id of the claim that has waited longest in the user's queue."""
    return queue_claims(user).values_list("pk", flat=True).first()


def next_in_queue(user, cursor: Cursor) -> int | None:
    """The id of the first claim of the queue after `cursor`, as the queue is now."""
    return queue_claims(user).filter(cursor.after()).values_list("pk", flat=True).first()


def previous_in_queue(user, cursor: Cursor) -> int | None:
    """The id of the last claim of the queue before `cursor`, as the queue is now."""
    return queue_claims(user).filter(cursor.before()).values_list("pk", flat=True).last()


@dataclass(frozen=True)
class Place:
    """Where a claim stands in a person's queue: review mode's "3 of 12" and its Previous / Next."""

    cursor: Cursor
    position: int | None  # counted from 1; None when the claim is not (or no longer) in the queue
    total: int
    has_previous: bool
    has_next: bool

    @property
    def in_queue(self) -> bool:
        return self.position is not None


def place_in_queue(user, claim: Claim) -> Place:
    """The claim's place in the user's queue, read in one query (a queue is tens of claims, not thousands)."""
    places = [Cursor(updated_at, pk) for updated_at, pk in queue_claims(user).values_list(*QUEUE_ORDER)]
    cursor = Cursor.of(claim)
    index = bisect.bisect_left(places, cursor)
    in_queue = index < len(places) and places[index] == cursor
    return Place(
        cursor=cursor,
        position=index + 1 if in_queue else None,
        total=len(places),
        has_previous=index > 0,
        has_next=index + in_queue < len(places),
    )


def changed_since_seen(user) -> QuerySet[Claim]:
    """Claims this user has opened before and someone else changed after their last look,
    most recent change first, each with `changed_by` joined and `seen_at` (that last look)."""
    # One filter() call, so the visit that matches the user is the visit compared with (one join).
    return (
        Claim.objects.filter(visits__user=user, visits__seen_at__lt=F("updated_at"))
        .exclude(changed_by=user)
        .annotate(seen_at=F("visits__seen_at"))
        .select_related("changed_by")
        .order_by("-updated_at", "-id")
    )


def changed_since_seen_condition(user) -> Q:
    """The same test as `changed_since_seen`, as a condition on each claim of a query, to
    annotate a list with it: no query of its own, an index lookup per claim listed."""
    looked_before = ClaimVisit.objects.filter(user=user, claim=OuterRef("pk"), seen_at__lt=OuterRef("updated_at"))
    return Q(Exists(looked_before)) & ~Q(changed_by=user)


def record_visit(user, claim: Claim) -> None:
    """Remember that the user has just looked at the claim as it is now: one upsert
    (INSERT … ON CONFLICT DO UPDATE), not a read then a write in a transaction."""
    ClaimVisit.objects.bulk_create(
        [ClaimVisit(user=user, claim=claim, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "claim"],
        update_fields=["seen_at"],
    )


def seen_mark(moment: datetime) -> str:
    """`moment` written for a form, for `mark_all_seen` to read back (see `parse_seen_mark`)."""
    return str(_to_micros(moment))


def parse_seen_mark(text: str | None) -> datetime | None:
    return _from_micros(int(text)) if text and text.isdigit() and len(text) <= 20 else None


def mark_all_seen(user, as_of: datetime | None = None) -> int:
    """Count every claim the user has opened as seen as of `as_of` (the moment the list they
    looked at was made; now at the latest), so only changes made after it are listed again.
    Returns how many visits moved."""
    now = timezone.now()
    as_of = min(as_of, now) if as_of else now
    return ClaimVisit.objects.filter(user=user, seen_at__lt=as_of).update(seen_at=as_of)
