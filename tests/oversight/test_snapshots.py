"""The weekly snapshot (oversight/snapshots.py): once a week, a missed week left missing, the
totals equal to the rounds' rows, and the command, task and scheduler that take it."""

from __future__ import annotations

import datetime
import random
from io import StringIO

import pytest
import time_machine
from _trend_support import build, drift
from django.core.management import call_command
from django.db.models import Sum

from zhenggai.ledger.models import MeasureTally, TallyClock, TallyKind
from zhenggai.oversight.models import RoundWeek, SnapshotWeek, WeekTotal
from zhenggai.oversight.snapshots import COUNTS, SnapshotDateError, subtrees, take_weekly_snapshot, week_of
from zhenggai.oversight.tasks import take_weekly_snapshot_task

MONDAY = datetime.date(2026, 6, 1)
WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def province(db):
    return build(random.Random(15), MONDAY)


def _rows() -> tuple[int, int, int]:
    return SnapshotWeek.objects.count(), RoundWeek.objects.count(), WeekTotal.objects.count()


def test_week_of_is_the_monday():
    assert week_of(MONDAY) == MONDAY
    assert week_of(MONDAY + 6 * DAY) == MONDAY
    assert week_of(MONDAY - DAY) == MONDAY - WEEK


def test_a_second_run_in_the_same_week_writes_nothing(province):
    first = take_weekly_snapshot(MONDAY)
    assert first.created and first.week == MONDAY and first.rows > 0
    before = _rows()
    drift(random.Random(1), MONDAY + 2 * DAY)  # figures change within the week: the week keeps its own
    again = take_weekly_snapshot(MONDAY + 2 * DAY)
    assert not again.created and again.week == MONDAY
    assert _rows() == before
    week = SnapshotWeek.objects.get()
    assert (week.taken_on, week.lights_of, week.rounds) == (MONDAY, MONDAY, len(province.rounds))


def test_the_rounds_rows_copy_the_tally_of_the_day(province):
    take_weekly_snapshot(MONDAY + DAY)
    assert TallyClock.objects.get().as_of == MONDAY + DAY  # the lights moved to the day first
    cells = COUNTS[:-1]
    tally = {
        (t.round_id, t.kind, t.key): [getattr(t, name) for name in cells]
        for t in MeasureTally.objects.filter(kind__in=[TallyKind.ROUND, TallyKind.CATEGORY])
    }
    copied = {
        (r.round_id, r.kind, r.key): [getattr(r, name) for name in cells] for r in RoundWeek.objects.all()
    }
    # A round's row as the tally's; a category's, the tally's rows of it and of its sub-categories.
    expected: dict[tuple, list[int]] = {}
    for (round_id, kind, key), counts in tally.items():
        codes = (
            [key] if kind == TallyKind.ROUND or not key else [key, key.split(".")[0]] if "." in key else [key]
        )
        for code in codes:
            into = expected.setdefault((round_id, kind, code), [0] * len(cells))
            for i, n in enumerate(counts):
                into[i] += n
    assert copied == expected
    assert any("." in key for _r, _k, key in tally) and any(
        k == TallyKind.CATEGORY and key == "conduct" for _r, k, key in copied
    )
    for row in RoundWeek.objects.select_related("round"):
        assert (row.office_id, row.inspecting_group_id, row.inspected_unit_id, row.round_kind) == (
            row.round.office_id,
            row.round.inspecting_group_id,
            row.round.inspected_unit_id,
            row.round.kind,
        )
        assert row.year == (row.round.feedback_date.year if row.round.feedback_date else None)


def test_subtrees_are_the_category_and_those_above_it():
    assert subtrees("conduct.eight_rules.meals") == [
        "conduct.eight_rules.meals",
        "conduct.eight_rules",
        "conduct",
    ]
    assert subtrees("finance") == ["finance"]
    assert subtrees("") == [""]


def test_a_missed_week_stays_missing_and_the_next_run_is_dated_by_its_day(province):
    take_weekly_snapshot(MONDAY)
    drift(random.Random(2), MONDAY + 10 * DAY)
    # Nothing ran in the week of MONDAY + 7; it runs again on the Thursday of the week after.
    thursday = MONDAY + 2 * WEEK + 3 * DAY
    drift(random.Random(3), thursday)
    taken = take_weekly_snapshot(thursday)
    assert taken.created and taken.week == MONDAY + 2 * WEEK
    weeks = list(SnapshotWeek.objects.values_list("week", "taken_on"))
    assert weeks == [(MONDAY, MONDAY), (MONDAY + 2 * WEEK, thursday)]
    assert not RoundWeek.objects.filter(week=MONDAY + WEEK).exists()
    assert not WeekTotal.objects.filter(week=MONDAY + WEEK).exists()


def test_a_day_in_a_week_before_the_last_snapshot_is_refused(province):
    take_weekly_snapshot(MONDAY + WEEK)
    with pytest.raises(SnapshotDateError):
        take_weekly_snapshot(MONDAY + 6 * DAY)
    assert list(SnapshotWeek.objects.values_list("week", flat=True)) == [MONDAY + WEEK]


def test_the_totals_are_the_rounds_rows_summed(province):
    take_weekly_snapshot(MONDAY)
    drift(random.Random(4), MONDAY + WEEK)
    take_weekly_snapshot(MONDAY + WEEK)
    keys = ("week", "office_id", "inspecting_group_id", "round_kind", "year", "kind", "key")
    summed = {
        tuple(row[k] for k in keys): [row[f"s_{n}"] for n in COUNTS]
        for row in RoundWeek.objects.values(*keys).annotate(**{f"s_{n}": Sum(n) for n in COUNTS})
    }
    totals = {
        tuple(getattr(t, k) for k in keys): [getattr(t, n) for n in COUNTS] for t in WeekTotal.objects.all()
    }
    assert totals == summed and len(totals) > 10


def test_the_command_takes_this_weeks_snapshot_once(province):
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, 0), tick=False):
        call_command("snapshot_week", stdout=out)
        call_command("snapshot_week", stdout=out)
    lines = out.getvalue().splitlines()
    assert "snapshot of the week of 2026-06-01" in lines[0] and "rounds" in lines[0]
    assert "taken already" in lines[1]
    assert list(SnapshotWeek.objects.values_list("week", "taken_on")) == [(MONDAY, MONDAY + 2 * DAY)]


def test_the_task_dates_the_snapshot_by_the_day_it_runs(province):
    with time_machine.travel(datetime.datetime(2026, 6, 9, 10, 0), tick=False):
        assert take_weekly_snapshot_task.call() == "2026-06-08"
        assert take_weekly_snapshot_task.call() == "2026-06-08"
    assert SnapshotWeek.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as a long process must
def test_the_scheduler_enqueues_the_weeks_snapshot_when_the_week_turns(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    build(random.Random(5), MONDAY)
    for day in (MONDAY + 5 * DAY, MONDAY + 6 * DAY, MONDAY + WEEK):
        with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 1, 0), tick=False):
            call_command("reminder_scheduler", "--once", "--hour", "23", stdout=StringIO())
    assert list(SnapshotWeek.objects.values_list("week", "taken_on")) == [
        (MONDAY, MONDAY + 5 * DAY),
        (MONDAY + WEEK, MONDAY + WEEK),
    ]


def test_zhenggai_snapshot_takes_one_now(province, capsys):
    from zhenggai.cli import main

    with time_machine.travel(datetime.datetime(2026, 6, 5, 10, 0), tick=False):
        assert main(["snapshot"]) == 0
    # (Django's command closes the connection when it ends: what it printed says what it wrote.)
    assert f"snapshot of the week of 2026-06-01: {len(province.rounds)} rounds" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_take_the_week_once():
    import threading

    from django.db import connection

    build(random.Random(6), MONDAY)
    threads_n = 4
    barrier = threading.Barrier(threads_n)
    results: list = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(take_weekly_snapshot(MONDAY + DAY))
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=take) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(taken.created for taken in results) == [False] * (threads_n - 1) + [True]
    (created,) = [taken for taken in results if taken.created]
    assert SnapshotWeek.objects.count() == 1
    assert RoundWeek.objects.count() == created.rows and WeekTotal.objects.count() == created.totals
