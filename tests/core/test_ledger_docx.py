"""The 整改台账 as a Word table: landscape A4, the workbook's columns in the office's order, the
header row repeated on each page, a problem's own cells merged down over its measures; and the
same rows as plain text."""

from __future__ import annotations

import io
import re
import zipfile

from zhenggai.core.writers.ledger_docx import ledger_text, render_ledger_docx
from zhenggai.core.writers.xlsx_ledger import COLUMN_NAMES, DEFAULT_ORDER

LEDGER = {
    "schema": "zhenggai.ledger/1",
    "title": "关于X社区党工委巡察反馈问题整改台账",
    "round": {"kind": "巡察", "inspector": "县委第一巡察组", "target": "X社区党工委"},
    "sections": [
        {
            "label": "一、",
            "number": 1,
            "title": "党的领导弱化",
            "problem": None,
            "children": [
                {
                    "label": "1.",
                    "number": 1,
                    "title": "学习制度落实不到位",
                    "problem": "学习制度落实不到位，理论学习中心组学习流于形式。",
                    "status": "in_progress",
                    "deadline": "2020-09",
                    "measures": [
                        {
                            "text": "制定年度学习计划",
                            "owner": "王书记",
                            "department": "党政办",
                            "doer": "赵六",
                        },
                        {"text": "建立学习台账", "owner": "王书记", "department": "党政办", "status": "done"},
                    ],
                },
                {
                    "label": "2.",
                    "number": 2,
                    "title": "三重一大制度执行不严",
                    "problem": "三重一大制度执行不严",
                    "status": "done",
                    "measures": [{"text": "修订议事规则", "owner": "李主任", "deadline": "2020-07"}],
                },
            ],
        }
    ],
}
ORDER = ["seq", "problem", "status", "measure", "doer", "owner", "department", "partners", "deadline"]


def _document(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def _header_cells(xml: str) -> list[str]:
    row = re.search(r"<w:tr>(?:(?!</w:tr>).)*?<w:tblHeader/>.*?</w:tr>", xml, re.S)
    assert row, "no header row"
    return [
        "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c))
        for c in re.findall(r"<w:tc>.*?</w:tc>", row.group())
    ]


def test_the_columns_are_the_workbooks_in_the_offices_order():
    assert _header_cells(_document(render_ledger_docx(LEDGER))) == [COLUMN_NAMES[k] for k in DEFAULT_ORDER]
    assert _header_cells(_document(render_ledger_docx({**LEDGER, "column_order": ORDER}))) == [
        COLUMN_NAMES[k] for k in ORDER
    ]
    assert _header_cells(_document(render_ledger_docx(LEDGER, column_order=ORDER))) == [
        COLUMN_NAMES[k] for k in ORDER
    ]


def test_the_page_is_landscape_a4_and_the_header_repeats():
    xml = _document(render_ledger_docx(LEDGER))
    size = re.search(r"<w:pgSz [^>]*/>", xml).group()
    assert 'w:w="16838"' in size and 'w:h="11906"' in size and 'w:orient="landscape"' in size
    assert xml.count("<w:tblHeader/>") == 1  # the first row, repeated by Word on every page
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
    assert 'w:eastAsia="黑体"' in xml  # the header row


def test_a_problems_own_cells_are_merged_over_its_measures():
    xml = _document(render_ledger_docx(LEDGER))
    # 序号, 问题, 整改时限 (shared) and 完成情况 of problem 1 span its two measures.
    assert xml.count('<w:vMerge w:val="restart"/>') == 4
    assert xml.count("<w:vMerge/>") == 4
    assert xml.index("制定年度学习计划") < xml.index("建立学习台账") < xml.index("修订议事规则")
    assert "学习制度落实不到位，理论学习中心组学习流于形式。" in xml
    assert '<w:gridSpan w:val="11"/>' in xml  # the heading 一、 across the table


def test_the_anchor_is_printed_under_the_table():
    anchor = {
        "seq": 7,
        "head_hash": "ab" * 32,
        "key_id": "k1",
        "signature": "s",
        "created_at": "2026-01-01T00:00:00Z",
    }
    xml = _document(render_ledger_docx(LEDGER, anchor=anchor))
    assert "变更记录锚点 #7" in xml


def test_the_plain_text_gives_each_measure_its_columns_in_order():
    text = ledger_text(LEDGER, column_order=ORDER)
    lines = text.splitlines()
    assert lines[0] == LEDGER["title"]
    assert "1.学习制度落实不到位" in text and "一、党的领导弱化" in lines
    first = text.index("措施1")
    block = text[first : text.index("措施2")]
    assert (
        block.index("整改措施：制定年度学习计划")
        < block.index("具体责任人：赵六")
        < block.index("责任领导：王书记")
    )
    assert "完成情况：正在整改" in text and "整改时限：2020年9月" in text
    text.encode("utf-8")


def test_the_word_ledger_reads_back_into_the_same_tree():
    from zhenggai.core.parse import parse_document

    for order in (None, ORDER):
        back = parse_document(render_ledger_docx(LEDGER, column_order=order), "台账.docx")
        (head,) = back["sections"]
        assert (head["label"], head["title"]) == ("一、", "党的领导弱化")
        first, second = head["children"]
        assert first["problem"] == LEDGER["sections"][0]["children"][0]["problem"]
        assert (first["status"], first["deadline"]) == ("in_progress", "2020-09")
        assert [(m["text"], m.get("owner"), m.get("doer")) for m in first["measures"]] == [
            ("制定年度学习计划", "王书记", "赵六"),
            ("建立学习台账", "王书记", None),
        ]
        assert (second["status"], second["deadline"]) == ("done", "2020-07")


def test_a_large_ledger_is_written_in_linear_time():
    import copy
    import time

    ledger = copy.deepcopy(LEDGER)
    problems = ledger["sections"][0]["children"]
    for n in range(3, 401):
        problems.append({**copy.deepcopy(problems[0]), "label": f"{n}.", "number": n})
    start = time.perf_counter()
    data = render_ledger_docx(ledger)
    assert time.perf_counter() - start < 10  # 0.2 s here; moving the table into python-docx took 40 s
    assert _document(data).count("<w:tr>") == 1 + 2 * 399 + 1 + 1  # the heading row, and problem 2


def test_the_anchor_reads_back_from_the_word_ledger(tmp_path):
    from zhenggai.history.anchors import read_anchor

    anchor = {
        "seq": 9,
        "head_hash": "cd" * 32,
        "created_at": "2026-03-01T02:03:04.000005Z",
        "key_id": "0123456789abcdef",
        "signature": "q83vEjRWeJA+/" + "A" * 71 + "==",
    }
    path = tmp_path / "台账.docx"
    path.write_bytes(render_ledger_docx(LEDGER, anchor=anchor))
    found = read_anchor(path)
    assert found.seq == 9 and found.head_hash == "cd" * 32
