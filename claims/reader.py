"""The source reader: the whole text with every claim's quote highlighted in place.

The text is rendered from Python rather than a template loop so that the
highlighted HTML holds exactly the source's characters and nothing else: the
browser's selection offsets then count the same code points the claims store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Segment:
    """A run of the text covered by the same quotes, outermost first."""

    start: int
    end: int
    covering: tuple


def segments(text: str, claims: Iterable) -> list[Segment]:
    """Cut the text where any quote starts or ends, so overlapping quotes nest inside each other."""
    spans = sorted(
        (c for c in claims if not c.is_orphaned and 0 <= c.quote_start < c.quote_end <= len(text)),
        key=lambda c: (c.quote_start, -c.quote_end, c.pk),
    )
    cuts = sorted({0, len(text), *(c.quote_start for c in spans), *(c.quote_end for c in spans)})
    result, active, waiting = [], [], list(reversed(spans))
    for start, end in zip(cuts, cuts[1:], strict=False):
        while waiting and waiting[-1].quote_start <= start:
            active.append(waiting.pop())
        active = [c for c in active if c.quote_end > start]
        # Outermost (longest remaining) first, so the shortest quote is the innermost mark.
        covering = tuple(sorted(active, key=lambda c: (-(c.quote_end - c.quote_start), c.quote_start, c.pk)))
        result.append(Segment(start, end, covering))
    return result


def highlighted_text(source, claims: Iterable, *, selected=None) -> SafeString:
    """The source's text as HTML, each quote a <mark> coloured by its claim's status."""
    text = source.text
    claims = list(claims)
    reader_url = reverse("claims:source_detail", args=[source.pk])
    started = set()
    parts = []
    for segment in segments(text, claims):
        opening = []
        for claim in segment.covering:
            first = claim.pk not in started
            started.add(claim.pk)
            opening.append(_mark(claim, reader_url, first=first, selected=selected))
        parts.append("".join(opening) + escape(text[segment.start : segment.end]) + "</mark>" * len(segment.covering))
    return mark_safe("".join(parts))  # every piece above is escaped or built by format_html


def _mark(claim, reader_url: str, *, first: bool, selected) -> str:
    return format_html(
        '<mark class="hl{}" data-status="{}" data-claim="{}"{} title="{}" '
        'hx-get="{}?claim={}" hx-target="#reader-claim" hx-swap="outerHTML" hx-trigger="click consume" '
        'hx-push-url="true">',
        " selected" if selected is not None and selected.pk == claim.pk else "",
        claim.status,
        claim.pk,
        format_html(' id="quote-{}"', claim.pk) if first else "",
        claim.summary,
        reader_url,
        claim.pk,
    )
