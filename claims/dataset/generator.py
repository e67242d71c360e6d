"""DatasetGenerator: the whole dataset, source by source and claim by claim, written in chunks."""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..audit import Origin
from ..models import (
    Annotation,
    Claim,
    ClaimEvent,
    EventField,
    Rating,
    Source,
    SourceState,
    StatusStyle,
    numbers_check_of,
)
from ..workflow import Status
from .cast import Cast, Person
from .marks import DATASET_URL
from .planning import SPAN, TAGS_PER_CLAIM, VERDICT_SHARES, ClaimPlan, Sizes, plan_claims
from .texts import TITLE_TEMPLATES, ArticleWriter, Placement
from .timeline import ClaimTimelines, Progress, Timeline
from .vocabulary import OUTLETS, SOURCE_KINDS
from .writing import AUDIT_OF, COLUMNS, ClaimTag, HistoricalClaim, RowWriter, check_columns


class DatasetGenerator(Cast, ClaimTimelines):
    """Builds the dataset in chunks of about `batch_size` claims, each written in one transaction. Its users,
    claimants and tags are made by Cast (cast.py), each claim's later steps by ClaimTimelines (timeline.py)."""

    def __init__(self, sizes: Sizes, *, seed: int = 1, batch_size: int = 5_000, log: Callable[[str], None] = print):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log
        self.writer = RowWriter(batch_size)
        self.rows: dict = {model: [] for model in COLUMNS}
        self.ids: dict = {}
        self.started = time.monotonic()
        self.now = timezone.now().timestamp()
        self.start = self.now - SPAN.total_seconds()

    def next_id(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def run(self) -> dict:
        """Generate everything; return the rows written per model (`self.writer.seconds` has the time taken)."""
        sizes = self.sizes
        if not (sizes.claims or sizes.sources):
            self.log("Nothing to generate.")
            return {}
        if sizes.claims and not sizes.sources:
            raise CommandError("Claims need sources to quote.")
        if sizes.claims > 15 * sizes.sources:
            raise CommandError(f"At most 15 claims per source: {sizes.sources:,} sources hold {15 * sizes.sources:,}.")
        if sizes.annotations and not sizes.claims:
            raise CommandError("Annotations need claims to annotate.")
        for model, columns in COLUMNS.items():
            check_columns(model, columns)
        self.ratings = {rating.key: rating for rating in Rating.objects.all()}
        missing = sorted(set(VERDICT_SHARES) - set(self.ratings))
        if missing:
            raise CommandError(f"The rating scale lacks {missing}: run the migrations first.")
        self.ratings_by_id = {rating.pk: rating for rating in self.ratings.values()}
        self.labels = StatusStyle.objects.labels()
        per_source = self.claims_per_source(sizes.claims, sizes.sources)
        # One orphan candidate per source: its last claim.
        last_claims = set(itertools.accumulate(count for count in per_source if count))
        plans = plan_claims(
            self.rng,
            sizes.claims,
            sizes.history,
            max_tags=min(len(TAGS_PER_CLAIM) - 1, sizes.tag_count),
            orphan_candidates={index - 1 for index in last_claims},
        )
        self.log(f"Planned {len(plans):,} claims over {len(per_source):,} sources ({self.elapsed()}).")
        try:
            with transaction.atomic():
                # Ids continue from the highest in each table; the sequences are moved past them at the end.
                self.ids = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in COLUMNS}
                self.create_users()
                self.create_claimants()
                self.create_tags()
                self.flush()
            self.create_sources(plans, per_source)
        finally:
            self.reset_sequences()
        self.analyze()
        return dict(self.writer.counts)

    def flush(self) -> None:
        """Write the rows gathered so far."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Losing the last chunks in a crash is harmless here (run again); waiting for the disk is not.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for model, rows in self.rows.items():
            self.writer.insert(model, COLUMNS[model], rows)
            rows.clear()

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(COLUMNS)):
                cursor.execute(statement)

    def analyze(self) -> None:
        """Fresh statistics, so the query planner knows the tables' new sizes."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # every table, the search indexes' included
            if connection.vendor == "postgresql":
                # Bulk inserts leave the GIN indexes' new entries in a pending list that every
                # search scans until a vacuum merges them (on a server without autovacuum, never).
                for index in ("claim_search_document", "source_search_document"):
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        self.log(f"Analyzed the tables in {time.monotonic() - started:.1f} s.")

    def audit(self, model, row: tuple, *, at: float, user: Person | None = None, kind="+", reason=None, origin=None):
        """The audit row django-simple-history would have written for this save of `row`."""
        history = AUDIT_OF[model]
        self.rows[history].append(
            (
                origin or Origin.DESK,
                *row,
                self.next_id(history),
                self.writer.timestamp(at),
                reason,
                kind,
                user and user.id,
            )
        )

    # --- Sources and claims

    def claims_per_source(self, claims: int, sources: int) -> list[int]:
        """1 to 15 claims per source (most have a few, some many), adding up to `claims`; sources beyond
        what the claims need have none (evidence cites them)."""
        rng = self.rng
        holding = min(claims, sources)
        counts = [1] * holding
        cumulative = list(itertools.accumulate(rng.lognormvariate(0, 0.8) for _ in range(holding)))
        remaining = claims - holding
        while remaining:
            index = min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), holding - 1)
            if counts[index] < 15:
                counts[index] += 1
                remaining -= 1
        counts += [0] * (sources - holding)
        rng.shuffle(counts)
        return counts

    def create_sources(self, plans: list[ClaimPlan], per_source: list[int]) -> None:
        sizes, rng = self.sizes, self.rng
        notes = [0] * len(plans)
        if plans:
            weight = {
                Status.NEW: 1,
                Status.RESEARCHING: 2,
                Status.IN_REVIEW: 3,
                Status.PUBLISHED: 3.5,
                Status.NOT_CHECKWORTHY: 0.5,
            }
            # A heavy tail, capped: the busiest claims gather around a hundred notes.
            cumulative = list(
                itertools.accumulate(weight[plan.status] * min(rng.paretovariate(2.5), 20) for plan in plans)
            )
            for index in rng.choices(range(len(plans)), cum_weights=cumulative, k=sizes.annotations):
                notes[index] += 1
        writer = ArticleWriter(rng, self.speaker)
        self.first_source_id = self.ids[Source] + 1
        # Sources arrive evenly over the span, ids in date order, the last a couple of days ago.
        step = (SPAN.total_seconds() - 2 * 86400) / max(1, sizes.sources)
        claimed, pending = 0, 0
        for number, count in enumerate(per_source):
            created = self.start + step * (number + rng.random())
            self.source(writer, created, plans[claimed : claimed + count], notes[claimed : claimed + count])
            claimed += count
            pending += count
            if pending >= self.batch_size or number == len(per_source) - 1:
                with transaction.atomic():
                    self.flush()
                pending = 0
                counts = self.writer.counts
                self.log(
                    f"Claims {claimed:,}/{sizes.claims:,}, sources {number + 1:,}/{sizes.sources:,}, history "
                    f"{counts.get(ClaimEvent, 0) + counts.get(HistoricalClaim, 0):,}/{sizes.history:,}, "
                    f"annotations {counts.get(Annotation, 0):,}/{sizes.annotations:,} ({self.elapsed()})."
                )

    def source(self, writer: ArticleWriter, created: float, plans: list[ClaimPlan], notes: list[int]) -> None:
        rng = self.rng
        orphan_slot = next((slot for slot, plan in enumerate(plans) if plan.orphan), None)
        text, old_text, placements = writer.article(len(plans), orphan_slot)
        source_id = self.next_id(Source)
        added_by = self.editor()
        published_on = datetime.fromtimestamp(created - rng.randint(0, 3) * 86400, UTC).date()
        fixed = (
            source_id,
            rng.choice(TITLE_TEMPLATES).fill(rng)[:300],
            rng.choice(OUTLETS),
            f"{DATASET_URL}articles/{source_id}",
            rng.choices(list(SOURCE_KINDS), weights=list(SOURCE_KINDS.values()))[0],
            self.writer.day(published_on),
        )
        fetched_at = self.writer.timestamp(created + 20) if rng.random() < 0.4 else None
        state = (SourceState.READY, "", fetched_at, added_by.id)
        stamp = self.writer.timestamp(created)
        corrector = self.editor() if orphan_slot is not None else None
        corrected_at = None
        claim_at = created
        for slot, (plan, placement) in enumerate(zip(plans, placements, strict=True)):
            claim_at = min(claim_at + rng.expovariate(1 / 7200), self.now - 3600)
            last_change = self.claim(plan, placement, source_id, claim_at, notes[slot], corrector)
            if slot == orphan_slot:
                corrected_at = last_change
        if old_text is None:
            row = (*fixed, text, *state, 1, stamp, stamp)
            self.audit(Source, row, at=created, user=added_by)
        else:  # corrected later: a paragraph removed, and the claim quoting it orphaned
            self.audit(Source, (*fixed, old_text, *state, 1, stamp, stamp), at=created, user=added_by)
            row = (*fixed, text, *state, 2, stamp, self.writer.timestamp(corrected_at))
            self.audit(Source, row, at=corrected_at, user=corrector, kind="~")
        self.rows[Source].append(row)

    def claim(self, plan: ClaimPlan, placement: Placement, source_id: int, created: float, notes: int, corrector):
        """Write one claim with its timeline, audit, tags, evidence, notes and visits; return when it last changed."""
        rng = self.rng
        claim_id = self.next_id(Claim)
        fixed = (
            claim_id,
            placement.summary,
            placement.quote,
            source_id,
            placement.start,
            placement.end,
            placement.prefix,
            placement.suffix,
            placement.claimant_id,
            placement.kind,
            numbers_check_of(placement.quote),  # as Claim.save() would: the dataset's figures are checked too
            self.writer.timestamp(created),
        )
        life = Timeline(self, claim_id, fixed, created)
        assignee = self.editor() if plan.assigned else None
        reviewer = self.reviewer() if plan.reviewer else None
        tags: list[tuple[int, int]] = []
        while len(tags) < plan.tags:
            tag_id = rng.choices(self.tags, cum_weights=self.tag_weights)[0][0]
            if all(tag_id != tag for _, tag in tags):
                tags.append((self.next_id(ClaimTag), tag_id))
        self.rows[ClaimTag].extend((through_id, claim_id, tag_id) for through_id, tag_id in tags)
        steps, arrival_assignee = self.steps(plan, assignee, reviewer, tags)

        # Its first version: as captured on the desk, or imported with its assignee and tags. Tags and
        # people that the timeline does not record were there from the start.
        creator = assignee if assignee and rng.random() < 0.6 else self.editor()
        later_tags = [value for kind, value in steps if kind == "tag"]
        life.tags = [tag for tag in tags if tag not in later_tags]
        events = [(EventField.STATUS, "", Status.NEW, "", self.labels[Status.NEW], "")]
        if arrival_assignee is not None:
            life.state["assignee_id"] = arrival_assignee.id
            name = arrival_assignee.username
            events.append((EventField.ASSIGNEE, "", name, "", name, ""))
        elif assignee is not None and not plan.assignment_recorded:
            life.state["assignee_id"] = assignee.id
        if plan.imported:
            names = self.tag_names
            events += [(EventField.TAGS, "", names[tag], "", names[tag], "") for _, tag in tags[: plan.tags_recorded]]
        life.change(creator, Origin.IMPORT if plan.imported else Origin.DESK, events, first=True)

        verdicts = self.verdict_sequence(sum(kind == "verdict" for kind, _ in steps))
        progress = Progress()
        for (kind, value), at in zip(steps, self.times(created, len(steps)), strict=True):
            life.at = at
            origin = Origin.ADMIN if rng.random() < 0.08 else Origin.DESK
            getattr(self, f"step_{kind}")(
                life, value, origin, plan=plan, reviewer=reviewer, verdicts=verdicts, progress=progress
            )
        if progress.correction is not None:
            self.correction(life.claim_id, progress.correction)
        if plan.orphan:
            life.at = min(life.at + rng.expovariate(1 / 86400), self.now - 60)
            life.state["orphaned_at"] = self.writer.timestamp(life.at)
            span = f"{placement.start}–{placement.end}"
            note = "The source's text was corrected and the quote is no longer in it."
            life.change(
                corrector,
                Origin.DESK,
                [(EventField.ANCHOR, span, "", f"characters {span}", "not found (orphaned)", note)],
            )
        self.rows[Claim].append(life.row())
        self.evidence(plan, life, progress, source_id, assignee, created)
        self.notes(claim_id, notes, created, life.at, assignee, reviewer)
        self.visits(claim_id, created, assignee, reviewer)
        return life.at
