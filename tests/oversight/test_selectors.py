"""The dashboard's figures (oversight.selectors) equal a recount of the measures, whatever the
filters, from the tally or counted live; and each costs the same number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager, nullcontext

import pytest
from _world import TODAY, build
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.ledger.lights import light_of
from zhenggai.ledger.models import DONE_STATES, InspectionRound, Measure, Problem, RoundKind, TallyClock
from zhenggai.oversight import selectors
from zhenggai.oversight.categories import top_level
from zhenggai.oversight.filters import DashboardFilters

FIGURES = ("problems", "measures", "done", "red", "yellow", "long_term", "no_evidence")


def _filters(world) -> list[DashboardFilters]:
    return [
        DashboardFilters(),
        DashboardFilters(year=2025),
        DashboardFilters(year=TODAY.year, kind=RoundKind.XUNCHA),
        DashboardFilters(group=world.cast.group.pk),
        DashboardFilters(category="conduct"),
        DashboardFilters(category="conduct.eight_rules"),
        DashboardFilters(category="finance", kind=RoundKind.XUNSHI, group=world.groups[1].pk),
        DashboardFilters(category="nothing-of-the-kind"),
    ]


def _in_category(code: str, wanted: str) -> bool:
    return not wanted or code == wanted or code.startswith(f"{wanted}.")


def _recount(world, filters: DashboardFilters) -> dict[str, dict]:
    """Every table's figures counted in Python from every row, as a person would by hand."""
    rounds = {
        r.pk: r
        for r in InspectionRound.objects.filter(office=world.cast.office)
        if (not filters.year or (r.feedback_date and r.feedback_date.year == filters.year))
        and (not filters.kind or r.kind == filters.kind)
        and (not filters.group or r.inspecting_group_id == filters.group)
    }
    tables: dict[str, dict] = {
        t: defaultdict(lambda: dict.fromkeys(FIGURES, 0)) for t in ("round", "unit", "category", "department")
    }

    def level(code: str) -> str:
        return filters.category or top_level(code)

    units_by_category: dict[str, set] = defaultdict(set)
    for p in Problem.objects.filter(round_id__in=rounds).exclude(statement=""):
        if _in_category(p.category, filters.category):
            unit = rounds[p.round_id].inspected_unit_id
            for table, key in (("round", p.round_id), ("unit", unit), ("category", level(p.category))):
                tables[table][key]["problems"] += 1
            units_by_category[level(p.category)].add(unit)
    measures = Measure.objects.filter(round_id__in=rounds).select_related("problem")
    overdue = []
    for m in measures.prefetch_related("evidence_files", "cooperating_departments"):
        if not _in_category(m.problem.category, filters.category):
            continue
        light = light_of(m.status, m.deadline, TODAY)
        done = m.status in DONE_STATES
        figures = {
            "measures": 1,
            "done": int(done),
            "red": int(light == "red"),
            "yellow": int(light == "yellow"),
            "long_term": int(m.long_term),
            "no_evidence": int(done and not m.evidence_files.all()),
        }
        departments = {d.pk for d in m.cooperating_departments.all()} | (
            {m.lead_department_id} if m.lead_department_id else set()
        )
        keys = [("round", m.round_id), ("unit", rounds[m.round_id].inspected_unit_id)]
        keys += [("category", level(m.problem.category))] + [("department", d) for d in departments]
        for table, key in keys:
            for name, n in figures.items():
                tables[table][key][name] += n
        if light == "red":
            overdue.append((m.deadline, m.round_id, m.pk))
    for key, units in units_by_category.items():
        tables["category"][key]["units"] = len(units)
    return {
        **{t: {str(k): dict(v) for k, v in rows.items()} for t, rows in tables.items()},
        "overdue": [pk for _d, _r, pk in sorted(overdue)[:5]],
    }


def _shown(rows: list[selectors.Figures], with_units: bool = False) -> dict[str, dict]:
    names = FIGURES + (("units",) if with_units else ())
    return {r.key: {n: getattr(r, n) for n in names} for r in rows}


def _expected(rows: dict[str, dict], with_units: bool = False) -> dict[str, dict]:
    return {
        k: {**dict.fromkeys(FIGURES, 0), **({"units": 0} if with_units else {}), **v}
        for k, v in rows.items()
        if with_units or "units" not in v
    }


def _check(world, filters: DashboardFilters) -> None:
    board = selectors.dashboard(world.cast.officer, filters, TODAY, department_limit=None, overdue_limit=5)
    expected = _recount(world, filters)
    assert _shown(board.rounds) == _expected(expected["round"])
    assert _shown(board.units) == _expected(expected["unit"])
    assert _shown(board.categories, with_units=True) == {
        k: {**dict.fromkeys(FIGURES, 0), "units": 0, **v} for k, v in expected["category"].items()
    }
    assert _shown(board.departments) == _expected(expected["department"])
    assert board.department_count == len(expected["department"])
    # Cut to the first two (in the database, from the tally): the same two first, the same count.
    cut = selectors.by_department(world.cast.officer, filters, TODAY, limit=2)
    assert ([d.key for d in cut[0]], cut[1]) == (
        [d.key for d in board.departments[:2]],
        board.department_count,
    )
    assert [m["pk"] for m in board.most_overdue] == expected["overdue"]
    # The rounds and units tables ranked as the exports rank them (by_round: every row) …
    every = selectors.by_round(world.cast.officer, filters, TODAY)
    assert [(r.key, r.label, r.detail) for r in board.rounds] == [(r.key, r.label, r.detail) for r in every]
    assert [(u.key, u.label) for u in board.units] == [(u.key, u.label) for u in selectors.by_unit(every)]
    # … and cut to a page of two (page 2, or the last one when there is no second).
    paged = selectors.dashboard(
        world.cast.officer, filters, TODAY, table_rows=2, rounds_page=2, units_page="2"
    )
    for rows, table in ((board.rounds, paged.rounds_table), (board.units, paged.units_table)):
        number = min(2, max(1, (len(rows) + 1) // 2))
        assert (table.number, table.total) == (number, len(rows))
        assert _shown(table.rows) == _shown(rows[2 * (number - 1) : 2 * number])
    assert {n: getattr(paged.totals, n) for n in FIGURES} == {n: getattr(board.totals, n) for n in FIGURES}
    totals = {n: sum(r[n] for r in expected["round"].values()) for n in FIGURES}
    assert {n: getattr(board.totals, n) for n in FIGURES} == totals
    assert all(b.units <= a.units for a, b in zip(board.recurring, board.recurring[1:], strict=False))


def test_every_figure_equals_a_recount_whatever_the_filters(world):
    for filters in _filters(world):
        _check(world, filters)


def test_counted_live_the_figures_are_the_same(world):
    with _counted_yesterday():
        for filters in _filters(world):
            _check(world, filters)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_random_worlds_recount_alike(cast, seed):
    world = build(cast, units=5, problems=4, measures=5, seed=seed)
    for filters in _filters(world):
        _check(world, filters)


def _queries(user, filters: DashboardFilters, live: bool = False) -> int:
    with _counted_yesterday() if live else nullcontext():
        with CaptureQueriesContext(connection) as queries:
            selectors.dashboard(user, filters, TODAY)
    return len(queries)


@contextmanager
def _counted_yesterday():
    """The tally as the day before the rollover leaves it: the dashboard counts live."""
    TallyClock.objects.update(as_of=TODAY - datetime.timedelta(days=1))
    try:
        yield
    finally:
        TallyClock.objects.update(as_of=TODAY)


def test_the_number_of_queries_is_the_same_for_every_filter_and_size(cast):
    world = build(cast, units=2, problems=1, measures=1, seed=3)
    user = world.cast.officer
    selectors.dashboard(user, DashboardFilters(), TODAY)  # the memberships read once
    small = {_queries(user, f) for f in _filters(world)} | {
        _queries(user, f, live=True) for f in _filters(world)
    }
    for i in range(3):  # more units, problems and measures
        more = InspectionRound.objects.create(
            title=f"加轮{i}", office=cast.office, inspected_unit=cast.a.unit, feedback_date=TODAY
        )
        problem = Problem.objects.create(
            round=more,
            label="1.",
            number=1,
            level=1,
            position=1,
            title="t",
            statement="s",
            category="finance.x",
        )
        Measure.objects.bulk_create(
            [
                Measure(
                    problem=problem, round=more, text=f"m{k}", deadline=TODAY - datetime.timedelta(days=k)
                )
                for k in range(30)
            ]
        )
    from zhenggai.ledger.tally import tally_rebuild

    tally_rebuild(TODAY)
    larger = {_queries(user, f) for f in _filters(world)} | {
        _queries(user, f, live=True) for f in _filters(world)
    }
    assert len(small) == 1 and small == larger, (small, larger)


def test_an_office_sees_only_the_rounds_it_follows(world):
    board = selectors.dashboard(world.officer2, DashboardFilters(), TODAY)
    theirs = set(InspectionRound.objects.filter(office=world.office2).values_list("pk", flat=True))
    assert {int(r.key) for r in board.rounds} <= theirs and board.rounds
    mine = selectors.dashboard(world.cast.officer, DashboardFilters(), TODAY)
    assert not {int(r.key) for r in mine.rounds} & theirs


def test_a_supervisor_sees_the_rounds_of_the_office_they_supervise(world):
    board = selectors.dashboard(world.supervisor, DashboardFilters(), TODAY)
    assert _shown(board.rounds) == _expected(_recount(world, DashboardFilters())["round"])
    # The categories too, read from the rounds' own rows (a supervisor's units are no office cell).
    with CaptureQueriesContext(connection) as queries:
        categories = selectors.by_category(world.supervisor, DashboardFilters(), TODAY)
    assert "ledger_officetally" not in " ".join(q["sql"] for q in queries)
    expected = _recount(world, DashboardFilters())["category"]
    assert _shown(categories, with_units=True) == {
        k: {**dict.fromkeys(FIGURES, 0), "units": 0, **v} for k, v in expected.items()
    }


def test_an_office_s_staff_read_the_categories_from_the_office_rollup(world):
    """The officer's categories (held to a recount by _check) come from the rollup's rows, not from
    the rows of every round."""
    for filters in _filters(world):
        with CaptureQueriesContext(connection) as queries:
            selectors.by_category(world.cast.officer, filters, TODAY)
        sql = " ".join(q["sql"] for q in queries)
        assert "ledger_officetally" in sql and "ledger_categoryunit" in sql, filters
        assert "ledger_measuretally" not in sql, filters
