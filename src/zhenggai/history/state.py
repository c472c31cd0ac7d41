"""The stored state of every ledger, organisation and account record, as the history holds it.

Each history entry that creates or changes one of these records carries the record's whole stored
state after the change, under the payload's `state` key:

    "state": {"ledger.measure:12": {"sha256": "…", "values": {"status": "in_progress", …}}}

`values` holds every stored column (foreign keys by id, dates as text, as `to_json_native` writes
them) and each many-to-many field as a sorted list of ids; `sha256` is the SHA-256 of their
canonical JSON. A deleted record is `"ledger.measure:12": null`. The state is read back from the
database inside the writing transaction, after the chain head is locked, so it is exactly what was
committed, and the last entry naming a record says what the record must be now.

`zhenggai verify` replays the chain and compares every stored row with that (history/state_check):
a row that differs was changed behind the application's back, a row no entry names was written
into the database directly, and a record the chain has but the table lacks was deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from zhenggai.history.canonical import canonical_json, to_json_native

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
STATE_KEY = "state"
# How many records one query reads, when recording and when verifying.
CHUNK = 2000
# What a tampered SQLite row can raise when Django converts it (a date that is not a date…).
_UNREADABLE = (ValueError, TypeError, AttributeError, ArithmeticError)


@dataclass(frozen=True)
class ManyField:
    """A many-to-many field, read from its through table: (owner id, target id) pairs."""

    name: str
    through: type[models.Model]
    owner_column: str
    target_column: str


@dataclass(frozen=True)
class Spec:
    """What the history keeps of one model."""

    label: str
    model: type[models.Model]
    columns: tuple[str, ...]  # attnames, primary key excluded
    many: tuple[ManyField, ...]


def _user_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def _native(value: Any) -> Any:
    """A stored value as the history writes it; ints, booleans and None (most columns) as they are."""
    if value is None or type(value) in (int, bool):
        return value
    return to_json_native(value)


@cache
def specs() -> dict[str, Spec]:
    """The tracked models, by `app_label.model`."""
    found = {}
    wanted = {(_user_label() if label == "auth.user" else label): skip for label, skip in TRACKED.items()}
    for label, skip in wanted.items():
        model = apps.get_model(label)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]
        many = tuple(
            ManyField(
                name=f.name,
                through=f.remote_field.through,  # type: ignore[union-attr]
                owner_column=f.m2m_column_name(),  # type: ignore[attr-defined]
                target_column=f.m2m_reverse_name(),  # type: ignore[attr-defined]
            )
            for f in model._meta.many_to_many
            if f.name not in skip
        )
        found[model._meta.label_lower] = Spec(
            label=model._meta.label_lower,
            model=model,
            columns=tuple(f.attname for f in fields),
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


def digest(values: dict[str, Any]) -> str:
    data = canonical_json(values).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


# --- Reading stored rows (the same code when recording and when verifying) -----------------------


def rows_to_states(spec: Spec, rows: Iterable[tuple[Any, ...]]) -> dict[Any, dict[str, Any]]:
    """{pk: values} from `values_list("pk", *spec.columns)` rows; many-to-many lists left empty."""
    columns = spec.columns
    states: dict[Any, dict[str, Any]] = {}
    for row in rows:
        values = {name: _native(value) for name, value in zip(columns, row[1:], strict=True)}
        for many in spec.many:
            values[many.name] = []
        states[row[0]] = values
    return states


def add_many(spec: Spec, states: dict[Any, dict[str, Any]]) -> None:
    """Fill the many-to-many lists of `states` (sorted ids), one query per field."""
    for many in spec.many:
        pairs = many.through._default_manager.filter(**{f"{many.owner_column}__in": list(states)})
        for owner, target in pairs.values_list(many.owner_column, many.target_column):
            if owner in states:
                states[owner][many.name].append(to_json_native(target))
        for values in states.values():
            values[many.name].sort(key=canonical_json)


def read_states(spec: Spec, pks: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    """The stored state of some records of one model (those that exist)."""
    wanted = list(pks)
    rows = spec.model._base_manager.filter(pk__in=wanted).values_list("pk", *spec.columns)
    states = rows_to_states(spec, rows)
    add_many(spec, states)
    return states


def iter_all_states(spec: Spec) -> Iterator[tuple[Any, dict[str, Any] | None]]:
    """(pk, values) of every stored row of a model, a chunk at a time in key order.

    A row Django cannot read (a tampered date that is not a date…) comes as (pk, None)."""
    after = None
    while True:
        query = spec.model._base_manager.order_by("pk")
        if after is not None:
            query = query.filter(pk__gt=after)
        states: dict[Any, dict[str, Any] | None]
        try:
            states = dict(rows_to_states(spec, query.values_list("pk", *spec.columns)[:CHUNK]))
        except _UNREADABLE:
            states = dict(_one_by_one(spec, list(query.values_list("pk", flat=True)[:CHUNK])))
        if not states:
            return
        add_many(spec, {pk: values for pk, values in states.items() if values is not None})
        yield from states.items()
        after = list(states)[-1]


def _one_by_one(spec: Spec, pks: list[Any]) -> Iterator[tuple[Any, dict[str, Any] | None]]:
    for pk in pks:
        try:
            rows = spec.model._base_manager.filter(pk=pk).values_list("pk", *spec.columns)
            yield pk, rows_to_states(spec, rows).get(pk)
        except _UNREADABLE:
            yield pk, None


# --- Recording --------------------------------------------------------------------------------------


def capture(objects: Iterable[models.Model | None], removed: Iterable[models.Model] = ()) -> dict[str, Any]:
    """The `state` section of a payload: the stored state of each tracked record among `objects`,
    read now from the database, and `None` for each record in `removed` (deleted by the change)."""
    by_spec: dict[str, set[Any]] = {}
    for obj in objects:
        if obj is None:
            continue
        spec = spec_of(obj)
        if spec is not None and obj.pk is not None:
            by_spec.setdefault(spec.label, set()).add(obj.pk)
    section: dict[str, Any] = {}
    for label, pks in by_spec.items():
        spec = specs()[label]
        states = read_states(spec, pks)
        missing = pks - set(states)
        if missing:
            raise ValueError(f"cannot record the state of {label} {sorted(missing)}: not in the database")
        for pk, values in states.items():
            section[key(label, pk)] = {"sha256": digest(values), "values": values}
    for obj in removed:
        spec = spec_of(obj)
        if spec is not None:
            section[key(spec.label, obj.pk)] = None
    return section
