"""A finding's deadline over the genre's grammar of time-limit fields, not over our examples.

Reports print an item's time limit under many names (整改时限, 完成时限, 整改期限, 计划完成时间 …), with
values in many forms (2024年12月底前, 2024.12, 第四季度, 下半年, a month alone in the report's year,
立行立改), and in many places: a line of fields before or after the measures, the fields in
brackets after the measures, after the progress or after the problem's heading, or in 【】.
Every combination must give the same deadline, the two measures, and measures free of fields.
"""

from __future__ import annotations

import itertools

import pytest

from zhenggai.core.parse import parse_document

HEAD = (
    "中共青石县财政局党组关于县委第二轮巡察反馈意见整改进展情况的通报\n"
    "　　根据县委统一部署，2024年3月13日至5月12日，县委第二巡察组对县财政局党组进行了常规巡察。"
    "2024年6月14日，县委第二巡察组向县财政局党组反馈了巡察意见。现将整改进展情况予以公布。\n"
    "一、整改工作开展情况\n　　收到反馈意见后，局党组高度重视。\n二、反馈意见整改落实情况\n"
)
PROBLEM = "（一）落实全面从严治党主体责任不到位的问题"
MEASURES = "　　整改措施：一是召开专题会议研究部署。二是修订完善制度3项。"
LAYOUTS = [
    PROBLEM
    + "\n　　责任领导：张某某；责任部门：办公室；{name}：{value}。\n"
    + MEASURES
    + "\n　　整改进展：正在推进。\n",
    PROBLEM + "\n" + MEASURES + "\n　　{name}：{value}\n　　整改进展：正在推进。\n",
    PROBLEM
    + "\n"
    + MEASURES
    + "\n　　责任领导：张某某　责任部门：办公室　{name}：{value}\n　　整改进展：正在推进。\n",
    PROBLEM + "\n" + MEASURES + "（责任领导：张某某；{name}：{value}）\n　　整改进展：正在推进。\n",
    PROBLEM + "。{name}：{value}。\n" + MEASURES + "\n　　整改进展：正在推进。\n",
    PROBLEM + "（{name}：{value}）\n" + MEASURES + "\n　　整改进展：正在推进。\n",
    PROBLEM + "\n" + MEASURES + "\n　　{name}：{value}。目前，该问题正在整改中。\n",
    PROBLEM + "\n" + MEASURES + "\n　　整改进展：正在推进。（{name}：{value}）\n",
    PROBLEM + "\n" + MEASURES + "\n　　整改责任人：张某某\n　　{name}：{value}\n　　完成情况：正在推进\n",
    "1.落实全面从严治党主体责任不到位的问题。\n　　整改措施：一是召开专题会议研究部署；二是修订完善制度3项。\n"
    "　　【{name}】{value}\n　　【整改进展】正在推进。\n",
]
NAMES = [
    "整改时限",
    "完成时限",
    "整改期限",
    "时限要求",
    "完成时间",
    "整改时间",
    "整改完成时限",
    "计划完成时间",
]
VALUES = [
    ("2024年12月底前", "2024-12"),
    ("2024年12月31日前", "2024-12-31"),
    ("2024年底前", "2024-12"),
    ("2024年12月", "2024-12"),
    ("12月底前", "2024-12"),  # the year the signature dates the report
    ("2024.12", "2024-12"),
    ("2024年12月底前完成并长期坚持", "2024-12"),
    ("2024年第四季度", "2024-12"),
    ("2024年下半年", "2024-12"),
    ("立行立改", None),
    ("2025年6月30日", "2025-06-30"),
    ("2024-12-31", "2024-12-31"),
]
TAIL = (
    "（二）干部队伍建设有短板的问题\n　　整改措施：一是开展培训。二是完善考核办法。\n　　整改进展：已完成。\n"
    "中共青石县财政局党组\n二〇二四年九月二十日\n"
)


def _first_finding(sections):
    for node in sections:
        if node.get("measures") or node.get("problem"):
            return node
        if found := _first_finding(node.get("children") or []):
            return found
    return None


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_time_limit_field_gives_the_deadline(layout):
    wrong = []
    for name, (value, deadline) in itertools.product(NAMES, VALUES):
        text = HEAD + layout.format(name=name, value=value) + TAIL
        node = _first_finding(parse_document(text.encode(), "report.txt")["sections"])
        measures = [m["text"] for m in node["measures"]]
        if (
            node["deadline"] != deadline
            or len(measures) != 2
            or any("：" in m or "（" in m for m in measures)
        ):
            wrong.append((name, value, node["deadline"], measures))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:2]}"
