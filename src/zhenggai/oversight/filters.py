"""The dashboard's filters, carried in the URL (?year=2026&kind=巡察&group=12&category=zuofeng): one
dataclass that every oversight query, chart, table, export and drill-down link reads, so that a
figure and the ledger behind it are filtered alike."""

from __future__ import annotations

from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict

from zhenggai.ledger.models import RoundKind


@dataclass(frozen=True)
class DashboardFilters:
    year: int | None = None  # the year of the round's feedback (反馈年度)
    kind: str = ""  # RoundKind value: 巡视, 巡察, 审计, 督察, 检查, 其他
    group: int | None = None  # the inspecting group's Organisation id
    category: str = ""  # a problem category's code (a top-level code takes in its sub-categories)

    @classmethod
    def from_query(cls, query: QueryDict | dict) -> DashboardFilters:
        """Read from request.GET; a value that is not well formed is ignored, never an error."""

        def integer(key: str) -> int | None:
            value = str(query.get(key) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 9 else None

        year = integer("year")
        kind = str(query.get("kind") or "").strip()
        category = str(query.get("category") or "").strip()[:60]
        return cls(
            year=year if year and 1990 <= year <= 2100 else None,
            kind=kind if kind in RoundKind.values else "",
            group=integer("group"),
            category=category,
        )

    def query(self, **more: object) -> str:
        """These filters (and `more`) as a query string, empty values left out, keys in a fixed order."""
        values = {**{name: getattr(self, name) for name in _NAMES}, **more}
        return urlencode([(k, v) for k, v in values.items() if v not in (None, "")])

    def cell_q(self) -> Q:
        """The year, kind and group filters over rows that name a round's cell (the office rollup,
        the weekly snapshots: `year`, `round_kind`, `inspecting_group`)."""
        q = Q()
        if self.year:
            q &= Q(year=self.year)
        if self.kind:
            q &= Q(round_kind=self.kind)
        if self.group:
            q &= Q(inspecting_group_id=self.group)
        return q

    @property
    def is_empty(self) -> bool:
        return self == DashboardFilters()


# The filters' names, in the order their query strings write them (read once: `asdict` copies).
_NAMES = tuple(f.name for f in fields(DashboardFilters))
