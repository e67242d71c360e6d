"""Keyset ("cursor") paging: the next page starts after the last row's sort values,
so page 4,000 costs what page 1 costs, where OFFSET would read and skip every row
before it (measured here: ~80 ms at 200,000 rows against 1–4 ms).

A sort is a list of `Key`s ending in a unique one (the id). The position travels in
the address as an opaque token holding the boundary row's key values and its place
in the list, so "claims 4,001–4,025 of 98,312" can still be shown.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet


@dataclass(frozen=True)
class Key:
    """One sort key: a field path (or annotation), its direction, and where empty values go."""

    path: str
    descending: bool = False
    nullable: bool = False
    nulls_last: bool = True  # where empty values go, for a nullable key

    def order_by(self, *, reverse: bool = False):
        descending = self.descending != reverse
        # Say where empty values go only where there can be some: an explicit NULLS LAST
        # on a column that is never empty stops PostgreSQL using its index (a sort instead).
        nulls = {}
        if self.nullable:
            nulls = {"nulls_last": True} if self.nulls_last != reverse else {"nulls_first": True}
        return F(self.path).desc(**nulls) if descending else F(self.path).asc(**nulls)


@dataclass
class KeysetPage:
    """One page of rows, where it stands in the whole list, and the tokens of its neighbours."""

    object_list: list
    start_index: int  # 1-based position of the first row, 0 when the page is empty
    count: int | None
    next_token: str | None
    previous_token: str | None

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.object_list) - 1 if self.object_list else 0

    @property
    def has_next(self) -> bool:
        return self.next_token is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_token is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def keyset_page(
    queryset: QuerySet, keys: list[Key], *, size: int, after: str = "", before: str = "", count: int | None = None
) -> KeysetPage:
    """The page of `queryset` (sorted by `keys`) after or before the row a token names;
    the first page without one. A token that cannot be read also gives the first page."""
    # Keys on the row's own annotations (a search's rank) are used as they are, not
    # computed a second time; the others get an alias, so values read from a row match.
    existing = queryset.query.annotations
    aliases = [key.path if key.path in existing else f"_key{n}" for n, key in enumerate(keys)]
    queryset = queryset.annotate(
        **{alias: F(key.path) for alias, key in zip(aliases, keys, strict=True) if alias not in existing}
    )
    named = [Key(alias, key.descending, key.nullable, key.nulls_last) for alias, key in zip(aliases, keys, strict=True)]
    boundary = _read(before or after, len(keys))
    going_back = bool(before) and boundary is not None
    if boundary is None:
        rows = list(queryset.order_by(*(key.order_by() for key in named))[: size + 1])
        start = 1
        more_ahead, more_behind = len(rows) > size, False
        rows = rows[:size]
    elif going_back:
        values, first_index = boundary
        rows = list(
            queryset.filter(_beyond(named, values, reverse=True)).order_by(
                *(key.order_by(reverse=True) for key in named)
            )[: size + 1]
        )
        more_behind = len(rows) > size
        rows = list(reversed(rows[:size]))
        start = max(first_index - len(rows), 1)
        if not more_behind:
            start = 1
        more_ahead = True
    else:
        values, last_index = boundary
        rows = list(queryset.filter(_beyond(named, values)).order_by(*(key.order_by() for key in named))[: size + 1])
        more_ahead, more_behind = len(rows) > size, True
        rows = rows[:size]
        start = last_index + 1
    return KeysetPage(
        object_list=rows,
        start_index=start if rows else 0,
        count=count,
        next_token=_token(rows[-1], aliases, start + len(rows) - 1) if rows and more_ahead else None,
        previous_token=_token(rows[0], aliases, start) if rows and more_behind else None,
    )


def _beyond(keys: list[Key], values: list, *, reverse: bool = False) -> Q:
    """Rows strictly after (or, reversed, before) the row whose key values are `values`:
    (k0 beyond v0) or (k0 = v0 and k1 beyond v1) or …, empty values in their place."""
    condition = Q(pk__in=[])
    ties = Q()
    for key, value in zip(keys, values, strict=True):
        descending = key.descending != reverse
        nulls_last = key.nulls_last != reverse
        if value is None:
            # Past an empty value come only the filled ones, and only if empty ones sort first.
            beyond = Q(**{f"{key.path}__isnull": False}) if not nulls_last else Q(pk__in=[])
            equal = Q(**{f"{key.path}__isnull": True})
        else:
            beyond = Q(**{f"{key.path}__{'lt' if descending else 'gt'}": value})
            if key.nullable and nulls_last:
                beyond |= Q(**{f"{key.path}__isnull": True})
            equal = Q(**{key.path: value})
        condition |= ties & beyond
        ties &= equal
    first = keys[0]
    if not first.nullable and values[0] is not None:
        # The same condition, plus a plain bound on the first key that an index range scan
        # can start from: without it, PostgreSQL reads every row before the page and filters.
        descending = first.descending != reverse
        condition &= Q(**{f"{first.path}__{'lte' if descending else 'gte'}": values[0]})
    return condition


def _token(row, aliases: dict, index: int) -> str:
    values = [_plain(getattr(row, alias)) for alias in aliases]
    raw = json.dumps({"v": values, "i": index}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _plain(value):
    # Sort keys are numbers, texts, empty values and moments (created, updated).
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    return value


def _read(token: str, length: int) -> tuple[list, int] | None:
    if not token:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        values, index = data["v"], int(data["i"])
        if not isinstance(values, list) or len(values) != length or index < 1:
            return None
        return [_typed(value) for value in values], index
    except (ValueError, TypeError, KeyError, binascii.Error):
        return None


def _typed(value):
    if isinstance(value, dict):
        return datetime.datetime.fromisoformat(value["t"])
    if isinstance(value, list):
        raise ValueError("not a key value")
    return value
