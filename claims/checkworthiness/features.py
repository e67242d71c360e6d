"""What the check-worthiness model sees in a sentence: word and character n-grams and a few hand cues.

The same functions feed scikit-learn's vectorizers at training time (as callable analyzers) and the
pure-Python scorer at run time, so the two cannot drift apart.
"""

import math
import re

# Words keep their case (a capital often marks a name, a bill, a country) and %, $ and ? stand as
# tokens of their own: a percentage, a sum or a question says a lot about check-worthiness.
_WORD = re.compile(r"\b\w+\b|[%$?]")
_WHITESPACE = re.compile(r"\s\s+")

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def word_ngrams(text: str) -> list[str]:
    """Case-kept word unigrams and bigrams."""
    tokens = _WORD.findall(text)
    return tokens + [f"{first} {second}" for first, second in zip(tokens, tokens[1:], strict=False)]


def char_ngrams(text: str) -> list[str]:
    """Lower-cased character 2- to 5-grams inside words, padded with a space at each end of a word.

    They generalise across inflections and spellings the word n-grams never saw ("unemployment",
    "employed"), and across numbers: " 4.7 " and " 10 " share "0 " and digit grams.
    """
    low, high = CHAR_NGRAMS
    grams = []
    for word in _WHITESPACE.sub(" ", text.lower()).split():
        padded = f" {word} "
        for size in range(low, high + 1):
            if size >= len(padded):
                # A short word counts once, whole, rather than again for every longer size.
                grams.append(padded)
                break
            grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


_DIGIT = re.compile(r"\d")
_PERCENT = re.compile(r"\d\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_MONEY = re.compile(r"\$\s*\d|\b(?:million|billion|trillion|dollars?)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b|'\d\d\b|\b\d0s\b")
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion|trillion|half|third|quarter|twice|double|"
    r"doubled|triple|tripled)\b",
    re.IGNORECASE,
)
# Comparatives, superlatives and verbs of change: a claim is often that something grew, fell or is the most.
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|most|least|only|first|last|record|increased?|"
    r"decreased?|rose|fell|dropped|grew|cut|raised?|doubled|tripled)\b|\b\w+est\b",
    re.IGNORECASE,
)
# A claim about the past is checkable; "since 2009", "ten years ago", "under his administration".
_TIME_ANCHOR = re.compile(
    r"\b(?:since|ago|last year|in the last|over the past|during|under (?:my|his|her|the|this))\b", re.IGNORECASE
)
# Opinions, promises, courtesies: what a speaker thinks or will do cannot be checked.
_OPINION = re.compile(
    r"\b(?:I think|I believe|I feel|I hope|I want|I'm going to|I will|we will|we're going to|we need|we must|"
    r"we should|let me|I'd like|thank you|thanks)\b",
    re.IGNORECASE,
)
# Speaker cues: forms of address and titles are frequent in moderators' questions and in attacks on a record.
_ADDRESS = re.compile(r"\b(?:Senator|Governor|Mr\.|Mrs\.|Ms\.|President|Secretary|Congressman|Congresswoman)\b")
# The record a claim is usually about: votes, laws, money, jobs.
_RECORD = re.compile(
    r"\b(?:voted?|votes|bill|law|passed|signed|vetoed|tax|taxes|budget|deficit|debt|unemployment|jobs|cost|"
    r"spent|spend|spending)\b",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[A-Za-z']+")
_FIRST_PERSON = frozenset({"I", "I'm", "I've", "I'll", "I'd"})

HAND_FEATURES = (
    "has_digit",
    "many_digits",
    "percentage",
    "money",
    "year",
    "number_word",
    "comparisons",
    "time_anchor",
    "opinion",
    "address",
    "record",
    "question",
    "capitalised_words",
    "length",
    "very_short",
    "short",
    "log_length",
)


def hand_features(text: str) -> list[float]:
    """The cues named in HAND_FEATURES, each in [0, 1] so no one of them dominates the n-grams."""
    words = _LETTERS.findall(text)
    # Capitals after the first word are named-entity-ish: people, places, laws, agencies.
    capitalised = sum(1 for word in words[1:] if word[:1].isupper() and word not in _FIRST_PERSON)
    length = len(words)
    return [
        float(bool(_DIGIT.search(text))),
        float(len(_DIGIT.findall(text)) > 3),
        float(bool(_PERCENT.search(text))),
        float(bool(_MONEY.search(text))),
        float(bool(_YEAR.search(text))),
        float(bool(_NUMBER_WORD.search(text))),
        min(len(_COMPARISON.findall(text)), 3) / 3,
        float(bool(_TIME_ANCHOR.search(text))),
        min(len(_OPINION.findall(text)), 2) / 2,
        float(bool(_ADDRESS.search(text))),
        min(len(_RECORD.findall(text)), 3) / 3,
        float(text.rstrip().endswith("?")),
        min(capitalised, 4) / 4,
        min(length, 60) / 60,
        float(length <= 4),
        float(length <= 8),
        math.log1p(length) / 5,
    ]
