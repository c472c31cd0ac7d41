"""Keyset pagination: "newer / older" links that carry the key of the row they continue from.

A page deep in a long list (the office's thousands of rounds, a round's hundreds of history
entries) then costs what the first one does: the database seeks to the key in its index, where an
OFFSET reads and throws away every row before the page. The order must end in a unique key (the
primary key), so that rows with equal values (two rounds fed back the same day) are neither
repeated nor skipped from one page to the next. A nullable key sorts its empty values last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, OrderBy, Q, QuerySet

T = TypeVar("T", bound=Model)
_SEP = "_"  # between the values of a key in the address: dates, numbers, never "_"


@dataclass(frozen=True)
class Key:
    """One column of a keyset order: its field, its direction, and whether it may be empty."""

    field: str
    descending: bool = False
    nullable: bool = False


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of rows, and the query strings of the links to the pages before and after it."""

    items: list[T]
    previous: str | None
    next: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous or self.next)


def _order(keys: tuple[Key, ...], backwards: bool) -> list[OrderBy]:
    order = []
    for key in keys:
        descending = key.descending != backwards
        # Empty values after the others going forwards, hence before them going backwards.
        nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
        order.append(F(key.field).desc(**nulls) if descending else F(key.field).asc(**nulls))
    return order


def _equal(key: Key, value: Any) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def _beyond(key: Key, value: Any, backwards: bool) -> Q:
    """The rows that come after `value` in this key alone (before it, `backwards`)."""
    if value is None:  # empty values come last: nothing after them, every filled value before
        return Q(pk__in=[]) if not backwards else Q(**{f"{key.field}__isnull": False})
    later = "lt" if key.descending != backwards else "gt"
    q = Q(**{f"{key.field}__{later}": value})
    if key.nullable and not backwards:
        q |= Q(**{f"{key.field}__isnull": True})
    return q


def _seek(keys: tuple[Key, ...], values: tuple[Any, ...], backwards: bool) -> Q:
    """The rows strictly after the row whose key is `values` (before it, `backwards`)."""
    q = Q(pk__in=[])
    same = Q()
    for key, value in zip(keys, values, strict=True):
        q |= same & _beyond(key, value, backwards)
        same &= _equal(key, value)
    return q


def _encode(row: Model | dict[str, Any], keys: tuple[Key, ...]) -> str:
    """The key of a row: a model instance, or a dict of a `.values()` queryset (key fields named as
    its columns are, e.g. "id")."""
    values = [row[key.field] if isinstance(row, dict) else getattr(row, key.field) for key in keys]
    return _SEP.join(
        "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in values
    )


def _decode(model: type[Model], keys: tuple[Key, ...], text: str) -> tuple[Any, ...] | None:
    """The key values a link carries, or None for a text that is not one (a first page then)."""
    parts = text.split(_SEP)
    if len(parts) != len(keys):
        return None
    values: list[Any] = []
    try:
        for key, part in zip(keys, parts, strict=True):
            field = model._meta.pk if key.field == "pk" else model._meta.get_field(key.field)
            if part == "":
                if not key.nullable:
                    return None
                values.append(None)
            else:
                values.append(field.to_python(part))  # type: ignore[union-attr]
    except (ValidationError, FieldDoesNotExist, ValueError, OverflowError):
        return None
    return tuple(values)


def keyset_page(
    queryset: QuerySet[T], keys: tuple[Key, ...], params, size: int, extra: str = ""
) -> KeysetPage[T]:
    """The page of `queryset` in `keys` order that the request's `after` or `before` names (the
    first page without either), with links to the pages on either side. `extra`: the other query
    parameters the links keep (urlencoded)."""
    after, before = params.get("after", ""), params.get("before", "")
    backwards = bool(before) and not after
    cursor = _decode(queryset.model, keys, before if backwards else after) if (after or before) else None
    backwards = backwards and cursor is not None  # a key that cannot be read: the first page
    qs = queryset.order_by(*_order(keys, backwards))
    if cursor is not None:
        qs = qs.filter(_seek(keys, cursor, backwards))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    prefix = f"{extra}&" if extra else ""

    def link(name: str, row: T) -> str:
        return prefix + urlencode({name: _encode(row, keys)})

    has_previous = more if backwards else cursor is not None
    has_next = cursor is not None if backwards else more
    return KeysetPage(
        items=rows,
        previous=link("before", rows[0]) if rows and has_previous else None,
        next=link("after", rows[-1]) if rows and has_next else None,
    )
