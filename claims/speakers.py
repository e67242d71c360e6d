"""Who an article attributes a passage to, found by rule from the attributing words around it.

A passage belongs to the sentence(s) holding it, widened to the whole quotation when it
stands inside one, so the words of `"…," he said` reach every sentence of the quotation.
There the attributing words are looked for ("Khovaev said", "Khovaev, in a press
conference on January 5, said", "said Khovaev", "according to Khovaev", "the ambassador
said", "he said", "Khovaev …, saying") and resolved against the whole article: a surname
to the fullest form of the name the article gives, a role to the person the article gives
that title, a pronoun to the last speaker before it. Words that do not attribute a
statement to someone named ("central bank data showed", "according to the central bank",
"an official said") give no speaker: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

# Role nouns, each with the title it stands for: "the envoy" is the article's ambassador.
ROLE_NOUNS = {
    "ambassador": "ambassador",
    "envoy": "ambassador",
    "senator": "senator",
    "congressman": "congressman",
    "congresswoman": "congressman",
    "lawmaker": "lawmaker",
    "president": "president",
    "minister": "minister",
    "secretary": "secretary",
    "secretary-general": "secretary-general",
    "governor": "governor",
    "mayor": "mayor",
    "chancellor": "chancellor",
    "premier": "premier",
    "speaker": "speaker",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "commissioner": "commissioner",
    "director": "director",
    "chief": "chief",
    "judge": "judge",
    "prosecutor": "prosecutor",
    "professor": "professor",
    "official": "official",
}
# Words of address standing before a name: "His Excellency President Duterte".
HONORIFICS = ("mr", "mrs", "ms", "dr", "sir", "madam", "his", "her", "excellency", "honorable", "hon")
# Capitalised words that begin sentences or stand before names without being names.
NOT_NAMES = (
    "a an the this that these those its their our my your he she it they we i you"
    " when while where what who why how if as at in on of for from to by with after before during since until"
    " although though because but and or nor so yet also then meanwhile however moreover furthermore still"
    " earlier later now today yesterday tomorrow last next here there asked according"
    " monday tuesday wednesday thursday friday saturday sunday january february march april may june july"
    " august september october november december"
).split() + list(HONORIFICS)
# The verbs of attribution, and the idiom "has gone as far as to say".
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|explained|explains|stated|argued|argues"
    "|claimed|claims|insisted|insists|warned|warns|announced|announces|recalled|recalls|declared|declares"
    "|expressed|expresses|pointed out|points out|(?:gone|went|goes|go) (?:so|as) far as to say"
)
# After the quotation ("…," said Khovaev); not "told", whose object is the one spoken to.
INVERTED_SPEECH_VERBS = (
    "said|says|added|adds|noted|notes|stressed|explained|stated|argued|claimed|insisted|warned|announced|recalled"
)
# Words that may stand between a speaker and the verb: "has previously said".
AUXILIARIES = (
    "has|have|had|also|previously|later|earlier|again|once|then|further|repeatedly|already|recently|would|will"
)
# Lower-case words inside a name: "Bangko Sentral ng Pilipinas", "Ursula von der Leyen".
NAME_PARTICLES = "de|da|del|della|di|dos|du|van|von|der|den|ng|bin|ibn|al"
# Words that may open a sentence before its subject: "But he has since softened his stance, saying…".
CONNECTIVES = "But|And|Yet|So|Still|However|Meanwhile|Later|Earlier"

_UPPER = "".join(c for c in map(chr, range(0x2000)) if c.isupper())
_SPACE = r"[^\S\n]+"  # names and attributions do not run across paragraphs
_WORD = rf"[{_UPPER}][\w-]*(?:['’][{_UPPER}][\w-]*)?"
_NAME = (
    rf"(?<![\w'’-])(?!(?i:{'|'.join(NOT_NAMES)})\b){_WORD}"
    rf"(?:{_SPACE}(?:(?:{NAME_PARTICLES}){_SPACE})?{_WORD}){{0,4}}"
)
_ROLE_NOUN = "(?i:{})".format("|".join(sorted(ROLE_NOUNS, key=len, reverse=True)))
_DETERMINER = rf"(?:the|The|{_WORD}['’]s)"
_ROLE_PHRASE = (
    rf"(?:[\w-]+{_SPACE}){{0,3}}?{_ROLE_NOUN}\b"
    rf"(?:{_SPACE}(?:to|of|for|from|in){_SPACE}(?:the{_SPACE})?{_WORD}(?:{_SPACE}{_WORD}){{0,3}})?"
)
_ROLE = rf"\b{_DETERMINER}{_SPACE}{_ROLE_PHRASE}"
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_ATTRIBUTION = re.compile(
    # Khovaev said / Khovaev, in a press conference on January 5, said / the ambassador has said / he added
    rf"(?P<subject>{_ROLE}|{_PRONOUN.pattern}|{_NAME})(?:,[^,.;:!?\"“”\n]{{1,80}},)?(?:{_SPACE}(?:{AUXILIARIES}))*"
    rf"{_SPACE}(?P<verb>{SPEECH_VERBS.replace(' ', _SPACE)})\b"
    # …," said Khovaev / …, says Russian ambassador
    rf"|(?:,|[,.!?…]?[\"”])[^\S\n]*(?P<inverted_verb>{INVERTED_SPEECH_VERBS}){_SPACE}"
    rf"(?P<inverted_subject>(?:{_DETERMINER}{_SPACE})?{_ROLE_PHRASE}|{_PRONOUN.pattern}|{_NAME})"
    # according to Khovaev / according to the ambassador
    rf"|\b[Aa]ccording{_SPACE}to{_SPACE}(?P<according_subject>{_ROLE}|{_NAME})"
)
# Matched at the start of a sentence only, where "…, saying" plainly belongs to the sentence's subject.
_SAYING = re.compile(
    rf"(?:(?:{CONNECTIVES})\b,?{_SPACE})?(?P<subject>{_ROLE}|{_PRONOUN.pattern}|{_NAME})"
    rf"{_SPACE}[^.;:!?\"“”\n]*?,{_SPACE}saying\b"
)
_MENTION = re.compile(_NAME)
_SENTENCE_END = re.compile(rf"(?P<end>[.!?…]+[\"”’)\]]*){_SPACE}(?=[\"“‘(]?[{_UPPER}\d])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|Atty|Hon|St|Jr|Sr|No|Jan|Feb|Aug|Sept|Oct|Nov|Dec)"
    rf"|\b[{_UPPER}])\.$"
)
_QUOTE_MARK = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class Speaker:
    """Who a passage is attributed to, and the words of the article that say so."""

    name: str
    role: str
    evidence: str


def detect_speaker(text: str, start: int, end: int) -> Speaker | None:
    """Who `text` attributes the sentence(s) holding text[start:end] to; None when it does not say."""
    return _Article(text).speaker_of(start, end)


def speaker_finder(text: str) -> Callable[[int, int], Speaker | None]:
    """detect_speaker for many spans of one text: the text is read once, not once per span."""
    return _Article(text).speaker_of


def match_claimant(name: str, candidates: list[str]) -> str | None:
    """The candidate `name` stands for: the same name, else the only one with its surname and a compatible first."""
    wanted = _name_key(name.split())
    if not wanted:
        return None
    for candidate in candidates:
        if _name_key(candidate.split()) == wanted:
            return candidate
    fitting = [candidate for candidate in candidates if _same_person(wanted, _name_key(candidate.split()))]
    # Two claimants sharing the surname ("Rodrigo Duterte", "Sara Duterte") and a bare "Duterte": do not pick one.
    return fitting[0] if len(fitting) == 1 else None


@dataclass(frozen=True)
class _Mention:
    """A capitalised name in the article, with the title standing before it ("Russian Ambassador")."""

    position: int
    name: tuple[str, ...]
    title: tuple[str, ...]
    key: tuple[str, ...]  # the name as compared, see _name_key


@dataclass(frozen=True)
class _Attribution:
    """Attributing words found in the article, and the speaker they resolve to if the article identifies one."""

    position: int
    speaker: Speaker | None


class _Article:
    """One text read once: its sentences, quotations, names and attributions, in order."""

    def __init__(self, text: str):
        self.text = text
        self.quotations: list[tuple[int, int]] = []
        self.sentences: list[tuple[int, int]] = []
        for paragraph in re.finditer(r"[^\n]+", text):
            self._read_paragraph(paragraph.start(), paragraph.end())
        self.mentions = [mention for match in _MENTION.finditer(text) if (mention := self._mention(match))]
        # A capitalised word is a name, not merely a sentence's first word, if the article also has it elsewhere.
        self.proper_words = {
            word
            for mention in self.mentions
            for word in mention.name[1 if self._starts_sentence(mention.position) else 0 :]
        }
        self.attributions: list[list[_Attribution]] = []
        last_speaker = None
        for sentence in self.sentences:
            found = []
            for subject, position, evidence in self._attributing_words(*sentence):
                last_speaker = self._resolve(subject, position, evidence, last_speaker)
                found.append(_Attribution(position, last_speaker))
            self.attributions.append(found)

    def speaker_of(self, start: int, end: int) -> Speaker | None:
        """The speaker of the attribution nearest text[start:end] in the sentence(s) holding it."""
        found = [
            attribution
            for (sentence_start, sentence_end), attributions in zip(self.sentences, self.attributions, strict=True)
            if sentence_start < max(end, start + 1) and start < sentence_end
            for attribution in attributions
        ]
        if not found:
            return None
        nearest = min(found, key=lambda a: (max(start - a.position, a.position - end, 0), a.position))
        return nearest.speaker

    def _read_paragraph(self, start: int, end: int) -> None:
        opened = None
        for mark in _QUOTE_MARK.finditer(self.text, start, end):
            if opened is None and mark.group() != "”":
                opened = mark.start()
            elif opened is not None and mark.group() != "“":
                self.quotations.append((opened, mark.end()))
                opened = None
        if opened is not None:
            # A quotation running on into the next paragraph is, by convention, not closed in this one.
            self.quotations.append((opened, end))
        for stop in _SENTENCE_END.finditer(self.text, start, end):
            abbreviation = _ABBREVIATION.search(self.text, max(start, stop.start() - 8), stop.end("end"))
            if abbreviation or self._quoted(stop.end("end")):
                continue
            self.sentences.append((start, stop.end("end")))
            start = stop.end()
        self.sentences.append((start, end))

    def _quoted(self, position: int) -> bool:
        index = bisect_right(self.quotations, (position, position)) - 1
        return index >= 0 and self.quotations[index][0] < position < self.quotations[index][1]

    def _starts_sentence(self, position: int) -> bool:
        index = bisect_right(self.sentences, (position, len(self.text))) - 1
        return not self.text[self.sentences[index][0] : position].strip(" \"“‘'(")

    def _mention(self, match: re.Match) -> _Mention | None:
        words = list(re.finditer(r"\S+", match.group()))
        title, name = _split_title([word.group() for word in words])
        if not name:
            return None
        return _Mention(match.start() + words[len(title)].start(), tuple(name), tuple(title), _name_key(name))

    def _attributing_words(self, start: int, end: int) -> list[tuple[str, int, str]]:
        """(subject, position, evidence) of each attribution in a sentence, outside quotations."""
        found = []
        saying = _SAYING.match(self.text, start, end)
        if saying:
            found.append(
                (saying.group("subject"), saying.start("subject"), self.text[saying.start("subject") : saying.end()])
            )
        for match in _ATTRIBUTION.finditer(self.text, start, end):
            if match.group("verb"):
                subject, position, evidence = match.group("subject"), match.start("verb"), match.group()
            elif match.group("inverted_verb"):
                subject, position = match.group("inverted_subject"), match.start("inverted_verb")
                evidence = self.text[position : match.end()]
            else:
                subject, position, evidence = match.group("according_subject"), match.start(), match.group()
            if not self._quoted(position):
                found.append((subject, position, evidence))
        return sorted(
            (
                (subject, position, " ".join(evidence.split()))
                for subject, position, evidence in found
                if self._names_someone(subject)
            ),
            key=lambda item: item[1],
        )

    def _names_someone(self, subject: str) -> bool:
        """A pronoun, a role or a name; not a capitalised word that only opens a sentence ("Officials said")."""
        if _PRONOUN.fullmatch(subject):
            return True
        title, name = _split_title(subject.split())
        return len(name) > 1 or (name[0] in self.proper_words if name else bool(title))

    def _resolve(self, subject: str, position: int, evidence: str, last_speaker: Speaker | None) -> Speaker | None:
        if _PRONOUN.fullmatch(subject):
            return last_speaker and Speaker(last_speaker.name, last_speaker.role, evidence)
        title, name = _split_title(subject.split())
        if name:
            return self._person(name, position, evidence)
        return self._holder_of(title, position, evidence)

    def _person(self, name: list[str], position: int, evidence: str) -> Speaker:
        """The fullest form of a name the article gives, and the title it gives with it."""
        key = _name_key(name)
        same = [mention for mention in self.mentions if _same_person(key, mention.key)]
        if not same:
            return Speaker(" ".join(name), "", evidence)
        fullest = max(len(mention.name) for mention in same)
        # Two people sharing a surname: the one named last before the attribution, else first after it.
        chosen = min(
            (mention for mention in same if len(mention.name) == fullest),
            key=lambda mention: (mention.position > position, abs(mention.position - position)),
        )
        titled = [mention for mention in same if mention.title and _same_person(chosen.key, mention.key)]
        title = min(
            titled,
            key=lambda mention: (mention.name != chosen.name, abs(mention.position - chosen.position)),
            default=None,
        )
        return Speaker(" ".join(chosen.name), " ".join(title.title) if title else "", evidence)

    def _holder_of(self, reference: list[str], position: int, evidence: str) -> Speaker | None:
        """The person the article gives the role `reference` names ("the Russian ambassador", "Russia's envoy")."""
        role = ROLE_NOUNS[_plain(reference[-1])]
        qualifiers = [_plain(word) for word in reference[:-1] if _plain(word) not in NOT_NAMES]
        holders = [
            mention for mention in self.mentions if mention.title and ROLE_NOUNS[_plain(mention.title[-1])] == role
        ]

        def mismatch(mention: _Mention) -> int:
            title = [_plain(word) for word in mention.title[:-1]]
            # By the stem, so that "Russia's envoy" is the "Russian Ambassador".
            unmatched_title = sum(not any(word.startswith(q) for q in qualifiers) for word in title)
            unmatched_qualifiers = sum(not any(word.startswith(q) for word in title) for q in qualifiers)
            return unmatched_title + unmatched_qualifiers

        holder = min(
            holders,
            key=lambda mention: (mismatch(mention), mention.position > position, abs(mention.position - position)),
            default=None,
        )
        return holder and self._person(list(holder.name), holder.position, evidence)


def _split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """(["Russian", "Ambassador"], ["Igor", "Khovaev"]): the words up to the last role noun, and the name after them."""
    roles = [index for index, word in enumerate(words) if _plain(word) in ROLE_NOUNS]
    if not roles:
        return [], words
    name = []
    for word in words[roles[-1] + 1 :]:
        if not (word[0].isupper() or word in NAME_PARTICLES.split("|")):
            break
        name.append(word)
    return words[: roles[-1] + 1], name


def _plain(word: str) -> str:
    """A word without case, possessive or trailing punctuation, for looking it up."""
    return word.casefold().removesuffix("'s").removesuffix("’s").rstrip(".,")


def _name_key(words: list[str]) -> tuple[str, ...]:
    """A name's words without the titles before it, case or accents, for comparing names."""
    _, name = _split_title([word for word in words if _plain(word) not in HONORIFICS])
    plain = unicodedata.normalize("NFKD", " ".join(name).casefold())
    return tuple("".join(c for c in plain if not unicodedata.combining(c)).split())


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same surname, and first names that agree where both are given ("I." agrees with "Igor")."""
    if not a or not b or a[-1] != b[-1]:
        return False
    if len(a) == 1 or len(b) == 1:
        return True
    first_a, first_b = a[0].rstrip("."), b[0].rstrip(".")
    return first_a == first_b or (min(len(first_a), len(first_b)) == 1 and first_a[0] == first_b[0])
