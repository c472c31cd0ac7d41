"""Hard-wrapped text with a second fault in it: a full stop typed as ".", half-width marks, a
watermark or a duplicated line inside a wrapped paragraph. Each test names the pattern it reads."""

from __future__ import annotations

from zhenggai.core.layout import display_width
from zhenggai.core.readers import Table
from zhenggai.core.readers.text import rejoin_blocks, split_lines
from zhenggai.core.script import DOT_WARNING, WIDE_DOT_WARNING, simplified

FILLER = [f"填充内容填充内容填充内容填充内容{i}" for i in range(8)]  # lines of the width (16.5)


def test_a_full_line_ending_with_a_full_stop_typed_as_a_dot_ends_its_paragraph_before_a_numbered_line():
    text = "\n".join(
        [
            "县委巡察组反馈了意见，现将整改情况",
            "通报如下，请予监督予以公布之情况.",  # the width, and "." where the sentence ends
            "一、整改落实情况",
            "1.制度建设滞后，未按时修订财务管理",
            "办法.",
            *FILLER,
        ]
    )
    assert display_width("通报如下，请予监督予以公布之情况.") == 16.5
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:3] == [
        "县委巡察组反馈了意见，现将整改情况通报如下，请予监督予以公布之情况.",
        "一、整改落实情况",
        "1.制度建设滞后，未按时修订财务管理办法.",
    ]


def test_a_full_line_ending_with_a_full_width_dot_ends_its_paragraph_and_the_dot_reads_as_a_full_stop():
    """…予以公布之情况． | 一、整改落实情况: "．" (U+FF0E, the full stop of scientific writing in GB/T
    15834, and what some fonts and input methods put for 。) ends a sentence as 。 does; a label's
    "．" after a digit (1．) stays a label's."""
    text = "\n".join(
        [
            "县委巡察组反馈了意见，现将整改情况",
            "通报如下，请予监督予以公布之情况．",  # the width, and "．" where the sentence ends
            "一、整改落实情况",
            "1．制度建设滞后，未按时修订财务管理",
            "办法．已整改到位．",
            *FILLER,
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:3] == [
        "县委巡察组反馈了意见，现将整改情况通报如下，请予监督予以公布之情况．",
        "一、整改落实情况",
        "1．制度建设滞后，未按时修订财务管理办法．已整改到位．",
    ]
    view, printed, warning = simplified(got[:3])
    assert view[2] == "1．制度建设滞后，未按时修订财务管理办法。已整改到位。"
    assert printed is not None and printed.text(view[2]) == got[2]
    assert warning == WIDE_DOT_WARNING


def test_a_full_line_ending_with_a_dot_after_a_digit_or_before_a_letter_goes_on():
    """A decimal point or a web address's dot is no full stop: the numbered line after it goes on
    with the sentence (一、 after a full line that ends with 第1.)."""
    text = "\n".join(
        [
            "县委巡察组反馈了意见，现将整改情况",
            "通报如下，请予监督予以公布之的1.",
            "二、三项工作同步推进落实到位，全部",
            "完成。",
            *FILLER,
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[0].startswith("县委巡察组反馈了意见，现将整改情况通报如下，请予监督予以公布之的1.二、")


def test_a_full_stop_typed_as_a_dot_after_a_percent_sign_reads_as_one():
    """增长2.2%. ends a sentence: the dot after a figure's percent sign is its full stop; the
    decimal point inside the figure stays."""
    lines = ["研发投入强度达到2.2%.", "已完成整改.", "正在整改.", "建立台账制度."]
    view, printed, warning = simplified(lines)
    assert view == ["研发投入强度达到2.2%。", "已完成整改。", "正在整改。", "建立台账制度。"]
    assert printed is not None and printed.text(view[0]) == lines[0]
    assert warning == DOT_WARNING


def test_a_status_sentence_ending_with_a_dot_after_a_full_line_opens_a_paragraph():
    """…未发生支出. | 已整改到位.市财政局…: the status sentence after a line that filled the width
    where a sentence ends opens the item's second paragraph, as 已整改到位。 does."""
    text = "\n".join(
        [
            "1.部分项目预算编制不够精准，其中七个",
            "项目全年未发生支出情况较为突出明显.",
            "已整改到位.市财政局将预算执行情况与",
            "下年度预算安排挂钩.",
            *FILLER,
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == [
        "1.部分项目预算编制不够精准，其中七个项目全年未发生支出情况较为突出明显.",
        "已整改到位.市财政局将预算执行情况与下年度预算安排挂钩.",
    ]


def test_a_full_line_without_a_sentence_end_before_the_next_numbered_item_ends_its_paragraph():
    """…整改时限：5天 | 3.市第三医院: a field line that happens to fill the width, where no sentence
    ends, is followed by the item numbered after the last one (2.): that item opens a paragraph.
    A numbered line out of sequence still goes on with the sentence."""
    text = "\n".join(
        [
            "2.市第二人民医院",
            "（1）院内禁烟标识数量不达标；",
            "责任单位：卫生健康委员会时限：5天",  # the width, no sentence end
            "3.市第三人民医院",
            "（1）院内宣传栏破损。",
            "责任单位：卫生健康委员会，整改问题",
            "7.项已经全部整改完毕",
            *FILLER,
        ]
    )
    assert display_width("责任单位：卫生健康委员会时限：5天") == 16.5
    got = split_lines(text, rejoin_wrapped=True)
    assert got[2:5] == ["责任单位：卫生健康委员会时限：5天", "3.市第三人民医院", "（1）院内宣传栏破损。"]
    assert got[5] == "责任单位：卫生健康委员会，整改问题7.项已经全部整改完毕"


def test_a_watermark_line_longer_than_the_width_leaves_the_line_after_it_in_the_text():
    """A watermark stamped on a wrapped copy is not cut at the width: the line after one that runs
    past the width is the report's own (the rest of a watermark that filled its line is not)."""
    watermark = "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】"
    text = "\n".join(
        [
            "1.制度建设滞后，未按时修订财务管理",
            watermark,
            "办法。",
            "整改情况：已完成修订。",
            *FILLER,
        ]
    )
    dropped: list[str] = []
    got = split_lines(text, dropped, rejoin_wrapped=True)
    assert got[:2] == ["1.制度建设滞后，未按时修订财务管理办法。", "整改情况：已完成修订。"]
    assert dropped == [watermark]


def test_a_full_line_ending_with_a_bracket_around_latin_letters_goes_on():
    """…细颗粒物(PM2.5) | 未完成。: a bracket that closes an abbreviation, a reading (wù) or a number is no status
    parenthesis; the line after it goes on with the sentence, status words or not."""
    text = "\n".join(
        [
            "（一）部分年度空气质量指标中细颗粒物(PM2.5)",
            "未完成。",
            "整改情况：已完成整改。",
            *[f"填充内容填充内容填充内容填充内容填充内容{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == ["（一）部分年度空气质量指标中细颗粒物(PM2.5)未完成。", "整改情况：已完成整改。"]


def test_a_numbered_heading_in_traditional_characters_that_fills_its_line_ends_before_its_field():
    """3.關於…問題的整改 | 整改情況：…: a heading printed in traditional characters that happens to
    fill its line does not run into the 整改情況： paragraph after it, as in simplified ones."""
    text = "\n".join(
        [
            "3.關於廉政風險防控存在薄弱環節問題的整改",
            "整改情況：一是重新梳理崗位廉政風險點46",
            "個，逐一制定防控措施。",
            *[f"填充內容填充內容填充內容填充內容填充內容{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == [
        "3.關於廉政風險防控存在薄弱環節問題的整改",
        "整改情況：一是重新梳理崗位廉政風險點46個，逐一制定防控措施。",
    ]


def test_a_word_document_of_a_wrapped_copy_cut_again_reads_as_its_paragraphs():
    """A PDF's text pasted into Word, one paragraph a line, from a copy wrapped twice (at 30, then
    cut again at 24): the Word reader undoes both cuts, as the text reader does."""
    paragraphs = [
        "根据县委统一部署，县委第一巡察组于2024年3月至5月对县林业局党组开展了常规巡察，并于6月反馈了巡察意见。",
        "一、巡察反馈问题的整改落实情况",
        "1.森林防火责任落实不到位，部分乡镇护林员巡查记录缺失，2023年全县发生森林火情3起。",
        "整改情况：一是修订护林员管理办法，按月考核巡查记录；二是完成全县3个重点林区的视频监控建设；三是开展防火培训2次。（已完成）",
        "2.林业专项资金拨付迟缓，截至2023年底仍有1.5亿元结存未用，涉及6个项目。",
        "整改情况：一是建立资金拨付台账，逐项明确时限；二是对结存资金分类处置，已拨付0.9亿元。（正在推进，2025年6月底前完成）",
    ]
    once = [p[i : i + 30] for p in paragraphs for i in range(0, len(p), 30)]
    twice: list[str | Table] = [piece for line in once for piece in (line[:24], line[24:]) if piece]
    assert split_lines("\n".join(map(str, twice)), rejoin_wrapped=True) == paragraphs
    assert rejoin_blocks(twice, []) == paragraphs


def test_a_circled_number_after_a_full_line_goes_on_with_the_list_run_into_the_paragraph():
    """整改措施：①…；| ②…；③…: a circled number at a line's start, after a full line that ends a
    sentence, goes on with the list that ① opened in the paragraph."""
    text = "\n".join(
        [
            "整改措施：①完成城东片区管网改造8公里；",
            "②对下游河段实施清淤和生态补水工程。",
            "整改进展：已完成。",
            *[f"填充内容填充内容填充内容填充内容填充{i}" for i in range(8)],
        ]
    )
    got = split_lines(text, rejoin_wrapped=True)
    assert got[:2] == [
        "整改措施：①完成城东片区管网改造8公里；②对下游河段实施清淤和生态补水工程。",
        "整改进展：已完成。",
    ]
