"""Ruled tables in a PDF (a Word ledger table printed): their cells, and their place among the lines.

pdfplumber finds a page's tables by their ruling lines. A cell's text comes back wrapped at the
column's width; the wraps are taken out (a narrow column wraps every few characters, so a line
end inside a cell says nothing), but for the lines that go on with the cell's numbered list: a
cell that opens with 1. (or （1）, ①…) and has a line opening with 2., then 3., holds a list, its
items one a line (a Word cell's paragraphs, which the print set on lines of their own). A table
that runs over a page break comes back as one table a page: the part on the next page carries on
the same columns, and when its first row has no 序号 it is the rest of the row the page cut, whose
cells continue the last row's (their lines too, so that a list goes on over the break).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zhenggai.core.numbering import Label, parse_label
from zhenggai.core.readers import Table

_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


@dataclass
class PageTable:
    """A table found on a page: where it is (page, top, bottom, left, right) and its cells."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[list[str]]

    def holds(self, page: int, x: float, top: float) -> bool:
        """Whether a text line that starts at (x, top) on ``page`` lies inside the table."""
        return (
            page == self.page and self.top - 1 <= top <= self.bottom - 2 and self.x0 - 1 <= x <= self.x1 + 1
        )


def page_tables(page: Any, number: int) -> list[PageTable]:
    """The ruled tables of a pdfplumber page with two columns or more, top to bottom."""
    found = []
    for table in page.find_tables():
        # (a cell keeps its printed lines until the table is whole: a list may go on over a page)
        rows = [[_lines(cell) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows and max(len(row) for row in rows) >= 2:
            x0, top, x1, bottom = table.bbox
            found.append(PageTable(number, float(top), float(bottom), float(x0), float(x1), rows))
    return sorted(found, key=lambda t: t.top)


def _lines(cell: str | None) -> str:
    """A cell's printed lines, blank ones and the space around them taken out."""
    return "\n".join(part for part in map(str.strip, (cell or "").split("\n")) if part)


def _unwrap(cell: str) -> str:
    """A cell's text: its printed lines joined, but for each that opens the next item of the list
    the cell opens with (1. … 2. … 3. …), which starts a line of its own."""
    out = ""
    listed: Label | None = None  # the label of the cell's numbered list, the last item read
    for part in cell.split("\n"):
        label = parse_label(part)
        if label is not None and (not out or _next_item(listed, label)):
            out += ("\n" if out else "") + part
            listed = label
            continue
        glue = " " if out and _ASCII_END.search(out) and _ASCII_START.search(part) else ""
        out += glue + part
    return out


def _next_item(listed: Label | None, label: Label | None) -> bool:
    """Whether ``label`` numbers the item after ``listed`` in the same style."""
    return (
        listed is not None
        and label is not None
        and label.style == listed.style
        and label.number == listed.number + 1
    )


def join_pages(parts: list[PageTable]) -> list[PageTable]:
    """Tables cut by page breaks put back together: a table at the top of the next page with as
    many columns as the one that ended the page before goes on with its rows."""
    out: list[PageTable] = []
    for part in parts:
        last = out[-1] if out else None
        if last is not None and part.page == last.page + 1 and _width(part) == _width(last):
            rows = part.rows
            if rows and not rows[0][0] and last.rows and last.rows[-1][0]:
                # the rest of the row the page cut: each cell goes on from the cell above it
                cut = last.rows[-1]
                last.rows[-1] = [
                    "\n".join(part for part in (a, b) if part) for a, b in zip(cut, rows[0], strict=False)
                ]
                rows = rows[1:]
            if rows and last.rows and rows[0] == last.rows[0]:
                rows = rows[1:]  # the header repeated on the new page
            last.rows.extend(rows)
            last.page, last.bottom = part.page, part.bottom
            continue
        out.append(part)
    return out


def _width(table: PageTable) -> int:
    return max((len(row) for row in table.rows), default=0)


def as_table(part: PageTable) -> Table:
    return Table(rows=[[_unwrap(cell) for cell in row] for row in part.rows])


def interleave(lines: list[Any], tables: list[PageTable], join: Any) -> list[str | Table]:
    """The body's paragraphs (``join`` of each run of lines) and its tables, in reading order;
    tables with no line between them are put back together across their page breaks."""
    items = sorted(
        [(line.page, line.top, 0, line) for line in lines] + [(t.page, t.top, 1, t) for t in tables],
        key=lambda item: (item[0], item[1], item[2]),
    )
    blocks: list[str | Table] = []
    run: list[Any] = []
    pending: list[PageTable] = []
    for _page, _top, kind, item in items:
        if kind == 0:
            if pending:
                blocks.extend(as_table(t) for t in join_pages(pending))
                pending = []
            run.append(item)
        else:
            if run:
                blocks.extend(join(run))
                run = []
            pending.append(item)
    if pending:
        blocks.extend(as_table(t) for t in join_pages(pending))
    if run:
        blocks.extend(join(run))
    return blocks
