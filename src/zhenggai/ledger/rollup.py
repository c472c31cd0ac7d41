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
from collections.abc import Iterable, Mapping
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
    units: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))

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
                self.units[(*cell, unit, key)] += sign * figures["problems"]
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
        pk: ((office, group, kind, day.year if day else None), unit)
        for pk, office, group, kind, day, unit in rounds.order_by().values_list(
            "pk", "office_id", "inspecting_group_id", "kind", "feedback_date", "inspected_unit_id"
        )
    }


def place_of(round_: InspectionRound) -> Place:
    """The cell and unit of a round as read (before a change to it is saved)."""
    day = round_.feedback_date
    return (
        (round_.office_id, round_.inspecting_group_id, round_.kind, day.year if day else None),
        round_.inspected_unit_id,
    )


def stored_rows(round_ids: Iterable[int]) -> list[tuple[Key, dict[str, int]]]:
    """The tally rows stored for `round_ids`, as `Rollup.add` takes them."""
    rows = MeasureTally.objects.filter(round_id__in=list(round_ids), kind__in=ROLLED).order_by()
    return [
        ((values[0], values[1], values[2]), dict(zip(COLUMNS, values[3:], strict=True)))
        for values in rows.values_list("round_id", "kind", "key", *COLUMNS)
    ]


def apply(change: Rollup) -> None:
    """Add `change` to the stored rollup rows: rows updated, made, or deleted when they fall to
    nothing. Call it inside the refresh's transaction, with the clock locked."""
    offices = {k: v for k, v in change.offices.items() if any(v.values())}
    if offices:
        existing = {
            (r.office_id, r.inspecting_group_id, r.round_kind, r.year, r.kind, r.key): r
            for r in OfficeTally.objects.filter(
                office_id__in={k[0] for k in offices}, key__in={k[5] for k in offices}, kind__in=ROLLED
            )
        }
        changed: list[OfficeTally] = []
        made: list[OfficeTally] = []
        gone: list[int] = []
        for k, difference in offices.items():
            row = existing.get(k) or _office_tally(k, dict.fromkeys(COLUMNS, 0))
            for name in COLUMNS:  # never below 0 (a row that drifted is `differences`' to report)
                setattr(row, name, max(0, getattr(row, name) + difference[name]))
            if row.pk is None:
                if any(getattr(row, name) for name in COLUMNS):
                    made.append(row)
            elif any(getattr(row, name) for name in COLUMNS):
                changed.append(row)
            else:
                gone.append(row.pk)
        OfficeTally.objects.bulk_update(changed, COLUMNS, batch_size=500)
        OfficeTally.objects.bulk_create(made, batch_size=500)
        OfficeTally.objects.filter(pk__in=gone).delete()
    apply_counts(CategoryUnit, UNIT_FIELDS, "problems", change.units, _category_unit)


# A CategoryUnit row's key, field by field (a cell, then the unit and the category).
CELL_FIELDS = ("office_id", "inspecting_group_id", "round_kind", "year")
UNIT_FIELDS = (*CELL_FIELDS, "inspected_unit_id", "key")


def apply_counts(model, fields: tuple[str, ...], count: str, change: Mapping[tuple, int], make) -> None:
    """Add `change` ({key: difference}, a key the values of `fields`) to the rows of `model`
    counting `count`: rows updated, made (`make(key, n)`), or deleted when they fall to nothing."""
    change = {k: n for k, n in change.items() if n}
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
    for k, n in change.items():
        row = found.get(k)
        if row is None:
            if n > 0:
                made.append(make(k, n))
            continue
        total = max(0, getattr(row, count) + n)  # never below 0 (a drifted row: `differences`)
        setattr(row, count, total)
        if total:
            changed.append(row)
        else:
            gone.append(row.pk)
    model.objects.bulk_update(changed, [count], batch_size=500)
    model.objects.bulk_create(made, batch_size=500)
    model.objects.filter(pk__in=gone).delete()


def _office_tally(k: tuple, figures: Mapping[str, int]) -> OfficeTally:
    """An OfficeTally row of the key (office, group, round kind, year, kind, key)."""
    office, group, round_kind, year, kind, key = k
    return OfficeTally(
        office_id=office,
        inspecting_group_id=group,
        round_kind=round_kind,
        year=year,
        kind=kind,
        key=key,
        **figures,
    )


def _category_unit(k: tuple, problems: int) -> CategoryUnit:
    """A CategoryUnit row of the key (office, group, round kind, year, unit, key)."""
    return CategoryUnit(
        office_id=k[0],
        inspecting_group_id=k[1],
        round_kind=k[2],
        year=k[3],
        inspected_unit_id=k[4],
        key=k[5],
        top=top_level(k[5]),
        problems=problems,
    )


def rebuild(counted: Mapping[Key, Cells] | None = None) -> None:
    """Count the rollup again from the round rows (`counted`, a recount; default: the stored rows)."""
    rows = counted.items() if counted is not None else _all_stored_rows()
    rollup = Rollup().add(rows, places_of(None))
    OfficeTally.objects.all().delete()
    CategoryUnit.objects.all().delete()
    OfficeTally.objects.bulk_create(
        [_office_tally(k, figures) for k, figures in rollup.offices.items() if any(figures.values())],
        batch_size=2000,
    )
    CategoryUnit.objects.bulk_create(
        [_category_unit(k, n) for k, n in rollup.units.items() if n], batch_size=2000
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
    stored_offices = {
        (r["office_id"], r["inspecting_group_id"], r["round_kind"], r["year"], r["kind"], r["key"]): r
        for r in OfficeTally.objects.values(
            "office_id", "inspecting_group_id", "round_kind", "year", "kind", "key", *COLUMNS
        )
    }
    found = []
    zero = dict.fromkeys(COLUMNS, 0)
    for k in sorted(set(expected.offices) | set(stored_offices), key=str):
        mine, theirs = stored_offices.get(k, zero), expected.offices.get(k, zero)
        for name in COLUMNS:
            if mine[name] != theirs[name]:
                found.append(("office " + "/".join(map(str, k)), name, mine[name], theirs[name]))
    stored_units: dict[tuple, int] = defaultdict(int)
    for row in CategoryUnit.objects.values_list(
        "office_id", "inspecting_group_id", "round_kind", "year", "inspected_unit_id", "key", "problems"
    ):
        stored_units[tuple(row[:6])] += row[6]
    for k in sorted(set(expected.units) | set(stored_units), key=str):
        mine_n, theirs_n = stored_units.get(k, 0), expected.units.get(k, 0)
        if mine_n != theirs_n:
            found.append(("unit " + "/".join(map(str, k)), "problems", mine_n, theirs_n))
    return found
