"""The tally rolled up by office (`OfficeTally`, `CategoryUnit`): what the dashboard reads instead of
the rows of every round of a province.

A round's round and category rows (`MeasureTally`) are added to the rows of its *cell*: its office,
inspecting group, kind of inspection and year of feedback, the four things the dashboard filters
rounds by and the two its office staff see them through. `OfficeTally` sums their figures per cell,
kind and key (a few hundred rows at a province); `CategoryUnit` keeps, per cell, unit and category,
the problems found (the units with problems of a category are distinct units, which no sum of
`OfficeTally` rows can give).

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

from zhenggai.ledger.models import (
    CategoryUnit,
    InspectionRound,
    MeasureTally,
    OfficeTally,
    TallyClock,
    TallyKind,
)
from zhenggai.ledger.tally import COLUMNS, Cells, Key

# office, inspecting group, round kind, feedback year
Cell = tuple[int, "int | None", str, "int | None"]
Place = tuple[Cell, int]  # a round's cell, and its inspected unit
ROLLED = (TallyKind.ROUND, TallyKind.CATEGORY)


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
        rounds' cells; rows of other kinds (departments) are not rolled up."""
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
    """The round and category rows stored for `round_ids`, as `Rollup.add` takes them."""
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
    units = {k: v for k, v in change.units.items() if v}
    if units:
        found = {
            (r.office_id, r.inspecting_group_id, r.round_kind, r.year, r.inspected_unit_id, r.key): r
            for r in CategoryUnit.objects.filter(
                office_id__in={k[0] for k in units},
                inspected_unit_id__in={k[4] for k in units},
                key__in={k[5] for k in units},
            )
        }
        changed_units: list[CategoryUnit] = []
        made_units: list[CategoryUnit] = []
        gone_units: list[CategoryUnit] = []
        for k, n in units.items():
            unit_row = found.get(k)
            if unit_row is None:
                if n > 0:
                    made_units.append(_category_unit(k, n))
                continue
            unit_row.problems = max(0, unit_row.problems + n)
            (changed_units if unit_row.problems else gone_units).append(unit_row)
        CategoryUnit.objects.bulk_update(changed_units, ["problems"], batch_size=500)
        CategoryUnit.objects.bulk_create(made_units, batch_size=500)
        CategoryUnit.objects.filter(pk__in=[r.pk for r in gone_units]).delete()


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
        if not lock():
            return
        rows = stored_rows([round_id])
        change = Rollup()
        if before is not None:
            change.add(rows, {round_id: before}, -1)
        if after is not None:
            change.add(rows, {round_id: after})
        apply(change)


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
