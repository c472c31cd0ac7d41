"""Noise removal: watermarks, site chrome, page numbers and web-page metadata."""

from __future__ import annotations

from zhenggai.core.noise import chrome_metadata, is_page_chrome, is_page_number, is_watermark, remove_noise
from zhenggai.core.parse import parse_document
from zhenggai.core.titles import find_title


def test_watermarks_and_adverts_are_dropped():
    for line in [
        "仅供学习 禁止外传 用后删除",
        "酷乐某某整理，咨询QQ123456789",
        "会员群：  免费QQ群：",
        "【会员资料仅供内部交流使用，严禁外传】",
        "现在订阅立享前3年的所有权益和资料",
    ]:
        assert is_watermark(line), line


def test_report_sentences_are_not_watermarks():
    for line in [
        "一是建立党员学习群，每周推送学习资料。",
        "协会会议研究了整改方案。",
        "关于巡察整改情况的报告",
    ]:
        assert not is_watermark(line), line


def test_page_numbers_in_their_printed_forms():
    for line in ["— 3 —", "-12-", "第 3 页 共 9 页", "3/9", "Page 2 of 5", "第1頁 共3頁", "第 2 頁"]:
        assert is_page_number(line), line  # (頁: a copy in traditional characters)
    assert not is_page_number("3.落实责任")


def test_the_release_line_of_a_web_page_is_metadata():
    found = chrome_metadata("发布时间:2024-11-18 10:32 来源:县医疗保障局 作者:局办公室")
    assert found == {"发布时间": "2024-11-18 10:32", "来源": "县医疗保障局", "作者": "局办公室"}
    assert chrome_metadata("公示时间:2019年12月13日至2019年12月19日,共7天。") is None


def test_a_government_metadata_block_is_kept_as_metadata_not_content():
    lines = [
        "信息索引号:",
        "11330702/2023-46395",
        "发布机构:",
        "婺城区文旅体局",
        "成文日期:",
        "2023-05-04",
        "正文开始。",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.lines == ["正文开始。"]
    assert cleaned.metadata == {
        "信息索引号": "11330702/2023-46395",
        "发布机构": "婺城区文旅体局",
        "成文日期": "2023-05-04",
    }
    assert len(cleaned.dropped) == 6


def test_lines_above_the_title_are_a_header_block():
    found = find_title(["某某文库", "自建平台、实时分享", "关于巡察整改情况的报告", "按照县委统一部署，……。"])
    assert found.title == "关于巡察整改情况的报告"
    assert found.above == ["某某文库", "自建平台、实时分享"]
    assert find_title(["根据区委巡察工作的安排部署，区委第一巡察组对某社区党委进行了巡察。"]).title is None


def test_a_column_tag_is_not_part_of_the_title():
    assert (
        find_title(["创文进行时丨27个问题清单曝光,要求限期整改", "正文。"]).title
        == "27个问题清单曝光,要求限期整改"
    )


def test_every_removed_line_is_listed_in_dropped():
    text = (
        "首页　|　概况　|　新闻中心　|　信息公开\n当前位置：首页 > 信息公开\n关于巡察整改情况的通报\n"
        "发布时间：2025-01-20 09:30　　来源：办公室　　浏览次数：\n按照县委部署，县委第一巡察组对某局党组进行了巡察。\n"
        "一、问题方面\n（1）台账不全。\n整改情况：补齐台账。 酷乐整理，咨询QQ206157060\n— 2 —\n"
        "上一篇：某某会议召开\n版权所有：某某局\n"
    )
    ledger = parse_document(text.encode(), "page.txt")
    assert len(ledger["dropped"]) == 7
    assert "酷乐整理，咨询QQ206157060" in ledger["dropped"]
    assert ledger["metadata"]["来源"] == "办公室"
    assert ledger["sections"][0]["children"][0]["measures"][0]["text"] == "补齐台账。"
    assert not any("QQ" in d for d in [ledger["sections"][0]["children"][0]["measures"][0]["text"]])


def test_chrome_words_that_name_a_place_on_the_page_count_only_at_the_start_of_the_line():
    """当前位置：/ 位置：/ 首页 > (_CHROME_START) open a line of chrome; 上一篇, 版权所有, 字体：大
    (_CHROME) are chrome wherever they stand, as are the watermark words with their group cut
    into whole words (开通会员, 扫描二维码…关注, 本文由…整理)."""
    for line in [
        "当前位置：首页 > 信息公开",
        "位置：首页",
        "您的位置: 首页 > 工作动态 > 正文",
        "您当前所在位置: 首页 > 政务公开 > 审计公开",
        "當前位置：首頁 > 黨建園地 > 巡視整改",
        "首页 > 通知公告",
        "【打印】",
        "字体：【大 中 小】",
    ]:
        assert is_page_chrome(line) and is_watermark(line), line
    for line in ["该项目当前位置：待定", "工程所在位置：城东", "返回首页 > 列表页下方的说明文字较长不算"]:
        assert not is_page_chrome(line), line
    for line in [
        "加入会员享更多",
        "扫描二维码，关注我们",
        "本文由某某网整理",
        "资料来自网友分享",
        "查看更多",
    ]:
        assert is_watermark(line), line
    assert not is_watermark("已开通会议室预约，资料已整理归档。")


def test_file_names_and_navigation_bars_are_found_whatever_the_case_of_the_extension():
    for line in ["整改报告.PDF", "附件1.Docx", "首页 | 概况 | 新闻 | 公开", "首页｜概况｜新闻｜公开"]:
        assert is_watermark(line), line
    for line in ["1.加强学习", "资金5.2万元", "首页 | 概况", "报告.pdf 已上传至网站，请查阅全文"]:
        assert not is_watermark(line), line


def test_a_title_glued_before_the_release_line_stays_in_the_text_and_the_release_line_is_metadata():
    """A heading in a document's shape before a page's release line (a title as long as the wrap
    width re-joined with the line under it, a page flattened into one line) is the report's title,
    whether the release line would be read as metadata or as chrome (责任编辑：); a site's name there
    is the page's header."""
    title = "关于县委巡察反馈问题整改情况的报告"
    for release in ("发布时间：2024-05-06 来源：县林业局", "发布时间：2024-05-06 09:12 责任编辑：张三"):
        for glue in (" ", ""):
            cleaned = remove_noise([title + glue + release, "根据县委统一部署，县委巡察组开展了常规巡察。"])
            assert cleaned.lines == [title, "根据县委统一部署，县委巡察组开展了常规巡察。"], (glue, release)
            assert cleaned.dropped == [release]
            assert cleaned.metadata["发布时间"].startswith("2024-05-06")
    header = remove_noise(["县林业局门户网站 发布时间：2024-05-06 来源：县林业局", title])
    assert header.lines == [title] and header.metadata["页眉"] == "县林业局门户网站"


def test_a_read_aloud_button_and_a_photos_file_name_are_page_chrome():
    """``朗读`` / ``【听新闻】`` / ``语音播报`` alone on a line (a page's read-aloud button) and the file
    name a copy keeps of a photo (``微信图片_20240119112915.jpg``, ``IMG_0231.PNG``) are chrome; a
    sentence that reads aloud, or names a photo, is not."""
    for line in (
        "朗读",
        "【朗读】",
        "【听新闻】",
        "语音播报",
        "微信图片_20240119112915.jpg",
        "IMG_0231.PNG",
        "图1.jpeg",
    ):
        assert is_watermark(line), line
        cleaned = remove_noise(
            ["关于巡察整改情况的通报", line, "根据县委统一部署，县委第二巡察组对某局党组进行了巡察。"]
        )
        assert cleaned.dropped == [line], line
    for line in ("组织党员朗读党章，重温入党誓词。", "会议现场照片见附件图片.jpg文件，共3张。", "朗读比赛"):
        assert not is_watermark(line), line


def test_a_box_of_links_at_the_pages_foot_is_chrome():
    """``新闻推荐`` / ``相关阅读`` / ``猜你喜欢`` near the end of a page, with only short lines under it
    (the links' titles, the site's blurb): the label and what is under it are chrome. The same word
    inside the report, or with long paragraphs after it, is not."""
    report = [
        "关于巡察整改情况的通报",
        "根据县委统一部署，县委第二巡察组对某局党组进行了巡察。",
        "一、整改工作情况",
    ]
    for label in ("新闻推荐", "相关阅读", "【猜你喜欢】", "一周热门", "推荐阅读："):
        for under in (
            [],
            ["人在旅途"],
            ["某市新闻，讲述家乡的故事。", "第二轮督察整改方案全部公开", "猜你喜欢"],
        ):
            cleaned = remove_noise([*report, label, *under])
            assert cleaned.lines == report, (label, under)
            assert cleaned.dropped == [label, *under]
    long_tail = [*report, "相关阅读", *[f"（{n}）整改措施。" + "对照问题逐项整改，" * 12 for n in "一二三"]]
    assert remove_noise(long_tail).lines == long_tail
    many = [*report, "相关新闻", *[f"第{i}条新闻" for i in range(8)]]
    assert remove_noise(many).lines == many  # more lines than a box of links holds


def test_the_short_editor_key_is_page_chrome():
    """``责编：郭惠红`` (the short form of 责任编辑) under a news headline with the source and date, and
    alone at the page's foot: chrome."""
    lines = [
        "苏州市委开展提级巡察回头看",
        "来源:太仓日报",
        "责编:郭惠红",
        "时间:2020-10-12",
        "日前，市委巡察组开展巡察。",
        "责编：郭惠红",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.lines == ["苏州市委开展提级巡察回头看", "日前，市委巡察组开展巡察。"]
    assert is_watermark("责编：郭惠红") and not is_watermark("责编辑部负责同志参加会议。")


def test_a_forums_pager_is_chrome():
    """``页:`` at a thread's foot with its links (``[1]``, ``[1] [2]``) on the line or under it; a
    bracketed number elsewhere (a note's mark) stays."""
    text = ["省第一生态环境保护督察组向铜陵市转办第十批信访件", "截至4月17日，已全部交办到位。"]
    for pager in (["页:", "[1]"], ["页：[1] [2]"], ["页:", "[1] [2] [3]"]):
        assert remove_noise([*text, *pager]).dropped == pager, pager
    assert remove_noise([*text, "[1]"]).lines == [*text, "[1]"]


def test_a_disclosure_pages_keys_spaced_out_to_one_width_are_its_metadata_keys():
    # 索 引 号 / 标　　题 / 文 号: the keys of a 政府信息公开 block set to one width letter by letter
    lines = [
        "索 引 号：3704120012500007/2025-00288",
        "发布机构：中共某镇委员会",
        "文　　号：无",
        "标 题：中共某镇委员会关于区委巡察整改进展情况的通报",
        "中共某镇委员会关于区委巡察整改进展情况的通报",
        "根据区委统一部署，区委第三巡察组对某镇党委开展了常规巡察。",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.metadata == {
        "索引号": "3704120012500007/2025-00288",
        "发布机构": "中共某镇委员会",
        "文号": "无",
        "标题": "中共某镇委员会关于区委巡察整改进展情况的通报",
    }
    assert cleaned.lines == lines[4:]
    # (a sentence whose words stand apart before a colon names no key: 工 作 要 求：… is text)
    assert remove_noise(["工 作 要 求：加强领导。"]).lines == ["工 作 要 求：加强领导。"]
