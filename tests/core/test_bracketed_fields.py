"""Fields as web ledgers print them: each name in square brackets at the start of its line
(【问题一】… 【整改措施】一是… 【整改期限】… 【整改结果】…), read as the names with a colon."""

from __future__ import annotations

import pytest

from zhenggai.core import phrases as ph
from zhenggai.core.numbering import parse_label
from zhenggai.core.parse import parse_document

REPORT = """关于任期经济责任审计发现问题整改情况的报告
县审计局：
贵局于2024年9月对我镇原镇长某某同志任期经济责任履行情况进行了审计。现将整改情况报告如下：
一、审计发现问题的整改情况
【问题一】重大经济事项决策程序不规范。3项工程未经集体研究。
【整改措施】一是修订集体决策实施办法；二是对相关责任人进行约谈。
【整改期限】立行立改
【整改结果】已整改。
【问题二】往来款长期挂账未清理，涉及金额218.6万元。
【整改措施】一是逐笔核实往来款项；二是限期收回；三是按程序报批核销。
【整改期限】2025年6月30日
【整改结果】正在整改。已清理126.4万元。
二、下一步工作
我镇将进一步健全财务管理制度。
"""


@pytest.mark.parametrize(
    ("line", "label", "number", "rest"),
    [
        ("【问题一】决策程序不规范。", "【问题一】", 1, "决策程序不规范。"),
        ("【问题12】台账不全。", "【问题12】", 12, "台账不全。"),
        ("［问题三］：会议记录不全。", "［问题三］：", 3, "会议记录不全。"),
        ("问题二：台账不全。", "问题二：", 2, "台账不全。"),
    ],
    ids=["cn-numeral", "digits", "full-width-square-and-colon", "plain-colon-form"],
)
def test_a_problem_numbered_by_name_in_brackets_is_a_label(line, label, number, rest):
    found = parse_label(line)
    assert found is not None
    assert (found.style, found.label, found.number, found.rest) == ("wenti", label, number, rest)


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("【整改措施】一是修订办法；二是约谈。", "整改措施：一是修订办法；二是约谈。"),
        ("【整改期限】2025年1月", "整改期限：2025年1月"),
        ("［整改结果］：已整改。", "整改结果：已整改。"),
        ("　【责任单位】镇财政所", "　责任单位：镇财政所"),
    ],
    ids=["measures-marker", "deadline-field", "full-width-square-with-colon", "indented-field"],
)
def test_a_bracketed_field_name_reads_as_the_name_and_a_colon(line, read):
    assert ph.unbracketed(line) == read


@pytest.mark.parametrize(
    "line",
    ["【打印本页】【关闭窗口】", "【字体：大 中 小】", "【典型案例】某某违规发放补贴", "正文【整改措施】"],
)
def test_brackets_that_name_no_field_are_left_alone(line):
    assert ph.unbracketed(line) == line


def test_a_report_whose_every_field_is_bracketed_gives_its_findings():
    ledger = parse_document(REPORT.encode("utf-8"), "report.txt")
    first, second = ledger["sections"][0]["children"]
    assert (first["label"], first["number"], first["title"]) == (
        "【问题一】",
        1,
        "重大经济事项决策程序不规范。",
    )
    assert [m["text"] for m in first["measures"]] == ["修订集体决策实施办法", "对相关责任人进行约谈。"]
    assert (first["status"], first["deadline"]) == ("done", None)
    assert len(second["measures"]) == 3
    assert (second["status"], second["deadline"]) == ("in_progress", "2025-06-30")
    assert ledger["sections"][1]["measures"] == []


WRAPPED = """关于任期经济责任审计发现问题整改情况的报告
一、审计发现问题的整改情况
【问题一】国有资产管理不到位，镇政府有2处房产出租未经评
估、未公开招租，租金收入未及时上缴。
【整改措施】一是委托第三方机构对出租房产进行评估；二是待
现有租赁合同到期后公开招租；三是追缴租金收入4.8万元。
【整改期限】2025年12月
【整改结果】部分整改。已追缴租金4.8万元，完成房产评估，
待合同到期后公开招租。
【問題二】政府投资项目管理不规范，2个项目未按规定办理竣
工决算。
【整改措施】委托中介机构编制竣工决算，并报县财政局审核。
【整改期限】2025年3月底
【整改结果】已整改。
"""


def test_a_hard_wrapped_copy_opens_a_paragraph_at_each_bracketed_field():
    """A line that filled the page's width and ends a sentence, then 【整改期限】…: the field is a
    paragraph of its own, not the end of the last measure (問題 as a traditional copy prints it)."""
    ledger = parse_document(WRAPPED.encode("utf-8"), "report.txt")
    first, second = ledger["sections"][0]["children"]
    assert (len(first["measures"]), first["status"], first["deadline"]) == (3, "in_progress", "2025-12")
    assert (second["label"], len(second["measures"]), second["status"], second["deadline"]) == (
        "【問題二】",
        1,
        "done",
        "2025-03",
    )


@pytest.mark.parametrize(
    "line",
    [
        "二是修订制度。（责任领导：张某；整改时限：2024年12月）",
        "某某问题（整改时限：2024年12月底前） 。",
        "整改进展：正在推进。(整改时限：2024年12月)；\u3000\n",
        "二是修订制度（责任领导：张某）。一是加强学习。",
        "整改时限：2024年12月（已完成）",
        "整改进展：正在推进",
    ],
)
def test_closing_bracket_test_agrees_with_bracketed_fields(line):
    """``_closes_bracket`` holds for every line _BRACKETED_FIELDS finds fields at the end of (a
    closing bracket, then white space and full stops only), so the test before it loses none."""
    if ph._BRACKETED_FIELDS.search(line):
        assert ph._closes_bracket(line)
    assert ph._closes_bracket(line) == (line.rstrip("\u3000 \n。；;")[-1:] in ("）", ")"))
