"""The dashboard's trend: the weekly snapshots (oversight/models.py) of the rounds a user may see,
filtered as the dashboard is (`DashboardFilters`), one point a week taken.

Scoped by the rule of `ledger.access.round_scope`, applied to each snapshot row's round as it was
that week (its office, group and unit were copied with it). What an office or a supervisor reaches through
its office and groups is read from `WeekTotal` (the rounds summed by office, group, kind and year):
at a province a few dozen rows a week, not 3,000 rounds'. What the rest of a user's roles reach (a
unit's people; a supervisor's own units) is read from `RoundWeek`, the rounds already counted by
the totals left out. Two queries at most, the same two whatever the filter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from zhenggai.ledger.access import memberships_of
from zhenggai.ledger.lights import DONE
from zhenggai.ledger.models import TallyKind
from zhenggai.ledger.rollup import office_reach
from zhenggai.orgs.models import Organisation, Role, under
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.oversight.models import RoundWeek, WeekTotal
from zhenggai.oversight.snapshots import COUNTS

RED_CELLS = [name for name in COUNTS if name.endswith("_red")]
IN_PROGRESS_CELLS = [name for name in COUNTS if name.startswith("in_progress_")]
MEASURE_CELLS = [name for name in COUNTS if name != "long_term_open"]


@dataclass(frozen=True)
class TrendPoint:
    """One week of the trend: the measures of the rounds in view as the week's snapshot counted them.

    done: submitted, confirmed or closed; in_progress: 整改中 (any light); long_term: open measures
    kept up long term (长期坚持; also counted as in progress or not started); overdue: open and past
    their deadline (red) on the day the snapshot was taken."""

    week: datetime.date
    measures: int
    done: int
    in_progress: int
    long_term: int
    overdue: int

    @property
    def completion_rate(self) -> float | None:
        """done / measures (0.0–1.0), None with no measures."""
        return self.done / self.measures if self.measures else None

    @property
    def completion_percent(self) -> str:
        rate = self.completion_rate
        return "" if rate is None else f"{rate * 100:.1f}%"


def filtered(filters: DashboardFilters) -> Q:
    """The snapshot rows (RoundWeek or WeekTotal) the filters select: the round rows, or with a
    category that category's rows (which count its sub-categories too: one key, the index's)."""
    kind, key = (TallyKind.CATEGORY, filters.category) if filters.category else (TallyKind.ROUND, "")
    return Q(kind=kind, key=key) & filters.cell_q()


def _weekly(rows: QuerySet) -> QuerySet:
    return (
        rows.order_by("week")
        .values("week")
        .annotate(**{f"sum_{name}": Coalesce(Sum(name), 0) for name in COUNTS})
    )


def unit_reach(user) -> Q:
    """The rounds the user's other roles reach through a round's inspected unit (the rest of
    `round_scope`: a unit's people see its rounds, a department's those of the unit above it, a
    supervisor those of the units under it), over RoundWeek rows. The same rule as round_scope's,
    on the unit alone, so that the unit's index answers (tests/oversight/test_trends.py holds the
    two together for every role)."""
    q = Q(pk__in=[])
    step = Organisation.PATH_STEP
    for m in memberships_of(user):
        if m.role != Role.OFFICE_STAFF:
            path = m.organisation.path
            above = [path[:end] for end in range(step, len(path) + 1, step)]
            units = Organisation.objects.filter(under(path) | Q(path__in=above)).values("pk")
            q |= Q(inspected_unit_id__in=units)
    return q


def weekly_trend(user, filters: DashboardFilters) -> list[TrendPoint]:
    """The weekly trend of the rounds the user may see, filtered by `filters`, oldest week first.

    A week appears when its snapshot counted a measure in view; its figures are the snapshot's
    (see TrendPoint). Two queries at most (one for a user whose roles are all an office's, or all a
    unit's), the same whatever the filters."""
    selected = filtered(filters)
    offices = office_reach(user)
    superuser = getattr(user, "is_superuser", False) and user.is_active
    parts: list[QuerySet] = [WeekTotal.objects.filter(offices, selected)]
    if not superuser and any(m.role != Role.OFFICE_STAFF for m in memberships_of(user)):
        # The rounds reached through their unit that the totals above did not count.
        parts.append(RoundWeek.objects.filter(unit_reach(user), selected).exclude(offices))
    sums: dict[datetime.date, dict[str, int]] = {}
    for part in parts:
        for row in _weekly(part):  # an empty reach (Q(pk__in=[])) runs no query
            into = sums.setdefault(row["week"], dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                into[name] += row[f"sum_{name}"]
    return [_point(week, cells) for week, cells in sorted(sums.items())]


def _point(week: datetime.date, cells: dict[str, int]) -> TrendPoint:
    return TrendPoint(
        week=week,
        measures=sum(cells[name] for name in MEASURE_CELLS),
        done=sum(cells[name] for name in DONE),
        in_progress=sum(cells[name] for name in IN_PROGRESS_CELLS),
        long_term=cells["long_term_open"],
        overdue=sum(cells[name] for name in RED_CELLS),
    )


def trend_table(user, filters: DashboardFilters) -> tuple[list[str], list[list]]:
    """The trend as a table (header, rows), as the partial's table shows it: for an export (a
    completion rate 0.0–1.0, None with no measures)."""
    header = [
        _("Week of"),
        _("Measures"),
        _("Done"),
        _("In progress"),
        _("Long term"),
        _("Overdue"),
        _("Completion"),
    ]
    rows = [
        [p.week, p.measures, p.done, p.in_progress, p.long_term, p.overdue, p.completion_rate]
        for p in weekly_trend(user, filters)
    ]
    return header, rows
