"""The oversight dashboard (督查督办看板) and its exports: thin views over `oversight.selectors`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zhenggai.ledger.access import offices_staffed
from zhenggai.ledger.models import RoundKind
from zhenggai.oversight import charts, exports, selectors
from zhenggai.oversight.categories import category_choices
from zhenggai.oversight.filters import DashboardFilters

# The totals at the top, each a link to its ledger.
TOTAL_LABELS = [
    ("problems", _("Problems")),
    ("measures", _("Measures")),
    ("done", _("Done")),
    ("in_progress", _("In progress")),
    ("red", _("Overdue")),
    ("long_term", _("Long-term")),
    ("no_evidence", _("Done without evidence")),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The tables shown a page at a time, the most overdue first, and the parameter of each one's page.
PAGED = {"rounds": "rounds_page", "units": "units_page"}


def _optional(module: str, name: str) -> Callable | None:
    """A function another app adds to the dashboard (repeats, signals, trends), if it is installed."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):  # not installed (yet): no section
            return None
        raise  # installed, but broken: say so
    return getattr(found, name, None)


def _plugged(user, filters: DashboardFilters) -> dict[str, Any]:
    """The sections other apps plug in; each renders only when its function answers."""
    found: dict[str, Any] = {}
    repeats = _optional("zhenggai.repeats.selectors", "repeat_counts_by_unit")
    if repeats is not None:
        found["repeats"] = repeats(user, filters)  # {unit id: repeated findings}
    signals = _optional("zhenggai.signals.selectors", "signal_counts")
    if signals is not None:
        found["signals"] = signals(user, filters)  # {signal: count}
        try:
            found["signals_url"] = reverse("signals:list")
        except NoReverseMatch:
            found["signals_url"] = ""
    trend = _optional("zhenggai.oversight.trends", "weekly_trend")
    if trend is not None:
        found["trend"] = trend(user, filters)
    return found


def _signal_rows(
    counts: dict[str, int] | None, url: str, filters: DashboardFilters
) -> list[tuple[str, int, str]]:
    """(name, count, link to the flagged measures) of each quality signal, in the signals' order."""
    if counts is None:
        return []
    from zhenggai.signals.models import SignalKey

    return [
        (str(key.label), counts.get(key.value, 0), f"{url}?{filters.query(signal=key.value)}" if url else "")
        for key in SignalKey
    ]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where rectification is late, across every round the office follows: totals, the most
    overdue items, then per round, unit, category and department; every figure opens its ledger."""
    selectors.require_dashboard(request.user)
    filters = DashboardFilters.from_query(request.GET)
    board = selectors.dashboard(
        request.user,
        filters,
        table_rows=selectors.TABLE_ROWS,
        rounds_page=request.GET.get(PAGED["rounds"]),
        units_page=request.GET.get(PAGED["units"]),
    )
    plugged = _plugged(request.user, filters)
    repeats = plugged.get("repeats")
    ledger = reverse("ledger:all_ledgers")
    # The tables come ranked and cut to the page asked for (a page past the end: the last one).
    pages = {"rounds": board.rounds_table, "units": board.units_table}
    query = filters.query()
    context = {
        "board": board,
        "filters": filters,
        "ledger": ledger,
        "query": query,
        "totals": charts.linked(board.totals, filters, ledger),
        "rounds": [charts.linked(r, filters, ledger) for r in board.rounds],
        "units": [
            charts.linked(
                u, filters, ledger, repeated=None if repeats is None else repeats.get(int(u.key), 0)
            )
            for u in board.units
        ],
        "pagers": {table: _pager(table, pages, query) for table in PAGED},
        "categories": [charts.linked(c, filters, ledger) for c in board.categories],
        "departments": [charts.linked(d, filters, ledger) for d in board.departments],
        "recurring": [charts.linked(c, filters, ledger) for c in board.recurring],
        "overdue": board.most_overdue,
        "round_chart": charts.bars(board.rounds, filters, ledger, charts.round_label),
        "category_chart": charts.bars(board.categories, filters, ledger, charts.category_label),
        "repeats_shown": repeats is not None,
        "signals": _signal_rows(plugged.get("signals"), plugged.get("signals_url", ""), filters),
        "signals_url": plugged.get("signals_url", ""),
        "trend": plugged.get("trend"),
        "choices": _choices(request.user, filters),
        "tables": exports.TABLES,
        "red_query": filters.query(light="red"),
        "figure_names": list(selectors.FIGURE_FILTERS),
        # Departments have measures, not problems (a problem spans the departments of its measures).
        "measure_figure_names": [name for name in selectors.FIGURE_FILTERS if name != "problems"],
        "office": offices_staffed(request.user),  # office staff download the weekly summary
        "total_labels": TOTAL_LABELS,
    }
    return render(request, "oversight/dashboard.html", context)


def _pager(table: str, pages: dict[str, selectors.Ranked], query: str) -> dict[str, Any]:
    """The links to a table's previous and next pages: the filters, the other tables' pages kept."""
    page = pages[table]

    def link(number: int) -> str:
        others = "".join(
            f"&{PAGED[other]}={p.number}" for other, p in pages.items() if other != table and p.number > 1
        )
        own = f"&{PAGED[table]}={number}" if number > 1 else ""
        return f"?{query}{others}{own}".replace("?&", "?") + f"#{table}"

    return {
        "page": page,
        "first": page.first,
        "last": page.last,
        "count": page.total,
        "previous": link(page.number - 1) if page.number > 1 else "",
        "next": link(page.number + 1) if page.number < page.pages else "",
    }


def _choices(user, filters: DashboardFilters) -> dict[str, Any]:
    """The filter form's options: the years and groups of the rounds the user may see."""
    rounds = selectors.rounds_in_view(user, DashboardFilters())
    # The distinct days, their years taken here: `dates(…, "year")` truncates every round's date in
    # SQL (on SQLite a Python function called once a round: 7 ms at 3,000 rounds, this 2.5 ms).
    days = rounds.order_by().values_list("feedback_date", flat=True).distinct()
    years = sorted({day.year for day in days if day}, reverse=True)
    groups = list(
        rounds.filter(inspecting_group__isnull=False)
        .order_by("inspecting_group__path")
        .values_list("inspecting_group_id", "inspecting_group__name")
        .distinct()
    )
    return {"years": years, "kinds": RoundKind.choices, "groups": groups, "categories": category_choices()}


@login_required
@require_GET
def export(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the dashboard, every row of it, as .xlsx, with the page's filters."""
    selectors.require_dashboard(request.user)
    if table not in exports.TABLES:
        raise Http404
    filters = DashboardFilters.from_query(request.GET)
    today = timezone.localdate()
    filename, content = exports.table_xlsx(request.user, filters, table, today)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
