"""Hard-wrapped text (core.layout): lines cut at a fixed width joined back into paragraphs by layout
evidence (the width read from the document), never by what a continuation line starts with."""

from __future__ import annotations

import re

import pytest
from _core_support import DEV, gold_documents, needs_shared

from zhenggai.core.layout import char_width, display_width, labels_rejoined, unspaced, wrap_width
from zhenggai.core.parse import parse_document
from zhenggai.core.readers.text import split_lines

TEXTS = [path for _, path in gold_documents() if path.suffix == ".txt"] if DEV.is_dir() else []


def wrapped(paragraphs: list[str], width: int) -> str:
    """The paragraphs cut every ``width`` characters, no blank line between them (a PDF copy)."""
    return "\n".join(p[i : i + width] for p in paragraphs for i in range(0, len(p), width))


PARAGRAPHS = [
    "关于县委巡察反馈问题整改情况的报告",
    "根据县委统一部署，县委第一巡察组于2024年3月至5月对县林业局党组开展了常规巡察，并于6月反馈了巡察意见。",
    "一、巡察反馈问题的整改落实情况",
    "1.森林防火责任落实不到位，部分乡镇护林员巡查记录缺失，2023年全县发生森林火情3起，过火面积1.5亿平方米以内。",
    "整改情况：一是修订护林员管理办法，按月考核巡查记录；二是完成全县3个重点林区的视频监控建设；三是开展防火培训2次。（已完成）",
    "2.林业专项资金拨付迟缓，截至2023年底仍有1.5亿元结存未用，涉及6个项目。",
    "整改情况：一是建立资金拨付台账，逐项明确时限；二是对结存资金分类处置，已拨付0.9亿元。（正在推进，2025年6月底前完成）",
]


def test_a_hard_wrapped_report_reads_as_its_paragraphs():
    for width in (20, 24, 28, 36):
        assert split_lines(wrapped(PARAGRAPHS, width), rejoin_wrapped=True) == PARAGRAPHS, width


def test_a_continuation_that_starts_with_a_year_or_a_number_is_not_a_new_item():
    """2024年…, 3个…, 1.5亿元… at the start of a line after a full line continue the sentence."""
    item = [
        "1.资金管理不规范，部分项目资金截至",
        "2024年底仍未拨付，涉及金额累计达到",
        "1.50亿元，影响范围较广，全县共有了",
        "3个项目受到影响。",
    ]
    assert {display_width(line) for line in item[:3]} == {17.0}
    filler = ["填充内容填充内容填充内容填充内容填"] * 6
    text = "\n".join(["一、问题整改情况", *item, "2.制度建设滞后。", *filler])
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:3] == ["一、问题整改情况", "".join(item), "2.制度建设滞后。"]


def test_a_status_parenthesis_cut_by_the_wrap_comes_out_whole():
    ledger = parse_document(wrapped(PARAGRAPHS, 24).encode(), "报告.txt")
    item = ledger["sections"][0]["children"][0]
    assert len(item["measures"]) == 3
    assert item["status"] == "done" or {m["status"] for m in item["measures"]} == {"done"}
    second = ledger["sections"][0]["children"][1]
    assert second["deadline"] == "2025-06"


def test_a_line_that_fills_the_width_where_a_sentence_ends_before_a_numbered_line_ends_its_paragraph():
    text = "\n".join(
        [
            "1.会议记录不规范存在会后补记情况。",  # the width, and "。" where the line ends
            "2.制度建设滞后，未按时修订财务管理",
            "办法。",
            *[f"填充内容填充内容填充内容填充内容{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == ["1.会议记录不规范存在会后补记情况。", "2.制度建设滞后，未按时修订财务管理办法。"]


def test_a_numbered_heading_that_fills_its_line_does_not_run_into_the_next_item():
    text = "\n".join(
        [
            "（一）关于党的建设方面存在的突出问题",  # exactly the width, no sentence in it
            "1.会议记录不规范，存在会后补记的问题",
            "情况。",
            *[f"填充内容填充内容填充内容填充内容{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == ["（一）关于党的建设方面存在的突出问题", "1.会议记录不规范，存在会后补记的问题情况。"]


def test_indented_first_lines_start_paragraphs():
    text = "\n".join(
        [
            "\u3000\u3000根据县委统一部署，县委第一巡察组",
            "对县林业局开展了常规巡察工作，并于六月",
            "反馈意见。",
            "\u3000\u3000局党组高度重视，召开专题会议研究",
            "整改工作。",
            *[f"填充内容填充内容填充内容填充内容{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == [
        "根据县委统一部署，县委第一巡察组对县林业局开展了常规巡察工作，并于六月反馈意见。",
        "局党组高度重视，召开专题会议研究整改工作。",
    ]


def test_a_copy_that_lost_the_indentation_reads_first_lines_two_columns_short_as_full():
    paragraphs = [
        f"（{n}）根据县委统一部署，县委第一巡察组对县林业局党组开展了常规巡察，并于六月向局党组反馈了巡察意见。"
        f"局党组高度重视，召开专题会议研究整改工作，逐项明确责任领导、责任科室和完成时限{'。' * (i % 3)}。"
        for i, n in enumerate("一二三四五六七八九", start=1)
    ]
    lines = []
    for p in paragraphs:  # the first line of each paragraph is two characters shorter (its indent)
        lines.append(p[:18])
        lines.extend(p[i : i + 20] for i in range(18, len(p), 20))
    assert split_lines("\n".join(lines), rejoin_wrapped=True) == paragraphs


def test_ascii_counts_half_a_column():
    assert display_width("2024年3月") == 4.5
    lines = [("2024年底前完成" if i % 2 else "加强管理工作") + "事项办理" * 3 for i in range(12)]
    lines = [line[:16] for line in lines]
    wrap = wrap_width(lines)
    assert wrap is not None


def test_a_watermark_or_page_number_inside_a_paragraph_is_dropped_and_the_paragraph_joins():
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    lines.insert(4, "仅供学习交流，禁止外传")
    lines.insert(8, "- 2 -")
    lines.insert(12, "7")
    dropped: list[str] = []
    assert split_lines("\n".join(lines), dropped, rejoin_wrapped=True) == PARAGRAPHS
    assert dropped == ["仅供学习交流，禁止外传", "- 2 -", "7"]


def test_a_physical_line_printed_twice_is_read_once():
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    lines.insert(5, lines[4])
    dropped: list[str] = []
    assert split_lines("\n".join(lines), dropped, rejoin_wrapped=True) == PARAGRAPHS
    assert dropped == [lines[4]]


def test_a_page_header_line_stays_a_paragraph_of_its_own():
    lines = ["发布时间:2024-05-06 来源:县林业局", *wrapped(PARAGRAPHS[1:], 24).split("\n")]
    assert split_lines("\n".join(lines), rejoin_wrapped=True) == [lines[0], *PARAGRAPHS[1:]]


def test_text_that_is_not_wrapped_is_untouched():
    assert wrap_width(PARAGRAPHS) is None
    short_list = [f"{i}.市科技馆门前卫生差" for i in range(1, 30)]
    assert wrap_width(short_list) is None


@needs_shared
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_no_dev_document_is_taken_for_hard_wrapped(path):
    assert wrap_width(path.read_text(encoding="utf-8").split("\n")) is None


def _shape(nodes: list[dict]) -> list:
    return [
        (
            node.get("number"),
            node.get("status"),
            node.get("deadline"),
            len(node["measures"]),
            _shape(node["children"]),
        )
        for node in nodes
    ]


@needs_shared
@pytest.mark.parametrize("width", [24, 28, 36])
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_dev_document_hard_wrapped_reads_as_its_original(path, width):
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    copy = "\n".join(line[i : i + width] for line in lines for i in range(0, len(line), width))
    original = parse_document(text.encode(), path.name)
    read = parse_document(copy.encode(), path.name)
    assert _shape(read["sections"]) == _shape(original["sections"])
    assert read["round"] == original["round"]


def test_a_numbered_line_that_goes_on_with_a_list_run_into_the_paragraph_continues_it():
    first = "整改措施：1.开展专项检查；2.移交问题线索；"  # the width, ending with "；"
    filler = [("填充内容" * 6)[: len(first) - 1] + str(i) for i in range(8)]
    text = "\n".join([first, "3.推行全流程电子化。", "4.会议记录不规范。", *filler])
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == [first + "3.推行全流程电子化。", "4.会议记录不规范。"]


def test_a_page_header_line_cut_at_the_width_joins_up_and_the_report_does_not_join_it():
    body = wrapped(PARAGRAPHS[1:], 24).split("\n")
    header = "日期：2024-07-12 09:15:22 来源：县林业局 浏览量："
    cut = [header[:24], header[24:]]  # 日期：… 来 | 源：县林业局 浏览量：
    assert split_lines("\n".join([*cut, *body]), rejoin_wrapped=True) == [header, *PARAGRAPHS[1:]]


def test_a_numbered_heading_that_fills_its_line_before_a_field_marker_ends_there():
    heading = "3.关于“廉政风险防控存在薄弱环节”问题的整改"
    lines = [
        heading,
        *wrapped(
            ["整改情况：一是梳理廉政风险点46个；二是开展廉政谈话32人次。（已完成）"], len(heading)
        ).split("\n"),
    ]
    filler = [("填充内容" * 6)[: len(heading) - 1] + str(i) for i in range(8)]
    got = split_lines("\n".join([*lines, *filler]), rejoin_wrapped=True)
    assert got[:2] == [heading, "整改情况：一是梳理廉政风险点46个；二是开展廉政谈话32人次。（已完成）"]


def test_a_wrapped_copy_cut_again_at_a_narrower_width_reads_as_its_paragraphs():
    once = wrapped(PARAGRAPHS, 30).split("\n")
    twice = "\n".join(piece for line in once for piece in (line[:24], line[24:]) if piece)
    assert split_lines(twice, rejoin_wrapped=True) == PARAGRAPHS


def display_wrapped(paragraphs: list[str], width: int) -> str:
    """The paragraphs cut at ``width`` display columns as a PDF viewer cuts them: a number or a
    Latin word is never cut, a closing mark never starts a line."""
    lines = []
    for paragraph in paragraphs:
        current, used = "", 0.0
        for piece in re.findall(r"[!-~]+|.", paragraph):
            need = display_width(piece)
            if current and used + need > width and piece[0] not in "，。、；：）”,.;:)":
                lines.append(current)
                current, used = "", 0.0
            current, used = current + piece, used + need
        lines.append(current)
    return "\n".join(lines)


NUMBERED = [
    "根据县委统一部署，县委第一巡察组于2024年3月至5月对县林业局党组开展了常规巡察，并于2024年6月18日反馈了巡察意见。",
    "1.林业专项资金拨付迟缓，截至2023年12月31日仍有15800万元结存未用，涉及6个项目，资金使用效益不高。",
    "整改情况：一是建立资金拨付台账，明确2024年9月30日前拨付到位；二是对结存资金分类处置，已拨付9200万元。",
    "2.森林防火责任落实不到位，2023年全县发生森林火情3起，过火面积1200亩。",
    "整改情况：一是修订护林员管理办法，2024年1月起按月考核；二是建成视频监控点位36个。（已完成）",
]


def test_a_line_short_of_the_width_goes_on_when_the_next_number_would_not_have_fitted():
    text = display_wrapped(NUMBERED, 20)
    assert any(display_width(line) < 19.5 for line in text.split("\n")[:-1])  # gaps before numbers
    assert split_lines(text, rejoin_wrapped=True) == NUMBERED


def test_the_measure_is_the_one_the_text_was_cut_in():
    cut_by_columns = wrap_width(display_wrapped(NUMBERED * 2, 22).split("\n"))
    cut_by_characters = wrap_width(wrapped(NUMBERED * 2, 22).split("\n"))
    assert cut_by_columns is not None and cut_by_columns.measure is display_width
    assert cut_by_characters is not None and cut_by_characters.measure is char_width
    assert cut_by_columns.width == cut_by_characters.width == 22


def test_a_page_chrome_line_ends_the_paragraph_a_watermark_does_not():
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    banner = "青石县林业局门户网站，今天是星期一，天气晴"[:24]
    text = "\n".join([banner.ljust(24, "站"), "您现在的位置：首页 > 信息公开", *lines])
    got = split_lines(text, rejoin_wrapped=True)
    assert got[1:] == PARAGRAPHS


def test_a_line_that_starts_with_a_closing_mark_goes_on_however_short_the_line_before():
    lines = [
        "（3）机关作风建设不优，未开展作风整顿工作（正在整改，长期坚",
        "持）。",
        "（4）下一个问题，学习制度执行不严格，记录不全。",
    ]
    # The width is two characters more than the first line: "持" moved down with "）。".
    filler = [("填充内容" * 8)[: len(lines[0]) + 1] + str(i) for i in range(8)]
    got = split_lines("\n".join([*lines, *filler]), rejoin_wrapped=True)
    assert got[:2] == [lines[0] + lines[1], lines[2]]


def test_a_word_document_of_hard_wrapped_lines_reads_as_its_paragraphs():
    """A PDF's text pasted into Word: one paragraph a line (readers.text.rejoin_blocks)."""
    from _core_support import make_docx

    from zhenggai.core.readers.text import rejoin_blocks

    assert rejoin_blocks(wrapped(PARAGRAPHS, 24).split("\n"), []) == PARAGRAPHS
    pasted = parse_document(make_docx(wrapped(PARAGRAPHS, 24).split("\n")), "报告.docx")
    typed = parse_document("\n".join(PARAGRAPHS).encode(), "报告.txt")
    assert _shape(pasted["sections"]) == _shape(typed["sections"])


def test_a_speech_note_that_fills_its_line_ends_before_the_speakers_line():
    """——…在…会议上 under an audit report's title, its last line at the width: the speaker's line
    after it is a paragraph of its own, not the note's continuation."""
    filler = [f"审计查出问题整改情况填充内容填充{i:02d}" for i in range(8)]  # 17 columns each
    lines = [
        "关于审计查出问题整改情况的报告",
        "——2025年3月5日在某市第十六届人民",
        "代表大会常务委员会第二十三次会议上",
        "某市审计局局长　王某",
        *filler,
    ]
    assert {display_width(line) for line in lines[1:3] + filler} == {17.0}
    got = split_lines("\n".join(lines), rejoin_wrapped=True)
    assert got[1:3] == [
        "——2025年3月5日在某市第十六届人民代表大会常务委员会第二十三次会议上",
        "某市审计局局长　王某",
    ]


WRAPPED_TITLE = "中共某县林业局党组关于县委第一巡察组巡察反馈问题整改进展情况的通报"  # 33 characters


def test_a_breadcrumb_that_ends_at_the_width_leaves_the_title_under_it_in_the_text():
    """您现在的位置：首页＞…＞通知公告, exactly as wide as the page: a breadcrumb's rest is an item or
    two, so the full line of the title under it is the page's own text, not the breadcrumb's rest."""
    breadcrumb = "您现在的位置：首页＞政务公开＞巡察整改＞通知公告"
    assert display_width(breadcrumb) == 24
    lines = [breadcrumb, *wrapped([WRAPPED_TITLE, *PARAGRAPHS[1:]], 24).split("\n")]
    dropped: list[str] = []
    assert split_lines("\n".join(lines), dropped, rejoin_wrapped=True) == [WRAPPED_TITLE, *PARAGRAPHS[1:]]
    assert dropped == [breadcrumb]


def test_a_navigation_bar_cut_at_the_width_drops_its_last_item_and_keeps_the_title():
    """网站首页｜政务公开｜新闻中心｜互动交 | 流: the short rest of a bar cut at the width goes with it;
    the title after it stays."""
    bar = "网站首页｜政务公开｜新闻中心｜互动交流｜办事服务"
    lines = [bar[:23], bar[23:], *wrapped([WRAPPED_TITLE, *PARAGRAPHS[1:]], 24).split("\n")]
    assert display_width(bar[:23]) == 23  # a full line (within a column of the width)
    dropped: list[str] = []
    assert split_lines("\n".join(lines), dropped, rejoin_wrapped=True) == [WRAPPED_TITLE, *PARAGRAPHS[1:]]
    assert dropped == [bar[:23], bar[23:]]


def test_a_bracketed_watermark_that_fills_its_line_has_no_rest_and_the_title_after_it_stays():
    """【…】 closes on its line: a watermark that reaches the width where its bracket closes ended
    there, and the (short) title line after it is the report's."""
    watermark = "【会员资料仅供内部交流使用，严禁外传及用于商业】"
    assert display_width(watermark) == 24
    title = "关于县委巡察反馈问题整改情况的报告"
    lines = [watermark, title, *wrapped(PARAGRAPHS[1:], 24).split("\n")]
    dropped: list[str] = []
    assert split_lines("\n".join(lines), dropped, rejoin_wrapped=True) == [title, *PARAGRAPHS[1:]]
    assert dropped == [watermark]


def test_a_title_as_long_as_the_width_does_not_run_into_the_release_line_under_it():
    """…公示（第三批） exactly as wide as the page, then a release line whose keys are glued to their
    values (文章来源:…浏览量:发表时间:… 责任编辑:…): the release line opens a paragraph of its own and its
    rest cut at the width joins it; the title stays whole above it."""
    title = "关于县委巡察反馈问题整改进展情况的公示（第三批）"
    release = "文章来源:县林业局浏览量:发表时间:2024-05-06 责任编辑:办公室"
    assert display_width(title) == 24
    lines = [title, *display_wrapped([release, *PARAGRAPHS[1:]], 24).split("\n")]
    assert lines[2] == "编辑:办公室"  # 责任 | 编辑:办公室: the release line cut at the width
    assert split_lines("\n".join(lines), rejoin_wrapped=True) == [title, release, *PARAGRAPHS[1:]]


BODY_24 = display_wrapped(PARAGRAPHS[1:], 24).split("\n")


def test_a_title_as_long_as_the_width_ends_where_it_ends_as_a_documents_heading():
    """…整改的报告 exactly as wide as the page, at the head of the text (no sentence yet): a heading
    ends in its kind of document, so the addressee's line under it is a paragraph of its own."""
    title = "中共某县林业局党组关于县委巡察反馈问题整改的报告"
    assert display_width(title) == 24
    lines = [title, "县委巡察办：", *BODY_24]
    assert split_lines("\n".join(lines), rejoin_wrapped=True) == [title, "县委巡察办：", *PARAGRAPHS[1:]]


def test_a_headline_as_long_as_the_width_ends_before_a_news_lead_or_the_preamble():
    """A one-line headline at the head of the text that fills the width (…曝光，要求限期整改) ends
    before a news lead (8月30日，…) or the preamble's opening (根据…)."""
    headline = "县林业局专项检查丨12个问题清单曝光，要求限期整改"
    assert display_width(headline) == 24
    lead = "8月30日，县林业局发布督查组实地督查中发现的问题，并要求相关单位在规定时限内整改。"
    for first in (lead, PARAGRAPHS[1]):
        lines = [headline, *display_wrapped([first, *PARAGRAPHS[2:]], 24).split("\n")]
        assert split_lines("\n".join(lines), rejoin_wrapped=True) == [headline, first, *PARAGRAPHS[2:]]


def test_a_head_line_at_the_width_goes_on_into_its_date_or_a_titles_tail():
    """…于2024年 | 8月30日，… is one sentence (the date goes on), …整改落实情况 | 的报告 one title."""
    sentence = "县委第一巡察组进驻县林业局开展了常规巡察于2024年8月30日，反馈了巡察意见。"
    title = "中共县林业局党组关于县委巡察反馈问题整改落实情况的报告"
    for paragraph in (sentence, title):
        lines = display_wrapped([paragraph], 24).split("\n")
        assert display_width(lines[0]) == 24
        assert split_lines("\n".join([*lines, *BODY_24]), rejoin_wrapped=True) == [paragraph, *PARAGRAPHS[1:]]


def test_a_page_metadata_line_opens_its_paragraph_under_a_line_as_long_as_the_width():
    """索引号：…, a bulleted ``- 效力状态:…``, 發佈時間：… (traditional characters), 来源：…, 作者：… and
    解读人：… are lines of a page's metadata: a sentence never goes on with one, so the full line
    above ends there."""
    title = "中共县林业局党组关于县委巡察反馈问题整改落实情况"
    assert display_width(title) == 24
    for meta in (
        "索引号：11X-2024-00312",
        "- 效力状态:有效",
        "發佈時間：2024-11-05 08:30",
        "来源:太仓日报",  # a news page's source, author and a policy interpretation's speaker
        "作者：张三",
        "解读人:县审计局局长王静",
    ):
        lines = [title, meta, *BODY_24]
        assert split_lines("\n".join(lines), rejoin_wrapped=True) == [title, meta, *PARAGRAPHS[1:]], meta


def test_a_line_that_opens_with_a_mark_alone_under_a_title_well_short_of_the_width_is_its_own():
    """,日前,… under a short title line: a mark alone moves nothing down with it, so the line before,
    which stopped far from the margin, ended its paragraph; after a line within two columns of the
    width the mark goes on with it."""
    title = "县林业局关于巡察整改情况的函"
    lead = ",日前,县林业局发布了巡察整改情况的函。"
    got = split_lines("\n".join([title, lead, *BODY_24]), rejoin_wrapped=True)
    assert got[:2] == [title, lead]
    near = "二是完成全县3个重点林区的视频监控系统建设工作"  # 22.5 columns of 24
    assert display_width(near) == 22.5
    got = split_lines("\n".join([near, "，三是开展防火培训。", *BODY_24]), rejoin_wrapped=True)
    assert got[0] == near + "，三是开展防火培训。"


def test_a_release_line_of_chrome_that_ends_at_the_width_leaves_the_paragraph_under_it():
    """发布时间：… 来源：… 责任编辑：张三 (chrome, by its 责任编辑：) exactly as wide as the page: the rest of
    a release line adds fields or is a short value; the first line of the report's paragraph under
    it is the report's own."""
    title = "关于县委巡察反馈问题整改情况的报告"
    release = "发布时间：2024-05-06 来源：林业局 责任编辑：张三"
    assert display_width(release) == 24
    dropped: list[str] = []
    got = split_lines("\n".join([title, release, *BODY_24]), dropped, rejoin_wrapped=True)
    assert got == [title, *PARAGRAPHS[1:]]
    assert dropped == [release]


def test_a_bracketed_notice_as_long_as_the_width_ends_its_paragraph_in_any_writing():
    """【會員資料…】 (a watermark in traditional characters, which the noise tests read in simplified
    ones only later) exactly as wide as the page: a paragraph that is one bracketed notice ends
    where its bracket closes, and the title under it is not joined to it."""
    notice = "【會員資料僅供內部交流使用，嚴禁外傳及用於商業】"
    assert display_width(notice) == 24
    title = "關於縣委巡察反饋問題整改情況的報告"
    got = split_lines("\n".join([notice, title, *BODY_24]), rejoin_wrapped=True)
    assert got == [notice, title, *PARAGRAPHS[1:]]


def test_a_release_line_in_traditional_characters_under_a_title_as_long_as_the_width_is_its_own():
    """…公示（第三批） in traditional characters, as wide as the page, then 2024-05-06 09:12　來源：…
    (a release line whose key is traditional, after its date): the release line is a paragraph of
    its own, and the preamble under it does not join it."""
    title = "關於縣委巡察反饋問題整改進展情況的公示（第三批）"
    release = "2024-05-06 09:12　來源：縣林業局辦公室　【打印】"
    assert display_width(title) == display_width(release) == 24
    preamble = "2024年5月13日至6月13日，縣委巡察組對縣林業局開展了常規巡察，並反饋了巡察意見。"
    lines = [title, release, *display_wrapped([preamble, *PARAGRAPHS[2:]], 24).split("\n")]
    got = split_lines("\n".join(lines), rejoin_wrapped=True)
    assert got == [title, release, preamble, *PARAGRAPHS[2:]]


def test_the_blank_lines_around_a_page_number_are_the_page_breaks_not_a_paragraphs_end():
    """…视频监控建设；三是 | | — 1 — | | 开展防火培训2次。（已完成）: one sentence cut by the page, whatever blank lines
    a PDF copy prints around the page's number; a blank line with no number is a paragraph's end."""
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    cut = next(i for i, line in enumerate(lines) if line.endswith("视频监控建设；三是")) + 1
    paged = [*lines[:cut], "", "— 1 —", "", *lines[cut:]]
    assert split_lines("\n".join(paged), rejoin_wrapped=True) == PARAGRAPHS
    blank = [*lines[:cut], "", *lines[cut:]]
    assert split_lines("\n".join(blank), rejoin_wrapped=True) != PARAGRAPHS


def test_a_running_header_after_each_page_number_is_page_furniture():
    """A PDF copy prints its header at the top of every page after the first: right after each page's
    number, the same words, however much they read like the title; the sentence cut by the page joins."""
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    cut = next(i for i, line in enumerate(lines) if line.endswith("视频监控建设；三是")) + 1
    header = "某县林业局巡察整改情况报告"
    paged = [
        *lines[:cut],
        "",
        "第1页 共3页",
        "",
        header,
        "",
        *lines[cut:-2],
        "第2页 共3页",
        header,
        *lines[-2:],
    ]
    assert split_lines("\n".join(paged), rejoin_wrapped=True) == PARAGRAPHS


def test_a_running_header_printed_first_on_the_first_page_too():
    """The header on top of page 1 (before the title) and after page 2's number: furniture both times."""
    lines = wrapped(PARAGRAPHS, 24).split("\n")
    cut = next(i for i, line in enumerate(lines) if line.endswith("视频监控建设；三是")) + 1
    header = "某县林业局巡察整改情况报告"
    paged = [header, "", *lines[:cut], "", "— 1 —", "", header, "", *lines[cut:]]
    assert split_lines("\n".join(paged), rejoin_wrapped=True) == PARAGRAPHS


def test_a_letter_spaced_line_reads_as_its_characters_and_a_spaced_page_number_stays():
    """关 于 巡 察 整 改 情 况 的 报 告 (a title letter-spaced in the original, so in its PDF's or page's
    text) is 关于巡察整改情况的报告; words between spaces (a navigation bar) and a page's number
    stay as they are."""
    blocks = [
        "关 于 2 0 2 4 年 巡 察 整 改 情 况 的 报 告",
        "首页  机构设置  工作动态",
        "第 1 页 共 4 页",
        "前　言",
    ]
    assert unspaced(blocks) == [
        "关于2024年巡察整改情况的报告",
        "首页  机构设置  工作动态",
        "第 1 页 共 4 页",
        "前　言",
    ]
    plain = ["关于巡察整改情况的报告", "首页 机构设置"]
    assert unspaced(plain) is plain
    report = "关 于 巡 察 整 改 情 况 的 报 告\n根据县委统一部署，县委第一巡察组对县林业局党组开展了巡察。\n一、问题\n1.制度不健全。\n整改措施：修订制度。"
    assert parse_document(report.encode(), "r.txt")["title"] == "关于巡察整改情况的报告"


def test_a_label_alone_on_its_line_goes_on_with_the_text_under_it():
    """一、 | 总体情况 (a hanging label drawn in a column of its own, Word's automatic number copied out
    of its tab stop): the label numbers the text on the next line, blank lines between or not; a
    label alone before a line that opens with its own label, or at the end, stays as it is."""
    blocks = ["一、", "", "审计整改工作总体情况", "（一）", "压实整改责任。", "1.", "2025年完成清理。", "2."]
    assert labels_rejoined(blocks) == [
        "一、审计整改工作总体情况",
        "（一）压实整改责任。",
        "1. 2025年完成清理。",
        "2.",
    ]
    assert labels_rejoined(["②", "（1）另一项"]) == ["②", "（1）另一项"]
    plain = ["一、总体情况", "1.5万元", "第1页"]
    assert labels_rejoined(plain) is plain
    report = (
        "关于巡察整改情况的报告\n根据县委统一部署，县委第一巡察组对县林业局党组开展了巡察。\n"
        "一、\n贯彻落实方面\n（一）\n学习制度不健全。\n整改措施：修订学习制度。\n"
        "二、\n全面从严治党方面\n（一）\n公务接待超标准。\n整改措施：退回超标准费用。\n"
    )
    sections = parse_document(report.encode(), "r.txt")["sections"]
    assert [(s["label"], s["title"]) for s in sections] == [
        ("一、", "贯彻落实方面"),
        ("二、", "全面从严治党方面"),
    ]
    assert [c["title"] for s in sections for c in s["children"]] == ["学习制度不健全。", "公务接待超标准。"]


def test_a_report_numbered_with_one_character_numbers_reads_as_one_numbered_in_full():
    """⑴ ⒈ ㈠ (GB 2312's numbers of one character, typed from a symbol palette) number items and
    measures as （1） 1. （一） do, on lines of their own and run into a paragraph."""
    report = (
        "关于巡察整改情况的报告\n根据县委统一部署，县委第一巡察组对县林业局党组开展了巡察。\n"
        "一、贯彻落实方面\n㈠学习方面\n⒈学习制度不健全。\n整改措施：⑴修订学习制度；⑵开展专题研讨。\n"
        "⒉学习形式单一。\n整改措施：⑴组建学习小组；\n⑵开展“青年讲堂”活动。\n"
    )
    (section,) = parse_document(report.encode(), "r.txt")["sections"]
    (group,) = section["children"]
    assert group["label"] == "㈠"
    assert [(n["label"], len(n["measures"])) for n in group["children"]] == [("⒈", 2), ("⒉", 2)]
