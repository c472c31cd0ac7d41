"""Tables as offices make them: Word reports whose findings sit in tables under 一、 headings, and
workbooks whose columns, titles, categories and notes are laid out their own way. Every document
here is made up in the shape of the pattern the test names."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from openpyxl import Workbook

from zhenggai.core.parse import parse_document
from zhenggai.core.tables import (
    cell_status,
    choose_columns,
    coded_label,
    labelled_round,
    split_measures,
)

WORD_HEADER = ["序号", "问题", "整改措施", "责任领导", "责任部门", "整改时限", "完成情况"]


def _word(blocks: list[str | list[list[str]]]) -> bytes:
    """A .docx of paragraphs (str) and tables (rows of cell texts; a cell's lines are paragraphs)."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=0, cols=len(block[0]))
        for row in block:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                lines = text.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _book(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _paths(nodes: list[dict], prefix: tuple = ()) -> dict[tuple, dict]:
    found = {}
    for node in nodes:
        path = (*prefix, node["number"])
        found[path] = node
        found.update(_paths(node["children"], path))
    return found


def _findings(ledger: dict) -> dict[tuple, dict]:
    return {
        path: node for path, node in _paths(ledger["sections"]).items() if node["measures"] or node["problem"]
    }


# ---- Word: one table a section, one row a problem ------------------------------------------------------


def _word_report() -> bytes:
    return _word(_word_report_blocks())


def _word_report_blocks() -> list[str | list[list[str]]]:
    return [
        "某县农业农村局党组关于县委巡察反馈意见整改情况的报告",
        "根据县委统一部署，2024年3月至5月，县委第二巡察组对县农业农村局党组进行了巡察，"
        "并于2024年6月12日反馈了巡察意见。现将整改情况报告如下。",
        "一、贯彻落实党的路线方针政策方面",
        [
            WORD_HEADER,
            [
                "1",
                "理论学习不深入，学用结合不紧。",
                "1.制定学习计划；2.开展专题研讨；3.建立督查机制。",
                "张某",
                "办公室",
                "2024年12月底前",
                "已完成",
            ],
            [
                "2",
                "惠农政策落实有偏差。",
                "一是梳理政策清单；二是开展专项督查。",
                "李某",
                "发展规划股",
                "长期坚持",
                "整改中",
            ],
        ],
        "二、全面从严治党方面",
        [
            WORD_HEADER,
            [
                "1",
                "财务报销审核不严。",
                "补齐报销凭证\n修订财务制度\n开展财务培训",
                "王某",
                "财务股",
                "2024年9月",
                "序时推进",
            ],
        ],
        "下一步，我们将持续巩固整改成果。",
    ]


def test_a_word_table_under_a_heading_gives_that_headings_findings_numbered_by_their_xu_hao():
    ledger = parse_document(_word_report(), "report.docx")
    findings = _findings(ledger)
    assert sorted(findings) == [(1, 1), (1, 2), (2, 1)]
    first, second, third = findings[(1, 1)], findings[(1, 2)], findings[(2, 1)]
    assert [n["title"] for n in ledger["sections"]] == ["贯彻落实党的路线方针政策方面", "全面从严治党方面"]
    assert ledger["sections"][0]["problem"] is None  # a heading, not a finding
    assert first["children"] == [] and first["level"] == 2
    assert (first["status"], first["deadline"]) == ("done", "2024-12")
    assert (second["status"], second["deadline"], second["long_term"]) == ("in_progress", None, True)
    assert (third["status"], third["deadline"]) == ("in_progress", "2024-09")
    assert [m["owner"] for m in first["measures"]] == ["张某"] * 3
    assert {m["department"] for m in third["measures"]} == {"财务股"}
    assert ledger["round"]["inspector"] == "县委第二巡察组"
    assert "附在正文条目之后" not in " ".join(ledger["warnings"])
    assert ledger["closing"].startswith("下一步")


def test_a_table_after_an_item_with_its_own_measures_goes_after_the_text():
    data = _word(
        [
            "关于巡察整改情况的报告",
            "一、学习方面",
            "1.学习不深入。",
            "整改措施：一是制定计划；二是开展研讨。",
            [WORD_HEADER, ["1", "台账不全。", "补齐台账", "赵某", "办公室", "2024年6月", "已完成"]],
        ]
    )
    ledger = parse_document(data, "r.docx")
    assert ledger["sections"][-1]["title"] == "台账不全。"
    assert "文档中的台账表格已附在正文条目之后" in ledger["warnings"]


@pytest.mark.parametrize(
    ("cell", "measures"),
    [
        ("1.制定学习计划；2.开展专题研讨。", ["制定学习计划", "开展专题研讨。"]),
        ("（1）逐宗制定方案；（2）2025年完成复垦。", ["逐宗制定方案", "2025年完成复垦。"]),
        ("一是梳理清单；二是开展督查。", ["梳理清单", "开展督查。"]),
        ("①补办手续；②追责问责。", ["补办手续", "追责问责。"]),
        ("补齐报销凭证\n修订财务制度", ["补齐报销凭证", "修订财务制度"]),
        ("建立采购台账；落实双人验收；每月公示价格", ["建立采购台账", "落实双人验收", "每月公示价格"]),
        ("整改措施：建立食堂采购台账。", ["建立食堂采购台账。"]),
        ("对养殖场开展执法检查。\n对养殖场开展执法检查。", ["对养殖场开展执法检查。"]),
        ("补齐报销凭证\n修订财务制度\n修订财务制度", ["补齐报销凭证", "修订财务制度"]),
    ],
    ids=[
        "numbered",
        "parenthesised",
        "yi-shi",
        "circled",
        "line-breaks",
        "semicolons",
        "one-measure",
        "one-line-printed-twice",
        "last-line-printed-twice",
    ],
)
def test_the_measures_of_a_problem_are_split_from_its_one_cell(cell, measures):
    assert split_measures(cell) == measures


def test_a_ledger_of_one_row_a_measure_does_not_split_its_cells():
    rows = [
        ["序号", "问题描述", "整改措施", "责任领导", "完成时限"],
        [1, "学习不深入。", "制定计划；每季度研讨", "张某", "2024年6月"],
        [None, None, "建立台账；按月通报", None, None],
    ]
    ledger = parse_document(_book({"台账": rows}, {"台账": ["A2:A3", "B2:B3", "D2:D3", "E2:E3"]}), "t.xlsx")
    assert [m["text"] for m in ledger["sections"][0]["measures"]] == [
        "制定计划；每季度研讨",
        "建立台账；按月通报",
    ]


# ---- column names read by meaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["序号", "存在问题", "整改举措", "牵头领导", "责任单位", "完成时限", "整改进展"],
            {"seq": 0, "problem": 1, "measure": 2, "owner": 3, "department": 4, "deadline": 5, "progress": 6},
        ),
        (
            ["编号", "具体问题", "措施", "责任人", "牵头单位", "配合单位", "时限", "目前进展", "备注"],
            {
                "seq": 0,
                "problem": 1,
                "measure": 2,
                "owner": 3,
                "department": 4,
                "partners": 5,
                "deadline": 6,
                "progress": 7,
                "remark": 8,
            },
        ),
        (
            ["序号", "问题类别", "问题表现", "整改措施", "责任领导", "责任部门", "整改时限", "完成情况"],
            {
                "seq": 0,
                "category": 1,
                "problem": 2,
                "measure": 3,
                "owner": 4,
                "department": 5,
                "deadline": 6,
                "status": 7,
            },
        ),
        (
            ["序号", "方面", "反馈问题", "整改措施（具体可检查）", "责任领导", "整改情况"],
            {"seq": 0, "category": 1, "problem": 2, "measure": 3, "owner": 4, "progress": 5},
        ),
        (
            ["序号", "巡察指出的问题", "整改落实措施", "责任人员", "主办单位", "时间节点", "是否整改到位"],
            {"seq": 0, "problem": 1, "measure": 2, "owner": 3, "department": 4, "deadline": 5, "status": 6},
        ),
        (
            ["序号", "问题描述", "整改措施", "责任领导", "进展情况", "是否完成"],
            {"seq": 0, "problem": 1, "measure": 2, "owner": 3, "progress": 4, "status": 5},
        ),
    ],
    ids=[
        "synonyms",
        "partners-and-notes",
        "category",
        "parenthesised-header",
        "whether-and-milestones",
        "status-beside-progress",
    ],
)
def test_columns_are_read_by_the_meaning_of_their_headers(header, expected):
    assert choose_columns(header).roles == expected


def test_a_weak_header_is_read_by_the_cells_below_it():
    header = ["序号", "问题", "整改措施", "责任", "责任", "时间", ""]
    below = [
        [1, "学习不深入。", "制定计划", "张某", "办公室", dt.datetime(2024, 6, 30), "已完成"],
        [2, "台账不全。", "补齐台账", "李某", "财务科", "2024年9月底前", "整改中"],
        [3, "制度不健全。", "修订制度", "王某", "综合股", "长期坚持", "已完成"],
    ]
    roles = choose_columns(header, below).roles
    assert (roles["owner"], roles["department"], roles["deadline"], roles["status"]) == (3, 4, 5, 6)


def test_the_columns_chosen_are_reported_for_the_preview():
    ledger = parse_document(_word_report(), "report.docx")
    assert ledger["metadata"]["列对应"] == (
        "表1—2：序号→序号，问题→问题，整改措施→整改措施，责任领导→责任领导，责任部门→责任部门，"
        "整改时限→整改时限，完成情况→完成情况"
    )
    rows = [
        ["编号", "存在问题", "具体措施", "联系人", "完成时限"],
        [1, "台账不全。", "补齐台账", "赵某", "2024年6月"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert ledger["metadata"]["列对应"] == (
        "编号→序号，存在问题→问题，具体措施→整改措施，联系人→责任领导，完成时限→整改时限"
    )


# ---- workbooks laid out by an office ---------------------------------------------------------------------


def _office_book() -> bytes:
    ledger = [
        ["某区教育局党组落实区委第三巡察组反馈意见整改台账"],
        ["填报单位：某区教育局党组", None, None, None, None, "填报时间：2024年10月"],
        ["序号", "问题类别", "具体问题", "整改措施", "责任主体", None, "整改时限", "完成情况"],
        [None, None, None, None, "责任领导", "责任单位", None, None],
        [
            1,
            "党的政治建设方面",
            "理论学习不规范，研讨流于形式。",
            "1.修订学习制度；2.每季度开展专题研讨。",
            "张某",
            "办公室",
            dt.datetime(2024, 12, 31),
            "已完成",
        ],
        [
            2,
            None,
            "意识形态责任制落实不到位。",
            "一是制定责任清单；二是开展专项检查；三是纳入年度考核。",
            "李某",
            "宣传科",
            "2025年6月底前",
            "整改中",
        ],
        [
            1,
            "全面从严治党方面",
            "食堂采购管理不规范。",
            "建立食堂采购台账",
            "王某",
            "后勤服务中心",
            "长期坚持",
            "已完成",
        ],
        [None] * 8,
        [None] * 8,
        ["合计", None, "共3个问题", "6条措施"],
    ]
    notes = [
        ["巡察组", "区委第三巡察组"],
        ["反馈时间", dt.datetime(2024, 5, 20)],
        ["被巡察单位", "区教育局党组"],
    ]
    merges = ["A1:H1", "E3:F3", "B5:B6", *(f"{c}3:{c}4" for c in "ABCDGH")]
    return _book({"整改台账": ledger, "说明": notes}, {"整改台账": merges})


def test_title_rows_above_a_two_row_header_give_the_title_and_the_header_is_found_below_them():
    ledger = parse_document(_office_book(), "ledger.xlsx")
    assert ledger["title"] == "某区教育局党组落实区委第三巡察组反馈意见整改台账"
    assert "填报单位：某区教育局党组" in ledger["metadata"]["表格附注"]
    assert ledger["metadata"]["列对应"].startswith("序号→序号，问题类别→问题类别，具体问题→问题")
    assert "责任领导→责任领导，责任单位→责任部门" in ledger["metadata"]["列对应"]


def test_a_category_column_whose_xu_hao_restarts_is_a_heading_level_filled_down_its_merged_cells():
    ledger = parse_document(_office_book(), "ledger.xlsx")
    sheet = ledger["sections"][0]
    assert [c["title"] for c in sheet["children"]] == ["党的政治建设方面", "全面从严治党方面"]
    findings = _findings(ledger)
    assert sorted(findings) == [(1, 1, 1), (1, 1, 2), (1, 2, 1)]
    assert [len(findings[p]["measures"]) for p in sorted(findings)] == [2, 3, 1]
    assert findings[(1, 1, 2)]["status"] == "in_progress"
    assert findings[(1, 1, 2)]["deadline"] == "2025-06"
    assert findings[(1, 2, 1)]["long_term"] is True


def test_a_category_column_whose_xu_hao_runs_on_is_a_field_of_each_problem():
    rows = [
        ["序号", "问题类别", "具体问题", "整改措施", "完成情况"],
        [1, "耕地保护", "违法占用耕地。", "（1）立案查处；（2）恢复耕地。", "已完成整改"],
        [2, None, "进出平衡未落实。", "补足耕地", "按计划推进"],
        [3, "执法监管", "以罚代拆。", "逐案复核", "未启动"],
    ]
    ledger = parse_document(_book({"台账": rows}, {"台账": ["B2:B3"]}), "t.xlsx")
    assert [(n["number"], n["category"]) for n in ledger["sections"]] == [
        (1, "耕地保护"),
        (2, "耕地保护"),
        (3, "执法监管"),
    ]
    assert [n["status"] for n in ledger["sections"]] == ["done", "in_progress", "not_started"]


def test_a_notes_sheet_gives_the_round_its_inspector_target_and_feedback_date():
    ledger = parse_document(_office_book(), "ledger.xlsx")
    assert ledger["round"] == {
        "kind": "巡察",
        "inspector": "区委第三巡察组",
        "target": "区教育局党组",
        "feedback_date": "2024-05-20",
    }
    assert not any("说明" in w for w in ledger["warnings"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["督察机构", "某督察局"], ["督察意见书送达日期", dt.datetime(2024, 11, 15)]],
            {"inspector": "某督察局", "kind": "督察", "feedback_date": "2024-11-15"},
        ),
        (
            [
                ["审计机关", "某省审计厅"],
                ["审计项目", "某集团公司2024年度财务收支审计"],
                ["审计报告出具日期", "2025年3月20日"],
            ],
            {
                "inspector": "某省审计厅",
                "kind": "审计",
                "target": "某集团公司",
                "feedback_date": "2025-03-20",
            },
        ),
        (
            [["反馈时间：2024年6月12日　被巡察单位：某镇党委"]],
            {"feedback_date": "2024-06-12", "target": "某镇党委"},
        ),
        (
            [["填报日期", "2025年3月28日"], ["填报单位", "某局"], ["反馈问题整改完成时间", "2025年6月30日"]],
            {},
        ),
    ],
    ids=["inspection-office", "audit-project", "one-cell-pairs", "filing-date-is-not-feedback"],
)
def test_round_fields_are_read_by_their_labels(rows, expected):
    assert labelled_round(rows) == expected


def test_totals_rows_note_rows_and_empty_trailing_rows_are_not_problems():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        [1, "台账不全。", "补齐台账", "已完成"],
        [2, "制度不全。", "修订制度", "整改中"],
        ["合计", "2个问题", "2条措施"],
        ["填表人：张某", None, "审核人：李某"],
        [None, None, None, None],
        [None, None, None, None],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert [n["number"] for n in ledger["sections"]] == [1, 2]
    assert "合计" in ledger["metadata"]["表格附注"]


def test_a_header_repeated_inside_the_table_is_not_a_problem():
    rows = [
        WORD_HEADER,
        ["1", "台账不全。", "补齐台账", "张某", "办公室", "2024年6月", "已完成"],
        WORD_HEADER,
        ["2", "制度不全。", "修订制度", "李某", "财务股", "2024年9月", "整改中"],
    ]
    ledger = parse_document(_word(["某局整改台账", rows]), "t.docx")
    assert [n["number"] for n in ledger["sections"]] == [1, 2]


def test_a_heading_row_in_the_xu_hao_column_holds_the_problems_below_it():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        ["一", "政治建设方面", None, None],
        [1, "学习不深入。", "制定计划", "已完成"],
        ["二", "作风建设方面", None, None],
        [1, "会议过多。", "精简会议", "整改中"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert sorted(_findings(ledger)) == [(1, 1), (2, 1)]
    assert ledger["sections"][0]["problem"] is None


def test_a_coded_bian_hao_is_numbered_by_its_last_number():
    assert (coded_label("SJ-01").number, coded_label("SJ-01").label) == (1, "SJ-01")
    assert coded_label("XC2024-03").number == 3
    assert coded_label("问题12").number == 12
    assert coded_label("填表人：张某") is None


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("已完成整改", "done"),
        ("部分完成", "in_progress"),
        ("按计划推进", "in_progress"),
        ("已处置11宗，其余6宗正在处置", "in_progress"),
        ("未完成（涉诉）", "in_progress"),
        ("未启动", "not_started"),
        ("是", "done"),
        ("详见附件", None),
        # a progress report's three categories (已完成 / 达到序时进度 / 滞后), then the detail
        ("滞后", "in_progress"),
        ("滞后。2处采石场已关闭，生态修复工程因设计变更尚未开工，已约谈责任单位。", "in_progress"),
        ("达到序时进度。已新建配套管网37公里，4座污水处理厂负荷率超过60%。", "in_progress"),
        ("完成。全市186个在建工地全部落实防尘措施，安装在线监测设备94套，立案处罚11起。", "done"),
        # a status in a word or two, as cells say it
        ("已落实", "done"),
        ("已验收销号", "done"),
        ("办结", "done"),
        ("稳步推进", "in_progress"),
        ("尚未开展", "not_started"),
        ("已落实资金3000万元，项目正在建设", "in_progress"),
        # (a sentence that only speaks of a delay is no category)
        ("工程进度滞后的原因是设计变更，建设单位于2025年8月调整了施工方案，报审批后开工。", None),
    ],
)
def test_a_status_cell_that_tells_of_work_going_on_is_in_progress(cell, status):
    assert cell_status(cell) == status


def test_an_unnumbered_category_row_across_the_table_heads_the_problems_below_it():
    rows = [
        WORD_HEADER,
        ["党的政治建设方面", "", "", "", "", "", ""],
        ["1", "学习不深入。", "制定计划", "张某", "办公室", "2024年6月", "已完成"],
        ["2", "调研不够。", "开展调研", "张某", "办公室", "2024年9月", "已完成"],
        ["作风建设方面", "", "", "", "", "", ""],
        ["1", "会议过多。", "精简会议", "李某", "综合科", "2024年6月", "整改中"],
    ]
    ledger = parse_document(_word(["某局整改清单", rows]), "t.docx")
    assert [n["title"] for n in ledger["sections"]] == ["党的政治建设方面", "作风建设方面"]
    assert sorted(_findings(ledger)) == [(1, 1), (1, 2), (2, 1)]


def test_without_a_xu_hao_column_the_number_printed_before_the_problem_is_its_number():
    rows = [
        ["问题", "整改措施", "完成情况"],
        ["1.学习不深入。", "制定计划", "已完成"],
        ["2.会议过多。", "精简会议", "整改中"],
    ]
    ledger = parse_document(_word(["某局整改清单", rows]), "t.docx")
    assert [(n["number"], n["title"]) for n in ledger["sections"]] == [(1, "学习不深入。"), (2, "会议过多。")]


def test_a_second_problem_column_says_what_the_first_names():
    rows = [
        ["序号", "反馈问题", "具体表现", "整改措施", "问题金额"],
        [1, "财务管理不规范", "3笔支出无审批手续，涉及金额4.7万元。", "补齐手续", 4.7],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    node = ledger["sections"][0]
    assert (node["title"], node["problem"]) == ("财务管理不规范", "3笔支出无审批手续，涉及金额4.7万元。")
    assert "问题金额" in ledger["metadata"]["列对应"].split("未读取：")[1]


def test_xu_hao_that_number_the_measures_of_a_merged_problem_keep_them_in_that_problem():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        ["1.1", "学习不深入。", "制定计划", "已完成"],
        ["1.2", None, "开展研讨", "已完成"],
        ["2.1", "会议过多。", "精简会议", "整改中"],
    ]
    ledger = parse_document(_book({"台账": rows}, {"台账": ["B2:B3"]}), "t.xlsx")
    assert [(n["number"], len(n["measures"])) for n in ledger["sections"]] == [(1, 2), (2, 1)]


def test_a_line_naming_each_table_heads_its_problems_when_their_xu_hao_start_again():
    first = [WORD_HEADER, ["1", "学习不深入。", "制定计划", "张某", "办公室", "2024年6月", "已完成"]]
    second = [WORD_HEADER, ["1", "会议过多。", "精简会议", "李某", "综合科", "2024年9月", "整改中"]]
    data = _word(
        ["某局关于巡察整改情况的报告", "一、问题整改情况", "党的政治建设方面", first, "作风建设方面", second]
    )
    ledger = parse_document(data, "r.docx")
    assert [n["title"] for n in ledger["sections"][0]["children"]] == ["党的政治建设方面", "作风建设方面"]
    assert sorted(_findings(ledger)) == [(1, 1, 1), (1, 2, 1)]


def test_a_line_naming_each_table_is_a_category_when_xu_hao_runs_on():
    first = [WORD_HEADER, ["1", "学习不深入。", "制定计划", "张某", "办公室", "2024年6月", "已完成"]]
    second = [WORD_HEADER, ["2", "会议过多。", "精简会议", "李某", "综合科", "2024年9月", "整改中"]]
    data = _word(
        ["某局关于巡察整改情况的报告", "一、问题整改情况", "党的政治建设方面", first, "作风建设方面", second]
    )
    ledger = parse_document(data, "r.docx")
    assert sorted(_findings(ledger)) == [(1, 1), (1, 2)]
    assert [n["category"] for n in ledger["sections"][0]["children"]] == ["党的政治建设方面", "作风建设方面"]


@pytest.mark.parametrize(
    ("cell", "status", "deadline", "measures"),
    [
        ("1.制定计划；2.开展研讨。\n整改进展：已完成，形成制度2项。", "done", None, 2),
        ("一是清理台账；二是补齐凭证。（正在整改，2025年6月底前完成）", "in_progress", "2025-06", 2),
    ],
    ids=["progress-paragraph", "status-parenthesis"],
)
def test_a_measures_cell_that_also_tells_the_status_gives_it_when_no_column_does(
    cell, status, deadline, measures
):
    rows = [["序号", "问题", "整改措施", "责任领导"], ["1", "台账不全。", cell, "张某"]]
    node = parse_document(_word(["某局整改清单", rows]), "t.docx")["sections"][0]
    assert (node["status"], node["deadline"], len(node["measures"])) == (status, deadline, measures)


def test_a_table_without_a_header_right_after_a_ledger_table_carries_on_its_rows():
    first = [WORD_HEADER, ["1", "学习不深入。", "制定计划", "张某", "办公室", "2024年6月", "已完成"]]
    rest = [["2", "会议过多。", "精简会议", "李某", "综合科", "2024年9月", "整改中"]]
    ledger = parse_document(_word(["某局关于巡察整改情况的报告", "一、问题整改情况", first, rest]), "r.docx")
    assert sorted(_findings(ledger)) == [(1, 1), (1, 2)]
    assert ledger["sections"][0]["measures"] == []


def test_a_word_table_with_its_title_row_and_a_two_row_header_of_merged_cells():
    document = docx.Document()
    table = document.add_table(rows=4, cols=6)
    texts = [
        ["某镇党委巡察反馈问题整改清单"] * 6,
        ["序号", "问题", "整改措施", "责任主体", "责任主体", "完成情况"],
        ["", "", "", "责任领导", "责任单位", ""],
        ["1", "村务公开不及时。", "1.每月公开村务；2.设立公开栏。", "王某", "党政办", "已完成"],
    ]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if text and (c == 0 or texts[r][c - 1] != text):
                table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 5))
    table.cell(1, 3).merge(table.cell(1, 4))
    for c in (0, 1, 2, 5):
        table.cell(1, c).merge(table.cell(2, c))
    out = io.BytesIO()
    document.save(out)
    ledger = parse_document(out.getvalue(), "t.docx")
    assert ledger["title"] == "某镇党委巡察反馈问题整改清单"
    node = ledger["sections"][0]
    assert (node["number"], node["status"], len(node["measures"])) == (1, "done", 2)
    assert (node["measures"][0]["owner"], node["measures"][0]["department"]) == ("王某", "党政办")
    assert "责任领导→责任领导，责任单位→责任部门" in ledger["metadata"]["列对应"]


def test_the_columns_read_are_also_given_by_field_for_programs_whatever_the_script():
    rows = [
        ["序號", "存在問題", "整改措施", "責任領導", "完成時限", "聯繫人"],
        ["1", "台賬不全。", "補齊台賬", "張某", "2024年6月", "李某"],
    ]
    ledger = parse_document(_word(["某局巡察整改清單", rows]), "t.docx")
    (table,) = ledger["columns"]
    assert [c["field"] for c in table["columns"]] == ["seq", "problem", "measure", "owner", "deadline"]
    assert [c["header"] for c in table["columns"]][:2] == ["序號", "存在問題"]
    assert table["unread"] == ["聯繫人"]


def test_a_title_over_two_rows_is_read_whole_and_a_bracketed_row_under_it_is_a_note():
    rows = [
        ["某集团有限公司"],
        ["审计发现问题整改台账"],
        ["（截至2025年6月30日）"],
        ["编号", "审计发现问题", "整改措施", "整改状态"],
        ["SJ-01", "未批先建。", "①补办手续；②追责问责。", "已完成"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert ledger["title"] == "某集团有限公司审计发现问题整改台账"
    assert "截至2025年6月30日" in ledger["metadata"]["表格附注"]
    assert (ledger["sections"][0]["label"], ledger["sections"][0]["number"]) == ("SJ-01", 1)


def test_a_xu_hao_column_numbered_by_word_itself_gives_the_numbers_it_prints():
    document = docx.Document()
    document.add_paragraph("某局整改清单")
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "问题", "整改措施"], strict=True):
        cell.text = text
    for r in (1, 2):
        table.rows[r].cells[0].paragraphs[0].style = document.styles["List Number"]  # no typed text
        table.rows[r].cells[1].text = f"第{r}个问题。"
        table.rows[r].cells[2].text = "整改措施"
    out = io.BytesIO()
    document.save(out)
    ledger = parse_document(out.getvalue(), "t.docx")
    assert [(n["label"], n["number"]) for n in ledger["sections"]] == [("1.", 1), ("2.", 2)]


def test_a_summary_sheet_of_counts_is_not_a_ledger_and_the_ledger_keeps_its_sheet_number():
    summary = [
        ["序号", "问题类别", "问题数", "已完成", "完成率"],
        [1, "政治建设", 5, 4, "80%"],
        [2, "作风建设", 3, 3, "100%"],
    ]
    ledger_rows = [["序号", "问题", "整改措施", "完成情况"], [1, "学习不深入。", "制定计划", "已完成"]]
    ledger = parse_document(_book({"汇总": summary, "台账": ledger_rows}), "t.xlsx")
    assert sorted(_findings(ledger)) == [(2, 1)]
    assert any("汇总" in w for w in ledger["warnings"])


def test_problems_before_the_first_category_stay_beside_the_categories_not_above_them():
    rows = [
        ["序号", "问题类别", "具体问题", "整改措施"],
        [1, None, "学习不深入。", "制定计划"],
        [1, "作风建设", "会议过多。", "精简会议"],
        [2, None, "文件过多。", "精简文件"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert [(n["title"], len(n["children"])) for n in ledger["sections"]] == [
        ("学习不深入。", 0),
        ("作风建设", 2),
    ]


def test_a_table_read_without_a_measures_column_says_so():
    rows = [["序号", "存在问题", "责任单位", "完成情况"], [1, "台账不全。", "办公室", "已完成"]]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert ledger["sections"][0]["problem"] == "台账不全。"
    assert "表格中没有“整改措施”列：只读取了问题，请核对" in ledger["warnings"]


def test_a_problem_copied_onto_each_of_its_measure_rows_is_one_problem():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        [1, "学习不深入。", "制定计划", "已完成"],
        [1, "学习不深入。", "开展研讨", "已完成"],
        [2, "会议过多。", "精简会议", "整改中"],
        [None, "会议过多。", "控制时长", "整改中"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert [(n["number"], len(n["measures"])) for n in ledger["sections"]] == [(1, 2), (2, 2)]


def test_a_one_row_problem_numbering_its_measures_in_a_table_of_one_row_a_measure():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        [1, "学习不深入。", "制定计划；每季度研讨", "已完成"],
        [None, None, "建立台账", None],
        [2, "会议过多。", "1.精简会议；2.控制时长。", "整改中"],
    ]
    ledger = parse_document(_book({"台账": rows}, {"台账": ["A2:A3", "B2:B3", "D2:D3"]}), "t.xlsx")
    assert [[m["text"] for m in n["measures"]] for n in ledger["sections"]] == [
        ["制定计划；每季度研讨", "建立台账"],
        ["精简会议", "控制时长。"],
    ]


def test_a_column_with_no_header_of_running_numbers_is_the_xu_hao():
    header = ["", "巡察发现", "整改措施", ""]
    below = [[1, "台账不全。", "补齐台账", "已完成"], [2, "制度不全。", "修订制度", "整改中"]]
    assert choose_columns(header, below).roles == {"seq": 0, "problem": 1, "measure": 2, "status": 3}


def test_an_attachment_label_or_a_table_title_above_a_table_is_not_a_category():
    first = [WORD_HEADER, ["1", "学习不深入。", "制定计划", "张某", "办公室", "2024年6月", "已完成"]]
    second = [WORD_HEADER, ["2", "会议过多。", "精简会议", "李某", "综合科", "2024年9月", "整改中"]]
    data = _word(
        ["某局关于巡察整改情况的报告", "一、问题整改情况", "附件1", first, "巡察反馈问题整改清单", second]
    )
    ledger = parse_document(data, "r.docx")
    assert sorted(_findings(ledger)) == [(1, 1), (1, 2)]
    assert all("category" not in n for n in ledger["sections"][0]["children"])


def test_a_row_whose_cells_are_labelled_is_a_problem_unless_the_labels_sign_the_table_off():
    rows = [
        ["序号", "问题", "整改措施", "完成情况"],
        ["", "问题表现：台账不全。", "整改措施：补齐台账", "已完成"],
        ["填表人：张某", "", "审核人：李某", "联系电话：1234567"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert [n["title"] for n in ledger["sections"]] == ["台账不全。"]


def test_a_watermark_row_in_a_workbook_is_dropped_not_read_as_the_title_or_a_note():
    rows = [
        ["免费QQ群：12345678"],
        ["某局巡察整改台账"],
        ["序号", "问题", "整改措施", "完成时限"],
        [1, "台账不全。", "补齐台账", "2024年6月"],
        ["仅供学习 禁止外传"],
        [2, "制度不全。", "修订制度", "2024年9月"],
    ]
    ledger = parse_document(_book({"台账": rows}), "t.xlsx")
    assert ledger["title"] == "某局巡察整改台账"
    assert [(n["number"], n["deadline"]) for n in ledger["sections"]] == [(1, "2024-06"), (2, "2024-09")]
    assert len(ledger["dropped"]) == 2


def test_a_row_repeated_word_for_word_by_a_copy_is_read_once():
    rows = [
        ["序号", "问题", "整改措施", "完成时限"],
        [1, "台账不全。", "补齐台账", "2024年6月"],
        [None, None, "按月通报", None],
        [None, None, "按月通报", None],
        [2, "制度不全。", "1.修订制度；2.抓好执行", "2024年9月"],
        [2, "制度不全。", "1.修订制度；2.抓好执行", "2024年9月"],
    ]
    merges = ["A2:A4", "B2:B4", "D2:D4"]
    ledger = parse_document(_book({"台账": rows}, {"台账": merges}), "t.xlsx")
    assert [(len(n["measures"]), n["deadline"]) for n in ledger["sections"]] == [
        (2, "2024-06"),
        (2, "2024-09"),
    ]


# ---- the Word table printed to PDF -----------------------------------------------------------------------


def test_a_table_cut_by_a_page_break_is_put_back_together_row_and_all():
    """The rest of a row on the next page goes on from the row above; a cell's wraps are taken out,
    but for the lines that open the next item of the list the cell opens with (its Word
    paragraphs, one a line), which go on over the page break too."""
    from zhenggai.core.readers.pdf_tables import PageTable, as_table, join_pages

    first = PageTable(
        0, 300, 700, 80, 500, [WORD_HEADER[:3], ["1", "交通规划\n落地", "1.研究\n部署\n2.建立"]]
    )
    rest = PageTable(
        1,
        72,
        200,
        80,
        500,
        [["", "不够有力。", "调度\n制度\n3.开展\n督查"], ["2", "安全整治不彻底。", "开展整治\n2.5公里"]],
    )
    (table,) = join_pages([first, rest])
    assert as_table(table).rows == [
        WORD_HEADER[:3],
        ["1", "交通规划落地不够有力。", "1.研究部署\n2.建立调度制度\n3.开展督查"],
        ["2", "安全整治不彻底。", "开展整治2.5公里"],
    ]


def test_a_word_report_with_its_findings_in_tables_reads_the_same_printed_to_pdf(tmp_path):
    from zhenggai.core.pdf import docx_to_pdf, pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    document = docx.Document()
    blocks = _word_report_blocks()
    # A cell's own line breaks do not survive printing (a narrow column wraps every few
    # characters) but where they open the items of a numbered list: the measures that are one a
    # line in Word are numbered here, without a mark between them.
    blocks[5][1][2] = "1.补齐报销凭证\n2.修订财务制度\n3.开展财务培训"  # type: ignore[index]
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=0, cols=len(block[0]))
        table.style = document.styles["Table Grid"]  # ruled, as offices print them
        for row in block:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    word = parse_document(out.getvalue(), "report.docx")
    printed = parse_document(docx_to_pdf(out.getvalue()), "report.pdf")
    assert sorted(_findings(printed)) == sorted(_findings(word)) == [(1, 1), (1, 2), (2, 1)]
    for path, node in _findings(word).items():
        again = _findings(printed)[path]
        assert (len(again["measures"]), again["status"], again["deadline"]) == (
            len(node["measures"]),
            node["status"],
            node["deadline"],
        )


TAB_REPORT = (
    "关于内部审计发现问题整改情况的报告\n"
    "2024年9月，集团审计部对物流公司开展了内部审计，并于2024年11月20日出具了《审计报告》。\n"
    "一、财务管理方面\n"
    "序号\t审计发现问题\t整改措施\t责任部门\t整改时限\t整改情况\n"
    "1\t报销手续不全。\t补齐审批手续；修订报销办法。\t财务部\t2024年12月\t已完成\n"
    "{stray}"
    "2\t往来款项清理不及时。\t逐笔核实；限期催收；按程序核销。\t财务部\t2025年6月底前\t正在整改\n"
    "二、采购管理方面\n"
    "序号\t審計發現問題\t整改措施\t責任部門\t整改時限\t整改情況\n"
    "3\t采购未比价。\t建立供应商库。\t采购部\t立行立改\t已完成\n"
)


@pytest.mark.parametrize(
    "stray", ["", "本资料来自网络，仅供学习交流\n"], ids=["rows", "watermark-between-rows"]
)
def test_a_web_table_copied_as_text_with_tabs_is_read_as_a_ledger_table(stray):
    """A web page's table pasted as text: a header line and one line a row, cells parted by tabs,
    under each 一、 heading (the second header in traditional characters); a watermark line between
    two rows is no row."""
    ledger = parse_document(TAB_REPORT.format(stray=stray).encode("utf-8"), "report.txt")
    findings = _findings(ledger)
    assert sorted(findings) == [(1, 1), (1, 2), (2, 3)]
    first, second, third = findings[(1, 1)], findings[(1, 2)], findings[(2, 3)]
    assert [m["text"] for m in first["measures"]] == ["补齐审批手续", "修订报销办法。"]
    assert (first["status"], first["deadline"]) == ("done", "2024-12")
    assert (len(second["measures"]), second["status"], second["deadline"]) == (3, "in_progress", "2025-06")
    assert {m["department"] for m in second["measures"]} == {"财务部"}
    assert (third["status"], third["deadline"]) == ("done", None)
    assert ledger["round"]["inspector"] == "集团审计部"


def test_tab_parted_lines_that_make_no_ledger_stay_text():
    text = "关于整改情况的报告\n一、学习方面\n1.学习不深入。\n整改措施：制定计划。\n姓名\t职务\t电话\n张某\t主任\t123\n"
    ledger = parse_document(text.encode("utf-8"), "report.txt")
    assert [n["title"] for n in ledger["sections"]] == ["学习方面"]
    assert sorted(_findings(ledger)) == [(1, 1)]
    assert not ledger.get("columns")  # no table read
