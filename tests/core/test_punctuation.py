"""Half-width punctuation in Chinese text (core.script): read as full-width for structure, printed as
typed; digits, times, decimals, URLs and ASCII words untouched."""

from __future__ import annotations

import pytest
from _core_support import DEV, gold_documents, needs_shared

from zhenggai.core.parse import parse_document
from zhenggai.core.script import full_width_punctuation, simplified

TEXTS = [path for _, path in gold_documents() if path.suffix == ".txt"] if DEV.is_dir() else []
HALF = str.maketrans("，；：（）？！", ",;:()?!")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("整改措施:一是加强学习;二是完善制度,按月检查!", "整改措施：一是加强学习；二是完善制度，按月检查！"),
        ("(一)加强领导", "（一）加强领导"),
        ("(1)会议记录不规范", "（1）会议记录不规范"),
        ("已完成整改(已完成)", "已完成整改（已完成）"),
        ("是否完成?", "是否完成？"),
        ("共3个,其中2个已完成", "共3个，其中2个已完成"),
    ],
)
def test_half_width_punctuation_of_chinese_text_reads_full_width(typed, read):
    assert full_width_punctuation(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "资金1,000万元",
        "会议于09:30开始",
        "增长5.2%",
        "网址:http://www.example.gov.cn/a?b=1",
        "使用Excel,Word等软件",
        "f(x)",
        "比例为3:1",
    ],
)
def test_digits_times_urls_and_ascii_words_are_untouched(typed):
    read = full_width_punctuation(typed)
    assert len(read) == len(typed)
    for token in ("1,000", "09:30", "5.2", "http://www.example.gov.cn/a?b=1", "Excel,Word", "f(x)", "3:1"):
        if token in typed:
            assert token in read


def test_the_printed_text_is_kept():
    lines = ["1.会议记录不规范,存在会后补记。", "整改措施:建立签字制度(已完成)"]
    view, printed, warning = simplified(lines)
    assert view == ["1.会议记录不规范，存在会后补记。", "整改措施：建立签字制度（已完成）"]
    assert printed is not None and warning is None
    assert printed.text("建立签字制度（已完成）") == "建立签字制度(已完成)"
    assert printed.text("会议记录不规范，存在会后补记。") == "会议记录不规范,存在会后补记。"


def test_a_document_that_mixes_both_forms_keeps_each_where_it_is_assembled():
    lines = [
        "一、党的建设方面，存在问题",
        "1.会议记录不规范,存在补记。",
        "2.制度建设滞后，未按时修订。",
        "3.学习不够，流于形式。",
    ]
    _, printed, _ = simplified(lines)
    assert printed is not None
    assert printed.text("未见于原文，但由各行拼成") == "未见于原文，但由各行拼成"


@needs_shared
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_dev_document_typed_with_half_width_punctuation_reads_as_its_original(path):
    text = path.read_text(encoding="utf-8")
    original = parse_document(text.encode(), path.name)
    typed = parse_document(text.translate(HALF).encode(), path.name)

    def shape(nodes):
        return [
            (n.get("number"), n.get("status"), n.get("deadline"), len(n["measures"]), shape(n["children"]))
            for n in nodes
        ]

    assert shape(typed["sections"]) == shape(original["sections"])
    assert typed["round"] == {
        k: (v.translate(HALF) if isinstance(v, str) else v) for k, v in original["round"].items()
    }
