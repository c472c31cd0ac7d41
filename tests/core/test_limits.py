"""A document past the bounds of reading (limits.ReadLimits) is refused with a Chinese message."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest
from _core_support import (
    make_docx,
    make_pdf,
    make_xlsx,
    replace_member,
    shared_strings_xml,
    with_shared_strings,
)

from zhenggai.core.errors import TooLargeError
from zhenggai.core.limits import Budget, ReadLimits
from zhenggai.core.parse import parse_document

LEDGER = [["序号", "问题", "整改措施"], [1, "问题一", "措施一"], [2, "问题二", "措施二"]]


def refused(data: bytes, name: str, **limits) -> str:
    with pytest.raises(TooLargeError) as caught:
        parse_document(data, name, limits=ReadLimits(**limits))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    return caught.value.message


def _sheet_xml(rows: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>{rows}</sheetData></worksheet>'.encode()


def _with_sheet(rows: str) -> bytes:
    return replace_member(make_xlsx(LEDGER), "xl/worksheets/sheet1.xml", _sheet_xml(rows))


# --- Shared strings, streamed before openpyxl reads them whole ----------------------------------


def test_too_many_shared_strings_are_refused_before_openpyxl_reads_them():
    data = with_shared_strings(make_xlsx(LEDGER), shared_strings_xml([f"第{n}项" for n in range(30)]))
    assert "共享字符串过多（超过 20 个）" in refused(data, "bomb.xlsx", shared_strings=20)
    parse_document(data, "fine.xlsx", limits=ReadLimits(shared_strings=30))


def test_shared_strings_with_too_many_characters_are_refused():
    data = with_shared_strings(make_xlsx(LEDGER), shared_strings_xml(["整改" * 50] * 3))
    assert "共享字符串文字过多（超过 299 字）" in refused(data, "bomb.xlsx", shared_string_chars=299)
    parse_document(data, "fine.xlsx", limits=ReadLimits(shared_string_chars=300))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_shared_strings_are_counted_in_utf16_and_with_a_prefix(encoding):
    table = shared_strings_xml([f"第{n}项" for n in range(30)], prefix="x").decode()
    table = table.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    mark = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = with_shared_strings(make_xlsx(LEDGER), mark + table.encode(encoding))
    assert "共享字符串过多" in refused(data, "bomb.xlsx", shared_strings=20)


# --- Sheets, streamed before openpyxl opens them -------------------------------------------------


def test_a_sheet_with_rows_past_the_bound_is_refused_and_one_within_is_read():
    rows = [["序号", "问题", "整改措施"]] + [[n, f"问题{n}", f"措施{n}"] for n in range(1, 10)]
    assert "工作表“台账”的行数过多（超过 8 行）" in refused(make_xlsx(rows), "big.xlsx", rows=8)
    ledger = parse_document(make_xlsx(rows), "fits.xlsx", limits=ReadLimits(rows=10))
    assert len(ledger["sections"]) == 9


def test_content_far_below_empty_rows_counts_as_rows():
    data = _with_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row>'
        '<row r="90000"><c r="A90000"><v>1</v></c></row>'
    )
    assert "行数过多" in refused(data, "far.xlsx")


def test_empty_styled_rows_at_the_end_are_not_rows_with_content():
    empty = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(4, 60))
    data = _with_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>问题</t></is></c><c r="C1" t="inlineStr"><is><t>整改措施</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>问题一</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>措施一</t></is></c></row>' + empty
    )
    ledger = parse_document(data, "styled.xlsx", limits=ReadLimits(rows=10))
    assert ledger["sections"][0]["title"] == "问题一"


def test_too_many_cells_or_too_wide_a_row_is_refused():
    wide = '<row r="1">' + '<c s="1"/>' * 30 + "</row>"
    assert "第 1 行的单元格过多（超过 20 个）" in refused(_with_sheet(wide), "wide.xlsx", row_cells=20)
    tall = "".join(f'<row r="{r}"><c s="1"/><c s="1"/></row>' for r in range(1, 40))
    assert "单元格过多（超过 50 个）" in refused(_with_sheet(tall), "tall.xlsx", cells=50)


def test_a_part_read_whole_must_be_small():
    styles = zipfile.ZipFile(io.BytesIO(make_xlsx(LEDGER))).read("xl/styles.xml")
    assert "xl/styles.xml 过大" in refused(make_xlsx(LEDGER), "styles.xlsx", part_bytes=len(styles) - 1)


def test_the_number_of_xml_elements_is_bounded():
    assert "XML 元素" in refused(make_xlsx(LEDGER * 20), "many.xlsx", elements=100)


def test_the_characters_read_from_the_cells_are_bounded():
    rows = [["序号", "问题", "整改措施"]] + [[n, "长" * 100, "措施"] for n in range(1, 6)]
    assert "文字过多" in refused(make_xlsx(rows), "long.xlsx", chars=300)


def test_a_ledger_of_ten_thousand_rows_is_read():
    rows = [["序号", "问题", "整改措施"]] + [[n, f"问题{n}", f"措施{n}"] for n in range(1, 10_001)]
    ledger = parse_document(make_xlsx(rows), "province.xlsx")
    assert len(ledger["sections"]) == 10_000
    assert ledger["sections"][-1]["label"] == "10000"


# --- Word, text and PDF ---------------------------------------------------------------------------


def test_a_word_file_past_its_paragraphs_characters_or_table_cells_is_refused():
    data = make_docx([f"第{n}段。" for n in range(10)], [["序号", "问题"], ["1", "问题一"], ["2", "问题二"]])
    assert "段落过多（超过 8 段）" in refused(data, "long.docx", paragraphs=8)
    assert "文字过多（超过 20 字）" in refused(data, "long.docx", chars=20)
    assert "单元格过多（超过 5 个）" in refused(data, "table.docx", cells=5)
    assert "表格的行数过多（超过 2 行）" in refused(data, "table.docx", rows=2)
    parse_document(data, "fine.docx", limits=ReadLimits(paragraphs=20, rows=3))


def test_a_word_file_whose_styles_are_too_large_is_refused():
    data = make_docx(["一、学习方面"])
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    assert "word/styles.xml 过大" in refused(data, "styles.docx", part_bytes=len(styles) - 1)


def test_a_text_file_past_its_characters_or_lines_is_refused():
    data = "\n".join(f"第{n}行文字" for n in range(50)).encode()
    assert "文字过多" in refused(data, "long.txt", chars=100)
    assert "段落过多（超过 10 段）" in refused(data, "long.txt", paragraphs=10)


def test_a_pdf_past_its_pages_or_characters_is_refused():
    page = [(72, 100, "Rectification report"), (72, 130, "1. Meeting records were incomplete.")]
    data = make_pdf([page, page, page])
    assert "PDF 页数过多（超过 2 页）" in refused(data, "long.pdf", pages=2)
    assert "文字过多" in refused(data, "long.pdf", chars=30)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.txt", "一、学习方面\n（一）学习不深入。".encode()),
        ("report.docx", make_docx(["一、学习方面", "（一）学习不深入。"])),
        ("ledger.xlsx", make_xlsx(LEDGER)),
        ("report.pdf", make_pdf([[(72, 100, "1. Meeting records were incomplete.")]])),
    ],
)
def test_reading_stops_at_its_deadline_in_every_format(name, data):
    message = refused(data, name, seconds=-1.0)  # a deadline already past
    assert "读取文件超过 -1 秒仍未完成" in message


def test_the_budget_looks_at_its_clock():
    now = [100.0]
    budget = Budget(ReadLimits(seconds=5), clock=lambda: now[0])
    budget.check_time()
    now[0] = 105.5
    with pytest.raises(TooLargeError, match="超过 5 秒"):
        budget.check_time()
