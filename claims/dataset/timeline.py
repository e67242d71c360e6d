"""Each claim's life after its creation: its versions, audit rows and timeline events, step by step,
and the evidence, notes and visits gathered along the way."""

from __future__ import annotations

import dataclasses
import itertools
import random
from typing import TYPE_CHECKING

from ..models import Annotation, ClaimEvent, ClaimVisit, Correction, EventField, Evidence, Rating, Source, Stance
from ..workflow import Status
from .cast import Person
from .planning import VERDICT_SHARES, ClaimPlan
from .texts import CORRECTION_TEMPLATES, EXCERPT_TEMPLATES, MORE_EVIDENCE_TEMPLATES, NOTE_TEMPLATES, RATIONALE_TEMPLATES
from .vocabulary import EVIDENCE_SITES
from .writing import CLAIM_STATE, HistoricalClaim, HistoricalClaimTags

if TYPE_CHECKING:
    from .generator import DatasetGenerator


@dataclasses.dataclass
class OpenCorrection:
    id: int
    reason: str
    opener: Person
    opened_at: float
    old_verdict: Rating | None
    old_rationale: str


@dataclasses.dataclass
class Progress:
    """When a claim's work reached its milestones, for the evidence's dates; its open correction."""

    research: float | None = None
    review: float | None = None
    published: float | None = None
    correction: OpenCorrection | None = None


class Timeline:
    """One claim's life, version by version: its audit rows, their tag snapshots and its timeline events."""

    def __init__(self, generator: DatasetGenerator, claim_id: int, fixed: tuple, created: float):
        self.generator = generator
        self.claim_id = claim_id
        self.fixed = fixed
        self.at = created
        self.state = dict.fromkeys(CLAIM_STATE)
        self.state.update(status=Status.NEW, rationale="", published_rationale="", version=0)
        self.tags: list[tuple[int, int]] = []  # (ClaimTag id, tag id) as of the current version

    def change(self, actor: Person, origin: str, events: list[tuple], *, first: bool = False) -> None:
        """A new version made by `actor`: its audit row, then its events (field, old, new, labels, note)."""
        g, state = self.generator, self.state
        state["version"] += 1
        state["changed_by_id"] = actor.id
        state["updated_at"] = stamp = g.writer.timestamp(self.at)
        history_id = g.next_id(HistoricalClaim)
        g.rows[HistoricalClaim].append(
            (
                origin,
                *self.fixed,
                *map(state.get, CLAIM_STATE),
                history_id,
                stamp,
                None,
                "+" if first else "~",
                actor.id,
            )
        )
        tag_rows = g.rows[HistoricalClaimTags]
        for through_id, tag_id in self.tags:
            tag_rows.append((g.next_id(HistoricalClaimTags), through_id, self.claim_id, tag_id, history_id))
        for field, old, new, old_label, new_label, note in events:
            g.rows[ClaimEvent].append(
                (g.next_id(ClaimEvent), self.claim_id, field, old, new, old_label, new_label, note, actor.id, origin)
                + (stamp, state["version"])
            )

    def row(self) -> tuple:
        return (*self.fixed, *map(self.state.get, CLAIM_STATE))


def scatter(chain: list, items: list, *, low: int = 0, early: bool = False, rng: random.Random) -> None:
    """Insert `items` into `chain` in their order, at random places from `low` on (nearer the start if `early`)."""
    places = sorted(low + int((rng.random() ** 2 if early else rng.random()) * (len(chain) - low + 1)) for _ in items)
    for shift, (place, item) in enumerate(zip(places, items, strict=True)):
        chain.insert(place + shift, item)


class ClaimTimelines:
    """Part of DatasetGenerator (a mixin on its rng, ids and rows): the steps of a claim's life after its
    creation, each a new version with its events, and the evidence, notes and visits around it."""

    def steps(self, plan: ClaimPlan, assignee, reviewer, tags) -> tuple[list[tuple[str, object]], Person | None]:
        """The changes after the claim's creation, in order, and who it was assigned to on arrival if imported."""
        rng, extras = self.rng, plan.extras
        chain: list[tuple[str, object]] = []
        if plan.status == Status.NOT_CHECKWORTHY:
            if plan.researched_first:
                chain.append(("status", Status.RESEARCHING))
            for _ in range(extras.count("reinstate")):
                chain += [("status", Status.NOT_CHECKWORTHY), ("status", Status.NEW)]
            chain.append(("status", Status.NOT_CHECKWORTHY))
        elif plan.status != Status.NEW:
            chain.append(("status", Status.RESEARCHING))
            chain += [("verdict", None)] * (plan.verdict + extras.count("verdict_revision"))
            published = plan.status == Status.PUBLISHED or "under_correction" in extras
            if plan.status == Status.IN_REVIEW or published:
                for _ in range(extras.count("evidence_loop")):
                    chain += [("status", Status.IN_REVIEW), ("status", "more-evidence")]
                chain.append(("status", Status.IN_REVIEW))
                if plan.reviewer_recorded:
                    people = self.sequence(self.reviewer, reviewer, 1 + extras.count("reviewer_change"))
                    chain += [("reviewer", person) for person in people]
                if published:
                    chain.append(("publish", None))
                    for _ in range(extras.count("correction")):
                        chain += [("reopen", None), ("verdict", None), ("status", Status.IN_REVIEW), ("publish", None)]
                    if "under_correction" in extras:
                        chain.append(("reopen", None))
        arrival_assignee = None
        if plan.assignment_recorded:
            people = self.sequence(self.editor, assignee, 1 + extras.count("reassign"))
            if plan.imported:
                arrival_assignee = people.pop(0)
            else:
                chain.insert(0, ("assign", people.pop(0)))
            scatter(chain, [("assign", person) for person in people], low=0 if plan.imported else 1, rng=rng)
        if not plan.imported:
            scatter(chain, [("tag", tag) for tag in tags[: plan.tags_recorded]], early=True, rng=rng)
        return chain, arrival_assignee

    def verdict_sequence(self, count: int) -> list[Rating]:
        """The ratings a claim's verdict went through, its current one last, never the same twice in a row."""
        keys, weights = list(VERDICT_SHARES), list(VERDICT_SHARES.values())
        sequence: list[str] = []
        while len(sequence) < count:
            key = self.rng.choices(keys, weights=weights)[0]
            if not sequence or key != sequence[-1]:
                sequence.append(key)
        return [self.ratings[key] for key in sequence]

    def times(self, created: float, count: int) -> list[float]:
        """When each change happened: minutes to days apart, the last before now."""
        rng = self.rng
        gaps = [rng.expovariate(1 / 86400) * rng.choice([0.05, 0.3, 1, 2, 5]) for _ in range(count)]
        room, total = self.now - 600 - created, sum(gaps)
        if total > room:
            gaps = [gap * room / total for gap in gaps]
        return list(itertools.accumulate(gaps, initial=created))[1:]

    def worker(self, life: Timeline) -> Person:
        assignee = life.state["assignee_id"]
        return self.people[assignee] if assignee else self.editor()

    def step_assign(self, life: Timeline, person: Person, origin: str, **_) -> None:
        old = self.people.get(life.state["assignee_id"])
        life.state["assignee_id"] = person.id
        actor = person if self.rng.random() < 0.5 else self.editor()  # took it, or was given it
        names = (old.username if old else "", person.username)
        life.change(actor, origin, [(EventField.ASSIGNEE, *names, *names, "")])

    def step_tag(self, life: Timeline, tag: tuple[int, int], origin: str, **_) -> None:
        life.tags.append(tag)
        name = self.tag_names[tag[1]]
        life.change(self.worker(life), origin, [(EventField.TAGS, "", name, "", name, "")])

    def step_reviewer(self, life: Timeline, person: Person, origin: str, **_) -> None:
        old = self.people.get(life.state["reviewer_id"])
        life.state["reviewer_id"] = person.id
        actor = person if self.rng.random() < 0.6 else self.worker(life)
        names = (old.username if old else "", person.username)
        life.change(actor, origin, [(EventField.REVIEWER, *names, *names, "")])

    def step_verdict(self, life: Timeline, _, origin: str, *, verdicts: list[Rating], **__) -> None:
        state = life.state
        rating = verdicts.pop(0)
        old = self.ratings_by_id.get(state["verdict_id"])
        actor = self.worker(life) if self.rng.random() < 0.85 else self.editor()
        rationale = RATIONALE_TEMPLATES[rating.key].fill(self.rng)
        state.update(verdict_id=rating.pk, rationale=rationale, verdict_by_id=actor.id)
        event = (old.key if old else "", rating.key, old.label if old else "", rating.label, rationale)
        life.change(actor, origin, [(EventField.VERDICT, *event)])

    def step_status(self, life: Timeline, target: str, origin: str, *, plan, reviewer, progress, **_) -> None:
        state, note = life.state, ""
        if target == "more-evidence":  # a reviewer sends it back
            target = Status.RESEARCHING
            actor = self.people.get(state["reviewer_id"]) or self.reviewer()
            note = self.rng.choice(MORE_EVIDENCE_TEMPLATES).fill(self.rng)
        elif target == Status.IN_REVIEW:  # whoever proposed the verdict sends it
            actor = self.people.get(state["verdict_by_id"]) or self.worker(life)
            progress.review = progress.review or life.at
            if plan.reviewer and not plan.reviewer_recorded:
                state["reviewer_id"] = reviewer.id
        else:
            actor = self.worker(life)
        if target == Status.RESEARCHING:
            progress.research = progress.research or life.at
        old = state["status"]
        state["status"] = target
        life.change(actor, origin, [(EventField.STATUS, old, target, self.labels[old], self.labels[target], note)])

    def step_publish(self, life: Timeline, _, origin: str, *, progress: Progress, **__) -> None:
        state = life.state
        # The two-person rule: never whoever proposed the verdict.
        publisher = self.people.get(state["reviewer_id"])
        while publisher is None or publisher.id == state["verdict_by_id"]:
            publisher = self.reviewer()
        stamp = self.writer.timestamp(life.at)
        old = state["status"]
        state.update(
            status=Status.PUBLISHED,
            published_verdict_id=state["verdict_id"],
            published_rationale=state["rationale"],
            published_at=stamp,
            published_by_id=publisher.id,
        )
        progress.published = progress.published or life.at
        labels = self.labels
        events = [(EventField.STATUS, old, Status.PUBLISHED, labels[old], labels[Status.PUBLISHED], "")]
        opened = progress.correction
        if opened is not None:
            state["corrected_at"] = stamp
            new = self.ratings_by_id[state["verdict_id"]]
            was = opened.old_verdict
            events.append(
                (EventField.CORRECTION, was.key if was else "", new.key, was.label if was else "", new.label)
                + (opened.reason,)
            )
            self.correction(
                life.claim_id, opened, new_verdict=new, rationale=state["rationale"], by=publisher, at=life.at
            )
            progress.correction = None
        life.change(publisher, origin, events)

    def step_reopen(self, life: Timeline, _, origin: str, *, progress: Progress, **__) -> None:
        state = life.state
        actor = self.worker(life)
        reason = self.rng.choice(CORRECTION_TEMPLATES).fill(self.rng)
        progress.correction = OpenCorrection(
            self.next_id(Correction),
            reason,
            actor,
            life.at,
            self.ratings_by_id.get(state["published_verdict_id"]),
            state["published_rationale"],
        )
        state["status"] = Status.RESEARCHING
        labels = (self.labels[Status.PUBLISHED], self.labels[Status.RESEARCHING])
        life.change(actor, origin, [(EventField.STATUS, Status.PUBLISHED, Status.RESEARCHING, *labels, reason)])

    def correction(self, claim_id: int, opened: OpenCorrection, *, new_verdict=None, rationale="", by=None, at=None):
        """A correction's row and its audit: opened, and completed when `by` published the new verdict."""
        row = (
            opened.id,
            claim_id,
            opened.reason,
            opened.opener.id,
            self.writer.timestamp(opened.opened_at),
            opened.old_verdict and opened.old_verdict.pk,
            opened.old_rationale,
            None,
            "",
            None,
            None,
        )
        self.audit(Correction, row, at=opened.opened_at, user=opened.opener)
        if by is not None:
            row = (*row[:7], new_verdict.pk, rationale, by.id, self.writer.timestamp(at))
            self.audit(Correction, row, at=at, user=by, kind="~")
        self.rows[Correction].append(row)

    def evidence(self, plan, life: Timeline, progress: Progress, source_id, assignee, created) -> None:
        rng = self.rng
        if progress.published is not None:
            count = 1 + min(int(rng.expovariate(1)), 5)  # publishing needs at least one piece
        elif plan.status == Status.IN_REVIEW:
            count = rng.choices([0, 1, 2, 3], weights=[3, 4, 2, 1])[0]
        elif plan.status == Status.RESEARCHING:
            count = rng.choices([0, 1, 2], weights=[7, 2, 1])[0]
        else:
            return
        since = progress.research or created
        until = progress.published or progress.review or life.at
        verdict = self.ratings_by_id.get(life.state["verdict_id"])
        refuting = verdict is not None and verdict.value is not None and verdict.value <= 2
        for _ in range(count):
            at = since + rng.random() * max(0.0, until - since)
            cited = None
            if rng.random() < 0.25 and self.ids[Source] > self.first_source_id:
                cited = rng.randint(self.first_source_id, self.ids[Source] - 1)
            url = "" if cited else f"https://{rng.choice(EVIDENCE_SITES)}/{rng.randint(1000, 99999)}"
            stance = rng.choices(list(Stance), weights=[2, 5, 3] if refuting else [4, 3, 3])[0]
            added_by = assignee if assignee and rng.random() < 0.7 else self.editor()
            row = (
                self.next_id(Evidence),
                life.claim_id,
                cited,
                url,
                stance,
                rng.choice(EXCERPT_TEMPLATES).fill(rng),
                added_by.id,
                self.writer.timestamp(at),
            )
            self.rows[Evidence].append(row)
            self.audit(Evidence, row, at=at, user=added_by)

    def notes(self, claim_id, count, created, last, assignee, reviewer) -> None:
        rng = self.rng
        until = min(self.now - 60, max(last, created + 3600) + 14 * 86400)
        for _ in range(count):
            at = created + rng.random() * (until - created)
            pick = rng.random()
            author = assignee if assignee and pick < 0.5 else reviewer if reviewer and pick < 0.7 else self.editor()
            body = " ".join(template.fill(rng) for template in rng.sample(NOTE_TEMPLATES, rng.randint(1, 3)))
            note_id, stamp = self.next_id(Annotation), self.writer.timestamp(at)
            row = (note_id, claim_id, author.id, body, stamp, stamp, 1)
            self.audit(Annotation, row, at=at, user=author)
            if rng.random() < 0.08:  # edited later by its author
                edited = at + rng.random() * (self.now - 60 - at) * 0.1
                body = f"{body} Update: {rng.choice(NOTE_TEMPLATES).fill(rng)}"
                row = (note_id, claim_id, author.id, body, stamp, self.writer.timestamp(edited), 2)
                self.audit(Annotation, row, at=edited, user=author, kind="~")
            self.rows[Annotation].append(row)

    def visits(self, claim_id, created, assignee, reviewer) -> None:
        """When the people on a claim last opened it, so "changed since I last looked" has something to show."""
        rng = self.rng
        for person, chance in [(assignee, 0.7), (reviewer, 0.6)]:
            if person is not None and rng.random() < chance:
                seen = self.writer.timestamp(created + rng.random() * (self.now - 60 - created))
                self.rows[ClaimVisit].append((self.next_id(ClaimVisit), person.id, claim_id, seen))
