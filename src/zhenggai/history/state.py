"""The stored state of every ledger, organisation and account record, as the history holds it.

Each history entry that creates or changes one of these records carries the SHA-256 of the
record's whole stored state after the change, and the columns that changed since the record's
previous entry:

    "#state": {"ledger.measure:12": "…sha256…"},
    "~set": {"ledger.measure:12": {"status": "in_progress", "version": 3}}

`#` sorts before every other key and `~` after, so in the stored canonical text the digests come
first: `verify` reads them from the start of the text without parsing the rest.
The state is every stored column (foreign keys by id, dates and times as ISO text, decimals as
text) and each many-to-many field as a sorted list of ids; its SHA-256 is over its canonical JSON.
A record's first entry sets every column; a deleted record's digest is `null`. The
state is read back from the database inside the writing transaction, after the chain head is
locked, so it is exactly what was committed, and the last entry naming a record says what the
record must be now.

`zhenggai verify` replays the chain and compares every stored row with that (history/state_check):
a row that differs was changed behind the application's back, a row no entry names was written
into the database directly, and a record the chain has but the table lacks was deleted.

Rows are read with plain SQL and converted here, the same way when recording and when verifying,
so that verify reads hundreds of thousands of rows a second and both sides agree by construction.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, models

from zhenggai.history.canonical import canonical_json, clean_text, to_json_native, utc_iso

# The records whose every stored column the history answers for, and the columns it leaves out.
# A password hash is not history (and changes when Django upgrades its hasher); the last log-in
# time changes on every log-in and says nothing about the ledger.
TRACKED: dict[str, tuple[str, ...]] = {
    "ledger.inspectionround": (),
    "ledger.problem": (),
    "ledger.measure": (),
    "ledger.progressentry": (),
    "ledger.evidencefile": (),
    "ledger.deadlineextension": (),
    "ledger.acknowledgement": (),
    "ledger.closingdecision": (),
    "orgs.organisation": (),
    "orgs.person": (),
    "orgs.membership": (),
    "auth.user": ("password", "last_login"),
}
STATE_KEY = "#state"  # record → SHA-256 of its state (None: deleted)
SET_KEY = "~set"  # record → the columns that changed
# How many records one query reads, when recording and when verifying.
CHUNK = 5000
Values = dict[str, Any]


@dataclass(frozen=True)
class ManyField:
    """A many-to-many field, read from its through table: (owner id, target id) pairs."""

    name: str
    table: str
    owner_column: str
    target_column: str


@dataclass(frozen=True)
class Spec:
    """What the history keeps of one model, and how its rows are read."""

    label: str
    model: type[models.Model]
    table: str
    pk_column: str
    columns: tuple[str, ...]  # attnames, primary key excluded: the keys of a state
    db_columns: tuple[str, ...]
    kinds: tuple[str, ...]  # "datetime", "date", "decimal" or "": how `_select` reads each column
    converters: tuple[Callable[[Any], Any], ...]
    many: tuple[ManyField, ...]


class Unreadable(ValueError):
    """A stored value that is not of its column's type (only SQLite lets one in)."""


_UNDECODABLE = "Could not decode to UTF-8"


@contextmanager
def undecodable_as_unreadable() -> Iterator[None]:
    """SQLite's driver hands over text only as valid UTF-8: a value holding other bytes (written
    behind the application's back) makes the query raise OperationalError. That is a tampered
    value, not a broken database: raise it as `Unreadable`, which the readers turn into a finding."""
    try:
        yield
    except OperationalError as exc:
        if _UNDECODABLE not in str(exc):
            raise
        raise Unreadable(str(exc)) from exc


# --- Converting stored values to the state's JSON values ---------------------------------------


def _text(value: Any) -> Any:
    if type(value) is str:
        # Text read from the database is valid UTF-8 (both drivers decode strictly), so only a NUL,
        # which the history stores as U+FFFD, needs cleaning.
        return clean_text(value) if "\x00" in value else value
    return to_json_native(value)  # a number in a text column: it shows as a number, so as a change


def _plain(value: Any) -> Any:
    # Integers, foreign keys and None as they are; anything else as the history writes it.
    if value is None or type(value) is int:
        return value
    return to_json_native(value)


def _boolean(value: Any) -> Any:
    if value is None or type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):  # SQLite's booleans
        return bool(value)
    raise Unreadable(f"not a boolean: {value!r}")


def _date(value: Any) -> Any:
    if value is None:
        return None
    if type(value) is datetime.date:
        return value.isoformat()
    if type(value) is str and len(value) == 10:  # SQLite's dates: ISO text
        return value
    raise Unreadable(f"not a date: {value!r}")


def _datetime(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):  # SQLite's (through Django's converter) are naive UTC
        if value.tzinfo is not None:
            if value.utcoffset():
                return utc_iso(value)
            value = value.replace(tzinfo=None)
        text = value.isoformat()  # what utc_iso writes, faster
        return f"{text}.000000Z" if len(text) == 19 else f"{text}Z"
    if type(value) is str:  # PostgreSQL's, as `_select` reads them; SQLite's: "YYYY-MM-DD HH:MM:SS[.ffffff]"
        if len(value) == 27 and value[10] == "T" and value[26] == "Z":
            return value
        if len(value) == 19:
            value += ".000000"
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
    raise Unreadable(f"not a time: {value!r}")


def _decimal(places: int) -> Callable[[Any], Any]:
    quantum = decimal.Decimal(1).scaleb(-places)

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return str(decimal.Decimal(str(value)).quantize(quantum))
        except (decimal.InvalidOperation, ValueError) as exc:
            raise Unreadable(f"not a decimal: {value!r}") from exc

    return convert


def _json(value: Any) -> Any:
    if isinstance(value, str | bytes):  # SQLite keeps JSON as text; PostgreSQL hands it parsed
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise Unreadable("not JSON") from exc
    return to_json_native(value)


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if field.is_relation or isinstance(field, models.IntegerField | models.AutoField):
        return _plain
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.DecimalField):
        return _decimal(field.decimal_places or 0)
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return _text
    return _plain


@cache
def specs() -> dict[str, Spec]:
    """The tracked models, by `app_label.model`."""
    found = {}
    user_label = settings.AUTH_USER_MODEL.lower()
    for name, skip in TRACKED.items():
        model = apps.get_model(user_label if name == "auth.user" else name)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]
        many = tuple(
            ManyField(
                name=f.name,
                table=f.remote_field.through._meta.db_table,  # type: ignore[union-attr]
                owner_column=f.m2m_column_name(),  # type: ignore[attr-defined]
                target_column=f.m2m_reverse_name(),  # type: ignore[attr-defined]
            )
            for f in model._meta.many_to_many
            if f.name not in skip
        )
        label = model._meta.label_lower
        found[label] = Spec(
            label=label,
            model=model,
            table=model._meta.db_table,
            pk_column=model._meta.pk.column,  # type: ignore[union-attr]
            columns=tuple(f.attname for f in fields),
            db_columns=tuple(f.column for f in fields),
            kinds=tuple(_kind(f) for f in fields),
            converters=tuple(_converter(f) for f in fields),
            many=many,
        )
    return found


def spec_of(obj: models.Model) -> Spec | None:
    return specs().get(obj._meta.label_lower)


def key(label: str, pk: Any) -> str:
    return f"{label}:{pk}"


def split_key(value: str) -> tuple[str, str]:
    label, _, pk = value.rpartition(":")
    return label, pk


def digest(values: Values) -> str:
    try:
        data = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):  # a lone surrogate, a huge number: the exact path
        data = canonical_json(values).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


# --- Reading stored rows (the same code when recording and when verifying) -----------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _select(spec: Spec, where: str) -> str:
    """The query of some rows of one model: dates and times read as text, as the state writes them
    (PostgreSQL) or as SQLite stores them, so that no driver or Django converter parses them."""
    read = _read_sqlite if connection.vendor == "sqlite" else _read_postgresql
    columns = ", ".join(
        [_q(spec.pk_column)] + [read(_q(c), k) for c, k in zip(spec.db_columns, spec.kinds, strict=True)]
    )
    return f"SELECT {columns} FROM {_q(spec.table)} WHERE {where} ORDER BY {_q(spec.pk_column)}"  # noqa: S608


def _read_sqlite(column: str, kind: str) -> str:
    return f"CAST({column} AS TEXT)" if kind else column


def _read_postgresql(column: str, kind: str) -> str:
    if kind == "datetime":  # what history.canonical.utc_iso writes
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    if kind == "date":
        return f"to_char({column}, 'YYYY-MM-DD')"
    return column


def _kind(field: models.Field) -> str:
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    return "decimal" if isinstance(field, models.DecimalField) else ""


def _convert(spec: Spec, row: Sequence[Any]) -> Values | None:
    """A row's state (many-to-many lists empty), or None when a column holds what it cannot."""
    if len(row) == 2 and row[1] is _UNREADABLE_ROW:
        return None
    try:
        values = {
            name: convert(value)
            for name, convert, value in zip(spec.columns, spec.converters, row[1:], strict=True)
        }
    except (Unreadable, TypeError, ValueError, ArithmeticError):
        return None
    for many in spec.many:
        values[many.name] = []
    return values


def _add_many(spec: Spec, states: dict[Any, Values | None], low: Any, high: Any) -> None:
    """Fill the many-to-many lists of `states` (sorted ids) from the rows with owners low…high."""
    for many in spec.many:
        sql = (
            f"SELECT {_q(many.owner_column)}, {_q(many.target_column)} FROM {_q(many.table)}"  # noqa: S608
            f" WHERE {_q(many.owner_column)} >= %s AND {_q(many.owner_column)} <= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [low, high])
            for owner, target in cursor.fetchall():
                values = states.get(owner)
                if values is not None:
                    values[many.name].append(_plain(target))
        for values in states.values():
            if values is not None:
                values[many.name].sort(key=canonical_json)


def read_states(spec: Spec, pks: Iterable[Any]) -> dict[Any, Values | None]:
    """The stored state of some records of one model (those that exist), by primary key."""
    wanted = sorted(set(pks))
    states: dict[Any, Values | None] = {}
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(part))
        rows = _fetch(_select(spec, f"{_q(spec.pk_column)} IN ({marks})"), part)
        found = {row[0]: _convert(spec, row) for row in rows}
        if found:
            _add_many(spec, found, part[0], part[-1])
        states.update(found)
    return states


def _fetch(sql: str, params: list[Any]) -> list[Any]:
    with undecodable_as_unreadable(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rows_one_by_one(spec: Spec, where: str, params: list[Any]) -> list[Any]:
    """The rows again, each on its own: SQLite's type converters raise on some tampered values."""
    keys = _fetch(
        f"SELECT {_q(spec.pk_column)} FROM {_q(spec.table)} WHERE {where}"  # noqa: S608
        f" ORDER BY {_q(spec.pk_column)} LIMIT {CHUNK}",
        params,
    )
    rows = []
    for (pk,) in keys:
        try:
            rows += _fetch(_select(spec, f"{_q(spec.pk_column)} = %s"), [pk])
        except _CONVERTER_ERRORS:
            rows.append((pk, _UNREADABLE_ROW))
    return rows


# What SQLite's registered converters (Django's date and time parsers) raise on a bad stored value.
_CONVERTER_ERRORS = (ValueError, TypeError, OverflowError)
_UNREADABLE_ROW = object()


def iter_all_states(spec: Spec) -> Iterator[tuple[Any, Values | None]]:
    """(pk, state) of every stored row of a model, a chunk at a time in key order; a row holding
    what its column cannot (a date that is not a date…) comes as (pk, None)."""
    after: Any = None
    while True:
        where, params = ("1 = 1", []) if after is None else (f"{_q(spec.pk_column)} > %s", [after])
        try:
            rows = _fetch(_select(spec, where) + f" LIMIT {CHUNK}", params)
        except _CONVERTER_ERRORS:
            rows = _rows_one_by_one(spec, where, params)
        if not rows:
            return
        states = {row[0]: _convert(spec, row) for row in rows}
        _add_many(spec, states, rows[0][0], rows[-1][0])
        yield from states.items()
        after = rows[-1][0]
        if type(after) is not int:
            return  # a key that is not a number sorts last on SQLite; nothing follows it


# --- Recording --------------------------------------------------------------------------------------


def capture(
    objects: Iterable[models.Model | None], removed: Iterable[models.Model] = ()
) -> tuple[dict[str, Any], dict[str, Values]]:
    """The payload's `#state` and `~set` sections, and the states read: for each tracked record
    among `objects`, the SHA-256 of its stored state, read now, and the columns that changed since
    the history last recorded it (`RecordState`); a `None` digest for each record in `removed`."""
    from zhenggai.history.models import RecordState

    current: dict[str, Values] = {}
    by_spec: dict[str, set[Any]] = {}
    for obj in objects:
        spec = spec_of(obj) if obj is not None and obj.pk is not None else None
        if obj is not None and spec is not None:
            by_spec.setdefault(spec.label, set()).add(obj.pk)
    for label, pks in by_spec.items():
        states = read_states(specs()[label], pks)
        for pk in pks:
            values = states.get(pk)
            if values is None:
                raise ValueError(f"cannot record the state of {label} #{pk}: not readable in the database")
            current[key(label, pk)] = values
    gone = [key(spec.label, obj.pk) for obj in removed if (spec := spec_of(obj)) is not None]
    if not current and not gone:
        return {}, {}
    before = dict(RecordState.objects.filter(key__in=list(current)).values_list("key", "values"))
    digests: dict[str, str | None] = {}
    sets: dict[str, Values] = {}
    for name, values in current.items():
        old = before.get(name)
        if isinstance(old, dict):
            sets[name] = {
                column: value for column, value in values.items() if old.get(column, _NONE) != value
            }
        else:
            sets[name] = values
        digests[name] = digest(values)
    digests.update(dict.fromkeys(gone))
    return {STATE_KEY: digests, SET_KEY: sets}, current


_NONE = object()


def remember(section: dict[str, Any], seq: int, current: dict[str, Values]) -> None:
    """Keep the states just recorded as the records' last recorded states (in the same transaction)."""
    from zhenggai.history.models import RecordState

    RecordState.objects.filter(
        key__in=[name for name, sha in section[STATE_KEY].items() if sha is None]
    ).delete()
    rows = [RecordState(key=name, seq=seq, values=values) for name, values in current.items()]
    RecordState.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["key"], update_fields=["seq", "values"]
    )
