"""Full-text search over claims and sources: the one place that knows how to search.

What a person types is parsed here into terms: words, "quoted phrases" and a word
ending in * for type-ahead (`khov*`). A claim matches when every term is found,
each in any one of its fields (summary, quote, its claimant's name, its source's
title), a phrase as consecutive words within one field. Matching is by whole words
and ignores case and diacritics: "khovaev" finds "Khováev", "fdi" does not find
"fdic". Nothing else in the text has a meaning: AND, OR, NEAR(, -, ^ are words or
separators like any other. Each term reaches the database as a bound parameter
made of letters, digits and spaces only, so no input is a syntax error and none
is SQL.

The indexes, kept by triggers in the database for every write (bulk ones included),
are described in migration 0006:

- SQLite: FTS5 tables (`unicode61 remove_diacritics 2`), one per table searched,
  keyed by its ids; a claim reaches its claimant's and source's through
  claimant_id and source_id when the query runs.
- PostgreSQL: a `search_document` tsvector column on claims_claim and claims_source
  under a GIN index, each field under its own weight (A–D). The query tests that
  stored column, so it cannot drift from the index. Words are read by the
  `claimdesk_search` configuration: `unaccent`, then the `simple` dictionary.

`simple` rather than `english`: claims turn on names, places and figures, in any
language; `simple` finds the words typed and nothing else ("Khovaev" is never
stemmed, "rates" does not find "rated"), exactly as FTS5's unicode61, which does
not stem, so both databases agree on every match.

`search_rank` is the same whole number on both databases: for each of the first
RANKED_TERMS terms, 3 for each of summary and quote that hold it and 1 for each of
claimant and source title (for sources: 3 for the title, 1 for the text).
Ties are the caller's to break (on the desk: most recently changed first).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from django.db.models import BooleanField, Expression, F, IntegerField, QuerySet

RANK = "search_rank"
RANKED_TERMS = 8  # terms past these must still match, but no longer move the rank
MIN_PREFIX = 2  # `k*` would read much of the index: a one-letter prefix counts as a whole word
TEXT_SEARCH_CONFIG = "claimdesk_search"  # PostgreSQL, created by migration 0006
DOCUMENT = "search_document"  # PostgreSQL: the column the triggers fill, not a model field
TSQUERY = f"to_tsquery('{TEXT_SEARCH_CONFIG}', %s)"

_QUOTES = '"“”„«»'
_TERM = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)|([^\s{_QUOTES}]+)")
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits, as unicode61 reads them


@dataclasses.dataclass(frozen=True)
class Term:
    """One thing to find: a word, or consecutive words (a phrase); with `prefix`,
    the last word may go on (`khov*` finds Khovaev)."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        # A quoted FTS5 string is a phrase of the words in it; the words hold no quotes.
        return '"' + " ".join(self.words) + '"' + (" *" if self.prefix else "")

    def tsquery(self, weight: str = "") -> str:
        """to_tsquery syntax; with a `weight` class, found only under it (within one field).
        The words hold no operators, so this is a phrase of plain words."""
        marks = [""] * (len(self.words) - 1) + ["*" if self.prefix else ""]
        return " <-> ".join(
            word + (f":{mark}{weight}" if mark or weight else "") for word, mark in zip(self.words, marks, strict=True)
        )


def parse(text: str) -> list[Term]:
    """The terms in what a person typed, in order, without repeats. A text without
    letters or digits has none, and searching for it leaves a list as it is."""
    terms, seen = [], set()
    for phrase, bare in _TERM.findall(unicodedata.normalize("NFC", text or "")):
        chunk = phrase or bare
        words = tuple(word for word in _WORD.findall(chunk) if any(ch.isalpha() or ch.isdecimal() for ch in word))
        if not words:
            continue
        term = Term(words, prefix=chunk.rstrip().endswith("*") and len(words[-1]) >= MIN_PREFIX)
        key = (tuple(word.casefold() for word in words), term.prefix)
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return terms


@dataclasses.dataclass(frozen=True)
class Field:
    """A searchable field and what it weighs in the rank. On SQLite, a column of the FTS5
    table `table`, whose rowid is the id held by the searched model's field `via`; on
    PostgreSQL, the words of the document under `weight_class`."""

    column: str
    weight: int
    weight_class: str
    table: str
    via: str = "pk"


CLAIM_FIELDS = (
    Field("summary", 3, "A", "claims_claim_search"),
    Field("quote", 3, "B", "claims_claim_search"),
    Field("name", 1, "C", "claims_claimant_search", via="claimant"),
    Field("title", 1, "D", "claims_source_search", via="source"),
)
SOURCE_FIELDS = (
    Field("title", 3, "A", "claims_source_search"),
    Field("text", 1, "B", "claims_source_search"),
)


def search_claims(queryset: QuerySet, text: str, *, type_ahead: bool = False) -> QuerySet:
    """The claims that hold every term of `text`, each annotated with its `search_rank`;
    the queryset as it is when `text` has no terms. With `type_ahead`, the last word
    also finds the words it begins (for boxes searched as one types: the admin's)."""
    return _search(queryset, text, CLAIM_FIELDS, type_ahead=type_ahead)


def search_sources(queryset: QuerySet, text: str) -> QuerySet:
    """The sources whose title or text hold every term of `text`, best match first,
    ties in the queryset's own order; the queryset as it is when `text` has no terms."""
    found = _search(queryset, text, SOURCE_FIELDS)
    if not is_ranked(found):
        return found
    query = queryset.query
    then = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    return found.order_by(f"-{RANK}", *then)


def is_ranked(queryset: QuerySet) -> bool:
    """Whether the queryset was searched, so has a `search_rank` to order by."""
    return RANK in queryset.query.annotations


def _search(queryset: QuerySet, text: str, fields: tuple[Field, ...], *, type_ahead: bool = False) -> QuerySet:
    terms = parse(text)
    if not terms:
        return queryset
    last = terms[-1]
    if type_ahead and len(last.words) == 1 and len(last.words[0]) >= MIN_PREFIX:
        terms[-1] = dataclasses.replace(last, prefix=True)
    model = queryset.model
    return queryset.filter(_Matches(model=model, fields=fields, terms=terms)).annotate(
        **{RANK: _Rank(model=model, fields=fields, terms=terms[:RANKED_TERMS])}
    )


class _SearchExpression(Expression):
    """SQL over the search indexes for the row being selected. Which SQL depends on the
    database, so it is written when the query is compiled; the row's own columns (its
    id, claimant_id, source_id) are compiled by Django, with the query's table aliases."""

    def __init__(self, *, model, fields: tuple[Field, ...], terms: list[Term]):
        super().__init__()
        self.model, self.fields, self.terms = model, fields, tuple(terms)
        self.vias = tuple(dict.fromkeys(["pk", *(field.via for field in fields)]))
        self.columns = [F(via) for via in self.vias]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        columns = {}
        for via, column in zip(self.vias, self.columns, strict=True):
            columns[via], params = compiler.compile(column)
            assert not params, "a column reference takes no parameters"
        if connection.vendor == "postgresql":
            table = columns["pk"].rsplit(".", 1)[0]  # the row's table, as this query names it
            return self.sql_postgresql(f"{table}.{DOCUMENT}")
        return self.sql_sqlite(columns, connection.ops.quote_name)


class _Matches(_SearchExpression):
    """True for a row that holds every term, each within one of its fields."""

    output_field = BooleanField()

    def sql_sqlite(self, columns, quote):
        # Per term: the row's id is among the ids found through each FTS5 table (a column
        # filter keeps a phrase within one column).
        conditions, params = [], []
        for term in self.terms:
            found = []
            for (table, via), fields in self.tables():
                match = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"
                params.append("{" + " ".join(field.column for field in fields) + "} : " + term.fts5())
                found.append(match if via == "pk" else self.reached(match, via, quote))
            conditions.append(f"{columns['pk']} IN ({' UNION ALL '.join(found)})")
        return f"({' AND '.join(conditions)})", params

    def sql_postgresql(self, document):
        # One tsquery of every term. A word is found under any weight; a phrase, under one.
        parts = []
        for term in self.terms:
            if len(term.words) == 1:
                parts.append(term.tsquery())
            else:
                parts.append(" | ".join(f"({term.tsquery(field.weight_class)})" for field in self.fields))
        return f"{document} @@ {TSQUERY}", [" & ".join(f"({part})" for part in parts)]

    def tables(self):
        groups = {}
        for field in self.fields:
            groups.setdefault((field.table, field.via), []).append(field)
        return groups.items()

    def reached(self, match: str, via: str, quote) -> str:
        """The ids of the rows whose `via` is among the ids `match` selects."""
        meta = self.model._meta
        return (
            f"SELECT {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field(via).column)} IN ({match})"
        )


class _Rank(_SearchExpression):
    """Per term, the weights of the fields that hold it, added up."""

    output_field = IntegerField()

    def sql_sqlite(self, columns, quote):
        parts, params = [], []
        for term in self.terms:
            for field in self.fields:
                parts.append(
                    f"CASE WHEN {columns[field.via]} IN "
                    f"(SELECT rowid FROM {field.table} WHERE {field.table} MATCH %s) THEN {field.weight} ELSE 0 END"
                )
                params.append(f"{{{field.column}}} : {term.fts5()}")
        return f"({' + '.join(parts)})", params

    def sql_postgresql(self, document):
        parts, params = [], []
        for term in self.terms:
            for field in self.fields:
                parts.append(f"{field.weight} * ({document} @@ {TSQUERY})::integer")
                params.append(term.tsquery(field.weight_class))
        return f"({' + '.join(parts)})", params
