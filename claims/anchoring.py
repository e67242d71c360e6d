"""Tying a claim's quote to the exact characters of its source text.

Offsets count Unicode code points of the source text as stored (Python string
indices), the unit the W3C TextPositionSelector uses. Beside the offsets a claim
keeps a little text before and after its quote, so the quote can be found again
if the source text is corrected.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

CONTEXT_LENGTH = 32

# Re-anchoring scores a place for a quote as Hypothesis does (client, src/annotator/anchoring/match-quote.ts):
# how like the quote its text is, how like the stored prefix and suffix its surroundings are, and, only to
# break ties, how near it is to where the quote was.
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2
# A fuzzy match keeps at least this share of the quote's characters (normalized Indel similarity: a
# corrected typo or a few reworded words pass, a rewritten sentence does not); it also holds the match's
# length to between 0.6 and 1.67 times the quote's.
FUZZY_MIN_SIMILARITY = 0.75
# Below this, a quote is a year, a sum or a name, which a changed character or two turns into another one
# ("1999", "1998"): such a quote is found exactly or not at all.
FUZZY_MIN_LENGTH = 16
# A quote shorter than its stored context may stand anywhere by chance; found away from its offsets, it must
# have its surroundings along (their similarity to the stored prefix and suffix, averaged).
SHORT_QUOTE_MIN_CONTEXT = 0.6
# How much of a quote's opening and closing it is looked for by: enough words to be distinctive, and no more
# than rapidfuzz compares in one machine word (64 characters), which keeps searching a long text fast.
ANCHOR_LENGTH = 64


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


def locate_selection(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Where words a person selected (or typed) stand in `text`: at the offsets they
    sent if the words are still there, else the occurrence nearest to them. Refused
    when the words are not in the text, or typed without offsets and found more than once."""
    if not quote or not quote.strip():
        raise ValidationError("Select the claim's words in the text first.", code="empty_quote")
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return start, end
    occurrences = []
    position = text.find(quote)
    while position != -1:
        occurrences.append(position)
        position = text.find(quote, position + 1)
    if not occurrences:
        raise ValidationError(
            f"“{shorten(quote)}” is not in the source's text. Select the words in the reader, "
            "or copy them exactly (the text may have been corrected since you opened it).",
            code="quote_not_found",
        )
    if start < 0 and len(occurrences) > 1:
        raise ValidationError(
            f"“{shorten(quote)}” appears {len(occurrences)} times in the text: select the one you mean in the reader.",
            code="quote_ambiguous",
        )
    best = min(occurrences, key=lambda found: abs(found - start))
    return best, best + len(quote)


class RelocationMethod(models.TextChoices):
    """How a quote was found again in a corrected text."""

    POSITION = "position", "at its offsets"
    CONTEXT = "context", "by its quote and context"
    FUZZY = "fuzzy", "by an approximate match"


@dataclass(frozen=True)
class Relocation:
    """Where a claim's quote stands in a corrected text, how it was found, and how like the old quote it reads."""

    start: int
    end: int
    quote: str
    method: RelocationMethod
    similarity: float


def relocate(
    new_text: str, *, quote: str, start: int, end: int, prefix: str, suffix: str, old_text: str | None = None
) -> Relocation | None:
    """Where the quote stands in a corrected text: its offsets, the quote elsewhere, or its corrected words, or None."""
    if not quote:
        return None
    if start >= 0 and new_text[start:end] == quote:
        return Relocation(start, end, quote, RelocationMethod.POSITION, 1.0)
    edits = _edits(old_text, new_text) if old_text else None
    search = _Search(new_text, quote, prefix, suffix, hint=_map_offset(edits, start) if edits else start)

    places = _occurrences(new_text, quote)
    if edits and search.hint in places:
        # The edit between the texts moved the old span here: these are the quote's own characters.
        exact = search.candidate(search.hint, search.hint + len(quote))
    else:
        exact = search.best([search.candidate(place, place + len(quote)) for place in places])
    if exact:
        return Relocation(exact.start, exact.end, quote, RelocationMethod.CONTEXT, 1.0)

    if len(quote) < FUZZY_MIN_LENGTH:
        return None
    fuzzy = None
    if edits:
        # Likewise, what the edit put in the old span's place is the quote as corrected, if it still reads like it.
        fuzzy = search.best(search.approximate([(_map_offset(edits, start), _map_offset(edits, end, end=True))]))
    if not fuzzy:
        # Moved, or no old text to go by: look for the quote's opening and closing words near the expected place
        # (where a passage repeats, the whole text's best may be the other copy) and in the whole text. Going by
        # its two ends, not the whole quote, keeps a long quote fast and lets an edit in its middle change its length.
        head, tail = quote[:ANCHOR_LENGTH], quote[-ANCHOR_LENGTH:]
        nearby = max(0, search.hint - len(quote))
        spans = []
        for offset, haystack in ((nearby, new_text[nearby : search.hint + 2 * len(quote)]), (0, new_text)):
            opening = fuzz.partial_ratio_alignment(head, haystack)
            closing = fuzz.partial_ratio_alignment(tail, haystack)
            spans.append((offset + opening.dest_start, offset + opening.dest_start + len(quote)))
            spans.append((offset + closing.dest_end - len(quote), offset + closing.dest_end))
        fuzzy = search.best(search.approximate(spans))
    if fuzzy:
        return Relocation(
            fuzzy.start, fuzzy.end, new_text[fuzzy.start : fuzzy.end], RelocationMethod.FUZZY, fuzzy.similarity
        )
    return None


@dataclass(frozen=True)
class _Candidate:
    """A place the quote may stand in the new text, with what speaks for it, each from 0 to 1."""

    start: int
    end: int
    similarity: float  # of the text there to the quote
    prefix: float  # of the text before it to the stored prefix
    suffix: float
    closeness: float  # 1 at the expected place, 0 a whole text away

    @property
    def score(self) -> float:
        return (
            QUOTE_WEIGHT * self.similarity
            + PREFIX_WEIGHT * self.prefix
            + SUFFIX_WEIGHT * self.suffix
            + POSITION_WEIGHT * self.closeness
        )


@dataclass(frozen=True)
class _Search:
    """One quote looked for in one text, with the context it was stored with and where it is expected."""

    text: str
    quote: str
    prefix: str
    suffix: str
    hint: int

    def candidate(self, start: int, end: int) -> _Candidate:
        before, after = self.text[max(0, start - len(self.prefix)) : start], self.text[end : end + len(self.suffix)]
        return _Candidate(
            start,
            end,
            similarity=Indel.normalized_similarity(self.text[start:end], self.quote),
            prefix=Indel.normalized_similarity(before, self.prefix),
            suffix=Indel.normalized_similarity(after, self.suffix),
            closeness=1 - abs(start - self.hint) / max(len(self.text), 1),
        )

    def approximate(self, spans: list[tuple[int, int]]) -> list[_Candidate]:
        """Candidates fitted to the words around each span, those still like the quote."""
        fitted = sorted({fit for span in spans if (fit := _fit_to_words(self.text, self.quote, *span))})
        candidates = [self.candidate(*span) for span in fitted]
        return [c for c in candidates if c.similarity >= FUZZY_MIN_SIMILARITY]

    def best(self, candidates: list[_Candidate]) -> _Candidate | None:
        """The highest scored candidate, the earliest of equals; a short quote's only with its context."""
        if len(self.quote) < CONTEXT_LENGTH:
            candidates = [c for c in candidates if (c.prefix + c.suffix) / 2 >= SHORT_QUOTE_MIN_CONTEXT]
        return max(candidates, key=lambda c: (c.score, -c.start), default=None)


def _occurrences(text: str, quote: str) -> list[int]:
    places = []
    place = text.find(quote)
    while place != -1:
        places.append(place)
        place = text.find(quote, place + 1)
    return places


@functools.lru_cache(maxsize=4)
def _edits(old_text: str, new_text: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """The character edits turning old_text into new_text, computed once for all the claims on a source."""
    # rapidfuzz aligns in C++, exactly and deterministically: ~10 ms for a typo in 20,000 characters, ~40 ms
    # for a rewrite. difflib needs junk heuristics to be fast; diff-match-patch needs a time limit not to take
    # a minute on a rewrite, and a time limit makes its result depend on the machine.
    return tuple(tuple(edit) for edit in Levenshtein.opcodes(old_text, new_text))


def _map_offset(edits: tuple[tuple[str, int, int, int, int], ...], offset: int, *, end: bool = False) -> int:
    """Where a boundary between characters of the old text falls in the new one."""
    for tag, old_start, old_end, new_start, new_end in edits:
        if tag == "insert" and offset == old_start:
            # Text inserted right at a span's edge stays outside it.
            if end:
                return new_start
            continue
        if old_start <= offset < old_end:
            # Equal and replaced runs keep their length; a deleted run leaves a single point.
            return new_start + min(offset - old_start, new_end - new_start)
    return edits[-1][4]


def _fit_to_words(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """The span near start:end that opens and closes like the quote, neither starting nor ending inside a word."""
    # A fuzzy match differs in length from the quote by at most what the similarity threshold allows.
    slack = len(quote) // 2
    starts = [i for i in range(max(0, start - slack), min(len(text), start + slack) + 1) if _starts_word(text, i)]
    ends = [i for i in range(max(0, end - slack), min(len(text), end + slack) + 1) if _ends_word(text, i)]
    if not starts or not ends:
        return None
    # Each edge is placed by the quote's own opening or closing words, so edits elsewhere in it do not pull it.
    head, tail = quote[:ANCHOR_LENGTH], quote[-ANCHOR_LENGTH:]
    first = max(starts, key=lambda i: (Indel.normalized_similarity(text[i : i + len(head)], head), -abs(i - start)))
    last = max(ends, key=lambda i: (Indel.normalized_similarity(text[max(0, i - len(tail)) : i], tail), -abs(i - end)))
    return (first, last) if first < last else None


def _starts_word(text: str, i: int) -> bool:
    return i < len(text) and not text[i].isspace() and not (i > 0 and text[i - 1].isalnum() and text[i].isalnum())


def _ends_word(text: str, i: int) -> bool:
    return i > 0 and not text[i - 1].isspace() and not (i < len(text) and text[i - 1].isalnum() and text[i].isalnum())


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
