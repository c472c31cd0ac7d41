"""The genre of a rectification report: its section kinds, the fields of a finding, status wordings and
its closing, each pattern on a short made-up report."""

from __future__ import annotations

import pytest

from zhenggai.core import phrases as ph
from zhenggai.core import sections as sk
from zhenggai.core.parse import parse_document

HEAD = (
    "关于县委第一巡察组反馈意见整改情况的通报\n"
    "2024年3月至5月，县委第一巡察组对某局党组开展了常规巡察，并于2024年6月5日反馈了巡察意见。\n"
)


def parse(body: str) -> dict:
    return parse_document((HEAD + body).encode("utf-8"), "report.txt")


def find(ledger: dict, *path: int) -> dict:
    nodes, node = ledger["sections"], None
    for number in path:
        node = next(n for n in nodes if n["number"] == number)
        nodes = node["children"]
    assert node is not None
    return node


def is_heading(node: dict) -> bool:
    return node["problem"] is None and node["measures"] == []


FINDINGS = "二、巡察反馈问题整改情况\n1.学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n"


# ---- section kinds ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("巡察反馈问题整改工作总体情况", sk.OVERALL),
        ("审计查出问题整改的总体情况", sk.OVERALL),
        ("加强领导、压实责任", sk.ORGANISATION),
        ("提高政治站位，扛牢整改责任", sk.ORGANISATION),
        ("整改进展总体情况", sk.OVERALL),
        ("整改成效", sk.PROGRESS),
        ("下一步工作打算", sk.OUTLOOK),
        ("今后努力方向", sk.OUTLOOK),
        ("联系方式", sk.CONTACT),
        ("巡察反馈问题整改落实情况", sk.FINDINGS),
        ("落实主体责任不到位", sk.FINDINGS),
        ("基层治理不均衡", sk.FINDINGS),
        ("村集体资产管理混乱", sk.FINDINGS),
        ("聚焦突出问题，狠抓整改落实", sk.ORGANISATION),
        ("巡察反馈意见整改落实情况", None),
        ("审计反映问题整改责任落实情况", sk.ORGANISATION),
        ("审计反馈问题整改完成情况", sk.PROGRESS),
        ("落实全面从严治党主体责任方面", sk.FINDINGS),
        ("2022年度区本级预算执行情况", sk.OVERALL),
        ("总体整改情况", sk.OVERALL),
        ("后续工作安排", sk.OUTLOOK),
        ("尚未整改到位问题的原因及后续安排", sk.OUTLOOK),
    ],
)
def test_a_heading_announces_the_kind_of_its_section(title, kind):
    assert sk.heading_kind(title) == kind


def test_an_overall_situation_holds_prose_even_with_wenti_in_its_heading():
    ledger = parse(
        "一、巡察反馈问题整改工作总体情况\n（一）压实整改责任。局党组召开专题会议6次。\n"
        "（二）强化督促检查。每月调度整改进度。\n" + FINDINGS
    )
    assert is_heading(find(ledger, 1, 1)) and is_heading(find(ledger, 1, 2))
    assert find(ledger, 1, 1)["text"] == "局党组召开专题会议6次。"
    assert len(find(ledger, 2, 1)["measures"]) == 2


def test_a_slogan_heading_over_prose_is_organisation_not_a_finding():
    ledger = parse("一、加强领导、压实责任\n局党组成立整改工作领导小组，召开会议研究部署。\n" + FINDINGS)
    assert is_heading(find(ledger, 1))
    assert find(ledger, 1)["text"].startswith("局党组成立")


def test_items_that_state_no_problem_make_an_organisation_section_whatever_the_heading():
    ledger = parse(
        "一、巡察整改工作\n（一）加强组织领导。成立领导小组。\n（二）强化督促检查。每月调度一次。\n"
        + FINDINGS
    )
    assert is_heading(find(ledger, 1, 1)) and is_heading(find(ledger, 1, 2))


def test_a_meetings_numbered_requirements_are_no_findings():
    """会议强调：1.要深化思想认识。… 2.要压实整改责任。…: what a meeting asks is no problem found."""
    ledger = parse(
        "会议强调：\n1.要深化思想认识。全体干部要充分认识整改的重要性。\n2.要压实整改责任。班子成员要带头。\n"
        "3.必须坚持问题导向。把整改成果转化为发展动力。\n"
    )
    assert all(is_heading(find(ledger, n)) for n in (1, 2, 3))
    assert sk.is_slogan("要压实整改责任") and not sk.is_slogan("要求不严格")


def test_items_a_lead_line_announces_as_achievements_or_next_steps_are_no_findings():
    """通过整改，取得了以下成效：1.思想认识进一步提高。…: the line before the items says what they are."""
    ledger = parse(
        "通过整改，取得了以下成效：\n1.思想认识进一步提高。干部纪律意识明显增强。\n2.制度体系更加完善。新建制度12项。\n"
    )
    assert is_heading(find(ledger, 1)) and is_heading(find(ledger, 2))
    # … items that state problems stay findings whatever the line before them says
    ledger = parse("整改工作的主要做法：\n1.理论学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n")
    assert len(find(ledger, 1)["measures"]) == 2
    # … and a line that announces the problems makes no difference
    ledger = parse("存在的主要问题及整改情况如下：\n1.思想认识进一步提高。\n整改措施：一是开展研讨。\n")
    assert not is_heading(find(ledger, 1))


def test_a_top_level_item_that_states_no_problem_and_carries_no_field_is_no_finding():
    """A finding states a problem (不到位, 不严格, 问题…) or carries the fields of one (整改措施,
    a status, a deadline): a numbered line with neither (1.整改任务全面完成。…) is an account."""
    ledger = parse("1.整改任务全面完成。全部问题已销号。\n2.群众满意度明显提升。\n")
    assert is_heading(find(ledger, 1)) and is_heading(find(ledger, 2))
    ledger = parse("1.整改任务全面完成。\n2.会议记录不规范。\n")
    assert not is_heading(find(ledger, 2))  # (the item that states a problem stays a finding)
    ledger = parse("1.意识形态工作责任制。\n整改措施：一是专题研究。\n")
    assert len(find(ledger, 1)["measures"]) == 1  # (one that carries measures stays one)


def test_items_that_state_problems_make_findings_under_a_slogan_heading():
    ledger = parse(
        "一、强化责任担当，扎实推进整改\n1.学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n"
        "2.制度执行不严格。\n整改措施：修订制度。\n"
    )
    assert len(find(ledger, 1, 1)["measures"]) == 2
    assert find(ledger, 1, 2)["problem"] == "制度执行不严格。"


def test_a_heading_that_names_what_it_says_of_the_problems_is_no_finding():
    ledger = parse(
        "一、审计反映问题整改责任落实情况\n公司召开党委会议，成立整改领导小组。\n"
        "二、审计反馈问题整改完成情况\n审计反馈问题18项，已完成整改16项，正在整改的两项涉及租赁纠纷。\n"
    )
    assert is_heading(find(ledger, 1)) and is_heading(find(ledger, 2))


def test_a_progress_summary_holds_prose():
    ledger = parse(FINDINGS + "三、整改进展总体情况\n截至目前，反馈的1个问题已完成整改1个。\n")
    assert is_heading(find(ledger, 3))


def test_a_category_whose_paragraph_only_counts_problems_is_a_heading():
    ledger = parse(
        "一、巡察反馈问题整改情况\n（一）党的政治建设方面。共反馈问题2个，已完成整改2个。\n"
        "（二）全面从严治党方面。\n1.廉政教育不经常。\n整改措施：一是开展警示教育；二是建立谈话制度。\n"
    )
    assert is_heading(find(ledger, 1, 1))
    assert len(find(ledger, 1, 2, 1)["measures"]) == 2
    assert ph.is_count_summary("其中，已完成10个，整改完成率83%。")
    assert ph.is_count_summary("预算执行问题6项，涉及金额2.5万元，已整改2项，其中：追缴资金1.2万元")
    assert ph.is_count_summary("反馈问题18项，已完成整改16项，正在整改两项，涉及")  # a copy cut short
    assert ph.is_count_summary("移交问题线索3件，已全部办结，给予处分2人。")
    assert not ph.is_count_summary("抽查发现12个项目未按规定招标。")


def test_numbered_sentences_that_count_problems_and_their_progress_are_no_findings():
    ledger = parse(
        "审计发现问题的整改情况如下：\n"
        "1、审计报告指出14个问题，要求立行立改的12个问题已完成整改，2个分阶段整改问题正在整改中。\n"
        "2、部门预算执行审计查出问题的整改情况，审计了6家单位，指出16个问题，均已全部完成整改。\n"
        "3、专项审计调查查出问题的整改情况，开展了4个专项审计调查，指出21个问题，要求立行\n"
    )
    assert all(is_heading(find(ledger, n)) for n in (1, 2, 3))
    # … where a numbered sentence counts shortcomings, with no word of progress, it is a finding.
    ledger = parse("一、巡察反馈问题整改情况\n1.有2个问题整改不到位，3项措施未落实。\n2.学习不深入。\n")
    assert find(ledger, 1, 1)["problem"]
    assert not ph.is_count_sentence("2个问题未完成整改，3个问题未整改。")
    assert ph.count_clauses("部门预算执行审计查出问题的整改情况，审计了6家单位，指出16个问题。") == 2


def test_outlook_and_contact_sections_hold_prose():
    ledger = parse(
        FINDINGS
        + "三、下一步工作打算\n一是巩固整改成果；二是建立长效机制。\n四、联系方式\n联系电话：0000-1234567\n"
    )
    assert is_heading(find(ledger, 3)) and is_heading(find(ledger, 4))


# ---- the fields of a finding -------------------------------------------------------------------------
def test_labelled_fields_cause_deadline_and_department_are_no_problem_and_no_measure():
    ledger = parse(
        "一、党的建设方面\n1.会议记录不规范。\n原因分析：制度意识不强。\n整改措施：一是建立签字制度；二是每月检查。\n"
        "整改时限：2025年底前\n责任单位：办公室\n"
    )
    node = find(ledger, 1, 1)
    assert node["problem"] == "会议记录不规范。"
    assert [m["text"] for m in node["measures"]] == ["建立签字制度", "每月检查。"]
    assert node["deadline"] == "2025-12"
    assert node["measures"][0]["department"] == "办公室"
    assert "原因分析：制度意识不强。" in node["text"]


@pytest.mark.parametrize("label", ["整改进展", "整改成效", "进展情况", "目前进展", "整改完成情况"])
def test_a_labelled_progress_paragraph_after_the_measures_gives_the_status(label):
    ledger = parse(
        f"一、党的建设方面\n1.台账不全。\n整改措施：一是补齐台账；二是定期核对。\n{label}：已完成。补齐台账12本。\n"
    )
    node = find(ledger, 1, 1)
    assert (len(node["measures"]), node["status"]) == (2, "done")


def test_an_unlabelled_progress_paragraph_after_the_measures_gives_the_status():
    ledger = parse(
        "一、党的建设方面\n1.台账不全。\n一是补齐台账；二是定期核对。\n目前，该问题已整改完成。补齐台账12本。\n"
    )
    node = find(ledger, 1, 1)
    assert (len(node["measures"]), node["status"]) == (2, "done")
    assert "补齐台账12本" in node["text"]


def test_an_opener_starts_the_measures_without_a_marker():
    ledger = parse(
        "一、党的建设方面\n1.台账不全。部分支部台账缺页。\n针对该问题，局党组一是补齐台账；二是定期核对。\n"
    )
    node = find(ledger, 1, 1)
    assert node["problem"] == "部分支部台账缺页。"
    assert len(node["measures"]) == 2


# ---- status wordings -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("序时推进", "in_progress"),
        ("基本完成", "in_progress"),
        ("达到序时进度", "in_progress"),
        ("持续推进", "in_progress"),
        ("已完成阶段性目标", "in_progress"),
        ("未整改完成", "in_progress"),
        ("已于2024年5月完成整改", "done"),
        ("已全部完成", "done"),
        ("计划2025年底前整改完成", None),
        ("确保整改完成", None),
        ("尚未启动", "not_started"),
    ],
)
def test_status_wordings(phrase, status):
    assert ph.status_of(phrase) == status


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("目前已完成梳理，内控制度正在制定，预计按期完成", "in_progress"),
        ("剩余1处矿山修复工程正在施工", "in_progress"),
        ("已追缴1860万元，剩余420万元正在追缴", "in_progress"),
        ("已建立青年理论学习小组，持续开展", "in_progress"),
        ("已完成整改，持续开展督查", "done"),
        ("已完成，长期坚持", "done"),
    ],
    ids=[
        "part-done-zhengzai-zhiding",
        "zhengzai-shigong",
        "zhengzai-zhuijiao",
        "chixu-kaizhan",
        "done-then-kept-up",
        "done-long-term",
    ],
)
def test_status_wordings_of_the_work_under_way(phrase, status):
    """正在 + the work under way (制定, 施工, 追缴 …) and 持续开展 say the item is in progress; after a
    completion, 持续开展 is work kept up and leaves it done."""
    assert ph.status_of(phrase) == status


def test_a_wancheng_qingkuang_field_that_says_xushi_tuijin_is_in_progress():
    ledger = parse(
        "一、党的建设方面\n1.台账不全。\n整改措施：补齐台账。\n完成情况：达到序时进度，已补齐6本。\n"
    )
    assert find(ledger, 1, 1)["status"] == "in_progress"


def test_a_progress_field_that_says_zhihou_is_in_progress():
    """滞后 (behind the schedule: a progress report's third category beside 已完成 and 达到序时进度)
    opening a progress field is work still going on; a problem that speaks of a delay states none."""
    ledger = parse(
        "一、生态保护方面\n1.采石场未完成生态修复。\n整改措施：关闭采石场。\n"
        "整改进展：滞后。2处采石场已关闭，生态修复工程尚未开工。\n"
        "2.项目建设进度滞后。\n整改措施：倒排工期。\n"
    )
    assert find(ledger, 1, 1)["status"] == "in_progress"
    assert find(ledger, 1, 2)["status"] is None


def test_statuses_by_ordinal_reference_apply_to_the_findings_by_order():
    ledger = parse(
        "一、巡察反馈的问题\n1.学习不深入。\n2.制度执行不严。\n3.台账不全。\n"
        "二、整改落实情况\n第一项、第三项问题已整改完成，第二项正在整改。\n"
    )
    assert [find(ledger, 1, n)["status"] for n in (1, 2, 3)] == ["done", "in_progress", "done"]
    assert is_heading(find(ledger, 2))
    assert [n for n, _, _ in ph.ordinal_statuses("第1、2、5项已整改完成，第3项正在整改。")] == [1, 2, 5, 3]


def test_a_status_sentence_glued_to_the_last_measure_is_no_measure():
    ledger = parse(
        "一、党的建设方面\n1.制度执行不严。\n"
        "整改措施：一是修订议事规则；二是建立纪要审核制度。目前，该问题正在整改中，计划2025年底前完成。\n"
    )
    node = find(ledger, 1, 1)
    assert [m["text"] for m in node["measures"]] == ["修订议事规则", "建立纪要审核制度。"]
    assert (node["status"], node["deadline"]) == ("in_progress", "2025-12")


def test_a_status_sentence_with_a_subject_before_yi_shi_opens_the_measures():
    ledger = parse(
        "一、党的建设方面\n1.意识形态责任制落实不到位。\n该问题已完成整改。一是修订责任清单；二是每半年研判一次。\n"
    )
    node = find(ledger, 1, 1)
    assert node["status"] == "done"
    assert [m["text"] for m in node["measures"]] == ["修订责任清单", "每半年研判一次。"]
    assert node["problem"] == "意识形态责任制落实不到位。"


# ---- closing prose and deadlines -----------------------------------------------------------------------
def test_resolve_prose_after_the_last_item_is_the_closing():
    ledger = parse(FINDINGS + "局党组将以此次巡察整改为契机，持续巩固整改成果。\n")
    assert len(find(ledger, 2, 1)["measures"]) == 2
    assert ledger["closing"].startswith("局党组将以此次巡察整改为契机")


def test_a_contact_after_the_last_item_is_the_closing():
    ledger = parse(FINDINGS + "邮政信箱：某县某路1号\n")
    assert len(find(ledger, 2, 1)["measures"]) == 2
    assert ledger["closing"].startswith("邮政信箱")


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("2025年6月底前出台管理办法", ["2025-06"]),
        ("计划2025年底前完成", ["2025-12"]),
        ("2025年12月底前实现全覆盖", ["2025-12"]),
        ("力争2026年上半年前办结", ["2026-06"]),
        ("2024年实现营收增长", []),
        ("2024年完成投资42.6亿元", []),
    ],
)
def test_a_date_before_qian_is_a_deadline_whatever_the_verb(text, deadlines):
    assert ph.deadlines_in_text(text) == deadlines


def test_a_problem_whose_numbered_items_say_what_was_done_holds_them_as_measures():
    ledger = parse(
        "二、对照反馈意见，逐项抓好整改落实\n（一）关于理论学习不够深入的问题\n"
        "1.深入学习党的创新理论。举办读书班2期。\n2.建立健全学习制度。修订学习规则。\n"
        "（二）关于制度执行不严的问题\n1.制度执行不严格。\n整改措施：修订制度。\n"
    )
    first = find(ledger, 2, 1)
    assert first["children"] == []
    assert [m["text"] for m in first["measures"]] == [
        "深入学习党的创新理论。举办读书班2期。",
        "建立健全学习制度。修订学习规则。",
    ]
    assert len(find(ledger, 2, 2, 1)["measures"]) == 1


def test_a_part_done_and_the_rest_in_progress_is_in_progress():
    assert ph.status_of("已完成整改18个，其余2个正在整改") == "in_progress"
    assert ph.status_of("已完成整治87%，基本完成") == "in_progress"
    assert ph.status_of("已完成，长期坚持") == "done"


def test_a_progress_marker_as_the_only_measures_paragraph_gives_the_status():
    ledger = parse(
        "一、生态保护方面\n1.企业搬迁推进缓慢。\n整改目标：2020年底前完成全部企业搬迁。\n"
        "整改进展：已完成搬迁5家，其余2家正在实施，达到序时进度。\n"
    )
    node = find(ledger, 1, 1)
    assert (len(node["measures"]), node["status"], node["deadline"]) == (1, "in_progress", "2020-12")


def test_a_deadline_in_a_status_field_or_an_ordinal_summary_is_the_items():
    ledger = parse(
        "一、党的建设方面\n1.台账不全。\n整改措施：补齐台账。\n完成情况：序时推进，2024年12月底前完成\n"
        "2.学习不够。\n整改措施：开展学习。\n3.制度不全。\n整改措施：修订制度。\n"
        "上述第一项问题已整改完成，第二项问题正在整改中，预计2025年7月底前完成。\n"
    )
    assert find(ledger, 1, 1)["deadline"] == "2024-12"
    assert (find(ledger, 1, 2)["status"], find(ledger, 1, 2)["deadline"]) == ("in_progress", "2025-07")


def test_a_deadline_with_what_is_to_be_reached_between_qian_and_its_verb():
    assert ph.deadlines_in_text("2020年底前建成区黑臭水体消除比例达到90%以上") == ["2020-12"]
    assert ph.deadlines_in_text("2024年6月前该单位未建立制度") == []


def test_a_problem_enumerated_in_its_own_paragraph_is_the_problem_not_measures():
    ledger = parse(
        "一、学习方面\n1.学习不深入。一是应知应会掌握不全面；二是学习方法单一，效果打折扣。\n"
        "整改措施：一是制定学习计划；二是拓宽学习方法。\n"
    )
    node = find(ledger, 1, 1)
    assert node["problem"].startswith("一是应知应会掌握不全面")
    assert [m["text"] for m in node["measures"]] == ["制定学习计划", "拓宽学习方法。"]


def test_a_deadline_in_a_progress_paragraph_still_in_progress_is_the_items():
    ledger = parse(
        "一、安全方面\n1.隐患排查不彻底。\n整改措施：一是开展排查；二是修订考核办法。\n"
        "整改进展：正在整改。剩余7项隐患计划2025年5月底前整改完毕。\n"
    )
    assert (find(ledger, 1, 1)["status"], find(ledger, 1, 1)["deadline"]) == ("in_progress", "2025-05")


def test_fields_after_a_semicolon_a_bracketed_status_and_a_long_term_deadline():
    ledger = parse(
        "一、党的建设方面\n1.会议记录不规范【已完成】\n整改措施：建立签字制度。\n责任领导：王明；责任单位：办公室\n"
        "2.学习不够。\n整改措施：开展学习。\n整改时限：长期\n"
    )
    first, second = find(ledger, 1, 1), find(ledger, 1, 2)
    assert (first["status"], first["title"]) == ("done", "会议记录不规范")
    assert (first["measures"][0]["owner"], first["measures"][0]["department"]) == ("王明", "办公室")
    assert second["long_term"] is True and second["deadline"] is None


def test_organisation_items_that_name_who_acted_or_what_was_done_first():
    assert sk.is_slogan("党委高度重视，迅速安排部署")
    assert not sk.is_slogan("基层党组织建设薄弱")
    ledger = parse(
        "一、整改落实\n（一）党委高度重视，迅速安排部署。召开会议3次。\n（二）召开专题民主生活会。查摆问题5个。\n"
        + FINDINGS
    )
    assert is_heading(find(ledger, 1, 1)) and is_heading(find(ledger, 1, 2))


def test_ordinals_named_as_problems_and_reset_at_each_sentence():
    assert [(n, s) for n, s, _ in ph.ordinal_statuses("问题一、问题三已整改完成，问题二正在整改。")] == [
        (1, "done"),
        (3, "done"),
        (2, "in_progress"),
    ]
    assert ph.ordinal_statuses("共反馈问题12个，已完成10个。") == []
    assert ph.ordinal_statuses("问题一：学习不深入，已整改完成。") == []  # a label, not a reference
    assert ph.ordinal_statuses("第一项问题涉及面广。已完成整改3项。") == []


def test_a_summing_up_or_an_invitation_to_comment_after_the_last_item_is_the_closing():
    ledger = parse(FINDINGS + "总之，我们将持续巩固整改成果。\n对整改落实情况有意见建议的，请来信反映。\n")
    assert len(find(ledger, 2, 1)["measures"]) == 2
    assert ledger["closing"].startswith("总之")


def test_a_planned_date_before_qian_is_a_deadline_and_a_past_one_is_not():
    assert ph.deadlines_in_text("剩余0.3亿元计划2025年6月底前缴库") == ["2025-06"]
    assert ph.deadlines_in_text("2023年以前形成的历史遗留问题") == []
    assert ph.deadlines_in_text("确保2025年底前全部清零") == ["2025-12"]


def test_a_status_sentence_opening_the_measures_gives_its_deadline():
    ledger = parse(
        "一、财政方面\n1.政府采购程序不规范问题。正在整改，计划2025年3月底前完成。已修订内控制度。\n"
    )
    node = find(ledger, 1, 1)
    assert (node["status"], node["deadline"], len(node["measures"])) == ("in_progress", "2025-03", 1)


def test_labelled_parts_glued_in_one_paragraph_are_read_one_by_one():
    ledger = parse(
        "一、学习方面\n1.问题：学习系统性不够。原因分析：计划针对性不强。整改措施：一是修订制度；二是开展研讨。"
        "整改时限：2024年6月底。责任人：张三。完成情况：已完成。\n"
    )
    node = find(ledger, 1, 1)
    assert node["title"] == "学习系统性不够。"
    assert [(m["text"], m["owner"]) for m in node["measures"]] == [
        ("修订制度", "张三"),
        ("开展研讨。", "张三"),
    ]
    assert (node["status"], node["deadline"]) == ("done", "2024-06")
    assert node["text"] == "原因分析：计划针对性不强。"


def test_a_stage_done_and_the_work_going_on_is_in_progress_and_a_completion_with_long_term_care_is_done():
    assert ph.status_of("第一阶段已完成，正在推进中") == "in_progress"
    assert ph.status_of("已完成整改，长效机制持续推进") == "done"


def test_an_organisation_part_below_a_section_of_findings_holds_prose():
    ledger = parse(
        "一、巡察整改情况\n（一）加强组织领导。成立整改领导小组。\n"
        "（二）反馈问题整改情况\n1.学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n"
        "2.未组织干部学习条例。\n"
    )
    assert is_heading(find(ledger, 1, 1))
    assert len(find(ledger, 1, 2, 1)["measures"]) == 2
    assert find(ledger, 1, 2, 2)["problem"] == "未组织干部学习条例。"


def test_a_measure_on_its_own_line_that_says_what_will_be_done_is_no_closing():
    ledger = parse("一、学习方面\n1.学习不深入。\n整改措施：一是制定计划。\n二是将进一步完善学习制度。\n")
    assert len(find(ledger, 1, 1)["measures"]) == 2
    assert ledger["closing"] is None


def test_statuses_by_ordinal_in_the_preamble_apply_to_the_first_findings():
    ledger = parse(
        "反馈的3个问题中，第一、三项已整改完成，第二项正在整改。\n"
        "一、反馈问题整改情况\n1.学习不深入。\n2.制度执行不严。\n3.台账不全。\n"
    )
    assert [find(ledger, 1, n)["status"] for n in (1, 2, 3)] == ["done", "in_progress", "done"]


def test_a_year_named_relative_to_a_dated_report_is_read_as_that_year():
    assert ph.deadlines_in_text("力争今年年底前完成整改", 2025) == ["2025-12"]
    assert ph.deadlines_in_text("明年6月底前完成", 2025) == ["2026-06"]
    assert ph.deadlines_in_text("力争今年年底前完成整改") == []
    ledger = parse_document(
        "关于2024年度审计查出问题整改情况的报告\n——2025年11月26日在市人大常委会会议上\n"
        "一、整改情况\n1.采购不规范。部分整改。已修订制度，剩余项目力争今年年底前完成规范整改。\n".encode(),
        "report.txt",
    )
    assert find(ledger, 1, 1)["deadline"] == "2025-12"


# ---- a progress field that only states the status ------------------------------------------------------
@pytest.mark.parametrize(
    ("paragraph", "status"),
    [
        ("整改进展：已达到序时进度要求。", "in_progress"),
        ("整改情况：已经完成。", "done"),
        ("整改进展：正在推进，2026年底前完成。", "in_progress"),
    ],
)
def test_a_progress_field_that_only_states_the_status_is_no_measure(paragraph, status):
    ledger = parse("二、巡察反馈问题整改情况\n1.档案管理不规范。\n" + paragraph + "\n")
    finding = find(ledger, 2, 1)
    assert finding["measures"] == []
    assert finding["status"] == status


def test_a_progress_field_that_states_what_was_done_is_a_measure():
    ledger = parse("二、巡察反馈问题整改情况\n1.资金拨付不及时。\n整改情况：部分整改。已拨付资金80万元。\n")
    finding = find(ledger, 2, 1)
    assert [m["text"] for m in finding["measures"]] == ["已拨付资金80万元。"]
    assert finding["status"] == "in_progress"


def test_numbered_actions_after_a_status_only_progress_field_are_the_measures():
    ledger = parse(
        "二、巡察反馈问题整改情况\n"
        "1.关于“台账管理混乱”的问题。整改进展：已经完成，长期坚持。\n"
        "（1）将台账纳入年度考核。\n"
        "（2）每季度抽查一次台账。\n"
    )
    finding = find(ledger, 2, 1)
    assert len(finding["measures"]) == 2
    assert finding["children"] == []
    assert (finding["status"], finding["long_term"]) == ("done", True)


@pytest.mark.parametrize("label", ["办理状态", "办理情况", "办理进度", "办理结果"])
def test_a_banli_field_gives_the_status(label):
    ledger = parse(f"二、巡察反馈问题整改情况\n1.车辆台账不全。\n整改措施：重新登记车辆。\n{label}：推进中\n")
    finding = find(ledger, 2, 1)
    assert (len(finding["measures"]), finding["status"]) == (1, "in_progress")


def test_a_status_clause_after_a_comma_at_the_end_of_the_last_measure_is_no_measure_text():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.学习不深入。\n"
        "一是制定计划。二是开展研讨，目前，该问题正在整改中，计划2026年6月底前完成。\n"
    )
    finding = find(ledger, 2, 1)
    assert finding["measures"][-1]["text"] == "开展研讨"
    assert (finding["status"], finding["deadline"]) == ("in_progress", "2026-06")


def test_a_long_term_task_is_long_term():
    assert ph.is_long_term("长期任务，已取得阶段性成效")


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("正积极推进", "in_progress"),
        ("正在加快推进", "in_progress"),
        ("正在实施", "in_progress"),
        ("未按期完成", "in_progress"),
        ("未办结", "in_progress"),
        ("未完全整改到位", "in_progress"),
        ("整改到位", "done"),
        ("确保整改到位", None),
        ("已清零", "done"),
        ("部分已整改", "in_progress"),
        ("阶段性办结", "in_progress"),
        ("基本办结", "in_progress"),
        ("逾期未整改", "not_started"),
        ("该问题已取得阶段性成效但需继续整改", "in_progress"),
        ("该问题已整改完成，建议销号", "done"),
    ],
)
def test_status_wordings_of_progress_and_shortfall(phrase, status):
    assert ph.status_of(phrase) == status


@pytest.mark.parametrize(
    ("value", "deadline"),
    [
        ("2026年6月—12月", "2026-12"),
        ("2026年3月至2026年6月", "2026-06"),
        ("2026年5月至6月底前", "2026-06"),
        ("2026年3月", "2026-03"),
    ],
)
def test_a_deadline_given_as_a_range_ends_by_its_last_date(value, deadline):
    assert ph.deadline_in_phrase(value) == deadline


def test_a_status_clause_inside_a_zhenggai_qingkuang_paragraph_gives_the_status_when_nothing_else_does():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.绩效评价未开展。\n整改情况：已制定评价办法，正在加快推进，2026年6月底前完成评价。\n"
    )
    finding = find(ledger, 2, 1)
    assert (finding["status"], finding["deadline"]) == ("in_progress", "2026-06")
    assert len(finding["measures"]) == 1


def test_a_status_with_what_was_achieved_keeps_the_achievement_as_a_measure():
    ledger = parse("二、巡察反馈问题整改情况\n1.违规发放补贴。\n整改情况：已整改到位，补贴全部收回。\n")
    finding = find(ledger, 2, 1)
    assert finding["status"] == "done"
    assert len(finding["measures"]) == 1


def test_a_status_sentence_that_goes_on_after_a_conjunction_is_no_measure():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.信访件办理超期。\n整改措施：一是建立台账；二是超期预警。\n"
        "该问题已取得阶段性成效但需继续整改。\n"
    )
    finding = find(ledger, 2, 1)
    assert (len(finding["measures"]), finding["status"]) == (2, "in_progress")


@pytest.mark.parametrize(
    "label", ["整改完成时限", "计划完成时间", "预计完成时间", "办结时限", "整改截止时间", "截止时间"]
)
def test_deadline_field_names_with_completion_words(label):
    ledger = parse(f"二、巡察反馈问题整改情况\n1.台账不全。\n整改措施：重新登记。\n{label}：2026年9月\n")
    finding = find(ledger, 2, 1)
    assert (len(finding["measures"]), finding["deadline"]) == (1, "2026-09")


@pytest.mark.parametrize("label", ["销号情况", "是否销号"])
def test_a_xiaohao_field_gives_the_status(label):
    ledger = parse(f"二、巡察反馈问题整改情况\n1.台账不全。\n整改措施：重新登记。\n{label}：已销号\n")
    assert find(ledger, 2, 1)["status"] == "done"


def test_measures_enumerated_by_di_yi_di_er_are_counted_one_an_ordinal():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.台账不全。\n整改措施：第一，重新登记；第二，每月核对；第三，纳入考核。\n"
    )
    assert [m["text"] for m in find(ledger, 2, 1)["measures"]] == ["重新登记", "每月核对", "纳入考核。"]


def test_a_chuli_he_zhenggai_qingkuang_marker_opens_the_measures_and_shifou_banjie_gives_the_status():
    ledger = parse(
        "二、交办信访件办理情况\n1.某厂夜间施工噪声扰民。\n处理和整改情况：责令停止夜间施工。\n是否办结：阶段性办结\n"
    )
    finding = find(ledger, 2, 1)
    assert (len(finding["measures"]), finding["status"]) == (1, "in_progress")


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("已完成整改并建立长效机制。", True),
        ("已整改完成，建议销号。", True),
        ("已取得阶段性成效但需继续整改。", True),
        ("已完成整改并印发实施方案。", False),
        ("已整改到位，补贴全部收回。", False),
    ],
)
def test_a_status_sentence_is_status_only_when_every_clause_states_status(text, only):
    assert ph.is_status_only(text) is only


def test_a_shouxian_qici_paragraph_below_the_problem_holds_the_measures_then_the_status():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.台账不全。\n巡察发现，部分台账缺项。\n"
        "首先，重新登记；其次，每月核对；最后，纳入考核。目前正在整改中，计划2026年6月前完成。\n"
    )
    finding = find(ledger, 2, 1)
    assert len(finding["measures"]) == 3
    assert (finding["status"], finding["deadline"]) == ("in_progress", "2026-06")


def test_not_yet_started_after_not_finished_is_not_started():
    assert ph.status_of("未完成，尚未启动") == "not_started"
    assert ph.status_of("未完成，正在整改") == "in_progress"


def test_a_bare_chixu_tuijin_clause_ending_the_last_measure_gives_the_status():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.采购内控薄弱。\n整改措施：一是专项审计；二是建立监管系统。持续推进，2026年12月底前完成。\n"
    )
    finding = find(ledger, 2, 1)
    assert (len(finding["measures"]), finding["status"], finding["deadline"]) == (2, "in_progress", "2026-12")


def test_an_objection_notice_after_the_last_item_is_the_closing():
    ledger = parse(
        "二、巡察反馈问题整改情况\n1.组织生活不规范。\n整改措施：按季度召开党员大会。\n"
        "以上整改情况如有异议，请于公示之日起7日内向村务监督委员会反映。\n"
    )
    assert len(find(ledger, 2, 1)["measures"]) == 1


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("力争年底前达到80个", ["2026-12"]),
        ("每年年底前报送台账", []),
        ("去年年底前已完成", []),
        ("2027年年底前完成", ["2027-12"]),
    ],
)
def test_nian_di_qian_with_no_year_is_the_report_years_end(text, deadlines):
    assert ph.deadlines_in_text(text, 2026) == deadlines


def test_a_problem_of_unorganised_emissions_is_no_organisation_heading():
    """三、县工业集中区部分企业无组织排放问题突出。with its 责任单位、整改措施: a finding (无组织 is no
    组织), and a top-level item with a finding's fields that states a problem is one."""
    assert sk.heading_kind("县工业集中区部分企业无组织排放问题突出，周边群众反映异味扰民。") == sk.FINDINGS
    ledger = parse(
        "三、县工业集中区部分企业无组织排放问题突出，周边群众反映异味扰民。\n"
        "责任单位：县工业集中区管委会\n整改时限：2025年3月底前\n"
        "整改措施：一是对19家涉气企业开展治理；二是安装4套异味在线监测设备。\n"
        "整改进展：已完成整改。\n"
    )
    node = ledger["sections"][0]
    assert len(node["measures"]) == 2 and node["status"] == "done"
    assert sk.heading_kind("整改工作组织情况") == sk.ORGANISATION


def test_a_category_whose_paragraph_counts_its_problems_and_says_where_they_were_made_public():
    """（四）延伸巡察某村党总支反馈问题方面 / 巡察组反馈某村问题4个，已全部完成整改，整改情况已在村务公开
    栏公示。: a count, no finding."""
    assert ph.is_count_summary(
        "县委第三巡察组延伸巡察反馈石岭村党总支问题4个，已全部完成整改，整改情况已在村务公开栏公示。"
    )
    assert not ph.is_count_summary("县委第三巡察组反馈问题4个，村务公开栏长期未更新。")


def test_a_categorys_count_under_a_guanyu_wenti_heading_is_no_measure():
    """二、关于项目成本管控方面的问题 / 该方面共反馈问题5项，已完成整改3项，正在整改2项。 / （一）…: a
    category with its count; its （一）… are the findings."""
    ledger = parse(
        "二、关于项目成本管控方面的问题\n该方面共反馈问题5项，已完成整改3项，正在整改2项。\n"
        "（一）关于“项目责任成本测算不准确”的问题。\n整改情况：一是修订管理办法；二是重新复核责任成本。\n"
        "整改进展：已完成。\n"
    )
    category = ledger["sections"][0]
    assert category["measures"] == [] and category["problem"] is None
    assert len(category["children"][0]["measures"]) == 2


def test_a_count_done_with_the_rest_still_to_do_is_in_progress():
    """目前已完成9处，其余5处待合同到期后实施。: part done, the rest to come."""
    assert ph.status_of("目前已完成9处，其余5处待合同到期后实施。") == "in_progress"
    assert ph.status_of("已完成9处。") == "done"


def test_an_achievement_that_says_a_shortcoming_was_made_good_states_no_problem():
    """三、整改取得的成效 / 2.基层治理短板有效补齐。: an achievement, not a finding."""
    assert not sk.states_problem("基层治理短板有效补齐。")
    assert not sk.states_problem("群众反映的问题得到解决。")
    assert not sk.states_problem("违法用地得到有效遏制。")  # (the thing named between)
    assert sk.states_problem("违法用地查处不到位问题")
    assert sk.states_problem("基层治理存在短板。")
    ledger = parse(
        "三、整改取得的成效\n通过整改，主要体现在：\n1.整改责任链条更加清晰。三级责任全面压实。\n"
        "2.基层治理短板有效补齐。群众反映的热点难点问题办结率达到100%。\n"
    )
    assert all(node["problem"] is None for node in ledger["sections"][0]["children"])


def test_the_reasons_some_is_left_are_an_account_not_a_finding():
    """三、尚未完成整改的问题及原因 / 尚未整改到位问题的原因及后续安排: why some work is left."""
    for title in ("尚未完成整改的问题及原因", "尚未整改到位问题的原因及后续安排", "未完成整改事项的原因分析"):
        assert sk.heading_kind(title) in sk.PROSE_KINDS, title
    assert sk.heading_kind("整改不到位的问题") == sk.FINDINGS


def test_the_rest_still_dealt_with_in_the_last_clause_is_in_progress():
    """…已收回欠缴水费812.4万元，其余正在通过法律途径追收。"""
    ledger = parse(
        "二、审计发现问题整改情况\n（三）应收水费回收不及时问题。公司有大用户欠缴水费1126.7万元。\n"
        "整改情况：一是逐户建立台账；二是依法提起诉讼。截至2025年9月底，已收回欠缴水费812.4万元，"
        "其余正在通过法律途径追收。\n"
    )
    assert ledger["sections"][0]["children"][0]["status"] == "in_progress"
