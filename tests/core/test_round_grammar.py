"""The round's fields over the genre's grammar of the two standard sentences, not over our examples.

A preamble states where and when a group inspected a body (the on-site sentence) and when it
delivered its findings to whom (the feedback sentence). Each is printed in many shapes; this test
crosses the shapes reports use (each seen in published reports) with the ways a date is printed,
and asks for the same four fields from every combination.
"""

from __future__ import annotations

import itertools

import pytest

from zhenggai.core.roundinfo import read_round

INSPECTORS = [
    ("省委第三巡视组", "巡视", "省委"),
    ("县委第四巡察组", "巡察", "县委"),
    ("中央第八巡视组", "巡视", "党中央"),
]
TARGETS = ["市财政局党组", "青石镇党委", "澜江能源投资集团有限公司党委"]
ON_SITE = [
    "根据{c}统一部署，{period}，{i}对{t}进行了常规{k}。",
    "{period}，{i}对{t}开展了为期2个月的常规{k}。",
    "按照{c}{k}工作统一安排，{i}于{period}对{t}开展了{k}。",
    "{i}于{period}进驻{t}开展常规{k}。",
    "根据{c}部署，{i}于{period}对{t}党风廉政建设和反腐败工作情况进行了{k}。",
    "{period}，{i}组长张某带队进驻{t}，开展了常规{k}。",
]
FEEDBACK = [
    "{date}，{i}向{t}反馈了{k}意见。",
    "{date}，{i}向{t}领导班子反馈了{k}意见。",
    "{date}，{i}召开{k}反馈会，向{t}反馈了{k}意见。",
    "{i}于{date}向{t}反馈了{k}情况。",
    "{date}，{i}向{t}正式反馈了{k}意见和整改要求。",
    "{date}，{i}向{t}主要负责人和领导班子反馈了{k}意见。",
    "{date}，{i}{k}{t}情况反馈会召开。",
    "{date}，{i}向{t}进行了集中反馈。",
    "{i}于{date}召开{k}反馈会议，向{t}反馈{k}意见。",
    "在{date}召开的{k}反馈会上，{i}向{t}反馈了{k}意见。",
    "{date}，{i}组长张某代表{c}向{t}反馈了{k}意见。",
    "{date}，{i}向{t}书记张某进行了{k}反馈。",
    "{date}，{i}{k}{t}反馈会议召开。",
    "{i}{date}向{t}反馈了{k}意见。",
]
DATES = [
    "2024年6月14日",
    "6月14日",
    "2024年6月14日上午",
    "2024年06月14日",
    "二〇二四年六月十四日",
    "2024 年 6 月 14 日",
    "2024.6.14",
    "2024/06/14",
    "2024-06-14",
]
PERIODS = ["2024年3月13日至5月12日", "2024年3月13日至2024年5月12日", "2024年3月中旬至5月中旬"]


@pytest.mark.parametrize("on_site,feedback", list(itertools.product(ON_SITE, FEEDBACK)))
def test_every_shape_of_the_two_sentences_gives_the_same_round(on_site, feedback):
    wrong = []
    for (inspector, kind, committee), target, date, period in itertools.product(
        INSPECTORS, TARGETS, DATES, PERIODS
    ):
        values = dict(i=inspector, k=kind, c=committee, t=target)
        preamble = on_site.format(period=period, **values) + feedback.format(date=date, **values)
        rnd = read_round(None, preamble + f"按照{kind}整改工作要求，现将整改情况公布如下。")
        got = (rnd["kind"], rnd["inspector"], rnd["target"], rnd["feedback_date"])
        if got != (kind, inspector, target, "2024-06-14"):
            wrong.append((preamble, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:2]}"


AUDIT_OFFICES = ["青石县审计局", "石川市审计局", "云岭省审计厅"]
AUDITED = ["县交通运输局", "青石镇人民政府", "县人民医院", "石川城市投资集团有限公司"]
AUDIT_SENTENCES = [
    "根据《中华人民共和国审计法》规定，{office}于2024年3月至5月对{body}2023年度预算执行情况进行了审计，"
    "并于2024年7月15日出具了审计报告。",
    "{office}派出审计组，自2024年3月4日至5月10日，对{body}2023年度财务收支情况进行了审计。",
    "2024年3月至5月，{office}对{body}原党委书记张某某任期经济责任履行情况进行了审计，2024年7月15日出具了审计报告。",
    "按照年度审计计划，{office}对{body}2021年至2023年财务收支情况进行了专项审计，"
    "于2024年7月15日向{body}送达了审计报告。",
    "{office}于2024年3月至5月对{body}开展了经济责任审计，于2024年7月15日出具审计报告。",
]


@pytest.mark.parametrize("sentence", AUDIT_SENTENCES)
def test_every_shape_of_an_audits_opening_gives_the_same_round(sentence):
    """The office printed with its place (石川市审计局, not a place read from the audited body's name,
    石川城市…公司); the audited unit, also when the audit is of its former leader; the report's date,
    when it was issued or delivered (出具 / 向…送达)."""
    wrong = []
    for office, body in itertools.product(AUDIT_OFFICES, AUDITED):
        rnd = read_round(f"{body}关于审计发现问题整改情况的报告", sentence.format(office=office, body=body))
        issued = "2024-07-15" if "7月15日" in sentence else None
        got = (rnd["kind"], rnd["inspector"], rnd["target"], rnd["feedback_date"])
        if got != ("审计", office, body, issued):
            wrong.append((office, body, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:2]}"


PLACE_ISSUERS = [
    ("南宁市人民政府", "南宁市", "市"),
    ("中共青石县委员会", "青石县", "县"),
    ("石川市澜江区人民政府", "石川市澜江区", "区"),
    ("云岭省人民政府办公厅", "云岭省", "省"),
]
SELF_REPORTS = [
    "《云岭省审计厅专项审计调查报告》通报了2023年大气污染防治专项审计调查情况，我{l}高度重视，立即组织整改。"
    "现将整改情况函告如下：",
    "省审计厅对2023年度全省乡村振兴资金进行了审计，指出了我{l}存在的问题。我{l}认真落实整改，现将整改情况报告如下：",
    "对省委巡视反馈指出的问题，本{l}坚持立行立改、边查边改，现将整改情况公开如下：",
]


@pytest.mark.parametrize("sentence", SELF_REPORTS)
def test_a_place_that_reports_its_own_rectification_is_the_target(sentence):
    """A place's government or committee that issues the report and speaks of itself as 我市 / 本县
    is the inspected body when no sentence names another; an audit office's own report on a place's
    budget is no such report (its target stays unknown)."""
    wrong = []
    for issuer, place, level in PLACE_ISSUERS:
        title = f"{issuer}关于2023年度审计发现问题整改情况的函"
        got = read_round(title, sentence.format(l=level))["target"]
        if got != place:
            wrong.append((issuer, got))
        office = read_round(
            f"{place}审计局关于{place}2023年度预算执行审计查出问题整改情况的报告", sentence.format(l=level)
        )
        if office["target"] is not None:
            wrong.append((f"{place}审计局", office["target"]))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:3]}"


# A report's issuer, the pronoun it calls itself by in the preamble, and the inspected body.
SELF_ISSUERS = [
    ("中共青石县财政局党组", "我局党组", "青石县财政局党组"),
    ("中共青石县财政局党组", "我局", "青石县财政局党组"),
    ("青石县人民医院党委", "我院党委", "青石县人民医院党委"),
    ("青石镇党委", "我镇党委", "青石镇党委"),
    ("青石中学党支部", "我校党支部", "青石中学党支部"),
    ("澜江大学党委", "我校", "澜江大学党委"),
    ("中共青石县委", "我县", "青石县"),
]


@pytest.mark.parametrize("on_site,feedback", list(itertools.product(ON_SITE[:3], FEEDBACK[:4])))
def test_a_unit_that_calls_itself_by_a_pronoun_and_its_organ_is_the_issuer(on_site, feedback):
    """对我局党组开展了巡察 / 向我院党委反馈: the pronoun, with or without its party organ, stands for
    the title's issuer (a school's 我校 for 某某中学 or 某某大学)."""
    wrong = []
    for issuer, pronoun, target in SELF_ISSUERS:
        values = dict(i="县委第二巡察组", k="巡察", c="县委", t=pronoun)
        preamble = on_site.format(period="2024年3月13日至5月12日", **values) + feedback.format(
            date="2024年6月14日", **values
        )
        got = read_round(f"{issuer}关于巡察整改进展情况的通报", preamble + "现将整改情况公布如下。")["target"]
        if got != target:
            wrong.append((issuer, pronoun, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:3]}"


# Groups a committee's department or its discipline commission sends (选人用人专项检查, 党风廉政建设
# 责任制检查), named with the body that sends them.
CHECK_GROUPS = [
    "市委组织部检查组",
    "县委组织部第二检查组",
    "省纪委监委检查组",
    "县纪委监委第三检查组",
    "市委宣传部检查组",
]
CHECK_SENTENCES = [
    "2024年3月，{g}对县财政局党组选人用人工作进行了专项检查，并于2024年6月14日反馈了检查意见。",
    "2024年3月13日至3月22日，{g}对县财政局党组开展了党风廉政建设责任制检查。2024年6月14日，{g}向县财政局党组反馈了检查意见。",
]


@pytest.mark.parametrize("sentence", CHECK_SENTENCES)
def test_a_group_of_a_committees_department_or_its_discipline_commission_is_the_inspector(sentence):
    wrong = []
    for group in CHECK_GROUPS:
        rnd = read_round(None, sentence.format(g=group) + "现将整改情况报告如下。")
        got = (rnd["kind"], rnd["inspector"], rnd["feedback_date"])
        if got != ("检查", group, "2024-06-14"):
            wrong.append((group, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:3]}"
