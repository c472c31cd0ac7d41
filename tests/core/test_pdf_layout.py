"""Lines of a PDF back into paragraphs by layout evidence (readers.pdf.join_lines): the text block's
edges read robustly, a line that starts with a closing mark going on, a numbered line after a full
line only where a sentence ends, and the spaces a text layer puts around digits taken out."""

from __future__ import annotations

from zhenggai.core.readers.pdf import Line, close_font_gaps, join_lines

CHAR = 16.0
LEFT, INDENT, RIGHT = 90.0, 122.0, 522.0


def line(text: str, x0: float = LEFT, x1: float | None = None, top: float = 100) -> Line:
    return Line(text, x0, x1 if x1 is not None else x0 + CHAR * len(text), top, 0, 842)


def test_indented_first_lines_start_paragraphs_when_most_paragraphs_are_one_line():
    lines = [
        line("发布时间：2024年5月6日 来源：县林业局 浏览次数：128", INDENT, RIGHT),
        line("关于县委巡察反馈问题整改情况的报告", INDENT),
        *[line(f"第{i}段只有一行的内容。", INDENT) for i in range(6)],
        line("一段两行的内容，第一行从缩进处写到右边", INDENT, RIGHT),
        line("距，第二行从左边距起。"),
    ]
    paragraphs = join_lines(lines)
    assert paragraphs[:2] == [
        "发布时间：2024年5月6日 来源：县林业局 浏览次数：128",
        "关于县委巡察反馈问题整改情况的报告",
    ]
    assert paragraphs[-1] == "一段两行的内容，第一行从缩进处写到右边距，第二行从左边距起。"
    assert len(paragraphs) == 9


def test_a_line_that_overflows_the_margin_does_not_move_it():
    lines = [
        line("一行写满到右边距的正文内容，一行写满到右边距的正", LEFT, RIGHT),
        line("文内容，末尾的标点悬挂在边距之外，一行写满到右，", LEFT, RIGHT + CHAR),
        line("这一行差半个字写满，因为数字较窄2024年12月", LEFT, RIGHT - 0.5 * CHAR),
        line("底前完成。"),
        line("下一段。", INDENT),
    ]
    assert len(join_lines(lines)) == 2


def test_a_line_that_starts_with_a_closing_mark_goes_on_however_short_the_line_before():
    lines = [
        line("（3）机关作风建设不优，未按要求开展作风整顿工作", INDENT, RIGHT),
        line("（正在整改，2020年7月完成，长期坚", LEFT, RIGHT - 3 * CHAR),
        line("持）。"),
        line("（4）下一个问题。", INDENT),
    ]
    assert join_lines(lines) == [
        "（3）机关作风建设不优，未按要求开展作风整顿工作（正在整改，2020年7月完成，长期坚持）。",
        "（4）下一个问题。",
    ]


def test_a_numbered_line_after_a_full_line_starts_a_paragraph_only_where_a_sentence_ends():
    lines = [
        line("整改措施：（1）落实班子成员定点联系乡镇制度；", INDENT, RIGHT),
        line("（2）每月开展1次接访活动。"),
        line("2.联系服务群众不够深入，全年下基层调研次数偏少。", LEFT, RIGHT),
        line("2024年以来仅开展调研3次。"),
        line("3.制度建设滞后。"),
    ]
    assert join_lines(lines) == [
        "整改措施：（1）落实班子成员定点联系乡镇制度；（2）每月开展1次接访活动。",
        "2.联系服务群众不够深入，全年下基层调研次数偏少。2024年以来仅开展调研3次。",
        "3.制度建设滞后。",
    ]


def test_the_spaces_a_text_layer_puts_between_chinese_and_digits_are_taken_out():
    assert close_font_gaps("截至 2019 年 12 月底，共 7 天") == "截至2019年12月底，共7天"
    assert close_font_gaps("使用 Word 文档") == "使用Word文档"
    assert close_font_gaps("Page 3 of 8") == "Page 3 of 8"
    # a numbering label keeps the space before it: a flattened page parts its items so
    assert (
        close_font_gaps("一、整改工作组织情况 1.提高政治站位 2、加强")
        == "一、整改工作组织情况 1.提高政治站位 2、加强"
    )
    assert close_font_gaps("增长 3.5%，共 2 个") == "增长3.5%，共2个"


def test_a_field_in_traditional_characters_after_a_full_line_starts_a_paragraph():
    lines = [
        line("整改目標：2020年底前黑臭水體消除比例達到90%以上。", INDENT, RIGHT),
        line("整改進展：已完成整治87%，基本完成。"),
    ]
    assert join_lines(lines) == [
        "整改目標：2020年底前黑臭水體消除比例達到90%以上。",
        "整改進展：已完成整治87%，基本完成。",
    ]


def test_a_line_that_stops_short_goes_on_when_what_starts_the_next_would_not_have_fitted():
    lines = [
        line("一行写满到右边距的正文内容，一行写满到右边距的正", INDENT, RIGHT),
        line("文内容。"),
        line("（3）机关作风建设不优，未开展作风整顿工作（正在整", INDENT, RIGHT - 2.6 * CHAR),
        line("改，2020年7月完成，长期坚持）。"),
        line("（4）下一个问题。", INDENT),
        line("这一行比右边距短三个字多，下一行开头放得下", LEFT, RIGHT - 3.5 * CHAR),
        line("另一段。"),
    ]
    assert join_lines(lines)[1:] == [
        "（3）机关作风建设不优，未开展作风整顿工作（正在整改，2020年7月完成，长期坚持）。",
        "（4）下一个问题。",
        "这一行比右边距短三个字多，下一行开头放得下",
        "另一段。",
    ]


def test_a_title_of_two_lines_then_the_pages_release_line_and_a_subtitle_start_paragraphs():
    """A title that fills a line and ends short on the next, then 发布日期：… (short enough to fit in
    the gap): the release line opens a paragraph; a title that fills its lines, then its subtitle
    (——2024年12月26日在…会议上): the subtitle opens one, and the speaker after it too."""
    lines = [
        line("中共南江大学外国语学院委员会关于校党委巡视“回头看”反馈意见整", LEFT, RIGHT),
        line("改进展情况的通报"),
        line("发布日期: 2024-07-05"),
        line("关于怀安县2023年度县本级预算执行和其他财政收支审计查出问", LEFT, RIGHT),
        line("题整改情况的报告", LEFT, RIGHT),
        line("——2024年12月26日在怀安县第十八届人民代表大会常务委员会第二", LEFT, RIGHT),
        line("十三次会议上"),
        line("县审计局局长　郑文涛"),
    ]
    assert join_lines(lines) == [
        "中共南江大学外国语学院委员会关于校党委巡视“回头看”反馈意见整改进展情况的通报",
        "发布日期: 2024-07-05",
        "关于怀安县2023年度县本级预算执行和其他财政收支审计查出问题整改情况的报告",
        "——2024年12月26日在怀安县第十八届人民代表大会常务委员会第二十三次会议上",
        "县审计局局长　郑文涛",
    ]


def test_a_dash_pair_inside_a_sentence_at_a_lines_start_goes_on():
    lines = [
        line("整改措施：建立健全长效机制，完善制度体系，推动整改常态化", LEFT, RIGHT),
        line("——2024年完成全部制度修订。"),
    ]
    assert join_lines(lines) == [
        "整改措施：建立健全长效机制，完善制度体系，推动整改常态化——2024年完成全部制度修订。"
    ]


def test_a_paragraph_printed_again_starts_over_and_does_not_run_on():
    """A page's title printed twice (a web copy's page title above the article's), each filling its
    line: the second is the first paragraph's first line again, and starts a paragraph of its own
    (the noise reader then drops the repeat), where a full line would otherwise go on."""
    title = "关于2023年度县本级预算执行和其他财政收支审计查出问题整改情况结果公告的解读"
    lines = [
        line(title, LEFT, RIGHT, top=71),
        line(title, LEFT, RIGHT, top=96),
        line("缩进起头、写满到右边距的正文内容，一行写满到右", INDENT, RIGHT, top=121),
        line("边距的正文内容。", LEFT, top=145),
    ]
    assert join_lines(lines) == [
        title,
        title,
        "缩进起头、写满到右边距的正文内容，一行写满到右边距的正文内容。",
    ]
