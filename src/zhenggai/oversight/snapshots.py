"""Taking the week's snapshot of the office's tally (see oversight/models.py).

`take_weekly_snapshot(today)` is what the weekly task (oversight.tasks) and `manage.py
snapshot_week` call. Once a week: a second run in the same week writes nothing. It only ever dates
what it counts to the week of the day it runs: a week in which it never ran stays missing (the
trend shows a gap), and it refuses a day in a week before the last one taken (that would file
today's figures under a past week).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from zhenggai.ledger.lights import OPEN
from zhenggai.ledger.models import Measure, MeasureTally, TallyKind
from zhenggai.ledger.tally import CELLS, tally_rollover
from zhenggai.oversight.models import RoundWeek, SnapshotWeek, WeekTotal

# The tally's kinds a snapshot copies: the trend filters by category, never by department.
SNAPSHOT_KINDS = [TallyKind.ROUND, TallyKind.CATEGORY]
# The columns of a snapshot row's counts.
COUNTS = [*CELLS, "long_term_open"]
# What a round was that week: RoundWeek's columns, from the round.
ROUND_ATTRIBUTES = {
    "office_id": "round__office_id",
    "inspecting_group_id": "round__inspecting_group_id",
    "inspected_unit_id": "round__inspected_unit_id",
    "round_kind": "round__kind",
}


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week: how a snapshot is dated."""
    return day - datetime.timedelta(days=day.weekday())


class SnapshotDateError(ValueError):
    """A snapshot asked for a day in a week before the last one taken."""


@dataclass(frozen=True)
class Taken:
    week: datetime.date
    created: bool  # False: this week's was taken already, nothing written
    rounds: int = 0
    rows: int = 0
    totals: int = 0


def subtrees(code: str) -> list[str]:
    """The category `code` and the categories above it ("conduct.eight_rules": itself and
    "conduct"): the snapshot's category rows it counts in. No category ("") counts in "" alone."""
    parts = code.split(".")
    return [".".join(parts[:end]) for end in range(len(parts), 0, -1)] if code else [""]


def _key_rows(kind: str, key: str) -> list[tuple[str, str]]:
    """The snapshot rows a tally row adds to: a round row to itself, a category row to its
    category's row and those of the categories above it."""
    if kind == TallyKind.CATEGORY:
        return [(kind, code) for code in subtrees(key)]
    return [(kind, key)]


def _long_term_open() -> dict[tuple[int, str, str], int]:
    """Open measures kept up long term (长期坚持), by (round, kind, key) of the snapshot's rows."""
    counted: dict[tuple[int, str, str], int] = defaultdict(int)
    rows = (
        Measure.objects.filter(long_term=True, status__in=OPEN)
        .order_by()
        .values_list("round_id", "problem__category")
        .annotate(n=Count("pk"))
    )
    for round_id, category, n in rows:
        counted[(round_id, TallyKind.ROUND, "")] += n
        for code in subtrees("" if category is None else str(category)):
            counted[(round_id, TallyKind.CATEGORY, code)] += n
    return counted


def _round_rows(week: datetime.date) -> list[RoundWeek]:
    """The tally's rows of SNAPSHOT_KINDS as RoundWeek rows, each with its round as it is: the
    round's row as it is; a category's row added to its own and to those of the categories above it,
    so that a category's row counts it with its sub-categories (the trend's filter reads one row)."""
    long_term = _long_term_open()
    tally = (
        MeasureTally.objects.filter(kind__in=SNAPSHOT_KINDS)
        .order_by()
        .values("round_id", "kind", "key", *CELLS, *ROUND_ATTRIBUTES.values(), "round__feedback_date")
    )
    rows: dict[tuple[int, str, str], RoundWeek] = {}
    for tallied in tally:
        feedback = tallied["round__feedback_date"]
        for kind, key in _key_rows(tallied["kind"], tallied["key"]):
            found = rows.get((tallied["round_id"], kind, key))
            if found is None:
                rows[(tallied["round_id"], kind, key)] = RoundWeek(
                    week=week,
                    round_id=tallied["round_id"],
                    kind=kind,
                    key=key,
                    year=feedback.year if feedback else None,
                    long_term_open=long_term.get((tallied["round_id"], kind, key), 0),
                    **{name: tallied[name] for name in CELLS},
                    **{column: tallied[source] for column, source in ROUND_ATTRIBUTES.items()},
                )
                continue
            for name in CELLS:
                setattr(found, name, getattr(found, name) + tallied[name])
    return list(rows.values())


def _totals(week: datetime.date) -> list[WeekTotal]:
    """The week's RoundWeek rows summed by office, group, round kind, year, tally kind and key."""
    grouped = (
        RoundWeek.objects.filter(week=week)
        .order_by()
        .values("office_id", "inspecting_group_id", "round_kind", "year", "kind", "key")
        .annotate(rounds=Count("round_id"), **{f"sum_{name}": Sum(name) for name in COUNTS})
    )
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]  # keys from COUNTS: not the stubs' TypedDict
    return [
        WeekTotal(
            week=week,
            office_id=row["office_id"],
            inspecting_group_id=row["inspecting_group_id"],
            round_kind=row["round_kind"],
            year=row["year"],
            kind=row["kind"],
            key=row["key"],
            rounds=row["rounds"],
            **{name: row[f"sum_{name}"] for name in COUNTS},
        )
        for row in rows
    ]


def take_weekly_snapshot(today: datetime.date | None = None) -> Taken:
    """Take the snapshot of `today`'s week (default: today in the site's time zone), unless it was
    taken already. Moves the tally to `today`'s lights first (as the daily task would), then copies
    its rows and sums them, in one transaction. Safe to run at once from two workers: the week's
    row is written first and the second waits for it, then writes nothing."""
    today = today or timezone.localdate()
    week = week_of(today)
    last = SnapshotWeek.objects.aggregate(last=Max("week"))["last"]
    if last is not None and week < last:
        raise SnapshotDateError(f"the week of {today} is before the last snapshot's ({last})")
    if last == week:
        return Taken(week=week, created=False)
    try:
        with transaction.atomic():
            taken = SnapshotWeek.objects.create(week=week, taken_on=today, lights_of=today)
            tally_rollover(today)
            rows = RoundWeek.objects.bulk_create(_round_rows(week), batch_size=2000)
            totals = WeekTotal.objects.bulk_create(_totals(week), batch_size=2000)
            taken.rounds = len({row.round_id for row in rows})
            taken.save(update_fields=["rounds"])
    except IntegrityError:
        if not SnapshotWeek.objects.filter(week=week).exists():
            raise  # another constraint: not the week's row taken by another run
        return Taken(week=week, created=False)
    return Taken(week=week, created=True, rounds=taken.rounds, rows=len(rows), totals=len(totals))
