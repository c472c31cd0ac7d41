"""The title over the genre's shapes of titles and the chrome that web pages print around them.

Each title shape (an issuer and 关于…的报告/通报/公示, a place and 贯彻落实…整改情况, an audit's
关于…的报告) is printed on one line, with its issuer on a line of its own above 关于, or wrapped
after 关于; above it stands what a site prints (a breadcrumb, a column label, a metadata block, a
repost or column tag, the page's own title with its site's name). Every combination must give the
title itself.
"""

from __future__ import annotations

import itertools

import pytest

from zhenggai.core.parse import parse_document

TITLES = [
    "中共青石县财政局党组关于县委第二轮巡察反馈意见整改进展情况的通报",
    "关于省委第三巡视组巡视反馈意见整改情况的报告",
    "青石镇党委关于巡察整改情况的公示",
    "中共澜江能源投资集团有限公司委员会关于巡视整改进展情况的通报",
    "关于2024年度预算执行审计发现问题整改情况的报告",
    "石川市贯彻落实省第二生态环境保护督察反馈意见整改情况",
    "中共青石县委关于十四届省委第三轮巡视整改进展情况的通报",
    "青石县人民政府关于审计查出问题整改情况的报告",
]
CHROME = [
    "",
    "首页 > 党务公开 > 巡察整改\n",
    "当前位置：首页>>信息公开>>通知公告\n",
    "{title}\n发布时间：2024-09-20 10:21 来源：县财政局 浏览次数：1024\n【字体：大 中 小】【打印】【关闭】\n",
    "发布时间：2024-09-20  来源：本站\n",
    "索引号：11510000-2024-00012\n发布机构：县财政局\n成文日期：2024-09-20\n标题：{title}\n文号：无\n",
    "- 发布时间：2024-09-20\n- 来源：县纪委监委\n",
    "巡察整改\n",
    "【转载】",
    "通知公告 | ",
    "来源：县纪委监委 | 2024-09-20\n",
    "清风青石\n欢迎访问\n",
    # the page's own title with its site's name, over the heading
    "{title}_青石县人民政府\n",
    "{title} - 青石县纪委监委网站\n",
    "{title}-青石县人民政府门户网站\n",
    "{title}\n",
    "您现在的位置： 首页 > 巡察工作 > 整改公示\n",
    "打印本页 | 关闭窗口\n",
    "作者：县财政局　　时间：2024-09-20　　点击数：356\n",
]
BODY = (
    "　　根据县委统一部署，2024年3月13日至5月12日，县委第二巡察组对县财政局党组进行了常规巡察。"
    "2024年6月14日，县委第二巡察组向县财政局党组反馈了巡察意见。现将整改情况予以公布。\n"
    "一、整改工作开展情况\n　　收到反馈意见后，局党组高度重视。\n二、反馈意见整改落实情况\n"
    "（一）落实全面从严治党主体责任不到位的问题\n"
    "　　整改措施：一是召开专题会议研究部署。二是修订完善制度3项。\n　　整改进展：已完成。\n"
)


def _layouts(title: str) -> list[str]:
    printed = [title]
    if "关于" in title:
        at = title.index("关于")
        printed.append(title[: at + 2] + "\n" + title[at + 2 :])  # wrapped after 关于
        if at:
            printed.append(title[:at] + "\n" + title[at:])  # the issuer on its own line
    return printed


@pytest.mark.parametrize("title", TITLES)
def test_every_chrome_and_layout_gives_the_title(title):
    wrong = []
    for chrome, printed in itertools.product(CHROME, _layouts(title)):
        text = chrome.format(title=title) + printed + "\n" + BODY
        got = parse_document(text.encode(), "report.txt").get("title")
        if got != title:
            wrong.append((chrome, printed, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:2]}"


# Chrome whose lines a fixed-width copy cuts: a release line whose last key falls on the next line
# (…阅读次 | 数：), a breadcrumb that ends with the page's own title, cut inside it (the page prints
# the title again under it), a site's bar of links.
WRAPPED_CHROME = [
    "青石县财政局\n集团首页　走进财政　新闻中心　党建工作　信息公开　人才招聘\n当前位置：首页 > 信息公开 > 巡察整改\n"
    "发布日期：2024-10-18　　来源：县财政局办公室　　阅读次数：\n",
    "首页 > 党务公开 > 巡察整改 > {title}\n发布时间：2024-09-20\n",
]


# (a body long enough for its width to show: a copy of a whole report has many full lines)
LONG_BODY = BODY.replace(
    "局党组高度重视。",
    "局党组高度重视，第一时间召开专题会议传达学习反馈意见，成立由党组书记任组长的整改工作领导小组，"
    "对照反馈的3个方面9个问题逐条制定整改措施，明确责任领导、责任科室和完成时限，建立整改台账，"
    "实行销号管理，做到问题不查清不放过、整改不到位不放过、群众不满意不放过。",
)


@pytest.mark.parametrize("width", [24, 28, 36])
@pytest.mark.parametrize("traditional", [False, True], ids=["simplified", "traditional"])
def test_chrome_cut_at_a_fixed_width_leaves_the_title(width, traditional):
    """Text copied out at a fixed width cuts the page's chrome too: the rest of a release line, or of
    a breadcrumb's last item, is chrome, not the title; in traditional characters (首頁 > …) as in
    simplified ones; and when the copy prints the cut-off rest twice."""
    from _mutations import s2t, wrap_line

    convert = s2t() if traditional else (lambda text: text)
    title = TITLES[0]
    wrong = []
    for chrome, twice in itertools.product(WRAPPED_CHROME, (False, True)):
        lines = [
            piece for line in convert(chrome.format(title=title) + title + "\n" + LONG_BODY).split("\n") if line.strip()
            for piece in wrap_line(line, width)
        ]  # fmt: skip
        if twice:  # the copy prints the first short line of the chrome twice
            at = next((i for i, line in enumerate(lines[:8]) if len(line) <= 4), None)
            if at is None:
                continue
            lines.insert(at, lines[at])
        got = parse_document("\n".join(lines).encode(), "report.txt").get("title")
        if got != convert(title):
            wrong.append((chrome[:12], twice, got))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:2]}"
