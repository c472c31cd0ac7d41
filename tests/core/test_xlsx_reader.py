"""The workbook reader: header found by column names, merged problem cells, date precision."""

from __future__ import annotations

import datetime as dt

from _core_support import DEV, make_xlsx, needs_shared

from zhenggai.core.parse import parse_document
from zhenggai.core.tables import column_roles, date_with_format


def test_header_variants_are_recognised():
    roles = column_roles(
        ["编号", "存在问题", "具体措施", "责任人", "牵头单位", "时限要求", "整改进展", "完成情况"]
    )
    assert roles == {
        "seq": 0,
        "problem": 1,
        "measure": 2,
        "owner": 3,
        "department": 4,
        "deadline": 5,
        "progress": 6,
        "status": 7,
    }


def test_a_problem_merged_over_its_measure_rows():
    rows = [
        ["某局整改台账"],
        ["序号", "问题描述", "整改措施", "责任领导", "责任单位", "完成时限", "是否完成"],
        [1, "学习不深入，计划针对性不强。", "制定计划", "张三", "办公室", dt.datetime(2024, 6, 30), "是"],
        [None, None, "开展研讨", None, "机关党委", None, None],
        [2, "台账不全。", "补齐台账", "李四", "财务科", "长期坚持", "否"],
        ["备注：是否完成填是或否"],
    ]
    data = make_xlsx(rows, merges=["A1:G1", "A3:A4", "B3:B4", "D3:D4", "F3:F4", "G3:G4", "A6:G6"])
    ledger = parse_document(data, "ledger.xlsx")
    assert ledger["title"] == "某局整改台账"
    first, second = ledger["sections"]
    assert [m["text"] for m in first["measures"]] == ["制定计划", "开展研讨"]
    assert [m["owner"] for m in first["measures"]] == ["张三", "张三"]
    assert [m["department"] for m in first["measures"]] == ["办公室", "机关党委"]
    assert (first["status"], first["deadline"]) == ("done", "2024-06-30")
    assert (second["status"], second["deadline"], second["long_term"]) == ("in_progress", None, True)
    assert "备注" in ledger["metadata"]["表格附注"]


def test_date_precision_follows_the_number_format():
    day = dt.datetime(2024, 12, 31)
    assert date_with_format(day, 'yyyy"年"m"月"d"日"') == "2024-12-31"
    assert date_with_format(day, 'yyyy"年"m"月"') == "2024-12"
    assert date_with_format(day, "yyyy/m/d") == "2024-12-31"
    assert date_with_format(day, "yyyy") == "2024"


@needs_shared
def test_the_two_sheet_ledger_reads_one_node_per_sheet():
    ledger = parse_document((DEV / "d04.xlsx").read_bytes(), "d04.xlsx")
    assert [len(n["children"]) for n in ledger["sections"]] == [10, 6]
    assert [n["level"] for n in ledger["sections"][0]["children"]] == [2] * 10
    assert ledger["round"]["inspector"] == "市委第二巡察组"


def test_a_sheet_without_a_ledger_header_is_read_as_text():
    data = make_xlsx(
        [["关于整改情况的报告"], ["一、学习方面"], ["（1）学习不深入。"], ["整改措施：制定计划。"]]
    )
    ledger = parse_document(data, "report.xlsx")
    assert ledger["sections"][0]["children"][0]["measures"][0]["text"] == "制定计划。"
