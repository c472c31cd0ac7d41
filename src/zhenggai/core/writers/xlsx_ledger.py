"""A ledger/1 dict as the 整改台账 workbook offices keep.

Columns: 序号, 问题, 整改措施, 责任领导, 责任部门, 整改时限, 整改进展, 完成情况, 佐证材料. One row per
measure; a problem's 序号/问题/整改时限/完成情况 cells are merged down over its measure rows;
numbered headings without a problem of their own (``一、…``, ``（一）…``) are rows merged across
the sheet. Title row, round row and header row on top, the header frozen and repeated on every
printed page, A4 landscape. A ledger whose top-level nodes are a workbook's sheets (``sheet`` key)
is written one sheet per node. The workbook is written in openpyxl's streaming (write-only) mode.

:mod:`zhenggai.core.readers.xlsx` with :mod:`zhenggai.core.tables` reads these files back into
the same tree; the 问题 cell holds ``title`` and, on the next line, ``problem`` when they differ.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.cell_range import CellRange

from zhenggai.core.tables import round_row

COLUMNS = ("序号", "问题", "整改措施", "责任领导", "责任部门", "整改时限", "整改进展", "完成情况", "佐证材料")
WIDTHS = (7, 40, 46, 14, 16, 13, 30, 14, 16)
_STATUS_WORDS = {"done": "已完成", "in_progress": "正在推进", "not_started": "尚未启动"}
_NODE_STATUS_WORDS = {"done": "已完成", "in_progress": "正在整改", "not_started": "未整改"}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT_MID = Alignment(wrap_text=True, vertical="center")
_BODY = Font(name="仿宋_GB2312", size=11)
_BOLD = Font(name="黑体", size=11)
_TITLE = Font(name="方正小标宋简体", size=16)
_HEADINGS = ("黑体", "楷体_GB2312", "仿宋_GB2312")


def write_ledger_xlsx(ledger: dict[str, Any], target: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write ``ledger`` as a workbook to a path or a binary file object."""
    book = Workbook(write_only=True)
    sections = ledger.get("sections") or []
    if sections and all(node.get("sheet") for node in sections):
        for i, node in enumerate(sections):
            _sheet(
                book,
                node["sheet"],
                node.get("title") or node["sheet"],
                node.get("children") or [],
                ledger.get("round") if i == 0 else None,
            )
    else:
        _sheet(book, "整改台账", ledger.get("title") or "", sections, ledger.get("round"))
    book.save(target)


def write_rounds_xlsx(ledgers: Iterable[dict[str, Any]], target: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write one sheet per round from an iterable of ledgers, consuming them one at a time.

    The workbook is streamed (write-only), so memory holds one round's ledger, not the whole
    export. Returns the number of sheets written.
    """
    book = Workbook(write_only=True)
    count = 0
    for ledger in ledgers:
        target_name = (ledger.get("round") or {}).get("target") or ledger.get("title") or f"轮次{count + 1}"
        _sheet(
            book, target_name, ledger.get("title") or "", ledger.get("sections") or [], ledger.get("round")
        )
        count += 1
    if not count:
        _sheet(book, "整改台账", "", [], None)
    book.save(target)
    return count


def ledger_xlsx_bytes(ledger: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(ledger, buffer)
    return buffer.getvalue()


def _sheet(
    book: Workbook, name: str, title: str, nodes: list[dict[str, Any]], rnd: dict[str, Any] | None
) -> None:
    ws = book.create_sheet(title=_sheet_name(name, book))
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last = chr(ord("A") + len(COLUMNS) - 1)
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.append([_cell(ws, title, _TITLE, _CENTER)])
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    ws.append([_cell(ws, round_row(rnd) if rnd else "", _BODY, _LEFT_MID)])
    ws.append([_cell(ws, name, _BOLD, _CENTER, border=True) for name in COLUMNS])
    for row, merges in _rows(ws, nodes, start=4):
        for ref in merges:
            ws.merged_cells.add(CellRange(ref))
        ws.append(row)


def _sheet_name(name: str, book: Workbook) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    taken = {ws.title for ws in book.worksheets}
    candidate, n = clean, 2
    while candidate in taken:
        candidate = f"{clean[:28]}({n})"
        n += 1
    return candidate


def _cell(
    ws, value: Any, font: Font = _BODY, alignment: Alignment = _WRAP, *, border: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value if value not in ("",) else None)
    cell.font = font
    cell.alignment = alignment
    if border:
        cell.border = _BORDER
    return cell


def _rows(ws, nodes: list[dict[str, Any]], start: int) -> Iterator[tuple[list[WriteOnlyCell], list[str]]]:
    """Rows for ``nodes`` depth first, with the merged ranges each row opens."""
    r = start
    last = chr(ord("A") + len(COLUMNS) - 1)
    stack = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        measures = node.get("measures") or []
        if node.get("problem") is None and not measures:
            font = _HEADINGS[min(depth, len(_HEADINGS) - 1)]
            yield (
                [_cell(ws, f"{node['label']}{node['title']}", Font(name=font, size=11), _LEFT_MID)],
                [f"A{r}:{last}{r}"],
            )
            r += 1
            if node.get("text"):
                yield [_cell(ws, node["text"])], [f"A{r}:{last}{r}"]
                r += 1
        else:
            rows = _problem_rows(ws, node, r)
            for row, merges in rows:
                yield row, merges
                r += 1
        stack.extend((child, depth + 1) for child in reversed(node.get("children") or []))


def _problem_rows(ws, node: dict[str, Any], r: int) -> list[tuple[list[WriteOnlyCell], list[str]]]:
    measures = node.get("measures") or [None]
    own_deadlines = any(m and m.get("deadline") for m in measures)
    statement = node["title"]
    if node.get("problem") and node["problem"] != node["title"]:
        statement = f"{node['title']}\n{node['problem']}"
    status = _node_status_text(node)
    deadline = _deadline_text(node.get("deadline"))
    out = []
    for i, measure in enumerate(measures):
        first = i == 0
        measure = measure or {}
        progress = measure.get("progress") or _STATUS_WORDS.get(measure.get("status") or "", None)
        row_deadline = (
            _deadline_text(measure.get("deadline")) if own_deadlines else (deadline if first else None)
        )
        values = [
            node["label"] if first else None,
            statement if first else None,
            measure.get("text"),
            measure.get("owner"),
            measure.get("department"),
            row_deadline,
            progress,
            status if first else None,
            measure.get("evidence"),
        ]
        out.append(
            [
                _cell(ws, v, border=True, alignment=_CENTER if c in (0, 5, 7) else _WRAP)
                for c, v in enumerate(values)
            ]
        )
    merges = []
    if len(measures) > 1:
        end = r + len(measures) - 1
        cols = ["A", "B", "H"] + ([] if own_deadlines else ["F"])
        merges = [f"{col}{r}:{col}{end}" for col in cols]
    return [(row, merges if i == 0 else []) for i, row in enumerate(out)]


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
