"""A ledger/1 dict as the 整改台账 workbook offices keep.

Columns, by default: 序号, 问题, 整改措施, 责任领导, 责任部门, 配合部门, 具体责任人, 整改时限, 整改进展,
完成情况, 佐证材料 (:data:`DEFAULT_ORDER`); an inspection office may choose its own order of them
(``column_order``: the argument, else the ledger's ``column_order`` key, checked by
:func:`column_problems`), which every sheet of that ledger follows. One row per measure; a
problem's 序号/问题/整改时限/完成情况 cells are merged down over its measure rows;
numbered headings without a problem of their own (``一、…``, ``（一）…``) are rows merged across
the sheet. Title row, round row and header row on top, the header frozen and repeated on every
printed page, A4 landscape. A ledger whose top-level nodes are a workbook's sheets (``sheet`` key)
is written one sheet per node.

The SpreadsheetML is written directly (:mod:`zhenggai.core.writers.xlsx_stream`): each sheet is
streamed row by row into its zip member with a fixed ``styles.xml``, so the time is linear in the
rows and the memory holds a buffer of rows and the merged ranges, not the sheet.

:mod:`zhenggai.core.readers.xlsx` with :mod:`zhenggai.core.tables` reads these files back into
the same tree; the 问题 cell holds ``title`` and, on the next line, ``problem`` when they differ.
A measure's 具体责任人 is its ``doer`` and its 配合部门 its ``partners`` (names joined by ``、``):
keys beyond the ledger/1 schema's, which allows them.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

# The columns a ledger workbook can have, by key: header, width, and whether the cell is centred.
# Keys as the table reader's roles (zhenggai.core.tables); the order here is the default.
_SPECS: dict[str, tuple[str, float, bool]] = {
    "seq": ("序号", 7, True),
    "problem": ("问题", 40, False),
    "measure": ("整改措施", 46, False),
    "owner": ("责任领导", 14, False),
    "department": ("责任部门", 16, False),
    "partners": ("配合部门", 16, False),
    "doer": ("具体责任人", 12, False),
    "deadline": ("整改时限", 13, True),
    "progress": ("整改进展", 30, False),
    "status": ("完成情况", 14, True),
    "evidence": ("佐证材料", 16, False),
}
COLUMN_KEYS = tuple(_SPECS)
DEFAULT_ORDER = COLUMN_KEYS
# What every order must hold: the problem and its measures, and each responsibility column.
REQUIRED_KEYS = ("seq", "problem", "measure", "owner", "department", "partners", "doer")
COLUMN_NAMES = {key: spec[0] for key, spec in _SPECS.items()}
COLUMN_WIDTHS = {key: spec[1] for key, spec in _SPECS.items()}  # in characters, as the workbook's
COLUMNS = tuple(_SPECS[key][0] for key in DEFAULT_ORDER)
WIDTHS = tuple(_SPECS[key][1] for key in DEFAULT_ORDER)
_STATUS_WORDS = {"done": "已完成", "in_progress": "正在推进", "not_started": "尚未启动"}
_NODE_STATUS_WORDS = {"done": "已完成", "in_progress": "正在整改", "not_started": "未整改"}
_INDEX = {key: i for i, key in enumerate(COLUMN_KEYS)}  # a key's place in a row's tuple of values


def column_problems(order: Any) -> list[str]:
    """What is wrong with ``order`` as a list of column keys (empty: nothing): unknown or repeated
    keys, or a required one missing. In Chinese, for the person who set it."""
    if not isinstance(order, list | tuple) or not all(isinstance(key, str) for key in order):
        return ["列顺序应为列名代码的列表"]
    problems = []
    unknown = [key for key in order if key not in _SPECS]
    if unknown:
        problems.append(f"未知的列：{'、'.join(unknown)}（可用：{'、'.join(COLUMN_KEYS)}）")
    repeated = sorted({key for key in order if order.count(key) > 1})
    if repeated:
        problems.append(f"重复的列：{'、'.join(repeated)}")
    missing = [COLUMN_NAMES[key] for key in REQUIRED_KEYS if key not in order]
    if missing:
        problems.append(f"缺少必需的列：{'、'.join(missing)}")
    return problems


def checked_order(order: Any) -> tuple[str, ...]:
    """``order`` as a tuple of column keys: :data:`DEFAULT_ORDER` when it is empty; a ValueError
    when it is not a valid order (:func:`column_problems`)."""
    if not order:
        return DEFAULT_ORDER
    problems = column_problems(order)
    if problems:
        raise ValueError("；".join(problems))
    return tuple(order)


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
_STYLES = styles_xml(_FONTS, _FORMATS)


@dataclass(frozen=True)
class _Plan:
    """A sheet's columns: ``cells`` is (letter, format, index into a row's values) per column."""

    order: tuple[str, ...]
    cells: tuple[tuple[str, int, int], ...]
    last: str
    letter: dict[str, str]
    layout: SheetLayout
    header: str


def _letters(n: int) -> tuple[str, ...]:
    return tuple(chr(ord("A") + i) for i in range(n))  # at most the 11 columns: one letter each


@functools.lru_cache(maxsize=64)
def _plan(order: tuple[str, ...]) -> _Plan:
    letters = _letters(len(order))
    cells = tuple(
        (letter, _CENTRED if _SPECS[key][2] else _WRAPPED, _INDEX[key])
        for letter, key in zip(letters, order, strict=True)
    )
    layout = SheetLayout(
        widths=tuple(_SPECS[key][1] for key in order),
        frozen_rows=3,
        print_title_rows=(3, 3),
        landscape=True,
        paper_size=9,
        fit_to_width=True,
    )
    header = "".join(
        cell_xml(f"{letter}3", _HEADER, _SPECS[key][0]) for letter, key in zip(letters, order, strict=True)
    )
    return _Plan(order, cells, letters[-1], dict(zip(order, letters, strict=True)), layout, header)


_LAYOUT = _plan(DEFAULT_ORDER).layout


def _order_of(ledger: dict[str, Any], columns: Sequence[str] | None) -> tuple[str, ...]:
    return checked_order(columns if columns else ledger.get("column_order"))


def write_ledger_xlsx(
    ledger: dict[str, Any],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    anchor: dict[str, Any] | None = None,
    column_order: Sequence[str] | None = None,
) -> None:
    """Write ``ledger`` as a workbook to a path or a binary file object.

    ``anchor``, the history's signed head when issued (:mod:`zhenggai.core.writers.anchor`), goes
    into the workbook's properties and on a line under each sheet's table. ``column_order``: the
    column keys in the office's order (else the ledger's ``column_order``, else the default)."""
    plan = _plan(_order_of(ledger, column_order))
    package = _package(target, anchor)
    try:
        sections = ledger.get("sections") or []
        if sections and all(node.get("sheet") for node in sections):
            for i, node in enumerate(sections):
                _sheet(
                    package,
                    plan,
                    node["sheet"],
                    node.get("title") or node["sheet"],
                    node.get("children") or [],
                    ledger.get("round") if i == 0 else None,
                    anchor,
                )
        else:
            _sheet(
                package, plan, "整改台账", ledger.get("title") or "", sections, ledger.get("round"), anchor
            )
        package.close()
    except BaseException:
        package.abort()
        raise


def write_rounds_xlsx(
    ledgers: Iterable[dict[str, Any]],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    anchor: dict[str, Any] | None = None,
    column_order: Sequence[str] | None = None,
) -> int:
    """Write one sheet per round from an iterable of ledgers, consuming them one at a time.

    Each sheet is streamed into the file as it is made, so memory holds one round's ledger (and a
    buffer of its rows), not the whole export. Returns the number of sheets written. ``anchor`` as
    for :func:`write_ledger_xlsx`; ``column_order`` too, else each sheet in its own ledger's order
    (the order of the office that follows that round).
    """
    package = _package(target, anchor)
    try:
        count = 0
        for ledger in ledgers:
            name = (ledger.get("round") or {}).get("target") or ledger.get("title") or f"轮次{count + 1}"
            _sheet(
                package,
                _plan(_order_of(ledger, column_order)),
                name,
                ledger.get("title") or "",
                ledger.get("sections") or [],
                ledger.get("round"),
                anchor,
            )
            count += 1
        if not count:
            _sheet(package, _plan(checked_order(column_order)), "整改台账", "", [], None, anchor)
        package.close()
    except BaseException:
        package.abort()
        raise
    return count


def ledger_xlsx_bytes(
    ledger: dict[str, Any],
    *,
    anchor: dict[str, Any] | None = None,
    column_order: Sequence[str] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(ledger, buffer, anchor=anchor, column_order=column_order)
    return buffer.getvalue()


def _package(target: str | os.PathLike[str] | IO[bytes], anchor: dict[str, Any] | None) -> XlsxPackage:
    return XlsxPackage(target, _STYLES, _LAYOUT, description=anchor_property(anchor) if anchor else "")


def _sheet(
    package: XlsxPackage,
    plan: _Plan,
    name: str,
    title: str,
    nodes: list[dict[str, Any]],
    rnd: Round | None,
    anchor: dict[str, Any] | None = None,
) -> None:
    sheet = package.add_sheet(name, size_hint=_xml_bound(nodes) + 5 * len(title), layout=plan.layout)
    last = plan.last
    sheet.merge(f"A1:{last}1")
    sheet.row(1, cell_xml("A1", _TITLE, title))
    sheet.merge(f"A2:{last}2")
    sheet.row(2, cell_xml("A2", _LEFT_MID, round_row(rnd) if rnd else None))
    sheet.row(3, plan.header)
    end = _rows(sheet, plan, nodes, start=4)
    if anchor:  # after an empty row, so that a reader of the table sees where it ends
        sheet.merge(f"A{end + 1}:{last}{end + 1}")
        sheet.row(end + 1, cell_xml(f"A{end + 1}", _ANCHOR, anchor_line(anchor)))
    sheet.close()


def _rows(sheet: SheetWriter, plan: _Plan, nodes: list[dict[str, Any]], start: int) -> int:
    """Write the rows of ``nodes`` depth first from row ``start``; returns the next free row."""
    r = start
    last = plan.last
    stack = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        measures = node.get("measures") or []
        if node.get("problem") is None and not measures:
            style = _HEADING_FORMATS[min(depth, len(_HEADING_FORMATS) - 1)]
            sheet.merge(f"A{r}:{last}{r}")
            sheet.row(r, cell_xml(f"A{r}", style, f"{node['label']}{node['title']}"))
            r += 1
            if node.get("text"):
                sheet.merge(f"A{r}:{last}{r}")
                sheet.row(r, cell_xml(f"A{r}", _TEXT, node["text"]))
                r += 1
        else:
            r = _problem_rows(sheet, plan, node, r)
        children = node.get("children")
        if children:
            stack.extend((child, depth + 1) for child in reversed(children))
    return r


def problem_rows(node: dict[str, Any]) -> tuple[list[tuple[Any, ...]], tuple[str, ...]]:
    """A problem's rows, one per measure, each its values in the order of :data:`COLUMN_KEYS`, and
    the keys of the cells that belong to the problem (merged down over its rows when it has several
    measures; blank after its first row)."""
    measures = node.get("measures") or [None]
    own_deadlines = any(m and m.get("deadline") for m in measures)
    statement = node["title"]
    if node.get("problem") and node["problem"] != node["title"]:
        statement = f"{node['title']}\n{node['problem']}"
    status = _node_status_text(node)
    deadline = _deadline_text(node.get("deadline"))
    merged = ("seq", "problem", "status") if own_deadlines else ("seq", "problem", "status", "deadline")
    rows = []
    first = True
    for measure in measures:
        measure = measure or {}
        progress = measure.get("progress") or _STATUS_WORDS.get(measure.get("status") or "", None)
        if own_deadlines:
            row_deadline = _deadline_text(measure.get("deadline"))
        else:
            row_deadline = deadline if first else None
        rows.append(
            (  # in the order of COLUMN_KEYS
                node["label"] if first else None,
                statement if first else None,
                measure.get("text"),
                measure.get("owner"),
                measure.get("department"),
                measure.get("partners"),
                measure.get("doer"),
                row_deadline,
                progress,
                status if first else None,
                measure.get("evidence"),
            )
        )
        first = False
    return rows, merged


def _problem_rows(sheet: SheetWriter, plan: _Plan, node: dict[str, Any], r: int) -> int:
    rows, merged = problem_rows(node)
    if len(rows) > 1:
        end = r + len(rows) - 1
        letter = plan.letter
        for key in merged:
            if key in letter:
                sheet.merge(f"{letter[key]}{r}:{letter[key]}{end}")
    cells = plan.cells
    for values in rows:
        rs = str(r)
        sheet.row(r, "".join([cell_xml(col + rs, s, values[i]) for col, s, i in cells]))
        r += 1
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
        words = f"{words}，长期坚持" if words else "长期坚持"
    if node.get("overdue"):  # past its deadline and not done, as of a progress report's date
        words = f"{words}，已超期" if words else "已超期"
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
