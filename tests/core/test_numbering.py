"""Numbering labels in every form reports print."""

from __future__ import annotations

import pytest

from zhenggai.core.numbering import bare_label, cn_number, forget_labels, parse_label, to_cn


@pytest.mark.parametrize(
    ("line", "style", "number", "label", "rest"),
    [
        ("一、贯彻落实不到位", "cn", 1, "一、", "贯彻落实不到位"),
        ("十一、财务管理", "cn", 11, "十一、", "财务管理"),
        ("一、2023年以来会议记录不规范", "cn", 1, "一、", "2023年以来会议记录不规范"),
        ("二十三．其他", "cn", 23, "二十三．", "其他"),
        ("（一）提高站位", "cn_paren", 1, "（一）", "提高站位"),
        ("(二)全程跟踪", "cn_paren", 2, "(二)", "全程跟踪"),
        ("（ 三 ）注重总结", "cn_paren", 3, "（三）", "注重总结"),
        ("1.落实决策部署", "ar", 1, "1.", "落实决策部署"),
        ("11.财务管理方面", "ar", 11, "11.", "财务管理方面"),
        ("2．全角点", "ar", 2, "2．", "全角点"),
        ("3、顿号", "ar", 3, "3、", "顿号"),
        ("1. 市科技馆", "ar", 1, "1.", "市科技馆"),
        ("（1）重点工作", "ar_paren", 1, "（1）", "重点工作"),
        ("(12)半角括号", "ar_paren", 12, "(12)", "半角括号"),
        ("3）右括号", "ar_rparen", 3, "3）", "右括号"),
        ("①第一项", "circled", 1, "①", "第一项"),
        ("⑫第十二项", "circled", 12, "⑫", "第十二项"),
        ("第一部分 总体情况", "part", 1, "第一部分", "总体情况"),
        ("第三章、问题", "part", 3, "第三章、", "问题"),
        ("\u3000\u3000（四）缩进的标题", "cn_paren", 4, "（四）", "缩进的标题"),
        ("7．个别干部服务群众意识不强。", "ar", 7, "7．", "个别干部服务群众意识不强。"),  # 个别 is a word
        ("5、个人事项报告不准确", "ar", 5, "5、", "个人事项报告不准确"),
        ("6.年轻干部储备不足", "ar", 6, "6.", "年轻干部储备不足"),
        ("3．日常监督不到位", "ar", 3, "3．", "日常监督不到位"),
        # the numbers GB 2312 encodes as one character, in the style of the labels they stand for
        ("⑴制定学习计划", "ar_paren", 1, "⑴", "制定学习计划"),
        ("⒇第二十项", "ar_paren", 20, "⒇", "第二十项"),
        ("⒉青年干部理论学习针对性不强", "ar", 2, "⒉", "青年干部理论学习针对性不强"),
        ("\u3000\u3000㈢坚持开门整改", "cn_paren", 3, "㈢", "坚持开门整改"),
        ("㈩第十项", "cn_paren", 10, "㈩", "第十项"),
    ],
)
def test_it_reads_every_numbering_form(line, style, number, label, rest):
    found = parse_label(line)
    assert found is not None
    assert (found.style, found.number, found.label, found.rest) == (style, number, label, rest)


@pytest.mark.parametrize(
    "line",
    [
        "2019年县扫黑办对社区",
        "1.68亿元已缴入国库",
        "一是制定方案",
        "3、4月份开展",
        "整改情况：一是",
        "10%的问题",
        "一、",
        "一、二季度完成",
        "三、四月份开展",
        "一.5倍",
        "3、个问题已整改",  # a count cut by a line break
        "2.年以来",
    ],
)
def test_it_does_not_take_prose_for_a_label(line):
    assert parse_label(line) is None


def test_chinese_numerals_round_trip():
    for n in range(1, 100):
        assert cn_number(to_cn(n)) == n
    assert cn_number("一百零五") == 105


def test_a_ledger_sequence_cell_is_a_bare_number_or_a_printed_label():
    assert bare_label("7").number == 7
    assert bare_label("（3）").label == "（3）"
    assert bare_label("备注") is None


def test_problems_numbered_by_name_are_labels():
    """检视清单 and 整改方案 number their problems by name: 问题一：… 问题2：…"""
    first = parse_label("问题一：理论学习不够深入。")
    assert first is not None and (first.style, first.number, first.rest) == ("wenti", 1, "理论学习不够深入。")
    second = parse_label("问题 12：台账管理不规范")
    assert second is not None and (second.style, second.number) == ("wenti", 12)
    # A sentence about problems by their numbers is no label: 问题一、问题三已整改完成。
    assert parse_label("问题一、问题三已整改完成。") is None
    assert parse_label("问题：台账不全") is None


def test_a_line_asked_about_again_gets_the_same_answer_found_or_not():
    """parse_label remembers each line's label (or its lack of one) for the document being read."""
    forget_labels()
    first = parse_label("（三）整改措施落实不到位")
    assert first is not None and parse_label("（三）整改措施落实不到位") is first
    assert parse_label("整改措施落实不到位") is None and parse_label("整改措施落实不到位") is None
    forget_labels()
    assert parse_label("（三）整改措施落实不到位") == first
