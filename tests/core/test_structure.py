"""The structure reader on small crafted reports: numbering, measures, statuses, deadlines, round."""

from __future__ import annotations

import pytest

from zhenggai.core.measures import split_enumeration
from zhenggai.core.parse import parse_document
from zhenggai.core.structure import is_organisational, split_title


def parse(text: str) -> dict:
    return parse_document(text.encode("utf-8"), "report.txt")


def paths(ledger: dict) -> list[tuple]:
    out = []

    def walk(nodes, prefix=()):
        for node in nodes:
            here = (*prefix, node["number"])
            out.append((here, node["label"], node["level"]))
            walk(node["children"], here)

    walk(ledger["sections"])
    return out


def find(ledger: dict, *path: int) -> dict:
    nodes = ledger["sections"]
    node = None
    for number in path:
        node = next(n for n in nodes if n["number"] == number)
        nodes = node["children"]
    assert node is not None
    return node


REPORT = """关于巡察整改情况的报告
按照县委统一部署，2021年3月1日至4月30日，县委第二巡察组对某镇党委进行了巡察。2021年6月8日，县委第二巡察组向某镇党委反馈了巡察意见。
一、学习贯彻不到位。
1.学习不深入。
（1）学习计划不细。中心组学习流于形式。
整改情况：一是制定学习计划；二是开展专题研讨；三是建立考核机制。
（2）研讨交流不够（正在整改，2021年12月底前完成）。
整改措施：召开研讨会。
2.落实不到位。
仍存在制度执行打折扣的情况。
整改进展：一是修订制度。二是开展督查。
二、作风建设不严。
3.纪律松散（已完成，长期坚持）。
整改落实情况：开展作风整顿。
欢迎广大干部群众对巡察整改落实情况进行监督。
"""


def test_it_nests_items_by_numbering_and_keeps_numbers_running_across_sections():
    ledger = parse(REPORT)
    assert paths(ledger) == [
        ((1,), "一、", 1),
        ((1, 1), "1.", 2),
        ((1, 1, 1), "（1）", 3),
        ((1, 1, 2), "（2）", 3),
        ((1, 2), "2.", 2),
        ((2,), "二、", 1),
        ((2, 3), "3.", 2),
    ]


def test_it_reads_problems_measures_and_statuses():
    ledger = parse(REPORT)
    first = find(ledger, 1, 1, 1)
    assert first["title"] == "学习计划不细。"
    assert first["problem"] == "中心组学习流于形式。"
    assert [m["text"] for m in first["measures"]] == ["制定学习计划", "开展专题研讨", "建立考核机制。"]
    second = find(ledger, 1, 1, 2)
    assert second["status"] == "in_progress"
    assert second["deadline"] == "2021-12"
    assert len(second["measures"]) == 1
    leaf = find(ledger, 1, 2)
    assert leaf["problem"] == "仍存在制度执行打折扣的情况。"
    assert len(leaf["measures"]) == 2
    done = find(ledger, 2, 3)
    assert (done["status"], done["long_term"], done["title"]) == ("done", True, "纪律松散。")
    grouping = find(ledger, 1, 1)
    assert grouping["problem"] is None and grouping["measures"] == []


def test_it_reads_preamble_closing_and_round():
    ledger = parse(REPORT)
    assert ledger["title"] == "关于巡察整改情况的报告"
    assert ledger["preamble"].startswith("按照县委统一部署")
    assert ledger["closing"].startswith("欢迎广大干部群众")
    assert ledger["round"] == {
        "kind": "巡察",
        "inspector": "县委第二巡察组",
        "target": "某镇党委",
        "feedback_date": "2021-06-08",
    }


@pytest.mark.parametrize(
    ("phrase", "status", "deadline", "long_term"),
    [
        ("（已整改完毕）", "done", None, False),
        ("（整改完成并长期坚持）", "done", None, True),
        ("（正在整改，2020年7月完成）", "in_progress", "2020-07", False),
        ("（正在整改，2020年7月完成，长期坚持）", "in_progress", "2020-07", True),
        ("（持续整改）", "in_progress", None, True),
        ("（立行立改）", "done", None, False),
        ("（已完成）", "done", None, False),
        ("（正在推进，2025年6月底前完成）", "in_progress", "2025-06", False),
        ("（未整改）", "not_started", None, False),
        ("（部分整改，2024年12月31日前完成）", "in_progress", "2024-12-31", False),
        ("（序时推进，2025年12月底前实现）", "in_progress", "2025-12", False),
        ("（进行中）", "in_progress", None, False),
    ],
)
def test_it_reads_status_and_deadline_phrases(phrase, status, deadline, long_term):
    ledger = parse(f"一、问题方面\n（1）台账不全{phrase}。\n整改情况：补齐台账。\n")
    node = find(ledger, 1, 1)
    assert (node["status"], node["deadline"], node["long_term"]) == (status, deadline, long_term)


def test_problem_text_that_mentions_rectification_is_not_a_status():
    ledger = parse("一、问题方面\n（1）上轮问题至今仍未进行整改，部分资产长期闲置。\n整改情况：清查资产。\n")
    node = find(ledger, 1, 1)
    assert (node["status"], node["long_term"], node["deadline"]) == (None, False, None)


def test_a_paragraph_that_opens_with_its_status_starts_the_measures():
    ledger = parse(
        "二、审计查出问题的整改情况\n（一）财政管理方面\n1.预算编制不精准。23个项目执行率低。\n"
        "部分整改。市财政局一是收回资金；二是督促项目单位加快决算，计划于2025年12月底前完成清理。\n"
        "2.债务化解滞后。\n未整改，原因是涉及诉讼，需待判决后处置。\n"
    )
    first = find(ledger, 2, 1, 1)
    assert first["status"] == "in_progress" and first["deadline"] == "2025-12"
    assert [m["text"] for m in first["measures"]] == [
        "市财政局收回资金",
        "督促项目单位加快决算，计划于2025年12月底前完成清理。",
    ]
    second = find(ledger, 2, 1, 2)
    assert second["status"] == "not_started" and len(second["measures"]) == 1


def test_a_past_result_is_not_a_deadline():
    ledger = parse(
        "一、问题方面\n1.关于“投资不足”的问题\n一是2024年完成投资42.6亿元；二是2024年11月22日召开专题会议。\n"
    )
    node = find(ledger, 1, 1)
    assert node["deadline"] is None and len(node["measures"]) == 2


def test_a_progress_paragraph_after_the_measures_gives_the_status_and_is_no_measure():
    ledger = parse(
        "一、党的建设方面\n1.会议记录不规范。\n整改措施：一是建立会议记录当场签字制度；二是每月检查会议记录。\n"
        "整改进展：已完成。已修订会议制度3项，检查会议记录12次。\n"
        "2.学习制度落实不到位。\n整改措施：一是制定学习计划；二是开展专题学习。\n"
        "整改成效：正在整改，2025年6月底前完成。已开展专题学习4次。\n"
        "3.台账不全。\n整改情况：补齐台账。\n"
    )
    first, second, third = find(ledger, 1, 1), find(ledger, 1, 2), find(ledger, 1, 3)
    assert [m["text"] for m in first["measures"]] == ["建立会议记录当场签字制度", "每月检查会议记录。"]
    assert (first["status"], first["status_text"]) == ("done", "已完成")
    assert "已修订会议制度3项" in first["text"]
    assert (second["status"], second["deadline"], len(second["measures"])) == ("in_progress", "2025-06", 2)
    assert [m["text"] for m in third["measures"]] == ["补齐台账。"]  # the first paragraph: the measures


def test_closing_prose_after_the_last_item_is_no_measure():
    ledger = parse(
        "一、党的建设方面\n1.会议记录不规范。\n整改措施：一是建立会议记录当场签字制度；二是每月检查会议记录。\n"
        "下一步，我们将继续巩固整改成果，建立长效机制。\n欢迎广大干部群众监督。\n"
    )
    assert [m["text"] for m in find(ledger, 1, 1)["measures"]] == [
        "建立会议记录当场签字制度",
        "每月检查会议记录。",
    ]
    assert ledger["closing"].startswith("下一步，我们将继续巩固整改成果")


def test_a_date_before_shi_xian_is_a_deadline_and_a_result_is_not():
    # 实现 names a deadline only after 前, as 完成 does: the item's deadline, as for 完成.
    planned = parse(
        "一、问题方面\n1.关于“覆盖不全”的问题\n一是2025年12月底前实现监测全覆盖；二是加强调度。\n"
    )
    assert find(planned, 1, 1)["deadline"] == "2025-12"
    result = parse("一、问题方面\n1.关于“覆盖不全”的问题\n一是2024年实现营收增长；二是加强调度。\n")
    assert find(result, 1, 1)["deadline"] is None


def test_a_problem_list_with_fields_gives_owner_department_deadline_and_status():
    ledger = parse(
        "一、理论学习方面\n(一)学习不深入\n(1)问题表现:学习计划针对性不强。\n整改目标:增强实效。\n整改措施:\n"
        "1.修订学习制度;\n2.推行研讨模式;\n责任领导:王建华\n责任科室:办公室\n完成时限:2024年9月底前\n完成情况:已完成,长期坚持\n"
        "(2)问题表现:青年干部学习少。\n整改措施:1.成立学习小组;2.建立学习档案。\n完成时限:立行立改\n完成情况:正在推进\n"
    )
    first = find(ledger, 1, 1, 1)
    assert first["title"] == "学习计划针对性不强。"
    assert [m["text"] for m in first["measures"]] == ["修订学习制度", "推行研讨模式"]
    assert {(m["owner"], m["department"]) for m in first["measures"]} == {("王建华", "办公室")}
    assert (first["status"], first["deadline"], first["long_term"]) == ("done", "2024-09", True)
    assert first["text"] == "整改目标:增强实效。"  # as printed (core.script)
    second = find(ledger, 1, 1, 2)
    assert len(second["measures"]) == 2
    assert (second["status"], second["deadline"]) == ("in_progress", None)


def test_organisational_and_outlook_sections_hold_prose_not_problems():
    ledger = parse(
        "一、整改工作总体情况\n（一）压实责任。召开会议专题研究。\n（二）强化督促。建立台账。\n"
        "二、巡察反馈问题整改情况\n1.学习不够。\n整改情况：开展学习。\n"
        "三、下一步工作打算\n一是巩固成果；二是建立机制。\n"
    )
    org = find(ledger, 1, 1)
    assert org["problem"] is None and org["text"] == "召开会议专题研究。" and org["measures"] == []
    outlook = find(ledger, 3)
    assert outlook["problem"] is None and outlook["measures"] == []
    assert find(ledger, 2, 1)["measures"][0]["text"] == "开展学习。"


def test_a_measures_list_with_no_item_above_keeps_its_entries_as_items():
    ledger = parse(
        "关于整改情况的说明\n整改任务:压实责任。\n整改完成情况:\n1、召开推进会。\n2、每月调度。\n特此公示!\n"
    )
    assert [n["title"] for n in ledger["sections"]] == ["召开推进会。", "每月调度。"]
    assert all(n["problem"] is None for n in ledger["sections"])
    assert ledger["warnings"]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("一是制定方案；二是开展督查；三是建立机制。", ["制定方案", "开展督查", "建立机制。"]),
        ("市财政局一是收回资金；二是清理账户。", ["市财政局收回资金", "清理账户。"]),
        ("1.修订制度;2.开展培训;3.建立台账。", ["修订制度", "开展培训", "建立台账。"]),
        ("（1）修订制度；（2）开展培训。", ["修订制度", "开展培训。"]),
        ("①修订制度；②开展培训。", ["修订制度", "开展培训。"]),
        # GB 2312's one-character numbers, each set a sequence of its own (⑴ ⒈ ㈠)
        ("⑴修订制度；⑵开展培训；⑶建立台账。", ["修订制度", "开展培训", "建立台账。"]),
        ("（一）修订制度；（二）开展培训。", ["修订制度", "开展培训。"]),
        ("按照《办法》第三条（一）款执行。", ["按照《办法》第三条（一）款执行。"]),
        ("⒈修订制度；⒉开展培训。", ["修订制度", "开展培训。"]),
        ("㈠修订制度；㈡开展培训。", ["修订制度", "开展培训。"]),
        ("①修订制度；⑵开展培训。", ["修订制度；⑵开展培训。"]),  # (two sets: no sequence)
        ("统一是前提，要抓好落实。", ["统一是前提，要抓好落实。"]),
        ("投入2.5万元，完成3个项目。", ["投入2.5万元，完成3个项目。"]),
    ],
)
def test_it_splits_inline_enumerations(text, items):
    assert split_enumeration(text) == items


def test_run_in_titles_split_at_the_first_sentence_or_a_gap():
    assert split_title("重点工作推进不力。社区平时对党员教育管理缺失。") == (
        "重点工作推进不力。",
        "社区平时对党员教育管理缺失。",
    )
    assert (
        split_title("审计调查发现的主要问题 生态环境机构监测监察执法改革进展较慢。")[0]
        == "审计调查发现的主要问题"
    )
    assert split_title("关于“理论学习不够”的问题") == ("关于“理论学习不够”的问题", "")


@pytest.mark.parametrize(
    ("title", "organisational"),
    [
        ("落实整改组织情况", True),
        ("整改工作总体部署和推进情况", True),
        ("下一步工作打算", True),
        ("尚未整改到位问题的原因及下一步工作安排", True),
        ("审计处理情况和建议", True),
        ("巡察反馈意见整改落实情况", False),
        ("审计发现的主要问题", False),
        ("落实主体责任和内部管控不到位，作风建设不严不实。", False),
        ("党组织战斗堡垒作用不强", False),
    ],
)
def test_it_tells_organisational_sections_from_problem_sections(title, organisational):
    assert is_organisational(title) is organisational


def test_numbering_with_first_part_and_circled_levels():
    ledger = parse(
        "第一部分 问题清单\n一、学习方面\n①学习不深入。\n整改措施：加强学习。\n②研讨不够。\n整改措施：开展研讨。\n"
    )
    assert paths(ledger) == [
        ((1,), "第一部分", 1),
        ((1, 1), "一、", 2),
        ((1, 1, 1), "①", 3),
        ((1, 1, 2), "②", 3),
    ]


def test_fields_glued_to_a_sentence_a_feedback_without_addressee_and_a_signature():
    ledger = parse(
        "关于巡察反馈问题整改进展情况的通报\n"
        "根据县委统一部署，2022年4月至5月，县委第四巡察组对县教育局党组开展了常规巡察，并于2022年7月5日反馈了巡察意见。\n"
        "一、反馈问题整改情况\n1．意识形态工作责任制落实不到位。\n整改进展：制定责任清单，定期研判。整改时限：2022年12月\n"
        "2．制度执行不严格。\n整改情况：修订决策制度。责任单位：办公室。\n中共某县教育局党组\n2022年10月8日\n"
    )
    assert ledger["round"]["feedback_date"] == "2022-07-05"
    assert find(ledger, 1, 1)["deadline"] == "2022-12"
    assert find(ledger, 1, 1)["measures"][0]["text"] == "制定责任清单，定期研判。"
    assert find(ledger, 1, 2)["measures"][0]["department"] == "办公室"
    assert ledger["closing"] == "中共某县教育局党组\n2022年10月8日"


def test_an_enumeration_starts_at_its_first_point_or_nowhere():
    """split_enumeration: 二是… or 第二，… without 一是 / 第一 (其一) before it splits nothing (the
    quick tests look for the first point), and 统一是 is no point."""
    assert split_enumeration("二是加强学习；三是建立制度") == ["二是加强学习；三是建立制度"]
    assert split_enumeration("第二，加强学习；第三，建立制度") == ["第二，加强学习；第三，建立制度"]
    assert split_enumeration("一是加强学习；二是建立制度") == ["加强学习", "建立制度"]
    assert split_enumeration("其一，加强学习；其二，建立制度") == ["加强学习", "建立制度"]
    assert split_enumeration("思想统一是前提，二是建立制度") == ["思想统一是前提，二是建立制度"]


def test_a_run_in_title_ends_at_the_first_sentence_end_within_61_characters():
    assert split_title("学习不深入。一是应知应会掌握不全面") == ("学习不深入。", "一是应知应会掌握不全面")
    long = "很" * 61 + "。后文"
    assert split_title(long) == (long, "")
    assert split_title("重点工作推进不力！") == ("重点工作推进不力！", "")


def test_the_chinese_enumerator_pattern_finds_what_its_look_behind_first_form_finds():
    """measures._CN_ENUM opens with the numerals' class (the engine scans for it) and looks behind
    after the first numeral: it finds the 一是/十一是 of the plain form and not its 统一是/唯一是."""
    import random
    import re

    from zhenggai.core.measures import _CN_ENUM

    plain = re.compile(r"(?<![统唯同专单之第万归均])([一二三四五六七八九十]{1,3})是")
    rng = random.Random(12)
    for _ in range(20000):
        text = "".join(rng.choice("统唯一二三十是之第我的，。") for _ in range(rng.randint(0, 12)))
        assert [(m.span(), m.group(1)) for m in _CN_ENUM.finditer(text)] == [
            (m.span(), m.group(1)) for m in plain.finditer(text)
        ], text


def test_an_item_told_in_one_paragraph_still_gives_the_date_the_rest_is_done_by():
    ledger = parse(
        "一、审计发现问题的整改情况\n"
        "1.保障性住房分配不规范。有12户不符合条件家庭享受公租房。已清退8户；其余4户按程序给予过渡期，"
        "2025年3月底前全部清退。（部分整改，持续推进）\n"
        "2.专项资金闲置。已于2024年5月底前全部拨付到位。（已整改）\n"
    )
    partly, done = find(ledger, 1, 1), find(ledger, 1, 2)
    assert (partly["measures"], partly["status"], partly["deadline"]) == ([], "in_progress", "2025-03")
    assert done["status"] == "done" and done["deadline"] is None  # a completion, not a deadline


def test_a_deadline_without_a_year_takes_the_year_the_page_dates_the_report():
    page = (
        "关于主题教育检视问题整改情况的通报\n时间：2024-02-02 来源：办公室\n"
        "一、检视问题\n1.调研不深入。\n整改措施：一是建立调研制度，12月底前完成；二是每季度开展专题调研。\n"
    )
    assert find(parse(page), 1, 1)["deadline"] == "2024-12"
    undated = page.replace("时间：2024-02-02 来源：办公室\n", "")
    assert find(parse(undated), 1, 1)["deadline"] is None  # no year anywhere: not guessed


def _one_item(body: str, dated: str = "") -> dict:
    text = "关于巡视整改进展情况的通报\n" + dated + "二、反馈问题整改进展情况\n" + body + "\n"
    return parse(text)["sections"][0]["children"][0]


@pytest.mark.parametrize(
    ("pattern", "status_paragraph", "status"),
    [
        ("time word, partial count, then a status", "目前，集体备课已完成70%，遴选正在进行。", "in_progress"),
        ("subject and dated completion, long term", "该问题已于2024年4月完成整改，并将长期坚持。", "done"),
    ],
)
def test_a_status_paragraph_of_its_own_after_enumerated_measures_is_no_measure(
    pattern, status_paragraph, status
):
    node = _one_item(
        "1.师德建设机制不健全。\n整改措施：一是修订办法；二是建立清单；三是纳入考核。\n" + status_paragraph
    )
    assert len(node["measures"]) == 3, pattern
    assert node["status"] == status, pattern


def test_a_lone_status_paragraph_stays_a_measure_when_it_is_the_only_one():
    """Only a paragraph after the measures is taken as their progress; a first paragraph is kept."""
    node = _one_item("1.制度执行不严。\n整改措施：目前，该问题正在修订制度并开展专项督查。")
    assert [m["text"] for m in node["measures"]] == ["目前，该问题正在修订制度并开展专项督查。"]


def test_a_progress_field_with_a_plan_and_no_status_word_is_under_way():
    node = _one_item(
        "1.学科布局统筹不够。\n整改措施：一是编制调整方案；二是实施攀登计划。\n"
        "整改进展：方案已提交学术委员会审议。下一步，计划10月提交党委常委会审定后印发实施。",
        dated="（2024年5月）\n发布时间：2024-05-20\n",
    )
    assert node["status"] == "in_progress"
    assert node["deadline"] == "2024-10"


def test_a_progress_field_without_a_plan_or_a_status_word_gives_no_status():
    node = _one_item(
        "1.学科布局统筹不够。\n整改措施：一是编制调整方案；二是实施攀登计划。\n整改进展：方案已提交审议。"
    )
    assert node["status"] is None


def test_long_term_said_in_a_later_clause_of_the_progress_field():
    """``LONG_TERM_STATED``: 长期坚持 anywhere in a progress field, not only in its first sentence."""
    node = _one_item(
        "1.工程变更审批不严。\n整改措施：一是专项治理；二是跟踪审计。\n"
        "整改进展：正在整改，计划2024年12月底前完成；跟踪审计长期坚持。"
    )
    assert node["long_term"] is True
    assert node["deadline"] == "2024-12"


def test_a_rectification_told_in_the_problems_own_paragraph():
    """An audit report's item in one paragraph: the problem, then what the responsible unit did (no
    marker), then how far it came. The unit's report is the measure (enumerated: one a point); the
    status sentence glued after it is no measure."""
    node = _one_item(
        "1.部分非税收入未及时缴入国库问题。区财政局代收的土地复垦费1286.4万元滞留财政专户。"
        "区财政局已将上述资金全额缴库，并建立月度对账机制。目前，该问题已整改完成。"
    )
    assert node["problem"].endswith("滞留财政专户。")
    assert [m["text"] for m in node["measures"]] == ["区财政局已将上述资金全额缴库，并建立月度对账机制。"]
    assert node["status"] == "done"
    node = _one_item(
        "2.年初预算代编比例偏高问题。2024年区级年初预算中代编项目资金占比达18.7%。"
        "区财政局一是压减代编资金规模；二是明确细化时限。该问题已整改。"
    )
    assert len(node["measures"]) == 2 and node["status"] == "done"
    # … a problem whose sentences name a unit without its actions keeps them all
    node = _one_item("3.固定资产账实不符问题。区城市管理局有价值412.7万元的设备已报废但未办理核销。")
    assert node["measures"] == [] and "区城市管理局有价值" in node["problem"]


def test_a_rectifications_last_clause_states_its_status_when_no_sentence_does():
    """…已清退403万元；剩余33万元…，已在网站公告，正在整改中。: in progress; a plan alone states none."""
    node = _one_item(
        "1.涉企保证金清退不到位问题。区住房城乡建设局应退未退保证金436万元。"
        "区住房城乡建设局已清退保证金403万元；剩余33万元因企业注销，已在网站公告，正在整改中。"
    )
    assert node["status"] == "in_progress"
    node = _one_item(
        "2.审计发现问题整改不及时。\n整改措施：督促施工单位补充结算资料，计划于2025年9月底前完成竣工决算。"
    )
    assert node["status"] is None


def test_numbered_lines_under_a_problem_that_say_what_was_done_to_a_problem_they_name_are_its_measures():
    """关于“…”(a feedback quoted) with 整改进展情况： then 1.…2.…3.: 对扬尘管控不力的37个工地实施约谈 names
    a problem and what was done to it; its measures all, none a finding (滞后序时进度 is a status)."""
    ledger = parse(
        "中央生态环境保护督察反馈意见某市整改进展清单\n"
        "一、关于“某市秋冬季大气污染防治措施落实不到位，部分工地扬尘管控流于形式。”\n"
        "整改进展情况：滞后序时进度，正在加快推进。\n"
        "1.制定大气污染防治攻坚行动方案，实施超低排放改造项目11个，已完成6个。\n"
        "2.建立重点工地扬尘在线监测平台，接入工地213个。\n"
        "3.对扬尘管控不力的37个工地实施约谈、停工整改。\n"
    )
    node = find(ledger, 1)
    assert node["children"] == [] and len(node["measures"]) == 3
    assert node["status"] == "in_progress"
    # … a child whose verb is part of the problem it names stays a finding
    ledger = parse(
        "关于巡视整改进展情况的通报\n二、反馈问题整改进展情况\n"
        "1.涉企保证金清退不到位问题。区住房城乡建设局应退未退保证金436万元。\n"
        "2.固定资产账实不符问题。区城市管理局设备已报废但未办理核销。\n"
    )
    assert len(find(ledger, 2)["children"]) == 2


def test_points_that_end_in_semicolons_under_a_problem_are_its_measures_and_the_status_after_them_its():
    """2.关于“…”问题的整改 / 责任领导：… / （1）制定…；（2）推动…；（3）建立…。 / 该问题正在整改中，…: one
    list's points (the last marked only by the status sentence after it), no findings of their own."""
    ledger = parse(
        "关于巡视整改进展情况的通报\n二、巡视反馈问题整改情况\n"
        "2.关于“防范化解地方债务风险不够有力”问题的整改\n责任领导：市长；责任单位：市财政局\n"
        "（1）制定政府债务风险化解三年规划，严格控制新增隐性债务；\n"
        "（2）推动市属国有平台公司市场化转型，压降融资成本；\n"
        "（3）建立债务风险动态监测预警机制。\n"
        "该问题正在整改中，计划2026年12月底前完成平台公司整合重组。\n"
    )
    node = find(ledger, 2, 2)
    assert node["children"] == [] and len(node["measures"]) == 3
    assert (node["status"], node["deadline"]) == ("in_progress", "2026-12")


def test_a_part_done_and_a_part_under_way_is_in_progress():
    """目前已完成专项检查，电子化交易平台正在升级。: the rest under way."""
    node = _one_item(
        "1.关于“工程建设领域廉洁风险较高”问题的整改\n一是开展专项检查。二是推行全流程电子化交易。"
        "整改时限：2026年6月。目前已完成专项检查，电子化交易平台正在升级。"
    )
    assert node["status"] == "in_progress"


def test_a_bracketed_number_before_a_figure_still_enumerates_a_bare_one_does_not():
    """（3）2025年1月两宗地块均已挂牌出让 is the third point; 增长1.5倍 is a figure."""
    assert split_enumeration(
        "（1）开展招商推介；（2）完成供地前期手续；（3）2025年1月两宗地块均已挂牌出让。"
    ) == [
        "开展招商推介",
        "完成供地前期手续",
        "2025年1月两宗地块均已挂牌出让。",
    ]
    assert split_enumeration("1.投入增长1.5倍；2.完成改造。") == ["投入增长1.5倍", "完成改造。"]


def test_numbered_lines_under_a_problem_that_say_what_units_did_are_its_measures():
    """（一）部分改造项目未按规定征询居民意见。… / 1.市住房城乡建设局印发《…》，明确“改不改”由居民决定。
    / 2.各区对9个项目补充开展居民意见征询。 / 3.将满意度测评纳入验收内容。 / （已整改）: what the units
    did (a quoted negation is no problem of its own), the status parenthesis after them the problem's."""
    ledger = parse(
        "关于审计调查发现问题整改情况的函\n二、具体整改情况\n"
        "（一）部分改造项目未按规定征询居民意见。2024年实施的56个改造项目中，有9个项目未征询。\n"
        "1.市住房城乡建设局印发《居民意愿征询工作指引》，明确“改不改、改什么”由居民决定。\n"
        "2.各区对9个项目补充开展居民意见征询。\n3.将居民满意度测评纳入项目竣工验收内容。\n（已整改）\n"
        "（二）专项债券资金使用进度缓慢。安排的1.5亿元截至审计时仅支出0.62亿元。\n"
        "1.对债券项目实行挂图作战。\n2.截至2025年10月底，已支出1.13亿元，剩余资金随工程进度拨付。\n"
        "（部分整改，计划2026年6月底前完成）\n"
    )
    first, second = find(ledger, 2, 1), find(ledger, 2, 2)
    assert (len(first["measures"]), first["status"], first["children"]) == (3, "done", [])
    assert (len(second["measures"]), second["status"], second["deadline"]) == (2, "in_progress", "2026-06")


def test_a_problem_printed_a_point_a_line_before_its_measures_stays_the_problem():
    """3.落实中央八项规定精神不够严格。 / 一是个别股室存在以会代训问题； / 二是…； / 三是…。 / 整改措施：一是…:
    the first three lines are the problem's points, the marker opens the measures."""
    node = _one_item(
        "3.落实中央八项规定精神不够严格。\n一是个别股室存在以会代训、超标准列支培训费问题；\n"
        "二是公务用车使用审批不规范，派车单填写不完整；\n三是公务接待存在无公函接待现象。\n"
        "整改措施：一是开展专项自查；二是清退超标准列支费用；三是修订公务接待制度。\n整改进展：已完成。"
    )
    assert len(node["measures"]) == 3 and "以会代训" in node["problem"]
    # … measures enumerated a point a line after a problem in one sentence stay measures
    node = _one_item("1.学习制度执行不严。\n一是修订理论学习中心组学习制度；\n二是开展专题学习12次。")
    assert len(node["measures"]) == 2


def test_problem_points_run_into_one_paragraph_before_the_measures_stay_the_problem():
    """A copy whose line breaks joined two of those points (一是…；二是…不规范，…； / 三是…。 / 整改措施：…):
    still the problem's points; a negated verb (不规范, 未落实) names a shortcoming, not an action."""
    node = _one_item(
        "3.落实中央八项规定精神不够严格。\n一是个别股室存在以会代训、超标准列支培训费问题；"
        "二是公务用车使用审批不规范，派车单填写不完整；\n三是公务接待存在无公函接待现象。\n"
        "整改措施：一是开展专项自查；二是清退超标准列支费用；三是修订公务接待制度。\n整改进展：已完成。"
    )
    assert len(node["measures"]) == 3 and "不规范" in node["problem"]
    # … points that say what was done are measures, joined or not
    node = _one_item(
        "1.学习制度执行不严。\n一是修订理论学习中心组学习制度；二是规范学习记录；\n三是开展专题学习12次。"
    )
    assert len(node["measures"]) == 3


def test_a_status_with_its_bracketed_detail_before_numbered_actions():
    """关于“…”的问题。 / 整改进展情况：达到序时进度（…计划2026年6月底前全部完工）。 / 1.编制… 2.沿江11个乡镇新建
    截污管网… 3.建立…隐患排查制度。: the status (its detail's date the deadline) and three measures."""
    ledger = parse(
        "某市整改进展清单\n二、关于“澄江流域水环境质量改善不明显，沿江部分乡镇生活污水直排问题仍未解决”的问题。\n"
        "整改进展情况：达到序时进度（沿江乡镇截污管网工程计划2026年6月底前全部完工）。\n"
        "1.编制澄江流域水环境综合治理方案，实施治理项目14个。\n2.沿江11个乡镇新建截污管网52公里，已完成38公里。\n"
        "3.建立园区环境风险隐患月排查制度。\n"
    )
    node = find(ledger, 2)
    assert (len(node["measures"]), node["status"], node["deadline"]) == (3, "in_progress", "2026-06")
    assert node["children"] == []


def test_a_rectification_told_right_after_a_problem_stated_in_the_items_title():
    """1.部分预算编制不够细化，年初代编预算比例偏高。市财政局修订…；同时建立…。该问题已整改完成。: the title
    states the problem, the paragraph opens with what the unit did."""
    node = _one_item(
        "1.部分预算编制不够细化，年初代编预算比例偏高。市财政局已修订《市级部门预算编制管理办法》，"
        "压减年初代编预算规模；同时建立季度分析制度。该问题已整改完成。"
    )
    assert len(node["measures"]) == 1 and node["status"] == "done"
    assert node["problem"] == node["title"]


def test_a_list_a_marker_line_opens_goes_on_in_lines_of_their_own():
    """整改措施：（1）…；（2）…； then （3）… on a line of its own: the list the marker's line opened goes
    on (a measure, not an item numbered in a style no item above has); where the items themselves
    are numbered so, the line is the next item."""
    head = "关于巡察整改情况的报告\n县委第一巡察组对县林业局党组开展了巡察。\n一、贯彻落实方面\n"
    report = head + (
        "1.学习形式单一。\n整改措施：（1）组建学习小组；（2）开展专题研讨；\n（3）开展“青年讲堂”活动。\n"
        "（4）建立台账。\n整改时限：2025年6月\n2.制度不健全。\n整改措施：修订制度。\n"
    )
    first, second = _items_of_the_one_section(report)
    assert [m["text"] for m in first["measures"]] == [
        "组建学习小组",
        "开展专题研讨",
        "开展“青年讲堂”活动。",
        "建立台账。",
    ]
    assert (first["deadline"], first["children"], second["label"]) == ("2025-06", [], "2.")
    items = (
        head + "（1）学习形式单一。\n整改措施：（1）组建学习小组。\n（2）制度不健全。\n整改措施：修订制度。\n"
    )
    assert [n["title"] for n in _items_of_the_one_section(items)] == ["学习形式单一。", "制度不健全。"]


def _items_of_the_one_section(report: str) -> list[dict]:
    (section,) = parse_document(report.encode(), "r.txt")["sections"]
    return section["children"]


def test_a_list_run_into_one_line_under_a_status_only_marker_is_the_problems_measures():
    """整改情况：已完成整改。 then （1）…；（2）…；（3）… on one line: the line is the problem's measures,
    one an item, not a numbered item of its own nor one measure."""
    report = (
        "关于主题教育检视整改问题整改落实情况的公示\n现将整改落实情况公示如下：\n一、在理论学习方面\n"
        "问题一：理论学习与业务工作结合不紧。\n局党组理论学习中心组学习存在“读文件”多的情况。\n"
        "整改情况：目前已整改完成。\n（1）制定年度理论学习计划；（2）建立“学习+调研”机制；（3）开展活动12场次。\n"
        "问题二：青年干部理论武装有薄弱环节。\n整改情况：已完成整改。\n（1）成立青年理论学习小组3个。\n"
    )
    first, second = _items_of_the_one_section(report)
    assert [m["text"] for m in first["measures"]] == [
        "制定年度理论学习计划",
        "建立“学习+调研”机制",
        "开展活动12场次。",
    ]
    assert (first["status"], first["children"]) == ("done", [])
    assert [m["text"] for m in second["measures"]] == ["成立青年理论学习小组3个。"]


OPENING = """中共某学院委员会关于巡视整改进展情况的通报
根据省委统一部署，省委第六巡视组对某学院党委开展了常规巡视，6月20日反馈了巡视意见。现将整改进展情况予以公布。
一、巡视反馈问题整改落实情况
（一）贯彻落实党的教育方针方面
1.思政课专职教师配备不足。
整改措施：一是制定专项规划；二是公开招聘专职教师8名。目前已完成整改。
2.课程思政建设推进不平衡。
整改措施：一是开展示范课程遴选；二是纳入教学评价。整改进展：序时推进。
"""


def _findings(ledger: dict) -> list[str]:
    out = []

    def walk(nodes):
        for node in nodes:
            if node["problem"] or node["measures"]:
                out.append(node["title"])
            walk(node["children"])

    walk(ledger["sections"])
    return out


@pytest.mark.parametrize(
    "tail",
    [
        "（二）服务地方基础教育发展不够有力",  # one of the categories whose items came before it
        "（二）关于落实全面从严治党主体责任方面的问题",  # 关于…方面的问题: a category
        "（二）立行立改类问题（共3项）",
        "二、审计查出问题的整改情况",  # a part of the report, named by what it tells
    ],
)
def test_a_copy_that_breaks_off_after_a_heading_counts_no_finding_for_it(tail):
    # A page that keeps a report's opening: the last line is a heading whose items the copy lost.
    ledger = parse(OPENING + tail + "\n")
    assert _findings(ledger) == ["思政课专职教师配备不足。", "课程思政建设推进不平衡。"]
    heading = ledger["sections"][-1]["children"][-1] if tail.startswith("（") else ledger["sections"][-1]
    assert heading["title"] == tail.split("）", 1)[-1].split("、", 1)[-1]
    assert heading["problem"] is None and heading["measures"] == []


def test_a_problem_printed_last_without_its_measures_is_still_a_finding():
    # 3.… at the end of the copy states a problem at the level of the findings before it
    ledger = parse(OPENING + "3.实验室安全管理存在隐患。\n")
    assert _findings(ledger)[-1] == "实验室安全管理存在隐患。"
    # … and so is a heading with text under it
    ledger = parse(OPENING + "（二）某某方面\n部分支部组织生活不规范，未按要求召开组织生活会。\n")
    assert "某某方面" in _findings(ledger)


@pytest.mark.parametrize(
    "text", ["1.问题。一是", "一、某某。一是", "第一部分。一是", "1.会议记录不规范。\n一是；"]
)
def test_a_copy_cut_right_after_its_first_enumerator_reads(text):
    # 一是 with nothing after it: no point to read, no crash
    ledger = parse(text)
    assert ledger["sections"]
