"""Round fields (kind, inspector, target, feedback date) in the shapes real preambles print them."""

from __future__ import annotations

import hypothesis
from hypothesis import strategies as st

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
    assert rnd["inspector"] == "省委3个巡视组"  # as printed, less the verb
    assert rnd["target"] == "某市"
    rnd = read_round("关于巡察整改情况的通报", "区委4个巡察组向40家被巡察单位党组织反馈了巡察情况。")
    assert rnd["inspector"] == "区委4个巡察组"


def test_several_on_site_clauses_leave_the_target_to_the_feedback_sentence():
    rnd = read_round(
        "关于巡察整改进展情况的通报",
        "区委组建4个巡察组对区甲局等4家单位开展常规巡察；对区乙局直属的32家单位开展专项巡察。"
        "2022年1月27日，区委4个巡察组向36家被巡察单位党组织反馈巡察情况。",
    )
    assert rnd["target"] == "36家被巡察单位党组织"
    assert rnd["feedback_date"] == "2022-01-27"


def test_a_pronoun_target_takes_the_place_the_title_opens_with():
    rnd = read_round(
        "江北省贯彻落实中央生态环境保护督察反馈意见整改情况",
        "中央第四生态环境保护督察组对我省开展了督察，并于2019年5月8日向省委、省政府反馈了督察意见。",
    )
    assert (rnd["inspector"], rnd["target"]) == ("中央第四生态环境保护督察组", "江北省")
    assert rnd["feedback_date"] == "2019-05-08"


def test_a_pronoun_for_a_unit_keeps_the_feedback_sentence_target():
    rnd = read_round(
        "中共某县某局党组关于巡察整改情况的报告",
        "2024年8月，县委第二巡察组对我单位进行了巡察。10月24日，巡察组向中共某县某局党组反馈了巡察意见。",
    )
    assert rnd["target"] == "中共某县某局党组"


def test_the_target_of_a_group_stationed_there():
    rnd = read_round(
        "中央第三生态环境保护督察组转办信访件查处整改公示",
        "中央第三生态环境保护督察组进驻某省期间，共向我省转办32批次信访件。",
    )
    assert (rnd["inspector"], rnd["target"]) == ("中央第三生态环境保护督察组", "某省")


def test_inspectors_named_in_a_list_are_not_one_round():
    rnd = read_round(None, "全市认真落实中央、省委生态环境保护督察组的反馈问题整改。")
    assert rnd["inspector"] is None


def test_a_preamble_wrapped_at_a_fixed_width_is_read_across_lines():
    rnd = read_round(
        "关于巡视整改进展情况的通报",
        "根据省委统一部署，2024年9月2日至10月31日，省委第\n三巡视组对某集团党委开展了巡视“回头看”。2\n"
        "024年12月19日，省委巡视组向集团党委反馈了意见。",
    )
    assert rnd["inspector"] == "省委第三巡视组"
    assert rnd["target"] == "某集团党委"
    assert rnd["feedback_date"] == "2024-12-19"


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


def test_the_office_whose_deployment_an_audit_follows_did_not_make_it():
    """按照审计署统一部署，省审计厅对…进行了审计: the national office deployed the audit; the office
    that made it is the inspector (its special office, where it is one: 审计署长沙特派办)."""
    for lead in (
        "按照审计署统一部署，",
        "根据审计署的统一安排，",
        "依据审计署工作安排，",
        "按照审计署要求，",
    ):
        rnd = read_round(None, lead + "省审计厅对我市2023年度财政收支情况进行了审计。")
        assert rnd["inspector"] == "省审计厅", lead
        rnd = read_round(None, lead + "审计署长沙特派办对湖南省2023年度重大政策措施落实情况进行了跟踪审计。")
        assert rnd["inspector"] == "审计署长沙特派办", lead
    assert read_round(None, "审计署对某部2023年度预算执行情况进行了审计。")["inspector"] == "审计署"


def test_a_group_named_in_a_clause_that_singles_it_out_is_named_without_its_conjunction():
    rnd = read_round(
        None,
        "2025年3月，县委巡察办牵头组织对全县12个乡镇开展了交叉巡察，其中县委第二巡察组对某镇党委开展了巡察，"
        "4月25日反馈了巡察意见。",
    )
    assert rnd["inspector"] == "县委第二巡察组"


def test_an_audit_office_named_without_its_place_takes_the_place_of_the_report():
    rnd = read_round(
        None,
        "——2024年11月22日在某溪市十七届人大常委会第十六次会议上\n市审计局局长 张三\n主任、各位副主任：\n受……",
    )
    assert rnd["inspector"] == "某溪市审计局"
    rnd = read_round("关于某川市2023年度预算执行审计查出问题整改情况的报告", "审计局受市政府委托……")
    assert rnd["inspector"] == "某川市审计局"
    rnd = read_round(
        "关于2024年度省级审计查出问题整改情况的报告", "——在云北省人大常委会会议上\n省审计厅厅长 李四"
    )
    assert rnd["inspector"] == "云北省审计厅"
    rnd = read_round(
        "某市人民政府关于审计发现问题整改情况的函", "《某某壮族自治区审计厅专项审计调查报告》通报了……"
    )
    assert rnd["inspector"] == "某某壮族自治区审计厅"


def test_pinyin_readings_printed_by_a_mirror_are_left_out():
    rnd = read_round("关(guān)于巡察整改情况的通报", "县委第一巡察组对县卫(wèi)健局党组进行了巡察。")
    assert rnd["target"] == "县卫健局党组"


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


def test_a_template_placeholder_ordinal_still_names_the_group():
    rnd = read_round(
        "乡镇党委巡察反馈意见问题整改工作实施方案", "区委第x巡察组于20xx年x月对x镇党委进行了常规巡察。"
    )
    assert (rnd["inspector"], rnd["target"]) == ("区委第x巡察组", "x镇党委")
    assert rnd["feedback_date"] is None


def test_the_committee_itself_on_site_and_its_group_named_later():
    rnd = read_round(
        "校党委向某学院反馈巡视“回头看”情况",
        "3月23日，校党委向某学院反馈巡视“回头看”情况。巡视组组长代表党委巡视组进行了反馈。"
        "根据校党委统一部署，2022年12月5日至12月13日，校党委对某学院开展了巡视“回头看”。",
    )
    assert (rnd["inspector"], rnd["target"]) == ("党委巡视组", "某学院")


def test_a_feedback_date_without_year_follows_the_visit():
    rnd = read_round(
        None,
        "3月23日，巡视组向某学院反馈了意见。2022年12月5日至12月13日，校党委对某学院开展了巡视。",
    )
    assert rnd["feedback_date"] == "2023-03-23"


def test_a_name_starting_with_ben_is_not_a_pronoun():
    rnd = read_round(None, "县委第一巡察组对本溪路社区党委进行了巡察。")
    assert rnd["target"] == "本溪路社区党委"


def test_an_audit_feedback_is_the_report_issued_on_a_date():
    rnd = read_round(
        "中共某某镇委员会关于原镇党委书记某某同志任期经济责任审计发现问题整改情况的报告",
        "2025年5月6日至6月20日，县审计局对我镇原党委书记某某同志任期经济责任履行情况进行了审计，"
        "并于2025年7月18日出具了《审计报告》。",
    )
    assert rnd["feedback_date"] == "2025-07-18"
    assert rnd["target"] == "中共某某镇委员会"  # the unit whose leader was audited


def test_an_audit_period_end_is_not_a_feedback_date():
    rnd = read_round(None, "某区审计局自2023年5月8日至8月30日对区财政局进行了审计，并出具审计报告。")
    assert rnd["feedback_date"] is None


def test_a_leaders_audit_without_title_takes_the_unit_of_the_report_name():
    rnd = read_round(
        None,
        "某某市审计局派出审计组于2023年7月至10月对我司前任董事长某某任期履行经济责任进行了审计，"
        "出具了《某某机场有限公司董事长某某任期经济责任审计报告》。",
    )
    assert rnd["inspector"] == "某某市审计局"
    assert rnd["target"] == "某某机场有限公司"


def test_the_audited_body_before_its_short_name_and_a_long_subject():
    rnd = read_round(
        None,
        "某某区审计局派出审计组，自2023年5月8日至8月30日，对某某区财政局（以下简称区财政局）具体组织的"
        "2022年度区本级预算执行、决算草案以及其他财政收支情况进行了审计。",
    )
    assert rnd["kind"] == "审计" and rnd["inspector"] == "某某区审计局"
    assert rnd["target"] == "某某区财政局"


def test_a_count_of_groups_after_the_rounds_name():
    rnd = read_round(
        "关于巡察整改情况的通报",
        "十三届县委第三轮巡察派出4个巡察组，对甲社区、乙社区、丙村等12个村（社区）党组织开展常规巡察。",
    )
    assert rnd["inspector"] == "县委4个巡察组"
    assert rnd["target"] == "甲社区、乙社区、丙村等12个村（社区）党组织"


def test_a_standing_inspection_office_and_a_government_inspection_group():
    rnd = read_round(
        "某某省落实国家自然资源督察某都局例行督察意见整改情况的报告",
        "2024年，国家自然资源督察某都局对我省开展了例行督察。",
    )
    assert (rnd["kind"], rnd["inspector"]) == ("督察", "国家自然资源督察某都局")
    rnd = read_round("关于国务院大督查发现问题整改情况的报告", "国务院第八督查组对我省进行了实地督查。")
    assert rnd["inspector"] == "国务院第八督查组"


def test_a_self_review_has_no_round_and_says_so():
    rnd, warning = round_and_warning(
        "中共某某县委常委班子主题教育检视问题整改落实情况通报",
        "按照主题教育部署，县委常委班子结合巡视巡察反馈问题，检视出3个方面7个问题。",
    )
    assert rnd == {"kind": None, "inspector": None, "target": None, "feedback_date": None}
    assert warning is not None and "检视" in warning


def test_a_self_review_of_an_inspections_findings_keeps_its_round():
    rnd, warning = round_and_warning(
        "关于巡察反馈问题专题民主生活会查摆问题整改情况的报告",
        "县委第二巡察组对某局党组进行了巡察，2024年6月3日，县委第二巡察组向某局党组反馈了巡察意见。",
    )
    assert rnd["inspector"] == "县委第二巡察组" and warning is None


def test_an_opening_without_title_that_starts_like_news_keeps_its_round():
    rnd, warning = round_and_warning(None, "近日，县委第二巡察组对我局进行了巡察，现将整改情况报告如下：")
    assert rnd["kind"] == "巡察" and rnd["inspector"] == "县委第二巡察组"
    assert warning is None


# ---- shapes seen in real openings (tests/data/preambles/real-preambles.jsonl) ----------------------


def test_a_group_named_with_a_qualifier_between_committee_and_ordinal():
    rnd = read_round(None, "近日，某某市委某某领域第六专项巡察组巡察乙医院党委情况反馈会召开。")
    assert rnd["inspector"] == "某某市委某某领域第六专项巡察组"
    assert rnd["target"] == "乙医院党委"
    rnd = read_round(None, "2023年3月10日，县委上下联动巡察组向某镇所辖村党组织集中反馈巡察情况。")
    assert rnd["inspector"] == "县委上下联动巡察组"
    assert rnd["feedback_date"] == "2023-03-10"


def test_a_round_and_a_count_before_the_groups_is_no_group_name():
    rnd = read_round(None, "2020年4月至6月，县委第十一轮巡察三个巡察组对甲镇、县乙局开展了常规巡察。")
    assert rnd["inspector"] == "县委三个巡察组"
    rnd = read_round(
        None, "9月2日，集团党委第七轮政治巡察三个巡察组分别向甲公司党支部、乙公司党总支反馈了巡察意见。"
    )
    assert rnd["inspector"] == "集团党委三个巡察组"
    assert rnd["target"] == "甲公司党支部、乙公司党总支"


def test_groups_counted_without_a_committee_or_after_its_round():
    rnd = read_round(None, "本轮巡察共派出4个巡察组，对甲镇等16个乡镇开展常规巡察。")
    assert (rnd["inspector"], rnd["target"]) == ("4个巡察组", "甲镇等16个乡镇")
    rnd = read_round(
        None, "近日，八届市委第三轮巡察的3个巡察组完成对市甲委、市乙办等5家单位党组织的巡察进驻工作。"
    )
    assert (rnd["inspector"], rnd["target"]) == ("市委3个巡察组", "市甲委、市乙办等5家单位党组织")
    rnd = read_round(None, "校党委第二轮巡察的3个巡察组于9月25日分别进驻甲学院党委和乙学院党委，召开动员会。")
    assert (rnd["inspector"], rnd["target"]) == ("校党委3个巡察组", "甲学院党委和乙学院党委")


def test_a_government_counts_its_supervision_groups():
    rnd = read_round(None, "根据总体安排，昨日，省政府派出13个督查组，分赴各市州开展实地大督查。")
    assert rnd["kind"] == "检查" and rnd["inspector"] == "省政府13个督查组"


def test_a_bare_committee_group_gives_way_to_the_count_of_its_groups():
    rnd = read_round(
        None,
        "2022年3月至4月，县委派出3个巡察组，对县甲局等3个部门党组开展常规巡察。"
        "近日，县委各巡察组分别到被巡察党组织开展了反馈工作；反馈会上，县委巡察组组长反馈了巡察情况。",
    )
    assert rnd["inspector"] == "县委3个巡察组"


def test_a_group_stationed_with_an_adverb_or_a_date_before_the_verb():
    rnd = read_round(None, "2018年9月19日，某县县委第一巡察组正式进驻甲镇，将开展为期2个月的巡察。")
    assert rnd["target"] == "甲镇"
    rnd = read_round(None, "3月20日，市委第四巡察组到某城投公司督查回访巡察反馈问题整改落实情况。")
    assert rnd["target"] == "某城投公司"


def test_a_standing_inspection_office_of_the_ministry():
    rnd = read_round(None, "近日生态环境部某某督察局一行对我县督察整改情况开展跟踪督察调研。")
    assert rnd["kind"] == "督察" and rnd["inspector"] == "生态环境部某某督察局"
    assert rnd["target"] is None  # what was examined (…整改情况) is not whom


def test_the_target_of_dui_x_de_xuncha():
    rnd = read_round(None, "3月23日，县委第二巡察组组长反馈了对甲镇乙社区、丙村的巡察“回头看”情况。")
    assert rnd["target"] == "甲镇乙社区、丙村"
    rnd = read_round(None, "4月23日，县委第四巡察组完成对甲村党支部、乙村党支部的进驻和动员工作。")
    assert rnd["target"] == "甲村党支部、乙村党支部"


def test_the_target_of_a_meeting_named_for_the_round():
    rnd = read_round("市委第二巡察组巡察市甲医院党委情况反馈会议召开", "4月8日下午，反馈会议召开。")
    assert rnd["target"] == "市甲医院党委"
    rnd = read_round(None, "8月31日，市委第四巡察组召开巡察市乙委党委情况反馈会。")
    assert (rnd["inspector"], rnd["target"]) == ("市委第四巡察组", "市乙委党委")


def test_a_numbered_round_as_the_subject_of_the_on_site_sentence():
    rnd = read_round(
        None, "根据中央统一部署，今年2月至5月，十九届中央第一轮巡视对30个地区和单位党组织开展了常规巡视。"
    )
    assert rnd["target"] == "30个地区和单位党组织"


def test_feedback_given_by_xiang_x_jinxing_fankui():
    rnd = read_round(None, "12月13日，学校党委五个巡察组分别向甲学院党委、乙学院党总支进行巡察情况反馈。")
    assert rnd["target"] == "甲学院党委、乙学院党总支"


def test_an_environmental_group_feeding_back_names_its_targets():
    rnd = read_round(None, "自2021年2月24日起，省生态环境保护督察组陆续向甲、乙、丙等6市反馈督察意见。")
    assert rnd["inspector"] == "省生态环境保护督察组"
    assert (rnd["target"], rnd["feedback_date"]) == ("甲、乙、丙等6市", "2021-02-24")


def test_a_feedback_dated_by_its_month_only():
    rnd = read_round(
        None, "2021年5月至7月，十九届中央第七轮巡视对某部党组开展常规巡视，并于2021年9月反馈了巡视情况。"
    )
    assert rnd["feedback_date"] == "2021-09"
    rnd = read_round(
        None, "2020年5月至7月，中央第五轮巡视对35个单位党组织开展常规巡视，2020年8月公布了反馈情况。"
    )
    assert rnd["feedback_date"] == "2020-08"
    # the end of a period is no feedback date
    rnd = read_round(None, "2021年5月至7月，县委第一巡察组对某局进行了巡察，随后反馈了巡察意见。")
    assert rnd["feedback_date"] is None


def test_a_target_that_is_a_matter_examined_is_none():
    rnd = read_round(None, "省政府第二督查组对贯彻落实省委重大决策部署情况开展督查。")
    assert rnd["target"] is None


def test_an_organs_name_with_jiancha_is_no_kind():
    rnd = read_round(None, "主办单位：中共某省纪律检查委员会\n某区第一轮村级党组织巡察于近日启动。")
    assert rnd["kind"] == "巡察"


def test_an_audit_office_printed_with_city_and_district():
    rnd = read_round(
        None,
        "某某市某某区审计局局长 张三\n主任、各位副主任、各位委员：\n我受区人民政府的委托，报告审计情况。",
    )
    assert rnd["kind"] == "审计" and rnd["inspector"] == "某某市某某区审计局"


def test_a_news_item_about_a_round_keeps_its_kind():
    rnd, warning = round_and_warning(
        "巡察工作领导小组听取第七轮巡察工作情况汇报", "8月23日下午，领导小组召开会议。"
    )
    assert rnd["kind"] == "巡察" and warning is not None and "新闻报道" in warning


def test_a_template_qualifier_with_placeholders():
    rnd = read_round(
        None,
        "根据区委统一部署，区委第二巡察组对XX街道党工委开展了为期XX个月的常规巡察，并对辖区村进行延伸巡察。",
    )
    assert rnd["target"] == "XX街道党工委"


def test_an_on_site_sentence_with_zhankai():
    rnd = read_round(None, "某区委第一轮巡察于近日启动，对甲街道乙社区等35个村级党组织展开巡察监督。")
    assert rnd["target"] == "甲街道乙社区等35个村级党组织"


def test_a_target_list_whose_groups_are_parted_by_commas():
    rnd = read_round(
        None, "十七届县委第六轮巡察共组建6个巡察组对甲镇党委及所辖10个行政村，乙镇所辖8个行政村开展巡察。"
    )
    assert rnd["target"] == "甲镇党委及所辖10个行政村，乙镇所辖8个行政村"
    assert rnd["inspector"] == "县委6个巡察组"
    # what follows a comma and says when is not part of the list
    rnd = read_round(None, "县委第一巡察组对某局党组，于2024年3月开展了常规巡察。")
    assert rnd["target"] == "某局党组"


def test_gai_zhen_is_the_town_named_before_it():
    rnd = read_round(
        None,
        "7月16日，县委第三巡察组进驻甲乙镇，对该镇丙村、丁村等2个村开展第五轮三方联动、村级专项巡察工作。",
    )
    assert rnd["target"] == "甲乙镇丙村、丁村等2个村"


def test_a_kind_word_in_a_regulations_name_is_no_kind():
    rnd = read_round(
        None, "根据《中国共产党巡视工作条例》和区委部署，区委专项巡察组对甲村党支部开展专项巡察。"
    )
    assert rnd["kind"] == "巡察"


def test_a_count_of_group_leaders_is_no_group_name():
    rnd = read_round(None, "第四轮校内巡察四位巡察组组长分别汇报了对甲学院党委、乙学院党委等的巡察情况。")
    assert rnd["inspector"] != "第四轮校内巡察四位巡察组"
    assert rnd["target"] == "甲学院党委、乙学院党委等"


def test_the_ministrys_regional_office_by_its_shorter_names():
    for office in ("生态环境部华东督察局", "生态环保部华东督察局", "环境保护部华东督察局"):
        rnd = read_round(None, f"7月14日上午，{office}带队到某县调研督察整改落实情况。")
        assert rnd["inspector"] == office


def test_groups_of_another_kind_are_not_the_rounds_inspectors():
    rnd = read_round(
        None,
        "为推动生态环境保护督察反馈问题整改，市里组成4个督查组，对各区落实督察反馈问题整改情况进行专项督查。",
    )
    assert rnd["kind"] == "督察" and rnd["inspector"] is None


def test_a_feedback_date_whose_nian_and_yue_were_lost_in_a_web_copy():
    rnd = read_round(
        "某委党委关于巡察整改进展情况的通报",
        "根据市委统一部署，2024717日至830日，市委第六巡察组对某委党委进行了巡察。"
        "914日，巡察组向某委党委反馈了巡察意见。",
    )
    assert rnd["feedback_date"] == "2024-09-14"
    # 111日 is 1-11 or 11-1: no date is read
    rnd = read_round(None, "2024年，市委第六巡察组对某局进行了巡察。111日，巡察组向某局反馈了巡察意见。")
    assert rnd["feedback_date"] is None


# --- Shapes read from the second batch of real openings (issue #12) ---


def test_ordinals_listed_in_one_group_name():
    rnd = read_round(
        None,
        "根据县委统一安排，县委第二、第三、第四巡察组于2020年5月10日至7月30日对县某机关等14个单位开展巡察。",
    )
    assert rnd["inspector"] == "县委第二、第三、第四巡察组"
    assert rnd["target"] == "县某机关等14个单位"


def test_groups_named_together_win_over_one_of_them_named_alone():
    rnd = read_round(
        None,
        "经集团党委批准，集团党委第二轮巡察将对甲分公司、乙分公司开展常规巡察。"
        "会上，集团党委第一巡察组组长某某代表第一、第二巡察组通报了安排。"
        "目前，集团党委第一、第二巡察组已分别入驻甲分公司党委和乙分公司党委。",
    )
    assert rnd["inspector"] == "集团党委第一、第二巡察组"


def test_a_group_numbered_after_its_kind():
    rnd = read_round(None, "按照市委统一部署，某某市委机动巡察一组对某镇党委进行了政治巡察。")
    assert (rnd["inspector"], rnd["target"]) == ("某某市委机动巡察一组", "某镇党委")


def test_a_numbered_group_of_a_named_round():
    rnd = read_round(
        None, "日前，某市委第三轮对村(社区)提级巡察“回头看”第一组对我市甲镇乙村、丙村开展提级巡察“回头看”。"
    )
    assert rnd["inspector"] == "某市委第三轮对村(社区)提级巡察“回头看”第一组"
    assert rnd["target"] == "甲镇乙村、丙村"  # the reader's own place (我市) is not part of the name


def test_an_organisations_own_group_and_a_feedback_year_after_a_visit_in_months():
    rnd = read_round(
        None,
        "2月8日，集团巡察组分别向甲公司党委、乙公司党委反馈巡察情况。"
        "根据集团党委统一部署，集团巡察组于2020年9月至11月对甲公司党委、乙公司党委进行了巡察。",
    )
    assert rnd["inspector"] == "集团巡察组"
    assert rnd["target"] == "甲公司党委、乙公司党委"
    assert rnd["feedback_date"] == "2021-02-08"  # after a visit that ended in November 2020


def test_a_verb_phrase_is_no_part_of_a_group_name():
    rnd = read_round(None, "1月29日，集团党委会专题听取了巡察组对第一批3家党组织的巡察情况汇报。")
    assert rnd["inspector"] is None


def test_a_team_following_up_a_rectification_is_neither_the_kind_nor_the_inspector():
    rnd = read_round(
        None,
        "10月17日上午，市委第二督察整改督查组到某镇开展巡察整改督查工作。"
        "按照市委巡察工作的统一部署，某某市委机动巡察一组对某镇党委进行了政治巡察。",
    )
    assert rnd["kind"] == "巡察"
    assert rnd["inspector"] == "某某市委机动巡察一组"


def test_a_councils_committee_sends_a_numbered_supervision_group():
    rnd = read_round(
        None,
        "8月21日至25日，国务院安委会安全生产大检查第六督导组来我省督导安全生产大检查工作。"
        "督导认为，某某省委、省政府高度重视安全生产大检查工作。",
    )
    assert rnd["inspector"] == "国务院安委会安全生产大检查第六督导组"
    assert rnd["target"] == "某某省"  # 我省, the province named with its committee


def test_a_committees_department_sends_counted_inspection_groups():
    rnd, warning = round_and_warning(
        None, "从3月9日起，某省委组织部派出4个检查组，对部分市和省直单位选人用人工作开展集中专项检查。"
    )
    assert warning is None
    assert rnd["kind"] == "检查"
    assert rnd["inspector"] == "某省委组织部4个检查组"
    assert rnd["target"] == "部分市和省直单位"  # the units, not the matter examined


def test_the_units_before_the_matter_after_de():
    rnd = read_round(
        None,
        "近日，某省委组织部派出5个检查组，对10个市州、20个省直部门(单位)的干部选拔任用工作情况进行专项检查。",
    )
    assert rnd["target"] == "10个市州、20个省直部门(单位)"


def test_a_matter_without_units_is_still_no_target():
    rnd = read_round(None, "市委第一督查组对贯彻落实中央决策部署情况开展督查。")
    assert rnd["target"] is None


def test_the_committees_groups_taken_together():
    rnd = read_round(
        "五届区委第二轮巡察反馈完成",
        "根据区委统一部署，五届区委第二轮巡察对8个区直部门党组织开展常规巡察。近日，区委各巡察组向本轮被巡察党组织进行了反馈。",
    )
    assert rnd["inspector"] == "区委各巡察组"
    assert rnd["target"] == "8个区直部门党组织"


def test_a_numbered_group_wins_over_the_rounds_generic_group():
    rnd = read_round(
        None,
        "近日，第三轮省生态环境保护督察组进驻我市开展生态环境保护督察。"
        "7月22日，省第一生态环境保护督察组督察某某市工作动员会召开后，各网站发布了督察公告。",
    )
    assert rnd["inspector"] == "省第一生态环境保护督察组"
    assert rnd["target"] == "某某市"  # the meeting named for the round


def test_a_meeting_named_with_the_target_before_the_kind():
    rnd = read_round(None, "3月18日上午，市委第四巡察组召开市属公立医院专项巡察反馈会。")
    assert rnd["target"] == "市属公立医院"


def test_a_pronoun_in_a_meeting_name_is_the_unit_named_with_its_head():
    rnd = read_round(
        None, "5月26日上午，市委第三巡察组巡察我院情况反馈会召开。市某某院院长某某主持，并作表态发言。"
    )
    assert rnd["target"] == "市某某院"


def test_a_pronoun_without_a_named_unit_stays_empty():
    rnd = read_round(None, "2月中旬，国务院安委会第十督导检查组在我省开展安全生产督导检查。")
    assert rnd["inspector"] == "国务院安委会第十督导检查组"
    assert rnd["target"] is None


def test_the_matter_introduced_by_jiu_is_not_in_the_target_list():
    rnd = read_round(None, "市委机动巡察组将对甲镇、乙镇6家单位，就工程建设项目情况进行专项巡察。")
    assert rnd["target"] == "甲镇、乙镇6家单位"


def test_names_listed_with_the_station_win_over_a_count():
    rnd = read_round(None, "11月中旬，3个巡察组分别进入甲公司、乙公司、丙部，对3家单位开展为期2个月的巡察。")
    assert rnd["target"] == "甲公司、乙公司、丙部"


def test_an_inspection_office_led_to_a_county():
    rnd = read_round(
        "某督察局到某县督察落实中央环保督察整改情况",
        "7月14日上午，生态环境保护部某某督察局主任科员某某带队到某某县调研督察中央环保督察反馈问题整改落实情况。",
    )
    assert rnd["inspector"] == "生态环境保护部某某督察局"
    assert rnd["target"] == "某某县"


def test_a_comma_glued_before_an_enumeration_comma_stays_in_the_list():
    rnd = read_round(
        None,
        "2024年8月20日至21日，，第三轮第二批中央生态环境保护督察组分别向甲省,、乙省,、丙市等3省(市)反馈督察情况。",
    )
    assert rnd["target"] == "甲省,、乙省,、丙市等3省(市)"
    assert rnd["feedback_date"] == "2024-08-20"  # a period is dated by its first day


def test_a_period_of_days_after_its_month_is_dated_by_its_first_day():
    rnd = read_round(
        None, "五届区委第四轮巡察派出的6个巡察组于2018年1月4至5日分别向区甲局等6家党委进行巡察意见反馈。"
    )
    assert rnd["feedback_date"] == "2018-01-04"


def test_an_audit_of_a_bodys_matter():
    rnd = read_round(
        None,
        "根据审计法的规定，某某县审计局自2023年11月14日至2023年12月15日, 对某某县教育和体育局的教体系统内部审计工作开展情况进行了专项审计调查。",
    )
    assert (rnd["kind"], rnd["inspector"], rnd["target"]) == ("审计", "某某县审计局", "某某县教育和体育局")


def test_inspector_group_count_and_env_group_are_searched_from_the_clause_that_holds_them():
    """``INSPECTOR``, ``_GROUP_COUNT`` and ``_ENV_GROUP`` (roundinfo._FromClause) are searched from the
    clause where a kind and 组 (个 and 组, 督察) first stand: the same matches, in the same order, as
    the pattern over the whole text, with a look-behind at a clause's start seeing the mark before it."""
    import re

    from zhenggai.core import roundinfo

    texts = [
        "根据县委统一部署，县委第二巡察组对某局党组开展了巡察",
        "2024年4月，省委派出3个巡视组，市委第三轮巡察的3个巡察组对某镇开展巡察",
        "某某集团巡察组，县委第二、第三巡察组和市委机动巡察一组进驻",
        "党委会专题听取了巡察组汇报：县委第一巡察组 组长",
        "巡察组，没有名字；省委组织部派出4个检查组；个别单位的督查组",
        "",
        "组",
    ]
    texts += [
        "根据部署，中央第二生态环境保护督察组、国家土地督察上海局；督察组",
        "督察，省生态环境保护督察组",
    ]
    # a clause that lists units for a long way before the group's name (no match starts further back
    # than the pattern's widest match), the 组 of a working group (巡察工作领导小组: no group's name),
    # groups numbered after their kind
    units = "、".join(f"第{n}分公司" for n in range(1, 30))
    texts += [
        f"十二届省委第七轮巡视对{units}等单位党委开展常规巡视，省委第三巡视组进驻",
        f"{units}和县委第二巡察组",
        "县委巡察工作领导小组成员传达县委书记在听取十五届县委第三轮巡察情况汇报时的讲话精神",
        "县委巡察工作领导小组办公室会同县委第一巡察组",
        "市委机动巡察第一组、巡视“回头看”第二组、二届党委第二轮巡察三个巡察组",
        "市委第三轮巡察第二巡察组，第三、第四、第五、第六、第七、第八、第九、第十、第十一、第十二、第十三巡察组",
    ]
    for wrapped in (roundinfo.INSPECTOR, roundinfo._GROUP_COUNT, roundinfo._ENV_GROUP):
        compiled = re.compile(wrapped.pattern.pattern)
        for text in texts:
            found, expected = wrapped.search(text), compiled.search(text)
            assert (found and (found.span(), found.groups())) == (
                expected and (expected.span(), expected.groups())
            ), text
            assert [m.span() for m in wrapped.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert roundinfo.INSPECTOR.search("根据部署，县委第二巡察组对某局").group(0) == "县委第二巡察组"
    assert [m.group(0) for m in roundinfo.INSPECTOR.finditer("县委第一巡察组，市委第二巡察组")] == [
        "县委第一巡察组",
        "市委第二巡察组",
    ]
    assert roundinfo._GROUP_COUNT.search("2024年，省委派出3个巡视组").group(0) == "省委派出3个巡视组"


def test_wrap_joins_a_line_that_ends_no_sentence_with_the_break_first():
    """``_WRAP`` opens with the line break and looks behind it for the mark that ends a sentence."""
    from zhenggai.core import roundinfo

    assert roundinfo._WRAP.sub("", "县委第二巡察组对某\n局开展了巡察。\n2024年7月10日，反馈。\n") == (
        "县委第二巡察组对某局开展了巡察。\n2024年7月10日，反馈。\n"
    )
    assert roundinfo._WRAP.sub("", "\n甲\n\n乙：\n丙）\n") == "甲乙：\n丙）\n"


def test_unwrapped_reads_as_wrap_with_the_break_alone_where_no_byline_stands():
    """``_unwrapped`` takes out the breaks as ``_WRAP`` does: with ``_BREAK`` alone in a preamble
    that ``_BYLINE`` finds no speaker's byline in, with ``_WRAP`` (the byline's break kept) otherwise."""
    from zhenggai.core import roundinfo

    for text in (
        "县委第二巡察组对某\n局开展了巡察。\n2024年7月10日，反馈。\n",
        "\n甲\n\n乙：\n丙）\n",
        "市审计局局长 俞金华\n主任委员、各位副主任\n委员：\n",
        "党委书记\n张三同志主持会议\n",
    ):
        assert roundinfo._unwrapped(text) == roundinfo._WRAP.sub(r"\1", text)
    assert roundinfo._BYLINE.search("市审计局局长 俞金华\n") is not None
    assert roundinfo._unwrapped("市审计局局长 俞金华\n主任委员、各位副主任\n委员：\n") == (
        "市审计局局长 俞金华\n主任委员、各位副主任委员：\n"
    )


def test_inspector_keeps_the_last_sentence_it_searched():
    """``INSPECTOR`` searched again for the same sentence gives the same match; another sentence is
    searched afresh."""
    from zhenggai.core import roundinfo

    first = roundinfo.INSPECTOR.search("县委第二巡察组对某局开展了巡察")
    assert first is not None and first.group(0) == "县委第二巡察组"
    assert roundinfo.INSPECTOR.search("县委第二巡察组对某局开展了巡察") is first
    assert roundinfo.INSPECTOR.search("市委第三巡察组对某局开展了巡察").group(0) == "市委第三巡察组"
    assert roundinfo.INSPECTOR.search("县委第二组对某局开展了巡察") is None


def test_a_follow_up_team_is_looked_for_only_where_a_group_is_named():
    """``_FOLLOW_UP`` ends with 组: a title with 整改 and no 组 reads its kind at once."""
    assert read_round("市委第二督察整改督查组关于巡察整改的通报", None)["kind"] == "巡察"
    assert read_round("关于审计整改情况的报告", None)["kind"] == "审计"


def test_audit_offices_and_places_are_searched_around_each_shen_ji_and_level():
    """``_AUDIT_OFFICE`` and ``_OFFICE`` (roundinfo._NearWord) are searched around each 审计, ``_PLACE``
    around each level (省市州县区盟旗), from the reach of their opening before it: the same matches,
    in the same order, as over the whole text, also where 审计 opens no office (审计整改) or an
    office's name holds an earlier 审计."""
    import re

    from zhenggai.core import roundinfo

    texts = [
        "根据审计整改要求，宁波市审计局局长，审计署驻上海特派员办事处，自治区审计厅",
        "审计市审计局审计发现，审计署某某特派办；审计",
        "市审计 局，某某自治区审计厅审计署驻甲乙丙丁戊己庚辛特派员办事处",
        "关于慈溪市某某自治区甲乙丙丁戊己庚辛县\n青岚市审计局，在本市和甲乙县",
        "",
    ]
    for near, pattern in (
        (roundinfo._AUDIT_OFFICE, roundinfo._AUDIT_OFFICE_ANYWHERE.pattern),
        (roundinfo._OFFICE, roundinfo._OFFICE.pattern.pattern),
        (roundinfo._PLACE, roundinfo._PLACE_ANYWHERE.pattern),
    ):
        compiled = re.compile(pattern, re.MULTILINE)
        for text in texts:
            assert [(m.span(), m.groups()) for m in near.finditer(text)] == [
                (m.span(), m.groups()) for m in compiled.finditer(text)
            ], text
    rnd = read_round(
        "关于慈溪市审计整改情况的报告", "根据审计整改要求，市审计局局长对审计发现的问题提出了意见。"
    )
    assert rnd["inspector"] == "慈溪市审计局"


def test_a_level_alone_before_a_numbered_group_is_part_of_its_name():
    """省第四生态环境保护督察组 / 市第二巡察组: the level printed without 委 before the ordinal."""
    rnd = read_round(
        "关于督察反馈问题整改落实情况的报告",
        "2023年10月9日至11月9日，省第二生态环境保护督察组对我县开展了例行督察。",
    )
    assert rnd["inspector"] == "省第二生态环境保护督察组"
    rnd = read_round("关于巡察整改情况的通报", "市第三巡察组对某区教育局党组开展了巡察。")
    assert rnd["inspector"] == "市第三巡察组"


def test_a_committee_departments_numbered_group_keeps_the_department():
    """市委组织部第三检查组: a committee's department sends inspection groups of its own."""
    rnd = read_round(
        "关于选人用人专项检查反馈问题整改情况的报告",
        "根据统一部署，县委组织部第一检查组对某局党组干部选拔任用工作开展了专项检查。",
    )
    assert rnd["inspector"] == "县委组织部第一检查组"
    assert rnd["kind"] == "检查"


def test_xiang_whose_own_verb_is_bao_gao_names_no_feedback():
    """向县人大常委会报告…督察反馈问题整改情况: 反馈问题 is the report's matter, not a feedback; the
    feedback sentence is the dated one after it."""
    rnd = read_round(
        "关于督察反馈问题整改落实情况的报告",
        "受县人民政府委托，向县人大常委会报告督察反馈问题整改落实情况，请予审议。"
        "2024年1月16日，省督察组召开督察反馈会，向县委、县政府反馈了督察意见。",
    )
    assert rnd["feedback_date"] == "2024-01-16"


def test_an_audit_report_delivered_by_a_subject_after_the_date():
    """2024年7月15日，市审计局向本公司送达了《…审计报告》: the date opens the clause whose verb
    delivers the report; an audit period's end is still no feedback."""
    rnd = read_round(
        "关于审计发现问题整改情况的公告",
        "某市审计局派出审计组，自2024年4月8日至5月31日，对某公司进行了审计。"
        "2024年7月15日，市审计局向本公司送达了《某市审计局关于某公司的审计报告》。",
    )
    assert rnd["feedback_date"] == "2024-07-15"
    rnd = read_round(
        "关于审计发现问题整改情况的公告",
        "2024年4月8日至5月31日，审计组对某公司2023年度财务收支进行了审计并出具了审计报告。",
    )
    assert rnd["feedback_date"] is None


def test_the_unit_in_an_audit_reports_name_follows_the_issuing_office():
    """《某市审计局关于某某有限公司原董事长…审计报告》: the audited unit is after 关于, not the office."""
    rnd = read_round(
        "关于原董事长任期经济责任审计发现问题整改情况的公告",
        "市审计局对本公司原董事长某某同志任期经济责任履行情况进行了审计，"
        "并于2024年7月15日出具了《某市审计局关于某某港务有限公司原董事长某某同志任期经济责任履行情况的审计报告》。",
    )
    assert rnd["target"] == "某某港务有限公司"


def test_a_pronoun_before_the_matter_examined_is_the_unit_named_by_its_committee():
    """对我院2021年以来干部选拔任用工作开展了专项检查: 我院 is the target; the hospital names
    itself in the issuer line (中共某某医院委员会)."""
    rnd = read_round(
        "关于专项检查反馈问题整改情况的报告",
        "中共某市第一人民医院委员会\n根据市委组织部统一部署，市委组织部第三检查组对我院2021年以来干部选拔任用"
        "工作开展了专项检查。6月28日，检查组向院党委反馈了检查意见。",
    )
    assert rnd["target"] == "某市第一人民医院"


def test_a_pronoun_never_resolves_to_a_name_opened_by_xiang():
    """向县委、县政府反馈: 向县 is no county; the county is the one whose people's congress hears the
    report (在某县第十八届人民代表大会常务委员会…会议上)."""
    rnd = read_round(
        "关于督察反馈问题整改落实情况的报告",
        "——2024年10月29日在某川县第十八届人民代表大会常务委员会第二十一次会议上\n"
        "2023年10月9日至11月9日，省第四生态环境保护督察组对我县开展了督察。"
        "2024年1月16日，督察组向县委、县政府反馈了督察意见。",
    )
    assert rnd["target"] == "某川县"


def test_a_listed_rounds_units_give_way_to_the_unit_a_group_was_stationed_at():
    """县委4个巡察组…对甲局、乙局等6个部门开展巡察。其中，县委第二巡察组…进驻我局: the report is the
    bureau's, named in the title's issuer (中共某县某局党组关于…)."""
    rnd = read_round(
        "中共某县医疗保障局党组关于县委巡察反馈意见整改进展情况的通报",
        "县委4个巡察组从2024年3月17日起对县公安局、县医疗保障局、县交通运输局等6个县级部门开展常规巡察。"
        "其中，县委第二巡察组于3月18日至5月21日进驻我局开展巡察。6月14日，县委第二巡察组向我局党组反馈了巡察意见。",
    )
    assert rnd["target"] == "某县医疗保障局党组"
    assert rnd["inspector"] == "县委第二巡察组"
    assert rnd["feedback_date"] == "2024-06-14"


def test_a_group_inspected_together_and_the_feedback_to_one_of_its_units():
    """对甲镇乙村等23个村（社区）党组织进行了巡察 … 向乙村党总支反馈了巡察意见: the round covered a
    group of villages; the feedback, and the report, are the one village's."""
    rnd = read_round(
        "平川镇大桥村党总支关于区委巡察反馈意见整改情况的公示",
        "根据区委统一部署，2025年4月2日至5月30日，区委第三巡察组对平川镇大桥村等23个村（社区）党组织"
        "进行了巡察。2025年6月20日，区委第三巡察组向大桥村党总支反馈了巡察意见。",
    )
    assert (rnd["inspector"], rnd["target"], rnd["feedback_date"]) == (
        "区委第三巡察组",
        "大桥村党总支",
        "2025-06-20",
    )


def test_a_group_inspected_together_and_the_feedback_to_a_unit_outside_it_keeps_the_group():
    rnd = read_round(
        "关于巡察整改情况的通报",
        "县委第二巡察组对甲局、乙局等5个单位党组织开展了巡察。2024年6月5日，县委第二巡察组向县委巡察办反馈了情况。",
    )
    assert rnd["target"] == "甲局、乙局等5个单位党组织"


def test_an_enterprises_or_universitys_own_audit_office_is_the_inspector():
    """集团审计部 / 学校审计处 / 公司审计与风险管理部 对…开展了审计: internal audit offices."""
    for preamble, office in (
        (
            "2024年5月至7月，集团审计部对物流公司开展了内部审计，并于2024年8月12日反馈了审计意见。",
            "集团审计部",
        ),
        ("2024年3月，学校审计处对化学学院开展了经济责任审计。", "学校审计处"),
        ("根据审计中心对我院的审计意见", "审计中心"),
        ("2024年，公司审计与风险管理部对下属3家子公司进行了专项审计。", "公司审计与风险管理部"),
    ):
        assert read_round("关于审计发现问题整改情况的报告", preamble)["inspector"] == office, preamble


def test_a_university_or_hospital_committees_group_keeps_its_xiao_or_yuan():
    """校党委第三巡视组 / 院党委第一巡察组: the committee of the school or the hospital, in full."""
    for preamble, group in (
        (
            "根据校党委统一部署，2024年3月4日至3月15日，校党委第三巡视组对外国语学院党委开展了巡视“回头看”。",
            "校党委第三巡视组",
        ),
        ("2024年3月，院党委第一巡察组对内科党支部开展了巡察。", "院党委第一巡察组"),
    ):
        assert read_round("关于巡视整改情况的通报", preamble)["inspector"] == group, preamble


def test_the_feedback_recipient_ends_before_the_people_and_the_manner_of_the_delivery():
    """向某局党组领导班子反馈 / …主要负责人和领导班子… / …书记张某进行了反馈 / …正式反馈 / …进行了集中反馈:
    the recipient is the body, not its leaders nor the adverb before the verb."""
    for wording in [
        "向市财政局党组领导班子反馈了巡视意见",
        "向市财政局党组主要负责人和领导班子反馈了巡视意见",
        "向市财政局党组书记张某进行了巡视反馈",
        "向市财政局党组正式反馈了巡视意见和整改要求",
        "向市财政局党组进行了集中反馈",
    ]:
        rnd = read_round(None, f"2024年6月14日，省委第三巡视组{wording}。")
        assert rnd["target"] == "市财政局党组", wording
        assert rnd["feedback_date"] == "2024-06-14", wording


def test_a_group_stationed_at_the_target_after_a_long_period():
    """组于2024年3月13日至2024年5月12日进驻某局开展巡察: the period after 于 is longer than a date."""
    rnd = read_round(
        None,
        "市委第二巡察组于2024年3月13日至2024年5月12日进驻市财政局党组开展常规巡察。"
        "2024年6月14日，市委第二巡察组向市财政局党组领导班子反馈了巡察意见。",
    )
    assert (rnd["inspector"], rnd["target"], rnd["feedback_date"]) == (
        "市委第二巡察组",
        "市财政局党组",
        "2024-06-14",
    )


def test_a_feedback_date_in_chinese_numerals():
    """二〇二四年六月十四日, as documents in the older style print a date in running text."""
    rnd = read_round(
        None,
        "二〇二四年三月十三日至五月十二日，县委第四巡察组对青石镇党委进行了常规巡察。"
        "二〇二四年六月十四日，县委第四巡察组向青石镇党委反馈了巡察意见。",
    )
    assert rnd["feedback_date"] == "2024-06-14"
    assert rnd["target"] == "青石镇党委"


def test_the_town_of_a_listed_group_of_villages_is_not_one_of_them():
    """对徐庄镇甲村、乙村等5个村级党组织进行了巡察，…向徐庄镇党委主要负责人和…反馈: the town heads the
    list's first name but is not one of the units inspected; the round's target stays the list."""
    rnd = read_round(
        None,
        "2022年11月29日至2023年2月20日，区委第五巡察组对徐庄镇甲村、乙村、丙村等3个村级党组织进行了巡察，"
        "3月14日，区委巡察组向徐庄镇党委主要负责人和被巡察村级党组织领导班子分别反馈了巡察意见。",
    )
    assert rnd["target"] == "徐庄镇甲村、乙村、丙村等3个村级党组织"
    rnd = read_round(
        None,
        "2025年4月，区委第三巡察组对平潮镇团圆村、大桥村等23个村（社区）党组织进行了巡察。"
        "6月20日，区委第三巡察组向大桥村党总支反馈了巡察意见。",
    )
    assert rnd["target"] == "大桥村党总支"


def test_a_group_numbered_after_the_word_for_its_kind():
    """县委巡察第一组 (as 巡察一组): the group's number after 巡察."""
    rnd = read_round(
        None,
        "2024年3月13日至5月12日，区委巡察第一组对某局党组进行了巡察。6月14日，区委巡察第一组向某局党组反馈了巡察意见。",
    )
    assert (rnd["inspector"], rnd["target"]) == ("区委巡察第一组", "某局党组")


def test_a_village_speaking_of_itself():
    """对我村进行了巡察 in 河湾村党支部's report: 我村 is no target's name; the village is."""
    rnd = read_round(
        "河湾村党支部关于巡察整改情况的报告",
        "2024年3月13日至5月12日，县委第二巡察组对我村进行了常规巡察。2024年6月14日，县委第二巡察组向我村反馈了巡察意见。",
    )
    assert rnd["target"] == "河湾村"


def test_a_speakers_byline_printed_twice_lends_no_place_to_the_audit_office():
    """``市审计局局长 俞金华`` printed twice in a row (a copy's slip) reads, its lines joined, as
    ``…局长 俞金华市审计局局长…``: a person's name after a byline's role is no place, and the office
    is completed with the place the opening line names."""
    preamble = (
        "2018年11月22日在慈溪市十七届人大常委会第十六次会议上\n市审计局局长 俞金华\n市审计局局长 俞金华\n"
        "主任、各位副主任、各位委员：\n我受市人民政府委托，向市人大常委会报告我市2017年度本级预算执行"
        "和其他财政收支审计查出问题的整改情况，请予审议。"
    )
    assert read_round(None, preamble)["inspector"] == "慈溪市审计局"
    assert read_round(None, preamble.replace("局长 俞金华\n市审计局局长 俞金华", "局长 俞金华"))[
        "inspector"
    ] == ("慈溪市审计局")


def test_an_evaluation_of_the_groups_work_names_no_inspected_body():
    """``对第七轮三个巡察组进驻期间的巡察工作进行了测评`` (after the feedback, the groups' own work is
    rated): the groups are no target, and ``组进驻期间`` is the time of a stay, not a place gone to;
    the feedback sentence names the inspected bodies."""
    for rated in (
        "反馈会后，集团党委巡察办分别对第七轮三个巡察组进驻期间的巡察工作进行了测评。",
        "反馈会后，市委巡察办对市委第二巡察组的巡察工作开展了满意度测评。",
        "会后，与会人员对巡察组进驻期间的工作作风进行了民主测评。",
    ):
        for feedback in (
            "9月2日，集团党委三个巡察组分别向甲公司党支部、乙公司党总支反馈了巡察意见。",
            "2024年9月2日，市委第二巡察组向某局党组反馈了巡察意见。",
        ):
            rnd = read_round(None, feedback + rated)
            assert rnd["target"] in ("甲公司党支部、乙公司党总支", "某局党组"), (feedback, rated, rnd)
            assert "期间" not in (rnd["inspector"] or "")


def test_groups_counted_before_the_committee_and_a_delivery_on_site_or_in_writing():
    """``15个省委巡视组分别向41个被巡视党组织进行了现场反馈``: the count may stand before the
    committee's name, and 现场 / 书面 say how the feedback was delivered, not whom to."""
    for groups in ("15个省委巡视组", "3个市委巡察组", "两个县委巡察组"):
        for manner in ("进行了现场反馈", "现场反馈了巡视意见", "书面反馈了巡察意见", "进行了书面反馈"):
            rnd = read_round(None, f"2023年8月28日，{groups}分别向41个被巡视党组织{manner}。")
            assert (rnd["inspector"], rnd["target"]) == (groups, "41个被巡视党组织"), (groups, manner, rnd)
            assert rnd["feedback_date"] == "2023-08-28"
    rnd = read_round(None, "2024年5月8日，市委第二巡察组向某局党组进行了现场反馈。")
    assert (rnd["inspector"], rnd["target"]) == ("市委第二巡察组", "某局党组")


def test_a_unit_meeting_on_the_feedback_it_received():
    """``市政府机关党组召开(扩大)会议，…传达学习十二届市委第三巡察组巡察反馈意见``: the organ that meets
    on the feedback is the inspected body; the verbs before the group (传达学习, 研究部署, 通报了) are
    no part of its name; the meeting's date is not the feedback's; and the slogan 关于巡视工作的
    重要论述, read by every 巡察 too, names no kind."""
    units = ["市政府机关党组", "县医疗保障局党组", "县人民医院党委"]
    verbs = [
        "传达学习十二届市委第三巡察组巡察反馈意见",
        "研究部署市委第三巡察组巡察反馈意见整改工作",
        "通报了市委第三巡察组的巡察反馈意见",
    ]
    for unit in units:
        for verb in verbs:
            for date in ("12月16日", "2025年12月16日"):
                rnd = read_round(
                    None,
                    f"{date}，{unit}召开(扩大)会议，深入学习贯彻习近平总书记关于巡视工作的重要论述，{verb}，"
                    "专题研究安排整改落实工作。",
                )
                got = (rnd["kind"], rnd["inspector"], rnd["target"], rnd["feedback_date"])
                assert got == ("巡察", "市委第三巡察组", unit, None), (unit, verb, date, got)
    # the feedback sentence, where there is one, still dates it
    rnd = read_round(
        None,
        "2024年4月2日，县委第二巡察组向县医保局党组反馈了巡察意见。2024年5月18日，县医保局党组召开党组会，传达学习巡察反馈意见。",
    )
    assert (rnd["target"], rnd["feedback_date"]) == ("县医保局党组", "2024-04-02")


def test_a_feedback_dated_without_its_year_takes_the_pages_date():
    """``1月17日，市委第五专项巡察组巡察某医院党委情况反馈会议召开`` on a page whose date line reads
    ``时间:2024/1/19``: the year is the page's, or the one before when the day falls after the page's
    (a feedback of 12月26日 published on 2024-01-05); a page without a date leaves the date unknown."""
    body = "根据市委统一安排，{day}，市委第五专项巡察组巡察市第二人民医院党委情况反馈会议召开。\n"
    for line, day, expected in (
        ("时间:2024/1/19 11:27:48    作者:党建办", "1月17日", "2024-01-17"),
        ("发布时间：2024-01-19 来源：市第二人民医院", "1月17日", "2024-01-17"),
        ("发布日期：2024年1月5日", "12月26日", "2023-12-26"),
        ("时间:2024/1/19 11:27:48    作者:党建办", "1月17日上午", "2024-01-17"),
    ):
        text = "市委第五专项巡察组向市第二人民医院党委反馈巡察情况\n" + line + "\n" + body.format(day=day)
        ledger = parse_document(text.encode("utf-8"), "page.txt")
        assert ledger["round"]["feedback_date"] == expected, (line, day, ledger["round"])
        assert ledger["round"]["target"] == "市第二人民医院党委"
    text = "市委第五专项巡察组向市第二人民医院党委反馈巡察情况\n" + body.format(day="1月17日")
    assert parse_document(text.encode("utf-8"), "page.txt")["round"]["feedback_date"] is None
    # a year printed in the text is still the one read
    text = (
        "关于巡察整改情况的通报\n发布时间：2025-03-01\n"
        "2023年10月9日至11月30日，县委第二巡察组对某局党组进行了巡察。1月17日，县委第二巡察组向某局党组反馈了巡察意见。\n"
    )
    assert parse_document(text.encode("utf-8"), "page.txt")["round"]["feedback_date"] == "2024-01-17"


def test_a_ministrys_group_named_without_its_party_group():
    """``教育部第一巡视组`` / ``水利部第二巡视组``: a ministry stands before its numbered group as a
    committee does, after a comma or after 根据 / 按照; its name is kept."""
    for ministry in ("教育部", "水利部", "农业农村部", "自然资源部"):
        group = ministry + "第二巡视组"
        for preamble in (
            f"根据{group}的反馈意见，学校将整改任务明确为12项。",
            f"2024年3月至5月，{group}对某局党组进行了巡视。2024年6月14日，{group}向某局党组反馈了巡视意见。",
            f"按照部党组统一部署，{group}于2024年3月至5月对某局党组开展了常规巡视。",
        ):
            assert read_round(None, preamble)["inspector"] == group, preamble


def test_a_party_group_named_by_its_own_units_short_form():
    """``委党组巡察组`` (a health commission's hospital calls it so), ``部党组巡视组``, ``局党组巡察组``:
    the commission's, ministry's or bureau's one-character form stays with the group, as 校党委 and
    院党委 do; traditional script reads the same."""
    for organ in ("委党组", "部党组", "局党组", "院党委", "校党委"):
        for on_site, feedback in (
            (
                "2017年5月9日至6月9日，{g}对省胸科医院进行了为期1个月的巡察。",
                "2017年7月5日，{g}向医院反馈了巡察意见。",
            ),
            ("{g}于2017年5月9日至6月9日对省胸科医院开展了巡察。", "7月5日，{g}反馈了巡察意见。"),
        ):
            group = organ + "巡察组"
            rnd = read_round(None, on_site.format(g=group) + feedback.format(g=group))
            assert (rnd["inspector"], rnd["target"], rnd["feedback_date"]) == (
                group,
                "省胸科医院",
                "2017-07-05",
            )
    text = "2017年5月9日至6月9日，委黨組巡察組對省胸科醫院進行了巡察。2017年7月5日，委黨組巡察組向醫院反饋了巡察意見。"
    rnd = parse_document(text.encode("utf-8"), "news.txt")["round"]
    assert (rnd["inspector"], rnd["target"]) == ("委黨組巡察組", "省胸科醫院")


def test_a_places_own_plan_named_in_the_text_names_the_inspected_place():
    """``研究讨论《黑龙江省贯彻落实中央环境保护督察反馈意见整改方案》`` in a news item on a meeting:
    where no sentence names whom the group inspected, the place whose plan (or report) on the
    feedback is named is that place."""
    for place in ("黑龙江省", "宁夏回族自治区", "景东县", "石川市"):
        for plan in (
            "《{p}贯彻落实中央环境保护督察反馈意见整改方案》",
            "《{p}落实省第二生态环境保护督察组督察反馈意见整改工作方案》",
            "《{p}贯彻落实省委巡视反馈意见整改落实情况》",
        ):
            preamble = (
                "19日上午，领导小组组长主持召开领导小组工作会议，研究讨论" + plan.format(p=place) + "。"
                "会议强调，高度重视中央第二环境保护督察组、省委第三巡视组的反馈意见。"
            )
            assert read_round(None, preamble)["target"] == place, (place, plan)
    # a sentence that names the target still does
    rnd = read_round(
        None,
        "2024年4月，省第二生态环境保护督察组对景东县开展了督察。会议审议《石川市贯彻落实督察反馈意见整改方案》。",
    )
    assert rnd["target"] == "景东县"


def test_the_place_an_inspection_group_hands_complaints_to_is_the_target():
    """``省第一生态环境保护督察组向铜陵市转办第十批信访件`` (a title), ``中央第六生态环境保护督察组向
    重庆市交办第二十二批群众信访举报件`` (a sentence): the place the complaints are handed to is the
    place under inspection; 向我市转办 in the text leaves it to the title."""
    for group in ("省第一生态环境保护督察组", "中央第六生态环境保护督察组", "国家自然资源督察成都局"):
        for place in ("铜陵市", "重庆市", "景东县"):
            for verb in ("转办第十批信访件", "交办第二十二批群众信访举报件", "移交第三批群众信访举报件"):
                title = f"{group}向{place}{verb}"
                rnd = read_round(title, f"4月17日，{group}向我市{verb}7件，其中来电举报4件。")
                assert (rnd["kind"], rnd["target"]) == ("督察", place), (title, rnd)
                rnd = read_round(None, f"4月17日，{group}向{place}{verb}7件，其中来电举报4件。")
                assert rnd["target"] == place, (group, place, verb, rnd)
    assert read_round(None, "4月17日，省第一生态环境保护督察组向我市转办信访件7件。")["target"] is None


def test_a_groups_meeting_held_at_a_unit_names_it_and_the_meetings_matter_names_no_one():
    """``区委第八巡察组在某社区召开巡察工作动员会``: the unit where the group holds its mobilisation or
    feedback meeting is the one inspected; ``召开巡察工作动员会`` alone names no one (工作 is the
    meeting's matter), and a hall (``在籍山镇会议中心召开``) is no unit."""
    for unit in ("龙蟠社管中心发能国际城社区", "某镇甲村", "某某有限公司", "县人民医院"):
        for meeting in ("巡察工作动员会", "巡察情况反馈会", "巡察反馈大会", "巡察进驻会议"):
            rnd = read_round(None, f"按照区委统一部署，12月3日下午，区委第八巡察组在{unit}召开{meeting}。")
            assert (rnd["inspector"], rnd["target"]) == ("区委第八巡察组", unit), (unit, meeting, rnd)
    for where in ("", "在籍山镇会议中心", "在县委三楼会议室"):
        for meeting in ("巡察工作动员会", "巡察工作反馈会议"):
            rnd = read_round(None, f"12月3日下午，县委第二巡察组{where}召开{meeting}。")
            assert rnd["target"] is None, (where, meeting, rnd)


def test_a_counted_target_named_in_the_feedback_and_a_committee_shortened_on_site():
    """``党委五个巡察组分别对五个学院党组织开展了常规巡察`` with ``学校党委五个巡察组分别向甲学院党委、
    乙学院党委…进行巡察情况反馈``: the units the feedback names stand for the count, and the
    committee's full name for its short one, whichever sentence comes first."""
    on_site = "10月12日至11月2日，党委{n}个巡察组分别对{n}个学院党组织开展了常规巡察。"
    feedback = "12月13日，学校党委{n}个巡察组分别向{units}进行巡察情况反馈。"
    for n, units in (("两", "甲学院党委、乙学院党总支"), ("三", "甲学院党委、乙学院党委、丙学院党总支")):
        for first, second in ((on_site, feedback), (feedback, on_site)):
            rnd = read_round(None, first.format(n=n, units=units) + second.format(n=n, units=units))
            assert (rnd["inspector"], rnd["target"]) == (f"学校党委{n}个巡察组", units), (first, rnd)
    # a count the feedback does not name stays as printed
    rnd = read_round(
        None, on_site.format(n="两") + "12月13日，学校党委两个巡察组分别向被巡察单位进行了反馈。"
    )
    assert rnd["target"] == "两个学院党组织"


def test_an_audit_group_sent_by_a_levels_audit_office():
    """``县审计组到观城镇开展审计工作`` / ``市审计组对某局进行了审计``: the level's audit group is the
    inspector and the place it goes to, or the body it audits, the target."""
    for level in ("县", "市", "区"):
        group = level + "审计组"
        for sentence, target in (
            (f"11月12日，{group}到观城镇开展审计工作。", "观城镇"),
            (f"2024年3月，{group}对某局2023年度财务收支情况进行了审计。", "某局"),
            (
                f"近日，莘县观城镇针对{group}审计出的问题，扎实做好整改。11月12日，{group}进驻观城镇开展审计。",
                "观城镇",
            ),
        ):
            rnd = read_round(None, sentence)
            assert (rnd["kind"], rnd["inspector"], rnd["target"]) == ("审计", group, target), (sentence, rnd)
    # a group named with its office is the office's, as before
    assert read_round(None, "县审计局派出审计组，对某局进行了审计。")["inspector"] == "县审计局"


def test_the_feedbacks_problems_named_on_a_follow_up_visit_date_no_feedback():
    """``3月20日，市委第四巡察组到城投公司督查回访巡察反馈问题整改落实情况``: 反馈 modifies the problems
    (巡察反馈问题, 巡视反馈意见整改), the visit's date is not the feedback's; a feedback sentence with
    its verb still dates it."""
    for visit in (
        "督查回访巡察反馈问题整改落实情况",
        "督导巡视反馈意见整改工作",
        "检查巡察反馈的问题整改情况",
        "调研巡察反馈意见落实情况",
    ):
        for date in ("3月20日", "2018年3月20日"):
            rnd = read_round(None, f"{date}，市委第四巡察组到城投公司{visit}。")
            assert rnd["feedback_date"] is None, (visit, date, rnd)
            assert (rnd["inspector"], rnd["target"]) == ("市委第四巡察组", "城投公司"), (visit, rnd)
    for feedback in ("向城投公司党委反馈了巡察意见", "反馈了巡察问题", "召开巡察反馈会"):
        rnd = read_round(None, f"2018年1月5日，市委第四巡察组{feedback}。")
        assert rnd["feedback_date"] == "2018-01-05", (feedback, rnd)


def test_a_feedback_to_the_inspected_by_role_leaves_the_on_site_list():
    """``县委…三个巡察组对保和镇、县财政局…开展了常规巡察，巡乡带村对某村…开展对村巡察`` with
    ``向被巡察单位党组织反馈意见建议26条``: several on-site clauses leave the target to the feedback
    only when it names the units; 被巡察单位党组织 names no one, so the first clause's list stands."""
    on_site = (
        "2020年4月7日至6月8日，县委第十一轮巡察三个巡察组对保和镇、县财政局、县医疗保障局开展了常规巡察，"
        "巡乡带村对保和镇罗马村、高泉村开展对村巡察。"
    )
    for role in ("被巡察单位党组织", "各被巡察单位", "被巡察党组织"):
        rnd = read_round(None, on_site + f"巡察组向{role}反馈意见建议26条。")
        assert rnd["target"] == "保和镇、县财政局、县医疗保障局", (role, rnd)
    rnd = read_round(
        None, on_site + "6月20日，巡察组向保和镇党委、县财政局党组、县医疗保障局党组反馈了巡察意见。"
    )
    assert rnd["target"] == "保和镇党委、县财政局党组、县医疗保障局党组"


def test_a_groups_feedback_named_by_whom_it_inspected():
    """``对四届市委第六巡察组巡察市教育局党组反馈意见整改工作进行再调度`` (a meeting on the
    rectification): the body the group's feedback is named for is the target; a plan's name that
    names no one (《…关于落实市委第六巡察组巡察反馈意见的整改方案》) gives nothing."""
    for group, kind in (("四届市委第六巡察组", "巡察"), ("省委第三巡视组", "巡视")):
        verb = kind
        for unit in ("市教育局党组", "某县人民医院党委", "甲镇党委"):
            for phrase in (
                f"对{group}{verb}{unit}反馈意见整改工作进行再调度、再部署。",
                f"研究部署{group}{verb}{unit}的反馈意见整改工作。",
                f"认真落实{group}{verb}{unit}情况的反馈意见。",
            ):
                rnd = read_round(None, "12月24日，某局召开整改工作领导小组会议，" + phrase)
                assert rnd["target"] == unit, (phrase, rnd)
    rnd = read_round(None, "会议研究完善了《关于落实四届市委第六巡察组巡察反馈意见的整改方案》。")
    assert rnd["target"] is None


# --- Shapes read from the third batch of real openings (rw2-*) ---


def test_a_feedback_meeting_dated_with_its_nian_and_yue_lost_before_the_sentence_naming_the_target():
    # 2022324日上午，…召开…情况反馈会。组长…向…反馈了巡察情况: the meeting's sentence carries the date
    for meeting in ("召开巡察某集团党委情况反馈会", "召开巡察情况反馈会议", "向某集团党委反馈巡察情况"):
        rnd = read_round(
            "区委第二巡察组向某集团党委反馈巡察情况",
            f"根据区委巡察工作领导小组安排，2022324日上午，区委第二巡察组在某会议室{meeting}。"
            "组长某某代表区委第二巡察组向某集团党委反馈了巡察情况。",
        )
        assert rnd["feedback_date"] == "2022-03-24", meeting
        assert rnd["inspector"] == "区委第二巡察组"
    # without its year, or ambiguous (2022111日: 1-11 or 11-1), no date is read from the glued digits
    for glued in ("324日上午", "2022111日上午"):
        rnd = read_round(
            None,
            f"{glued}，区委第二巡察组召开巡察情况反馈会。组长某某向某集团党委反馈了巡察情况。",
        )
        assert rnd["feedback_date"] is None, glued


def test_a_feedback_dated_without_its_year_takes_the_date_opening_a_keyless_release_line():
    """``2018年10月19日 07:29 | 來源:人民日報`` (the date before the line's first key) dates the page:
    ``10月17日、18日，中央第一环保督察组向某省反馈…`` is 2018's, not that of a year printed later in the
    text (``2016年中央环保督察以来``), in either script."""
    body = "{day}，中央第一、第二环保督察组分别向甲省、乙省反馈“回头看”情况。\n督察发现，2016年中央环保督察以来，甲省整改不力。\n"
    for line, day, expected in (
        ("2018年10月19日 07:29 | 来源:人民日报", "10月17日、18日", "2018-10-17"),
        ("2018年10月19日 07:29 | 來源:人民日報", "10月17日", "2018-10-17"),
        ("2019-01-05 10:00 来源:新华网", "12月26日", "2018-12-26"),
        ("发布时间:2018-10-19", "10月17日", "2018-10-17"),
    ):
        text = "中央环保督察组反馈情况\n" + line + "\n" + body.format(day=day)
        ledger = parse_document(text.encode("utf-8"), "page.txt")
        assert ledger["round"]["feedback_date"] == expected, (line, day, ledger["round"])
    # a head that is no date (a site's name) dates nothing: the year printed later is read
    text = "中央环保督察组反馈情况\n某某网 | 来源:人民日报 作者:某某\n" + body.format(day="10月17日")
    assert parse_document(text.encode("utf-8"), "page.txt")["round"]["feedback_date"] == "2016-10-17"


def test_an_enterprise_committees_unnumbered_group_keeps_the_enterprise_in_its_name():
    """``集团公司党委巡察组对甲公司进行了巡察``: the group is the enterprise committee's, named in full
    (not ``党委巡察组``), whichever enterprise word and committee it names and whatever opens the clause."""
    for group in (
        "集团公司党委巡察组",
        "集团党委巡察组",
        "公司党委巡察组",
        "集团公司党组巡视组",
        "集团巡察组",
    ):
        for lead in ("从2018年8月30日开始，", "按照统一部署，", ""):
            rnd = read_round(
                None, f"{lead}{group}对常林公司和天工院进行了巡察。12月10日，巡察组召开巡察情况反馈会议。"
            )
            assert rnd["inspector"] == group, (group, lead, rnd)
            assert rnd["target"] == "常林公司和天工院"
    # a numbered group of the committee is read as before
    rnd = read_round(None, "集团公司党委第二巡察组对甲公司党委进行了巡察。")
    assert rnd["inspector"] == "集团公司党委第二巡察组"


def test_the_audience_of_a_feedback_is_no_target_the_units_it_was_given_to_are():
    """``巡视组对两家被巡视单位进行了“一对一”反馈，…并向领导班子和干部职工代表反馈了巡视情况``: those
    told (领导班子, 干部职工代表, 班子成员) are the audience, the units fed back the target."""
    for audience in ("领导班子和干部职工代表", "班子成员", "全体党员干部", "主要负责同志"):
        for given in ("进行了“一对一”反馈", "进行了反馈", "开展集中反馈"):
            rnd = read_round(
                None,
                f"集中反馈会后，巡视组对两家被巡视单位{given}，向两家单位主要负责人通报了突出问题，"
                f"并向{audience}反馈了巡视情况。",
            )
            assert rnd["target"] == "两家被巡视单位", (audience, given, rnd)
    # an audience alone names no target
    rnd = read_round(None, "会后，巡视组向领导班子和干部职工代表反馈了巡视情况。")
    assert rnd["target"] is None
    # a unit with its audience stays the target
    rnd = read_round(None, "会后，省委第二巡视组向某局党组领导班子反馈了巡视情况。")
    assert rnd["target"] == "某局党组"


def test_a_places_report_on_the_audit_of_its_own_levels_budget_names_no_target():
    """``广东省人民政府关于我省2020年度省级预算执行…审计查出问题的整改情况报告`` speaking of 我省: the
    audit of the level's own budget covers its many departments, no target; a place's report on an
    audit of the place by a higher office (``南宁市人民政府关于…专项审计调查发现问题整改情况的函``) is
    the place's, as before."""
    body = "省审计厅向省人大常委会报告了审计查出问题的整改情况。我{level}高度重视审计整改工作。"
    for place, level, budget in (
        ("广东省", "省", "我省2020年度省级预算执行"),
        ("某某市", "市", "2022年度市本级预算执行"),
        ("某某县", "县", "2023年度县本级财政预算执行"),
        ("某某区", "区", "2021年度区级预算执行"),
    ):
        title = f"{place}人民政府关于{budget}和其他财政收支审计查出问题的整改情况报告"
        rnd = read_round(title, body.format(level=level))
        assert rnd["kind"] == "审计" and rnd["target"] is None, (title, rnd)
        title = f"{place}人民政府关于2022年大气污染防治专项审计调查发现问题整改情况的函"
        assert read_round(title, body.format(level=level))["target"] == place


def test_a_rounds_roster_of_groups_each_before_its_units_names_no_inspector():
    """``省委第一巡视组：兰州市… / 省委第二巡视组：白银市…`` under a notice on a whole round: several
    groups, each with its units; none is the round's inspector."""
    opening = "按照省委统一部署，2024年4月至7月，十四届省委第四轮巡视对甲市、乙市和省丙局开展了常规巡视。\n"
    for colon in ("：", ":"):
        for groups in (
            ("省委第一巡视组", "省委第二巡视组"),
            ("市委第一巡察组", "市委第二巡察组", "市委第三巡察组"),
        ):
            roster = "".join(f"{group}{colon}甲市乙县丙县\n" for group in groups)
            rnd = read_round(None, opening + "中共某省委巡视工作领导小组办公室\n2025年7月31日\n" + roster)
            assert rnd["inspector"] is None, (colon, groups, rnd)
    # one group named with a colon is the inspector, as before
    rnd = read_round(None, opening + "省委第一巡视组：反馈了巡视意见。\n")
    assert rnd["inspector"] == "省委第一巡视组"


def test_the_meeting_that_hears_the_groups_is_no_part_of_their_name():
    """``会议听取了市委第一、第二巡察组对甲局、乙局开展交叉巡察情况的汇报``: the groups are named after
    the meeting's verb, which stays out of the inspector's name, whichever meeting word opens it."""
    for lead in ("会议听取了", "会上听取了", "会议听取", "大会传达了", "听取了"):
        for groups in ("市委第一、第二巡察组", "市委第三巡察组", "县委第二巡察组"):
            rnd = read_round(
                "市委巡察工作领导小组听取巡察工作情况汇报",
                f"11月10日下午，市委巡察工作领导小组召开会议。{lead}{groups}对市交通运输局、市住房和城乡建设局开展交叉巡察情况的汇报。",
            )
            assert rnd["inspector"] == groups, (lead, groups, rnd)


def test_the_units_a_round_covered_fed_back_together_are_the_target_past_its_description():
    """``市委6个巡察组分别向本轮常规巡察、巡察“回头看”、专项巡察涉及的31家党组织进行了反馈``: the units,
    past the round's description (its kinds, one of them quoted) and 涉及的."""
    for kinds in ("本轮常规巡察、巡察“回头看”、专项巡察", "本轮常规巡察和“机动巡察”", "十四届市委第五轮巡察"):
        for units in ("31家党组织", "12个村（社区）党组织"):
            rnd = read_round(
                None,
                f"根据市委统一部署，9月2日至9月10日，市委6个巡察组分别向{kinds}涉及的{units}进行了反馈。",
            )
            assert rnd["inspector"] == "市委6个巡察组"
            assert rnd["target"] == units, (kinds, units, rnd)
    # a quoted word in a unit's own name stays in the target
    rnd = read_round(None, "2024年5月10日，县委第二巡察组向“红旗渠”精神教育基地党支部反馈了巡察意见。")
    assert rnd["target"] == "“红旗渠”精神教育基地党支部"


def test_an_on_site_sentence_that_names_no_group_still_names_the_units_covered():
    """``该区共对6个区直单位、1个乡开展了巡察“回头看”``: no group is named, the units are; what was
    examined (…工作), a pronoun or a clause is no target."""
    rnd = read_round(
        "某区开展巡察“回头看”", "据了解，该区共对6个区直单位、1个乡开展了巡察“回头看”，完成问题整改122个。"
    )
    assert rnd["target"] == "6个区直单位、1个乡"
    rnd = read_round(None, "会议要求，对已完成整改的，认真开展巡察整改成效评估。")
    assert rnd["target"] is None
    rnd = read_round(None, "派出三个督导组，对6个部门、7个乡镇开展脱贫攻坚反馈问题整改“回头看”。")
    assert rnd["target"] == "6个部门、7个乡镇"


def test_a_group_stationed_at_units_names_them_up_to_de():
    rnd = read_round(None, "在今年2月开始的本轮巡视中，中央巡视组进驻29所中管高校的消息备受社会关注。")
    assert rnd["target"] == "29所中管高校"


def test_a_feedback_given_one_to_one_or_by_a_numbered_round_names_its_units():
    rnd = read_round(None, "3月22日至30日，9个省委巡视组分别向28所省属高校进行了“一对一”反馈。")
    assert rnd["target"] == "28所省属高校"
    rnd = read_round(None, "根据省委部署，十三届省委第十二轮巡视向28所省属高校党委反馈工作近日全部完成。")
    assert rnd["target"] == "28所省属高校党委"


def test_a_headline_opening_with_a_provinces_short_name_names_the_province_rectifying():
    rnd = read_round(
        "四川召开国家自然资源督察反馈问题整改工作第2次视频调度会议", "会议听取了各地整改进展汇报。"
    )
    assert rnd["target"] == "四川"
    # a name that goes on (四川省委…, 河北大学…) or a headline on no rectification is not it
    assert read_round("河北大学召开巡视整改工作会议", "会议听取了整改进展汇报。")["target"] != "河北"
    assert read_round("四川召开督察工作会议", "会议部署了督察工作。")["target"] is None


def test_groups_counted_as_supervision_groups_are_the_inspector_of_a_huitoukan():
    rnd = read_round(
        None,
        "近期，县委巡察工作领导小组派出三个督导组，对6个部门、7个乡镇开展反馈问题整改“回头看”。"
        "督导组查看了县委巡察组反馈的问题是否整改彻底。",
    )
    assert rnd["inspector"] == "三个督导组"


def test_the_body_that_takes_the_rectification_to_heart_is_the_target_when_nothing_else_is():
    rnd = read_round(None, "中核集团党组对专项巡视整改工作高度重视，对下一阶段整改提出了具体要求。")
    assert rnd["target"] == "中核集团党组"
    # the committee that inspects, or a body that takes something else to heart, is not
    assert read_round(None, "我局党组高度重视巡察整改工作。")["target"] is None
    assert read_round(None, "某局党委高度重视安全生产，开展了巡察。")["target"] is None


def test_the_unit_that_meets_on_its_own_rectification_or_opens_the_headline_is_the_target():
    """News items on a unit's rectification name the unit as the one that meets on it, or open their
    headline with it; a group or a committee that inspects is not it."""
    cases = [
        (None, "近日，青石县教育局召开巡察反馈问题整改工作推进会。", "青石县教育局"),
        (None, "3月5日，青石镇党委书记主持召开巡察整改工作会议，研究部署整改工作。", "青石镇党委"),
        ("青石公司扎实推进巡视整改工作", "近日，公司召开会议研究整改工作。", "青石公司"),
        (
            "青石县人民医院：巡察整改见实效",
            "县委第三巡察组反馈问题以来，医院党委照单全收。",
            "青石县人民医院",
        ),
        (None, "日前，县委巡察办对县水利局巡察整改情况开展了监督检查。", "县水利局"),
        ("青石公司召开安全生产会议", "会议部署了巡察工作。", None),  # no rectification
        (None, "县委第二巡察组召开巡察整改督导会议。", None),  # the group itself
    ]
    for title, preamble, target in cases:
        assert read_round(title, preamble)["target"] == target, (title, preamble)


def test_a_feedback_in_the_sentence_of_the_visits_period_is_undated():
    """``2024年9月12日至11月15日，…开展了巡察，…并反馈了巡察意见``: 11月15日 ends the visit."""
    rnd = read_round(
        None,
        "根据市委统一部署，2024年9月12日至11月15日，市委第二巡察组对市卫健委党委开展了巡察，并反馈了巡察意见。",
    )
    assert rnd["feedback_date"] is None
    rnd = read_round(None, "2024年3月至5月，县委第一巡察组对某局开展了巡察，并于6月5日反馈了巡察意见。")
    assert rnd["feedback_date"] == "2024-06-05"


def test_a_clause_cut_before_its_verb_is_no_target():
    rnd = read_round(
        "某县审计局审计整改工作做到“四个告知”", "审计局对整改重点单位将开展实地检查，确保整改到位。"
    )
    assert rnd["target"] is None


def test_a_group_whose_people_go_down_to_a_place_names_it():
    rnd = read_round(
        None, "11月16日至18日，省委、省政府第三生态环境保护督察组人员下沉陆良督察环保督察反馈问题整改情况。"
    )
    assert rnd["target"] == "陆良"


def test_an_office_that_inspects_is_no_target_of_its_own_meeting_or_headline():
    """中牟县审计局召开…审计整改推进会: the audit office meets on the rectification of others."""
    rnd = read_round(None, "2022年，中牟县审计局召开2022年第一季度审计整改推进会，与各牵头单位一起查堵点。")
    assert rnd["target"] is None
    assert read_round("县委巡察办扎实推进巡察整改督查", "近日开展了督查。")["target"] is None


def test_a_clause_with_a_matter_and_an_adverb_or_a_clauses_words_before_a_place_is_no_target():
    assert read_round(None, "巡察整改完成后，对被巡察单位整改情况及时进行“回头看”。")["target"] is None
    rnd = read_round(
        None,
        "成立了以省委书记、省长为组长的领导小组。中央督察组对我省第一轮督察整改情况开展了督察“回头看”。",
    )
    assert rnd["target"] is None  # 成立了以省 is no name of 我省
    rnd = read_round(None, "陕西省委、省政府高度重视。中央督察组对我省第一轮督察整改情况开展了督察“回头看”。")
    assert rnd["target"] == "陕西省"


def test_a_check_that_follows_up_gives_way_to_the_round_whose_feedback_is_rectified():
    rnd = read_round(
        None,
        "昨天我们对全区突出环境问题整改情况进行了现场督查，今天召开全区落实中央环境保护督察反馈意见整改工作推进会议。",
    )
    assert rnd["kind"] == "督察"
    # a check alone, its findings fed back, is the round
    assert read_round(None, "近日，县委督查室对各单位进行了督查，反馈了督查发现的问题。")["kind"] == "检查"


def test_a_feedback_dated_by_its_month_takes_the_visits_year():
    rnd = read_round(
        None, "2021年4月，中央第九巡视组对国家税务总局党委开展了常规巡视，并于7月反馈了巡视意见。"
    )
    assert rnd["feedback_date"] == "2021-07"
    # … the month opening a clause of its own, without 于
    rnd = read_round(None, "2024年9月，学校党委第二巡察组对化学学院党委进行了巡察，11月反馈了巡察意见。")
    assert rnd["feedback_date"] == "2024-11"
    # a month before the visit's is in a year not printed: no date
    rnd = read_round(None, "2021年10月，中央第九巡视组对某局党组开展了常规巡视，并于2月反馈了巡视意见。")
    assert rnd["feedback_date"] is None


def test_a_fiscal_year_audited_is_not_the_year_of_the_feedback():
    rnd = read_round(
        None, "2023年3月至5月，县审计局对县水务局2022年度预算执行情况进行了审计，并于6月20日出具了审计报告。"
    )
    assert rnd["feedback_date"] == "2023-06-20"


def test_a_units_own_word_for_itself_is_the_titles_issuer():
    """``对学校党委开展了巡视`` in 青石大学关于…的通报: 学校党委 is the university's, as 我校党委 is."""
    rnd = read_round("青石大学关于巡视整改进展情况的通报", "省委第五巡视组对学校党委开展了巡视。")
    assert rnd["target"] == "青石大学"
    rnd = read_round("青石集团关于巡视整改进展情况的通报", "省委第五巡视组对集团公司党委开展了巡视。")
    assert rnd["target"] == "青石集团"
    # … with no issuer to stand for, the words stay as printed
    rnd = read_round("关于巡视整改进展情况的通报", "省委第五巡视组对学校党委开展了巡视。")
    assert rnd["target"] == "学校党委"


def test_a_feedback_without_its_year_takes_the_signatures():
    """The report is dated at its end (成文日期), after the feedback: 6月5日 before 9月20日 is that
    year's, 11月5日 after it the year before's."""
    body = "\n1.会议记录不规范。\n整改措施：一是建立签字制度。\n中共某某局党组\n2024年9月20日\n"
    for fed, date in (("6月5日", "2024-06-05"), ("11月5日", "2023-11-05")):
        text = f"关于巡察整改情况的通报\n县委第三巡察组对我局开展了巡察，并于{fed}反馈了巡察意见。{body}"
        ledger = parse_document(text.encode("utf-8"), "report.txt")
        assert ledger["round"]["feedback_date"] == date, fed


def test_a_check_the_body_ran_itself_is_no_round():
    """组织开展专项检查3次 in a work report: no group came, nothing was fed back: no kind."""
    rnd = read_round(
        "关于2023年度党风廉政建设工作情况的报告",
        "2023年，局党组深入开展作风建设，组织开展专项检查3次，发现问题12个，已全部整改。",
    )
    assert rnd["kind"] is None
    rnd = read_round(
        None, "市委组织部第三检查组于2024年5月对某院开展了选人用人专项检查，6月28日反馈了检查意见。"
    )
    assert (rnd["kind"], rnd["inspector"]) == ("检查", "市委组织部第三检查组")


def test_a_target_cut_short_is_read_as_printed_in_full_elsewhere():
    """天津等7省市 / 7省市 where the text lists them all; 秀山村 where it names its 街道 too."""
    preamble = (
        "截至9月中旬，天津、山西、辽宁、安徽、福建、湖南、贵州等7省市已完成313项整改任务。"
        "去年，中央环境保护督察组对天津等7省市开展了环境保护督察。"
    )
    assert read_round(None, preamble)["target"] == "天津、山西、辽宁、安徽、福建、湖南、贵州等7省市"
    preamble = "近日，区委巡察组工作人员再次来到官塘桥街道秀山村。此前，区委巡察组进驻秀山村开展巡察。"
    assert read_round(None, preamble)["target"] == "官塘桥街道秀山村"
    # … a list that starts with another name is another list
    preamble = "甲市、乙市等2市已完成。中央督察组对丙市等2市开展了督察。"
    assert read_round(None, preamble)["target"] == "丙市等2市"


def test_a_report_on_its_own_rectification_names_its_issuer_as_the_inspected():
    """中共某局党组关于县委巡察整改进展情况的通报 with no sentence naming the inspected: the issuer,
    its committee named as people name it; not an office that inspects, not an own-level budget's
    audit, not a 主题教育 检视 list."""
    bland = "按照党务公开原则和巡察工作有关要求，现将整改进展情况予以公布。"
    cases = {
        "中共临河县农业农村局党组关于县委巡察整改进展情况的通报": "临河县农业农村局党组",
        "中共临河县委员会关于省委巡视整改进展情况的通报": "临河县委",
        "中共澄江师范大学委员会关于省委巡视整改进展情况的通报": "澄江师范大学党委",
        "临河县人民政府关于省级生态环境保护督察反馈意见整改情况的报告": "临河县",
        "某某镇党委关于巡察整改情况的通报": "某某镇党委",
        "宁波市审计局关于2021年度审计工作报告反映问题整改情况的报告": None,
        "甘肃省人民政府关于2020年度省级预算执行审计查出问题整改情况的报告": None,
        "中共溪口县水利局党组关于主题教育检视问题整改落实情况的通报": None,
        "中共临河县委员会关于2024年工作要点的通知": None,
    }
    for title, target in cases.items():
        assert read_round(title, bland)["target"] == target, title
    # … and never over a sentence that names the inspected
    rnd = read_round(
        "中共临河县农业农村局党组关于县委巡察整改进展情况的通报",
        "县委第二巡察组对县农业农村局党组开展了巡察。",
    )
    assert rnd["target"] == "县农业农村局党组"


def test_the_inspection_office_beside_its_group_makes_no_list_of_inspectors():
    """市委巡视办和市委巡视组: the office guides, the group inspected; a list of groups (中央、省委…督察组,
    甲组和乙组) still names no one inspector."""
    for preamble, inspector in {
        "会议强调，坚决贯彻落实市委巡视办和市委巡视组巡视整改要求。": "市委巡视组",
        "会议强调，认真落实市委巡察组和市委巡察办的整改要求。": "市委巡察组",
        "在省委巡视工作领导小组办公室和省委第三巡视组指导下抓好整改。": "省委第三巡视组",
        "会议强调，落实中央、省委生态环境保护督察组的要求。": None,
    }.items():
        assert read_round(None, preamble)["inspector"] == inspector, preamble


def test_a_target_blanked_out_in_a_template_is_no_target():
    """向xx反馈 / 巡察的xxx个单位: a placeholder names no one; x镇党委 still names a unit's kind."""
    assert read_round(None, "今年X月，中央环保督察组向xx反馈了整改意见。")["target"] is None
    assert read_round(None, "市委巡察组对市委上轮巡察的xxx个单位开展了巡察。")["target"] is None
    assert read_round(None, "区委第x巡察组对x镇党委开展了巡察。")["target"] == "x镇党委"


def test_the_day_a_feedback_is_published_is_not_the_day_it_was_given():
    """1月10日晚，第四轮巡视反馈情况集中向社会公布: a news item's day of publication."""
    preamble = (
        "1月10日晚，十九届中央第四轮巡视反馈情况在中央纪委国家监委网站集中向社会公布。"
        "根据党中央统一部署，2019年9月至11月，中央对37个中央和国家机关单位党组织开展常规巡视。"
    )
    assert read_round(None, preamble)["feedback_date"] is None
    # … a sentence that gives the feedback keeps its date
    given = "2024年7月10日，县委第二巡察组向县水利局党组反馈了巡察情况，反馈情况将向社会公布。"
    assert read_round(None, given)["feedback_date"] == "2024-07-10"


def test_the_feedback_a_body_acts_on_is_not_dated_by_the_visit():
    """学校党委于2020年11月下旬对某学院开展了巡察，某学院根据巡察反馈意见制定了整改方案."""
    preamble = "学校党委于2020年11月下旬对机械学院开展了巡察工作，机械学院根据巡察反馈意见，制定了整改方案。"
    assert read_round(None, preamble)["feedback_date"] is None
    assert read_round(None, "2020年11月，巡察组向机械学院反馈了巡察意见。")["feedback_date"] == "2020-11"


def test_a_recipient_that_refers_back_takes_the_list_the_round_covered():
    """向上述地区、单位反馈: the fullest list printed before it (涉及…10个省区市和…3个单位)."""
    preamble = (
        "2014年中央巡视组第二轮巡视反馈情况已全部公布，涉及甲省、乙省、丙市等10个省区市和丁局、戊院3个单位。"
        "第二轮巡视共包括甲省、乙省等10个省区市。近期，中央巡视组也陆续向上述地区、单位反馈巡视意见。"
    )
    assert read_round(None, preamble)["target"] == "甲省、乙省、丙市等10个省区市和丁局、戊院3个单位"
    assert read_round(None, "巡视组向上述单位反馈了巡视意见。")["target"] is None


def test_units_listed_as_the_inspected_or_reporting_their_own_rectification():
    """A hearing's 被审计单位 with their count, a meeting's 被巡察单位, units whose heads report their
    rectification: the list as printed, where no sentence of the round names the inspected."""
    cases = {
        "近日，区人大常委会召开会议，听取和审议区农委、区商务局、空港新城公司等3个被审计单位的审计整改落实情况报告。": (
            "区农委、区商务局、空港新城公司等3个被审计单位"
        ),
        "公司纪委书记出席会议，海外事业部、市政公司、福州建设公司3家被巡察单位班子成员参加会议。": (
            "海外事业部、市政公司、福州建设公司3家被巡察单位"
        ),
        "会上，市农委、市民政局、市教体局主要负责同志汇报了有关审计整改情况。": "市农委、市民政局、市教体局",
        "会上，市农委、市民政局负责同志汇报了全年工作。": None,
    }
    for preamble, target in cases.items():
        assert read_round(None, preamble)["target"] == target, preamble


def test_a_place_or_a_unit_that_acts_on_its_rectification_is_the_inspected():
    """Where no sentence of the round names the inspected: a place whose leader dispatches the
    rectification, a place that holds a meeting on what a group handed over, a unit's own meeting on
    its rectification; never an office that inspects."""
    cases = {
        "9月1日，宜城市委副书记、市长肖平专题调度十二届省委第三轮巡视反馈问题整改工作。": "宜城市",
        "4月28日，屈原管理区召开落实市委第七巡察组交办边巡边改问题调度会。": "屈原管理区",
        "7月6日上午，四川大学意识形态巡视整改专题工作会在望江校区召开。": "四川大学",
        "5月8日，青石县政府召开中央环保督察反馈问题整改推进会。": "青石县",
        "5月8日，市委巡察办召开巡察整改督导工作会议。": None,
        "5月8日，青石县召开全县经济工作会议。": None,
    }
    for preamble, target in cases.items():
        assert read_round(None, preamble)["target"] == target, preamble


def test_a_theme_educations_own_checks_make_no_round():
    """主题教育's 巡回指导组 开展…整治推进会 / 整治督查组: a check is the only kind named, no round."""
    preamble = (
        "10月17日上午，校主题教育第一巡回指导组到机关部处开展主题教育专项问题整治推进会。"
        "校主题教育专项问题整治督查组负责人也到场听取汇报。"
    )
    assert read_round(None, preamble)["kind"] == "检查"  # what the words alone would give
    rnd, warning = round_and_warning(None, preamble)
    assert rnd == {"kind": None, "inspector": None, "target": None, "feedback_date": None}
    assert warning and "主题教育" in warning
    # … a real inspection's round in the same text keeps its kind
    rnd, _ = round_and_warning(None, "县委第二巡察组对县水利局党组开展了巡察，结合主题教育抓好整改。")
    assert rnd["kind"] == "巡察"


def test_a_group_named_with_its_round_takes_its_own_name_printed_elsewhere():
    """五届市委第七轮巡察第二巡察组对…进行了巡察 with 市委第二巡察组向…反馈 in the title: the group."""
    title = "市委第二巡察组向市卫健委党组反馈巡察情况"
    preamble = (
        "2025年7月14日，市委第二巡察组向市卫健委党组反馈了巡察情况。"
        "2025年3月24日至5月30日，五届市委第七轮巡察第二巡察组对市卫健委党组进行了巡察。"
    )
    assert read_round(title, preamble)["inspector"] == "市委第二巡察组"
    alone = "2025年3月24日至5月30日，五届市委第七轮巡察第二巡察组对市卫健委党组进行了巡察。"
    assert read_round(None, alone)["inspector"] == "市委第七轮巡察第二巡察组"


def test_a_count_of_groups_takes_its_committee_printed_with_the_same_count():
    """13个巡视组将对…开展巡视 where the lead says 13个省委巡视组已全部进驻."""
    preamble = "截至8月25日，13个省委巡视组已全部进驻。根据省委统一部署，13个巡视组将对甲县、乙县等22个县开展常规巡视。"
    assert read_round(None, preamble)["inspector"] == "13个省委巡视组"
    assert read_round(None, "13个巡视组将对甲县、乙县等22个县开展常规巡视。")["inspector"] == "13个巡视组"


def test_the_sentence_of_whom_was_inspected_comes_before_one_of_where_a_group_went():
    """巡察组到某乡某村进行“回头看” then 巡察组对某乡开展常规巡察: the inspected is the 乡."""
    preamble = (
        "近日，陵城区委第三巡察组到于集乡前张村，就前期巡察发现问题整改情况进行“回头看”。"
        "陵城区委第三巡察组今年6月对于集乡开展常规巡察时，发现前张村没有固定集市。"
    )
    assert read_round(None, preamble)["target"] == "于集乡"


def test_a_campus_is_no_place_for_an_audit_office():
    """在港务校区召开…审计整改会 … 审计局: 港务校区 is no level of government."""
    preamble = "2025年10月16日，在港务校区六楼会议室召开国有资产专项审计整改会。各部门要与审计局加强协作。"
    assert read_round(None, preamble)["inspector"] == "审计局"


def test_the_inspected_counted_as_such_are_the_target_where_nothing_else_names_them():
    """第一轮被巡察的两个学院党委认真落实… / 被巡视的3家单位均已…; never the bare 被巡察单位党委要…"""
    cases = {
        "会议指出，第一轮被巡察的两个学院党委认真落实学校党委关于巡察整改要求。": "两个学院党委",
        "被巡视的3家单位均已完成整改。": "3家单位",
        "被巡视单位党委要深刻学习领悟，把狠抓巡视整改作为重要任务。": None,
        "推动被巡察单位建立完善制度320余项。": None,
    }
    for preamble, target in cases.items():
        assert read_round(None, preamble)["target"] == target, preamble


def test_a_departments_numbered_group_keeps_its_department():
    """省自然资源厅第三督察组 / 市应急管理局第二督查组, as a ministry's (教育部第一巡视组)."""
    for preamble, inspector in {
        "2024年7月，省自然资源厅第三督察组对桑园县开展了自然资源例行督察。": "省自然资源厅第三督察组",
        "5月，市应急管理局第二督查组对某镇开展了安全生产督查。": "市应急管理局第二督查组",
        "根据部署，教育部第一巡视组对某大学开展了巡视。": "教育部第一巡视组",
    }.items():
        assert read_round(None, preamble)["inspector"] == inspector, preamble


def test_a_named_bodys_party_organisation_meeting_on_its_rectification_is_the_inspected():
    """区政协机关党组召开…巡视反馈意见整改专题民主生活会 / 市人大常委会党组召开巡视整改专题民主生活会; not
    a body named only by its kind (学校党委), nor one holding an evaluation of the rectification."""
    cases = {
        "4月9日，区政协机关党组召开关于中央脱贫攻坚专项巡视反馈意见整改专题民主生活会。": "区政协机关党组",
        "9月6日，市人大常委会党组召开巡视整改专题民主生活会。": "市人大常委会党组",
        "3月14日，学校党委召开巡察整改推进会。": None,
        "3月7日，中建集团党组召开2024年第一轮巡视集中整改情况评价会。": None,
    }
    for preamble, target in cases.items():
        assert read_round(None, preamble)["target"] == target, preamble


def test_an_inspection_offices_written_findings_delivered_date_the_feedback():
    """于2025年1月20日向县人民政府送达了《督察意见书》, as an audit report issued on a date."""
    preamble = "2024年9月至10月，国家自然资源督察武汉局对我县开展了督察，并于2025年1月20日向县人民政府送达了《督察意见书》。"
    assert read_round(None, preamble)["feedback_date"] == "2025-01-20"


def test_an_audited_pronoun_with_its_verb_is_the_titles_issuer():
    """对我公司实施的…工程进行了专项审计 in 某某有限公司关于…: the company."""
    rnd = read_round(
        "澄州市水务集团有限公司关于供水管网改造工程审计发现问题整改情况的公示",
        "2024年11月至2025年3月，澄州市审计局对我公司实施的中心城区供水管网改造工程进行了专项审计。",
    )
    assert rnd["target"] == "澄州市水务集团有限公司"


def test_a_titles_economic_responsibility_audit_names_the_unit_and_a_reports_issue_date_dates_it():
    """岚溪县水利局原局长周建平同志任期经济责任审计…整改台账 / 审计报告：岚审经责报〔2025〕6号，2025年3月14日出具
    (a ledger's title rows); an issuer before 关于原镇党委书记… keeps its own name."""
    rnd = read_round(
        "岚溪县水利局原局长周建平同志任期经济责任审计发现问题整改台账",
        "审计机关：岚溪县审计局　审计报告：岚审经责报〔2025〕6号，2025年3月14日出具　统计截至：2025年11月30日",
    )
    assert (rnd["target"], rnd["feedback_date"]) == ("岚溪县水利局", "2025-03-14")
    rnd = read_round(
        "中共新平县漠沙镇委员会关于原镇党委书记杨志华同志任期经济责任审计发现问题整改情况的报告",
        "新平县审计局对我镇原党委书记杨志华同志任期经济责任履行情况进行了审计。",
    )
    assert rnd["target"] == "中共新平县漠沙镇委员会"


_CLAUSE_PARTS = [
    "县委",
    "市委",
    "中共某县委",
    "集团党委",
    "第二",
    "第十一轮",
    "、第三",
    "巡察",
    "巡视",
    "督察",
    "审计",
    "组",
    "一组",
    "工作领导小组",
    "生态环境保护",
    "3个",
    "派出",
    "对某局",
    "某某公司、",
    "，",
    "。",
    "“回头看”",
    "x",
]


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_CLAUSE_PARTS), max_size=30))
def test_the_clause_searched_patterns_find_what_their_patterns_find_over_the_whole_text(parts):
    """roundinfo._FromClause (its kernel, its clause, its bound on a match's width) finds the same
    matches as its pattern over the whole text, in the same order."""
    import re

    from zhenggai.core import roundinfo

    text = "".join(parts)
    for wrapped in (roundinfo.INSPECTOR, roundinfo._GROUP_COUNT, roundinfo._ENV_GROUP):
        compiled = re.compile(wrapped.pattern.pattern)
        assert [(m.span(), m.groups()) for m in wrapped.finditer(text)] == [
            (m.span(), m.groups()) for m in compiled.finditer(text)
        ], text


_PREAMBLE_PARTS = [
    "青石镇党委",
    "县教育局",
    "某局党组",
    "对巡察整改工作",
    "始终",
    "召开",
    "推进会",
    "某县委",
    "市委",
    "某某大学",
    "高度重视",
    "巡察",
    "巡视",
    "审计",
    "整改",
    "边巡边改",
    "立即召开",
    "专题会议",
    "研究部署",
    "工作会",
    "在某校区召开",
    "书记张三",
    "，",
    "。",
    "；",
    "5月8日",
    "上午",
]


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_PREAMBLE_PARTS), max_size=40))
def test_the_rectifiers_patterns_searched_in_parts_find_what_they_find_in_the_whole_text(parts):
    """roundinfo._in_parts (the parts of a text where the kernel stands, kept for the text's next
    pattern) finds the leftmost match each rectifier pattern finds in the whole text."""
    import re

    from zhenggai.core import roundinfo

    text = "".join(parts)
    for pattern, kernel in (
        (roundinfo._RECTIFIER, roundinfo._HIGHLY_VALUED),
        (roundinfo._MEETS_ON_IT, roundinfo._KIND_THEN_RECTIFIED),
        (roundinfo._UNITS_MEETING, roundinfo._KIND_THEN_RECTIFIED),
        (roundinfo._PLACE_ACTS_ON_IT, roundinfo._KIND_THEN_RECTIFIED),
    ):
        found, expected = roundinfo._in_parts(pattern, kernel, text), re.compile(pattern.pattern).search(text)
        assert (found and (found.span(), found.groups())) == (
            expected and (expected.span(), expected.groups())
        )
