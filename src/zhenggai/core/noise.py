"""Noise removal: what a document site, a web page or a page layout adds to a report.

Three kinds of line are taken out of the content, each listed in ``dropped``:

- watermarks and advertising of document sites (QQ numbers, 仅供学习/禁止外传, 会员资料 …),
  page chrome of web pages (navigation bars, 当前位置, 上一篇/下一篇, 版权所有 …), file names,
  and page numbers (``— 3 —``, ``第 3 页 共 9 页``);
- the block of file metadata that government web pages print above a document
  (索引号, 发布机构, 成文日期 …) and the 发布时间/来源 line: kept in ``metadata``, not as content;
- everything above the document's title when a title is found (a site's header block);
- a numbered line or a long sentence printed twice in a row (a copy's slip);
- a line printed many times through the document that carries nothing of a report (a watermark);
- a box of links to other items at the page's foot (新闻推荐, 相关阅读, 猜你喜欢 … and what is under it).

Rules name kinds of noise, never a document or a site.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from zhenggai.core.lazy_re import lazy
from zhenggai.core.numbering import parse_label

# Tokens that never occur in a report's own text. Matched anywhere in a line.
# Each alternative of these patterns opens with a literal character (开通会员|加入会员, not
# (?:开通|加入)会员): the engine then skips to the characters that can start a match instead of
# trying every alternative at every position of the line, some six times faster.
_WATERMARK = lazy(
    r"QQ(?:群|号)?[\s:：号]*\d{5,}|仅供(?:学习|参考|内部)(?:交流|使用)?|禁止外传|严禁外传|用后删除|请勿外传|"
    r"会员(?:资料|群|材料|权益|专享|免费|下载)|开通会员|加入会员|成为会员|充值会员|免费QQ群|微信号[:：]|"
    r"本文(?:由|来自)\S{0,12}(?:整理|收集|分享)|资料(?:由|来自)\S{0,12}(?:整理|收集|分享)|"
    r"版权归\S{0,6}(?:所有|作者)|侵权\S{0,6}删除|"
    r"扫码\S{0,4}关注|扫描二维码\S{0,4}关注|长按识别\S{0,4}关注|关注(?:微信)?公众号|公众号[:：]|"
    # (a document-sharing site's notes under the file: 1. 本站不保证下载资源的准确性… 2. 本站所有资源…)
    r"本站不保证|本站所有资源|下载资源"
)
# Advertising words that a report may use in another sense: matched on short lines only.
_ADVERT = lazy(
    r"倒卖|立享|订阅|会员群|付费|下载券|文库|原创力|咨询(?:微信|电话)?[:：]?\s*\d{5,}|用户上传|"
    r"获取更多|下载更多|查看更多|更多(?:资料|范文|精彩|内容|文章)|范文网|素材网|资料网|公文网"
)
# Page chrome of web pages: matched on short lines only. What it says anywhere in the line…
_CHROME = lazy(
    r"上一篇[:：]?|下一篇[:：]?|版权所有|技术支持[:：]|"
    r"打印本页|关闭窗口|字体[:：]?\s*[【\[]?大|字号[:：]\s*大|扫一扫|分享到[:：]?|返回顶部|责任编辑[:：]|责编[:：]|"
    r"网站地图|ICP备|公网安备|网站标识码|欢迎(?:来到|访问|光临)"
)
# Any word of the three patterns above, a word _CHROME_START below needs, or a separator of a
# navigation bar: most lines hold none, and one scan for all of them tells (every alternative opens
# with a literal, which the engine scans for).
_NOISE_WORD = lazy(
    f"{_WATERMARK.pattern}|{_ADVERT.pattern}|{_CHROME.pattern}|位置|打印|关闭|首[页頁]|分享|朗读|听新闻|语音播报|举报|下载提示|\\||｜|丨"
)
# … and what chrome says at the start of the line (matched there, with ``match``).
# (分享： alone, its icons lost in the copy; 打印　关闭, the two links of a page's foot; 朗读 alone)
_CHROME_START = lazy(
    r"[您当當前所在现現的]{0,6}位置[:：]|【?打印】?$|【?关闭】?$|首[页頁]\s*[>＞]|分享[:：]?[\s\u3000]*$"
    r"|打印[\s\u3000|｜/／]*关闭[\s\u3000]*$"
    # (a page's read-aloud button: 朗读, 【听新闻】, 语音播报)
    r"|【?朗读】?$|【?听新闻】?$|【?语音播报】?$"
    # (a page's report-abuse button alone: 举报; a separator left alone of a bar or a table's frame: |)
    r"|【?举报】?$|[|｜丨][\s\u3000|｜丨]*$"
    # (the heading of a document-sharing site's notes: 下载提示)
    r"|下载提示[\s\u3000]*$"
)
# (第3页 共9页, in traditional writing 第3頁 共9頁)
_PAGE_NUMBER = lazy(
    r"^[\s\u3000]*(?:[—–\-－─]{1,2}[\s\u3000]*\d{1,4}[\s\u3000]*[—–\-－─]{1,2}|第[\s\u3000]*\d{1,4}[\s\u3000]*[页頁]"
    r"(?:[\s\u3000]*[,，/]?[\s\u3000]*共[\s\u3000]*\d{1,4}[\s\u3000]*[页頁])?|\d{1,4}[\s\u3000]*/[\s\u3000]*\d{1,4}|"
    r"[Pp]age[\s\u3000]*\d{1,4}(?:[\s\u3000]*of[\s\u3000]*\d{1,4})?)[\s\u3000]*$"
)
# (an image's file name too, the caption a copy keeps of a photo: 微信图片_20240119112915.jpg)
_FILENAME = lazy(
    r"^[^\s/\\]{1,80}\.(?:pdf|docx?|xlsx?|wps|et|txt|ofd|html?|jpe?g|png|gif|bmp|webp)$", re.IGNORECASE
)
_NAV_SEP = lazy(r"[|｜丨]")
_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "txt", "ofd", "htm", "html"}
    | {"jpg", "jpeg", "png", "gif", "bmp", "webp"}
)

# Web page metadata. Keys of the government-site block and of the 发布时间/来源 line.
META_KEYS = (
    "信息索引号",
    "索引号",
    "发布机构",
    "发文机关",
    "发文单位",
    "成文日期",
    "发文日期",
    "发布日期",
    "文件名称",
    "标题",
    "名称",
    "公开方式",
    "公开范围",
    "公开时限",
    "主题分类",
    "体裁分类",
    "组配分类",
    "服务对象分类",
    "发文字号",
    "文号",
    "有效性",
    "生成日期",
    "信息来源",
    "文章来源",
    "来源",
    "发布时间",
    "发表时间",
    "责任编辑",
    "责编",
    "浏览量",
    "浏览次数",
    "点击数",
    "点击量",
    "访问量",
    "作者",
    "日期",
    "时间",
    "所属机构",
    "关键词",
    "主题词",
    "信息分类",
    "公开类别",
)
_META_KEY = "|".join(sorted(META_KEYS, key=len, reverse=True))
# A news page's dateline: the date (and time) the item went out, then its source or author
# (2017年08月31日 08:19:28  来源:中国新闻网 / 2020-01-17 08:22 来源：新华网).
DATELINE = lazy(
    r"^[\s\u3000]*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[\s\u3000]*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
    rf"[\s\u3000]*(?:{_META_KEY}|字号)[\s\u3000]*[:：]"
)
# … or a release line that holds the key of its time (发布时间：2024-11-24 04:24:16 来源：…,
# 来源：某县纪委监委 发布时间：2024-12-14 09:33).
_RELEASE_TIME = lazy(r"(?:发布|发表|更新)(?:时间|日期)[\s\u3000]*[:：][\s\u3000]*\d{4}[-/.年]\d{1,2}")
_META_ALONE = lazy(rf"^[\s\u3000•·●▪◆■]*({_META_KEY})[\s\u3000]*[:：][\s\u3000]*(.*)$")
# What such a line opens with: a key's first character, or the white space and bullets before it.
_META_ALONE_FIRST = frozenset(key[0] for key in META_KEYS) | frozenset("•·●▪◆■")


def _meta_alone(line: str) -> re.Match[str] | None:
    """``_META_ALONE.match(line)``, tested first by the line's first character (most lines open
    with none a key does) and its colon."""
    first = line[:1]
    if first not in _META_ALONE_FIRST and not first.isspace():
        return None
    if "：" not in line and ":" not in line:
        return None
    found = _META_ALONE.match(line)
    if found is None and (spaced := _SPACED_KEY.match(line)):
        # 索 引 号：… / 标　　题：… (a disclosure page's keys spaced out to one width): the key's letters
        key = spaced.group(1)
        found = _META_ALONE.match(line[: spaced.start(1)] + "".join(key.split()) + line[spaced.end(1) :])
    return found


# A key spaced out letter by letter, before its colon.
_SPACED_KEY = lazy(r"[\s\u3000]*([\u4e00-\u9fff](?:[ \u3000]{1,4}[\u4e00-\u9fff]){1,5})[ \u3000]*[:：]")


_META_INLINE = lazy(rf"(?<![\u4e00-\u9fff])({_META_KEY})[\s\u3000]*[:：]")
_DATETIME = lazy(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[\s\u3000]+\d{1,2}:\d{2}(?::\d{2})?)?")
# Keys that only ever appear in page chrome, never as a field of a report.
_CHROME_KEYS = (
    "发布时间",
    "发表时间",
    "发布日期",
    "信息来源",
    "文章来源",
    "来源",
    "责任编辑",
    "责编",
    "浏览量",
    "浏览次数",
    "点击数",
    "点击量",
    "访问量",
    "作者",
)

# A key of a release line with its colon: chrome_metadata reads a line only if it holds one (its
# keys must include one of these, and this pattern, whose every alternative opens with a literal,
# finds them at once where _META_INLINE looks behind every character first).
_CHROME_KEY = lazy("(?:" + "|".join((*_CHROME_KEYS, "日期", "时间")) + r")[\s\u3000]*[:：]")

BULLETS = "•·●▪◆■►▶◇□"
BLANKS = " \t\u3000\xa0"  # what strip_bullet strips around a line and its bullet

# A line printed many times through a document that says nothing of a report: a site's watermark
# set between its paragraphs. A report repeats its field lines (整改措施：, 责任单位：…, 已完成), unit
# names and dates, never a sentence of its own: those are kept.
REPEATED = 3
# A line of this length printed twice in a row is a copy's slip: a report never says it twice.
COPIED_SENTENCE = 16
_GENRE_WORD = lazy(
    r"整改|问题|措施|责任|时限|期限|完成|落实|推进|巡视|巡察|审计|督察|督查|检查|反馈|单位|部门|领导|牵头|"
    r"配合|办结|销号|长期|坚持|正在|进展|成效|报告|通报|情况|任务|目标|要求"
)
_UNIT_END = lazy(
    r"(?:局|委|办|厅|室|部|处|科|院|所|组|队|站|中心|公司|集团|党组|支部|政府|街道|社区|村|镇|乡|县|区|市|省)$"
)
_HAS_DATE = lazy(r"\d\s*[年月日]|\d{4}[-/.]\d{1,2}")


@dataclass
class Cleaned:
    lines: list[str]
    dropped: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    # where the page's dateline stood among ``lines`` (the index of the line after it), when one
    # was dropped: a news item's headline is the line above it
    dateline: int | None = None


# … and it ends in a digit, a dash or 页 (tested first: most lines end otherwise).
_PAGE_NUMBER_ENDS = frozenset("—–-－─页頁")


def is_page_number(line: str) -> bool:
    last = line.rstrip()[-1:]
    if not last or (last not in _PAGE_NUMBER_ENDS and not last.isdigit()):
        return False
    return bool(_PAGE_NUMBER.match(line))


def is_watermark(line: str) -> bool:
    """A line that is a document site's watermark or advertisement, or page chrome."""
    stripped = line.strip()
    if len(stripped) > 100:
        return False  # a long line is content; cut_inline_watermarks takes out what is glued to it
    words = _NOISE_WORD.search(stripped) is not None
    return (words and _WATERMARK.search(stripped) is not None) or _chrome_or_advert(stripped, words)


def _no_token_watermark(line: str, words: bool) -> bool:
    """:func:`is_watermark` for a line known to hold none of the watermark tokens; ``words``:
    whether it holds any word of the watermark, chrome or advertising patterns."""
    stripped = line.strip()
    return len(stripped) <= 100 and _chrome_or_advert(stripped, words)


def _chrome_or_advert(stripped: str, words: bool = True) -> bool:
    """The tests of :func:`is_watermark` past its watermark tokens; a line that holds no word of
    _NOISE_WORD (``words`` false) needs only those that do not look for words."""
    if (
        words
        and len(stripped) <= 80
        and (_CHROME_START.match(stripped) or _CHROME.search(stripped) or _ADVERT.search(stripped))
    ):
        return True
    if stripped.rpartition(".")[2].casefold() in _EXTENSIONS and _FILENAME.match(stripped):
        return True  # (a file name ends with its extension after a ".": tested first, in a set)
    return words and len(stripped) <= 120 and _is_navigation(stripped)


def _is_chrome(stripped: str) -> bool:
    return _CHROME.search(stripped) is not None or _CHROME_START.match(stripped) is not None


def _is_navigation(stripped: str) -> bool:
    """Navigation bars: several short items between separators (首页 | 集团概况 | 新闻中心 …)."""
    if stripped.count("|") + stripped.count("｜") + stripped.count("丨") < 3:  # _NAV_SEP, counted
        return False
    items = [s.strip() for s in _NAV_SEP.split(stripped) if s.strip()]
    return bool(items) and all(len(item) <= 8 for item in items)


# A breadcrumb opens with where the page stands (当前位置：…, 首页 > …); a bar's items are short.
# (您的位置：, 当前位置：, 您当前所在位置：, 您现在的位置：, 當前位置：, 首頁 > …)
_BREADCRUMB = lazy(r"[您当當前所在现現的]{0,6}位置[:：]|首[页頁]\s*[>＞»]")
_BAR_SEP = lazy(r"[|｜丨>＞»]+")
BAR_ITEM = 8  # characters of a navigation bar's or breadcrumb's item at most (首页, 政务公开 …)


def is_bar(line: str) -> bool:
    """A navigation bar (首页 | 政务公开 | …) or a breadcrumb (您现在的位置：首页 > 政务公开 > …)."""
    stripped = line.strip()
    return len(stripped) <= 120 and (_BREADCRUMB.match(stripped) is not None or _is_navigation(stripped))


def rest_of_bar(line: str) -> bool:
    """Whether ``line`` can be the rest of a navigation bar or breadcrumb cut at a page's width: its
    items, between the bar's separators, are no longer than a bar's (互动交 | 流, 督察 | 整改 > 正文).
    A line of text as long as the page is not: a bar that happens to end at the width is followed
    by the page's own text (the report's title)."""
    return all(len(item.strip()) <= BAR_ITEM for item in bar_items(line))


def bar_items(line: str) -> list[str]:
    """The items of a navigation bar or breadcrumb, between its separators (unstripped)."""
    return _BAR_SEP.split(line.strip())


def is_page_chrome(line: str) -> bool:
    """A line of a web page's chrome (navigation bar, 当前位置, 上一篇, 版权所有 …): it stands above
    or below the report, never inside a paragraph (a watermark may)."""
    stripped = line.strip()
    if len(stripped) > 80:
        return False
    return _is_chrome(stripped) or _is_navigation(stripped)


# The last character of each key of _CHROME_KEY, which stands before its colon (white space between).
_CHROME_KEY_ENDS = frozenset("间期源辑编量数者")
# … as a pattern (it opens with their class, which the engine scans for; \s is what str.isspace tells)
_CHROME_KEY_END = lazy("[" + "".join(sorted(_CHROME_KEY_ENDS)) + r"]\s*[:：]")


def _chrome_key_before_colon(line: str) -> bool:
    """Whether a colon of ``line`` follows the last character of a key of _CHROME_KEY (a quick test
    before the pattern, which would try each of the keys' first characters along the line)."""
    if line[:1] not in ("：", ":"):
        return _CHROME_KEY_END.search(line) is not None  # (one scan, not a Python step a colon)
    # A line that opens with a colon: the colons of that kind after it are not looked at.
    for colon in ("：", ":"):
        at = line.find(colon)
        while at > 0:
            before = at - 1
            while before > 0 and line[before].isspace():
                before -= 1
            if line[before] in _CHROME_KEY_ENDS:
                return True
            at = line.find(colon, at + 1)
    return False


# A pronunciation a mirror site prints after a character: 關(guān)于, 衛(wèi)生, 来（lái）源.
_READING = lazy(r"(?<=[\u4e00-\u9fff])[（(][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,4}[）)]")


def strip_readings(text: str | None) -> str | None:
    """The text without the pinyin readings some mirror sites print after characters."""
    if not text or ("（" not in text and "(" not in text):
        return text  # a reading stands in brackets
    return _READING.sub("", text)


def chrome_metadata(line: str) -> dict[str, str] | None:
    """Fields of a web page's 发布时间/来源 line, or None when ``line`` is not one."""
    if not _chrome_key_before_colon(line) or _CHROME_KEY.search(line) is None:
        return None  # none of the keys that make a release line (a quick test: most lines have none)
    stripped = line.strip()
    if len(stripped) > 160 or parse_label(stripped):
        return None
    keys = [m for m in _META_INLINE.finditer(stripped)]
    if not keys or not any(m.group(1) in _CHROME_KEYS or m.group(1) in ("日期", "时间") for m in keys):
        return None
    if len(keys) < 2 and not _DATETIME.search(stripped):
        return None
    out: dict[str, str] = {}
    head = stripped[: keys[0].start()].strip()
    if head:
        out["页眉"] = head
    for i, match in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(stripped)
        out[match.group(1)] = stripped[match.end() : end].strip(" \u3000")
    return out


# A document's heading ends in its kind (…整改情况的报告, …公示(第三十一批)); a page's header before
# its release line is a site's name or a date.
_TITLE_HEAD = lazy(
    r"(?:报告|通报|公告|公示|通知|说明|情况|方案|清单|台账|意见|决定|汇报)(?:[（(]第[^（）()]{1,6}[）)])?$"
)
TITLE_HEAD = 10  # characters of such a heading at least (more than a column's name)


def ends_as_title(text: str) -> bool:
    """Whether ``text`` ends as a document's heading does: in its kind (…的报告, …的公示, …公示(第三十一批))."""
    return _TITLE_HEAD.search(text) is not None


def title_before_release(line: str) -> tuple[str, str] | None:
    """The document's heading and the page's release line after it, when ``line`` glues them
    (…整改情况的报告 发布时间：… 来源：…; a title as long as the wrap width re-joined with the line
    under it, or a page flattened into one line): the text before the first key is a heading in the
    shape of a document's title, with no date in it. None otherwise."""
    key = _CHROME_KEY.search(line) if len(line) <= 200 else None  # (glued: 报告发布时间：)
    if key is None or key.start() < TITLE_HEAD:
        return None
    head = line[: key.start()].rstrip(" \u3000|｜丨")
    start = key.start()
    if (dated := _RELEASE_DATE_END.search(head)) is not None:
        # …公示（第二批）2025-04-07 09:12　来源：…: the release date printed without its key
        head, start = head[: dated.start()].rstrip(" \u3000|｜丨"), dated.start()
    if len(head) < TITLE_HEAD or _HAS_DATE.search(head) or not _TITLE_HEAD.search(head):
        return None
    return head, line[start:]


# A release date (and time) without its key at the end of a heading glued to the page's release line.
_RELEASE_DATE_END = lazy(
    r"(?<![\d\-/.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[\s\u3000]+\d{1,2}:\d{2}(?::\d{2})?)?[\s\u3000]*$"
)


def repeated_noise(lines: list[str]) -> frozenset[str]:
    """Lines (stripped) printed at least ``REPEATED`` times that carry nothing of a report."""
    stripped = list(map(str.strip, lines))
    if len(stripped) - len(set(stripped)) < REPEATED - 1:
        return frozenset()  # (most texts: no line comes back often enough, as a set of them tells)
    counts = Counter(stripped)
    return frozenset(
        line for line, count in counts.items() if count >= REPEATED and line and _says_nothing(line)
    )


def _says_nothing(line: str) -> bool:
    return (
        6 <= len(line) <= 60
        and parse_label(line) is None
        and _GENRE_WORD.search(line) is None
        and _UNIT_END.search(line) is None
        and _HAS_DATE.search(line) is None
    )


def strip_bullet(line: str) -> str:
    stripped = line.strip(BLANKS)
    if stripped[:1] and stripped[0] in BULLETS:
        stripped = stripped[1:].strip(BLANKS)
    return stripped


def _noise_words(lines: list[str]) -> list[bool | None]:
    """For each line, whether it holds a word of _NOISE_WORD, found in one scan of the text (not one
    a line; the pattern has no anchor and no look-around, so a line holds a match exactly when one
    of the text's matches lies within it); None for a line a match runs into from another (a word
    spread over a line end, or a space), which is searched by itself."""
    marks: list[bool | None] = [False] * len(lines)
    ends: list[int] = []  # each line's end, its line break (counted at the first match: most texts have none)
    for match in _NOISE_WORD.finditer("\n".join(lines)):
        if not ends:
            ends = list(accumulate(len(line) + 1 for line in lines))
        first = bisect_right(ends, match.start())
        last = bisect_right(ends, match.end() - 1)
        if first == last:
            marks[first] = True
        else:
            for index in range(first, min(last, len(lines) - 1) + 1):
                marks[index] = None
    return marks


# The report's first sentence glued to a metadata line's value (来源:某某日报4月17日,省督察组…): it
# opens with the day of the news or the paper's lead.
_GLUED_OPENING = lazy(
    r"(?<=[^\d\s:：])(?:\d{1,2}月\d{1,2}日(?:上午|下午|晚上?)?[，,]|本报讯|本网讯|近日[，,]|日前[，,])"
)


def glued_opening(line: str) -> tuple[str, str] | None:
    """The metadata and the report's text of a metadata line that runs on into the report's first
    sentence (``来源:铜陵新闻网—铜陵日报4月17日,安徽省第一生态环境保护督察组向我市转办…。``), or None."""
    found = _GLUED_OPENING.search(line) if "。" in line else None
    if found is None or "。" not in line[found.start() :]:
        return None
    return line[: found.start()].rstrip(" \u3000"), line[found.start() :]


# A forum's pager at the foot of a thread: 页: [1] [2], its links on the line or under it.
_PAGER = lazy(r"^页[\s\u3000]*[:：][\s\u3000]*(?:\[\d{1,3}\][\s\u3000]*)*$")
_PAGE_LINKS = lazy(r"^(?:\[\d{1,3}\][\s\u3000]*)+$")


# A page's box of links to other items, under the article: its label alone on a line.
_RELATED = lazy(
    r"^[\s\u3000【\[]*(?:新闻推荐|推荐阅读|相关阅读|相关新闻|相关文章|相关链接|延伸阅读|猜你喜欢|热点推荐|热门推荐"
    r"|一周热门|热门文章|最新消息|精彩推荐|网友评论|发表评论|我要评论)[\s\u3000】\]]*[:：]?$"
)
RELATED_TAIL = 6  # lines under such a label at most (a few links' titles, the site's blurb)


def _related_footer(lines: list[str]) -> int:
    """Where the box of links to other items starts (its label near the end of the page, under it
    only short lines: the links' titles), or ``len(lines)`` when there is none."""
    n = len(lines)
    for k in range(max(0, n - RELATED_TAIL - 1), n):
        if _RELATED.match(lines[k]) and all(len(line) <= 100 for line in lines[k + 1 :]):
            return k
    return n


# A page's release date and time alone on a line: 2024-09-20 15:24, 2022/04/18 07:10:00.
_BARE_DATETIME = lazy(
    r"^[\s\u3000]*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[\s\u3000]+\d{1,2}:\d{2}(?::\d{2})?[\s\u3000]*$"
)


def remove_noise(lines: list[str]) -> Cleaned:
    """Take watermark, chrome and metadata lines out of ``lines`` (already stripped, blanks removed)."""
    out = Cleaned(lines=[])
    footer = _related_footer(lines)
    lines, related = lines[:footer], lines[footer:]  # (a copy: a glued line is split in it below)
    repeated = repeated_noise(lines)
    noise_words = _noise_words(lines)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line in repeated:
            out.dropped.append(line)
            i += 1
            continue
        if line[:1] in "页[" and (
            _PAGER.match(line) or (out.dropped and _PAGER.match(out.dropped[-1]) and _PAGE_LINKS.match(line))
        ):
            out.dropped.append(line)  # a forum's pager: 页: with the pages' links [1] [2] under it
            i += 1
            continue
        tokens_looked_for = True  # whether the line, as it is now, holds no watermark token
        words = noise_words[i]
        if words is None:
            words = _NOISE_WORD.search(line) is not None
        if words and _WATERMARK.search(line):
            # Keep the report's own sentences when a watermark is glued to them.
            tokens_looked_for = False
            cut: list[str] = []
            kept = cut_inline_watermarks(line, cut)
            if kept and kept.endswith(tuple("。！？!?；;")) and not _ADVERT.search(kept):
                out.dropped.extend(cut)
                line = kept
            else:
                out.dropped.append(line)
                i += 1
                continue
        # A line found above to hold no watermark token needs only the rest of is_watermark's tests,
        # and one with no noise word only its file-name test (which needs a ".").
        if not tokens_looked_for:
            watermark = is_watermark(line)
        elif words or "." in line:
            watermark = _no_token_watermark(line, words)
        else:
            watermark = False
        colon = "：" in line or ":" in line  # a key of the metadata, or of a release line, has one
        last = line.rstrip()[-1:]  # (is_page_number's first test, written out)
        if watermark or ((last in _PAGE_NUMBER_ENDS or last.isdigit()) and is_page_number(line)):
            glued = title_before_release(line) if watermark and colon else None
            if glued is not None:  # …的报告 发布时间：… 责任编辑：…: the heading is the report's
                out.lines.append(glued[0])
                line = glued[1]
                out.metadata.update(
                    (k, v) for k, v in (chrome_metadata(line) or {}).items() if k not in out.metadata
                )
            out.dropped.append(line)
            i += 1
            continue
        alone = _meta_alone(line) if colon else None
        if alone and _is_block_key(alone.group(1), lines, i):
            key, value = alone.group(1), alone.group(2).strip()
            out.dropped.append(line)
            if not value and i + 1 < n and not _meta_alone(lines[i + 1]) and _value_like(key, lines[i + 1]):
                value = strip_bullet(lines[i + 1])
                out.dropped.append(lines[i + 1])
                i += 1
            out.metadata.setdefault(key, value)
            i += 1
            continue
        # (a mirror's readings inside the keys, 来（lái）源：… 发（fā）布时（shí）间：…, hide none of them)
        plain = (strip_readings(line) or line) if colon else line
        chrome = chrome_metadata(plain) if colon else None
        if chrome is not None and (glued := glued_opening(line)) is not None:
            line, text = glued  # 作者：… 来源：某某日报4月17日，…: the report's text goes on after the source
            chrome = chrome_metadata(line) or {}
            lines.insert(i + 1, text)
            noise_words.insert(i + 1, None)
            n += 1
        if chrome is not None:
            if out.dateline is None and (DATELINE.match(plain) or _RELEASE_TIME.search(plain)):
                out.dateline = len(out.lines)
            glued = title_before_release(line) if "页眉" in chrome else None
            if glued is not None:  # the page's header is the report's heading: it stays in the text
                out.lines.append(glued[0])
                line = glued[1]
                chrome = chrome_metadata(line) or {k: v for k, v in chrome.items() if k != "页眉"}
            out.dropped.append(line)
            for key, value in chrome.items():
                out.metadata.setdefault(key, value)
            i += 1
            if i < n and _chrome_tail(line, lines[i]):
                tail = lines[i]  # …阅读次 / 数：: the line's end, wrapped at a fixed width
                while i < n and lines[i] == tail:  # (and printed twice, a copy's slip)
                    out.dropped.append(tail)
                    i += 1
            continue
        if line[:1].isdigit() and (stamp := _BARE_DATETIME.match(line)):
            # 2024-09-20 15:24 alone: the page's release time (no report prints a time of day)
            out.dropped.append(line)
            out.metadata.setdefault("日期", stamp.group(1))
            i += 1
            continue
        if out.lines and line == out.lines[-1] and _is_copied_twice(line):
            out.dropped.append(line)
            i += 1
            continue
        out.lines.append(line)
        i += 1
    out.dropped.extend(related)
    return out


def _chrome_tail(line: str, after: str) -> bool:
    """Whether ``after`` is the end of the metadata line ``line``, wrapped onto a line of its own as
    text copied out at a fixed width prints it (``…　　阅读次`` then ``数：``): a few characters that
    say nothing alone and complete a key of the line (not 关于 under ``来源：本站``)."""
    tail = after.strip()
    if not 0 < len(tail) <= 4 or parse_label(tail) is not None or chrome_metadata(tail) is not None:
        return False
    # (the tail completes a key, 数：, or the line joined with it holds more fields than alone)
    joined = chrome_metadata(line + tail)
    return joined is not None and (
        tail.endswith(("：", ":")) or len(joined) > len(chrome_metadata(line) or ())
    )


_COUNTERS = ("浏览量", "浏览次数", "点击数", "点击量", "访问量")


def _value_like(key: str, line: str) -> bool:
    """Whether the line under an empty ``key：`` can be its value: a counter's is a number, any
    other's is no sentence of the report (an empty 点击数：/浏览量： is followed by the text)."""
    stripped = line.strip()
    if key in _COUNTERS:
        return bool(re.fullmatch(r"[\d,，\s]+", stripped))
    return len(stripped) <= 80 and not re.search(r"[，,。！？!?；;]", stripped)


def _is_copied_twice(line: str) -> bool:
    """Whether a line that repeats the one before it is a copying slip: a numbered item (一、 1.
    （一） …) long enough to say something (two items of one list never read the same), or a
    sentence long enough that a report never says it twice in a row."""
    return (len(line) >= 8 and parse_label(line) is not None) or len(line) >= COPIED_SENTENCE


def _is_block_key(key: str, lines: list[str], i: int) -> bool:
    """A ``key:`` line belongs to a metadata block when a neighbouring line is one too.

    A lone ``日期：`` or ``来源：`` may be a report's own field; a run of them is a page's block.
    """
    for j in (i - 2, i - 1, i + 1, i + 2, i + 3):
        if 0 <= j < len(lines) and j != i and _meta_alone(lines[j]):
            return True
    return key in ("信息索引号", "索引号", "发布机构", "成文日期", "公开方式", "主题分类", "发文字号")


def cut_inline_watermarks(line: str, dropped: list[str]) -> str:
    """Remove a watermark sentence fragment glued to real text (``…措施。酷乐文行整理，咨询QQ123456``)."""
    if not _WATERMARK.search(line):
        return line
    parts = re.split(r"(?<=[。！？!?；;])", line)
    kept = []
    for part in parts:
        if _WATERMARK.search(part):
            dropped.append(part.strip())
        else:
            kept.append(part)
    return "".join(kept).strip()
