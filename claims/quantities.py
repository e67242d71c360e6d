"""Quantities a text states (money, percentages, counts, years, periods, shares in words) and the arithmetic of a
stated share or change.

`extract_quantities` reads "$43 million", "P2.5-billion", "US$1.2bn", "25,000 pesos", "0.2 percent", "3.5 per cent",
"1,200 troops", "three ships", "a four-day visit", "1951", "since 1999", "2010 to 2015", with each value in full as
a Decimal (43 million is 43000000) and its offsets in the text. `check_arithmetic` finds a part, a total and the
share stated between them ("$43 million … only 0.2 percent of the total $26.9 billion") and decides, as a careful
editor would, whether the stated share is the part's share of the total rounded to the precision it is written with.
Rounding is half up, as people round by hand (0.15 % is "0.2 percent", 0.149 % is "0.1 percent"); a hedged share
("about 20 percent") may also be rounded one place coarser; a bound ("less than 1 percent") is checked as a bound.
Where no share is stated, a change between a value before and after ("rose 15 percent to $30 billion from $26
billion") is checked the same way, in its direction too, and in points where it is stated in percentage points.
All of it is Decimal arithmetic: no float takes part in a decision.

The extraction is written here rather than taken from quantulum3 (0.10.0, the maintained library for this), which
was tried on these cases and misread the ones a Philippine newsroom writes most: "P2.5 billion" came out as a bare
1,000,000,000, "US$1.2bn" as "dollar bit newton", "€5m" as euro-metres, "25,000 pesos" as Mexican peso-seconds and
"2010 to 2015" as 2012.5; it works in floats, and its first call took seven seconds to load its unit tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

SCALES = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_SCALE_ABBREVIATIONS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "b": "billion",
    "bn": "billion",
    "tn": "trillion",
    "trn": "trillion",
}
# Written before the amount. A bare "P" before digits is the Philippine press's peso sign ("P2.5 billion").
CURRENCY_SIGNS = {
    "US$": "USD",
    "U.S.$": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "S$": "SGD",
    "NZ$": "NZD",
    "₱": "PHP",
    "P": "PHP",
    "Php": "PHP",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₽": "RUB",
    "₹": "INR",
}
CURRENCY_CODES = ("USD", "PHP", "EUR", "GBP", "JPY", "CNY", "RUB", "INR", "AUD", "CAD", "HKD", "SGD", "NZD")
# Written after the amount. Plain "pesos" are Philippine pesos: this is a Philippine newsroom's desk.
CURRENCY_WORDS = {
    "dollar": "USD",
    "us dollar": "USD",
    "u.s. dollar": "USD",
    "australian dollar": "AUD",
    "canadian dollar": "CAD",
    "hong kong dollar": "HKD",
    "singapore dollar": "SGD",
    "peso": "PHP",
    "philippine peso": "PHP",
    "mexican peso": "MXN",
    "euro": "EUR",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "ruble": "RUB",
    "rouble": "RUB",
    "rupee": "INR",
}
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen"
).split()
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {
    **{word: value for value, word in enumerate(_UNIT_WORDS)},
    **{word: 20 + 10 * index for index, word in enumerate(_TENS_WORDS)},
    "hundred": 100,
    "dozen": 12,
}
# Nouns that count things without ending in -s. Any other lower-case word after a count is taken as what is counted
# only when it looks like a plural, so that verbs ("26.9 billion sent home") and adjectives are not.
_IRREGULAR_PLURALS = frozenset(
    "people children men women police personnel staff cattle sheep fish aircraft troops crew".split()
)
_NOT_COUNTED = frozenset(
    "is was has does its his hers this thus as us yes plus less unless across towards always perhaps whereas"
    " besides afterwards nevertheless sometimes".split()
)

_SPACE = r"[^\S\n]"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_NOT_AFTER = r"(?<![\w.,$€£¥₱₽₹-])"  # not inside a word, a bigger number or a code like "COVID-19"
_NOT_BEFORE = r"(?!\w|[.,]\d)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SPELLED = (
    # "a million", "a thousand"
    rf"(?i:an?(?={_SPACE}+(?:thousand|million|billion|trillion)\b)"
    # "three", "twenty-one", "a dozen", "two hundred and fifty"
    rf"|(?:an?{_SPACE}+(?=(?:hundred|dozen)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:(?<=hundred){_SPACE}+and{_SPACE}+|{_SPACE}+|-)(?:{_NUMBER_WORD}))*\b)"
)
_SIGN = "|".join(re.escape(sign) for sign in sorted(CURRENCY_SIGNS, key=len, reverse=True) if sign != "P")
_CURRENCY_WORD = "|".join(
    re.escape(word).replace(r"\ ", f"{_SPACE}+") for word in sorted(CURRENCY_WORDS, key=len, reverse=True)
)
_AMOUNT = re.compile(
    rf"""{_NOT_AFTER}
    (?:(?P<sign>{_SIGN}|P(?=\d)){_SPACE}?|(?P<code>{"|".join(CURRENCY_CODES)}){_SPACE}?(?=\d))?
    (?P<number>{_DIGITS}|{_SPELLED})
    (?P<and_a_half>{_SPACE}+and{_SPACE}+a{_SPACE}+half\b)?  # "two and a half million"
    (?:
        (?:{_SPACE}+|-)(?P<scale>(?i:thousand|million|billion|trillion))
        | {_SPACE}?(?P<scale_abbreviation>mn|mln|bn|tn|trn)
        | (?P<scale_letter>[kmbKMB])
    )?
    {_NOT_BEFORE}
    (?:
        {_SPACE}?(?P<percent_sign>%)
        | {_SPACE}+(?P<percent_word>(?i:percent|per[\s-]cent|pct|percentage{_SPACE}+points?))\b
        | {_SPACE}+(?P<currency_word>(?i:{_CURRENCY_WORD})s?|{"|".join(CURRENCY_CODES)})\b
    )?""",
    re.VERBOSE,
)
_PERIOD = re.compile(
    rf"""{_NOT_AFTER}
    (?:
        (?i:between){_SPACE}+(?P<between>{_YEAR}){_SPACE}+and{_SPACE}+(?P<and>{_YEAR})
        | (?:(?i:from){_SPACE}+)?(?P<first>{_YEAR})
          (?:{_SPACE}*(?:-|–|—|to|through|until|till){_SPACE}*(?P<last>{_YEAR})|[-–/](?P<last_short>\d\d))
        | (?P<open_marker>(?i:since|from)){_SPACE}+(?:the{_SPACE}+)?(?P<open>{_YEAR})(?P<open_decade>s)?
        | (?P<decade>{_YEAR})s
    )
    (?!\w|[.,]\d)""",
    re.VERBOSE,
)
# The day of "January 5" or "5 January", and clock times, are not counts.
_NOT_QUANTITIES = re.compile(
    rf"\b{_MONTH}{_SPACE}+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,\d)"
    rf"|\b(?P<day_first>\d{{1,2}})(?:st|nd|rd|th)?{_SPACE}+(?:of{_SPACE}+)?{_MONTH}(?!\w)"
    rf"|\b(?P<time>\d{{1,2}}(?::\d\d)?{_SPACE}*(?:[ap]\.m\.|[ap]m\b)|\d{{1,2}}:\d\d\b)"
)
_COUNTED = re.compile(rf"{_SPACE}+(?P<noun>[a-z]+)\b(?!-)|-(?P<hyphen_noun>[a-z]+)\b")
# Shares written in words: "a quarter of", "two-thirds of", "half the", "one in five", or set off by punctuation
# ("12 million, nearly a quarter, stayed home"). A fraction word followed by another is not a share ("a third
# term"), nor is one of a time or a distance ("a quarter of a century").
DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}
DENOMINATORS |= {"ninth": 9, "tenth": 10}
_SMALL_NUMBER = "|".join(word for word in _UNIT_WORDS[1:] + ["twenty"])
_FRACTION = re.compile(
    rf"""(?<![\w-])(?i:
        (?P<numerator>an?|{_SMALL_NUMBER})(?:{_SPACE}+|-)(?P<denominator>{"|".join(DENOMINATORS)})s?
            (?={_SPACE}+of\b|{_SPACE}*[,;:)—–]|\.(?!\w))
            (?!{_SPACE}+of{_SPACE}+an?{_SPACE}+(?:century|decade|year|month|week|day|hour|mile)\b)
        | (?P<half>half)(?={_SPACE}+(?:of|the)\b|{_SPACE}*[,;:)—–]|\.(?!\w))(?!{_SPACE}+of{_SPACE}+an?\b)
        | (?P<one>{_SMALL_NUMBER}|\d{{1,2}}){_SPACE}+in{_SPACE}+(?P<every>{_SMALL_NUMBER}|hundred|\d{{1,3}})\b(?![.,]\d)
    )""",
    re.VERBOSE,
)

_NUMBER_AND = re.compile(rf"(?:\d|\b(?i:{_NUMBER_WORD})){_SPACE}+and{_SPACE}+$")


@dataclass(frozen=True)
class Quantity:
    """A quantity stated in a text: `value` in full, `stated` the words as written at text[start:end].

    `unit` is the currency code for money, "percent" (or "percentage points") for percentages, the word counted
    ("troops", "day") or "" for counts, "" for years, periods and shares in words. A period's last year is `until`
    (None when it runs on: "since 1999"). A share in words ("a quarter of", "one in five") has its `ratio` and its
    value in percent.
    """

    value: Decimal
    unit: str
    currency: str
    scale: str
    stated: str
    start: int
    end: int
    kind: str  # "money" | "percentage" | "count" | "year" | "period" | "share"; "change" ("doubled") in a check
    until: Decimal | None = None
    # In words, so judged as words are (CLOSE_TO_WORDS): a share, (1, 4) for "a quarter", its value 25 (percent); a
    # change, (4, 2) for "doubled", its value 100 (percent)
    ratio: tuple[int, int] | None = None

    @property
    def figure(self) -> Decimal:
        """The number as written before its scale word: 26.9 for "$26.9 billion"."""
        return self.value / SCALES[self.scale] if self.scale else self.value

    @property
    def decimal_places(self) -> int:
        """How many decimals the figure is written with: 1 for "0.2 percent", 0 for "15%"."""
        return max(0, -self.figure.as_tuple().exponent)


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in `text`, in order."""
    found = []
    taken = [match.span(match.lastgroup or 0) for match in _NOT_QUANTITIES.finditer(text)]
    for match in _PERIOD.finditer(text):
        found.append(_period(match))
        taken.append(match.span())
    for match in _FRACTION.finditer(text):
        if _NUMBER_AND.search(text, max(0, match.start() - 30), match.start()):
            continue  # "two and a half": a number, read with the amounts
        share = _share_in_words(match)
        if share and not any(start < match.end() and match.start() < end for start, end in taken):
            found.append(share)
            taken.append(match.span())
    for match in _AMOUNT.finditer(text):
        if any(start < match.end("number") and match.start("number") < end for start, end in taken):
            continue
        quantity = _amount(text, match)
        if quantity:
            found.append(quantity)
    return sorted(found, key=lambda quantity: quantity.start)


def stated_quantities(text: str) -> list[Quantity]:
    """What a claim page lists: every quantity in `text` and the changes stated in words ("doubled", "halved")."""
    changes = [_multiple(match) for match in _MULTIPLIED.finditer(text)]
    return sorted(extract_quantities(text) + changes, key=lambda quantity: quantity.start)


def _period(match: re.Match) -> Quantity:
    if match.group("between"):
        first, last = match.group("between"), match.group("and")
    elif match.group("first"):
        first = match.group("first")
        last = match.group("last") or first[:2] + match.group("last_short")  # "2016-17"
    elif match.group("open"):
        first, last = match.group("open"), None
        if match.group("open_decade"):  # "since the 1990s" starts with the decade
            first = first[:3] + "0"
    else:
        first, last = match.group("decade")[:3] + "0", match.group("decade")[:3] + "9"
    return _words_quantity(match, "period", Decimal(first), until=Decimal(last) if last else None)


def _share_in_words(match: re.Match) -> Quantity | None:
    if match.group("half"):
        ratio = (1, 2)
    elif match.group("denominator"):
        ratio = (_small_number(match.group("numerator")), DENOMINATORS[match.group("denominator").lower()])
    else:
        ratio = (_small_number(match.group("one")), _small_number(match.group("every")))
    if not 0 < ratio[0] < ratio[1]:
        return None  # "five in three", "one in one": not a share
    return _words_quantity(match, "share", Decimal(ratio[0]) * 100 / Decimal(ratio[1]), ratio=ratio)


def _small_number(word: str) -> int:
    """The number of a share's word: "a" and "an" are one, "3" and "three" three."""
    word = word.lower()
    return int(word) if word.isdigit() else 1 if word in ("a", "an") else NUMBER_WORDS[word]


def _words_quantity(match: re.Match, kind: str, value: Decimal, **rest) -> Quantity:
    """A year, period or share as written at the match: no unit, currency or scale."""
    return Quantity(
        value=value,
        unit="",
        currency="",
        scale="",
        stated=match.group(),
        start=match.start(),
        end=match.end(),
        kind=kind,
        **rest,
    )


def _amount(text: str, match: re.Match) -> Quantity | None:
    number = match.group("number")
    scale = (match.group("scale") or "").lower() or _SCALE_ABBREVIATIONS.get(
        (match.group("scale_abbreviation") or match.group("scale_letter") or "").lower(), ""
    )
    currency = _currency(match)
    if match.group("scale_letter") and not currency:
        return None  # "100m" without a currency is a distance, not a hundred million
    percent = match.group("percent_sign") or match.group("percent_word")
    if number.lower() == "one" and not (scale or currency or percent):
        return None  # "one" alone is mostly a pronoun ("does not intend to build one")
    figure = Decimal(number.replace(",", "")) if number[0].isdigit() else _spelled_value(number)
    if match.group("and_a_half"):
        figure += Decimal("0.5")
    value = figure * SCALES[scale] if scale else figure
    if scale and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    end, unit = match.end(), ""
    if currency:
        kind, unit = "money", currency
    elif percent:
        kind = "percentage"
        unit = "percentage points" if percent.lower().startswith("percentage") else "percent"
    elif re.fullmatch(_YEAR, number) and not scale:
        kind = "year"
    else:
        kind = "count"
        counted = _COUNTED.match(text, end)
        if counted and _is_counted_noun(counted.group("noun") or counted.group("hyphen_noun"), counted):
            end, unit = counted.end(), counted.group("noun") or counted.group("hyphen_noun")
    return Quantity(
        value=value,
        unit=unit,
        currency=currency,
        scale=scale,
        stated=text[match.start() : end],
        start=match.start(),
        end=end,
        kind=kind,
    )


def _currency(match: re.Match) -> str:
    if match.group("sign"):
        return CURRENCY_SIGNS[match.group("sign")]
    if match.group("code"):
        return match.group("code")
    word = match.group("currency_word")
    if not word:
        return ""
    if word in CURRENCY_CODES:
        return word
    word = " ".join(word.lower().split())
    return CURRENCY_WORDS.get(word) or CURRENCY_WORDS[word.removesuffix("s")]


def _spelled_value(words: str) -> Decimal:
    value = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in ("a", "an"):
            value = 1
        elif word in ("hundred", "dozen"):
            value = (value or 1) * NUMBER_WORDS[word]
        elif word != "and":
            value += NUMBER_WORDS[word]
    return Decimal(value)


def _is_counted_noun(word: str, match: re.Match) -> bool:
    if match.group("hyphen_noun"):
        return word not in NUMBER_WORDS  # "four-day", "12-year-old"; not "twenty-one"
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word not in _NOT_COUNTED


# ---- the arithmetic of a stated share -------------------------------------------------------------------------

# "0.2 percent of the total $26.9 billion": a share followed by "of" and a few words before the total.
_SHARE_OF = re.compile(rf",?{_SPACE}+of\b")
_SHARE_OF_TOTAL = re.compile(rf",?{_SPACE}+of(?:{_SPACE}+[\w'’-]+){{0,6}}?{_SPACE}+")
# "3 of 12 ships", "1,200 out of the 5,000 troops", "$43 million of the $26.9 billion"
_PART_OF_TOTAL = re.compile(rf"{_SPACE}+(?:out{_SPACE}+)?of{_SPACE}+(?:(?:the|all|a){_SPACE}+)?(?:total{_SPACE}+)?")
# Words just before an amount that mark it as the whole: "the total $26.9 billion", "which totalled $26.9 billion".
_TOTAL_MARKER = re.compile(
    rf"(?:\b(?i:total(?:led|ed|ing|s)?)(?:{_SPACE}+of)?|\b(?i:out){_SPACE}+(?i:of)|\b(?i:of){_SPACE}+(?:the|all)|\bOf)"
    rf"(?:{_SPACE}+[\w'’-]+)?{_SPACE}+$"
)
# A percentage that states a change ("rose 15 percent", "a 15% increase") is not a share of anything.
_CHANGE_BEFORE = re.compile(
    r"\b(?P<change>(?i:rose|rise|rising|risen|fell|fall|falling|fallen|grew|grow|growing|grown|increased?|increasing"
    r"|decreased?|decreasing|declined?|dropped|drop|jumped|surged|slipped|climbed|up|down|by))\b[^\d.;!?]{0,15}$"
)
_CHANGE_AFTER = re.compile(
    r"[^\S\n]*(?P<change>(?i:increase|rise|growth|gain|jump|drop|decline|decrease|fall|higher|lower|more|less"
    r"|faster|slower))\b"
)
_INCREMENT = re.compile(rf"{_SPACE}+(?i:more|fewer|less|extra|additional)\b")
# Changes in words, by how many times the value before they make the value after.
MULTIPLES = {"doubled": Decimal(2), "tripled": Decimal(3), "trebled": Decimal(3), "quadrupled": Decimal(4)}
MULTIPLES |= {"halved": Decimal("0.5")}
_MULTIPLIED = re.compile(rf"\b(?i:{'|'.join(MULTIPLES)})\b")
# Which way a change goes, by the word that states it ("by" says neither).
_RISING = {"rose", "rise", "rising", "risen", "grew", "grow", "growing", "grown", "increase", "increased"}
_RISING |= {"increasing", "jumped", "jump", "surged", "climbed", "up", "growth", "gain", "higher", "more", "faster"}
_RISING |= {"doubled", "tripled", "trebled", "quadrupled"}
_FALLING = {"fell", "fall", "falling", "fallen", "decrease", "decreased", "decreasing", "decline", "declined"}
_FALLING |= {"dropped", "drop", "slipped", "down", "lower", "less", "slower", "halved"}
# The value a change starts from ("from $26 billion", "up from 4.5 percent") and the one it reaches ("to $30 billion").
_FROM = re.compile(rf"\b(?i:from){_SPACE}+(?:(?i:a|an|the|just|only|about|around|some){_SPACE}+)?$")
_TO = re.compile(rf"\b(?i:to){_SPACE}+(?:(?i:a|an|the|just|only|about|around|some){_SPACE}+)?$")
# Words before the stated share that make it a bound or an approximation, and how a computed share must relate.
_QUALIFIER = re.compile(
    r"\b(?P<qualifier>(?i:more{_}than|greater{_}than|over|above|upwards{_}of|at{_}least|less{_}than|fewer{_}than"
    r"|under|below|at{_}most|nearly|almost|close{_}to|just{_}under|about|around|roughly|approximately|some"
    r"|an{_}estimated))[^\S\n]+$".replace("{_}", r"[^\S\n]+")
)
_LOWER_BOUNDS = {"more than", "greater than", "over", "above", "upwards of"}
_UPPER_BOUNDS = {"less than", "fewer than", "under", "below"}
_JUST_UNDER = {"nearly", "almost", "close to", "just under"}
_HEDGES = {"about", "around", "roughly", "approximately", "some", "an estimated", *_JUST_UNDER}
# A share in words ("a quarter", "one in five") is close to its value when within a twentieth of it (a quarter is
# 23.75-26.25 %, one in five 19-21 %), and hedged ("about a third", "nearly half") within a tenth.
CLOSE_TO_WORDS = Decimal("0.05")
CLOSE_TO_HEDGED_WORDS = Decimal("0.10")


@dataclass(frozen=True)
class ArithmeticCheck:
    """A part, a total and the share the text states between them, with the share worked out.

    `computed_share` is part / total in percent, shown to one decimal more than the stated share (and at least two
    significant digits); `consistent` was decided on the exact quotient.
    """

    part: Quantity
    total: Quantity
    stated_share: Quantity
    computed_share: Decimal
    consistent: bool
    explanation: str
    summary: str


@dataclass(frozen=True)
class ChangeCheck:
    """A value before, a value after and the change the text states between them, with the change worked out.

    `computed_change` is signed: (after - before) / before in percent, or after - before in percentage points when
    that is how the change is stated; shown as `computed_share` is.
    """

    before: Quantity
    after: Quantity
    stated_change: Quantity
    computed_change: Decimal
    consistent: bool
    explanation: str
    summary: str


def check_arithmetic(text: str) -> ArithmeticCheck | ChangeCheck | None:
    """Whether the share `text` states of a total matches its part, or else whether the change it states between a
    value before and after matches them ("rose 15 percent to $30 billion from $26 billion"); None when it states
    neither.

    Returns None rather than guessing when the text is ambiguous: two shares each said to be "of" something, more
    than one amount that could be the part, a total that nothing marks, or two changes.
    """
    quantities = extract_quantities(text)
    return _check_share(text, quantities) or _check_change(text, quantities)


def _check_share(text: str, quantities: list[Quantity]) -> ArithmeticCheck | None:
    share = _stated_share(text, quantities)
    if share is None:
        return None
    amounts = [quantity for quantity in quantities if quantity.kind in ("money", "count") and quantity.value]
    pair = _part_and_total(text, share, amounts)
    if pair is None or not _read_as_one(text, share, *pair):
        return None
    part, total = pair
    computed = part.value / total.value * 100
    qualifier = _QUALIFIER.search(text, 0, share.start)
    consistent, relation = _judge(computed, share, qualifier.group("qualifier").lower() if qualifier else "")
    shown = _shown(computed, share.decimal_places if share.ratio is None else 0)
    # "the stated 0.2 %"; a share in words as written, with its value: "the stated “a quarter” (25 %)"
    stated = f"{share.figure} %" if share.ratio is None else f"“{share.stated}” ({_percent_of_ratio(share.value)} %)"
    verdict = "consistent" if consistent else "inconsistent"
    return ArithmeticCheck(
        part=part,
        total=total,
        stated_share=share,
        computed_share=shown,
        consistent=consistent,
        explanation=(
            f"{_amount_words(part)} / {_amount_words(total)} = {shown} %, which {relation} "
            f"the stated {stated}: {verdict}"
        ),
        summary=f"{shown} % {_SUMMARY_SIGNS[relation] if consistent else '≠'} {stated} stated",
    )


def _check_change(text: str, quantities: list[Quantity]) -> ChangeCheck | None:
    changes = [quantity for quantity in quantities if quantity.kind == "percentage" and _change_word(text, quantity)]
    changes = changes or [_multiple(match) for match in _MULTIPLIED.finditer(text)]
    if len(changes) != 1:
        return None
    change = changes[0]
    pair = _before_and_after(text, change, quantities)
    if pair is None:
        return None
    before, after = pair
    in_points = change.unit == "percentage points"
    if in_points and before.kind != "percentage":
        return None  # points are a difference of percentages
    computed = after.value - before.value if in_points else (after.value - before.value) / before.value * 100
    direction = _direction(change.stated.lower() if change.ratio else _change_word(text, change))
    qualifier = _QUALIFIER.search(text, 0, change.start)
    consistent, judged = _judge(abs(computed), change, qualifier.group("qualifier").lower() if qualifier else "")
    shown = _shown(abs(computed), change.decimal_places).copy_sign(computed)
    unit = " points" if in_points else " %"
    if change.ratio:  # "the stated “doubled” (+100 %)"
        stated = f"“{change.stated}” ({'+' if direction > 0 else '−'}{change.figure} %)"
    else:
        stated = {1: "rise of ", -1: "fall of ", 0: ""}[direction] + str(change.figure)
        stated += " percentage points" if in_points else " %"
    if direction and computed and (computed > 0) != (direction > 0):
        # The right size the wrong way: "fell 15 percent" for a rise of 15 %.
        consistent, relation = False, f"{'a rise' if computed > 0 else 'a fall'}, not the stated"
    else:
        relation = f"which {judged} the stated"
    worked = (
        f"{_amount_words(after)} − {_amount_words(before)}"
        if in_points
        else f"({_amount_words(after)} − {_amount_words(before)}) / {_amount_words(before)}"
    )
    verdict = "consistent" if consistent else "inconsistent"
    explanation = f"{worked} = {_signed(shown)}{unit}, {relation} {stated}: {verdict}"
    if not consistent and not in_points and before.kind == "percentage":
        points = after.value - before.value
        if _judge(abs(points), change, "")[0]:
            explanation += f" (a difference of {_signed(points)} percentage points: were points meant?)"
    sign = _SUMMARY_SIGNS[judged] if consistent else "≠"
    stated_sign = {1: "+", -1: "−", 0: ""}[direction]
    figure = f"“{change.stated}”" if change.ratio else f"{change.figure}{unit}"
    return ChangeCheck(
        before=before,
        after=after,
        stated_change=change,
        computed_change=shown,
        consistent=consistent,
        explanation=explanation,
        summary=f"{_signed(shown)}{unit} {sign} {stated_sign if not change.ratio else ''}{figure} stated",
    )


def _signed(value: Decimal) -> str:
    """A change with its sign, a minus sign for a fall: +15.4, −18.0."""
    return f"{value:+}".replace("-", "−")


def _multiple(match: re.Match) -> Quantity:
    """A change in words: "doubled" is a rise of 100 %, "halved" a fall of 50 %."""
    times = MULTIPLES[match.group().lower()]
    percent = (times - 1 if times > 1 else 1 - times) * 100
    return _words_quantity(match, "change", percent.quantize(Decimal(1)), ratio=(int(times * 2), 2))


def _change_word(text: str, percentage: Quantity) -> str:
    """The word that makes a percentage a change ("rose 15 percent", "a 15% increase"), or ""."""
    found = _CHANGE_BEFORE.search(text[max(0, percentage.start - 30) : percentage.start]) or _CHANGE_AFTER.match(
        text, percentage.end
    )
    return found.group("change").lower() if found else ""


def _direction(word: str) -> int:
    return 1 if word in _RISING else -1 if word in _FALLING else 0


def _before_and_after(text: str, change: Quantity, quantities: list[Quantity]) -> tuple[Quantity, Quantity] | None:
    """The value a change starts from ("from $26 billion") and the one of its kind it reaches, "to" it if several."""
    values = [
        quantity
        for quantity in quantities
        if quantity.kind in ("money", "count", "percentage") and quantity is not change and quantity.value
    ]
    starts = [value for value in values if _FROM.search(text[max(0, value.start - 25) : value.start])]
    if len(starts) != 1:
        return None
    before = starts[0]
    ends = [value for value in values if value is not before and _compatible(value, before)]
    if len(ends) > 1:
        ends = [value for value in ends if _TO.search(text[max(0, value.start - 25) : value.start])]
    if len(ends) != 1 or any(_INCREMENT.match(text, value.end) for value in (before, ends[0])):
        return None  # "from five million to two and a half million more": an increment, not what it reached
    return before, ends[0]


def _stated_share(text: str, quantities: list[Quantity]) -> Quantity | None:
    """The one percentage said to be a share: "X percent of …", else the one percentage that states no change;
    with no percentage, the one share in words ("a quarter of …", "one in five")."""
    percentages = [quantity for quantity in quantities if quantity.kind == "percentage" and quantity.unit == "percent"]
    if not percentages:
        in_words = [quantity for quantity in quantities if quantity.kind == "share"]
        return in_words[0] if len(in_words) == 1 else None
    shares_of = [quantity for quantity in percentages if _SHARE_OF.match(text, quantity.end)]
    if shares_of:
        return shares_of[0] if len(shares_of) == 1 else None
    unchanged = [quantity for quantity in percentages if not _change_word(text, quantity)]
    return unchanged[0] if len(unchanged) == 1 else None


def _part_and_total(text: str, share: Quantity, amounts: list[Quantity]) -> tuple[Quantity, Quantity] | None:
    total = _total_after_share(text, share, amounts)
    if total is None:
        # "3 of 12 ships", "$43 million of the $26.9 billion": the part stands just before the total
        for part, whole in pairwise(amounts):
            if _PART_OF_TOTAL.fullmatch(text, part.end, whole.start) and _compatible(part, whole):
                return part, whole
        marked = [amount for amount in amounts if _TOTAL_MARKER.search(text[max(0, amount.start - 40) : amount.start])]
        if len(marked) != 1:
            return None
        total = marked[0]
    parts = [amount for amount in amounts if amount is not total and _compatible(amount, total)]
    if len(parts) > 1:
        # Several amounts of the kind: the part is the one stated before the share, if only one is.
        parts = [amount for amount in parts if amount.end <= share.start]
    return (parts[0], total) if len(parts) == 1 else None


def _read_as_one(text: str, share: Quantity, part: Quantity, total: Quantity) -> bool:
    """Whether the part, total and share found can be one statement. A part as big as its total is a misreading
    ("over a trillion … in the past eight years"), and a share in another clause than its figures ("five of
    seven vacancies and about half the judges, about 35 percent of the trial judges") is a share of something else.
    """
    if part.value >= total.value:
        return False
    if _total_after_share(text, share, [total]):
        return True  # "0.2 percent of the total $26.9 billion"
    figures = (part, total)
    before = [figure.end for figure in figures if figure.end <= share.start]
    between = text[max(before) : share.start] if before else text[share.end : min(figure.start for figure in figures)]
    return not _ANOTHER_CLAUSE.search(between)


_ANOTHER_CLAUSE = re.compile(r";|\band\b", re.IGNORECASE)


def _total_after_share(text: str, share: Quantity, amounts: list[Quantity]) -> Quantity | None:
    """The amount a few words after "X percent of": "0.2 percent of the total $26.9 billion"."""
    following = next((amount for amount in amounts if amount.start >= share.end), None)
    if following and _SHARE_OF_TOTAL.fullmatch(text, share.end, following.start):
        return following
    return None


def _compatible(a: Quantity, b: Quantity) -> bool:
    """Amounts of one kind: the same currency, or counts of the same thing (or of a thing left unsaid)."""
    if a.kind != b.kind:
        return False
    if a.kind == "money":
        return a.currency == b.currency
    return not a.unit or not b.unit or a.unit == b.unit


def _rounded(value: Decimal, places: int) -> Decimal:
    # Half up, as people round by hand: 0.15 is "0.2", 0.149 is "0.1".
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _judge(computed: Decimal, share: Quantity, qualifier: str) -> tuple[bool, str]:
    """Whether `computed` fits the stated share and its qualifier, and the words for how it relates."""
    stated, places = share.figure, share.decimal_places
    if qualifier in _LOWER_BOUNDS:
        return computed > stated, "is more than" if computed > stated else "is not more than"
    if qualifier in _UPPER_BOUNDS:
        return computed < stated, "is less than" if computed < stated else "is not less than"
    if qualifier == "at least":
        return computed >= stated, "is at least" if computed >= stated else "is not at least"
    if qualifier == "at most":
        return computed <= stated, "is at most" if computed <= stated else "is not at most"
    if share.ratio is not None:
        # A rounding with no digits to say how fine it is: see CLOSE_TO_WORDS.
        tolerance = CLOSE_TO_HEDGED_WORDS if qualifier in _HEDGES else CLOSE_TO_WORDS
        close = abs(computed - stated) <= stated * tolerance
        if qualifier in _JUST_UNDER:
            fits = close and computed <= stated
            return fits, "is just under" if fits else "is not just under"
        return close, "is close to" if close else "is not close to"
    # A share written "0.2" stands for anything that rounds to it (0.15 up to 0.249…). A hedged one ("about 20
    # percent") may be rounded one place coarser, to the tens here; a bare "30 percent" for 25 % is flagged.
    rounds = _rounded(computed, places) == stated
    if qualifier in _HEDGES:
        rounds = rounds or _rounded(computed, places - 1) == stated
    if qualifier in _JUST_UNDER:
        fits = rounds and computed <= stated
        return fits, "is just under and rounds to" if fits else "is not just under"
    return rounds, "rounds to" if rounds else "does not round to"


_SUMMARY_SIGNS = {
    "rounds to": "≈",
    "is just under and rounds to": "≈",
    "is close to": "≈",
    "is just under": "≈",
    "is more than": ">",
    "is at least": "≥",
    "is less than": "<",
    "is at most": "≤",
}


def _shown(computed: Decimal, places: int) -> Decimal:
    """The computed share to one decimal more than the stated one, and to at least two significant digits."""
    if computed:
        places = max(places + 1, 1 - computed.adjusted())
    return _rounded(computed, places)


def _percent_of_ratio(value: Decimal) -> str:
    """A share in words as a percentage to a tenth, and whole where it is: 25, 33.3, 12.5."""
    return f"{value.quantize(Decimal('0.1')):f}".removesuffix(".0")


# How the arithmetic writes a currency before its amount; others by their code ("AUD 5 million").
CURRENCY_SYMBOLS = {"USD": "$", "PHP": "₱", "EUR": "€", "GBP": "£", "JPY": "¥", "RUB": "₽", "INR": "₹"}


def _amount_words(quantity: Quantity) -> str:
    """An amount as the arithmetic shows it: "$43 million", "₱450 million", "3", "4.5 %"."""
    figure = quantity.figure
    if figure == figure.to_integral_value():
        figure = figure.quantize(Decimal(1))
    if quantity.kind == "percentage":
        return f"{figure} %"
    currency = CURRENCY_SYMBOLS.get(quantity.currency, f"{quantity.currency} " if quantity.currency else "")
    return f"{currency}{figure:,} {quantity.scale}".strip()
