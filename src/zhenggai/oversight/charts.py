"""The dashboard's rows and charts as the template and ECharts read them: each figure with the
link to the ledger behind it, each bar keyed by its row's id under a label no other bar has.

A row's links share one query string (the filters and the row's scope), written once a row; each
figure adds its own fixed tail (`FIGURE_TAILS`): the same string `ledger_query` writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from zhenggai.oversight.filters import DashboardFilters
from zhenggai.oversight.selectors import FIGURE_FILTERS, Figures

# The segments of a bar: done, in progress (not overdue), overdue; each opens its ledger.
SEGMENTS = ("done", "in_progress", "red")
# What each figure adds to its row's query string (its keys are never a filter's or a scope's).
FIGURE_TAILS = {name: urlencode(list(extra.items())) for name, extra in FIGURE_FILTERS.items()}


def _links(row: Figures, filters: DashboardFilters, ledger: str, names: Iterable[str]) -> dict[str, str]:
    base = filters.query(**row.scope)
    joined = f"{ledger}?{base}&" if base else f"{ledger}?"
    return {
        name: f"{joined}{FIGURE_TAILS[name]}" if FIGURE_TAILS[name] else f"{ledger}?{base}" for name in names
    }


def linked(row: Figures, filters: DashboardFilters, ledger: str, **extra: Any) -> dict[str, Any]:
    """`row` with, for each figure, its value and its ledger link: {"figures": {name: (n, url)}}."""
    links = _links(row, filters, ledger, FIGURE_FILTERS)
    figures = {name: (getattr(row, name), link) for name, link in links.items()}
    return {"row": row, "figures": figures, **extra}


def distinct_labels(labels: Sequence[str], keys: Sequence[str]) -> list[str]:
    """`labels`, each one that occurs more than once told apart by its key: two rounds of one unit,
    or two departments both called 办公室, are two bars with two names."""
    seen = Counter(labels)
    return [
        f"{label}（#{key}）" if seen[label] > 1 else label for label, key in zip(labels, keys, strict=True)
    ]


def round_label(row: Figures) -> str:
    return f"{row.detail}·{row.label}" if row.detail else row.label


def category_label(row: Figures) -> str:
    return row.label


def bars(
    rows: Sequence[Figures], filters: DashboardFilters, ledger: str, label: Callable[[Figures], str]
) -> list[dict[str, Any]]:
    """One stacked bar a row, keyed by the row's id: its segments' counts and their ledger links."""
    names = distinct_labels([label(r) for r in rows], [r.key for r in rows])
    return [
        {
            "id": row.key,
            "label": name,
            **{segment: getattr(row, segment) for segment in SEGMENTS},
            "links": _links(row, filters, ledger, SEGMENTS),
        }
        for row, name in zip(rows, names, strict=True)
    ]
