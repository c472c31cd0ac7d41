"""`repeat_counts_by_unit`: repeated findings per unit, as the dashboard shows them, equal to a
recount, scoped and filtered, in one query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.ledger.models import InspectionRound, Problem
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.repeats.models import LinkStatus, RepeatLink
from zhenggai.repeats.selectors import repeat_counts_by_unit
from zhenggai.repeats.services import link_decide


def _user(name):
    return get_user_model().objects.get(username=name)


def _recount(user, filters: DashboardFilters) -> dict[int, int]:
    """Counted the slow way: each visible round's findings, one by one."""
    from zhenggai.ledger.access import visible_rounds

    counts: dict[int, int] = {}
    for round_ in visible_rounds(user):
        if filters.year and (round_.feedback_date is None or round_.feedback_date.year != filters.year):
            continue
        if filters.kind and round_.kind != filters.kind:
            continue
        visible = set(visible_rounds(user).values_list("pk", flat=True))
        for problem in Problem.objects.filter(round=round_):
            if filters.category and top(problem.category) != filters.category:
                continue
            standing = [
                link
                for link in RepeatLink.objects.filter(newer=problem)
                if link.status != LinkStatus.DISMISSED and link.earlier.round_id in visible
            ]
            if standing:
                counts[round_.inspected_unit_id] = counts.get(round_.inspected_unit_id, 0) + 1
    return counts


def top(code: str) -> str:
    return code.split(".", 1)[0]


def test_the_counts_per_unit_equal_a_recount(demo):
    y_unit = InspectionRound.objects.filter(inspected_unit__name="Y社区党工委")[0].inspected_unit_id
    later = InspectionRound.objects.filter(inspected_unit_id=y_unit).order_by("-feedback_date")[0]
    cases = [
        DashboardFilters(),
        DashboardFilters(year=later.feedback_date.year),
        DashboardFilters(year=later.feedback_date.year - 3),
        DashboardFilters(kind="巡察"),
        DashboardFilters(kind="审计"),
        DashboardFilters(category="finance"),
        DashboardFilters(category="conduct"),
    ]
    for name in ("xunchaban", "jiwei", "y_clerk", "x_clerk"):
        user = _user(name)
        for filters in cases:
            with CaptureQueriesContext(connection) as queries:
                counts = repeat_counts_by_unit(user, filters)
            assert counts == _recount(user, filters), (name, filters)
            assert len(queries) <= 2  # the memberships (once per user) and the count
    assert repeat_counts_by_unit(_user("xunchaban"), DashboardFilters()) == {y_unit: 2}
    assert repeat_counts_by_unit(_user("x_clerk"), DashboardFilters()) == {}


def test_a_dismissed_link_is_not_counted(demo):
    link = RepeatLink.objects.order_by("pk").first()
    officer = _user("xunchaban")
    before = repeat_counts_by_unit(officer, DashboardFilters())
    link_decide(link=link, actor=officer, confirm=False, reason="不是同一问题")
    after = repeat_counts_by_unit(officer, DashboardFilters())
    unit = link.newer.round.inspected_unit_id
    assert after.get(unit, 0) == before[unit] - 1
