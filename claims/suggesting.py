"""Suggesting what to check: the sentences of a source worth a fact-checker's time.

A sentence is proposed when it states a figure or a date (claims/sentences.py finds
those, with the words that show it), whatever the model thinks: a desk wants every
number in front of it. Other sentences (a comparison, a superlative, an attributed
statement, or nothing a rule can name) are proposed when the check-worthiness model
(claims/checkworthiness) rates them check-worthy. Each proposal is kept as a
Suggestion recognised by its words, so a sentence dismissed or accepted once is never
proposed again for that source, even after the text around it is corrected.

A text of a few thousand words is read in the request that adds or corrects it (well
under half a second); a longer one is left to the worker (`suggest_soon`), and the
reader says so until its suggestions arrive.
"""

from __future__ import annotations

import dataclasses
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import checkworthiness, sentences, speakers
from .models import Claim, Source, SourceState, Suggestion, SuggestionState

# Reasons that make a sentence worth proposing on their own: it states a figure or a date.
FIGURES = frozenset({"money", "percentage", "share", "number", "year", "date", "since"})
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
        # The text may have been corrected while it was read (in the worker, a long text
        # takes seconds): offsets into the old one must not be stored. The correction
        # proposes from its own text.
        if not Source.objects.select_for_update().filter(pk=source.pk, version=source.version).exists():
            return []
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


def suggest_soon(source: Source) -> list[Suggestion] | None:
    """Suggest now if the text is short enough to read in the request, else queue it for
    the worker. Returns the new suggestions, or None when they were left to the worker."""
    if len(source.text) <= settings.SUGGEST_IN_REQUEST_MAX_CHARS:
        return suggest_for(source)
    from .tasks import suggest_sentences  # the task module imports this one

    queued_at = timezone.now()
    Source.objects.filter(pk=source.pk).update(suggestions_queued_at=queued_at)
    source.suggestions_queued_at = queued_at
    transaction.on_commit(lambda: suggest_sentences.enqueue(source.pk))
    return None


def suggest_in_background(source_id: int) -> int:
    """The worker's side of `suggest_soon`: returns how many suggestions were new."""
    started = timezone.now()
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    try:
        return len(suggest_for(source))
    finally:
        # Asked again while this ran? Then the later job clears the mark when it is done.
        Source.objects.filter(pk=source_id, suggestions_queued_at__lte=started).update(suggestions_queued_at=None)


def refresh_after_correction(source: Source) -> None:
    """The text changed: open suggestions point at old offsets, so they are proposed
    afresh from the new text. Decided ones stay, and keep their sentences from coming back."""
    with transaction.atomic():
        source.suggestions.filter(state=SuggestionState.OPEN).delete()
        suggest_soon(source)


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
