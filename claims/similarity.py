"""Similar claims: the claims already on the desk that say what a text says, in other words,
so that nobody checks the same thing twice. Shown while a claim is being written (the text
is whatever the editor has typed so far) and on every claim page (its summary and quote).

The approach is lexical, in two steps:

1. Reading. A text is read into terms: English stems (Snowball, through PyStemmer), stop
   words dropped, aliases and demonyms mapped to one form (FDI = foreign direct
   investment, Russian = Russia, Filipinos = Philippines, US = United States, per cent
   = %) and figures normalised ($43m = 43 million dollars = 43,000,000 dollars). Each term
   weighs its inverse document frequency among claims (a word most claims use counts for
   little, a rare name or figure for much), half as much again if it names something (a
   word written with a capital, or a figure: who, where and how much make a claim what it
   is). The score of two texts is the cosine of their weighted terms, from 0 (nothing
   shared) to 1 (the same terms).
2. Candidates. Scoring every claim would take seconds, so the full-text index that
   `claims.search` keeps (migration 0006) picks them, in one query: the claims holding one
   of the text's most telling terms that are rare enough (ROW_BUDGET), or two of the
   others (PAIRED), each term in every spelling the index holds it (the words its
   vocabulary has for the stem: investment, investments; aliases: fdi; a figure as 43
   million, 43m or 43 000 000), ranked by the weights of the terms they hold. The best
   CANDIDATES are read and scored here, so what a call costs depends on how many claims
   hold those terms, not on how many there are: under 10 ms on SQLite and about 20 ms on
   PostgreSQL at 100,000 claims (benchmarks/similarity.py).

Only claims scoring at least THRESHOLD are returned: below it the shared words are
incidental. The document frequencies come from the index's own vocabulary (FTS5's
fts5vocab, PostgreSQL's ts_stat), read once per process every VOCABULARY_TTL seconds: that
read does grow with the claims (0.3 s on SQLite, 0.5-1 s on PostgreSQL at 100,000).

Being lexical, it does not know that "more than two decades" means "since 1999" or that
"put no money into" is about investment: the other words of a paraphrase have to carry it.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import time
import unicodedata
from decimal import Decimal

import Stemmer
from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from . import search
from .models import Claim

# Measured on paraphrases among 100,000 generated claims and among a few dozen: a paraphrase
# scores 0.38-0.9, a claim sharing one name, figure or phrase 0.1-0.3 (0.45 when the name is
# rare and the claims short), an unrelated one under 0.2. Claims on the same subject with the
# same names score with the paraphrases: wording cannot tell them apart.
THRESHOLD = 0.35
MIN_TERMS = 2  # fewer terms than this says too little to compare
CANDIDATES = 80  # claims the index picks to be scored here (about 0.1 ms each)
QUERY_TERMS = 8  # of the text's terms, at most this many (the most telling) pick candidates
ROW_BUDGET = 2_000  # claims holding one of the terms that match at most this many claims between them
PAIRED = 4  # or two of this many most telling others (see _candidates)
NAMED = 1.5  # how much more a name or a figure weighs than another word as rare
MAX_TEXT = 2_000  # characters read of a text: a claim is a sentence or two
VOCABULARY_TTL = 600  # seconds: document frequencies move slowly, and reading them takes a scan

ALIASES = {
    "foreign direct investment": "fdi",
    "investor": "investment",
    "investors": "investment",
    "gross domestic product": "gdp",
    "international monetary fund": "imf",
    "european union": "eu",
    "united nations": "un",
    "united states": "usa",
    "united states of america": "usa",
    "america": "usa",
    "american": "usa",
    "americans": "usa",
    "united kingdom": "uk",
    "britain": "uk",
    "great britain": "uk",
    "british": "uk",
    "filipino": "philippines",
    "filipinos": "philippines",
    "filipina": "philippines",
    "philippine": "philippines",
    "chinese": "china",
    "japanese": "japan",
    "vietnamese": "vietnam",
    "french": "france",
    "german": "germany",
    "germans": "germany",
    "spanish": "spain",
    "italian": "italy",
    "italians": "italy",
    "european": "europe",
    "europeans": "europe",
    "dutch": "netherlands",
    "swedish": "sweden",
    "turkish": "turkey",
    "greek": "greece",
    "polish": "poland",
    "portuguese": "portugal",
    "mexican": "mexico",
    "mexicans": "mexico",
    "canadian": "canada",
    "canadians": "canada",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "per cent": "percent",
    "pct": "percent",
    "usd": "dollar",
    "eur": "euro",
    "gbp": "pound",
    "jobless": "unemployment",
    "kids": "children",
    # Words reporters use for one another in the claims a desk checks.
    "weapon": "arms",
    "weapons": "arms",
    "warship": "navy ship",
    "warships": "navy ship",
    "vessel": "ship",
    "vessels": "ship",
    "naval": "navy",
    "ties": "relations",
    "nation": "country",
    "nations": "country",
    "nation's": "country",
    "pledged": "promised",
    "pledge": "promise",
    "houses": "homes",
    "travel": "visit",
    "trip": "visit",
    "rose": "increase",
    "risen": "increase",
    "rise": "increase",
    "climbed": "increase",
    "grew": "increase",
    "grown": "increase",
    "jumped": "increase",
    "surged": "increase",
    "fell": "decrease",
    "fallen": "decrease",
    "dropped": "decrease",
    "declined": "decrease",
    "decline": "decrease",
    "plunged": "decrease",
    "slid": "decrease",
    # A capital stands for its country in political news ("Moscow is ready to sell arms to Manila"): read as
    # both, so that it matches claims naming either.
    "moscow": "russia",
    "kremlin": "russia",
    "manila": "philippines",
    "malacanang": "philippines",
    "beijing": "china",
    "tokyo": "japan",
    "washington": "usa",
    "kyiv": "ukraine",
    "hanoi": "vietnam",
}
CASE_SENSITIVE_ALIASES = {"US": "usa", "U S": "usa", "UN": "un", "PH": "philippines"}
CURRENCIES = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "₱": "peso", "₹": "rupee"}
SCALES = {"thousand": 3, "k": 3, "million": 6, "mn": 6, "mln": 6, "m": 6, "billion": 9, "bn": 9, "b": 9}
SCALES |= {"trillion": 12, "tn": 12, "trn": 12}
SCALE_SPELLINGS = {3: ["thousand", "k"], 6: ["million", "m", "mn", "mln"], 9: ["billion", "bn", "b"]}
SCALE_SPELLINGS |= {12: ["trillion", "tn"]}
NUMBER_WORDS = {  # read as figures, from 2 on ("one" is as often a pronoun)
    word: str(value)
    for value, word in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen twenty".split(),
        start=2,
    )
}
NUMBER_WORDS |= {
    word: str(value)
    for value, word in zip(range(30, 100, 10), "thirty forty fifty sixty seventy eighty ninety".split(), strict=True)
}
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing don down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves also said says
    say told tell since according claimed claims claim stated statement added per cent one there's it's s t""".split()
)

_stemmer = Stemmer.Stemmer("english")
# A text's pieces: words, and figures with an optional currency sign, digits (with thousands
# separators or a decimal part), scale (43 million, 43m) and percent sign or word.
_PIECES = re.compile(
    r"([^\W\d_]+)|([$€£¥₱₹]?\s?\d[\d,.]*(?:\s?(?:thousand|million|billion|trillion)s?\b|(?:k|mn|mln|m|bn|b|tn|trn)\b)?"
    r"(?:\s?(?:%|percent\b|per\s?cent\b|pct\b))?)",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"(?P<currency>[$€£¥₱₹])?\s?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[,.]*"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion)s?|(?P<abbr>k|mn|mln|m|bn|b|tn|trn))?"
    r"\s?(?P<percent>%|percent|per\s?cent|pct)?",
    re.IGNORECASE,
)
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LAST_WORD = re.compile(r"[^\W_]+$")
# Aliases of more than one word, by their words (lower case unless case-sensitive).
_PHRASES = {tuple(alias.split()): meaning for alias, meaning in ALIASES.items() if " " in alias}
_PHRASES |= {tuple(alias.split()): meaning for alias, meaning in CASE_SENSITIVE_ALIASES.items() if " " in alias}
_PHRASE_STARTS = {words[0].lower() for words in _PHRASES}


@dataclasses.dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float  # 0–1: the cosine of the two texts' weighted terms
    shared: list[str]  # the words and figures both have, as the text wrote them, most telling first


def similar_claims(
    text: str, *, exclude: int | None = None, limit: int = 5, queryset: QuerySet | None = None
) -> list[SimilarClaim]:
    """The claims of `queryset` (all claims by default) that say what `text` says, best first,
    at most `limit` of them, each scoring at least THRESHOLD; never the claim `exclude` (the
    id of the claim whose text it is). Nothing for a text of fewer than MIN_TERMS terms.
    The index picks the candidates among all claims; the queryset filters them and loads those
    returned. Two queries (one when nothing is similar), and one or two more when the
    vocabulary is read."""
    wanted = read_terms(text)
    if len(wanted) < MIN_TERMS:
        return []
    queryset = Claim.objects.all() if queryset is None else queryset
    vocabulary = _vocabulary(queryset.db)
    if text[-1:].isalnum():
        # Still being typed: a last word no claim has is most likely unfinished ("Philippi").
        last = _LAST_WORD.search(text)[0]
        for term in _stem_word(last.lower()):
            if term in wanted and wanted[term].surface == last and not vocabulary.claims_with(term, wanted[term]):
                del wanted[term]
        if len(wanted) < MIN_TERMS:
            return []
    scored = []
    for pk, summary, quote in _candidates(queryset, wanted, vocabulary, exclude):
        score, shared = _compare(wanted, read_terms(f"{summary}\n{quote}"), vocabulary)
        if score >= THRESHOLD:
            scored.append((score, pk, shared))
    best = sorted(scored, key=lambda found: (-found[0], -found[1]))[:limit]
    claims = queryset.in_bulk([pk for _, pk, _ in best]) if best else {}
    return [SimilarClaim(claims[pk], round(score, 3), shared) for score, pk, shared in best if pk in claims]


def _compare(one: dict[str, Term], other: dict[str, Term], vocabulary: Vocabulary) -> tuple[float, list[str]]:
    """The cosine of two texts' weighted terms, and the terms they share as `one` wrote them,
    most telling first."""
    shared = one.keys() & other.keys()
    if not shared:
        return 0.0, []
    # A shared term names something if either text writes it as a name.
    named = {term for term in shared if one[term].named or other[term].named}
    ours = {term: vocabulary.weight(term, found, term in named) for term, found in one.items()}
    theirs = {term: vocabulary.weight(term, found, term in named) for term, found in other.items()}
    norm = math.sqrt(
        sum(weight * weight for weight in ours.values()) * sum(weight * weight for weight in theirs.values())
    )
    score = min(1.0, sum(ours[term] ** 2 for term in shared) / norm)
    telling = sorted(shared, key=lambda term: (-ours[term], term))
    figures = {one[term].surface for term in shared}
    # A currency or percent sign goes without saying beside its figure ("$43 million", not also "dollar").
    shown = [one[term].surface for term in telling if one[term].figure not in figures]
    return score, list(dict.fromkeys(shown))


# --- Reading a text into terms ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Term:
    """A term as a text first wrote it, and how the index may spell it (as search.Term's)."""

    surface: str
    spellings: tuple[search.Term, ...]
    named: bool = False  # written with a capital, or a figure
    figure: str = ""  # for a currency or percent sign: the figure it came with


def read_terms(text: str) -> dict[str, Term]:
    """The terms of `text` in order of first appearance: stems, normalised figures, currencies
    and `percent`."""
    return dict(_read_terms(text[:MAX_TEXT]))


@functools.lru_cache(maxsize=5_000)  # the same candidates come back keystroke after keystroke
def _read_terms(text: str) -> tuple[tuple[str, Term], ...]:
    if not text.isascii():
        # The index reads words without their accents (unicode61 remove_diacritics, unaccent).
        decomposed = unicodedata.normalize("NFKD", text)
        text = unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)) if decomposed != text else text
    pieces = _PIECES.findall(text)  # (a word, "") or ("", a figure), in order
    terms: dict[str, Term] = {}
    index = 0
    while index < len(pieces):
        word, figure = pieces[index]
        index += 1
        if figure or word.lower() in NUMBER_WORDS:
            for term, found in _figure_terms(figure or NUMBER_WORDS[word.lower()]):
                terms.setdefault(term, found)
            continue
        stems, surface = None, word
        if word.lower() in _PHRASE_STARTS:
            length, stems = _phrase_at(pieces, index - 1)
            if stems:
                surface = " ".join(word for word, _ in pieces[index - 1 : index - 1 + length])
                index += length - 1
        for stem in stems or _stem_word(word if word in CASE_SENSITIVE_ALIASES else word.lower()):
            if stem not in terms:
                terms[stem] = _word_term(stem, surface)
    return tuple(terms.items())


def _phrase_at(pieces, index: int) -> tuple[int, tuple[str, ...] | None]:
    """How many words from `index` an alias of several words covers, and its stems."""
    for length in range(4, 1, -1):
        words = tuple(word for word, _ in pieces[index : index + length])
        if len(words) == length and all(words):
            meaning = _PHRASES.get(words) or _PHRASES.get(tuple(word.lower() for word in words))
            if meaning:
                return length, _meaning(meaning)
    return 1, None


@functools.lru_cache(maxsize=100_000)
def _stem_word(word: str) -> tuple[str, ...]:
    """A word's stems: none for a stop word or a letter, its meaning's for an alias."""
    if word in CASE_SENSITIVE_ALIASES:
        return _meaning(CASE_SENSITIVE_ALIASES[word])
    if word in STOP_WORDS or len(word) < 2:
        return ()
    if word in ALIASES:
        return _meaning(ALIASES[word])
    return (_stem(word),)


def _meaning(meaning: str) -> tuple[str, ...]:
    """The stems of an alias's meaning (whose words are never aliases themselves)."""
    return tuple(_stem(word) for word in meaning.split())


def _stem(word: str) -> str:
    stem = _stemmer.stemWord(word)
    # Demonyms in -an name their country in -a: Russian(s) = Russia, Kenyan = Kenya.
    if len(stem) >= 6 and stem.endswith("an"):
        stem = stem[:-1]
    return stem


@functools.lru_cache(maxsize=20_000)
def _word_spellings(stem: str, written: str) -> tuple[search.Term, ...]:
    """How the index may hold a stem's words, before the vocabulary says which it has (see
    Vocabulary.spellings): as written, as the stem, and as the aliases that stand for it.
    Never by prefix: `euro*` would find every European."""
    spellings = [search.Term((word,)) for word in dict.fromkeys([written, stem]) if word]
    spellings += [search.Term(tuple(alias.lower().split())) for alias in _ALIASES_BY_STEM.get(stem, ())]
    return tuple(dict.fromkeys(spellings))


def _aliases_by_stem() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for alias, meaning in [*ALIASES.items(), *CASE_SENSITIVE_ALIASES.items()]:
        for stem in _meaning(meaning):
            found.setdefault(stem, []).append(alias)
    return found


_ALIASES_BY_STEM = _aliases_by_stem()


@functools.lru_cache(maxsize=20_000)
def _word_term(stem: str, surface: str) -> Term:
    written = surface.lower()
    written = written if " " not in written and _stem_word(written) == (stem,) else ""
    return Term(surface, _word_spellings(stem, written), named=surface[0].isupper())


@functools.lru_cache(maxsize=20_000)
def _figure_terms(figure: str) -> tuple[tuple[str, Term], ...]:
    """A figure's terms: its value, and its currency and percent sign if it has them."""
    surface = figure.strip().rstrip(",.")
    match = _FIGURE.fullmatch(surface)
    if not match:  # digits run together some other way (43.000.000, 1.2.3): each group is a number
        return tuple(
            (digits, Term(digits, (search.Term((digits,)),), named=True)) for digits in re.findall(r"\d+", surface)
        )
    scale = SCALES.get((match["scale"] or match["abbr"] or "").lower(), 0)
    value = Decimal(match["digits"].replace(",", "")).scaleb(scale)
    terms = [(format(value.normalize(), "f"), Term(surface, _figure_spellings(value), named=True))]
    if match["currency"]:
        unit = CURRENCIES[match["currency"]]
        terms.append((unit, Term(unit, (search.Term((unit,)), search.Term((f"{unit}s",))), figure=surface)))
    if match["percent"]:
        spellings = (search.Term(("percent",)), search.Term(("per", "cent")))
        terms.append(("percent", Term("percent", spellings, figure=surface)))
    return tuple(terms)


@functools.lru_cache(maxsize=5_000)
def _figure_spellings(value: Decimal) -> tuple[search.Term, ...]:
    """A figure as the index may hold it: the index splits at `,` and `.`, so 43,000,000 is
    43 000 000 and 3.5 is 3 5; a large one also as 43 million and 43m."""
    spellings = [search.Term(tuple(re.split(r"[,.]", f"{value.normalize():,f}")))]
    for power, words in SCALE_SPELLINGS.items():
        mantissa = value.scaleb(-power).normalize()
        if 1 <= mantissa < 1000 and mantissa.as_tuple().exponent >= -2:
            digits = tuple(format(mantissa, "f").split("."))
            spellings.append(search.Term((*digits, words[0])))
            spellings += [search.Term((*digits[:-1], digits[-1] + abbreviation)) for abbreviation in words[1:]]
    if value == value.to_integral_value() and value >= 1000:
        spellings.append(search.Term((format(value.normalize(), "f"),)))
    return tuple(dict.fromkeys(spellings))


# --- How telling a term is ---------------------------------------------------------------------------


@dataclasses.dataclass
class Vocabulary:
    """How many claims there are, and how many hold each word (as the index reads words) and
    each term (as read here)."""

    claims: int
    word_claims: dict[str, int]
    term_claims: dict[str, int]
    term_words: dict[str, list[str]]  # the index's words for each term
    weights: dict[str, float] = dataclasses.field(default_factory=dict)

    def spellings(self, term: str, found: Term) -> list[search.Term]:
        """How the index holds a term: the words it has for it (exact words are cheaper to look
        up than prefixes, on PostgreSQL much cheaper), and the term's aliases and figure
        spellings whose words it has. A term it had no word for when the vocabulary was read
        may have come since, so it is looked up in every spelling the text suggests."""
        spellings = [search.Term((word,)) for word in self.term_words.get(term, ())]
        spellings += [
            spelling for spelling in found.spellings if all(word in self.word_claims for word in spelling.words)
        ]
        return list(dict.fromkeys(spellings)) or list(found.spellings)

    def claims_with(self, term: str, found: Term) -> int:
        """About how many claims hold the term: those with its words, or with a spelling of several
        words (foreign direct investment, 43 million, 3 5) at most as many as hold the rarest of
        them, in its commonest spelling."""
        return max(
            [self.term_claims.get(term, 0)]
            + [min(self.word_claims.get(word, 0) for word in spelling.words) for spelling in found.spellings]
        )

    def weight(self, term: str, found: Term, named: bool = False) -> float:
        if term not in self.weights:
            # BM25's inverse document frequency: positive however common, highest for a term no claim has.
            claims = min(self.claims_with(term, found), self.claims)
            self.weights[term] = math.log(1 + (self.claims - claims + 0.5) / (claims + 0.5))
        return self.weights[term] * (NAMED if named or found.named else 1)


_vocabularies: dict[str, tuple[str, Vocabulary]] = {}
_VOCABULARY_KEY = "claims:similarity:vocabulary:{alias}"


def _vocabulary(alias: str) -> Vocabulary:
    # The stamp in the shared cache says which vocabulary is current, so every process reads it
    # again when the cache is cleared; each keeps its own copy (reading a megabyte from Redis
    # on every keystroke would cost more than the search).
    stamp = cache.get(_VOCABULARY_KEY.format(alias=alias))
    if stamp is not None and alias in _vocabularies and _vocabularies[alias][0] == stamp:
        return _vocabularies[alias][1]
    vocabulary = _read_vocabulary(alias)
    stamp = stamp or f"{time.time_ns()}"
    cache.set(_VOCABULARY_KEY.format(alias=alias), stamp, VOCABULARY_TTL)
    _vocabularies[alias] = (stamp, vocabulary)
    return vocabulary


def _read_vocabulary(alias: str) -> Vocabulary:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # fts5vocab reads the words and their claim counts straight from the FTS5 index; a
            # temporary table, so nothing is added to the schema.
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_claim_search_words "
                "USING fts5vocab(main, claims_claim_search, row)"
            )
            cursor.execute(
                "SELECT term, doc, (SELECT count(*) FROM claims_claim_search) FROM temp.claims_claim_search_words"
            )
        else:
            # The summary's (A) and quote's (B) words only, as FTS5 indexes them.
            cursor.execute(
                f"SELECT word, ndoc, (SELECT count(*) FROM claims_claim) "
                f"FROM ts_stat('SELECT {search.DOCUMENT} FROM claims_claim', 'ab')"
            )
        rows = cursor.fetchall()
    word_claims = {word: count for word, count, _ in rows}
    term_claims: dict[str, int] = {}
    term_words: dict[str, list[str]] = {}
    for word, count in word_claims.items():
        for term in _stem_word(word):
            term_claims[term] = term_claims.get(term, 0) + count
            term_words.setdefault(term, []).append(word)
    return Vocabulary(rows[0][2] if rows else 0, word_claims, term_claims, term_words)


# --- Candidates from the full-text index ---------------------------------------------------------------


def _candidates(queryset: QuerySet, wanted: dict[str, Term], vocabulary: Vocabulary, exclude) -> list[tuple]:
    """(id, summary, quote) of the claims of `queryset` that hold the most of the text's most
    telling terms, each counting its squared weight (its part in the cosine): at most
    CANDIDATES, in one query.

    The claims looked at hold one of the terms that match at most ROW_BUDGET claims between
    them (PostgreSQL reads every claim its index finds from the table, a few microseconds
    each), or, when fewer than two terms are that rare, two of the PAIRED most telling
    others: a text of common words ("Kenya's jobless rate dropped to 5.6% in 2022") is
    found by its common words together."""
    weights = {term: vocabulary.weight(term, found) for term, found in wanted.items()}
    telling = sorted(wanted, key=lambda term: -weights[term])[:QUERY_TERMS]
    singles, rows = [], 0
    for term in telling:
        claims = vocabulary.claims_with(term, wanted[term])
        if rows + claims <= ROW_BUDGET:
            singles.append(term)
            rows += claims
    # Two rare terms are enough to find what says the same; pairs of common words would only
    # add the many claims that say them together ("new jobs", "interest rates").
    paired = [term for term in telling[:PAIRED] if term not in singles] if len(singles) < 2 else []
    pairs = list(itertools.combinations(paired, 2))
    if not pairs:
        paired = []
    groups = [(term,) for term in singles] + pairs
    terms = {term: (weights[term] ** 2, vocabulary.spellings(term, wanted[term])) for term in singles + paired}
    if connections[queryset.db].vendor == "sqlite":
        best, params = _sqlite_candidates(terms, groups, filtered=bool(pairs))
    else:
        best, params = _postgresql_candidates(terms, groups)
    quote = connections[queryset.db].ops.quote_name
    pk = f"{quote(queryset.model._meta.db_table)}.{quote(queryset.model._meta.pk.column)}"
    found = queryset.filter(RawSQL(f"{pk} IN ({best})", [*params, CANDIDATES], output_field=BooleanField()))
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return list(found.order_by().values_list("pk", "summary", "quote"))


def _sqlite_candidates(terms, groups, *, filtered: bool) -> tuple[str, list]:
    # FTS5 reads each term's claims from its own doclist, well under a microsecond a claim, so
    # each term is looked up alone; the claims holding two of the paired ones are found by the
    # index, and the others left out.
    def spelled(term):
        return " OR ".join(spelling.fts5() for spelling in terms[term][1])

    held = "SELECT rowid AS id, %s AS weight FROM claims_claim_search WHERE claims_claim_search MATCH %s"
    best = f"SELECT id FROM ({' UNION ALL '.join([held] * len(terms))}) AS matches"
    params = [value for term, (weight, _) in terms.items() for value in (weight, spelled(term))]
    if filtered:
        best += " WHERE id IN (SELECT rowid FROM claims_claim_search WHERE claims_claim_search MATCH %s)"
        params.append(" OR ".join(f"({' AND '.join(f'({spelled(term)})' for term in group)})" for group in groups))
    return f"{best} GROUP BY id ORDER BY sum(weight) DESC, id DESC LIMIT %s", params


def _postgresql_candidates(terms, groups) -> tuple[str, list]:
    # One index scan for all the terms: each scan of a GIN index also reads its pending list
    # (up to gin_pending_list_limit) between vacuums. Only the summary's (A) and quote's (B)
    # words count, not the claimant's name and source's title in the same document.
    def spelled(term):
        return " | ".join(f"({spelling.tsquery('AB')})" for spelling in terms[term][1])

    held = f"%s * ({search.DOCUMENT} @@ {search.TSQUERY})::integer"
    best = (
        f"SELECT id FROM claims_claim WHERE {search.DOCUMENT} @@ {search.TSQUERY} "
        f"ORDER BY {' + '.join([held] * len(terms))} DESC, id DESC LIMIT %s"
    )
    found = " | ".join(f"({' & '.join(f'({spelled(term)})' for term in group)})" for group in groups)
    return best, [found, *(value for term, (weight, _) in terms.items() for value in (weight, spelled(term)))]
