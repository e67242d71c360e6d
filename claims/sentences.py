"""The sentences of a source's text and why each is worth checking: the claims Claimdesk proposes.

Sentences are found by pysbd (rule-based, pure Python), which gets the abbreviations, decimals and quotations of
news text right ("U.S.", "Mr.", "Jan. 5", "No. 3", "p.m.", "$26.9 billion", `…," he said.`), with four corrections
made here: a line break always ends a sentence; a quotation of several sentences is split into them, as a claim is
one of them and not the whole quotation; a stop with no space after it ("Mabuhay kayo!…I hope") does not end one;
and titles the Philippine press abbreviates ("Atty.", "Brgy.", "Sta.") do not end one. pysbd's own character
offsets are not used: they can be wrong when a sentence repeats, so offsets are found here by counting characters.

A sentence is worth checking for the reasons `reasons` gives, each with the words that show it: the quantities of
`claims.quantities` (money, percentages, numbers, years), dates, comparisons, "since …", superlatives and attribution.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from claims import speakers
from claims.quantities import extract_quantities
from claims.speakers import Speaker

with warnings.catch_warnings():
    # pysbd 0.3.4's regular expressions are written with escapes ("\s" in plain strings) that Python warns about
    # when it compiles them, which it does whenever there is no cached bytecode; warnings are errors in the tests.
    warnings.filterwarnings("ignore", "invalid escape sequence")
    import pysbd

LABELS = {
    "money": "a money amount",
    "percentage": "a percentage",
    "share": "a share",
    "number": "a number",
    "year": "a year",
    "date": "a date",
    "comparison": "a comparison",
    "since": "a change since a time",
    "superlative": "a superlative",
    "attributed": "an attributed statement",
}
_REASON_OF_KIND = {
    "money": "money",
    "percentage": "percentage",
    "count": "number",
    "year": "year",
    "period": "year",
    "share": "share",
}

# Titles before a name that pysbd takes for a sentence's end.
_TITLE = re.compile(
    r"\b(?:Atty|Engr|Brgy|Usec|Asec|Cong|Sec|Secs|Sen|Rep|Gov|Gen|Col|Capt|Lt|Maj|Sgt|Supt|Insp|Hon|Fr|Sta|Sto)\.$"
)
_QUOTATION = re.compile(r"\"[^\"]*\"?|“[^”]*”?")

_SPACE = r"[^\S\n]"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = re.compile(
    # "January 5, 2017", "Jan. 5", "5 January", "in May", "on Tuesday", "last year", "earlier this month"
    rf"\b{_MONTH}(?:{_SPACE}+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?{_SPACE}+\d{{4}}\b)?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?{_SPACE}+(?:of{_SPACE}+)?{_MONTH}(?:{_SPACE}+\d{{4}}\b)?"
    rf"|\b{_WEEKDAY}\b"
    rf"|\b(?i:(?:(?:earlier|later){_SPACE}+)?(?:last|this|next|past){_SPACE}+(?:year|month|week|decade|quarter)"
    rf"|yesterday|(?:first|second|third|fourth){_SPACE}+quarter)\b"
)
_VAGUE_NUMBER = re.compile(r"\b(?i:dozens|scores|hundreds|thousands|millions|billions)(?=[^\S\n]+of\b)")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_COMPARISON = re.compile(
    rf"\b(?i:(?:more|less|fewer|(?!(?:rather|other|either|neither|whether)\b)\w+er){_SPACE}+than"
    rf"|compared{_SPACE}+(?:with|to)|(?:up|down)(?={_SPACE}+(?:from\b|by\b|[\d$€£¥₱]))|as{_SPACE}+(?:many|much){_SPACE}+as"
    rf"|at{_SPACE}+(?:least|most)|(?:increase|decrease|rise|drop|decline|growth|fall|jump){_SPACE}+(?:of|in)"
    r"|doubled|tripled|trebled|quadrupled|halved|outnumber(?:s|ed)?|exceed(?:s|ed)?|surpass(?:es|ed)?|overtook"
    # not "declined", which news text mostly uses for a refusal ("declined to give details")
    r"|(?:rose|fell|grew|increased|decreased|dropped|jumped|surged|plunged|soared|slumped)"
    r"|higher|lower|larger|smaller|bigger|greater|fewer)\b"
)
_SINCE = re.compile(
    rf"\b(?i:since){_SPACE}+(?:(?i:the|early|late|mid-?){_SPACE}*)?"
    rf"(?:\d{{4}}s?\b|{_MONTH}|{_WEEKDAY}\b|(?i:last|taking|then)\b(?:{_SPACE}+\w+)?)"
)
# "-est" words after "the", "its", "Russia's" …, and superlatives that need no article. Not "first" opening a list.
_NOT_SUPERLATIVES = frozenset(
    "interest west test rest forest harvest protest request contest chest quest nest guest arrest behest"
    " manifest digest conquest honest modest".split()
)
_SUPERLATIVE = re.compile(
    r"(?:\b(?:the|its|their|his|her|our|[\w]+['’]s)[^\S\n]+(?P<est>\w{2,}est)\b"
    r"|\b(?i:first)\b(?!,)|\b(?i:largest|biggest|highest|lowest|smallest|greatest|fastest"
    r"|slowest|most|least|best|worst|record(?:-high|-low|-breaking)?|unprecedented|all-time)\b)"
)
_ATTRIBUTED = re.compile(
    # "say" but not the noun ("the final say")
    r"\b(?:said|says|(?<!the\s)(?<!final\s)(?<!a\s)(?<!no\s)say|told|tells|added|adds|stated|claimed|claims|noted|explained|announced|insisted|argued"
    r"|warned|stressed|declared|reported|revealed|estimated|confirmed|denied|described|saying)\b"
    r"|\b(?i:according){_}to\b|\b(?:data|figures|statistics|records|survey|poll|study|report)"
    r"{_}(?:showed|shows|show|indicated|indicates|revealed|suggested|suggests|found)\b".replace("{_}", r"[^\S\n]+")
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text, with its code-point offsets: text[start:end] == sentence.text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Reason:
    """Why a sentence is worth checking, and the words that show it: sentence[start:end]."""

    code: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A sentence proposed as a claim, why, and who the text attributes it to (None when it does not say)."""

    sentence: Sentence
    reasons: tuple[Reason, ...]
    claimant: Speaker | None


def candidates(text: str) -> list[Candidate]:
    """Every sentence of `text` with at least one reason to check it, in order, with the
    claimant `speakers.detect_speaker` gives for it (the article read once for all of them)."""
    speaker_of = speakers.speaker_finder(text)
    found = []
    for sentence in split_sentences(text):
        found_reasons = reasons(sentence.text)
        if found_reasons:
            found.append(Candidate(sentence, tuple(found_reasons), speaker_of(sentence.start, sentence.end)))
    return found


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, trimmed of surrounding whitespace; no sentence runs across a line break."""
    sentences = []
    for line in re.finditer(r"[^\r\n]+", text):
        ends = _sentence_ends(line.group())
        start = 0
        for end in ends:
            piece = line.group()[start:end]
            stripped = piece.strip()
            if stripped:
                offset = line.start() + start + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(offset, offset + len(stripped), stripped))
            start = end
    return sentences


def reasons(sentence: str) -> list[Reason]:
    """Why `sentence` is worth checking, each with its offsets in the sentence, in order."""
    found = [
        (_REASON_OF_KIND[quantity.kind], quantity.start, quantity.end) for quantity in extract_quantities(sentence)
    ]
    found += [("date", match.start(), match.end()) for match in _DATE.finditer(sentence)]
    found += [("number", match.start(), match.end()) for match in _VAGUE_NUMBER.finditer(sentence)]
    found += [("comparison", match.start(), match.end()) for match in _COMPARISON.finditer(sentence)]
    found += [("since", match.start(), match.end()) for match in _SINCE.finditer(sentence)]
    found += [
        ("superlative", match.start(), match.end())
        for match in _SUPERLATIVE.finditer(sentence)
        if (match.group("est") or "").lower() not in _NOT_SUPERLATIVES
    ]
    found += [("attributed", match.start(), match.end()) for match in _ATTRIBUTED.finditer(sentence)]
    # Any figure the patterns above did not explain ("No. 3", "12-3") is still a number stated.
    found += [
        ("number", match.start(), match.end())
        for match in _DIGITS.finditer(sentence)
        if not any(start <= match.start() and match.end() <= end for _, start, end in found)
    ]
    unique = sorted(set(found), key=lambda reason: (reason[1], reason[2], list(LABELS).index(reason[0])))
    return [Reason(code, LABELS[code], start, end) for code, start, end in unique]


def _sentence_ends(line: str) -> list[int]:
    """Where each sentence of one line ends, the last at the line's end."""
    ends = _pysbd_ends(line)
    # A quotation of several sentences ("We have no alliance. We speak against alliances," he said.) is split into
    # them, by pysbd again so that abbreviations inside it are read as they are outside.
    for quotation in _QUOTATION.finditer(line):
        inner_start = quotation.start() + 1
        inner = line[inner_start : quotation.end() - 1] if quotation.group()[-1] in '"”' else line[inner_start:]
        ends += [inner_start + end for end in _pysbd_ends(inner)[:-1]]
    ends = sorted(set(ends))
    kept = []
    for end in ends:
        at_line_end = end >= len(line)
        # pysbd ends a sentence after the last character before a space, so a character there means no space.
        if not at_line_end and (not line[end].isspace() or _TITLE.search(line[:end])):
            continue
        kept.append(end)
    return kept


def _pysbd_ends(text: str) -> list[int]:
    """Where pysbd ends each sentence of `text`, found by counting the non-space characters of each sentence.

    Counting rather than searching for the sentence's text keeps repeated sentences apart and survives pysbd's
    occasional change to the spacing; the last end is always len(text), so no character is lost.
    """
    non_space = [index for index, character in enumerate(text) if not character.isspace()]
    ends, count = [], 0
    # A new Segmenter each time: one keeps the text it is segmenting on itself, so it is not safe to share.
    for sentence in pysbd.Segmenter(language="en", clean=False).segment(text):
        count += sum(1 for character in sentence if not character.isspace())
        if 0 < count < len(non_space):
            ends.append(non_space[count - 1] + 1)
    return [*ends, len(text)]
