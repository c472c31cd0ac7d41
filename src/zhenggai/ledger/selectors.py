"""Reads for list pages and exports, each starting from what the user may see."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from zhenggai.ledger import tally
from zhenggai.ledger.access import round_measures, round_scope, visible_measures
from zhenggai.ledger.keyset import Key
from zhenggai.ledger.lights import DONE, LIGHTS, OPEN, RED, YELLOW, light_of, light_q, yellow_days
from zhenggai.ledger.models import (
    DONE_STATES,
    Acknowledgement,
    ClosingDecision,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureStatus,
    MeasureTally,
    Problem,
    ProgressEntry,
    TallyKind,
)
from zhenggai.orgs.models import Organisation, Person
from zhenggai.prepared import Prepared, prepared_cursor
from zhenggai.taxonomy.selectors import category_q

# A status filter of its own: not done and not past its deadline (整改中, on time).
OPEN_NOT_OVERDUE = "open_on_time"


@dataclass
class LedgerFilters:
    status: str = ""  # a MeasureStatus, "done", "open" or OPEN_NOT_OVERDUE
    light: str = ""
    department: int | None = None
    category: str = ""  # a category code; a top-level code takes in its dotted sub-categories
    unit: int | None = None
    search: str = ""
    # What the oversight dashboard's figures select (each figure links to the ledger behind it):
    round: int | None = None
    year: int | None = None  # of the round's feedback date
    kind: str = ""  # the round's RoundKind
    group: int | None = None  # the inspecting group
    long_term: bool = False  # 长期坚持 measures only
    no_evidence: bool = False  # done (any stage) with no evidence file (claimed done without proof)

    @property
    def selects_rounds(self) -> bool:
        """Whether a filter picks rounds by their own fields (round, year, kind, group)."""
        return bool(self.round or self.year or self.kind or self.group)


def round_filter_q(filters: LedgerFilters, prefix: str = "") -> Q:
    """Rounds (reached through `prefix`, e.g. "round__") of the filters' round, year, kind and group."""
    q = Q()
    if filters.round:
        q &= Q(**{f"{prefix}pk": filters.round})
    if filters.year:
        start = datetime.date(filters.year, 1, 1)
        q &= Q(
            **{
                f"{prefix}feedback_date__gte": start,
                f"{prefix}feedback_date__lt": start.replace(year=filters.year + 1),
            }
        )
    if filters.kind:
        q &= Q(**{f"{prefix}kind": filters.kind})
    if filters.group:
        q &= Q(**{f"{prefix}inspecting_group_id": filters.group})
    return q


def without_evidence() -> Q:
    """Measures done (any stage) with no evidence file: claimed done without proof."""
    return Q(status__in=DONE) & ~Q(Exists(EvidenceFile.objects.filter(measure=OuterRef("pk"))))


@dataclass
class LedgerCounts:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_light: dict[str, int] = field(default_factory=dict)
    # (round id, rows) in ledger order, units in tree order: lets a page read only the rounds it shows.
    by_round: list[tuple[int, int]] = field(default_factory=list)

    @property
    def done_rate(self) -> int:
        done = sum(self.by_status.get(state, 0) for state in DONE_STATES)
        return round(100 * done / self.total) if self.total else 0

    @property
    def done(self) -> int:
        return sum(self.by_status.get(state, 0) for state in DONE_STATES)


def _filtered(base: QuerySet[Measure], filters: LedgerFilters, today: datetime.date) -> QuerySet[Measure]:
    qs = base
    if filters.status == "done":
        qs = qs.filter(status__in=DONE)
    elif filters.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif filters.status == OPEN_NOT_OVERDUE:
        qs = qs.filter(status__in=OPEN).exclude(light_q(RED, today))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.light in LIGHTS:
        qs = qs.filter(light_q(filters.light, today))
    if filters.department:
        qs = qs.filter(
            Q(lead_department_id=filters.department) | Q(cooperating_departments=filters.department)
        )
    if filters.category:
        qs = qs.filter(category_q(filters.category, "problem__category"))
    if filters.unit:
        qs = qs.filter(round__inspected_unit_id=filters.unit)
    if filters.selects_rounds:
        qs = qs.filter(round_id__in=InspectionRound.objects.filter(round_filter_q(filters)).values("pk"))
    if filters.long_term:
        qs = qs.filter(long_term=True)
    if filters.no_evidence:
        qs = qs.filter(without_evidence())
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(
            Q(text__icontains=term)
            | Q(problem__title__icontains=term)
            | Q(problem__statement__icontains=term)
        )
    if filters.department:
        qs = qs.distinct()
    return qs


def ledger_measures(
    user, *, round_: InspectionRound | None = None, filters: LedgerFilters, today: datetime.date | None = None
) -> QuerySet[Measure]:
    """The measures of a ledger in document order, with their evidence count (see LedgerRows, which
    lights the rows of a page)."""
    today = today or timezone.localdate()
    base = visible_measures(user) if round_ is None else round_measures(user, round_)
    return _in_ledger_order(_filtered(base, filters, today), across_rounds=round_ is None)


def _in_ledger_order(measures: QuerySet[Measure], *, across_rounds: bool) -> QuerySet[Measure]:
    """Measures in document order (across rounds: the units in tree order), with their evidence count."""
    evidence_count = (
        EvidenceFile.objects.filter(measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    order = ["problem__position", "position", "pk"]
    if across_rounds:
        order = ["round__inspected_unit__path", "round_id", *order]
    return measures.annotate(evidence_count=Coalesce(Subquery(evidence_count), Value(0))).order_by(*order)


@functools.lru_cache(maxsize=64)
def _round_page(offset: int, limit: int) -> Prepared:
    """A page of one round's whole ledger (`offset`, `limit`: a round has a few pages), compiled
    once a process: the unit's ledger as it opens."""
    return Prepared(
        lambda round_id: _in_ledger_order(
            Measure.objects.filter(round_id=round_id), across_rounds=False
        ).values(*_ROW_FIELDS, **_row_values(False))[offset : offset + limit],
        int,
    )


def _by_round(rows) -> dict[int, dict[str, Any]]:
    """Rows of `.values("round_id").annotate(…)` as {round id: the row's other values}."""
    keyed: dict[int, dict[str, Any]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        keyed[values.pop("round_id")] = values
    return keyed


def ledger_counts(
    user, *, round_: InspectionRound | None = None, filters: LedgerFilters, today: datetime.date | None = None
) -> LedgerCounts:
    """Counts by status and by light of the rows that the filters select: read from the tally
    when the filters are ones it keeps (status, light, unit, and a category or a department),
    else counted in one query."""
    today = today or timezone.localdate()
    kept = _tallied_counts(user, round_, filters, today)
    if kept is not None:
        return kept
    base = visible_measures(user) if round_ is None else round_measures(user, round_)
    qs = _filtered(base, filters, today)
    # Only the cooperating-departments join repeats a measure. Without it, no DISTINCT (a sort for
    # nothing), and count the never-null round: the (status, deadline, round) index then answers
    # alone, where COUNT(id) makes PostgreSQL read the table (Count("*") cannot take a filter).
    distinct = bool(filters.department)
    counted = "pk" if distinct else "round"
    aggregates = {"total": Count(counted, distinct=distinct)}
    for status in MeasureStatus.values:
        aggregates[f"s_{status}"] = Count(counted, filter=Q(status=status), distinct=distinct)
    for light in LIGHTS:
        aggregates[f"l_{light}"] = Count(counted, filter=light_q(light, today), distinct=distinct)
    per_round = _by_round(qs.order_by().values("round_id").annotate(**aggregates))
    # The rounds in ledger order (units in tree order), for LedgerRows to slice pages by round:
    # every visible round, not an IN list of the counted ones (500 parameters cost PostgreSQL more).
    if round_ is not None:
        ledger_order: list[int] = [round_.pk]
    else:
        visible = InspectionRound.objects.filter(round_scope(user))
        ledger_order = list(visible.order_by("inspected_unit__path", "pk").values_list("pk", flat=True))

    def total(key: str) -> int:
        return sum(row[key] for row in per_round.values())

    return LedgerCounts(
        total=total("total"),
        by_status={s: total(f"s_{s}") for s in MeasureStatus.values},
        by_light={light: total(f"l_{light}") for light in LIGHTS},
        by_round=[(pk, per_round[pk]["total"]) for pk in ledger_order if pk in per_round],
    )


def _is_leaf_category(code: str) -> bool:
    """Whether no measure counted in the tally has a sub-category of `code` (then the tally's rows
    of `code` answer): a range of the (kind, key, round) index. (A sub-category's row may count
    problems found and no measure: such a row does not count.)"""
    rows = MeasureTally.objects.filter(kind=TallyKind.CATEGORY, key__startswith=f"{code}.")
    measures = sum((F(name) for name in tally.CELLS[1:]), F(tally.CELLS[0]))
    return not rows.alias(measures=measures).filter(measures__gt=0).exists()


def _selected_cells(filters: LedgerFilters) -> list[str]:
    """The tally's cells that the status and light filters select (see `_filtered`)."""
    statuses: set[str] = set(MeasureStatus.values)
    if filters.status == "done":
        statuses = set(DONE)
    elif filters.status == "open":
        statuses = set(OPEN)
    elif filters.status:
        statuses = {filters.status}
    return [
        name
        for name in tally.CELLS
        if tally.CELL_STATUS[name] in statuses
        and (filters.light not in LIGHTS or tally.CELL_LIGHT[name] == filters.light)
    ]


def _tallied_counts(
    user, round_: InspectionRound | None, filters: LedgerFilters, today: datetime.date
) -> LedgerCounts | None:
    """`ledger_counts` from the tally, or None where it keeps no such count (a search; a category
    and a department at once; a top-level category) or cannot answer for `today`."""
    if filters.search or (filters.category and filters.department):
        return None
    # Kept by no tally row: the rounds' own fields, long-term, evidence, and sub-categories.
    if (
        filters.selects_rounds
        or filters.long_term
        or filters.no_evidence
        or filters.status == OPEN_NOT_OVERDUE
    ):
        return None
    if filters.category and not _is_leaf_category(filters.category):
        return None
    kind, key = TallyKind.ROUND, ""
    if filters.category:
        kind, key = TallyKind.CATEGORY, filters.category
    elif filters.department:
        kind, key = TallyKind.DEPARTMENT, str(filters.department)
    selected = _selected_cells(filters)
    counts = LedgerCounts(by_status=dict.fromkeys(MeasureStatus.values, 0), by_light=dict.fromkeys(LIGHTS, 0))
    if round_ is None:
        # Across every round the user may see (3,000 at a province): added up in SQL.
        summed = tally.selected_sums(user, today, selected, kind=kind, key=key, unit=filters.unit)
        if summed is not None:
            sums, counts.by_round = summed
            for name, n in sums.items():
                counts.by_status[tally.CELL_STATUS[name]] += n
                counts.by_light[tally.CELL_LIGHT[name]] += n
                counts.total += n
            return counts
    rows = tally.round_cells(user, today, kind=kind, key=key, round_=round_, unit=filters.unit)
    if rows is None:
        return None
    for round_id, cells in rows:
        in_round = 0
        for name in selected:
            n = cells[name]
            counts.by_status[tally.CELL_STATUS[name]] += n
            counts.by_light[tally.CELL_LIGHT[name]] += n
            in_round += n
        if in_round:
            counts.by_round.append((round_id, in_round))
            counts.total += in_round
    return counts


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One line of the ledger table as plain values: no model instances, 50 of them a page."""

    pk: int
    problem_id: int
    problem_outline: str  # the full numbering ("一、1.") or, without one, the label
    problem_title: str
    text: str
    lead_department_name: str
    responsible_leader_name: str
    deadline: datetime.date | None
    status: str
    claimed_status: str  # what an imported document said ("" for nothing), see Measure.claimed_status
    long_term: bool
    light: str
    evidence_count: int
    unit_name: str  # the inspected unit; only across rounds, else ""


def _row_values(with_unit: bool) -> dict:
    """The LedgerRow fields as expressions for QuerySet.values() (the measure's own are named).

    The department's and the leader's names are scalar subqueries, not joins: PostgreSQL then
    looks them up for the page's 50 rows after the sort and limit. Joined, it chose to hash every
    organisation and merge-join every person of the province (15,000 and 24,000 rows) for one
    unit's 120 measures: 5.9 ms where the lookups take 1.3 (3,000 units)."""
    return {
        "problem_outline": Coalesce(NullIf(F("problem__outline"), Value("")), F("problem__label")),
        "problem_title": F("problem__title"),
        "lead_department_name": Coalesce(_name_of(Organisation, "lead_department_id"), Value("")),
        "responsible_leader_name": Coalesce(_name_of(Person, "responsible_leader_id"), Value("")),
        "unit_name": F("round__inspected_unit__name") if with_unit else Value(""),
    }


def _name_of(model, key: str) -> Subquery:
    """The name of the `model` row the measure's `key` points to, as a scalar subquery."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values("name")[:1])


_ROW_FIELDS = [
    "pk",
    "problem_id",
    "text",
    "deadline",
    "status",
    "claimed_status",
    "long_term",
    "evidence_count",
]


class LedgerRows:
    """Ledger rows for a Paginator, sliced through the counts by round.

    A page of the office's ledger then reads the one or two rounds it shows, instead of joining
    and sorting every matching measure of every unit to keep 50 (SQLite: ~20 ms → ~2 ms).
    Items are `LedgerRow`s, lit on `today`.
    """

    def __init__(
        self,
        rows: QuerySet[Measure] | None,
        by_round: list[tuple[int, int]],
        *,
        with_unit: bool,
        today: datetime.date | None = None,
        whole_round: int | None = None,
    ):
        """`rows`: the measures (`ledger_measures`); or `whole_round`, the id of one round whose
        every measure the page shows (no filter; the user's reach checked): its pages are then
        read by a query compiled once a process."""
        self.rows, self.by_round, self.with_unit = rows, by_round, with_unit
        self.today = today or timezone.localdate()
        self.whole_round = whole_round

    def count(self) -> int:
        return sum(n for _round, n in self.by_round)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[LedgerRow]:
        start, stop = index.start or 0, index.stop
        span: list[int] = []
        seen = skip = 0
        for round_id, n in self.by_round:
            if seen < stop and seen + n > start:
                if not span:
                    skip = start - seen
                span.append(round_id)
            seen += n
        if not span:
            return []
        rows: Iterable[dict]
        if self.whole_round is not None:
            rows = (
                _round_page(skip, stop - start).dicts(self.whole_round) if span == [self.whole_round] else []
            )
        elif self.rows is not None:
            values = self.rows.filter(round_id__in=span).values(*_ROW_FIELDS, **_row_values(self.with_unit))
            rows = values[skip : skip + stop - start]
        else:
            rows = []
        days = yellow_days()
        return [
            LedgerRow(**row, light=light_of(row["status"], row["deadline"], self.today, days)) for row in rows
        ]


def round_counts(
    user, today: datetime.date | None = None, round_ids: list[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per round the user may see (of `round_ids`, when given): its measures in all, done, red and
    yellow. Read from the tally; counted when it cannot answer for `today`.

    Counted on the measures' own (round, status, deadline) index and grouped by round alone:
    joining the rounds into the count made SQLite take ~150 ms for 500 rounds, this ~40 ms."""
    today = today or timezone.localdate()
    kept = tally.round_cells(user, today, round_ids=round_ids, ordered=False)
    if kept is not None:
        return {
            round_id: {
                "total": sum(cells.values()),
                "done": tally.done_count(cells),
                "red": tally.light_count(cells, RED),
                "yellow": tally.light_count(cells, YELLOW),
            }
            for round_id, cells in kept
        }
    measures = visible_measures(user)
    if round_ids is not None:
        measures = measures.filter(round_id__in=round_ids)
    rows = (
        measures.values("round_id")
        .annotate(
            total=Count("round"),
            done=Count("round", filter=Q(status__in=DONE_STATES)),
            red=Count("round", filter=light_q(RED, today)),
            yellow=Count("round", filter=light_q(YELLOW, today)),
        )
        .order_by()
    )
    return _by_round(rows)


NO_MEASURES = {"total": 0, "done": 0, "red": 0, "yellow": 0}


# The round list's order, newest feedback first (rounds without a date last), for keyset pages.
ROUND_LIST_ORDER = (Key("feedback_date", descending=True, nullable=True), Key("pk", descending=True))


def rounds_overview(user) -> QuerySet[InspectionRound]:
    """The rounds the user may see, newest first (ROUND_LIST_ORDER's order, empty dates last on
    every database); `with_counts` adds the counts to a page of them."""
    return (
        InspectionRound.objects.filter(round_scope(user))
        .select_related("inspected_unit", "inspecting_group", "office")
        .order_by(F("feedback_date").desc(nulls_last=True), "-pk")
    )


def with_counts(user, rounds, today: datetime.date | None = None) -> list[InspectionRound]:
    """`rounds`, each with `measure_total`, `measure_done` and `measure_red`, counted in one query."""
    rounds = list(rounds)
    counts = round_counts(user, today, round_ids=[r.pk for r in rounds])
    for round_ in rounds:
        found = counts.get(round_.pk, NO_MEASURES)
        # Annotations of the round list's template, set here instead of counted by a join.
        round_.measure_total = found["total"]  # type: ignore[attr-defined]
        round_.measure_done = found["done"]  # type: ignore[attr-defined]
        round_.measure_red = found["red"]  # type: ignore[attr-defined]
    return rounds


@dataclass(frozen=True)
class OverviewRow:
    """One round on the office's overview: how far its unit has come, and what is overdue."""

    round_id: int
    title: str
    unit: str
    total: int
    done: int
    red: int
    yellow: int

    @property
    def done_rate(self) -> int:
        """Percent done, halves rounded up: the same integer the overview's SQL sorts by."""
        return (200 * self.done + self.total) // (2 * self.total) if self.total else 0

    @property
    def sort_key(self) -> tuple[int, int, str, int]:
        return (-self.red, self.done_rate, self.unit, self.round_id)


@dataclass
class Overview:
    """The office's overview: every round's row in order, most overdue first (`rows`, sliced by a
    Paginator: a page reads its 50), and the totals of all of them."""

    rows: Any  # OverviewRows or a list of OverviewRow
    totals: dict[str, int]


class OverviewRows:
    """The overview's rows sorted in SQL over the tally: a page of 50 reads 50 rows."""

    def __init__(self, values: QuerySet, rounds: QuerySet[InspectionRound]):
        self.values, self.rounds = values, rounds
        self._count: int | None = None

    def count(self) -> int:
        """The visible rounds, counted once (the totals and the Paginator both ask)."""
        if self._count is None:
            self._count = self.rounds.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[OverviewRow]:
        rows = self.values[index]
        return [OverviewRow(**{k: v for k, v in row.items() if k != "rate"}) for row in rows]


_OVERVIEW_SUMS: dict[str, list[str]] = {
    "total": tally.CELLS,
    "done": [str(status) for status in DONE],
    "red": [name for name in tally.CELLS if tally.CELL_LIGHT[name] == RED],
    "yellow": [name for name in tally.CELLS if tally.CELL_LIGHT[name] == YELLOW],
}


def _overview_sorted(user) -> OverviewRows:
    def cells(names: list[str]) -> Any:
        return sum((Coalesce(F(f"kept__{name}"), 0) for name in names), Value(0))

    rate = Case(
        When(total=0, then=Value(0)),
        default=(200 * F("done") + F("total")) / (2 * F("total")),
        output_field=IntegerField(),
    )
    rounds = InspectionRound.objects.filter(round_scope(user))
    values = (
        rounds.annotate(  # type: ignore[misc]  # annotations django-stubs cannot follow
            kept=FilteredRelation("tallies", condition=Q(tallies__kind=TallyKind.ROUND, tallies__key=""))
        )
        .annotate(**{name: cells(names) for name, names in _OVERVIEW_SUMS.items()})
        .annotate(rate=rate)
        .order_by("-red", "rate", "inspected_unit__name", "pk")
        # `rate` selected, so that the ORDER BY names its column instead of repeating its expression.
        .values(
            "title",
            "total",
            "done",
            "red",
            "yellow",
            "rate",
            round_id=F("pk"),
            unit=F("inspected_unit__name"),
        )
    )
    return OverviewRows(values, rounds)


def office_overview(user, today: datetime.date | None = None) -> Overview:
    """Every round the user may see, most overdue first, then least done: where to look first.

    Sorted in SQL over the tally when it holds today's lights; on a day the rollover has not
    run yet (or for another `today`), from the corrected counts, sorted here."""
    today = today or timezone.localdate()
    clock = tally.usable_clock(today)
    if clock is not None and clock.as_of == today:
        kept = MeasureTally.objects.filter(round_scope(user, "round__"), kind=TallyKind.ROUND).aggregate(
            **{
                name: Coalesce(Sum(sum((F(c) for c in names), Value(0))), 0)
                for name, names in _OVERVIEW_SUMS.items()
            }
        )
        rows: Any = _overview_sorted(user)
        totals = {"rounds": rows.count(), **kept}
    else:
        counts = round_counts(user, today)
        rounds = InspectionRound.objects.filter(round_scope(user)).values_list(
            "pk", "title", "inspected_unit__name"
        )
        rows = sorted(
            (OverviewRow(pk, title, unit, **counts.get(pk, NO_MEASURES)) for pk, title, unit in rounds),
            key=lambda row: row.sort_key,
        )
        totals = {"rounds": len(rows)}
        totals.update({key: sum(getattr(r, key) for r in rows) for key in ("total", "done", "red", "yellow")})
    return Overview(rows=rows, totals=totals)


# What a measure card shows besides the measure, by relation (see `_card_lookup`).
CARD_RELATIONS = (
    "cooperating_departments",
    "progress_entries",
    "evidence_files",
    "acknowledgements",
    "extensions",
    "decisions",
    "receipt_batches",
)


def _card_lookup(name: str) -> str | Prefetch:
    """How a card's relation `name` is read: people and departments joined in, not prefetched
    apart. Made only for a relation in which some measure has rows."""
    if name == "progress_entries":
        return Prefetch("progress_entries", queryset=ProgressEntry.objects.select_related("author"))
    if name == "acknowledgements":
        return Prefetch("acknowledgements", queryset=Acknowledgement.objects.select_related("department"))
    if name == "decisions":
        return Prefetch("decisions", queryset=ClosingDecision.objects.select_related("actor"))
    if name == "receipt_batches":
        from zhenggai.receipts.selectors import batches_with_counts

        return Prefetch("receipt_batches", queryset=batches_with_counts())
    return name


def _relations_with_rows(measure_ids: list[int], names: tuple[str, ...]) -> set[tuple[str, int]]:
    """(relation, measure id) for each relation of `names` in which a measure has rows, in one
    query of their measure indexes. Plain SQL (names from the models, values as parameters): the
    ORM took longer to build the seven queries than the database to answer them."""
    sql = _relations_sql(connection.vendor, names, len(measure_ids))
    params: list[Any] = [value for name in names for value in (name, *measure_ids)]
    with prepared_cursor(connection) as cursor:  # (on PostgreSQL, planned once per connection)
        cursor.execute(sql, params)
        return {(name, pk) for name, pk in cursor.fetchall()}


@functools.cache
def _relations_sql(vendor: str, names: tuple[str, ...], n: int) -> str:
    """The SQL of `_relations_with_rows` for `n` measures, written once a process (per database
    vendor, whose quoting it uses)."""
    from zhenggai.public_pages import sql_column, sql_table

    marks = ", ".join(["%s"] * n)
    parts = []
    for name in names:
        related: Any = Measure._meta.get_field(name)
        # The table whose `measure` column holds the relation's rows (a many-to-many's own table).
        rows: type[Model] = related.remote_field.through if related.many_to_many else related.related_model
        column, table = sql_column(rows, "measure"), sql_table(rows)
        # (the name typed: a statement the server prepares must know every parameter's type)
        typed = "CAST(%s AS VARCHAR(64))"
        parts.append(f"SELECT DISTINCT {typed}, {column} FROM {table} WHERE {column} IN ({marks})")  # noqa: S608 - model names
    return " UNION ALL ".join(parts)


# A problem's sub-problems in document order, listed on its page: compiled once a process.
PROBLEM_CHILDREN = Prepared(
    lambda problem_id: Problem.objects.filter(parent_id=problem_id).order_by("position"), int
)


# A problem's measures with what their cards show of the people and departments: compiled once.
_PROBLEM_MEASURES = Prepared(
    lambda problem_id: (
        Measure.objects.filter(problem_id=problem_id)
        .select_related("lead_department", "responsible_leader", "doer")
        .order_by("position", "pk")
    ),
    int,
)


def problem_cards(
    problem: Problem, pk: int | None = None, today: datetime.date | None = None
) -> list[Measure]:
    """The measures of a problem as its cards show them (or the one of id `pk`), each with its
    `light` and what the card shows of it read beforehand.

    A card shows seven relations; most measures have rows in two or three of them (a request for
    more time, a closing decision or residents' receipts are rare). One query asks which ones they
    have; each relation is then read for the measures that have rows in it, and the others are
    known to have none. Seven queries a page became one, and one for each relation in which some
    measure has rows (two or three, mostly)."""
    if pk is None:
        cards = _PROBLEM_MEASURES.objects(problem.pk)
        for measure in cards:
            measure.problem = problem  # as problem.measures gives them: the problem not read again
    else:
        measures = problem.measures.select_related("lead_department", "responsible_leader", "doer")
        cards = list(measures.filter(pk=pk))
    today = today or timezone.localdate()
    days = yellow_days()
    for measure in cards:
        measure.light = light_of(measure.status, measure.deadline, today, days)  # type: ignore[attr-defined]
    if not cards:
        return cards
    having = _relations_with_rows([m.pk for m in cards], CARD_RELATIONS)
    for name in CARD_RELATIONS:
        with_rows = [m for m in cards if (name, m.pk) in having]
        if with_rows and name == "cooperating_departments":  # many to many: the ORM's prefetch
            prefetch_related_objects(with_rows, _card_lookup(name))
        elif with_rows:
            _read_rows(with_rows, name)
        if len(with_rows) < len(cards):
            _read_as_empty([m for m in cards if (name, m.pk) not in having], name)
    return cards


@functools.lru_cache(maxsize=256)
def _relation_rows(name: str, n: int) -> Prepared:
    """The rows of a card's relation `name` (a foreign key to the measure) for `n` measures, as
    `_card_lookup` reads them, compiled once a process for each relation and number of measures."""
    lookup = _card_lookup(name)
    rows: QuerySet = (
        lookup.queryset
        if isinstance(lookup, Prefetch) and lookup.queryset is not None
        else cast(type[Model], Measure._meta.get_field(name).related_model)._default_manager.all()
    )
    return Prepared(lambda *ids: rows.filter(measure_id__in=ids), *([int] * n))


def _read_rows(measures: list[Measure], name: str) -> None:
    """What a prefetch of the relation `name` of `measures` leaves (each measure's rows in its
    `_prefetched_objects_cache`, a real queryset of the relation holding them, each row's measure
    known), read by one query compiled once a process instead of built by the prefetch machinery
    (~1.7 ms a relation)."""
    by_measure: dict[int, list] = {m.pk: [] for m in measures}
    for row in _relation_rows(name, len(measures)).objects(*(m.pk for m in measures)):
        by_measure[row.measure_id].append(row)
    foreign_key: Any = Measure._meta.get_field(name)
    for measure in measures:
        rows = by_measure[measure.pk]
        for row in rows:
            foreign_key.field.set_cached_value(row, measure)
        queryset: Any = getattr(measure, name).all()
        queryset._result_cache, queryset._prefetch_done = rows, True
        measure.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _read_as_empty(measures: list[Measure], name: str) -> None:
    """Record that `measures` have no rows in the relation `name`, as a prefetch that found none
    would (Django keeps what it prefetched per instance, in `_prefetched_objects_cache`): then
    `measure.<name>.all()` answers [] without a query. One empty result serves them all: nothing
    changes it (a write through the relation drops it from its measure's cache)."""
    related = cast(type[Model], Measure._meta.get_field(name).related_model)
    empty: Any = related._default_manager.none()
    empty._result_cache, empty._prefetch_done = [], True
    for measure in measures:
        measure.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty


# --- Choices for assigning a round's measures -------------------------------------------------------


def unit_people(round_: InspectionRound) -> QuerySet[Person]:
    """Whom a measure of the round may be given to: the inspected unit's whole staff, its
    departments' people included, in tree order."""
    return (
        Person.objects.filter(organisation__path__startswith=round_.inspected_unit.path)
        .select_related("organisation")
        .order_by("organisation__path", "name", "pk")
    )


def unit_departments(round_: InspectionRound) -> QuerySet[Organisation]:
    """The inspected unit's departments (its organisations below it), which lead and cooperate."""
    unit = round_.inspected_unit
    return Organisation.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).order_by("path")
