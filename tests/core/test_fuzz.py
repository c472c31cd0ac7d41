"""Random and damaged input: every case ends in a ledger or a DocumentError, quickly."""

from __future__ import annotations

import json
from functools import cache

import pytest
from _core_support import SCHEMA, make_docx, make_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.core.errors import DocumentError
from zhenggai.core.ledger import validate
from zhenggai.core.parse import parse_document

FAST = settings(
    max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
FRAGMENTS = [
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "（1）",
    "(2)",
    "①",
    "第一部分",
    "整改情况：",
    "整改措施:",
    "一是",
    "二是",
    "已整改完毕。",
    "（正在整改，2020年7月完成，长期坚持）",
    "未整改，原因是",
    "责任领导：张三",
    "完成时限:2024年9月底前",
    "完成情况:已完成",
    "县委第三巡察组对某局党组进行了巡察。",
    "2020年5月13日，县委第三巡察组向某局党组反馈了巡察意见。",
    "问题表现:",
    "关于“学习不够”的问题",
    "QQ123456789",
    "— 3 —",
    "发布时间:2024-01-01 10:00 来源:某局",
    "\n",
    "\n",
    "。",
    "；",
    "学习不深入",
    "欢迎监督",
    "特此公示",
    # Markdown's marks (readers.text.markdown_read), spaced disclosure keys (noise)
    "## ",
    "**",
    "__",
    "- ",
    "* ",
    "---",
    "| 序号 | 问题 |",
    "| --- | --- |",
    "#话题#",
    "索 引 号：",
]


@cache
def _validator():
    if not SCHEMA.exists():
        return None
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check(data: bytes, name: str) -> None:
    try:
        ledger = parse_document(data, name)
    except DocumentError as exc:
        assert exc.message and any("\u4e00" <= ch <= "\u9fff" for ch in exc.message)
        return
    assert validate(ledger) == []
    json.dumps(ledger, ensure_ascii=False)
    if _validator() is not None:
        _validator().validate(ledger)


@FAST
@given(st.text(max_size=3000))
def test_random_text(text):
    check(text.encode("utf-8"), "random.txt")


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    check(data, "random.txt")


@FAST
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=80))
def test_report_shaped_text(parts):
    check("".join(parts).encode("gb18030", errors="replace"), "report.txt")


@cache
def _docx() -> bytes:
    return make_docx(
        ["关于整改情况的报告", "一、学习方面", "（1）学习不深入。", "整改情况：一是制定计划；二是开展研讨。"]
        * 3,
        [["序号", "问题", "整改措施"], ["1", "问题一", "措施一"]],
    )


@cache
def _xlsx() -> bytes:
    return make_xlsx(
        [["台账"], ["序号", "问题", "整改措施", "完成时限"], [1, "问题一", "措施一", "2024年6月"]], ["A1:D1"]
    )


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@FAST
@given(data=st.data())
def test_truncated_and_corrupted_packages(kind, data):
    original = _docx() if kind == "docx" else _xlsx()
    damaged = bytearray(original)
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    for _ in range(data.draw(st.integers(0, 8))):
        if damaged:
            position = data.draw(st.integers(0, len(damaged) - 1))
            damaged[position] = data.draw(st.integers(0, 255))
    check(bytes(damaged), f"damaged.{kind}")
