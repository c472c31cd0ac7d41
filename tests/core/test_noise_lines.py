"""Noise lines (core.noise) as copies carry them: a watermark repeated through the document, the
advertising and follow-us lines of document sites, a sentence printed twice in a row."""

from __future__ import annotations

from zhenggai.core.noise import is_watermark, remove_noise


def test_a_line_printed_many_times_that_says_nothing_of_the_report_is_dropped():
    mark = "笔耕写作交流平台出品"
    lines = ["一、党的建设方面", mark, "1.会议记录不规范。", mark, "整改措施：建立签字制度。", mark]
    cleaned = remove_noise(lines)
    assert cleaned.lines == ["一、党的建设方面", "1.会议记录不规范。", "整改措施：建立签字制度。"]
    assert cleaned.dropped == [mark] * 3


def test_field_lines_unit_names_and_dates_a_report_repeats_are_kept():
    repeated = ["整改措施：", "县财政局", "2024年12月底前", "已完成", "县人力资源和社会保障局", "长期坚持"]
    lines = [line for _ in range(3) for line in ["1.会议记录不规范。", *repeated]]
    assert remove_noise(lines).lines == [line for _ in range(3) for line in ["1.会议记录不规范。", *repeated]]


def test_a_line_printed_twice_only_is_kept():
    lines = ["笔耕写作交流平台出品", "1.会议记录不规范。", "笔耕写作交流平台出品"]
    assert remove_noise(lines).lines == lines


def test_follow_us_and_more_documents_lines_of_document_sites_are_watermarks():
    for line in (
        "更多资料请加QQ群：123456789",
        "公众号：公文写作库",
        "微信扫码关注 获取更多范文",
        "更多精彩内容请关注微信公众号",
        "本文档由用户上传，如有侵权请联系删除",
        "版权归原作者所有",
        "材料来源：公文素材网",
    ):
        assert is_watermark(line), line


def test_a_report_sentence_that_names_a_public_account_is_not_a_watermark():
    for line in (
        "通过微信公众号、门户网站公开整改情况，接受群众监督。",
        "建立整改资料库，做到一问题一档案。",
        "3.会员单位管理不规范，部分会费收取未经审批。",
    ):
        assert not is_watermark(line), line


def test_a_long_sentence_printed_twice_in_a_row_is_read_once():
    sentence = "一是修订会议记录管理办法，实行当场签字确认制度。"
    cleaned = remove_noise(["1.会议记录不规范。", sentence, sentence, "二是开展专项检查。"])
    assert cleaned.lines == ["1.会议记录不规范。", sentence, "二是开展专项检查。"]
    assert cleaned.dropped == [sentence]


def test_a_short_line_printed_twice_in_a_row_is_kept():
    lines = ["1.会议记录不规范。", "整改措施：", "整改措施：", "已完成", "已完成"]
    assert remove_noise(lines).lines == lines


def test_a_bare_share_label_and_the_print_close_links_of_a_page_are_chrome():
    """分享： alone (its icons lost in the copy) and 打印　关闭 (the two links at a page's foot)."""
    lines = [
        "关于巡察整改情况的通报",
        "分享：",
        "一、党的建设方面",
        "1.会议记录不规范。",
        "打印　关闭",
        "打印 | 关闭",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.lines == ["关于巡察整改情况的通报", "一、党的建设方面", "1.会议记录不规范。"]


def test_a_sentence_about_sharing_or_printing_is_kept():
    lines = ["1.经验分享不足。", "整改措施：每月分享一次学习心得。", "打印机采购未比价。"]
    assert remove_noise(lines).lines == lines


def test_the_end_of_a_release_line_cut_onto_a_line_of_its_own_is_dropped_with_it():
    """Text copied out at a fixed width cuts a page's release line inside its last key (…阅读次 |
    数：); the rest, printed twice by a copy's slip too, goes with the line. A short line that adds
    no key (关于, a title's first word, under 来源：本站) stays."""
    release = "发布日期：2024-10-18　　来源：审计与风险管理部　　阅读次"
    title = "青屿港务集团有限公司关于审计发现问题整改情况的公告"
    assert remove_noise([release, "数：", title]).lines == [title]
    assert remove_noise([release, "数：", "数：", title]).lines == [title]
    assert remove_noise(["发布时间：2024-09-20　　来源：本站", "关于", title[12:]]).lines == [
        "关于",
        title[12:],
    ]


def test_a_release_time_alone_a_report_button_and_a_lone_separator_are_page_chrome():
    """``2024-09-20 15:24`` alone (the page's release time: it dates the page), ``举报`` alone and a
    bar's separator left alone (``|``) are dropped; a date without a time of day (the signature's
    ``2024年9月20日``, ``2024-09-20``) and a line holding text between separators are kept."""
    body = [
        "凉山州公开第三轮省级生态环境保护督察整改落实情况",
        "经省委、省政府批准，督察组对我州开展了督察。",
    ]
    for chrome in ("2024-09-20 15:24", "2022/04/18 07:10:00", "举报", "【举报】", "|", "｜ ｜", "丨"):
        cleaned = remove_noise([body[0], chrome, body[1], "中共凉山州委", "2024年9月20日"])
        assert cleaned.lines == [*body, "中共凉山州委", "2024年9月20日"], chrome
        assert cleaned.dropped == [chrome]
    assert remove_noise([body[0], "2024-09-20 15:24", body[1]]).metadata == {"日期": "2024-09-20"}
    for kept in ("2024-09-20", "2024年9月20日", "甲 | 乙", "举报电话：12388"):
        assert kept in remove_noise([body[0], kept, body[1]]).lines, kept


def test_a_pages_comment_box_at_its_foot_is_dropped_with_the_lines_under_it():
    """``网友评论`` (its notice, 发表, the recommendations' labels) under the report's last line."""
    for label in ("网友评论", "发表评论", "我要评论："):
        lines = [
            "现将督察整改落实情况向社会公开。",
            "2024年9月20日",
            label,
            "网友评论仅供其发表个人看法",
            "发表",
            "换一换",
        ]
        cleaned = remove_noise(lines)
        assert cleaned.lines == lines[:2], label
        assert cleaned.dropped == lines[2:]
