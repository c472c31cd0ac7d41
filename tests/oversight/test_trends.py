"""The dashboard's trend (oversight/trends.py): equal to a recount of the measures each snapshot
counted, whatever the filter and the user; scoped as the ledger is; a fixed number of queries."""

from __future__ import annotations

import datetime
import random

import pytest
from _trend_support import build, drift, filter_sets, recount
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from zhenggai.oversight.filters import DashboardFilters
from zhenggai.oversight.snapshots import take_weekly_snapshot
from zhenggai.oversight.trends import trend_table, weekly_trend

MONDAY = datetime.date(2026, 6, 1)
WEEK = datetime.timedelta(days=7)


def _figures(point) -> dict[str, int]:
    return {k: getattr(point, k) for k in ("measures", "done", "in_progress", "long_term", "overdue")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_trend_equals_a_recount_of_each_snapshot_for_any_filter_and_user(db, seed):
    rng = random.Random(seed)
    province = build(rng, MONDAY, n_rounds=12)
    users = list(province.users.values())
    filters = filter_sets(province)
    expected: dict[tuple, dict] = {}
    for n, day in enumerate([MONDAY + 2 * datetime.timedelta(days=1), MONDAY + WEEK, MONDAY + 3 * WEEK]):
        if n:
            drift(rng, day)
        take_weekly_snapshot(day)
        for u, user in enumerate(users):
            for f, chosen in enumerate(filters):
                expected[(u, f, day - datetime.timedelta(days=day.weekday()))] = recount(user, chosen, day)
    for u, user in enumerate(users):
        for f, chosen in enumerate(filters):
            got = {point.week: _figures(point) for point in weekly_trend(user, chosen)}
            wanted = {week: v for (uu, ff, week), v in expected.items() if (uu, ff) == (u, f) and v}
            assert got == wanted, (user.username, chosen)


def test_completion_rate_is_done_over_measures(db):
    province = build(random.Random(7), MONDAY)
    take_weekly_snapshot(MONDAY)
    (point,) = weekly_trend(province.users["officer0"], DashboardFilters())
    assert point.completion_rate == pytest.approx(point.done / point.measures)


def test_a_units_people_see_none_of_another_units_trend(db):
    province = build(random.Random(8), MONDAY)
    take_weekly_snapshot(MONDAY)
    clerk0, clerk1 = province.users["clerk0"], province.users["clerk1"]
    (a,) = weekly_trend(clerk0, DashboardFilters())
    (b,) = weekly_trend(clerk1, DashboardFilters())
    assert _figures(a) == recount(clerk0, DashboardFilters(), MONDAY)
    assert _figures(b) == recount(clerk1, DashboardFilters(), MONDAY)
    assert a.measures == province.rounds[0].measures.count()
    assert weekly_trend(province.users["outsider"], DashboardFilters()) == []


def test_an_office_sees_only_its_own_rounds(db):
    province = build(random.Random(9), MONDAY)
    take_weekly_snapshot(MONDAY)
    totals = {}
    for name in ("officer0", "officer1"):
        (point,) = weekly_trend(province.users[name], DashboardFilters())
        totals[name] = point.measures
    for index, office in enumerate(province.offices):
        own = sum(r.measures.count() for r in province.rounds if r.office_id == office.pk)
        assert totals[f"officer{index}"] == own
    # A group's staff: that group's rounds only.
    (point,) = weekly_trend(province.users["group_officer"], DashboardFilters())
    assert point.measures == sum(
        r.measures.count() for r in province.rounds if r.inspecting_group_id == province.groups[1].pk
    )


@pytest.mark.parametrize("name", ["officer0", "supervisor", "clerk0"])
def test_the_number_of_queries_is_the_same_for_every_filter(db, name):
    province = build(random.Random(10), MONDAY)
    take_weekly_snapshot(MONDAY)
    take_weekly_snapshot(MONDAY + WEEK)
    user = province.users[name]
    counts = set()
    for chosen in filter_sets(province):
        user.__dict__.pop("_zhenggai_memberships", None)  # a new request reads the memberships again
        with CaptureQueriesContext(connection) as captured:
            weekly_trend(user, chosen)
        counts.add(len(captured))
    assert len(counts) == 1, counts
    # The memberships, then the totals (an office's reach) and the rounds' rows (a unit's): nothing
    # per round or per week.
    assert counts == {{"officer0": 2, "supervisor": 3, "clerk0": 2}[name]}


def test_the_trend_page_shows_the_table_and_the_charts_data(client, db):
    province = build(random.Random(11), MONDAY)
    take_weekly_snapshot(MONDAY)
    take_weekly_snapshot(MONDAY + WEEK)
    client.force_login(province.users["officer0"])
    response = client.get(reverse("oversight:trend") + "?category=conduct")
    assert response.status_code == 200
    html = response.content.decode()
    points = weekly_trend(province.users["officer0"], DashboardFilters(category="conduct"))
    assert len(points) == 2
    for point in points:
        assert (
            f'<tr data-week="{point.week:%Y-%m-%d}"><td>{point.week:%Y-%m-%d}</td><td data-cell="measures">{point.measures}</td>'
            in html
        )
    assert 'id="trend-data"' in html and "oversight/trend.js" in html


def test_the_trend_page_asks_for_a_login(client, db):
    response = client.get(reverse("oversight:trend"))
    assert response.status_code == 302


def test_the_trend_as_a_table_for_an_export(db):
    province = build(random.Random(12), MONDAY)
    take_weekly_snapshot(MONDAY)
    take_weekly_snapshot(MONDAY + WEEK)
    officer, chosen = province.users["officer1"], DashboardFilters(category="finance")
    with translation.override("en"):  # (whatever language an earlier test left active)
        header, rows = trend_table(officer, chosen)
        assert len(header) == 7 and str(header[0]) == "Week of"
    points = weekly_trend(officer, chosen)
    assert rows == [
        [p.week, p.measures, p.done, p.in_progress, p.long_term, p.overdue, p.completion_rate] for p in points
    ]
    assert [row[0] for row in rows] == [MONDAY, MONDAY + WEEK]
