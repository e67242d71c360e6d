"""Tying a claim's quote to the exact characters of its source text.

Offsets count Unicode code points of the source text as stored (Python string
indices), the unit the W3C TextPositionSelector uses. Beside the offsets a claim
keeps a little text before and after its quote, so the quote can be found again
if the source text is corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_LENGTH = 32


def check_anchor(text: str, quote: str, start: int, end: int) -> None:
    """Refuse offsets that do not select exactly `quote` in `text`."""
    if not quote:
        raise ValidationError("The quote is empty.", code="empty_quote")
    if start < 0 or end > len(text) or start >= end:
        raise ValidationError(
            f"Offsets {start}–{end} fall outside the source text ({len(text)} characters).",
            code="offsets_out_of_range",
        )
    found = text[start:end]
    if found != quote:
        raise ValidationError(
            f"The source text at {start}–{end} reads “{shorten(found)}”, not the quote “{shorten(quote)}”.",
            code="quote_mismatch",
        )


def context_around(text: str, start: int, end: int, length: int = CONTEXT_LENGTH) -> tuple[str, str]:
    """The text just before and just after a span: the W3C prefix and suffix."""
    return text[max(0, start - length) : start], text[end : end + length]


def find_quote(text: str, quote: str, *, prefix: str = "", suffix: str = "") -> tuple[int, int] | None:
    """Offsets of `quote` in `text`; where it occurs more than once, the occurrence whose
    surroundings best match `prefix` and `suffix`. None when the quote is not in the text."""
    if not quote:
        return None
    candidates = []
    position = text.find(quote)
    while position != -1:
        candidates.append(position)
        position = text.find(quote, position + 1)
    if not candidates:
        return None

    def context_score(start: int) -> int:
        before, after = context_around(text, start, start + len(quote), max(len(prefix), len(suffix)))
        return _common_suffix(before, prefix) + _common_prefix(after, suffix)

    best = max(candidates, key=context_score)
    return best, best + len(quote)


@dataclass(frozen=True)
class Passage:
    """The paragraph(s) a quote stands in, split around the quote for highlighting."""

    before: str
    quote: str
    after: str


def passage_around(text: str, start: int, end: int) -> Passage:
    """The whole paragraph(s) holding text[start:end]. Paragraphs end at line breaks,
    which covers both blank-line and one-line-per-paragraph scraped articles."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    if paragraph_end == -1:
        paragraph_end = len(text)
    return Passage(
        before=text[paragraph_start:start],
        quote=text[start:end],
        after=text[end:paragraph_end],
    )


def split_at(text: str, start: int, end: int) -> Passage:
    """The whole text split around the quote, for reading the quote in full context."""
    return Passage(before=text[:start], quote=text[start:end], after=text[end:])


def keep_line_breaks(text: str, original: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; keep LF unless the original text has CRs."""
    return text if "\r" in original else text.replace("\r\n", "\n")


def shorten(value: str, length: int = 60) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
