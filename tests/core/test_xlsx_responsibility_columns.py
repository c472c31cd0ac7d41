"""The responsibility columns of a ledger table read by the meaning of their headers, in any order:
具体责任人 (and 责任人 beside a 责任领导) as the person in charge, 配合部门/协同部门/配合单位 as the
cooperating departments; a workbook written in an office's order reads back the same."""

from __future__ import annotations

import io
import itertools

import pytest
from openpyxl import Workbook

from zhenggai.core.parse import parse_document
from zhenggai.core.tables import choose_columns
from zhenggai.core.writers.xlsx_ledger import (
    COLUMN_KEYS,
    REQUIRED_KEYS,
    checked_order,
    column_problems,
    ledger_xlsx_bytes,
)


def _book(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["序号", "问题", "整改措施", "责任领导", "责任部门", "配合部门", "具体责任人"],
            {5: "partners", 6: "doer"},
        ),
        (
            ["序号", "问题", "整改措施", "责任人", "责任领导", "牵头单位", "协同部门"],
            {3: "doer", 4: "owner", 6: "partners"},
        ),
        (
            ["序号", "问题", "整改措施", "责任领导", "责任人", "配合单位"],
            {3: "owner", 4: "doer", 5: "partners"},
        ),
        (
            ["序号", "问题", "整改措施", "责任人", "责任单位"],
            {3: "owner", 4: "department"},
        ),  # 责任人 alone: the leader
        (["序号", "问题", "整改措施", "具体负责人", "协办部门"], {3: "doer", 4: "partners"}),
    ],
)
def test_the_responsibility_headers_are_read_by_meaning(headers, expected):
    roles = choose_columns(headers).roles
    for col, role in expected.items():
        assert roles.get(role) == col, (headers, roles)


def test_a_table_as_an_office_makes_it_gives_each_measure_its_people():
    data = _book(
        [
            ["整改台账"],
            ["序号", "存在问题", "整改措施", "协同部门", "具体责任人", "责任领导", "牵头单位", "完成时限"],
            [
                1,
                "会议记录不规范。",
                "建立签字制度。",
                "财务室、档案室",
                "王小明",
                "李书记",
                "党政办",
                "2025年6月",
            ],
            [None, None, "每月抽查。", "档案室", "赵六", "李书记", "党政办", "2025年7月"],
        ]
    )
    ledger = parse_document(data, "台账.xlsx")
    measures = ledger["sections"][0]["measures"]
    assert [(m["partners"], m["doer"], m["owner"], m["department"]) for m in measures] == [
        ("财务室、档案室", "王小明", "李书记", "党政办"),
        ("档案室", "赵六", "李书记", "党政办"),
    ]


def _ledger() -> dict:
    measures = [
        {"text": "建立签字制度。", "owner": "李书记", "department": "党政办", "partners": "财务室、档案室",
         "doer": "王小明", "deadline": "2025-06", "status": "in_progress"},
        {"text": "每月抽查。", "owner": None, "department": "档案室", "partners": None, "doer": "赵六",
         "deadline": "2025-07", "status": None},
    ]  # fmt: skip
    node = {
        "label": "1", "number": 1, "level": 1, "title": "会议记录不规范。", "problem": "会议记录不规范。",
        "text": None, "measures": measures, "status": "in_progress", "long_term": False, "deadline": None,
        "children": [],
    }  # fmt: skip
    return {"schema": "zhenggai.ledger/1", "title": "台账", "round": None, "sections": [node]}


ORDERS = [
    None,
    ["seq", "problem", "measure", "doer", "partners", "department", "owner"],
    [
        "problem",
        "seq",
        "owner",
        "measure",
        "partners",
        "deadline",
        "doer",
        "status",
        "department",
        "evidence",
    ],
    list(reversed(COLUMN_KEYS)),
]


@pytest.mark.parametrize("order", ORDERS, ids=["default", "short", "shuffled", "reversed"])
def test_a_workbook_in_an_offices_order_reads_back_the_same(order):
    ledger = _ledger()
    for data in (
        ledger_xlsx_bytes(ledger, column_order=order),
        ledger_xlsx_bytes({**ledger, "column_order": order}),
    ):
        again = parse_document(data, "台账.xlsx")
        measures = again["sections"][0]["measures"]
        keys = ("text", "owner", "department", "partners", "doer")
        assert [{k: m.get(k) for k in keys} for m in measures] == [
            {k: m.get(k) for k in keys} for m in ledger["sections"][0]["measures"]
        ]
        if order is None or "deadline" in order:
            assert [m["deadline"] for m in measures] == ["2025-06", "2025-07"]


def test_an_order_must_name_known_columns_once_and_every_required_one():
    assert column_problems(list(COLUMN_KEYS)) == []
    assert checked_order([]) == COLUMN_KEYS
    assert column_problems(["seq", "problem", "measure"])  # no responsibility columns
    assert column_problems([*REQUIRED_KEYS, "colour"])
    assert column_problems([*REQUIRED_KEYS, "seq"])
    assert column_problems("seq problem")
    for order in itertools.permutations(REQUIRED_KEYS[:3]):
        with pytest.raises(ValueError):
            checked_order(list(order))
