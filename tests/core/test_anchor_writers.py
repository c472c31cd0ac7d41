"""The history anchor in documents written by the core: printed, in the properties, and read back."""

from __future__ import annotations

import datetime
import io

import docx
import openpyxl

from zhenggai.core.writers.anchor import anchor_line, anchor_property, find_anchor
from zhenggai.core.writers.progress import render_progress_report
from zhenggai.core.writers.report_docx import ReportOptions, render_report
from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes, write_rounds_xlsx

ANCHOR = {
    "seq": 1234,
    "head_hash": "3f" * 32,
    "created_at": "2026-03-01T02:03:04.000005Z",
    "key_id": "0123456789abcdef",
    "signature": "q83vEjRWeJA+/" + "A" * 71 + "==",
}
LEDGER = {
    "schema": "zhenggai.ledger/1",
    "title": "关于巡察整改情况的报告",
    "round": {"target": "甲社区", "inspector": "县委第一巡察组", "feedback_date": "2026-01-05"},
    "sections": [
        {
            "label": "一、",
            "title": "党的建设方面",
            "children": [
                {
                    "label": "1.",
                    "title": "会议记录不规范。",
                    "problem": "会议记录不规范。",
                    "status": "done",
                    "measures": [{"text": "建立会议记录当场签字制度。", "status": "done"}],
                }
            ],
        }
    ],
}


def test_the_property_gives_the_whole_anchor_back_and_the_line_its_prefix():
    whole = find_anchor(f"<dc:description>{anchor_property(ANCHOR)}</dc:description>")
    assert whole is not None and whole.whole
    assert (whole.seq, whole.head_hash, whole.created_at, whole.key_id, whole.signature) == (
        1234,
        ANCHOR["head_hash"],
        ANCHOR["created_at"],
        ANCHOR["key_id"],
        ANCHOR["signature"],
    )
    line = anchor_line(ANCHOR)
    assert line == "变更记录锚点 #1234 3f3f3f3f3f3f3f3f… 签名密钥 0123456789abcdef"
    # as text taken out of a PDF may have it: spaced and broken
    printed = find_anchor(
        "2026 年 3 月 1 日\n变更记录 锚点 #1234 3f3f3f3f3f3f3f3f …\n签名密钥 0123456789abcdef"
    )
    assert printed is not None and not printed.whole
    assert printed.matches("3f" * 32) and not printed.matches("3f" * 7 + "00" * 25)
    assert find_anchor("变更记录") is None


def test_the_report_prints_the_anchor_under_the_signature_and_keeps_it_whole_in_its_properties():
    options = ReportOptions(issuer="中共甲社区委员会", date=datetime.date(2026, 3, 1), anchor=ANCHOR)
    document = docx.Document(io.BytesIO(render_report(LEDGER, options)))
    texts = [p.text for p in document.paragraphs]
    assert texts[-1] == anchor_line(ANCHOR) and texts[-3] == "2026年3月1日"
    assert document.core_properties.comments == anchor_property(ANCHOR)
    # The date keeps the anchor with it: the anchor never stands on a page of its own.
    keep = [p.paragraph_format.keep_with_next for p in document.paragraphs[-3:]]
    assert keep == [True, True, None]


def test_a_document_without_an_anchor_has_none():
    document = docx.Document(io.BytesIO(render_report(LEDGER, ReportOptions(issuer="中共甲社区委员会"))))
    assert not any("变更记录锚点" in p.text for p in document.paragraphs)
    assert document.core_properties.comments == ""
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx_bytes(LEDGER)))
    assert not book.properties.description


def test_the_progress_report_prints_it_before_the_attachment():
    options = ReportOptions(issuer="中共甲社区委员会", date=datetime.date(2026, 3, 1), anchor=ANCHOR)
    data = render_progress_report(LEDGER, options, datetime.date(2026, 3, 1))
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts.index(anchor_line(ANCHOR)) == texts.index("2026年3月1日") + 2 < texts.index("附件")


def test_the_ledger_workbook_holds_it_in_its_properties_and_under_each_table():
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx_bytes(LEDGER, anchor=ANCHOR)))
    assert book.properties.description == anchor_property(ANCHOR)
    sheet = book.worksheets[0]
    assert sheet.cell(sheet.max_row, 1).value == anchor_line(ANCHOR)
    assert sheet.cell(sheet.max_row - 1, 1).value is None  # an empty row ends the table first
    buffer = io.BytesIO()
    write_rounds_xlsx([LEDGER, {**LEDGER, "round": {"target": "乙社区"}}], buffer, anchor=ANCHOR)
    book = openpyxl.load_workbook(buffer)
    assert [s.cell(s.max_row, 1).value for s in book.worksheets] == [anchor_line(ANCHOR)] * 2
