"""Each table of the dashboard as an .xlsx workbook (openpyxl, write-only): every row of it, with
the page's filters, read by the same selectors as the page."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from zhenggai.ledger.lights import LIGHT_LABELS
from zhenggai.ledger.models import MeasureStatus
from zhenggai.oversight import selectors
from zhenggai.oversight.categories import category_name
from zhenggai.oversight.filters import DashboardFilters

# The tables, by the name in their export's URL, and their sheet titles.
TABLES = {
    "rounds": gettext_lazy("Rounds"),
    "units": gettext_lazy("Units"),
    "categories": gettext_lazy("Categories"),
    "departments": gettext_lazy("Departments"),
    "recurring": gettext_lazy("Recurring categories"),
    "overdue": gettext_lazy("Most overdue"),
}

_FIGURE_COLUMNS = [
    ("problems", gettext_lazy("Problems")),
    ("measures", gettext_lazy("Measures")),
    ("done", gettext_lazy("Done")),
    ("in_progress", gettext_lazy("In progress")),
    ("red", gettext_lazy("Overdue")),
    ("long_term", gettext_lazy("Long-term")),
    ("no_evidence", gettext_lazy("Done without evidence")),
]
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _figure_rows(rows: list[selectors.Figures], first: list[tuple[str, Any]]) -> Iterator[list[Any]]:
    for row in rows:
        values = [value(row) if callable(value) else value for _name, value in first]
        values += [getattr(row, name) for name, _label in _FIGURE_COLUMNS]
        values += [row.rate / 100, str(LIGHT_LABELS[row.light])]
        yield values


def _table(user, filters: DashboardFilters, table: str, today: datetime.date) -> tuple[list[str], Iterator]:
    """The header and the rows of `table`."""
    figure_header = [str(label) for _name, label in _FIGURE_COLUMNS] + [_("Completion"), _("Light")]
    if table == "overdue":
        rows = selectors.most_overdue(user, filters, today, limit=1000)
        header = [_("Unit"), _("Problem"), _("Measure"), _("Status"), _("Deadline"), _("Days overdue")]
        labels = dict(MeasureStatus.choices)
        return header, (
            [
                r["unit_name"],
                r["problem_title"],
                r["text"],
                str(labels[r["status"]]),
                r["deadline"],
                r["days"],
            ]
            for r in rows
        )
    if table == "departments":
        departments, _count = selectors.by_department(user, filters, today, limit=None)
        # (no problems column: a problem spans the departments of its measures)
        cells = _figure_rows(departments, [("label", lambda r: r.label), ("unit", lambda r: r.detail)])
        return [_("Department"), _("Unit"), *figure_header[1:]], (v[:2] + v[3:] for v in cells)
    if table in ("categories", "recurring"):
        categories = selectors.by_category(user, filters, today)
        if table == "recurring":
            categories = selectors.recurring_categories(categories, limit=len(categories))
        return [_("Code"), _("Category"), _("Units with problems"), *figure_header], _figure_rows(
            categories,
            [
                ("key", lambda r: r.key),
                ("name", lambda r: r.label),  # (named by by_category, from one read of the names)
                ("units", lambda r: r.units),
            ],
        )
    rounds = selectors.by_round(user, filters, today)
    if table == "units":
        return [_("Unit"), *figure_header], _figure_rows(
            selectors.by_unit(rounds), [("unit", lambda r: r.label)]
        )
    return [_("Unit"), _("Round"), *figure_header], _figure_rows(
        rounds, [("unit", lambda r: r.detail), ("round", lambda r: r.label)]
    )


def _filters_text(filters: DashboardFilters) -> str:
    parts = []
    if filters.year:
        parts.append(_("Year %(year)s") % {"year": filters.year})
    if filters.kind:
        parts.append(filters.kind)
    if filters.group:
        from zhenggai.orgs.models import Organisation

        group = Organisation.objects.filter(pk=filters.group).values_list("name", flat=True).first()
        parts.append(group or str(filters.group))
    if filters.category:
        parts.append(category_name(filters.category))
    return "，".join(parts) or _("All rounds")


def table_xlsx(user, filters: DashboardFilters, table: str, today: datetime.date) -> tuple[str, bytes]:
    """(file name, bytes) of the workbook of `table` (one of TABLES)."""
    title = str(TABLES[table])
    header, rows = _table(user, filters, table, today)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A3"
    for i, width in enumerate([24, 28] + [12] * (len(header) - 2), start=1):
        sheet.column_dimensions[chr(64 + i)].width = width if i <= 26 else 12
    caption = WriteOnlyCell(sheet, f"{title}（{_filters_text(filters)}，{today:%Y-%m-%d}）")
    caption.font = _BOLD
    sheet.append([caption])
    heads = []
    for text in header:
        cell = WriteOnlyCell(sheet, text)
        cell.font, cell.alignment = _BOLD, _WRAP
        heads.append(cell)
    sheet.append(heads)
    rate_column = header.index(_("Completion")) if _("Completion") in header else None
    for values in rows:
        cells = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value)
            if i == rate_column:
                cell.number_format = "0%"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return f"{title}（{today:%Y%m%d}）.xlsx", out.getvalue()
