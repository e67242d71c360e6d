"""Suggesting what to check: the sentences of a source worth a fact-checker's time.

A sentence is proposed when it states a figure or a date (claims/sentences.py finds
those, with the words that show it), whatever the model thinks: a desk wants every
number in front of it. Other sentences (a comparison, a superlative, an attributed
statement, or nothing a rule can name) are proposed when the check-worthiness model
(claims/checkworthiness) rates them check-worthy. Each proposal is kept as a
Suggestion recognised by its words, so a sentence dismissed or accepted once is never
proposed again for that source, even after the text around it is corrected.
"""

from __future__ import annotations

import dataclasses
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from . import checkworthiness, sentences, speakers
from .models import Claim, Source, SourceState, Suggestion, SuggestionState

# Reasons that make a sentence worth proposing on their own: it states a figure or a date.
FIGURES = frozenset({"money", "percentage", "number", "year", "date", "since"})
MODEL_REASON = sentences.Reason("model", "reads like a checkable claim", 0, 0)


@dataclasses.dataclass(frozen=True)
class Proposal:
    sentence: sentences.Sentence
    reasons: tuple[sentences.Reason, ...]
    score: float
    speaker: speakers.Speaker | None


def propose(text: str) -> list[Proposal]:
    """The sentences of `text` worth checking, in reading order (no database)."""
    found = sentences.split_sentences(text)
    if not found:
        return []
    scores = checkworthiness.score_sentences([sentence.text for sentence in found])
    speaker_of = speakers.speaker_finder(text)
    proposals = []
    for sentence, score in zip(found, scores, strict=True):
        reasons = tuple(sentences.reasons(sentence.text))
        states_a_figure = any(reason.code in FIGURES for reason in reasons)
        if not states_a_figure and not checkworthiness.is_checkworthy(score):
            continue
        if not reasons:
            reasons = (MODEL_REASON,)
        proposals.append(Proposal(sentence, reasons, score, speaker_of(sentence.start, sentence.end)))
    return proposals


def fingerprint(sentence: str) -> str:
    """How a sentence is recognised again: its words, whatever the spacing and case."""
    return hashlib.sha256(" ".join(sentence.casefold().split()).encode()).hexdigest()


def suggest_for(source: Source) -> list[Suggestion]:
    """Propose the source's sentences worth checking; returns the new suggestions.

    Skips sentences proposed before (open, accepted or dismissed) and sentences an
    existing claim already quotes from."""
    if source.state != SourceState.READY or not source.text:
        return []
    proposals = propose(source.text)
    with transaction.atomic():
        known = set(source.suggestions.values_list("fingerprint", flat=True))
        claimed = list(source.claims.filter(orphaned_at=None).values_list("quote_start", "quote_end"))
        new = []
        for proposal in proposals:
            sentence = proposal.sentence
            key = fingerprint(sentence.text)
            if key in known or any(start < sentence.end and sentence.start < end for start, end in claimed):
                continue
            known.add(key)
            new.append(
                Suggestion(
                    source=source,
                    start=sentence.start,
                    end=sentence.end,
                    sentence=sentence.text,
                    fingerprint=key,
                    reasons=[dataclasses.asdict(reason) for reason in proposal.reasons],
                    score=round(proposal.score, 4),
                    speaker=proposal.speaker.name[:200] if proposal.speaker else "",
                    speaker_role=proposal.speaker.role[:200] if proposal.speaker else "",
                )
            )
        # ignore_conflicts: two editors asking at once must not fail on the unique constraint.
        Suggestion.objects.bulk_create(new, ignore_conflicts=True)
    return new


def refresh_after_correction(source: Source) -> None:
    """The text changed: open suggestions point at old offsets, so they are proposed
    afresh from the new text. Decided ones stay, and keep their sentences from coming back."""
    with transaction.atomic():
        source.suggestions.filter(state=SuggestionState.OPEN).delete()
        suggest_for(source)


def accept(suggestion: Suggestion, *, by, **capture) -> Claim:
    """The suggestion becomes a claim quoting its sentence (Claim.capture with
    `capture`'s summary, kind and claimant); refused if someone decided it meanwhile."""
    with transaction.atomic():
        current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if current.state != SuggestionState.OPEN:
            raise ValidationError(
                f"This suggestion was already {current.get_state_display().lower()}.", code="suggestion_decided"
            )
        claim = Claim.capture(current.source, current.start, current.end, quote=current.sentence, by=by, **capture)
        current.accept(claim, by=by)
        return claim
