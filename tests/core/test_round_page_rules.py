"""Round fields read as the genre prints them (core.roundinfo, core.titles): each test names the
pattern it holds."""

from __future__ import annotations

from zhenggai.core.parse import parse_document
from zhenggai.core.roundinfo import auditor_of_page, new_round, read_round
from zhenggai.core.titles import clean_title


def test_the_feedback_told_dates_the_round_where_a_feedback_named_before_it():
    """根据…关于巡察反馈工作的安排，6月18日，巡察组向…反馈: the date stands before the 反馈 told."""
    preamble = (
        "根据学校党委统一部署，2025年4月8日至5月16日，校党委第三巡察组对化学化工学院开展了常规巡察。"
        "根据学校党委巡察工作领导小组关于四届党委第二轮巡察反馈工作的安排，6月18日，校党委第三巡察组"
        "向化学化工学院党委反馈巡察情况。"
    )
    rnd = read_round("关于校党委巡察整改进展情况的通报", preamble)
    assert rnd["feedback_date"] == "2025-06-18"
    assert rnd["inspector"] == "校党委第三巡察组"


def test_an_audit_investigation_report_issued_is_the_audits_feedback():
    """出具《…专项审计调查报告》 delivers an audit's findings as 出具《…审计报告》 does."""
    preamble = (
        "2025年6月18日，贵局出具《榆州市审计局专项审计调查报告》（榆审调报〔2025〕12号），"
        "通报了我县2024年度乡村振兴衔接资金管理使用中存在的问题。"
    )
    rnd = read_round("溪口县人民政府关于2024年度乡村振兴衔接资金专项审计调查发现问题整改情况的函", preamble)
    assert rnd["kind"] == "审计"
    assert rnd["feedback_date"] == "2025-06-18"


def test_a_year_range_in_a_title_is_not_a_speech_note():
    """2022—2024年度 in a title is the period audited; ——2025年…在…会议上 after it is a speech note."""
    title = "岚河县中医医院关于2022—2024年度财务收支审计发现问题整改情况的公告"
    assert clean_title(title) == title
    speech = "关于2024年度预算执行审计查出问题整改情况的报告——2025年12月18日在区人大常委会会议上"
    assert clean_title(speech) == "关于2024年度预算执行审计查出问题整改情况的报告"


def test_the_audit_office_a_page_names_as_its_source_is_the_auditor():
    """来源：某区审计局 over an audit's results whose text names no auditor."""
    text = (
        "江汀区2025年度审计查出问题整改情况\n"
        "来源：江汀区审计局    发布时间：2026-06-29\n"
        "按照区委审计委员会的部署，现将2025年度区级预算执行和其他财政收支审计查出问题的整改情况公告如下。\n"
        "一、审计查出问题的整改情况\n"
        "1.部分单位非税收入未及时上缴。整改情况：已全部缴入国库。（已整改）\n"
    )
    ledger = parse_document(text.encode("utf-8"), "audit.txt")
    assert ledger["round"]["kind"] == "审计"
    assert ledger["round"]["inspector"] == "江汀区审计局"


def test_a_source_that_is_no_audit_office_or_a_round_that_is_no_audit_names_no_auditor():
    audit = new_round()
    audit["kind"] = "审计"
    assert auditor_of_page(audit, {"来源": "江汀区人民政府办公室"}) is None
    assert auditor_of_page(audit, {"信息来源": "江汀区审计局"}) == "江汀区审计局"
    inspection = new_round()
    inspection["kind"] = "巡察"
    assert auditor_of_page(inspection, {"来源": "江汀区审计局"}) is None
    named = dict(audit, inspector="市审计局")
    assert auditor_of_page(named, {"来源": "江汀区审计局"}) is None  # type: ignore[arg-type]


def test_what_a_body_asked_for_joined_to_the_group_is_not_the_inspectors_name():
    """根据区委要求和区委第一巡察组反馈的问题: the group alone."""
    rnd = read_round(
        None,
        "4月29日，徐行镇召开巡察整改动员部署会议，传达区委巡察整改工作会议精神，"
        "根据区委要求和区委第一巡察组反馈的问题，研究部署徐行镇巡察反馈问题整改工作。",
    )
    assert rnd["inspector"] == "区委第一巡察组"
