"""Hard-wrapped text (core.layout): where a paragraph ends although its last line reached the width.

A paragraph whose last line happens to fill the width leaves no gap at the margin: what the next
line is tells whether a new paragraph opens there. Each test sets such a paragraph exactly at the
width (``ending_at``) between paragraphs that show the width, wraps the text as a PDF copy is and
reads it back."""

from __future__ import annotations

from zhenggai.core.layout import closing_line, display_width_dots, opens_after_full_line, wrap_width
from zhenggai.core.readers.text import split_lines

WIDTH = 24
# Paragraphs long enough for the width to show (many full lines), as a report's body has them.
BODY = [
    "根据县委统一部署，县委第一巡察组于2024年3月至5月对县林业局党组开展了常规巡察，并于6月反馈了巡察意见。"
    "县林业局党组高度重视，把巡察整改作为重大政治任务，成立整改工作领导小组，逐项制定措施，明确责任和时限。",
    "一、巡察反馈问题的整改落实情况",
    "1.森林防火责任落实不到位，部分乡镇护林员巡查记录缺失，2023年全县发生森林火情3起，造成一定损失。",
    "整改情况：一是修订护林员管理办法，按月考核巡查记录；二是完成全县3个重点林区的视频监控建设；三是开展防火培训2次。",
]
FILLER = "各项整改工作有序推进并取得阶段性成效"


def ending_at(head: str, tail: str, width: int = WIDTH) -> str:
    """``head`` + filler + ``tail``: a paragraph whose last line fills the width exactly."""
    missing = -len(head + tail) % width
    return head + (FILLER * 4)[:missing] + tail


def wrapped(paragraphs: list[str], width: int = WIDTH) -> str:
    """The paragraphs cut every ``width`` characters, no blank line between them."""
    return "\n".join(p[i : i + width] for p in paragraphs for i in range(0, len(p), width))


def reads_back(paragraphs: list[str], width: int = WIDTH) -> list[str]:
    return split_lines(wrapped(paragraphs, width), rejoin_wrapped=True)


def test_the_helper_sets_a_paragraph_at_the_width():
    assert len(ending_at("欢迎", "监督。")) == WIDTH
    assert wrap_width(wrapped(BODY * 2).split("\n")) is not None


def test_a_signature_and_its_date_are_lines_of_their_own_after_a_full_line():
    """落款: the unit's name under the last sentence, and the date under it (a name as long as the
    width, 中共云岭交通建设集团有限公司路桥工程分公司委员会, is followed by its date)."""
    closing = ending_at("欢迎广大干部群众对整改落实情况进行监督，", "联系电话：0513-8651××××。")
    for name in ("中共平川镇大桥村总支部委员会", "溆江县人民政府"):
        paragraphs = [*BODY, closing, name, "2025年4月7日"]
        assert reads_back(paragraphs) == paragraphs, name
    # A name as wide as the page after a full line may be the sentence's own: its date is not.
    name = "中共云岭交通建设集团有限公司路桥工程分公司委员会"
    assert len(name) == WIDTH
    assert reads_back([*BODY, closing, name, "2025年4月7日"])[-1] == "2025年4月7日"
    assert closing_line(
        "……监督。", "二〇二五年四月七日", "二〇二五年四月七日", wrap_width(wrapped(BODY * 2).split("\n"))
    )


def test_a_date_that_the_sentence_runs_on_into_goes_on():
    wrap = wrap_width(wrapped(BODY * 2).split("\n"))
    assert wrap is not None
    assert not closing_line("整改工作于", "2025年4月7日", "2025年4月7日", wrap)


def test_a_short_line_that_is_not_a_bare_name_goes_on():
    """（已整改） after a full stop is the paragraph's status tag, and a line after a clause (；) or a
    bracket ((序号十)) is the sentence's own."""
    wrap = wrap_width(wrapped(BODY * 2).split("\n"))
    assert wrap is not None
    assert not closing_line("……未及时缴入国库。", "（已整改）", "（已整改）", wrap)
    assert not closing_line("……任务(序号十)", "整改情况的公示情况说明", "整改情况的公示情况说明", wrap)
    assert not closing_line("一是建立台账；", "加快构建社会救助", "加快构建社会救助", wrap)


def test_the_closing_formulae_and_the_sentences_that_sum_up_open_their_own_paragraph():
    for opening in (
        "欢迎广大党员群众对整改情况进行监督。",
        "特此报告。",
        "针对这一问题，我们采取了以下措施：建立社区后备干部人才库。",
        "以上第1、2项问题已完成整改，第3项问题正在推进。",
        "其余6个问题已在集中整改期内完成整改。",
    ):
        paragraphs = [*BODY, ending_at("1.社区“两委”干部队伍结构不优，", "年轻干部储备不足。"), opening]
        assert reads_back(paragraphs) == paragraphs, opening


def test_a_sentence_that_goes_on_after_a_full_stop_still_goes_on():
    """A sentence after a full stop that opens no paragraph (会上，… / 同时，…) goes on."""
    assert not opens_after_full_line("……年轻干部储备不足。", "同时，建立后备干部人才库。")
    assert not opens_after_full_line("……年轻干部储备不足。", "针对性地开展培训。")


def test_a_field_after_a_field_line_that_fills_it_opens_a_paragraph():
    """责任单位：… filling its line, then 整改措施：…: no sentence ends there, but fields do not run on."""
    paragraphs = [
        *BODY,
        ending_at("责任单位：县委办、县政府办、", "县生态环境局"),
        "整改措施：印发职责规定，纳入年度考核。",
    ]
    assert reads_back(paragraphs) == paragraphs


def test_a_sentence_ended_by_a_status_tag_ends_its_paragraph():
    paragraphs = [
        *BODY,
        ending_at("4.学生学业预警帮扶机制不健全，", "跟踪帮扶不到位。【已完成】"),
        "整改措施：一是建立学业预警“一人一档”；二是实行双线帮扶。",
    ]
    assert reads_back(paragraphs) == paragraphs
    assert opens_after_full_line("……不到位.【已完成】", "整改措施：一是建立档案。")  # (。 typed as ".")


def test_a_field_key_whose_value_stands_on_the_next_line_goes_on():
    """…；完成情况：| 已完成。: the value of the key that ends the line."""
    assert not opens_after_full_line(
        "责任领导：镇党委副书记；完成时限：2024年8月底前；完成情况：", "已完成。"
    )
    assert opens_after_full_line("整改措施：", "一是建立台账；二是定期检查。")


def test_a_status_sentence_in_traditional_characters_is_read_in_full():
    """該問題正在整改，預計2025年12月底前完成。 opens its paragraph as its simplified form does."""
    paragraphs = [
        *BODY,
        ending_at("（二）個別產業項目建成後閒置，", "未發揮應有效益。"),
        "該問題正在整改，預計2025年12月底前完成。一是對2個閒置的廠房重新招租。",
    ]
    assert reads_back(paragraphs) == paragraphs


def test_a_running_header_that_fills_its_line_does_not_take_the_line_after_it():
    """A page's running header is whole (it repeats): the page's first line is the text's own."""
    header = "岚江区第十七届人大常委会第二十六次会议文件（七）"
    assert len(header) == WIDTH
    first = ending_at("1.非税收入未及时缴入国库的问题。审计指出，", "有非税收入4260.5万元未")
    page_two = wrapped(["按规定及时缴库。整改情况：3个单位已将资金全部缴入国库。", *BODY]).split("\n")
    text = "\n".join(
        [
            header,
            *wrapped(BODY).split("\n"),
            *wrapped([first]).split("\n"),
            "- 1 -",
            header,
            *page_two,
            "- 2 -",
            header,
        ]
    )
    dropped: list[str] = []
    lines = split_lines(text, dropped, rejoin_wrapped=True)
    assert any("按规定及时缴库" in line for line in lines)
    assert not any("按规定及时缴库" in line for line in dropped)


def test_a_paragraphs_last_line_printed_twice_is_dropped_and_a_short_paragraph_said_twice_stays():
    paragraphs = [*BODY, "2.资金管理不规范。整改情况：已追回资金并建立台账，整改到位。"]
    lines = wrapped(paragraphs).split("\n")
    last = lines[-1]
    assert len(last) < 8
    assert split_lines("\n".join([*lines, last]), rejoin_wrapped=True) == paragraphs
    said_twice = [*BODY, "完成情况：", "已完成", "已完成"]
    assert split_lines(wrapped(said_twice), rejoin_wrapped=True)[-2:] == ["已完成", "已完成"]


def test_a_table_row_cut_at_a_cells_edge_keeps_the_tab_between_its_cells():
    row = "3\t固定资产管理不规范，有部分资产账实不相符。\t开展固定资产全面盘点。\t综合管理部"
    assert row[WIDTH - 1] == "\t"  # the first line ends at a cell's edge, filling the width
    text = wrapped(BODY) + "\n" + row[:WIDTH] + "\n" + row[WIDTH:]
    assert split_lines(text, rejoin_wrapped=True)[-1] == row


def test_a_copy_that_types_full_stops_as_dots_is_measured_as_it_was_set():
    """The text was set with 。 a column wide, then 。 came out as "." (a PDF font's mapping): its
    full lines are full again when the dots are read as full stops."""
    paragraphs = [
        *BODY,
        ending_at("2.部分专项资金分配下达不及时。", "整改情况：已完成全部资金分配下达。"),
        "3.政府债务风险防控有待加强。",
    ]
    dotted = wrapped(paragraphs).replace("。", ".")
    assert split_lines(dotted, rejoin_wrapped=True) == [p.replace("。", ".") for p in paragraphs]
    assert display_width_dots("已完成.") == 4.0


def test_a_numbered_heading_goes_on_into_a_line_numbered_in_an_outer_style_out_of_sequence():
    """1.…教学方法单 | 一、吸引力不强。 under 二、: the word 单一 cut at the width, not a heading 一、 (the
    outer style's next number is 三、); the next number of the outer style still opens a heading."""
    heading = ending_at("1.思想政治理论课教学改革不够深入，部分课程", "教学方法单")
    assert len(heading) % WIDTH == 0 and "。" not in heading
    paragraphs = [
        *BODY,
        "二、整改工作的主要措施",
        "（一）关于落实立德树人根本任务方面",
        heading + "一、吸引力不强。",
    ]
    assert reads_back(paragraphs)[-1] == heading + "一、吸引力不强。"
    # … 三、 after 二、 is the outer level's next heading
    assert reads_back([*BODY, "二、整改工作的主要措施", heading, "三、下一步工作打算"])[-2:] == [
        heading,
        "三、下一步工作打算",
    ]
    # (without the numbers read so far, any numbered line after a full heading opens a paragraph)
    assert opens_after_full_line(heading, "一、吸引力不强。")
    assert not opens_after_full_line(heading, "一、吸引力不强。", {"cn": 2, "cn_paren": 1, "ar": 1})


def test_a_margin_on_every_line_is_no_paragraph_indentation():
    """A copy that sets the whole text off by four spaces (or 　　, continuations too): every line
    indented says nothing of where a paragraph opens (core.readers.text.without_margin)."""
    plain = wrapped(BODY * 2).split("\n")
    expected = split_lines("\n".join(plain), rejoin_wrapped=True)
    assert len(expected) == len(BODY) * 2
    for margin in ("    ", "\u3000\u3000", "\xa0\xa0"):
        assert split_lines("\n".join(margin + line for line in plain), rejoin_wrapped=True) == expected
