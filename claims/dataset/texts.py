"""Texts made from the vocabulary: templates filled with random words, and article texts that hold
claims' sentences at known offsets."""

from __future__ import annotations

import dataclasses
import random
import string
from collections.abc import Callable

from .. import anchoring
from ..models import ClaimantKind
from .vocabulary import (
    AGENCIES,
    BANNED_THINGS,
    CITIES,
    CORES,
    CORRECTION_REASONS,
    COUNTRIES,
    DISEASES,
    EXCERPTS,
    FACILITIES,
    FILLERS,
    GROUPS,
    METRICS,
    MONTHS,
    MORE_EVIDENCE_NOTES,
    NOTES,
    ORGANISATION_FRAMES,
    PERSON_FRAMES,
    RATIONALES,
    REGIONS,
    ROLES,
    SECTORS,
    TITLES,
    UNATTRIBUTED_FRAMES,
    WEEKDAYS,
)

SLOTS: dict[str, Callable[[random.Random], str]] = {
    "metric": lambda r: r.choice(METRICS),
    "rose": lambda r: r.choice(["rose", "fell", "grew", "dropped", "increased", "decreased"]),
    "pct": lambda r: f"{r.uniform(0.5, 45):.1f}",
    "money": lambda r: r.choice(["${} million", "€{} billion", "£{} million", "{} billion pesos"]).format(
        r.randint(2, 950)
    ),
    "money_small": lambda r: f"€{r.randint(5, 180)}",
    "number": lambda r: f"{r.randint(1_200, 950_000):,}",
    "number_small": lambda r: str(r.randint(3, 48)),
    "year": lambda r: str(r.randint(1998, 2024)),
    "year_old": lambda r: str(r.randint(1950, 2005)),
    "future_year": lambda r: str(r.randint(2026, 2040)),
    "country": lambda r: r.choice(COUNTRIES),
    "city": lambda r: r.choice(CITIES),
    "sector": lambda r: r.choice(SECTORS),
    "group": lambda r: r.choice(GROUPS),
    "region": lambda r: r.choice(REGIONS),
    "disease": lambda r: r.choice(DISEASES),
    "facility": lambda r: r.choice(FACILITIES),
    "thing": lambda r: r.choice(BANNED_THINGS),
    "agency": lambda r: r.choice(AGENCIES),
    "month": lambda r: r.choice(MONTHS),
    "weekday": lambda r: r.choice(WEEKDAYS),
    "role": lambda r: r.choice(ROLES).lower(),
}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Template:
    """A format string whose slots are filled with random words, numbers, years and sums."""

    def __init__(self, text: str):
        self.text = text
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
        self.slots = list(dict.fromkeys(names))

    def fill(self, rng: random.Random, values: dict | None = None) -> str:
        values = dict(values or {})
        for name in self.slots:
            if name not in values:
                base = name.lower()
                value = SLOTS[base](rng)
                values[name] = capitalised(value) if name[0].isupper() else value
        return self.text.format(**values)

    def values(self, rng: random.Random) -> dict:
        return {name: SLOTS[name](rng) for name in self.slots}


def templates(texts) -> list[Template]:
    return [Template(text) for text in texts]


CORE_TEMPLATES = [(Template(core), Template(summary), kind) for core, summary, kind in CORES]
FILLER_TEMPLATES = templates(FILLERS)
TITLE_TEMPLATES = templates(TITLES)
NOTE_TEMPLATES = templates(NOTES)
EXCERPT_TEMPLATES = templates(EXCERPTS)
MORE_EVIDENCE_TEMPLATES = templates(MORE_EVIDENCE_NOTES)
CORRECTION_TEMPLATES = templates(CORRECTION_REASONS)
RATIONALE_TEMPLATES = {key: Template(text) for key, text in RATIONALES.items()}


@dataclasses.dataclass(frozen=True)
class Speaker:
    """A claimant as the text names them."""

    id: int
    name: str  # as the text writes it ("the Ministry of Health of Kenya")
    surname: str
    role: str
    kind: str


@dataclasses.dataclass
class Placement:
    """Where a claim stands in its source's text, and what the editor wrote about it."""

    quote: str
    start: int
    end: int
    prefix: str
    suffix: str
    summary: str
    kind: str
    claimant_id: int | None


class ArticleWriter:
    """Article texts made of sentence templates, with claims' sentences at known offsets."""

    def __init__(self, rng: random.Random, pick_speaker: Callable[[], Speaker | None]):
        self.rng = rng
        self.pick_speaker = pick_speaker

    def statement(self) -> tuple[str, int, int, str, str, int | None]:
        """A claim's sentence: (sentence, start and end of the claim's own words in it, summary, kind, claimant)."""
        rng = self.rng
        core, summary, kind = rng.choice(CORE_TEMPLATES)
        values = core.values(rng)
        words = core.text.format(**values)
        speaker = self.pick_speaker()
        if speaker is None:
            frames, names = UNATTRIBUTED_FRAMES, {}
        else:
            frames = PERSON_FRAMES if speaker.kind == ClaimantKind.PERSON else ORGANISATION_FRAMES
            names = {
                "name": speaker.name,
                "Name": capitalised(speaker.name),
                "surname": speaker.surname,
                "role": speaker.role,
                "weekday": rng.choice(WEEKDAYS),
            }
        before, after, capitalise = rng.choice(frames)
        before, after = before.format(**names), after.format(**names)
        if capitalise or not before:
            words = capitalised(words)
        sentence = before + words + after
        said = capitalised(summary.fill(rng, {key: value for key, value in values.items() if key in summary.slots}))
        if speaker is not None:
            said = f"{said}, says {speaker.surname}"
        return sentence, len(before), len(before) + len(words), said[:300], kind, speaker and speaker.id

    def article(self, claim_count: int, orphan_slot: int | None) -> tuple[str, str | None, list[Placement]]:
        """An article with `claim_count` claims: (text, the text before a correction removed the orphan's
        paragraph or None, each claim's placement). Some claims quote part of another's sentence, or run on
        into the next sentence, so their quotes overlap."""
        rng = self.rng
        overlaps = {}
        if claim_count >= 3 and rng.random() < 0.3:
            for slot in rng.sample(range(1, claim_count), k=min(claim_count - 1, rng.randint(1, 2))):
                if slot != orphan_slot:
                    overlaps[slot] = rng.choice(["inside", "run-on"])
        primary = [slot for slot in range(claim_count) if slot not in overlaps and slot != orphan_slot]
        statements = {slot: self.statement() for slot in primary}
        sentences: list[tuple[str, int | None]] = [(statement[0], slot) for slot, statement in statements.items()]
        sentences += [(filler.fill(rng), None) for filler in rng.sample(FILLER_TEMPLATES, k=rng.randint(4, 14))]
        # The first sentence is usually a claim: the lede.
        head = [sentences.pop(0)] if primary and rng.random() < 0.7 else []
        rng.shuffle(sentences)
        sentences = head + sentences
        parts, spans, position = [], {}, 0
        while sentences:
            paragraph = [sentences.pop(0) for _ in range(min(len(sentences), rng.randint(1, 4)))]
            if parts:
                parts.append("\n\n")
                position += 2
            for number, (sentence, slot) in enumerate(paragraph):
                if number:
                    parts.append(" ")
                    position += 1
                next_end = None
                if number + 1 < len(paragraph):
                    next_end = position + len(sentence) + 1 + len(paragraph[number + 1][0])
                if slot is not None:
                    spans[slot] = (position, position + len(sentence), next_end)
                parts.append(sentence)
                position += len(sentence)
        text = "".join(parts)
        placements: dict[int, Placement] = {}
        for slot, (start, end, _) in spans.items():
            sentence, words_start, words_end, summary, kind, claimant = statements[slot]
            placements[slot] = self.place(text, start, end, summary, kind, claimant)
        hosts = list(statements)
        for slot, shape in overlaps.items():
            host = rng.choice(hosts)
            start, end, next_end = spans[host]
            sentence, words_start, words_end, summary, kind, claimant = statements[host]
            if shape == "run-on" and next_end is not None:
                placements[slot] = self.place(text, start, next_end, f"{summary}, in context"[:300], kind, claimant)
            else:
                placements[slot] = self.place(text, start + words_start, start + words_end, summary, kind, claimant)
        old_text = None
        if orphan_slot is not None:
            sentence, words_start, words_end, summary, kind, claimant = self.statement()
            old_text = f"{text}\n\n{sentence}"
            start = len(text) + 2
            placements[orphan_slot] = self.place(old_text, start, start + len(sentence), summary, kind, claimant)
        return text, old_text, [placements[slot] for slot in range(claim_count)]

    @staticmethod
    def place(text, start, end, summary, kind, claimant) -> Placement:
        prefix, suffix = anchoring.context_around(text, start, end)
        return Placement(text[start:end], start, end, prefix, suffix, summary, kind, claimant)
