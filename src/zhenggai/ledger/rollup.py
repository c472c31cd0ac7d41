"""The tally rolled up by office (`OfficeTally`, `CategoryUnit`): what the dashboard reads instead of
the rows of every round of a province.

A round's tally rows (`MeasureTally`: the round's, its categories', its departments' and their
categories') are added to the rows of its *cell*: its office, inspecting group, kind of inspection
and year of feedback, the four things the dashboard filters rounds by and the two its office staff
see them through. `OfficeTally` sums their figures per cell, kind and key (a few hundred round and
category rows at a province; the departments' stay many, but are read with no join to the rounds
in view); `CategoryUnit` keeps, per cell, unit and category, the problems found (the units with
problems of a category are distinct units, which no sum of `OfficeTally` rows can give).

Kept as the round rows are, by difference: `tally._recount_rounds` subtracts what a round's rows
added before its recount and adds what they add after, in the same transaction and under the same
lock (the TallyClock row, which every refresh holds: two writers never move one rollup row at once);
`round_moved` moves a round's share when its cell changes (`round_update`), `round_removed` takes
it out before the round is deleted; `rebuild` counts them again from the round rows (`tally_rebuild`,
the migration). `differences` compares them with a recount, for `zhenggai verify --counts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from zhenggai.ledger.access import memberships_of, subtree_ids
from zhenggai.ledger.models import (
    CategoryUnit,
    InspectionRound,
    MeasureTally,
    OfficeTally,
    TallyClock,
    TallyKind,
)
from zhenggai.ledger.tally import COLUMNS, Cells, Key
from zhenggai.orgs.models import Role

# office, inspecting group, round kind, feedback year
Cell = tuple[int, "int | None", str, "int | None"]
Place = tuple[Cell, int]  # a round's cell, and its inspected unit
ROLLED = (TallyKind.ROUND, TallyKind.CATEGORY, TallyKind.DEPARTMENT, TallyKind.DEPARTMENT_CATEGORY)


def top_level(code: str) -> str:
    """ "conduct.eight_rules" → "conduct" (as oversight.categories.top_level)."""
    return code.split(".", 1)[0]


@dataclass
class Rollup:
    """Rollup rows by their key: figures per (cell…, kind, key), problems per (cell…, unit, key)."""

    offices: dict[tuple, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    )
    units: dict[tuple, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: {"problems": 0}))

    def add(
        self, rows: Iterable[tuple[Key, Mapping[str, int]]], places: Mapping[int, Place], sign: int = 1
    ) -> Rollup:
        """Add (sign -1: take away) round rows ((round, kind, key), figures) to the rows of their
        rounds' cells."""
        for (round_id, kind, key), figures in rows:
            if kind not in ROLLED or round_id not in places:
                continue
            cell, unit = places[round_id]
            into = self.offices[(*cell, kind, key)]
            for name in COLUMNS:
                into[name] += sign * figures[name]
            if kind == TallyKind.CATEGORY and figures["problems"]:
                self.units[(*cell, unit, key)]["problems"] += sign * figures["problems"]
        return self


def office_reach(user) -> Q:
    """The rounds the user's office and supervisor roles reach through a round's office or group
    (the part of `round_scope` that depends on those two only), over rows that name a round's
    office and group (the rollups, the weekly snapshots)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    q = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role in (Role.OFFICE_STAFF, Role.SUPERVISOR):
            path = m.organisation.path
            q |= Q(office_id__in=subtree_ids(path)) | Q(inspecting_group_id__in=subtree_ids(path))
    return q


def office_reach_only(user) -> Q | None:
    """`office_reach` when the user sees rounds only through office staff roles (a superuser:
    everything); None when another role of theirs reaches rounds through the inspected unit too
    (a supervisor, a unit's people), which the rollups cannot tell apart: read the rounds' rows."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    roles = memberships_of(user)
    if not roles or any(m.role != Role.OFFICE_STAFF for m in roles):
        return None
    return office_reach(user)


def places_of(round_ids: Iterable[int] | None) -> dict[int, Place]:
    """Round id → its cell and unit (every round: None). One query."""
    rounds = (
        InspectionRound.objects.all()
        if round_ids is None
        else InspectionRound.objects.filter(pk__in=list(round_ids))
    )
    return {
        pk: _place(office, group, kind, day, unit)
        for pk, office, group, kind, day, unit in rounds.order_by().values_list(
            "pk", "office_id", "inspecting_group_id", "kind", "feedback_date", "inspected_unit_id"
        )
    }


def place_of(round_: InspectionRound) -> Place:
    """The cell and unit of a round as read (before a change to it is saved)."""
    return _place(
        round_.office_id,
        round_.inspecting_group_id,
        round_.kind,
        round_.feedback_date,
        round_.inspected_unit_id,
    )


def _place(office: int, group: int | None, kind: str, day, unit: int) -> Place:
    return (office, group, kind, day.year if day else None), unit


def stored_rows(round_ids: Iterable[int]) -> list[tuple[Key, dict[str, int]]]:
    """The tally rows stored for `round_ids`, as `Rollup.add` takes them."""
    rows = MeasureTally.objects.filter(round_id__in=list(round_ids), kind__in=ROLLED).order_by()
    return [
        ((values[0], values[1], values[2]), dict(zip(COLUMNS, values[3:], strict=True)))
        for values in rows.values_list("round_id", "kind", "key", *COLUMNS)
    ]


def apply(change: Rollup) -> None:
    """Add `change` to the stored rollup rows. Call it inside the refresh's transaction, with the
    clock locked."""
    apply_counts(OfficeTally, OFFICE_FIELDS, COLUMNS, change.offices)
    apply_counts(CategoryUnit, UNIT_FIELDS, ["problems"], change.units, _unit_top)


# A rollup row's key, field by field: a cell, then what the row counts within it.
CELL_FIELDS = ("office_id", "inspecting_group_id", "round_kind", "year")
OFFICE_FIELDS = (*CELL_FIELDS, "kind", "key")
UNIT_FIELDS = (*CELL_FIELDS, "inspected_unit_id", "key")


def apply_counts(
    model,
    fields: tuple[str, ...],
    columns: Sequence[str],
    change: Mapping[tuple, Mapping[str, int]],
    extra=None,
) -> None:
    """Add `change` ({key: {column: difference}}, a key the values of `fields`) to the rows of
    `model`: rows updated, made (`row_of`), or deleted when every column falls to nothing. A count
    never goes below 0 (a row that drifted is `differences`' to report, never a failed write)."""
    change = {k: c for k, c in change.items() if any(c.values())}
    if not change:
        return
    # The rows to read, narrowed by each field's values (but those with a NULL among them, which
    # `IN` does not match); the keys are matched in full here.
    values = {name: {k[i] for k in change} for i, name in enumerate(fields)}
    narrowed = {f"{name}__in": v for name, v in values.items() if None not in v}
    found = {tuple(getattr(r, name) for name in fields): r for r in model.objects.filter(**narrowed)}
    changed: list = []
    made: list = []
    gone: list[int] = []
    for k, difference in change.items():
        row = found.get(k)
        if row is None:
            counts = {name: max(0, difference[name]) for name in columns}
            if any(counts.values()):
                made.append(row_of(model, fields, k, counts, extra))
            continue
        for name in columns:
            setattr(row, name, max(0, getattr(row, name) + difference[name]))
        if any(getattr(row, name) for name in columns):
            changed.append(row)
        else:
            gone.append(row.pk)
    model.objects.bulk_update(changed, list(columns), batch_size=500)
    model.objects.bulk_create(made, batch_size=500)
    model.objects.filter(pk__in=gone).delete()


def row_of(model, fields: tuple[str, ...], k: tuple, counts: Mapping[str, int], extra=None):
    """A new row of `model` for the key `k` (the values of `fields`) with `counts`; `extra(k)`: more
    fields derived from the key."""
    return model(**dict(zip(fields, k, strict=True)), **counts, **(extra(k) if extra else {}))


def _unit_top(k: tuple) -> dict[str, str]:
    """A CategoryUnit row's top-level category, from its key's category."""
    return {"top": top_level(k[-1])}


def rebuild(counted: Mapping[Key, Cells] | None = None) -> None:
    """Count the rollup again from the round rows (`counted`, a recount; default: the stored rows)."""
    rows = counted.items() if counted is not None else _all_stored_rows()
    rollup = Rollup().add(rows, places_of(None))
    OfficeTally.objects.all().delete()
    CategoryUnit.objects.all().delete()
    for model, fields, found, extra in (
        (OfficeTally, OFFICE_FIELDS, rollup.offices, None),
        (CategoryUnit, UNIT_FIELDS, rollup.units, _unit_top),
    ):
        model.objects.bulk_create(
            [row_of(model, fields, k, counts, extra) for k, counts in found.items() if any(counts.values())],
            batch_size=2000,
        )


def _all_stored_rows() -> Iterable[tuple[Key, dict[str, int]]]:
    for values in (
        MeasureTally.objects.filter(kind__in=ROLLED)
        .order_by()
        .values_list("round_id", "kind", "key", *COLUMNS)
        .iterator(chunk_size=5000)
    ):
        yield (values[0], values[1], values[2]), dict(zip(COLUMNS, values[3:], strict=True))


def lock() -> bool:
    """Take the lock every tally refresh takes first (the TallyClock row), inside the caller's
    transaction; False when nothing is counted yet (no clock)."""
    return TallyClock.objects.select_for_update().filter(pk=1).first() is not None


def _moved(round_id: int, before: Place | None, after: Place | None) -> None:
    """Move a round's share of the rollup from the cell `before` to `after` (None: none), under the
    clock's lock (no clock: nothing is counted yet)."""
    with transaction.atomic():
        if lock():  # (no clock: no measure is counted yet)
            rows = stored_rows([round_id])
            change = Rollup()
            if before is not None:
                change.add(rows, {round_id: before}, -1)
            if after is not None:
                change.add(rows, {round_id: after})
            apply(change)
        from zhenggai.signals.services import signals_moved  # its signal counts' share too

        signals_moved(round_id, before, after)


def round_moved(round_id: int, before: Place) -> None:
    """After a round's office, group, kind, feedback date or unit changed: its share moves."""
    after = places_of([round_id]).get(round_id)
    if after != before:
        _moved(round_id, before, after)


def round_removed(round_: InspectionRound) -> None:
    """Before a round is deleted (its round rows with it): its share taken out."""
    _moved(round_.pk, place_of(round_), None)


def differences(recounted: Mapping[Key, Cells]) -> list[tuple[str, str, int, int]]:
    """(row, column, stored, expected) of every rollup figure that differs from the rollup of the
    round rows `recounted` (a recount of every measure, as `tally_differences` counts them)."""
    expected = Rollup().add(recounted.items(), places_of(None))
    found = []
    for name, model, fields, columns, wanted in (
        ("office", OfficeTally, OFFICE_FIELDS, COLUMNS, expected.offices),
        ("unit", CategoryUnit, UNIT_FIELDS, ["problems"], expected.units),
    ):
        for k, column, mine, theirs in compared(stored_counts(model, fields, columns), wanted, columns):
            found.append((f"{name} " + "/".join(map(str, k)), column, mine, theirs))
    return found


def stored_counts(model, fields: tuple[str, ...], columns: Sequence[str]) -> dict[tuple, dict[str, int]]:
    """The stored rows of a rollup model by key: {key: {column: count}} (rows of one key added)."""
    stored: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(columns, 0))
    for row in model.objects.values_list(*fields, *columns):
        into = stored[tuple(row[: len(fields)])]
        for name, n in zip(columns, row[len(fields) :], strict=True):
            into[name] += n
    return stored


def compared(
    stored: Mapping[tuple, Mapping[str, int]],
    expected: Mapping[tuple, Mapping[str, int]],
    columns: Sequence[str],
) -> list[tuple[tuple, str, int, int]]:
    """(key, column, stored, expected) of every count where `stored` and `expected` differ (a key
    missing on one side counts 0 there), in the order of the keys as text."""
    zero = dict.fromkeys(columns, 0)
    return [
        (k, name, stored.get(k, zero)[name], expected.get(k, zero)[name])
        for k in sorted(set(stored) | set(expected), key=str)
        for name in columns
        if stored.get(k, zero)[name] != expected.get(k, zero)[name]
    ]
