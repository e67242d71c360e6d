"""The source reader: the whole text with every claim's quote highlighted in place,
and the sentences suggested for checking underlined.

The text is rendered from Python rather than a template loop so that the
highlighted HTML holds exactly the source's characters and nothing else: the
browser's selection offsets then count the same code points the claims store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    """A stretch of the text to mark: a claim's quote or a suggested sentence."""

    start: int
    end: int
    key: str  # unique among the spans of one text, e.g. "claim-12"
    opening: Callable[[bool], str]  # the opening tag, given whether this is the span's first piece
    closing: str

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Segment:
    """A run of the text covered by the same spans, outermost first."""

    start: int
    end: int
    covering: tuple[Span, ...]


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut the text where any span starts or ends, so overlapping spans nest inside each other."""
    spans = sorted(
        (span for span in spans if 0 <= span.start < span.end <= len(text)),
        key=lambda span: (span.start, -span.end, span.key),
    )
    cuts = sorted({0, len(text), *(span.start for span in spans), *(span.end for span in spans)})
    result, active, waiting = [], [], list(reversed(spans))
    for start, end in zip(cuts, cuts[1:], strict=False):
        while waiting and waiting[-1].start <= start:
            active.append(waiting.pop())
        active = [span for span in active if span.end > start]
        # Outermost (longest remaining) first, so the shortest span is the innermost element.
        covering = tuple(sorted(active, key=lambda span: (-span.length, span.start, span.key)))
        result.append(Segment(start, end, covering))
    return result


def highlighted_text(source, claims: Iterable, *, selected=None, suggestions: Iterable = ()) -> SafeString:
    """The source's text as HTML: each quote a <mark> coloured by its claim's status, each
    open suggestion a <span class="suggested"> (a sentence rarely overlaps a claim, but may)."""
    reader_url = reverse("claims:source_detail", args=[source.pk])
    capture_url = reverse("claims:claim_capture", args=[source.pk])
    spans = [claim_span(claim, reader_url, selected) for claim in claims if not claim.is_orphaned]
    spans += [suggestion_span(suggestion, capture_url) for suggestion in suggestions]
    text = source.text
    started = set()
    parts = []
    for segment in segments(text, spans):
        opening = []
        for span in segment.covering:
            opening.append(span.opening(span.key not in started))
            started.add(span.key)
        closing = "".join(span.closing for span in reversed(segment.covering))
        parts.append("".join(opening) + escape(text[segment.start : segment.end]) + closing)
    return mark_safe("".join(parts))  # every piece above is escaped or built by format_html


# A click opens what was clicked; reader.js cancels it when it ended a selection of words
# (those become a new claim instead). htmx's own trigger filters need eval, which base.html turns off.
CLICK = "click consume"


def claim_span(claim, reader_url: str, selected) -> Span:
    def opening(first: bool) -> str:
        return format_html(
            '<mark class="hl{}" data-status="{}" data-claim="{}"{} title="{}" '
            'hx-get="{}?claim={}" hx-target="#reader-claim" hx-swap="outerHTML" hx-trigger="{}" '
            'hx-push-url="true">',
            " selected" if selected is not None and selected.pk == claim.pk else "",
            claim.status,
            claim.pk,
            format_html(' id="quote-{}"', claim.pk) if first else "",
            claim.summary,
            reader_url,
            claim.pk,
            CLICK,
        )

    return Span(claim.quote_start, claim.quote_end, f"claim-{claim.pk}", opening, "</mark>")


def suggestion_span(suggestion, capture_url: str) -> Span:
    title = "Worth checking: " + ", ".join(reason["label"] for reason in suggestion.reasons)

    def opening(first: bool) -> str:
        return format_html(
            '<span class="suggested" data-suggestion="{}"{} title="{}" '
            'hx-get="{}?suggestion={}" hx-target="#reader-claim" hx-swap="outerHTML" hx-trigger="{}">',
            suggestion.pk,
            format_html(' id="suggested-{}"', suggestion.pk) if first else "",
            title,
            capture_url,
            suggestion.pk,
            CLICK,
        )

    return Span(suggestion.start, suggestion.end, f"suggestion-{suggestion.pk}", opening, "</span>")
