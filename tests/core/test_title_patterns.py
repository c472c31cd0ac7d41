"""The title is the document's own heading, not a page's metadata, label or speech note."""

from __future__ import annotations

from zhenggai.core.parse import parse_document
from zhenggai.core.titles import clean_title, find_title, genre_title, is_metadata_line


def test_a_bulleted_metadata_block_under_the_title_is_not_content():
    found = find_title(
        [
            "关于巡察整改进展情况的通报",
            "- 发布时间：2024-05-06",
            "· 来源：某某县医保局",
            "根据县委统一部署，……。",
        ]
    )
    assert found.title == "关于巡察整改进展情况的通报"
    assert found.lines == ["根据县委统一部署，……。"]
    assert "- 发布时间：2024-05-06" in found.above


def test_a_metadata_line_above_the_title_is_never_the_title():
    found = find_title(["发布日期 2025-01-02 | 来源：某某县委巡察办", "关于巡察整改情况的通报", "按照……。"])
    assert found.title == "关于巡察整改情况的通报"


def test_metadata_line_shapes():
    assert is_metadata_line("- 发布时间：2024-05-06 10:20")
    assert is_metadata_line("· 来源：某某县审计局")
    assert is_metadata_line("发布日期 2025-01-02 | 来源：某某区政府办")
    assert is_metadata_line("时间：2024-01-02　作者：张三")
    assert not is_metadata_line("关于巡察整改情况的通报")
    assert not is_metadata_line("来源于群众反映的问题，已全部办结。而且……")


def test_a_speech_note_on_the_title_line_is_not_part_of_the_title():
    found = find_title(["关于2024年度审计查出问题整改情况的报告——在市人大常委会会议上", "主任、各位副主任："])
    assert found.title == "关于2024年度审计查出问题整改情况的报告"
    found = find_title(["关于某某县审计整改情况的报告（2024年12月20日在县人大常委会会议上）", "各位委员："])
    assert found.title == "关于某某县审计整改情况的报告"


def test_a_speech_note_on_the_next_line_is_not_joined():
    found = find_title(
        ["关于审计查出问题整改情况的报告", "——2024年12月20日在县人大常委会会议上", "各位委员："]
    )
    assert found.title == "关于审计查出问题整改情况的报告"


def test_a_slogan_title_with_its_genre_subtitle_is_kept_whole():
    found = find_title(["坚持问题导向——某某局巡察整改情况报告", "按照……。"])
    assert found.title == "坚持问题导向——某某局巡察整改情况报告"


def test_a_column_label_above_the_title_is_not_the_title():
    for label in ("通知公告", "巡察整改", "整改公示", "党务公开"):
        found = find_title([label, "关于县委巡察反馈意见整改进展情况的通报", "根据……。"])
        assert found.title == "关于县委巡察反馈意见整改进展情况的通报", label
        assert found.above == [label]


def test_a_repost_tag_is_not_part_of_the_title():
    assert find_title(["【转载】关于巡察整改情况的通报", "正文。"]).title == "关于巡察整改情况的通报"
    found = find_title(["转载", "关于巡察整改情况的通报", "正文。"])
    assert found.title == "关于巡察整改情况的通报"


def test_a_genre_title_below_a_headline_like_label_wins():
    found = find_title(["巡察整改工作专栏", "某某镇党委关于巡察整改进展情况的通报", "按照……。"])
    assert found.title == "某某镇党委关于巡察整改进展情况的通报"


def test_a_title_wrapped_after_its_issuer_is_joined():
    found = find_title(["中共某某县财政局党组", "关于县委巡察反馈意见整改情况的报告", "根据……。"])
    assert found.title == "中共某某县财政局党组关于县委巡察反馈意见整改情况的报告"
    assert found.above == []


def test_a_title_wrapped_after_guanyu_is_joined():
    found = find_title(["关于", "某某局落实巡察反馈意见整改情况的通报", "按照……。"])
    assert found.title == "关于某某局落实巡察反馈意见整改情况的通报"


def test_a_title_wrapped_before_its_genre_word_is_joined():
    assert (
        find_title(["关于某某局巡察整改情况", "的报告", "按照……。"]).title == "关于某某局巡察整改情况的报告"
    )
    found = find_title(["关于2023年度县级预算执行", "和其他财政收支的审计工作报告", "主任："])
    assert found.title == "关于2023年度县级预算执行和其他财政收支的审计工作报告"


def test_a_title_wrapped_over_three_lines_is_joined():
    found = find_title(["中共某某局党组关于落实县委", "第二巡察组反馈意见", "整改进展情况的报告", "根据……。"])
    assert found.title == "中共某某局党组关于落实县委第二巡察组反馈意见整改进展情况的报告"


def test_a_headline_without_genre_word_is_still_a_title_when_nothing_better_comes():
    found = find_title(["首页 > 党务公开", "党务公开", "某某镇召开巡察整改推进会", "近日，……。"])
    assert found.title == "某某镇召开巡察整改推进会"


def test_pinyin_readings_in_the_title_are_left_out():
    found = find_title(["某市人民政府關(guān)于審計調(diào)查發(fā)現(xiàn)問題整改情況的函", "正文。"])
    assert found.title == "某市人民政府關于審計調查發現問題整改情況的函"


def test_a_news_sites_exclaiming_headline_is_not_the_reports_title():
    found = find_title(["行业新闻", "问责12人！某某局通报巡察整改进展", "根据县委统一部署，……。"])
    assert found.title is None


def test_a_genre_word_wrapped_alone_onto_the_next_line_is_joined():
    assert (
        find_title(["关于某局巡察整改进展情况", "报告", "按照……。"]).title == "关于某局巡察整改进展情况报告"
    )
    assert find_title(["关于某局巡察整改情况的报", "告", "按照……。"]).title == "关于某局巡察整改情况的报告"


def test_a_wrapped_preamble_line_is_not_taken_into_the_title():
    found = find_title(
        ["关于某局巡察整改", "根据县委统一部署，县委第二", "巡察组对某局进行了巡察情况", "一、总体情况"]
    )
    assert found.title == "关于某局巡察整改"


def test_a_document_without_title_does_not_take_a_wrapped_preamble_fragment():
    found = find_title(["根据县委统一部署，县委第二", "巡察组对某局进行了巡察情况", "一、总体情况"])
    assert found.title is None


def test_a_headline_with_a_comma_below_a_column_label_is_the_title():
    found = find_title(["通知公告", "27个问题清单曝光,要求限期整改", "8月30日,市创文办发布……。"])
    assert found.title == "27个问题清单曝光,要求限期整改"


def test_a_title_wrapped_at_a_fixed_width_is_joined_to_the_line_above():
    found = find_title(
        ["江北省贯彻落实中央生态环境保护督察“回头看”反馈", "意见整改情况", "2018年10月30日至11月30日，……。"]
    )
    assert found.title == "江北省贯彻落实中央生态环境保护督察“回头看”反馈意见整改情况"
    found = find_title(["区委第三巡察组向某镇党委反馈甲村等23个村(", "社区)党组织巡察情况", "近日，……。"])
    assert found.title == "区委第三巡察组向某镇党委反馈甲村等23个村(社区)党组织巡察情况"


def test_a_wrapped_preamble_is_never_the_title():
    lines = [
        "为贯彻落实全市生态环境保护督察反馈问题专题",
        "会议精神,切实推动督察反馈问题整改",
        "落实到位。近期,……",
    ]
    assert find_title(lines).title is None
    lines = [
        "某县审计局派出审计组于2023年7月对某公司",
        "进行了审计,出具了《某公司审计报告》(某审报〔2023〕5",
        "号),现将整改情况",
    ]
    assert find_title(lines).title is None


def test_a_news_headline_about_a_round_is_the_title():
    lines = [
        "五届市委第三轮巡察完成进驻",
        "作者：某某 来源：市委巡察办 发布时间：23-03-08",
        "根据市委统一部署，……。",
    ]
    assert find_title(lines).title == "五届市委第三轮巡察完成进驻"
    lines = ["某某督察局赴某县开展督察调研工作", "日期：2022-06-20", "近日某某督察局一行来我县调研。"]
    assert find_title(lines).title == "某某督察局赴某县开展督察调研工作"


def test_a_piece_of_a_wrapped_sentence_naming_an_audit_is_no_headline():
    lines = ["某局派出审计组于2023年7月对某公司", "进行了审计，出具了审计报告。"]
    assert find_title(lines).title is None


def test_the_speech_note_and_the_speaker_are_not_the_title():
    lines = [
        "2018年11月22日在某市人大常委会第十六次会议上",
        "市审计局局长 某某某",
        "主任、各位副主任、各位委员：",
    ]
    assert find_title(lines).title is None
    lines = ["某某市某某区审计局局长 某某某", "2023年9月28日", "主任、各位副主任、各位委员："]
    assert find_title(lines).title is None


def test_a_title_glued_to_its_preambles_opening_is_split_off():
    # a title as long as the wrap width, re-joined with the paragraph after it
    found = find_title(
        [
            "中共某某局党组关于区委专项巡察反馈意见整改情况的通报根据区委统一部署，区委第二巡察组对某局党组开展了巡察。",
            "一、整改工作",
        ]
    )
    assert found.title == "中共某某局党组关于区委专项巡察反馈意见整改情况的通报"
    assert found.preamble_head.startswith("根据区委统一部署")


def test_a_title_glued_by_a_comma_to_a_news_lead():
    found = find_title(
        ["某市人民政府关于专项审计调查发现问题整改情况的函,日前,某市人民政府发布了整改情况,详情如下:"]
    )
    assert found.title == "某市人民政府关于专项审计调查发现问题整改情况的函"


def test_a_sentence_opening_with_a_purpose_is_no_glued_title():
    found = find_title(["为进一步推动全市巡察整改落实情况,近日,市委巡察办召开了推进会。"])
    assert found.title is None


def test_a_series_number_after_the_genre_word_keeps_the_genre_shape():
    assert genre_title("中央第三生态环境保护督察组转办信访件查处整改公示(第三十一批)")


def test_a_title_re_joined_with_the_metadata_line_under_it():
    found = find_title(
        [
            "某督察组转办信访件查处整改公示(第三十一批)文章来源:某市环境保护局浏览量:发表时间:2018-12-12 16:52",
            "某督察组进驻某省期间，共向我省转办32批次环境信访举报问题。",
        ]
    )
    assert found.title == "某督察组转办信访件查处整改公示(第三十一批)"


def test_readings_and_metadata_keys_are_looked_for_only_where_their_marks_stand():
    """``_READING`` stands in brackets and ``_META_ANY`` ends with a colon: a text without them is
    passed over, and one with them still reads as before."""
    from zhenggai.core.titles import strip_readings

    assert strip_readings("關(guān)于整改的報告") == "關于整改的報告"
    assert strip_readings("關（guān）于") == "關于"
    assert strip_readings("关于整改情况的报告") == "关于整改情况的报告"
    assert strip_readings("") == "" and strip_readings(None) is None
    assert is_metadata_line("时间：2024-05-06 作者：办公室")
    assert is_metadata_line("时间:2024-05-06 作者:办公室")
    assert not is_metadata_line("本次整改 作者 办公室 来源 网站")


def test_a_lines_tests_are_kept_while_one_document_is_read():
    """``title_like``, ``is_metadata_line``, ``clean_title`` and ``genre_title`` keep their answers
    for the lines of one document (find_title starts afresh): the same answers as asked anew."""
    from zhenggai.core import titles

    lines = ["通知公告", "关于巡察整改进展情况的通报", "- 发布时间：2024-05-06", "根据县委统一部署，……"]
    first = find_title(lines)
    assert first.title == "关于巡察整改进展情况的通报"
    for test in (titles.title_like, titles.is_metadata_line, titles.clean_title, titles.genre_title):
        assert test.cache_info().currsize > 0
        for line in lines:
            assert test(line) == test.__wrapped__(line)
    second = find_title(["关于审计整改情况的报告", "根据审计发现的问题，……"])
    assert second.title == "关于审计整改情况的报告"
    assert titles.clean_title.cache_info().currsize <= 4  # the first document's lines are not kept


def test_a_pronoun_named_page_label_gives_way_to_the_heading_that_names_the_issuer():
    """本公司关于…的公告 over the article: the page's label; the report's heading below names the
    issuer (某某有限公司 / 关于…的公告, joined)."""
    found = find_title(
        [
            "本公司关于审计发现问题整改情况的公告",
            "发布日期：2024-10-18　来源：审计部",
            "某某港务集团有限公司",
            "关于审计发现问题整改情况的公告",
            "根据审计法有关规定，现将整改情况公告如下：",
        ]
    )
    assert found.title == "某某港务集团有限公司关于审计发现问题整改情况的公告"
    assert found.lines == ["根据审计法有关规定，现将整改情况公告如下："]
    only = find_title(["我局关于巡察整改情况的通报", "根据县委统一部署，……。"])
    assert only.title == "我局关于巡察整改情况的通报"


def test_a_title_glued_to_a_release_line_that_opens_with_its_date():
    """A PDF's title as long as the line, re-joined with the release line under it, where the page
    prints the date without its key (``…公示（第二批）2025-04-07 09:12　来源：…``)."""
    title = "石川市贯彻落实第三轮省级生态环境保护督察反馈意见整改落实情况公示（第二批）"
    for release in (
        "2025-04-07 09:12　来源：石川市生态环境局 【打印】【关闭】",
        "2025-04-07　来源：市生态环境局",
    ):
        text = (
            f"{title}{release}\n2024年5月13日至6月13日，省第二生态环境保护督察组对石川市开展了督察。\n"
            "1.城区黑臭水体返黑返臭。\n整改措施：完成管网改造8.6公里。\n整改进展：已完成。\n"
        )
        assert parse_document(text.encode(), "report.txt")["title"] == title


def test_a_title_quoted_as_a_documents_name_or_followed_by_the_pages_date():
    """A page prints the title as a document's name (《…的通报》) or with its list's date glued after
    it (…的通报2024-09-20, …的通报 (2024-09-20)): the title is what stands inside, before the date."""
    title = "中共青石县财政局党组关于县委第二轮巡察反馈意见整改进展情况的通报"
    body = "根据县委统一部署，县委第二巡察组对县财政局党组进行了巡察。\n一、整改情况\n（一）制度不健全的问题\n整改措施：修订制度3项。\n"
    for printed in (
        f"《{title}》",
        f"{title}2024-09-20",
        f"{title} (2024-09-20)",
        f"{title}　2024-09-20 10:21",
    ):
        assert parse_document(f"{printed}\n{body}".encode(), "report.txt")["title"] == title, printed
    # a title that itself ends in a date stays whole
    dated = "青石县2024年第二季度巡察整改情况公示"
    assert parse_document(f"{dated}\n{body}".encode(), "report.txt")["title"] == dated


def test_the_headline_printed_again_under_it_is_chrome():
    """A news page prints its headline again under the first paragraph (a photo's caption), or a
    notice repeats its title with spaces in it: the repeat is dropped, the text around it stays; a
    line that only opens with the title's words is text."""
    title = "中央第三巡视组向中山大学党委反馈专项巡视情况"
    first = "根据中央巡视工作领导小组的部署，2017年6月20日，中央第三巡视组向中山大学党委反馈专项巡视情况。"
    second = "根据中央统一部署，2017年3月4日至4月30日，中央第三巡视组对中山大学党委进行了专项巡视。"
    for repeat in (title, " ".join(title[:6]) + title[6:], "　" + title):
        ledger = parse_document("\n".join([title, first, repeat, second]).encode("utf-8"), "news.txt")
        assert ledger["title"] == title
        assert ["".join(line.split()) for line in ledger["dropped"]] == [title]
        assert ledger["preamble"] is not None and "2017年3月4日" in ledger["preamble"]
        assert ledger["round"]["feedback_date"] == "2017-06-20"
    kept = title + "。会议由党委书记主持。"
    ledger = parse_document("\n".join([title, first, kept]).encode("utf-8"), "news.txt")
    assert ledger["dropped"] == [] and kept in (ledger["preamble"] or "")


def test_a_metadata_line_that_runs_on_into_the_reports_first_sentence():
    """``来源:铜陵新闻网—铜陵日报4月17日,安徽省第一生态环境保护督察组向我市转办…。`` under the title:
    the source goes with the header block, the news from its day (or its 本报讯 / 近日 lead) on is
    the report's text; a metadata line with no sentence after it stays whole."""
    title = "省第一生态环境保护督察组向铜陵市转办第十批信访件"
    news = "安徽省第一生态环境保护督察组向我市转办生态环境保护方面信访件7件，其中来电举报4件。"
    for meta in ("来源:铜陵新闻网—铜陵日报", "来源：铜陵日报", "作者：张三 来源：铜陵日报"):
        for lead in ("4月17日,", "4月17日上午，", "本报讯", "近日，"):
            ledger = parse_document("\n".join([title, meta + lead + news]).encode("utf-8"), "news.txt")
            assert ledger["dropped"] == [meta], (meta, lead)
            assert (ledger["preamble"] or "").startswith(lead), (meta, lead)
    ledger = parse_document(
        "\n".join([title, "来源：铜陵日报", "4月17日，" + news]).encode("utf-8"), "news.txt"
    )
    assert ledger["dropped"] == ["来源：铜陵日报"]


def test_a_colon_headline_over_the_print_editions_headlines_that_restate_it_is_the_title():
    """A news page's headline (主题：副题) above the print edition's own headline lines, which restate
    its opening (中央环保督察组反馈“回头看”…): the page's headline alone, neither joined nor replaced."""
    for headline, kicker in (
        ("中央环保督察组反馈情况：冀蒙宁苏整改仍不到位", "中央环保督察组反馈“回头看”及专项督察情况"),
        ("中央环保督察组反馈情况:冀蒙宁苏整改仍不到位", "中央环保督察组反馈“回头看”及专项督察情况"),
        ("省委巡视组反馈意见：三市整改仍有差距", "省委巡视组反馈意见整改落实情况通报"),
    ):
        for between in ([], ["河北内蒙古宁夏江苏整改仍不到位"]):
            found = find_title(
                [headline, kicker, *between, "本报北京10月18日电 10月17日，督察组分别向甲省、乙省反馈情况。"]
            )
            assert found.title == headline, (headline, between, found.title)
            assert kicker in found.above and found.lines[-1].startswith("本报北京")
    # the whole page: the feedback sentence under the headlines keeps its date
    text = (
        "中央环保督察组反馈情况：冀蒙宁苏整改仍不到位\n2018年10月19日 07:29 | 来源:人民日报\n"
        "中央环保督察组反馈“回头看”及专项督察情况\n河北内蒙古宁夏江苏整改仍不到位\n"
        "本报北京10月18日电 10月17日、18日，中央第一、第二环保督察组分别向河北、江苏反馈“回头看”情况。\n"
    )
    ledger = parse_document(text.encode("utf-8"), "page.txt")
    assert ledger["title"] == "中央环保督察组反馈情况：冀蒙宁苏整改仍不到位"
    assert ledger["round"]["feedback_date"] == "2018-10-17"
    # a genre title under a colon headline that does not restate it is the title, as before
    found = find_title(["专题：巡视整改", "中共某县委关于巡察整改进展情况的通报", "根据县委统一部署，……。"])
    assert found.title == "中共某县委关于巡察整改进展情况的通报"
    # and a wrapped title is still joined
    found = find_title(["关于2018年度市级预算执行", "和其他财政收支的审计工作报告", "主任、各位副主任："])
    assert found.title == "关于2018年度市级预算执行和其他财政收支的审计工作报告"


def test_a_news_items_headline_over_its_dateline_is_the_title_whatever_its_words():
    """A news page prints the item's headline, then its dateline (date, time, source): the line above
    the dateline is the title, though it holds none of the genre's words; a genre title below wins."""
    page = [
        "某某网>>主题教育官方网站",
        "",
        "强化宗旨意识 深植为民情怀——三地巩固扩大主题教育成果",
        "",
        "2020年01月17日08:22 来源:新华网",
        "记者近日在三地采访调研了解到，……。",
    ]
    assert find_title(page).title == "强化宗旨意识 深植为民情怀——三地巩固扩大主题教育成果"
    ledger = parse_document("\n".join(page).encode("utf-8"), "news.txt")  # the dateline dropped as chrome
    assert ledger["title"] == "强化宗旨意识 深植为民情怀——三地巩固扩大主题教育成果"
    below = ["2020-01-17 08:22 来源：新华网", "关于巡察整改进展情况的通报", "根据县委统一部署，……。"]
    assert find_title(["三地巩固扩大主题教育成果", *below]).title == "关于巡察整改进展情况的通报"
    # a line above prose, not above a dateline, is no headline
    assert find_title(["三地巩固扩大成果", "记者近日了解到，……。"]).title is None


def test_a_keyword_label_with_pinyin_readings_and_a_dateline_are_metadata():
    assert is_metadata_line("关(guān)键词:")
    assert is_metadata_line("2017年08月31日 08:19:28  来源:中国新闻网")
    assert is_metadata_line("2020-01-17 08:22 来源：新华网")
    assert not is_metadata_line("2024年3月5日，县委巡察组进驻。")
    found = find_title(
        ["ad9_210*60", "关(guān)键词:", "中管高校晒巡视整改清单:清理校企 规范科研经费", "正文……。"]
    )
    assert found.title == "中管高校晒巡视整改清单:清理校企 规范科研经费"


def test_a_headline_over_its_subtitle_byline_and_dateline_is_the_title():
    page = [
        "某某网>>主题教育官方网站",
        "守初心 担使命 找差距 抓落实·记者观察",
        "以更高标准把问题解决好",
        "——中央第十七指导组主题教育整改落实成果交流会侧记",
        "记者 江 琳",
        "2019年08月23日07:15 来源:人民网-人民日报",
        "“在上个月的整改落实工作推进会上，……。”",
    ]
    assert find_title(page).title == "以更高标准把问题解决好"


def test_a_columns_name_before_a_colon_is_no_part_of_the_title_a_places_is():
    assert clean_title("本级巡察整改:向阳区开展巡察整改专项督查") == "向阳区开展巡察整改专项督查"
    assert clean_title("涞水县:审计局审计整改工作做到“四个告知”") == "涞水县:审计局审计整改工作做到“四个告知”"
    assert clean_title("黑龙江：全面落实督察反馈意见") == "黑龙江：全面落实督察反馈意见"


def test_a_headline_over_a_release_line_that_opens_with_its_key_is_the_title():
    """二十届中央第二轮巡视对象公布 over 发布时间：…　来源：… (the key first, not the date) and the
    dateline in the body: a news page's headline, whatever its words."""
    for release in (
        "发布时间:2024-11-24 04:24:16 来源: sp20241124",
        "来源：某县纪委监委 发布时间：2024-12-14 09:33",
    ):
        text = "\n".join(
            [
                "二十届中央第二轮巡视对象公布",
                "",
                release,
                "",
                "  新华社北京10月10日电  经党中央批准，二十届中央第二轮巡视将对甲部、乙局开展常规巡视。",
            ]
        )
        assert parse_document(text.encode(), "a.txt")["title"] == "二十届中央第二轮巡视对象公布", release


def test_a_mirrors_readings_inside_a_release_line_hide_none_of_its_keys():
    """来（lái）源：… 发（fā）布时（shí）间：2024-12-14 on a mirror site: a release line, dropped, and
    the headline over it is the title."""
    text = "\n".join(
        [
            "对(duì)村巡察丨永春：深化“边巡边改” 提升对(duì)村巡察综合效果",
            "来(lái)源：永春县纪(jì)委监(jiān)委 发(fā)布时(shí)间：2024-12-14 09:33",
            "“以前这一片菜地很不好耕种。”近日，永春县委巡察三组工作人员前往某村回访。",
        ]
    )
    ledger = parse_document(text.encode(), "a.txt")
    assert ledger["title"].endswith("永春：深化“边巡边改” 提升对村巡察综合效果")
    assert any("发(fā)布" in line for line in ledger["dropped"])


def test_a_sharing_sites_document_heading_under_its_description_label_is_the_title():
    """上传人：… 文档编号：… pages, then 资源描述 and the document's own heading (run into its first item
    or not): the heading, not the uploaded file's name; the site's notes (下载提示, 1. 本站不保证…) are
    chrome."""
    for body in (
        [
            "中央第三生态环境保护督察组督察反馈意见长渠市整改进展清单",
            "一、关于“长渠市污水收集管网建设滞后。”",
        ],
        [
            "中央第三生态环境保护督察组督察反馈意见长渠市整改进展清单一、关于“长渠市污水收集管网建设滞后。”"
            + "。" * 90
        ],
    ):
        text = "\n".join(
            [
                "中央生态环境保护督察反馈意见长渠市整改进展清单",
                "上传人:ls****8 文档编号:214370582 上传时间:2025-03-02 格式:DOCX 页数:14",
                "返回 下载 相关 举报",
                "中央生态环境保护督察反馈意见长渠市整改进展清单_第1页",
                "资源描述",
                *body,
                "整改进展情况：已经完成。",
                "下载提示",
                "1. 本站不保证下载资源的准确性、安全性和完整性。",
                "2. 本站所有资源如无特殊说明，都需要本地电脑安装OFFICE2007和PDF阅读器。",
            ]
        )
        ledger = parse_document(text.encode(), "a.txt")
        assert ledger["title"] == "中央第三生态环境保护督察组督察反馈意见长渠市整改进展清单"
        assert ledger["round"]["target"] == "长渠市"
        assert "下载提示" in ledger["dropped"]
        assert [node["label"] for node in ledger["sections"]] == ["一、"]


def test_a_sites_welcome_line_is_chrome_not_the_start_of_the_text():
    """欢迎来到某某博览会？。（某某有限公司）: a page's greeting, its full stop no sentence's end."""
    text = "\n".join(
        [
            "欢迎来到嵩阳国际物流装备博览会？。(恒信展览有限公司)",
            "时政要闻",
            "中共嵩阳市委关于十二届省委第五轮巡视整改进展情况的通报",
            "根据省委统一部署，省委第三巡视组对嵩阳市委开展了常规巡视。",
        ]
    )
    ledger = parse_document(text.encode(), "a.txt")
    assert ledger["title"] == "中共嵩阳市委关于十二届省委第五轮巡视整改进展情况的通报"


def test_a_pages_site_and_column_and_a_sharing_sites_suffix_are_no_title():
    """某某集团官网 - 通知公告 over the report's heading; …的报告 - 文档下载 over it again."""
    assert not find_title(["溧川交投集团官网 - 通知公告", "首页 > 信息公开"]).title
    assert (
        clean_title("某公司关于专项审计反馈问题整改情况的报告 - 文档下载")
        == "某公司关于专项审计反馈问题整改情况的报告"
    )
    text = "\n".join(
        [
            "溧川交投集团官网 - 通知公告",
            "溧川市交通投资集团有限公司关于原主要负责人任期经济责任审计发现问题整改情况的公示",
            "2025年3月10日至5月16日，溧川市审计局对本公司原董事长开展了任期经济责任审计。",
        ]
    )
    assert parse_document(text.encode(), "a.txt")["title"].startswith("溧川市交通投资集团有限公司关于")


def test_a_sharing_sites_description_label_may_be_named_otherwise():
    """…_第1页 captions, then 文档简介 and the document's heading: the heading is the title."""
    text = "\n".join(
        [
            "县医保局党组巡察整改情况报告_第1页",
            "县医保局党组巡察整改情况报告_第2页",
            "文档简介",
            "",
            "中共禾丰县医疗保障局党组关于县委巡察反馈问题整改情况的报告",
            "",
            "根据县委统一部署，县委第二巡察组对县医疗保障局党组开展了常规巡察。",
        ]
    )
    assert (
        parse_document(text.encode(), "a.txt")["title"]
        == "中共禾丰县医疗保障局党组关于县委巡察反馈问题整改情况的报告"
    )
