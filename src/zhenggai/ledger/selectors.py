"""Reads for list pages and exports, each starting from what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhenggai.ledger.access import round_scope, visible_measures
from zhenggai.ledger.lights import LIGHTS, RED, light_expression, light_q
from zhenggai.ledger.models import DONE_STATES, EvidenceFile, InspectionRound, Measure, MeasureStatus, Problem


@dataclass
class LedgerFilters:
    status: str = ""
    light: str = ""
    department: int | None = None
    category: str = ""
    unit: int | None = None
    search: str = ""


@dataclass
class LedgerCounts:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_light: dict[str, int] = field(default_factory=dict)
    problems: int = 0

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
        qs = qs.filter(status__in=DONE_STATES)
    elif filters.status == "open":
        qs = qs.exclude(status__in=DONE_STATES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.light in LIGHTS:
        qs = qs.filter(light_q(filters.light, today))
    if filters.department:
        qs = qs.filter(
            Q(lead_department_id=filters.department) | Q(cooperating_departments=filters.department)
        )
    if filters.category:
        qs = qs.filter(problem__category=filters.category)
    if filters.unit:
        qs = qs.filter(round__inspected_unit_id=filters.unit)
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
    """The rows of a ledger: one per measure, with what the table shows, in document order."""
    today = today or timezone.localdate()
    base = visible_measures(user)
    if round_ is not None:
        base = base.filter(round=round_)
    evidence_count = (
        EvidenceFile.objects.filter(measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _filtered(base, filters, today)
        .select_related("problem", "round__inspected_unit", "lead_department", "responsible_leader", "doer")
        .annotate(light=light_expression(today), evidence_count=Coalesce(Subquery(evidence_count), Value(0)))
        .order_by("round__inspected_unit__path", "round_id", "problem__position", "position", "pk")
    )


def ledger_counts(
    user, *, round_: InspectionRound | None = None, filters: LedgerFilters, today: datetime.date | None = None
) -> LedgerCounts:
    """Counts by status and by light of the rows that the filters select, in one query."""
    today = today or timezone.localdate()
    base = visible_measures(user)
    if round_ is not None:
        base = base.filter(round=round_)
    qs = _filtered(base, filters, today)
    aggregates = {"total": Count("pk", distinct=True), "problems": Count("problem", distinct=True)}
    for status in MeasureStatus.values:
        aggregates[f"s_{status}"] = Count("pk", filter=Q(status=status), distinct=True)
    for light in LIGHTS:
        aggregates[f"l_{light}"] = Count("pk", filter=light_q(light, today), distinct=True)
    row = qs.order_by().aggregate(**aggregates)
    return LedgerCounts(
        total=row["total"],
        problems=row["problems"],
        by_status={s: row[f"s_{s}"] for s in MeasureStatus.values},
        by_light={light: row[f"l_{light}"] for light in LIGHTS},
    )


def rounds_overview(user, today: datetime.date | None = None) -> QuerySet[InspectionRound]:
    """The rounds the user may see, each with its measure counts."""
    today = today or timezone.localdate()
    return (
        InspectionRound.objects.filter(round_scope(user))
        .select_related("inspected_unit", "inspecting_group", "office")
        .annotate(
            measure_total=Count("measures"),
            measure_done=Count("measures", filter=Q(measures__status__in=DONE_STATES)),
            measure_red=Count("measures", filter=light_q(RED, today, prefix="measures__")),
        )
        .order_by("-feedback_date", "-pk")
    )


def problem_tree(round_: InspectionRound) -> list[Problem]:
    """All problem nodes of a round in document order (callers hold access to the round)."""
    return list(round_.problems.order_by("position"))


def problem_measures(problem: Problem, today: datetime.date | None = None) -> QuerySet[Measure]:
    today = today or timezone.localdate()
    return (
        problem.measures.select_related("lead_department", "responsible_leader", "doer")
        .prefetch_related(
            "cooperating_departments",
            "progress_entries__author",
            "evidence_files",
            "acknowledgements__user",
            "acknowledgements__department",
            "extensions__requested_by",
            "decisions__actor",
        )
        .annotate(light=light_expression(today))
        .order_by("position", "pk")
    )
