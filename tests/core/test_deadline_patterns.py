"""The ways rectification reports state a deadline (整改时限), each pattern named with a synthetic example.

A deadline is the date by which the work is to be finished, with the precision printed: ``2024-06-30``,
``2024-06``, ``2024``. A date the work was done on, a point of progress, the start of a period, a
recurring rule or a result counted for a year is none.
"""

from __future__ import annotations

import pytest

from zhenggai.core import phrases as ph
from zhenggai.core.parse import parse_document


def deadlines(text: str, year: int | None = None) -> list[str]:
    return ph.deadlines_in_text(text, year)


# ---- running text: a date and what is to be finished by then ---------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("month-end before + completion verb", "计划于2025年9月底前完成验收", ["2025-09"]),
        ("date before + any verb: 清退", "剩余14户2025年3月底前全部清退", ["2025-03"]),
        ("date before + any verb: 缴库", "剩余资金2024年6月底前缴库", ["2024-06"]),
        ("date before + object then verb", "年度报表2024年底前将数量压减三成", ["2024-12"]),
        ("day before", "2024年6月30日前完成资产登记", ["2024-06-30"]),
        ("date before, a comma, then the verb", "2024年6月底前，全面完成清查", ["2024-06"]),
        ("mid-month before", "2024年8月中旬前完成安装", ["2024-08"]),
        ("year-end before", "2025年底前化解完毕", ["2025-12"]),
        ("first half of a year", "2025年上半年完成改造", ["2025-06"]),
        ("second half of a year with a plan", "力争2024年下半年全部追回", ["2024-12"]),
        ("quarter", "预计2023年第三季度完成", ["2023-09"]),
        ("quarter without 第", "计划2023年四季度上线运行", ["2023-12"]),
        ("within a year", "2024年内完成轮训", ["2024-12"]),
        ("plan + bare year + completion verb", "计划2025年完成建设", ["2025"]),
        (
            "several deadlines in order",
            "2022年10月底前完成设计；2023年6月底前建成投用",
            ["2022-10", "2023-06"],
        ),
    ],
)
def test_deadline_in_running_text(pattern, text, expected):
    assert deadlines(text) == expected, pattern


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("completion date 已于", "已于2024年5月完成整改"),
        ("completion date 已于…前", "相关单位已于2023年9月底前清理完毕"),
        ("progress point 截至", "截至2024年6月底，已收回资金300万元"),
        ("start of a period 自…以来", "自2024年3月以来开展专项检查"),
        ("past reference: 前 + …的", "对2022年底前形成的欠款进行清理"),
        ("past reference: 以前", "2023年以前的历史遗留问题"),
        ("past statement: 前 + 未", "2024年6月前该单位未建立制度"),
        ("past statement after a comma", "2023年底前，该单位未建立台账"),
        ("result counted for a year", "2024年完成投资42.6亿元"),
        ("planned amount, not a completion", "预计2024年完成投资42亿元"),
        ("action month without 前", "2023年11月开展专题调研4次"),
        ("recurring rule", "今后每年12月底前开展一次资产盘点"),
        ("bare year without 前 or plan", "2025年建设改造管网18公里"),
    ],
)
def test_date_that_is_no_deadline(pattern, text):
    assert deadlines(text) == [], pattern


# ---- the report's year for a date printed without one ----------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "year", "expected"),
    [
        ("bare 年底前", "年底前完成设施安装", 2024, ["2024-12"]),
        ("bare month-end before", "12月底前全部支出", 2024, ["2024-12"]),
        ("bare month and day before", "确保12月10日前完成", 2020, ["2020-12-10"]),
        ("今年 month-end", "今年11月底前完成整改", 2025, ["2025-11"]),
        ("明年 month-end", "明年6月底前全部下达到位", 2024, ["2025-06"]),
        ("bare month after a plan word (_PLANNED_MONTH)", "计划10月提交党委会审定", 2024, ["2024-10"]),
        ("bare month after 力争于", "力争于11月完成验收", 2024, ["2024-11"]),
    ],
)
def test_year_from_the_report(pattern, text, year, expected):
    assert deadlines(text, year) == expected, pattern


@pytest.mark.parametrize(
    "text",
    ["年底前完成设施安装", "12月底前全部支出"],
)
def test_no_year_without_the_report_year(text):
    assert deadlines(text) == []


def test_bare_month_does_not_take_a_year_after_a_year_or_a_range():
    assert deadlines("2024年6月底前完成", 2020) == ["2024-06"]
    assert deadlines("今后每年12月底前盘点", 2020) == []


def test_a_month_after_a_plan_word_takes_no_year_for_a_span():
    """``_PLANNED_MONTH`` reads a month, not a count of months or a start: 计划12个月 / 预计3月份以来."""
    assert deadlines("计划12个月内完成", 2024) == []
    assert deadlines("预计3月份以来新增12户", 2024) == []


# ---- a range of dates in running text (_DATE_RANGE): done by its end --------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "year", "expected"),
    [
        ("range, end month only", "计划于2024年7月—12月完成划转手续", None, ["2024-12"]),
        ("range, end with its year", "2023年10月至2024年3月完成专项整治", None, ["2024-03"]),
        ("range ending at a month-end before", "2024年3月-6月底前全部清退", None, ["2024-06"]),
        ("range of bare months in the report's year", "计划9月至11月完成培训", 2024, ["2024-11"]),
    ],
)
def test_a_range_is_due_by_its_end(pattern, text, year, expected):
    assert deadlines(text, year) == expected, pattern


def test_a_past_period_stays_past_after_its_range_is_read():
    assert deadlines("自2023年3月至2024年6月，共完成整改12项") == []


# ---- a deadline in parentheses after a measure (DEADLINE_BEFORE_PHRASE) --------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text", "year", "expected"),
    [
        ("month-end before in parentheses", "制定年度学习计划（2023年9月底前）", None, ["2023-09"]),
        ("day before in parentheses", "修订制度（2024年6月30日前）", None, ["2024-06-30"]),
        ("year-end before + 完成 in parentheses", "建成实践基地（2024年底前完成）", None, ["2024-12"]),
        ("bare month in parentheses", "开展轮训（9月底前）", 2024, ["2024-09"]),
    ],
)
def test_a_deadline_in_parentheses_after_a_measure(pattern, text, year, expected):
    assert deadlines(text, year) == expected, pattern


def test_a_bare_year_in_parentheses_is_no_deadline():
    """A year alone in parentheses is a reference (（2023年）), not a time limit."""
    assert deadlines("修订2023年版制度（2023年）") == []


# ---- a 整改时限 value or a status phrase ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("month-end before", "2023年6月底前", "2023-06"),
        ("day", "2024年9月30日", "2024-09-30"),
        ("year end", "2022年底", "2022-12"),
        ("month end without 前", "2021年9月底", "2021-09"),
        ("first half", "2021年上半年", "2021-06"),
        ("quarter", "2026年第二季度", "2026-06"),
        ("within the year", "2020年内", "2020-12"),
        ("range of months", "2021年7月至12月", "2021-12"),
        ("range across years", "2022年6月至2023年6月", "2023-06"),
        ("range with a dash", "2022年3月—6月", "2022-06"),
        ("dotted date", "2022.6.30", "2022-06-30"),
        ("deadline then long-term", "2021年12月底前完成，并长期坚持", "2021-12"),
        ("first stage, then long-term", "2025年12月底前取得阶段性成效，并长期坚持", "2025-12"),
        ("two stages: the last", "2021年10月底前完成应急处理，2022年6月底前完成提标改造", "2022-06"),
        ("status with its date", "正在整改，2020年7月完成", "2020-07"),
        ("immediate with a date", "立行立改，2023年3月底前完成", "2023-03"),
        ("immediate", "立行立改", None),
        ("long-term", "长期坚持", None),
        ("immediate and long-term", "立行立改，长期坚持", None),
        ("known and changed at once", "即知即改", None),
        ("relative time", "15个工作日", None),
        ("placeholder", "x月x日前完成整改，今后长期坚持", None),
        ("completion date", "已于2024年5月完成整改", None),
        ("progress point", "截至2024年6月底已完成80%", None),
    ],
)
def test_deadline_in_a_value(pattern, value, expected):
    assert ph.deadline_in_phrase(value) == expected, pattern


def test_short_field_label_reads_as_the_deadline():
    assert ph.split_fields("时限：2025年10月") == [("时限", "2025年10月")]


# ---- in an item: where the deadline is read from --------------------------------------------------------
def _item(body: str, dated: str = "") -> dict:
    text = "关于巡察反馈意见整改情况的通报\n" + dated + "二、反馈问题整改落实情况\n" + body + "\n"
    ledger = parse_document(text.encode("utf-8"), "item.txt")
    return ledger["sections"][0]["children"][0]


def test_item_short_time_limit_field():
    node = _item("（一）阵地管理有漏洞。\n整改措施：排查新媒体账号。\n时限：2025年10月")
    assert node["deadline"] == "2025-10"


def test_item_completion_date_in_progress_is_no_deadline():
    node = _item("（一）未办理竣工决算。\n整改情况：已于2023年5月完成竣工决算审核，建立督办台账。")
    assert node["deadline"] is None
    assert node["status"] == "done"


def test_item_field_deadline_wins_over_a_completion_date():
    node = _item(
        "（一）选人用人不规范。\n整改措施：完善纪实。\n整改时限：2025年11月底前\n整改情况：已于2025年10月完成整改。"
    )
    assert node["deadline"] == "2025-11"


def test_item_bare_month_read_in_the_report_year():
    node = _item(
        "（一）专项债券资金闲置。\n整改情况：正在整改。剩余资金督促加快进度，12月底前全部支出。",
        dated="——2024年10月25日在县人大常委会会议上\n",
    )
    assert node["deadline"] == "2024-12"


def test_item_bare_month_time_limit_field_read_in_the_published_year():
    """A 整改时限 column flattened into text with a month only (整改时限：6月底前): the year of the page."""
    node = _item(
        "（一）合同管理不规范。\n整改措施：复核合同。\n整改时限：6月底前\n整改进展：正在推进。",
        dated="发布时间：2024-03-28\n",
    )
    assert node["deadline"] == "2024-06"


@pytest.mark.parametrize(
    ("pattern", "progress"),
    [
        ("done status with its completion month in parentheses", "已完成整改（2024年3月）。"),
        ("done status with a completion day after a comma", "已完成，2024年3月15日。"),
        ("dated completion with 完成整改 (_DONE_ON)", "已于2024年1月15日完成整改。"),
    ],
)
def test_item_completion_date_of_a_done_status_is_no_deadline(pattern, progress):
    node = _item("（一）采购预算不完整。\n整改措施：纳入必审内容。\n整改情况：" + progress)
    assert node["status"] == "done", pattern
    assert node["deadline"] is None, pattern


def test_item_done_status_with_a_date_still_due_keeps_it():
    """``completion_date_only``: a 前 or a plan word marks the date as the one that was due."""
    assert not ph.completion_date_only("已完成（2024年12月底前）")
    assert ph.completion_date_only("已完成整改（2024年3月）")
    assert not ph.completion_date_only("正在整改（2024年3月）")


def test_status_word_one_alternation_tells_a_dated_completion_from_a_phrase():
    """``_STATUS_WORD`` is one alternation of words that each open with a character (the engine skips
    to where one may start); a match that is no phrase of the table is ``已于…完成``."""
    found = [m.group(0) for m in ph._STATUS_WORD.finditer("已于2024年5月完成整改，其余正在整改")]
    assert found == ["已于2024年5月完成整改", "正在整改"]
    assert "已于2024年5月完成" not in ph._STATUS_OF_PHRASE
    assert ph.status_of("已于2024年5月完成整改") == "done"
    assert ph.status_of("部分已整改，已于2024年5月办结") == "in_progress"
    assert ph.status_of("计划2025年底前整改完成") is None


def test_trailing_status_is_searched_from_the_last_but_one_full_stop():
    """``_TRAILING_STATUS``, ``_COMMA_TRAILING_STATUS`` and ``_BARE_TRAILING_STATUS`` hold no full stop
    but the one they end with: searched from the last but one, they find what they find from the start."""
    assert ph.trailing_status("建立制度。完善台账。目前，该问题正在整改中，计划2025年底前完成。") == (
        "建立制度。完善台账。",
        "目前，该问题正在整改中，计划2025年底前完成。",
    )
    assert ph.trailing_status("建立制度，目前，正在整改中") == ("建立制度，", "目前，正在整改中")
    assert ph.trailing_status("建立制度。已整改完成。\n") == ("建立制度。", "已整改完成。")
    assert ph.trailing_status("目前，正在整改中。建立制度。") == ("目前，正在整改中。建立制度。", None)
    assert ph.trailing_status("已整改完成") == ("已整改完成", None)


def test_ordinal_statuses_need_an_ordinal_of_the_whole_text():
    """``_ORDINAL`` and ``_NAMED_ORDINAL`` found nowhere in the text: no clause holds one either."""
    assert ph.ordinal_statuses("第一时间整改，已完成。") == []
    assert ph.ordinal_statuses("第一，问题三已整改完成。") == [(3, "done", "问题三已整改完成")]
    assert [(n, s) for n, s, _ in ph.ordinal_statuses("第一、第二项已整改完成，第三项正在整改。")] == [
        (1, "done"),
        (2, "done"),
        (3, "in_progress"),
    ]


def test_glued_labels_and_trailing_fields_are_cut_after_the_full_stop():
    """``_GLUED_LABEL`` and ``_TRAILING_FIELD`` open with the full stop (group 1: the spaces after it)."""
    assert ph.split_labelled("问题：学习不够。 原因分析：重视不够。整改措施：加强学习。") == [
        "问题：学习不够。",
        "原因分析：重视不够。",
        "整改措施：加强学习。",
    ]
    assert ph.split_trailing_fields("定期研判。 整改时限：2022年12月") == (
        "定期研判。",
        [("整改时限", "2022年12月")],
    )


def test_trailing_status_needs_a_status_word_after_the_last_but_one_full_stop():
    """A text whose last sentence states no status word (``_STATUS_WORD``) has no trailing status."""
    assert ph.trailing_status("已整改完成。建立制度。目前，该问题涉及多个部门。") == (
        "已整改完成。建立制度。目前，该问题涉及多个部门。",
        None,
    )
    assert ph.trailing_status("建立制度。目前，已于2024年5月完成整改。") == (
        "建立制度。",
        "目前，已于2024年5月完成整改。",
    )


def test_word_lists_are_written_a_first_character_at_a_time_with_the_same_winner():
    """``_one_of`` (FIELD, _INLINE_FIELD, _GLUED_LABEL, _TRAILING_FIELD, _STATUS_WORD, STATUS_PAREN,
    STATUS_LEAD, _BARE_TRAILING_STATUS, STATUS_LEAD_COMMA, _NOT_STARTED): the words that start with
    one character are tried in their order, so the longer word listed first still wins."""
    import re

    words = ["问题表现", "责任单位", "问题", "责任人", "已完成阶段性", "已完成"]
    assert ph._one_of(words) == "问(?:题表现|题)|责(?:任单位|任人)|已(?:完成阶段性|完成)"
    grouped, plain = re.compile(ph._one_of(words)), re.compile("|".join(words))
    for text in ("问题表现：学习不够", "问题：学习不够", "责任人：王明", "已完成阶段性目标", "已完成", "无"):
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert ph.split_fields("问题表现：学习不够 责任单位：办公室") == [
        ("问题表现", "学习不够"),
        ("责任单位", "办公室"),
    ]
    assert ph.status_of("已完成阶段性目标") == "in_progress"
    assert (
        ph.STATUS_LEAD.match("目前，该问题已完成阶段性，正在推进。").group(1)
        == "目前，该问题已完成阶段性，正在推进"
    )


def test_status_clauses_without_a_status_word_keep_only_a_whole_yes_or_no():
    """``_STATUS_WORD`` found nowhere in the text: only a clause that is 是 / 否 / 完成 states a status."""
    assert ph.status_clauses("已制定办法，正在加快推进，2025年底前完成") == ["正在加快推进"]
    assert ph.status_clauses("制定办法， 是 ，否") == [" 是 ", "否"]
    assert ph.status_clauses("制定办法，建立台账") == []


def test_an_ordinal_reference_is_found_wherever_it_stands():
    """An ordinal (第二项) or a named one (问题三) anywhere gives a status; 第一时间 and 问题12个 none."""
    assert ph.ordinal_statuses("第二项已整改。")
    assert ph.ordinal_statuses("问题三已整改。")
    assert not ph.ordinal_statuses("第一时间整改，问题12个已整改。")


def test_dates_open_with_four_digits_written_out_so_the_engine_skips_to_a_digit():
    """``_DATE`` (DATE_IN_TEXT, DEADLINE_PHRASE, DEADLINE_BEFORE_PHRASE), ``_ISO`` and roundinfo's
    ``_YEAR`` open with ``(\\d\\d\\d\\d)``: the engine finds their start itself (no first-character
    test is made for them, core.lazy_re), and they read the same dates."""
    from zhenggai.core import roundinfo
    from zhenggai.core.lazy_re import first_characters

    for pattern in (ph.DATE_IN_TEXT, ph.DEADLINE_PHRASE, ph.DEADLINE_BEFORE_PHRASE, ph._ISO, roundinfo._YEAR):
        assert first_characters(pattern.compiled) is None, pattern
    assert ph.deadlines_in_text("计划于2025年9月底前完成，12345年不是年份") == ["2025-09"]
    assert ph.deadline_in_phrase("2024.6.30") == "2024-06-30"
    assert roundinfo._YEAR.findall("2023 年3月，2024年") == ["2023", "2024"]


def test_inline_fields_are_looked_for_only_after_another_colon():
    """``_INLINE_FIELD`` ends with its colon: a line with none after the first field holds one field."""
    assert ph.split_fields("责任单位：办公室 整改时限 2024年") == [("责任单位", "办公室 整改时限 2024年")]
    assert ph.split_fields("责任单位：办公室 整改时限:2024年") == [
        ("责任单位", "办公室"),
        ("整改时限", "2024年"),
    ]
    assert ph.split_fields("责任单位：办公室；责任人：王明。") == [("责任单位", "办公室"), ("责任人", "王明")]


# ---- a deadline field with a status sentence after its value -------------------------------------------
@pytest.mark.parametrize(
    ("paragraph", "status", "deadline"),
    [
        ("整改时限：2025年11月。目前已完成梳理，内控制度正在制定，预计按期完成。", "in_progress", "2025-11"),
        ("整改时限：2025年11月。目前正在整改。", "in_progress", "2025-11"),
        ("整改时限：2025年11月。已整改完成。", "done", "2025-11"),
    ],
    ids=["part-done-rest-under-way", "under-way", "done"],
)
def test_a_status_sentence_after_a_deadline_fields_value_is_the_status(paragraph, status, deadline):
    text = (
        "关于巡察整改情况的通报\n一、关于“采购不规范”的问题\n整改措施：一是梳理项目；二是建立内控制度。\n"
        + paragraph
        + "\n"
    )
    node = parse_document(text.encode("utf-8"), "r.txt")["sections"][0]
    assert (node["status"], node["deadline"]) == (status, deadline)
    assert len(node["measures"]) == 2


def test_a_deadline_fields_value_followed_by_prose_that_states_no_status_is_kept_whole():
    assert ph.status_after_field("整改时限", "2025年11月。每季度报送一次") == (
        "2025年11月。每季度报送一次",
        None,
    )
    assert ph.status_after_field("整改措施", "制定方案。正在整改") == ("制定方案。正在整改", None)


# ---- a time-limit field's value (field_deadline): the field says it is a deadline --------------------------
@pytest.mark.parametrize(
    ("pattern", "value", "year", "expected"),
    [
        ("quarter in figures", "2025年1季度", None, "2025-03"),
        ("numbered quarter in figures", "2024年第3季度", None, "2024-09"),
        ("day written with 号", "2025年6月30号前", None, "2025-06-30"),
        ("month-end alone: the report's year", "12月底", 2024, "2024-12"),
        ("month alone: the report's year", "10月", 2024, "2024-10"),
        ("within the year, no year printed", "年内", 2024, "2024-12"),
        ("within this year's term", "本年度内", 2024, "2024-12"),
        ("year-end before, no year printed", "年底前", 2024, "2024-12"),
        ("date in Chinese numerals", "二〇二四年十二月底前", None, "2024-12"),
        ("day in Chinese numerals", "二〇二五年六月三十日前", None, "2025-06-30"),
        ("month alone without the report's year", "12月底", None, None),
        ("a rule that recurs", "每月10日前", 2024, None),
        ("a span", "3个月内", 2024, None),
        ("a point of progress", "截至10月底已完成", 2024, None),
        ("long-term", "长期坚持", 2024, None),
    ],
)
def test_deadline_in_a_time_limit_field(pattern, value, year, expected):
    assert ph.field_deadline(value, year) == expected, pattern


def test_item_time_limit_field_with_a_month_alone_or_the_year_end_alone():
    first = _item(
        "（一）台账不全。\n整改措施：补齐台账。\n整改时限：12月底\n整改进展：正在推进。",
        dated="发布时间：2024-03-28\n",
    )
    assert first["deadline"] == "2024-12"
    second = _item("（一）台账不全。\n整改措施：补齐台账。\n整改时限：年内\n", dated="发布时间：2024-03-28\n")
    assert second["deadline"] == "2024-12"
