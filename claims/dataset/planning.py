"""What to make before any row is written: the sizes, the distributions, and what each claim goes
through within the history budget."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
from datetime import timedelta

from django.core.management.base import CommandError

from ..workflow import Status

SPAN = timedelta(days=3 * 365)
STATUS_SHARES = {  # in the order an older claim is likelier to have reached
    Status.PUBLISHED: 0.30,
    Status.RESEARCHING: 0.30,
    Status.IN_REVIEW: 0.10,
    Status.NEW: 0.25,
    Status.NOT_CHECKWORTHY: 0.05,
}
VERDICT_SHARES = {  # fact-checkers mostly check what turns out false
    "false": 0.28,
    "mostly-false": 0.22,
    "misleading": 0.12,
    "half-true": 0.15,
    "mostly-true": 0.10,
    "true": 0.07,
    "unverifiable": 0.06,
}
ASSIGNED_SHARE = {  # most unassigned claims are new ones nobody has picked up
    Status.NEW: 0.35,
    Status.RESEARCHING: 0.97,
    Status.IN_REVIEW: 1.0,
    Status.PUBLISHED: 0.98,
    Status.NOT_CHECKWORTHY: 0.5,
}
TAGS_PER_CLAIM = [0.25, 0.35, 0.22, 0.12, 0.06]  # share of claims with 0, 1, 2, 3, 4 tags
IMPORTED_SHARE = 0.08  # claims that arrived by import: assignee and tags recorded with the claim
ORPHANED_SHARE = 0.005
PADDING_SHARE = 0.12  # of the history budget, kept for long timelines (loops, corrections, reassignments)
MAX_EXTRAS_PER_CLAIM = 40

# Timeline row costs (ClaimEvent + HistoricalClaim) of what a claim's history may hold beyond its status
# path. A later change is one event and one new version (one audit row); what arrives with an imported
# claim is one event in its first version.
EXTRA_COSTS = {
    "verdict_revision": 2,
    "reassign": 2,
    "reviewer_change": 2,
    "evidence_loop": 4,  # in review, back to research for more evidence, in review again
    "reinstate": 4,  # not check-worthy, reinstated, set aside again
    "under_correction": 6,  # sent, published, a correction opened: researching again
    "correction": 9,  # a correction opened, a new verdict, sent, published (two events)
}
# How often one claim goes through each (beyond these, a long timeline is reassignments and verdict changes).
EXTRA_LIMITS = {"reviewer_change": 3, "evidence_loop": 4, "reinstate": 2, "under_correction": 1, "correction": 3}


@dataclasses.dataclass(frozen=True)
class Sizes:
    claims: int = 100_000
    sources: int = 20_000
    annotations: int = 500_000
    history: int = 1_000_000
    editors: int = 40
    reviewers: int = 10
    claimants: int | None = None  # one per 20 claims (5,000 by default)
    tags: int | None = None  # one per 500 claims, 10 to 200

    def scaled(self, factor: float) -> Sizes:
        return dataclasses.replace(
            self,
            claims=round(self.claims * factor),
            sources=round(self.sources * factor),
            annotations=round(self.annotations * factor),
            history=round(self.history * factor),
        )

    @property
    def claimant_count(self) -> int:
        return self.claimants if self.claimants is not None else max(10, self.claims // 20)

    @property
    def tag_count(self) -> int:
        return self.tags if self.tags is not None else min(200, max(10, self.claims // 500))


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights of a Zipf-like popularity over n items (rank 1 most popular)."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, n + 1)))


def shares(total: int, weights: dict) -> dict:
    """`total` split by the weights, rounded so the parts add up exactly (largest remainders)."""
    norm = sum(weights.values())
    exact = {key: total * weight / norm for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(weights, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


@dataclasses.dataclass(slots=True)
class ClaimPlan:
    """What a claim went through, decided before any row is written so the history adds up exactly."""

    status: str
    imported: bool = False
    assigned: bool = False
    assignment_recorded: bool = False
    reviewer: bool = False
    reviewer_recorded: bool = False
    verdict: bool = False
    tags: int = 0
    tags_recorded: int = 0
    researched_first: bool = False  # set aside only after some research
    orphan: bool = False
    extras: list[str] = dataclasses.field(default_factory=list)

    def base_cost(self) -> int:
        """Timeline and audit rows of its creation and its path to its status, which every claim has."""
        rows = 2  # created: its first audit row and the event "new"
        rows += {
            Status.NEW: 0,
            Status.NOT_CHECKWORTHY: 2 + (2 if self.researched_first else 0),
            Status.RESEARCHING: 2 + (2 if self.verdict else 0),
            Status.IN_REVIEW: 6,  # research, verdict, review
            Status.PUBLISHED: 8,  # research, verdict, review, publication
        }[self.status]
        return rows + (2 if self.orphan else 0)

    def change_cost(self) -> int:
        """An assignment or a tag: an event of its first version when imported, else an event and a version."""
        return 1 if self.imported else 2

    def extras_allowed(self) -> list[str]:
        allowed = []
        if self.verdict:
            allowed.append("verdict_revision")
        if self.assignment_recorded:
            allowed.append("reassign")
        if self.reviewer_recorded:
            allowed.append("reviewer_change")
        if self.status in (Status.IN_REVIEW, Status.PUBLISHED):
            allowed.append("evidence_loop")
        if self.status == Status.PUBLISHED:
            allowed.append("correction")
        if self.status == Status.NOT_CHECKWORTHY:
            allowed.append("reinstate")
        if self.status == Status.RESEARCHING and self.verdict:
            allowed.append("under_correction")
        return [extra for extra in allowed if self.extras.count(extra) < EXTRA_LIMITS.get(extra, MAX_EXTRAS_PER_CLAIM)]


def plan_claims(
    rng: random.Random, count: int, history: int, *, max_tags: int, orphan_candidates: set[int]
) -> list[ClaimPlan]:
    """Statuses, people, tags and timeline shapes of `count` claims, oldest first, whose timeline and
    audit rows add up to exactly `history`. Orphans are chosen among `orphan_candidates` (one claim per
    source, since one correction of a source's text orphans at most one claim here)."""
    if count == 0:
        if history:
            raise CommandError("History rows need claims to belong to.")
        return []
    # Older claims are likelier to be finished: statuses go to claims by age, with plenty of noise.
    counts = shares(count, STATUS_SHARES)
    set_aside = rng.sample(range(count), counts.pop(Status.NOT_CHECKWORTHY))
    statuses = dict.fromkeys(set_aside, Status.NOT_CHECKWORTHY)
    skipped = set(set_aside)
    by_age = sorted((i for i in range(count) if i not in skipped), key=lambda i: i / count + rng.gauss(0, 0.25))
    position = 0
    for status, number in counts.items():
        statuses.update(dict.fromkeys(by_age[position : position + number], status))
        position += number
    orphan_count = min(len(orphan_candidates), max(round(ORPHANED_SHARE * count), 1 if count >= 100 else 0))
    orphans = set(rng.sample(sorted(orphan_candidates), orphan_count))
    tag_weights = TAGS_PER_CLAIM[: max_tags + 1]

    plans = []
    for index in range(count):
        status = statuses[index]
        plan = ClaimPlan(status=status)
        plan.imported = rng.random() < IMPORTED_SHARE
        plan.assigned = rng.random() < ASSIGNED_SHARE[status]
        plan.verdict = status in (Status.IN_REVIEW, Status.PUBLISHED) or (
            status == Status.RESEARCHING and rng.random() < 0.4
        )
        plan.reviewer = rng.random() < {Status.IN_REVIEW: 0.65, Status.PUBLISHED: 0.8}.get(status, 0)
        plan.tags = rng.choices(range(len(tag_weights)), weights=tag_weights)[0]
        plan.researched_first = status == Status.NOT_CHECKWORTHY and rng.random() < 0.3
        plan.orphan = index in orphans
        plans.append(plan)

    budget = history - sum(plan.base_cost() for plan in plans)
    if budget < 0:
        raise CommandError(
            f"{history:,} history rows are too few for {count:,} claims: their status timelines alone need "
            f"{history - budget:,}. Ask for more history rows or fewer claims."
        )
    # Keep a share for long timelines; the rest shows, as far as it goes, who works on each claim, who
    # reviews it and its tags. What is not recorded is still on the claim, as if set before the timeline began.
    padding = min(round(budget * 0.3), round(history * PADDING_SHARE))
    budget -= padding
    for plan in rng.sample(plans, count):
        if plan.assigned and plan.change_cost() <= budget:
            plan.assignment_recorded = True
            budget -= plan.change_cost()
    for plan in rng.sample(plans, count):
        if plan.reviewer and budget >= 2:
            plan.reviewer_recorded = True
            budget -= 2
    for plan in rng.sample(plans, count):
        while plan.tags_recorded < plan.tags and plan.change_cost() <= budget:
            plan.tags_recorded += 1
            budget -= plan.change_cost()
    _pad(rng, plans, budget + padding, max_tags)
    return plans


def _pad(rng: random.Random, plans: list[ClaimPlan], budget: int, max_tags: int) -> None:
    """Spend the rest of the history budget on longer timelines, a few claims taking most (a heavy tail)."""
    cumulative = list(itertools.accumulate(rng.paretovariate(1.2) for _ in plans))
    misses = 0
    while budget >= 2 and misses < 200:
        plan = plans[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        allowed = [extra for extra in plan.extras_allowed() if EXTRA_COSTS[extra] <= budget]
        if not allowed or len(plan.extras) >= MAX_EXTRAS_PER_CLAIM:
            misses += 1
            continue
        extra = rng.choice(allowed)
        plan.extras.append(extra)
        budget -= EXTRA_COSTS[extra]
        misses = 0
    if budget % 2:  # every extra but a correction costs an even number of rows
        imported = [plan for plan in plans if plan.imported and plan.tags < max_tags]
        published = [plan for plan in plans if "correction" in plan.extras_allowed()]
        corrected = [plan for plan in plans if "correction" in plan.extras]
        if imported:  # one more tag, recorded with the imported claim
            plan = rng.choice(imported)
            plan.tags += 1
            plan.tags_recorded += 1
            budget -= 1
        elif published and budget >= EXTRA_COSTS["correction"]:
            rng.choice(published).extras.append("correction")
            budget -= EXTRA_COSTS["correction"]
        elif corrected:
            rng.choice(corrected).extras.remove("correction")
            budget += EXTRA_COSTS["correction"]
    revisable = [plan for plan in plans if plan.verdict] or [plan for plan in plans if plan.assignment_recorded]
    if budget % 2 or (budget and not revisable):
        raise CommandError(f"Could not fit the last {budget} history rows into these claims' timelines.")
    while budget:
        plan = rng.choice(revisable)
        plan.extras.append("verdict_revision" if plan.verdict else "reassign")
        budget -= 2
