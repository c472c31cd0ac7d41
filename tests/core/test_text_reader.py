"""The text reader: encodings, blank lines, bullets, and pages that lost their line breaks."""

from __future__ import annotations

import codecs

import pytest

from zhenggai.core.errors import DocumentError, EncodingError
from zhenggai.core.parse import parse_document
from zhenggai.core.readers.text import decode, read_text, reflow, split_lines, without_margin

TEXT = "关于巡察整改情况的报告\n一、学习不到位。\n（1）学习计划不细。\n整改情况：制定计划。\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        TEXT.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le", "utf16be", "gbk-crlf"],
)
def test_it_decodes_the_encodings_offices_use(data):
    assert split_lines(decode(data)) == [line for line in TEXT.splitlines() if line]


def test_binary_content_is_refused_with_a_chinese_message():
    with pytest.raises(EncodingError) as caught:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "文本" in caught.value.message or "编码" in caught.value.message
    assert isinstance(caught.value, DocumentError)


def test_bullets_invisible_characters_and_blank_lines_go():
    assert split_lines("\ufeff  • 第一行\u200b\n\n\u3000\u3000第二行  \n") == ["第一行", "第二行"]


def test_a_flattened_page_is_split_at_headings_and_page_numbers():
    line = (
        "前言内容，根据有关规定开展调查。 一、基本情况 内容甲。"
        + "很长的正文" * 40
        + " — 1 — 二、主要问题 内容乙。"
        " 三、整改情况 内容丙。 — 2 —"
    )
    dropped: list[str] = []
    parts = reflow(line, dropped)
    assert [p[:6] for p in parts] == ["前言内容，根", "一、基本情况", "二、主要问题", "三、整改情况"]
    assert dropped == ["— 1 —", "— 2 —"]


def test_a_flattened_pages_items_under_its_headings_stand_on_lines_of_their_own():
    """The spaces before 1.… 2.… (and （一）…, （1）…) were the page's line breaks; a list run into a
    sentence (措施：1.…；2.…) and a figure (增长 1.5倍) stay where they are."""
    line = (
        "根据市委统一部署，市委第二巡察组对市民政局党委进行了巡察。 一、整改工作组织情况 1.提高政治站位。"
        + "局党委坚决扛起巡察整改的政治责任。" * 8
        + " 2.加强组织领导。局党委成立领导小组，措施：1.建台账；2.定时限。 二、整改落实情况"
        " 1.关于“全局定位把握不够全面”问题的整改 一是深入学习，投入增长 1.5倍。 （二）另一项"
    )
    parts = reflow(line, [])
    assert [p[:7] for p in parts] == [
        "根据市委统一部",
        "一、整改工作组",
        "1.提高政治站",
        "2.加强组织领",
        "二、整改落实情",
        "1.关于“全局",
    ]
    assert parts[-1].endswith("投入增长 1.5倍。 （二）另一项")  # (二) without a (一) before it: no item


def test_read_text_returns_paragraphs():
    assert read_text(TEXT.encode()).blocks[0] == "关于巡察整改情况的报告"


def test_control_characters_go_from_every_line_and_text_without_them_is_left_as_it_is():
    """split_lines looks for control and invisible characters in the whole text once: a line of a
    text that has them loses them, wherever it stands."""
    assert split_lines("第一行\x07\n第\x0b二行\u00ad\n第三行") == ["第一行", "第二行", "第三行"]
    assert split_lines("第一行\n  第二行\t\n") == ["第一行", "第二行"]


def test_the_margin_every_line_has_is_taken_off_and_indentation_beyond_it_kept():
    assert without_margin(["    　　一、总体情况", "    根据县委部署", "", "    　　1.问题"]) == [
        "　　一、总体情况",
        "根据县委部署",
        "",
        "　　1.问题",
    ]
    lines = ["　　一、总体情况", "根据县委部署"]  # a line at the left edge: no margin
    assert without_margin(lines) is lines


WRAPPED = (
    "　　一、关于“基层党支部组织生活质量不高，教工党支\n"
    "部‘双带头人’培育不够”的问题\n"
    "　　整改措施：\n"
    "　　1.实施教工党支部书记“双带头人”培育工程，调整配\n"
    "备“双带头人”支部书记2名；\n"
    "　　2.开展“样板支部”创建活动；\n"
    "　　3.建立党支部工作季度考评制度，按季度通报考评结\n"
    "果，2025年12月底前完成。\n"
    "　　整改成效：已完成整改。\n"
    "　　二、关于“实验室安全管理存在隐患，危险化学品台\n"
    "账不清”的问题\n"
    "　　整改措施：\n"
    "　　1.对全院实验室开展安全隐患排查，建立隐患台账，\n"
    "逐项整改到位；\n"
    "　　2.建立危险化学品“一物一码”信息化管理平台。\n"
)


def test_a_wrapped_text_with_a_blank_line_after_every_line_reads_as_without_them():
    """A copy that sets each line off by a blank one (a web page's line breaks made paragraphs)
    says nothing by its blank lines: its wrapped lines are joined as if they were not there."""
    from zhenggai.core.readers.text import blank_between_lines

    spaced = WRAPPED.replace("\n", "\n\n")
    assert blank_between_lines(spaced.split("\n"))
    assert not blank_between_lines(WRAPPED.split("\n"))
    by_paragraph = WRAPPED.replace("\n　　", "\n\n　　")  # a blank line where a paragraph ends: evidence
    assert not blank_between_lines(by_paragraph.split("\n"))
    joined = split_lines(WRAPPED, rejoin_wrapped=True)
    assert joined == [
        "一、关于“基层党支部组织生活质量不高，教工党支部‘双带头人’培育不够”的问题",
        "整改措施：",
        "1.实施教工党支部书记“双带头人”培育工程，调整配备“双带头人”支部书记2名；",
        "2.开展“样板支部”创建活动；",
        "3.建立党支部工作季度考评制度，按季度通报考评结果，2025年12月底前完成。",
        "整改成效：已完成整改。",
        "二、关于“实验室安全管理存在隐患，危险化学品台账不清”的问题",
        "整改措施：",
        "1.对全院实验室开展安全隐患排查，建立隐患台账，逐项整改到位；",
        "2.建立危险化学品“一物一码”信息化管理平台。",
    ]
    assert split_lines(spaced, rejoin_wrapped=True) == joined


MARKDOWN = """# 关于巡察整改情况的报告

- 发布时间：2024-01-02

根据县委统一部署，县委第二巡察组对县水利局开展了常规巡察。

## 一、存在问题及整改情况

**1. 会议记录不规范。**

整改措施：一是建立__会议记录__制度（责任人：______）。

* 2. 项目管理不严。

---

| 序号 | 问题 | 整改措施 |
| :--- | --- | ---: |
| 1 | 制度不健全 | 修订制度 |

#巡察整改#
- 2 -
"""


def test_markdowns_marks_are_read_as_the_text_they_mark():
    # A text copied out of a Markdown editor or a chat window: ## headings, **strong** and __strong__
    # emphasis, list items (- / * / +), a rule (---), a table between pipes under its ruled header.
    read = read_text(MARKDOWN.encode("utf-8"))
    assert read.blocks == [
        "关于巡察整改情况的报告",
        "发布时间：2024-01-02",
        "根据县委统一部署，县委第二巡察组对县水利局开展了常规巡察。",
        "一、存在问题及整改情况",
        "1. 会议记录不规范。",
        "整改措施：一是建立会议记录制度（责任人：______）。",  # (a form's blank is no emphasis)
        "2. 项目管理不严。",
        "序号\t问题\t整改措施",
        "1\t制度不健全\t修订制度",
        "#巡察整改#",  # a hashtag closes its hashes: no heading
        "- 2 -",  # a page's number between dashes keeps them
    ]
    assert read.dropped == ["---", "| :--- | --- | ---: |"]


def test_a_markdown_report_parses_as_the_plain_one():
    plain = MARKDOWN.replace("# ", "").replace("**", "").replace("* 2.", "2.")
    marked, unmarked = (
        parse_document(MARKDOWN.encode("utf-8"), "a.txt"),
        parse_document(plain.encode(), "b.txt"),
    )
    assert marked["title"] == "关于巡察整改情况的报告"
    assert [s["title"] for s in marked["sections"]] == [s["title"] for s in unmarked["sections"]]
    items = marked["sections"][0]["children"]
    assert [item["title"] for item in items] == ["会议记录不规范。", "项目管理不严。"]
