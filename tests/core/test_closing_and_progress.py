"""Where a finding ends and how far it came (core.structure, core.phrases): a news item's closing
that reports what someone said belongs to no item; a progress field that tells what was achieved
and then its status gives that status. Each test names its pattern."""

from __future__ import annotations

import pytest
from _core_support import findings_of

from zhenggai.core.phrases import REPORTED_SPEECH, deadlines_in_text, status_lead

NEWS = (
    "县委第三巡察组巡察县水务局党组反馈问题整改督导会召开\n"
    "今年4月17日，县委第三巡察组召开反馈会，反馈了巡察发现的3个方面10个问题。\n"
    "（一）农村饮水工程建后管护不到位的问题。该局对全县136处农村集中供水工程逐一明确管护责任人。\n"
    "（二）基层党支部战斗堡垒作用发挥不充分的问题。该局通过开展支部书记轮训等方式提升支部组织力。\n"
)


def findings(text: str) -> list[dict]:
    return findings_of(text)


@pytest.mark.parametrize(
    "closing",
    [
        "何建明对县水务局巡察整改工作给予肯定，同时指出，整改工作还存在不足。他要求，一是要提高政治站位；"
        "二是要对未完成整改的问题挂图作战；三是要举一反三、标本兼治。",
        "周文涛表示，一是照单全收督导组提出的意见；二是以更实举措推进整改。",
        "他强调，一是要压实整改责任；二是要把巡察整改成效转化为发展成效。",
    ],
)
def test_what_someone_said_after_the_last_item_is_the_closing(closing):
    last = findings(NEWS + closing + "\n")[-1]
    assert len(last["measures"]) == 1, [m["text"] for m in last["measures"]]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("何建明对县水务局巡察整改工作给予肯定，同时指出", True),
        ("周文涛表示，局党组", True),
        ("他要求，一要", True),
        ("会议强调，", True),
        ("该局要求各供水站每月检测水质", False),
        ("县水务局要求各乡镇，", False),
        ("各单位要求，", False),
        ("一是要求各单位，", False),
    ],
)
def test_reported_speech_is_a_persons_not_a_bodys(text, said):
    assert (REPORTED_SPEECH.match(text) is not None) is said


def test_a_progress_field_that_tells_what_was_achieved_then_its_status():
    """整改成效：…融入思政元素。目前已完成整改，将长期坚持。 / …该问题需长期持续推进，正在整改中。"""
    text = (
        "关于校党委巡察整改进展情况的通报\n"
        "根据学校党委统一部署，校党委第三巡察组对化学化工学院开展了常规巡察，并于2025年6月18日反馈了巡察意见。\n"
        "一、巡察反馈问题整改落实情况\n"
        "（一）关于“课程思政建设推进不平衡”的问题\n"
        "整改措施：一是制定课程思政建设实施方案；二是组织开展课程思政教学竞赛。\n"
        "整改成效：全院87门专业课程全部修订教学大纲，融入思政元素。目前已完成整改，将长期坚持。\n"
        "（二）关于“青年教师培养机制不健全”的问题\n"
        "整改措施：一是制定青年教师“启航计划”；二是完善人才引进工作机制。\n"
        "整改成效：2025年引进青年博士8名。该问题需长期持续推进，正在整改中。\n"
    )
    first, second = findings(text)
    assert first["status"] == "done"
    assert second["status"] == "in_progress"


@pytest.mark.parametrize(
    ("opening", "stated"),
    [
        ("该问题已基本完成整改。", "该问题已基本完成整改"),  # an adverb before the status words
        (
            "该问题属长期整改事项，正在持续整改。",
            "该问题属长期整改事项，正在持续整改",
        ),  # the kind of matter first
        ("正在持续整改。", "正在持续整改"),
        ("已建立问题台账。", None),  # what was done, no status
    ],
)
def test_a_paragraph_that_opens_with_its_status(opening, stated):
    found = status_lead(opening + "一是建立台账；二是定期检查。")
    assert (found.group(1) if found else None) == stated


def test_the_status_a_paragraph_opens_with_is_no_measure():
    """該問題屬長期整改事項，正在持續整改。一是…；二是…: in traditional characters too."""
    text = (
        "溪口縣人民政府關於2024年度鄉村振興銜接資金專項審計調查發現問題整改情況的函\n"
        "2025年6月18日，貴局出具《榆州市審計局專項審計調查報告》，通報了我縣存在的問題。\n"
        "一、具體整改情況\n"
        "（一）聯農帶農機制不健全，部分經營主體帶動脫貧戶增收作用不明顯。\n"
        "該問題屬長期整改事項，正在持續整改。一是在新立項目中明確聯農帶農具體指標；二是開展效果評估。\n"
    )
    (found,) = findings(text)
    assert found["status"] == "in_progress"
    assert len(found["measures"]) == 2


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("未启动。整合方案报省委编办审批后实施，计划完成时间：2026年6月。", ["2026-06"]),
        ("部分完成。已收回出借资金2300万元，剩余1180万元已提起诉讼，整改时限：2026年12月。", ["2026-12"]),
        ("已完成，完成时间：2024年5月。", []),  # the date it was done, not a deadline
    ],
)
def test_a_deadlines_field_written_into_running_text(text, deadlines):
    assert deadlines_in_text(text, 2025) == deadlines


def test_the_date_in_a_status_bracket_after_the_measures_is_the_deadline():
    """…二是建立涉企检查备案制度。（正在推进，预计10月底前完成）: the report's year (its signature's
    date) reads 10月."""
    text = (
        "关于省委巡视反馈意见整改进展情况的通报\n"
        "根据省委统一部署，省委第四巡视组于2025年3月至5月对省市场监管局党组开展了巡视，并于2025年7月8日反馈了巡视意见。\n"
        "一、巡视反馈问题整改落实情况\n"
        "（一）涉企行政检查频次偏高的问题\n"
        "整改情况：一是出台规范涉企行政检查十条措施；二是建立涉企检查备案制度。（正在推进，预计10月底前完成）\n"
        "中共某省市场监督管理局党组\n"
        "2025年9月30日\n"
    )
    (found,) = findings(text)
    assert found["status"] == "in_progress"
    assert found["deadline"] == "2025-10"
