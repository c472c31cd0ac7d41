"""Round fields (kind, inspector, target, feedback date) in the shapes real preambles print them."""

from __future__ import annotations

from zhenggai.core.parse import parse_document
from zhenggai.core.roundinfo import read_round, round_and_warning


def test_on_site_sentence_with_a_long_target_list():
    rnd = read_round(
        "关于巡察整改情况的通报",
        "根据县委统一部署，县委第二巡察组对县甲局、县乙局、县丙中心、县丁委、县戊办等12个单位党组织开展了常规巡察。",
    )
    assert rnd["inspector"] == "县委第二巡察组"
    assert rnd["target"] == "县甲局、县乙局、县丙中心、县丁委、县戊办等12个单位党组织"


def test_on_site_sentence_with_a_qualifier_holding_digits():
    rnd = read_round("关于巡察整改情况的通报", "区委第一巡察组对某街道党工委开展了2024年第二轮巡察。")
    assert (rnd["inspector"], rnd["target"]) == ("区委第一巡察组", "某街道党工委")
    rnd = read_round("关于巡察整改情况的通报", "县委第三巡察组对某镇党委开展了十四届县委第3轮巡察。")
    assert rnd["target"] == "某镇党委"


def test_the_target_starts_after_the_last_dui_when_an_earlier_one_belongs_to_the_clause():
    rnd = read_round(None, "按照县委对巡察工作的部署县委第二巡察组对某局党组进行了巡察。")
    assert rnd["target"] == "某局党组"


def test_an_inspector_named_only_in_a_feedback_sentence_without_xiang():
    rnd = read_round(
        "关于巡察整改情况的通报", "2024年4月，县委巡察办组织了巡察。7月10日，县委第二巡察组反馈了巡察意见。"
    )
    assert rnd["inspector"] == "县委第二巡察组"
    assert rnd["feedback_date"] == "2024-07-10"


def test_an_inspector_given_as_a_count_of_groups():
    rnd = read_round(
        "关于省委巡视整改进展情况的通报", "根据省委统一部署，省委派出3个巡视组对某市开展了常规巡视。"
    )
    assert rnd["inspector"] == "省委巡视组"
    assert rnd["target"] == "某市"
    rnd = read_round("关于巡察整改情况的通报", "区委4个巡察组向40家被巡察单位党组织反馈了巡察情况。")
    assert rnd["inspector"] == "区委巡察组"


def test_an_environmental_inspection_group_without_ordinal():
    rnd = read_round(
        "关于中央生态环境保护督察反馈意见整改落实情况的报告",
        "2023年11月，中央生态环境保护督察组对某省开展了第三轮督察。",
    )
    assert (rnd["kind"], rnd["inspector"], rnd["target"]) == ("督察", "中央生态环境保护督察组", "某省")


def test_an_audit_office_of_the_national_audit_office():
    rnd = read_round(
        "关于审计发现问题整改情况的公告", "审计署驻某地特派员办事处对某局2023年度预算执行情况进行了审计。"
    )
    assert (rnd["kind"], rnd["inspector"], rnd["target"]) == ("审计", "审计署驻某地特派员办事处", "某局")
    assert read_round("审计署某地特派办审计发现问题整改情况", None)["inspector"] == "审计署某地特派办"


def test_a_feedback_date_printed_with_the_feedback_meeting():
    rnd = read_round(
        "关于巡察整改情况的通报", "县委第一巡察组对某局党组进行了巡察。巡察反馈会于2024年8月27日召开。"
    )
    assert rnd["feedback_date"] == "2024-08-27"


def test_a_feedback_date_without_year_takes_the_year_printed_before_it():
    rnd = read_round(
        "关于巡察整改情况的通报",
        "2024年3月5日至4月20日，市委第二巡察组对某局党组进行了巡察。6月3日，市委第二巡察组向某局党组反馈了巡察意见。",
    )
    assert rnd["feedback_date"] == "2024-06-03"


def test_traditional_characters_give_the_same_round():
    text = (
        "關於巡察整改情況的通報\n根據縣委統一部署，縣委第二巡察組對某某局黨組進行了巡察。"
        "2024年8月27日，縣委第二巡察組向某某局黨組反饋了巡察意見。\n一、整改情況\n（一）台賬不全。\n整改措施：補齊台賬。\n"
    )
    ledger = parse_document(text.encode("utf-8"), "report.txt")
    assert ledger["round"]["kind"] == "巡察"
    assert ledger["round"]["feedback_date"] == "2024-08-27"
    assert ledger["round"]["inspector"] == "縣委第二巡察組"  # kept as printed


def test_a_work_report_has_no_round_and_says_so():
    rnd, warning = round_and_warning("某某县审计局2024年工作总结", "2024年，我局完成审计项目20个，……")
    assert rnd == {"kind": None, "inspector": None, "target": None, "feedback_date": None}
    assert warning is not None and "工作报告" in warning


def test_a_meeting_notice_has_no_round_and_says_so():
    rnd, warning = round_and_warning("关于召开2025年全县巡察工作会议的通知", "各乡镇党委：经研究，定于……。")
    assert rnd["kind"] is None and warning is not None and "会议通知" in warning


def test_a_news_item_with_no_inspection_in_it_has_no_round():
    rnd, warning = round_and_warning("某某镇举办农民丰收节", "9月23日，某某镇举办农民丰收节活动，……。")
    assert rnd["kind"] is None and warning is not None


def test_a_news_item_that_states_a_feedback_keeps_what_it_states():
    rnd, warning = round_and_warning(
        "县委第二巡察组向某局党组反馈巡察情况",
        "近日，县委第二巡察组向某局党组反馈了巡察情况。",
    )
    assert rnd["inspector"] == "县委第二巡察组" and rnd["target"] == "某局党组"
    assert warning is not None and "新闻报道" in warning


def test_a_rectification_report_gets_no_such_warning():
    _, warning = round_and_warning("关于巡察整改情况的通报", "县委第一巡察组对某局党组进行了巡察。")
    assert warning is None
    _, warning = round_and_warning("关于2024年度审计工作报告反映问题整改情况的报告", "受市政府委托，……")
    assert warning is None


def test_the_not_an_inspection_warning_reaches_the_ledger():
    text = "关于召开巡察工作培训班的通知\n各乡镇：定于5月6日举办培训班。\n一、培训内容\n（一）巡察业务。\n"
    ledger = parse_document(text.encode("utf-8"), "notice.txt")
    assert ledger["round"]["kind"] is None
    assert any("会议通知" in w for w in ledger["warnings"])
