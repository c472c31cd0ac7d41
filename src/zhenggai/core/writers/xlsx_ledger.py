"""A ledger/1 dict as the 整改台账 workbook offices keep.

Columns: 序号, 问题, 整改措施, 责任领导, 责任部门, 整改时限, 整改进展, 完成情况, 佐证材料. One row per
measure; a problem's 序号/问题/整改时限/完成情况 cells are merged down over its measure rows;
numbered headings without a problem of their own (``一、…``, ``（一）…``) are rows merged across
the sheet. Title row, round row and header row on top, the header frozen and repeated on every
printed page, A4 landscape. A ledger whose top-level nodes are a workbook's sheets (``sheet`` key)
is written one sheet per node.

The SpreadsheetML is written directly (:mod:`zhenggai.core.writers.xlsx_stream`): each sheet is
streamed row by row into its zip member with a fixed ``styles.xml``, so the time is linear in the
rows and the memory holds a buffer of rows and the merged ranges, not the sheet.

:mod:`zhenggai.core.readers.xlsx` with :mod:`zhenggai.core.tables` reads these files back into
the same tree; the 问题 cell holds ``title`` and, on the next line, ``problem`` when they differ.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from typing import IO, Any

from zhenggai.core.ledger import Round
from zhenggai.core.tables import round_row
from zhenggai.core.writers.anchor import anchor_line, anchor_property
from zhenggai.core.writers.xlsx_stream import (
    CellFormat,
    Font,
    SheetLayout,
    SheetWriter,
    XlsxPackage,
    cell_xml,
    styles_xml,
)

COLUMNS = ("序号", "问题", "整改措施", "责任领导", "责任部门", "整改时限", "整改进展", "完成情况", "佐证材料")
WIDTHS = (7, 40, 46, 14, 16, 13, 30, 14, 16)
_STATUS_WORDS = {"done": "已完成", "in_progress": "正在推进", "not_started": "尚未启动"}
_NODE_STATUS_WORDS = {"done": "已完成", "in_progress": "正在整改", "not_started": "未整改"}
_LAST = chr(ord("A") + len(COLUMNS) - 1)
_LETTERS = tuple(chr(ord("A") + i) for i in range(len(COLUMNS)))

# Fonts (0 is the workbook default) and cell formats; the format's index is the cell's ``s``.
_FONTS = (
    Font("Calibri", 11),
    Font("方正小标宋简体", 16),
    Font("仿宋_GB2312", 11),
    Font("黑体", 11),
    Font("楷体_GB2312", 11),
    Font("仿宋_GB2312", 9),
)
_TITLE, _LEFT_MID, _HEADER, _HEADING_1, _CENTRED, _WRAPPED, _HEADING_2, _TEXT, _ANCHOR = range(1, 10)
_FORMATS = (
    CellFormat(),
    CellFormat(font=1, horizontal="center", vertical="center", wrap=True),  # title row
    CellFormat(font=2, vertical="center", wrap=True),  # round row; headings from level 3
    CellFormat(font=3, border=True, horizontal="center", vertical="center", wrap=True),  # header
    CellFormat(font=3, vertical="center", wrap=True),  # 一、 headings
    CellFormat(
        font=2, border=True, horizontal="center", vertical="center", wrap=True
    ),  # 序号, 时限, 完成情况
    CellFormat(font=2, border=True, vertical="top", wrap=True),  # the other problem cells
    CellFormat(font=4, vertical="center", wrap=True),  # （一） headings
    CellFormat(font=2, vertical="top", wrap=True),  # a heading's prose
    CellFormat(font=5, vertical="center"),  # the history anchor under the table
)
_HEADING_FORMATS = (_HEADING_1, _HEADING_2, _LEFT_MID)
_PROBLEM_FORMATS = tuple(_CENTRED if c in (0, 5, 7) else _WRAPPED for c in range(len(COLUMNS)))
_STYLES = styles_xml(_FONTS, _FORMATS)
_LAYOUT = SheetLayout(
    widths=WIDTHS, frozen_rows=3, print_title_rows=(3, 3), landscape=True, paper_size=9, fit_to_width=True
)
_HEADER_CELLS = "".join(
    cell_xml(f"{col}3", _HEADER, name) for col, name in zip(_LETTERS, COLUMNS, strict=True)
)


def write_ledger_xlsx(
    ledger: dict[str, Any],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    anchor: dict[str, Any] | None = None,
) -> None:
    """Write ``ledger`` as a workbook to a path or a binary file object.

    ``anchor``, the history's signed head when issued (:mod:`zhenggai.core.writers.anchor`), goes
    into the workbook's properties and on a line under each sheet's table."""
    package = _package(target, anchor)
    try:
        sections = ledger.get("sections") or []
        if sections and all(node.get("sheet") for node in sections):
            for i, node in enumerate(sections):
                _sheet(
                    package,
                    node["sheet"],
                    node.get("title") or node["sheet"],
                    node.get("children") or [],
                    ledger.get("round") if i == 0 else None,
                    anchor,
                )
        else:
            _sheet(package, "整改台账", ledger.get("title") or "", sections, ledger.get("round"), anchor)
        package.close()
    except BaseException:
        package.abort()
        raise


def write_rounds_xlsx(
    ledgers: Iterable[dict[str, Any]],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    anchor: dict[str, Any] | None = None,
) -> int:
    """Write one sheet per round from an iterable of ledgers, consuming them one at a time.

    Each sheet is streamed into the file as it is made, so memory holds one round's ledger (and a
    buffer of its rows), not the whole export. Returns the number of sheets written. ``anchor`` as
    for :func:`write_ledger_xlsx`.
    """
    package = _package(target, anchor)
    try:
        count = 0
        for ledger in ledgers:
            name = (ledger.get("round") or {}).get("target") or ledger.get("title") or f"轮次{count + 1}"
            _sheet(
                package,
                name,
                ledger.get("title") or "",
                ledger.get("sections") or [],
                ledger.get("round"),
                anchor,
            )
            count += 1
        if not count:
            _sheet(package, "整改台账", "", [], None, anchor)
        package.close()
    except BaseException:
        package.abort()
        raise
    return count


def ledger_xlsx_bytes(ledger: dict[str, Any], *, anchor: dict[str, Any] | None = None) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(ledger, buffer, anchor=anchor)
    return buffer.getvalue()


def _package(target: str | os.PathLike[str] | IO[bytes], anchor: dict[str, Any] | None) -> XlsxPackage:
    return XlsxPackage(target, _STYLES, _LAYOUT, description=anchor_property(anchor) if anchor else "")


def _sheet(
    package: XlsxPackage,
    name: str,
    title: str,
    nodes: list[dict[str, Any]],
    rnd: Round | None,
    anchor: dict[str, Any] | None = None,
) -> None:
    sheet = package.add_sheet(name, size_hint=_xml_bound(nodes) + 5 * len(title))
    sheet.merge(f"A1:{_LAST}1")
    sheet.row(1, cell_xml("A1", _TITLE, title))
    sheet.merge(f"A2:{_LAST}2")
    sheet.row(2, cell_xml("A2", _LEFT_MID, round_row(rnd) if rnd else None))
    sheet.row(3, _HEADER_CELLS)
    end = _rows(sheet, nodes, start=4)
    if anchor:  # after an empty row, so that a reader of the table sees where it ends
        sheet.merge(f"A{end + 1}:{_LAST}{end + 1}")
        sheet.row(end + 1, cell_xml(f"A{end + 1}", _ANCHOR, anchor_line(anchor)))
    sheet.close()


def _rows(sheet: SheetWriter, nodes: list[dict[str, Any]], start: int) -> int:
    """Write the rows of ``nodes`` depth first from row ``start``; returns the next free row."""
    r = start
    stack = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        measures = node.get("measures") or []
        if node.get("problem") is None and not measures:
            style = _HEADING_FORMATS[min(depth, len(_HEADING_FORMATS) - 1)]
            sheet.merge(f"A{r}:{_LAST}{r}")
            sheet.row(r, cell_xml(f"A{r}", style, f"{node['label']}{node['title']}"))
            r += 1
            if node.get("text"):
                sheet.merge(f"A{r}:{_LAST}{r}")
                sheet.row(r, cell_xml(f"A{r}", _TEXT, node["text"]))
                r += 1
        else:
            r = _problem_rows(sheet, node, r)
        children = node.get("children")
        if children:
            stack.extend((child, depth + 1) for child in reversed(children))
    return r


def _problem_rows(sheet: SheetWriter, node: dict[str, Any], r: int) -> int:
    measures = node.get("measures") or [None]
    own_deadlines = any(m and m.get("deadline") for m in measures)
    statement = node["title"]
    if node.get("problem") and node["problem"] != node["title"]:
        statement = f"{node['title']}\n{node['problem']}"
    status = _node_status_text(node)
    deadline = _deadline_text(node.get("deadline"))
    if len(measures) > 1:
        end = r + len(measures) - 1
        for col in ("A", "B", "H") if own_deadlines else ("A", "B", "H", "F"):
            sheet.merge(f"{col}{r}:{col}{end}")
    first = True
    for measure in measures:
        measure = measure or {}
        progress = measure.get("progress") or _STATUS_WORDS.get(measure.get("status") or "", None)
        if own_deadlines:
            row_deadline = _deadline_text(measure.get("deadline"))
        else:
            row_deadline = deadline if first else None
        values = (
            node["label"] if first else None,
            statement if first else None,
            measure.get("text"),
            measure.get("owner"),
            measure.get("department"),
            row_deadline,
            progress,
            status if first else None,
            measure.get("evidence"),
        )
        rs = str(r)
        sheet.row(
            r,
            "".join(
                [
                    cell_xml(col + rs, s, v)
                    for col, s, v in zip(_LETTERS, _PROBLEM_FORMATS, values, strict=True)
                ]
            ),
        )
        r += 1
        first = False
    return r


def _xml_bound(nodes: list[dict[str, Any]]) -> int:
    """An upper bound of a sheet's XML in bytes: 5 bytes a character (``&amp;``), 1 KiB a row."""
    rows = chars = 0
    stack = list(nodes)
    while stack:
        node = stack.pop()
        rows += 2
        for key in ("label", "title", "problem", "text"):
            value = node.get(key)
            chars += len(value) if value.__class__ is str else 32
        for measure in node.get("measures") or ():
            rows += 1
            for value in (measure or {}).values():
                chars += len(value) if value.__class__ is str else 32
        stack.extend(node.get("children") or ())
    return 4096 + 1024 * rows + 5 * chars


def _node_status_text(node: dict[str, Any]) -> str | None:
    words = _NODE_STATUS_WORDS.get(node.get("status") or "")
    if node.get("long_term"):
        return f"{words}，长期坚持" if words else "长期坚持"
    return words


def _deadline_text(deadline: str | None) -> str | None:
    if not deadline:
        return None
    parts = deadline.split("-")
    text = f"{int(parts[0])}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text
