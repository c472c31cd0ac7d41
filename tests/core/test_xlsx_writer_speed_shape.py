"""The streamed ledger workbook: the same sheets as the openpyxl writer it replaced, valid XML
whatever the text holds, written as it goes, and fast.

``_reference_xlsx`` below is the former writer's logic (openpyxl, write-only mode) kept small: each
workbook the new writer makes is compared with it, loaded back with openpyxl in normal mode, cell
by cell (values, fonts, alignment, borders), with the merged ranges, frozen panes, print titles,
page setup and column widths.
"""

from __future__ import annotations

import io
import itertools
import struct
import tracemalloc
import warnings
import zipfile

import pytest
from _core_support import DEV, gold_documents
from defusedxml import ElementTree as ET
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.cell_range import CellRange

from zhenggai.core.parse import parse_document, parse_path
from zhenggai.core.readers.xlsx import read_xlsx
from zhenggai.core.tables import round_row
from zhenggai.core.writers import xlsx_ledger
from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes, write_ledger_xlsx, write_rounds_xlsx
from zhenggai.core.writers.xlsx_stream import SheetLayout, XlsxPackage, cell_xml, escape_text, sheet_name

DOCUMENTS = [path for _, path in gold_documents()] if DEV.is_dir() else []
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# --- the former writer, as the reference -------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT_MID = Alignment(wrap_text=True, vertical="center")
_BODY = Font(name="仿宋_GB2312", size=11)
_STATUS = {"done": "已完成", "in_progress": "正在推进", "not_started": "尚未启动"}
_NODE_STATUS = {"done": "已完成", "in_progress": "正在整改", "not_started": "未整改"}


def _reference_xlsx(ledger: dict) -> bytes:
    book = Workbook(write_only=True)
    sections = ledger.get("sections") or []
    if sections and all(node.get("sheet") for node in sections):
        for i, node in enumerate(sections):
            _ref_sheet(
                book,
                node["sheet"],
                node.get("title") or node["sheet"],
                node.get("children") or [],
                ledger.get("round") if i == 0 else None,
            )
    else:
        _ref_sheet(book, "整改台账", ledger.get("title") or "", sections, ledger.get("round"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ref_cell(ws, value, font=_BODY, alignment=_WRAP, border=False):
    cell = WriteOnlyCell(ws, value=value if value != "" else None)
    cell.font, cell.alignment = font, alignment
    if border:
        cell.border = _BORDER
    return cell


def _ref_sheet(book, name, title, nodes, rnd):
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in {ws.title for ws in book.worksheets}:
        candidate, n = f"{clean[:28]}({n})", n + 1
    ws = book.create_sheet(title=candidate)
    for i, width in enumerate(xlsx_ledger.WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes, ws.print_title_rows = "A4", "3:3"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", "9"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last = chr(64 + len(xlsx_ledger.COLUMNS))
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.append([_ref_cell(ws, title, Font(name="方正小标宋简体", size=16), _CENTER)])
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    ws.append([_ref_cell(ws, round_row(rnd) if rnd else "", _BODY, _LEFT_MID)])
    ws.append([_ref_cell(ws, c, Font(name="黑体", size=11), _CENTER, True) for c in xlsx_ledger.COLUMNS])
    r, stack = 4, [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        measures = node.get("measures") or []
        if node.get("problem") is None and not measures:
            font = Font(name=("黑体", "楷体_GB2312", "仿宋_GB2312")[min(depth, 2)], size=11)
            ws.merged_cells.add(CellRange(f"A{r}:{last}{r}"))
            ws.append([_ref_cell(ws, f"{node['label']}{node['title']}", font, _LEFT_MID)])
            r += 1
            if node.get("text"):
                ws.merged_cells.add(CellRange(f"A{r}:{last}{r}"))
                ws.append([_ref_cell(ws, node["text"])])
                r += 1
        else:
            r = _ref_problem(ws, node, r)
        stack.extend((child, depth + 1) for child in reversed(node.get("children") or []))


def _ref_problem(ws, node, r):
    measures = node.get("measures") or [None]
    own = any(m and m.get("deadline") for m in measures)
    statement = node["title"]
    if node.get("problem") and node["problem"] != node["title"]:
        statement = f"{node['title']}\n{node['problem']}"
    words = _NODE_STATUS.get(node.get("status") or "")
    status = (f"{words}，长期坚持" if words else "长期坚持") if node.get("long_term") else words
    if len(measures) > 1:
        for col in ["A", "B", "J"] + ([] if own else ["H"]):
            ws.merged_cells.add(CellRange(f"{col}{r}:{col}{r + len(measures) - 1}"))
    for i, measure in enumerate(measures):
        measure = measure or {}
        progress = measure.get("progress") or _STATUS.get(measure.get("status") or "")
        deadline = (
            _ref_deadline(measure.get("deadline"))
            if own
            else (_ref_deadline(node.get("deadline")) if i == 0 else None)
        )
        values = [
            node["label"] if i == 0 else None,
            statement if i == 0 else None,
            measure.get("text"),
            measure.get("owner"),
            measure.get("department"),
            measure.get("partners"),
            measure.get("doer"),
            deadline,
            progress,
            status if i == 0 else None,
            measure.get("evidence"),
        ]
        ws.append(
            [
                _ref_cell(ws, v, _BODY, _CENTER if c in (0, 7, 9) else _WRAP, True)
                for c, v in enumerate(values)
            ]
        )
    return r + len(measures)


def _ref_deadline(deadline):
    if not deadline:
        return None
    parts = [int(p) for p in deadline.split("-")]
    return "".join(f"{v}{unit}" for v, unit in zip(parts, "年月日", strict=False))


# --- comparing two workbooks ---------------------------------------------------------------------


def _load(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(data))


def _cell_shape(cell) -> tuple:
    font, align, border = cell.font, cell.alignment, cell.border
    sides = tuple(
        (s.style, s.color.rgb if s.color else None)
        for s in (border.left, border.right, border.top, border.bottom)
    )
    return (
        cell.value,
        font.name,
        float(font.sz or 0),
        bool(font.b),
        align.horizontal,
        align.vertical,
        bool(align.wrap_text),
        sides,
    )


def _sheet_shape(ws, rows: int, cols: int) -> dict:
    setup = ws.page_setup
    return {
        "cells": [
            [_cell_shape(c) for c in row] for row in ws.iter_rows(min_row=1, max_row=rows, max_col=cols)
        ],
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "print_titles": (ws.print_title_rows, ws.print_title_cols),
        "page": (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight),
        "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage,
        "widths": [ws.column_dimensions[chr(65 + i)].width for i in range(len(xlsx_ledger.WIDTHS))],
        "margins": (ws.page_margins.left, ws.page_margins.top, ws.page_margins.header),
    }


def assert_same_workbook(new: bytes, old: bytes) -> None:
    a, b = _load(new), _load(old)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        rows = max(a[name].max_row, b[name].max_row)
        cols = max(a[name].max_column, b[name].max_column)
        assert _sheet_shape(a[name], rows, cols) == _sheet_shape(b[name], rows, cols), name


# --- ledgers to write ----------------------------------------------------------------------------


def _node(label, title, *, problem=None, measures=(), children=(), **extra):
    return {
        "label": label,
        "number": 1,
        "level": 1,
        "title": title,
        "problem": problem,
        "text": None,
        "measures": list(measures),
        "status": None,
        "long_term": False,
        "deadline": None,
        "children": list(children),
        **extra,
    }


def _measure(text, **extra):
    return {"text": text, "status": None, "deadline": None, "owner": None, "department": None, **extra}


def _made_up_ledger() -> dict:
    """Headings four deep with prose, problems with and without measures, own deadlines."""
    deep = _node(
        "（1）",
        "第三层标题",
        text="第三层说明。",
        children=[_node("①", "第四层标题", children=[_node("a.", "问题甲", problem="问题甲")])],
    )
    problems = [
        _node(
            "1.",
            "学习不深入。",
            problem="集中学习次数偏少。",
            status="in_progress",
            long_term=True,
            deadline="2024-06",
            measures=[
                _measure(
                    "制定计划。",
                    owner="张三",
                    department="办公室",
                    partners="财务科、人事科",
                    doer="李四",
                    status="done",
                ),
                _measure("开展研讨。", progress="已开展两次", evidence="会议纪要"),
            ],
        ),
        _node(
            "2.",
            "台账不全。",
            problem="台账不全。",
            status="done",
            measures=[
                _measure("补齐台账。", deadline="2024-12-31", status="not_started"),
                _measure("专人管理。", deadline="2025"),
                _measure("定期检查。"),
            ],
        ),
        _node("3.", "制度缺失。", problem="未建立制度。", long_term=True, deadline="2024"),
        _node("4.", "只有一条措施。", problem="说明。", measures=[_measure("一条措施。")]),
    ]
    ledger = {
        "schema": "zhenggai.ledger/1",
        "title": "关于整改情况的台账",
        "round": {
            "kind": "巡察",
            "inspector": "县委第一巡察组",
            "target": "某局党组",
            "feedback_date": "2024-03-01",
        },
        "sections": [
            _node(
                "一、",
                "第一方面",
                text="组织情况说明。",
                children=[_node("（一）", "第二层", children=[deep]), *problems],
            ),
            _node("二、", "空的方面"),
        ],
    }
    return ledger


def _sheets_ledger() -> dict:
    """A ledger read from a workbook: one top-level node per sheet, names to clean and dedupe."""
    inner = _made_up_ledger()["sections"]
    return {
        "title": None,
        "round": {"kind": None, "inspector": "市委巡察组", "target": None, "feedback_date": None},
        "sections": [
            _node("1", "第一轮台账", sheet="台账", children=inner),
            _node("2", "", sheet="台账", children=inner[:1]),
            _node("3", "第三轮", sheet="a[b]:c*d?e/f\\g" + "长" * 40, children=inner[1:]),
        ],
    }


def _ledger_of(problems: int, measures: int = 4) -> dict:
    nodes = [
        _node(
            f"{i + 1}.",
            f"问题{i + 1}：学习贯彻不深入，计划针对性不强。",
            problem="部分党员学习流于形式，集中学习次数偏少。",
            status=("done", "in_progress", None)[i % 3],
            deadline=f"2024-{1 + i % 12:02d}",
            measures=[
                _measure(
                    f"措施{k + 1}：制定年度学习计划并抓好落实。",
                    owner="张主任",
                    department="党政办",
                    status="done",
                )
                for k in range(measures)
            ],
        )
        for i in range(problems)
    ]
    return {"title": "台账", "round": None, "sections": [_node("一、", "学习方面", children=nodes)]}


# --- the same workbook as before -----------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_each_dev_document_makes_the_workbook_the_former_writer_made(path):
    ledger = parse_path(path)
    assert_same_workbook(ledger_xlsx_bytes(ledger), _reference_xlsx(ledger))


@pytest.mark.parametrize(
    "make", [_made_up_ledger, _sheets_ledger, lambda: _ledger_of(30, 3)], ids=["tree", "sheets", "flat"]
)
def test_made_up_ledgers_make_the_workbook_the_former_writer_made(make):
    ledger = make()
    assert_same_workbook(ledger_xlsx_bytes(ledger), _reference_xlsx(ledger))


def test_the_layout_is_set_on_every_sheet():
    book = _load(ledger_xlsx_bytes(_sheets_ledger()))
    assert book.sheetnames == ["台账", "台账(2)", "a_b__c_d_e_f_g" + "长" * 17]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A4"
        assert ws.print_title_rows == "$3:$3"
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert [ws.column_dimensions[c].width for c in "ABCDEFGHIJK"] == list(xlsx_ledger.WIDTHS)
        assert {"A1:K1", "A2:K2"} <= {str(r) for r in ws.merged_cells.ranges}
        assert (ws["A1"].font.name, ws["A1"].font.sz) == ("方正小标宋简体", 16)
        assert [ws.cell(3, c).value for c in range(1, 12)] == list(xlsx_ledger.COLUMNS)
        assert all(
            ws.cell(3, c).font.name == "黑体" and ws.cell(3, c).border.left.style == "thin"
            for c in range(1, 12)
        )
    assert book.worksheets[0]["A2"].value.startswith("检查类别：")
    assert book.worksheets[1]["A1"].value == "台账"  # the node has no title: the sheet name


def test_the_parts_are_well_formed_and_in_schema_order():
    data = ledger_xlsx_bytes(_made_up_ledger())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        for name in package.namelist():
            ET.fromstring(package.read(name))  # every part parses as XML
        sheet = ET.fromstring(package.read("xl/worksheets/sheet1.xml"))
        workbook = package.read("xl/workbook.xml").decode()
        types = package.read("[Content_Types].xml").decode()
    order = [child.tag.removeprefix(MAIN) for child in sheet]
    assert order == [
        "sheetPr",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "mergeCells",
        "pageMargins",
        "pageSetup",
    ]
    cells = sheet.iter(f"{MAIN}c")
    assert {c.get("t") for c in cells} <= {"inlineStr", None}
    assert (
        '<definedName name="_xlnm.Print_Titles" localSheetId="0">\'整改台账\'!$3:$3</definedName>' in workbook
    )
    assert "/xl/worksheets/sheet1.xml" in types


# --- text that XML cannot carry as it is ---------------------------------------------------------


def test_markup_control_characters_and_edge_spaces_are_written_safely():
    nasty = "A&B <c> ]]> \"q\" 'a'\x00\x01\x08\x0b\x0c\x1f\ufffe end"
    ledger = _made_up_ledger()
    ledger["title"] = nasty
    problem = ledger["sections"][0]["children"][1]
    problem["measures"][0]["text"] = "  前后有空格  "
    problem["measures"][0]["owner"] = "第一行\r\n第二行\r第三行"
    problem["measures"][1]["text"] = "\x02\x03"  # nothing left: an empty cell
    problem["measures"][1]["evidence"] = "_x0041_ 与 \U0001f600"
    data = ledger_xlsx_bytes(ledger)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        ET.fromstring(package.read("xl/worksheets/sheet1.xml"))
    ws = _load(data).worksheets[0]
    assert ws["A1"].value == "A&B <c> ]]> \"q\" 'a' end"
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "1.")
    assert ws.cell(row, 3).value == "  前后有空格  "
    assert ws.cell(row, 4).value == "第一行\r\n第二行\r第三行"
    assert ws.cell(row + 1, 3).value is None
    # Escaped for Excel, which would read a bare "_x0041_" as "A"; openpyxl shows the escape as is,
    # our reader decodes it.
    assert ws.cell(row + 1, 11).value == "_x005F_x0041_ 与 \U0001f600"
    (table,) = read_xlsx(data)
    assert "_x0041_ 与 \U0001f600" in [cell for cells in table.rows for cell in cells]
    again = parse_document(data, "nasty.xlsx")
    assert again["title"] == "A&B <c> ]]> \"q\" 'a' end"


def test_escaping_and_cells():
    assert escape_text("甲乙") == "甲乙"
    assert escape_text("a<b>&\r\x00c") == "a&lt;b&gt;&amp;&#13;c"
    assert cell_xml("A1", 2, None) == '<c r="A1" s="2"/>'
    assert cell_xml("A1", 2, "") == '<c r="A1" s="2"/>'
    assert cell_xml("B2", 5, 3) == '<c r="B2" s="5"><v>3</v></c>'
    assert (
        cell_xml("B2", 5, " x") == '<c r="B2" s="5" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c>'
    )
    taken: set[str] = set()
    assert [sheet_name(n, taken) for n in ("Abc", "abc", "'q'", "", "x\ty")] == [
        "Abc",
        "abc(2)",
        "q",
        "Sheet",
        "xy",
    ]


def test_sheet_names_with_apostrophes_make_valid_print_titles():
    ledgers = [{"title": "t", "round": {"target": "O'Brien & 子"}, "sections": []}]
    book = _load(_rounds_bytes(ledgers))
    assert book.sheetnames == ["O'Brien & 子"]
    assert book.worksheets[0].print_title_rows == "$3:$3"


# --- streaming -----------------------------------------------------------------------------------


def _rounds_bytes(ledgers) -> bytes:
    buffer = io.BytesIO()
    write_rounds_xlsx(ledgers, buffer)
    return buffer.getvalue()


def test_rounds_are_written_one_sheet_each_as_they_come():
    buffer = io.BytesIO()
    written = []

    def rounds():
        for i in range(40):
            written.append(buffer.tell())
            ledger = _ledger_of(3, 2)
            ledger["round"] = {
                "kind": "巡察",
                "inspector": None,
                "target": "同名单位" if i % 2 else f"单位{i}",
                "feedback_date": None,
            }
            yield ledger

    assert write_rounds_xlsx(rounds(), buffer) == 40
    assert all(b > a for a, b in itertools.pairwise(written))  # each sheet already in the file
    book = _load(buffer.getvalue())
    assert len(book.sheetnames) == 40
    assert book.sheetnames[:4] == ["单位0", "同名单位", "单位2", "同名单位(2)"]
    assert all(ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4" for ws in book.worksheets)
    again = parse_document(buffer.getvalue(), "rounds.xlsx")
    assert len(again["sections"]) == 40


def test_no_rounds_make_one_empty_ledger_sheet():
    data = _rounds_bytes(iter(()))
    book = _load(data)
    assert book.sheetnames == ["整改台账"]
    assert [c.value for c in book.active[3]] == list(xlsx_ledger.COLUMNS)


def test_a_stream_that_cannot_seek_gets_a_valid_package():
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.data += b
            return len(b)

    pipe = Pipe()
    write_ledger_xlsx(_made_up_ledger(), pipe)
    assert_same_workbook(bytes(pipe.data), _reference_xlsx(_made_up_ledger()))


def test_a_failed_export_leaves_no_file_behind(tmp_path):
    def rounds():
        yield _ledger_of(2)
        raise RuntimeError("database went away")

    target = tmp_path / "export.xlsx"
    with pytest.raises(RuntimeError):
        write_rounds_xlsx(rounds(), target)
    assert not target.exists()
    write_ledger_xlsx(_made_up_ledger(), target)
    assert parse_document(target.read_bytes(), "export.xlsx")["title"] == "关于整改情况的台账"


def test_the_size_bound_holds_and_a_big_sheet_gets_zip64_headers():
    ledger = _made_up_ledger()
    with zipfile.ZipFile(io.BytesIO(ledger_xlsx_bytes(ledger))) as package:
        size = package.getinfo("xl/worksheets/sheet1.xml").file_size
    assert size < xlsx_ledger._xml_bound(ledger["sections"])
    buffer = io.BytesIO()
    package = XlsxPackage(buffer, xlsx_ledger._STYLES, SheetLayout(widths=(10,), frozen_rows=1))
    sheet = package.add_sheet("大表", size_hint=3 << 30)
    sheet.row(1, cell_xml("A1", 1, "甲"))
    package.close()
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        offset = package.getinfo("xl/worksheets/sheet1.xml").header_offset
    version, name_length = (
        struct.unpack_from("<H", data, offset + 4)[0],
        struct.unpack_from("<H", data, offset + 26)[0],
    )
    extra = data[offset + 30 + name_length : offset + 34 + name_length]
    assert version == 45 and extra[:2] == b"\x01\x00"  # Zip64 extra field in the local header
    # … and its 32-bit sizes say "see the extra field" (CPython before 3.11.4 left them in place)
    assert data[offset + 18 : offset + 26] == b"\xff" * 8
    assert _load(buffer.getvalue()).active["A1"].value == "甲"


# --- large sheets and memory (the speed itself is measured by bench/render.py) -------------------


def test_a_forty_thousand_row_sheet_ends_with_all_its_merges():
    ledger = _ledger_of(10_000)  # 40,000 measure rows on one sheet
    data = ledger_xlsx_bytes(ledger)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        tail = package.read("xl/worksheets/sheet1.xml")[-4000:]
    assert b'<mergeCell ref="H40001:H40004"/>' in tail  # the last problem's merges, after the rows


class _Sink(io.RawIOBase):
    """A write-only stream that keeps nothing (a pipe to the client)."""

    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, b):
        self.size += len(b)
        return len(b)


def test_memory_does_not_grow_with_the_number_of_rounds():
    template = _ledger_of(25)

    def peak(rounds: int) -> int:
        sink = _Sink()
        tracemalloc.start()
        write_rounds_xlsx((template for _ in range(rounds)), sink)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert sink.size > rounds * 1000
        return top

    assert peak(200) - peak(20) < 1024 * 1024  # 20,000 rows or 2,000: the same peak, give or take


# --- text that reads like SpreadsheetML's own _xHHHH_ escape -------------------------------------


def _read_back(cells: list[str]) -> list[object]:
    """Column A of a sheet made of the given ready <c> elements, as our reader reads it."""
    buffer = io.BytesIO()
    package = XlsxPackage(buffer, xlsx_ledger._STYLES, SheetLayout(widths=(10,)))
    sheet = package.add_sheet("表")
    for r, cell in enumerate(cells, start=1):
        sheet.row(r, cell)
    package.close()
    (table,) = read_xlsx(buffer.getvalue())
    return [row[0] if row else None for row in table.rows]


def _through_a_sheet(texts: list[str]) -> list[object]:
    return _read_back([cell_xml(f"A{r}", 1, text) for r, text in enumerate(texts, start=1)])


@given(
    st.lists(
        st.lists(
            st.sampled_from(["_x", "_", "x", "000D", "005F", "0041", "_x000D_", "整改", " "]), max_size=8
        )
        .map(lambda pieces: "".join(pieces).strip())
        .filter(bool),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=60, deadline=None)
def test_text_like_an_escape_reads_back_as_written(texts):
    assert _through_a_sheet(texts) == texts


def test_excels_own_escapes_are_decoded_on_reading():
    """What Excel writes for a cell holding a CR LF line break, a literal "_x0041_" and a NUL."""
    excel_wrote = ["第一行_x000D_\n第二行", "编号_x005F_x0041_", "空_x0000_字符"]
    cells = [  # written raw, as Excel's own bytes would be
        f'<c r="A{r}" s="1" t="inlineStr"><is><t>{text}</t></is></c>'
        for r, text in enumerate(excel_wrote, start=1)
    ]
    assert _read_back(cells) == ["第一行\n第二行", "编号_x0041_", "空字符"]
