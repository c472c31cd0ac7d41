"""What the oversight dashboard shows, per round, unit, category and department: plain functions of
the user and the dashboard's filters, each starting from the rounds the user may see.

Every figure comes from the tally (`ledger.tally`, `MeasureTally`: measures by status and light, and
problems found, long-term measures, measures claimed done without evidence) when it holds today's
lights: one grouped query of its rows a table, which grows with the rounds in view, not with their
measures. Else (a day the rollover has not run yet) from one grouped count of the measures and
problems a table (a UNION ALL of the two). The same number of queries either way, and whatever the
filters (a filter narrows a query, it never adds one). The one table the tally cannot answer is the
departments' under a category filter (the tally keeps departments, not departments by category):
counted live. Every figure is the count of the ledger its link opens (`ledger_query`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import add, itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection, connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Left, StrIndex, Substr
from django.utils import timezone

from zhenggai.ledger import rollup, tally
from zhenggai.ledger.access import memberships_of, round_scope
from zhenggai.ledger.lights import DONE, GREEN, NONE, OPEN, RED, YELLOW, light_q
from zhenggai.ledger.models import (
    CategoryUnit,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureTally,
    OfficeTally,
    Problem,
    TallyKind,
)
from zhenggai.ledger.selectors import (
    OPEN_NOT_OVERDUE,
    LedgerFilters,
    round_filter_q,
)
from zhenggai.orgs.models import Organisation, Role
from zhenggai.oversight.categories import category_name, category_names, top_level
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.taxonomy.selectors import category_q

# The roles the dashboard is for (督查督办): an inspection office's staff and supervisors.
DASHBOARD_ROLES = frozenset({Role.OFFICE_STAFF, Role.SUPERVISOR})
# How many rows each table shows on the page (the export has them all).
TABLE_ROWS = 20
MOST_OVERDUE = 20
RECURRING = 10


def require_dashboard(user) -> None:
    """Refuse (403) anyone who holds no office or supervisor role: a unit's own staff follow their
    rounds on the ledger and 我的待办, not across units."""
    if not any(m.role in DASHBOARD_ROLES for m in memberships_of(user)):
        raise PermissionDenied


# --- Figures ---------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One row of a dashboard table: a round, unit, category or department, and its counts."""

    key: str  # the row's id or code
    label: str
    scope: dict[str, Any]  # the ledger filter that selects the row's measures (round=…, unit=…)
    problems: int = 0  # findings (problems with a statement)
    measures: int = 0
    done: int = 0  # done, any stage (submitted, confirmed, closed)
    red: int = 0  # not done, past the deadline (overdue)
    yellow: int = 0  # not done, due soon
    long_term: int = 0  # 长期坚持, whatever their state
    no_evidence: int = 0  # done, no evidence file
    units: int = 0  # distinct units with problems (categories only)
    detail: str = ""  # a second line (the unit of a round, the unit of a department)
    unit_id: int | None = None  # a round's inspected unit

    @property
    def in_progress(self) -> int:
        """Not done and not overdue: done + in progress + overdue = measures."""
        return self.measures - self.done - self.red

    @property
    def rate(self) -> int:
        return completion_rate(self.done, self.measures)

    @property
    def light(self) -> str:
        if self.red:
            return RED
        if self.yellow:
            return YELLOW
        return GREEN if self.measures else NONE

    @property
    def sort_key(self) -> tuple:
        """The most overdue first, then the lowest completion, the most measures, the smallest id
        (as `_ranked_ids` ranks the dashboard's pages and the database the departments)."""
        return (-self.red, self.rate, -self.measures, int(self.key) if self.key.isdigit() else 0)

    def add(self, other: Figures) -> None:
        for name in _FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def completion_rate(done: int, measures: int) -> int:
    """Percent done, halves rounded up (as the overview rounds it)."""
    return (200 * done + measures) // (2 * measures) if measures else 0


def _rank(pk: int, figures: list[int]) -> tuple[int, int, int, int]:
    """`Figures.sort_key` of a row given as its id and figures (measures, done, red first)."""
    measures, done, red = figures[0], figures[1], figures[2]
    return (-red, completion_rate(done, measures), -measures, pk)


def _page_count(total: int, per_page: int | None) -> int:
    return max(1, -(-total // per_page)) if per_page else 1


# Each figure, and the ledger filter that lists its measures (added to the row's scope).
FIGURE_FILTERS: dict[str, dict[str, Any]] = {
    "problems": {},  # the ledger lists measures: the problems' figure opens all of them
    "measures": {},
    "done": {"status": "done"},
    "in_progress": {"status": OPEN_NOT_OVERDUE},
    "red": {"light": RED},
    "long_term": {"long_term": "1"},
    "no_evidence": {"no_evidence": "1"},
}


def ledger_query(filters: DashboardFilters, scope: dict[str, Any], figure: str) -> str:
    """The query string of the ledger (/ledger/) behind `figure` of the row `scope`."""
    return filters.query(**scope, **FIGURE_FILTERS[figure])


def ledger_filters(filters: DashboardFilters, scope: dict[str, Any], figure: str) -> LedgerFilters:
    """The ledger's filters that `ledger_query` writes, as the ledger reads them (for tests and
    the weekly summary)."""
    values: dict[str, Any] = {**_dashboard_values(filters), **scope, **FIGURE_FILTERS[figure]}
    return LedgerFilters(
        status=values.get("status", ""),
        light=values.get("light", ""),
        department=values.get("department"),
        category=values.get("category", ""),
        unit=values.get("unit"),
        round=values.get("round"),
        year=values.get("year"),
        kind=values.get("kind", ""),
        group=values.get("group"),
        long_term=bool(values.get("long_term")),
        no_evidence=bool(values.get("no_evidence")),
    )


def _dashboard_values(filters: DashboardFilters) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "year": filters.year,
            "kind": filters.kind,
            "group": filters.group,
            "category": filters.category,
        }.items()
        if v not in (None, "")
    }


# --- The rounds and measures in view ------------------------------------------------------------------


def rounds_in_view(user, filters: DashboardFilters) -> QuerySet[InspectionRound]:
    """The rounds the user may see (as the ledger scopes them) of the filters' year, kind and group."""
    picked = LedgerFilters(year=filters.year, kind=filters.kind, group=filters.group)
    return InspectionRound.objects.filter(round_scope(user), round_filter_q(picked))


def measures_in_view(user, filters: DashboardFilters) -> QuerySet[Measure]:
    measures = Measure.objects.filter(round_id__in=rounds_in_view(user, filters).values("pk"))
    if filters.category:
        measures = measures.filter(category_q(filters.category, "problem__category"))
    return measures


def _problems_in_view(user, filters: DashboardFilters) -> QuerySet[Problem]:
    problems = Problem.objects.filter(round_id__in=rounds_in_view(user, filters).values("pk")).exclude(
        statement=""
    )
    if filters.category:
        problems = problems.filter(category_q(filters.category))
    return problems


def key_prefix(prefix: str) -> Q:
    """Tally rows whose key starts with `prefix`. On SQLite as a range of keys, which its (kind,
    key) indexes answer: its LIKE is case-insensitive and tests every row of the kind (a category's
    departments at a province: 46 ms that way, 26 ms this). Its keys compare byte by byte (BINARY),
    so the range holds exactly the keys that start so. Elsewhere LIKE, as collations may order
    punctuation otherwise."""
    if connection.vendor == "sqlite":
        return Q(key__gte=prefix, key__lt=f"{prefix}\U0010ffff")
    return Q(key__startswith=prefix)


def _tally_today(today: datetime.date) -> bool:
    clock = tally.usable_clock(today)
    return clock is not None and clock.as_of == today


_RED_CELLS = [name for name in tally.CELLS if tally.CELL_LIGHT[name] == RED]
_YELLOW_CELLS = [name for name in tally.CELLS if tally.CELL_LIGHT[name] == YELLOW]


def _columns_sum(names: Iterable[str]) -> Func:
    """`a + b + …` of tally columns as one flat expression (`F(a) + F(b) + …` is a tree of a node
    a term, each resolved and compiled by the ORM on every request)."""
    return Func(
        *(F(name) for name in names),
        template="(%(expressions)s)",
        arg_joiner=" + ",
        output_field=IntegerField(),
    )


def _row_figures() -> dict[str, Any]:
    """The figures of COUNTED but units and the two that are the row's own columns (long_term,
    problems: select them by name), of one tally row as it is (no grouping); `_tally_sums` sums
    the same."""
    return {
        "measures": _columns_sum(tally.CELLS),
        "done": _columns_sum(str(s) for s in DONE),
        "red": _columns_sum(_RED_CELLS),
        "yellow": _columns_sum(_YELLOW_CELLS),
        "no_evidence": F("done_no_evidence"),
    }


# The figures of a grouped row, in the order every grouped query of this module selects them (the
# parts of a UNION ALL must agree).
COUNTED = ("measures", "done", "red", "yellow", "long_term", "no_evidence", "problems", "units")
_ZERO = Value(0, output_field=IntegerField())


def _tally_sums(
    rows: QuerySet[MeasureTally] | QuerySet[OfficeTally], group: Any, units: bool = False, **named: Any
) -> QuerySet:
    """Tally rows summed by `group` (a field name or an expression): every figure of COUNTED, and
    the distinct inspected units with problems found when `units` (one grouped query). `named`:
    more columns that `group` determines (a round's unit), selected and grouped by too."""
    # `units` first: its filter names the column `problems`, which the sum below then shadows.
    distinct_units = Count("round__inspected_unit_id", filter=Q(problems__gt=0), distinct=True)
    return (
        rows.order_by()
        .values(g=F(group) if isinstance(group, str) else group, **named)
        .annotate(units=distinct_units if units else _ZERO)
        .annotate(**_summed_figures())
    )


def _summed_figures() -> dict[str, Any]:
    """`_row_figures` summed, with the row's own columns, in the order of COUNTED (units apart)."""
    row = _row_figures()
    return {name: Coalesce(Sum(row.get(name, name)), 0) for name in COUNTED if name != "units"}


def _live_counts(prefix: str, today: datetime.date) -> dict[str, Any]:
    """Every figure of COUNTED but problems and units (0) counted from rows reaching Measure by
    `prefix` (a measure once per row: cooperating rows are one per measure and department)."""
    no_evidence = Q(**{f"{prefix}status__in": DONE}) & ~Q(
        Exists(EvidenceFile.objects.filter(measure=OuterRef(f"{prefix}pk")))
    )
    return {
        "measures": Count("pk"),
        "done": Count("pk", filter=Q(**{f"{prefix}status__in": DONE})),
        "red": Count("pk", filter=light_q(RED, today, prefix)),
        "yellow": Count("pk", filter=light_q(YELLOW, today, prefix)),
        "long_term": Count("pk", filter=Q(**{f"{prefix}long_term": True})),
        "no_evidence": Count("pk", filter=no_evidence),
        "problems": _ZERO,
        "units": _ZERO,
    }


def _live_sums(measures: QuerySet[Measure], group: Any, today: datetime.date, **named: Any) -> QuerySet:
    return (
        measures.order_by()
        .values(g=F(group) if isinstance(group, str) else group, **named)
        .annotate(**_live_counts("", today))
    )


def _live_problems(problems: QuerySet[Problem], group: Any, units: bool = True, **named: Any) -> QuerySet:
    """Problems found by `group`, and (`units`) the distinct units they were found in, as rows of
    COUNTED (the part of a UNION ALL beside `_live_sums`)."""
    counts: dict[str, Any] = dict.fromkeys(COUNTED, _ZERO)
    counts["problems"] = Count("pk")
    if units:
        counts["units"] = Count("round__inspected_unit_id", distinct=True)
    return (
        problems.order_by()
        .values(g=F(group) if isinstance(group, str) else group, **named)
        .annotate(**counts)
    )


def _top_level(field: str) -> Case:
    """The top-level code of the category in `field`, in SQL ("conduct.eight_rules" → "conduct"):
    as `categories.top_level` computes it."""
    return Case(
        When(
            **{f"{field}__contains": "."},
            then=Left(field, StrIndex(field, Value(".")) - 1),
        ),
        default=F(field),
        output_field=CharField(),
    )


def _merge(
    rows: Iterable[Any], into: dict[Any, Figures], make, key=lambda g: g, skip: tuple[str, ...] = ()
) -> None:
    """Add grouped rows ({g, <figures>}) to `into`, making each missing row with `make(key)`; the
    figures named in `skip` left out."""
    for row in rows:
        k = key(row["g"])
        figures = into.get(k)
        if figures is None:
            figures = into[k] = make(k)
        for name, value in row.items():
            if name != "g" and name not in skip:
                setattr(figures, name, getattr(figures, name) + (value or 0))


# --- The dashboard ------------------------------------------------------------------------------------


@dataclass
class Ranked:
    """One page of a table ranked the most overdue first (`Figures.sort_key`), and how many rows
    the table has in all."""

    rows: list[Figures]
    total: int
    number: int = 1  # the page held (1-based)
    per_page: int | None = None  # None: every row

    @property
    def pages(self) -> int:
        return _page_count(self.total, self.per_page)

    @property
    def first(self) -> int:
        """The place of the page's first row in the table (1-based; 0 when there is none)."""
        return (self.number - 1) * (self.per_page or 0) + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


@dataclass
class Dashboard:
    filters: DashboardFilters
    today: datetime.date
    totals: Figures
    rounds_table: Ranked  # rounds with problems or measures in view: a page, the most overdue first
    units_table: Ranked
    categories: list[Figures]
    departments: list[Figures]  # the TABLE_ROWS most overdue, or all (`limit=None`)
    most_overdue: list[dict]
    recurring: list[Figures]  # the categories with problems in the most units
    department_count: int = 0
    # Filled by the sections other modules add (repeats per unit, quality signals): see views.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rounds(self) -> list[Figures]:
        return self.rounds_table.rows

    @property
    def units(self) -> list[Figures]:
        return self.units_table.rows

    @property
    def round_count(self) -> int:
        return self.rounds_table.total


@dataclass
class _InView:
    """The rounds in view (one query), which the rounds table names."""

    rounds: dict[int, tuple[str, int, str]]  # id: (title, unit id, unit name)


def _in_view(user, filters: DashboardFilters) -> _InView:
    rounds = {
        pk: (title, unit_id, unit_name)
        for pk, title, unit_id, unit_name in rounds_in_view(user, filters)
        .order_by()
        .values_list("pk", "title", "inspected_unit_id", "inspected_unit__name")
    }
    return _InView(rounds)


def _page_number(value: object) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 and int(text) > 0 else 1


def dashboard(
    user,
    filters: DashboardFilters,
    today: datetime.date | None = None,
    *,
    table_rows: int | None = None,
    rounds_page: object = 1,
    units_page: object = 1,
    department_limit: int | None = TABLE_ROWS,
    overdue_limit: int = MOST_OVERDUE,
) -> Dashboard:
    """Every table of the dashboard, in a fixed number of queries whatever the filters: the rounds
    and units tables a page of `table_rows` each (pages `rounds_page`, `units_page`; None: all)."""
    today = today or timezone.localdate()
    kept = _tally_today(today)
    sums = _round_sums(user, filters, today, kept=kept)
    per_unit: dict[int, list[int]] = {}
    for unit_id, *figures in sums.values():
        into = per_unit.get(unit_id)
        per_unit[unit_id] = figures if into is None else list(map(add, into, figures))
    columns = [sum(n) for n in zip(*per_unit.values(), strict=True)] or [0] * len(_FIGURES)
    totals = _filled(Figures(key="", label="", scope={}), columns)
    rounds_ranked = _ranked_ids({pk: figures[1:] for pk, figures in sums.items()})
    units_ranked = _ranked_ids(per_unit)
    rounds_number = _clamped(_page_number(rounds_page), len(rounds_ranked), table_rows)
    units_number = _clamped(_page_number(units_page), len(units_ranked), table_rows)
    round_ids = _page_of(rounds_ranked, rounds_number, table_rows)
    unit_ids = _page_of(units_ranked, units_number, table_rows)
    # Named here, only the rows shown (two queries, run even when there is none to name).
    rounds = InspectionRound.objects.filter(Q(pk__in=round_ids) | Q(pk__isnull=True)).values_list(
        "pk", "title", "inspected_unit__name"
    )
    round_names = {pk: (title, unit_name or "") for pk, title, unit_name in rounds}
    units = Organisation.objects.filter(Q(pk__in=unit_ids) | Q(pk__isnull=True)).values_list("pk", "name")
    unit_names = dict(units)

    def round_row(pk: int) -> Figures:
        title, unit_name = round_names.get(pk, ("", ""))
        unit_id = sums[pk][0]
        row = Figures(key=str(pk), label=title, detail=unit_name, scope={"round": pk}, unit_id=unit_id)
        return _filled(row, sums[pk][1:])

    def unit_row(pk: int) -> Figures:
        return _filled(Figures(key=str(pk), label=unit_names.get(pk, ""), scope={"unit": pk}), per_unit[pk])

    categories = by_category(user, filters, today, kept=kept)
    departments, department_count = by_department(user, filters, today, kept=kept, limit=department_limit)
    return Dashboard(
        filters=filters,
        today=today,
        totals=totals,
        rounds_table=Ranked(
            [round_row(pk) for pk in round_ids], len(rounds_ranked), rounds_number, table_rows
        ),
        units_table=Ranked([unit_row(pk) for pk in unit_ids], len(units_ranked), units_number, table_rows),
        categories=categories,
        departments=departments,
        department_count=department_count,
        most_overdue=most_overdue(user, filters, today, limit=overdue_limit),
        recurring=recurring_categories(categories),
    )


# The figures `_round_sums` gives a round, in this order (after the round's unit).
_FIGURES = ("measures", "done", "red", "yellow", "long_term", "no_evidence", "problems")


def _filled(row: Figures, figures: list[int]) -> Figures:
    for name, n in zip(_FIGURES, figures, strict=True):
        setattr(row, name, n)
    return row


def _round_rows(user, filters: DashboardFilters) -> QuerySet[MeasureTally]:
    """The tally rows that count the rounds in view: their round rows, or under a category filter
    the rows of the category and its sub-categories. The rounds' scope and filters are tested on
    the round joined for its unit (`round_id IN (rounds in view)` joined the rounds twice)."""
    picked = LedgerFilters(year=filters.year, kind=filters.kind, group=filters.group)
    rows = MeasureTally.objects.filter(round_scope(user, "round__"), round_filter_q(picked, "round__"))
    if filters.category:
        return rows.filter(kind=TallyKind.CATEGORY).filter(
            Q(key=filters.category) | key_prefix(f"{filters.category}.")
        )
    return rows.filter(kind=TallyKind.ROUND, key="")


def _round_sums(user, filters: DashboardFilters, today: datetime.date, *, kept: bool) -> dict[int, list[int]]:
    """Round id → [its unit, then the figures of _FIGURES] of every round in view with a problem or
    a measure in view: one query (from the tally, or counted live). Its rows are read as the
    database gives them, with no Figures made: a province has 3,000 rounds, and the dashboard
    shows 20 of them (Django's converters and the objects would cost more than the query)."""
    unit = F("round__inspected_unit_id")
    if kept and filters.category:
        cells = _tally_sums(_round_rows(user, filters), "round_id", u=unit)
    elif kept:  # a round has one round row (unique): its figures read as they are, not grouped
        cells = (
            _round_rows(user, filters)
            .order_by()
            .values("long_term", "problems", g=F("round_id"), u=unit, **_row_figures())
        )
    else:
        measures = _live_sums(measures_in_view(user, filters), "round_id", today, u=unit)
        cells = measures.union(_live_problems(_problems_in_view(user, filters), "round_id", u=unit), all=True)
    columns, rows = _plain_rows(cells)
    if not rows:
        return {}
    pick = itemgetter(columns["u"], *(columns[name] for name in _FIGURES))
    round_place = columns["g"]
    found: dict[int, list[int]] = {}
    for row in rows:
        figures = found.get(row[round_place])
        if figures is None:
            found[row[round_place]] = list(pick(row))
        else:  # counted live: the measures' row and the problems' row of one round (same unit)
            found[row[round_place]] = [figures[0], *map(add, figures[1:], pick(row)[1:])]
    return found


def _plain_rows(queryset: QuerySet) -> tuple[dict[str, int], list[tuple]]:
    """The rows of a values() query (or a union of them) as tuples, and the place of each column by
    name, without Django's per-value converters (integers only: counts and ids)."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # nothing in sight (an empty scope)
        return {}, []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        columns = {column[0]: i for i, column in enumerate(cursor.description)}
        return columns, cursor.fetchall()


def _ranked_ids(rows: dict[int, list[int]]) -> list[int]:
    """The ids of `rows` ({id: figures in the order of _FIGURES}) ranked as `Figures.sort_key`."""
    # `_rank` written out in one comprehension: 6,000 rows a request at a province, where a call
    # a row cost more than the sort.
    keyed = [(-f[2], (200 * f[1] + f[0]) // (2 * f[0]) if f[0] else 0, -f[0], pk) for pk, f in rows.items()]
    keyed.sort()
    return [key[3] for key in keyed]


def _clamped(number: int, count: int, per_page: int | None) -> int:
    """A page number within the table's pages (a page past the end: the last one)."""
    return min(number, _page_count(count, per_page))


def _page_of(ids: list[int], number: int, per_page: int | None) -> list[int]:
    return ids if per_page is None else ids[(number - 1) * per_page : number * per_page]


def by_round(
    user,
    filters: DashboardFilters,
    today: datetime.date,
    *,
    kept: bool | None = None,
    every_round: bool = False,
    seen: _InView | None = None,
) -> list[Figures]:
    """Per round in view: its figures, every round, the most overdue first (rounds with neither
    problem nor measure in view left out, unless `every_round`: the weekly summary names every
    round followed). For the exports and the weekly summary; the page reads `dashboard`'s page.
    Two queries (one when `seen` is given)."""
    kept = _tally_today(today) if kept is None else kept
    seen = seen or _in_view(user, filters)
    sums = _round_sums(user, filters, today, kept=kept)

    def make(pk: int) -> Figures:
        title, unit_id, unit_name = seen.rounds.get(pk, ("", None, ""))
        return Figures(key=str(pk), label=title, detail=unit_name, scope={"round": pk}, unit_id=unit_id)

    found = {pk: _filled(make(pk), figures[1:]) for pk, figures in sums.items()}
    if every_round:
        for pk in seen.rounds:
            if pk not in found:
                found[pk] = make(pk)
    return sorted(found.values(), key=lambda f: f.sort_key)


def by_unit(rounds: list[Figures]) -> list[Figures]:
    """The rounds' figures added up by inspected unit (no query)."""
    units: dict[int | None, Figures] = {}
    for row in rounds:
        unit_id = row.unit_id
        if unit_id not in units:
            units[unit_id] = Figures(key=str(unit_id), label=row.detail, scope={"unit": unit_id})
        units[unit_id].add(row)
    return sorted(units.values(), key=lambda f: f.sort_key)


def by_category(
    user,
    filters: DashboardFilters,
    today: datetime.date,
    *,
    kept: bool | None = None,
) -> list[Figures]:
    """Per top-level category (its sub-categories added in); with a category filter, that category
    alone (as the ledger's category filter takes it in: with its sub-categories). Three queries:
    the figures, the distinct units with problems (no sum of figures gives them), the taxonomy's
    names.

    From the office rollup (`ledger.rollup`: a few hundred rows at a province) when the user sees
    rounds only through their office roles; else from the tally's rows of each round in view, or
    counted live (no tally for today)."""
    kept = _tally_today(today) if kept is None else kept
    names = category_names()

    def code_of(code: str) -> str:
        return filters.category or top_level(code)

    def make(code: str) -> Figures:
        return Figures(key=code, label=category_name(code, names), scope={"category": code})

    in_category = Q()
    if filters.category:
        in_category = Q(key=filters.category) | key_prefix(f"{filters.category}.")
    reach = rollup.office_reach_only(user) if kept else None
    cells: Iterable[dict]
    units: Iterable[Any]
    if reach is not None:
        picked = reach & filters.cell_q() & in_category
        cells = _tally_sums(OfficeTally.objects.filter(picked, kind=TallyKind.CATEGORY), "key")
        units = (
            CategoryUnit.objects.filter(picked)
            .order_by()
            .values(g=F("top"))
            .annotate(units=Count("inspected_unit_id", distinct=True))
        )
    elif kept:
        rows = MeasureTally.objects.filter(
            in_category, round_id__in=rounds_in_view(user, filters).values("pk"), kind=TallyKind.CATEGORY
        )
        cells = _tally_sums(rows, _top_level("key"))
        units = (
            rows.filter(problems__gt=0)
            .order_by()
            .values(g=_top_level("key"))
            .annotate(units=Count("round__inspected_unit_id", distinct=True))
        )
    else:
        measures = _live_sums(measures_in_view(user, filters), _top_level("problem__category"), today)
        problems = _problems_in_view(user, filters)
        cells = measures.union(_live_problems(problems, _top_level("category"), units=False), all=True)
        units = (
            problems.order_by()
            .values(g=_top_level("category"))
            .annotate(units=Count("round__inspected_unit_id", distinct=True))
        )
    found: dict[str, Figures] = {}
    _merge(cells, found, make, code_of)
    _merge(units, found, make, code_of)
    order = {code: i for i, code in enumerate(names)}
    return sorted(found.values(), key=lambda f: (order.get(f.key, len(order)), f.key))


def recurring_categories(categories: list[Figures], limit: int = RECURRING) -> list[Figures]:
    """The categories whose problems were found in the most units (共性问题)."""
    rows = [c for c in categories if c.units]
    return sorted(rows, key=lambda c: (-c.units, -c.problems, c.key))[:limit]


def by_department(
    user,
    filters: DashboardFilters,
    today: datetime.date,
    *,
    kept: bool | None = None,
    limit: int | None = TABLE_ROWS,
) -> tuple[list[Figures], int]:
    """Per department leading or cooperating on measures in view (a measure counts once for a
    department that does both): the most overdue `limit` of them (all: None), and how many there
    are. Two queries: figures (the tally's department rows, or under a category filter its
    department-and-category rows of the category and its sub-categories), names. Departments have
    no problems of their own: a problem spans the departments of its measures."""
    kept = _tally_today(today) if kept is None else kept
    figures = ("measures", "done", "red", "yellow", "long_term", "no_evidence")
    counted: list[tuple[int, list[int]]]
    if kept:
        # Ranked and cut in SQL (a province has ~30,000 departments), the number of them counted
        # by a window over the groups in the same query. An office's staff read the office
        # rollup's rows (no join to the rounds in view), others the rows of each round in view.
        reach = rollup.office_reach_only(user)
        rows: QuerySet
        if reach is not None:
            rows = OfficeTally.objects.filter(reach, filters.cell_q())
        else:
            rows = MeasureTally.objects.filter(round_id__in=rounds_in_view(user, filters).values("pk"))
        if filters.category:
            rows = rows.filter(
                key_prefix(f"{filters.category}|") | key_prefix(f"{filters.category}."),
                kind=TallyKind.DEPARTMENT_CATEGORY,
            )
            department = Cast(Substr("key", StrIndex("key", Value("|")) + 1), IntegerField())
        else:
            rows = rows.filter(kind=TallyKind.DEPARTMENT)
            department = Cast("key", IntegerField())
        ranked = (
            _tally_sums(rows, department)
            .annotate(
                rate=Case(
                    When(measures=0, then=_ZERO),
                    default=(F("done") * 200 + F("measures")) / (F("measures") * 2),
                    output_field=IntegerField(),
                ),
                count=Window(Count("*")),
            )
            .order_by("-red", "rate", "-measures", "g")
        )
        page = list(ranked if limit is None else ranked[:limit])
        total = page[0]["count"] if page else 0
        counted = [(int(row["g"]), [row[name] or 0 for name in figures]) for row in page]
    else:
        counted, total = _live_departments(user, filters, today, figures)
    chosen = counted if limit is None else counted[:limit]
    shown = {
        pk: Figures(
            key=str(pk),
            label="",
            scope={"department": pk},
            measures=m,
            done=d,
            red=r,
            yellow=y,
            long_term=lt,
            no_evidence=ne,
        )
        for pk, (m, d, r, y, lt, ne) in chosen
    }
    ids = list(shown)
    # `… OR id IS NULL` (never true) keeps the query when no department is shown: the same
    # queries every time.
    orgs = Organisation.objects.filter(Q(pk__in=ids) | Q(pk__isnull=True)).values_list(
        "pk", "name", "parent__name"
    )
    named = {pk: (name, parent or "") for pk, name, parent in orgs}
    for row in shown.values():
        row.label, row.detail = named.get(int(row.key), ("", ""))
    return list(shown.values()), total


def _live_departments(
    user, filters: DashboardFilters, today: datetime.date, figures: tuple[str, ...]
) -> tuple[list[tuple[int, list[int]]], int]:
    """The departments' figures counted from the measures (no tally for today), ranked as the
    tally's query ranks them: all of them, and how many."""
    measures = measures_in_view(user, filters)
    # Cooperating rows, a department that also leads the measure left out (counted as the lead).
    through = Measure.cooperating_departments.through.objects.filter(
        measure__in=measures.values("pk")
    ).filter(Q(measure__lead_department__isnull=True) | ~Q(organisation_id=F("measure__lead_department_id")))
    lead = _live_sums(measures.filter(lead_department__isnull=False), "lead_department_id", today)
    cooperating = (
        through.order_by().values(g=F("organisation_id")).annotate(**_live_counts("measure__", today))
    )
    # A department comes twice (as a lead and as a cooperating department): added up here.
    summed: dict[int, list[int]] = {}
    for row in lead.union(cooperating, all=True):  # dicts named by the UNION ALL's first part
        acc = summed.setdefault(int(row["g"]), [0] * len(figures))
        for i, name in enumerate(figures):
            acc[i] += row[name] or 0

    return sorted(summed.items(), key=lambda item: _rank(*item)), len(summed)


def most_overdue(
    user, filters: DashboardFilters, today: datetime.date, limit: int = MOST_OVERDUE
) -> list[dict]:
    """The open measures longest past their deadline (a deadline's measures by round, then as
    entered): unit, problem, measure, deadline, days overdue. One query per open status, each read
    along the (status, deadline, round) index in its order and stopped at `limit` (with both
    statuses in one query the database reads every overdue measure of the province and sorts
    them), merged here. Ordered as the index is: by deadline and id alone PostgreSQL sorted each
    deadline's measures (a round's share one), checking every one against the rounds in view
    (not started at a province: 10 ms; this way 1.6)."""
    found: list[dict[str, Any]] = []
    by_status = [
        measures_in_view(user, filters)
        .filter(status=status, deadline__lt=today)
        .order_by("deadline", "round_id", "pk")
        .values(
            "pk",
            "text",
            "deadline",
            "status",
            "problem_id",
            "round_id",
            problem_title=F("problem__title"),
            unit_name=F("round__inspected_unit__name"),
            unit_id=F("round__inspected_unit_id"),
        )[:limit]
        for status in OPEN
    ]
    rows = sorted(
        chain.from_iterable(by_status), key=lambda row: (row["deadline"], row["round_id"], row["pk"])
    )[:limit]
    for row in rows:
        values: dict[str, Any] = dict(row)
        values["days"] = (today - values["deadline"]).days
        found.append(values)
    return found
