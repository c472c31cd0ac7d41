"""The Word reader: paragraphs in order, tables, and automatic numbering printed back as labels."""

from __future__ import annotations

from _core_support import DEV, make_docx, needs_shared

from zhenggai.core.parse import parse_document
from zhenggai.core.readers.docx import _format, _Level, _Numbering, read_docx


def test_paragraphs_come_in_document_order():
    data = make_docx(
        ["关于整改情况的报告", "一、学习方面", "（一）学习不深入。", "整改措施：一是制定计划；二是开展研讨。"]
    )
    assert read_docx(data).blocks == [
        "关于整改情况的报告",
        "一、学习方面",
        "（一）学习不深入。",
        "整改措施：一是制定计划；二是开展研讨。",
    ]
    ledger = parse_document(data, "r.docx")
    assert len(ledger["sections"][0]["children"][0]["measures"]) == 2


def test_a_ledger_table_in_a_word_file_becomes_problems():
    data = make_docx(
        ["某局巡察整改台账"],
        [
            ["序号", "问题", "整改措施", "责任领导", "完成时限"],
            ["1", "学习不深入。", "制定计划", "张三", "2024年6月底前"],
        ],
    )
    ledger = parse_document(data, "t.docx")
    node = ledger["sections"][0]
    assert (node["number"], node["title"], node["deadline"]) == (1, "学习不深入。", "2024-06")
    assert node["measures"][0]["owner"] == "张三"


def test_list_numbering_formats():
    assert _format(3, "chineseCounting") == "三"
    assert _format(12, "chineseCounting") == "十二"
    assert _format(2, "decimalEnclosedCircle") == "②"
    assert _format(3, "decimalEnclosedParen") == "⑶"  # GB 2312's one-character numbers, as labels read
    assert _format(3, "decimalEnclosedFullstop") == "⒊"
    assert _format(21, "decimalEnclosedParen") == "21"
    assert _format(4, "upperRoman") == "IV"
    assert _format(2, "lowerLetter") == "b"


def test_list_counters_restart_below_a_higher_level():
    numbering = _Numbering(
        abstract={
            "1": {
                0: _Level("chineseCounting", "%1、"),
                1: _Level("chineseCounting", "（%2）"),
                2: _Level("decimal", "%3."),
            }
        },
        nums={"7": "1"},
    )
    labels = [numbering.label("7", lvl) for lvl in (0, 1, 2, 2, 1, 2, 0, 1)]
    assert labels == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）"]


@needs_shared
def test_the_word_report_gets_its_printed_labels_from_numbering_xml():
    blocks = read_docx((DEV / "d03.docx").read_bytes()).blocks
    assert "一、整改工作组织推进情况" in blocks
    assert any(str(b).startswith("（一）提高站位") for b in blocks)
    assert any(str(b).startswith("3.安全生产监管存在盲区") for b in blocks)
    ledger = parse_document((DEV / "d03.docx").read_bytes(), "d03.docx")
    assert [n["label"] for n in ledger["sections"]] == ["一、", "二、", "三、"]
