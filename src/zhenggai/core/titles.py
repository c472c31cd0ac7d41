"""Finding a document's title among its first lines, and what lies above it.

The title is the document's own heading, recognised by its genre (关于…整改情况的报告/通报,
…整改方案, …整改台账, 整改进展情况 …) and its place (before the preamble and the first numbered
line). What a web page or a document site prints around it is not the title:

- a page's metadata lines (``- 发布时间：…``, ``· 来源：…``, ``发布日期 2025-01-02 | 来源：…``);
- an aggregator's labels: a column or category name (通知公告, 巡察整改), a repost tag (【转载】);
- a speech note after the title (``——在…会议上``, ``（2024年…在…会议上）``).

A title wrapped over two or three lines (after 关于, before 的报告, or an issuer line
``中共某某局党组`` above ``关于…的报告``) is put back together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from zhenggai.core.lazy_re import lazy
from zhenggai.core.noise import DATELINE, META_KEYS, glued_opening, strip_readings
from zhenggai.core.numbering import parse_label

_TITLE_WORD = lazy(r"关于|报告|通报|公告|公示|说明|情况|清单|台账|方案|决定|意见|结果|曝光|整改|通知|汇报")
# A news headline about a round names its kind (五届市委第三轮巡察完成进驻, 某督察局赴某县开展调研);
# a piece of a wrapped sentence that names one holds a date or the 对 of its clause
# (某县审计局派出审计组于2023年7月对某公司).
_KIND_WORD = lazy(r"巡视|巡察|督察|督查|审计")
_NOT_HEADLINE = lazy(r"\d[\s\u3000]*[年月日]|对")
_GENRE = r"(?:报告|通报|公告|公示|说明|情况|清单|台账|结果|通知|汇报|方案|函)"
# …公示(第三十一批): the number of a series after the genre word.
_TITLE_END = lazy(_GENRE + r"(?:[（(]第[^（）()]{1,6}[）)])?[）)】]?$")
_NOT_TITLE_END = tuple("。：:；;，,、！!？?")
# Where the preamble starts inside a line that lost its line breaks (text copied from a PDF viewer).
_PROSE_START = lazy(r"(?<=[\s\u3000）)])(?:根据|按照|依据|为深入|为认真|为切实|近日|今年)")
# The same opening glued to the title with no space (a title as long as the wrap width, re-joined
# with the paragraph after it: …整改情况的通报根据区委统一部署，…) or after a comma (…的函,日前,…).
_GLUED_START = lazy(r"(?:根据|按照|依据|为深入|为认真|为切实|近日|日前|今年)")
# How a preamble opens: 根据县委统一部署，… / 按照… / 受市人民政府委托，…
_PREAMBLE_OPENING = lazy(
    r"(?:根据|按照|依据|为深入|为认真|为切实|为进一步|为贯彻|为落实|为推动|为扎实|为全面|近日|日前|"
    r"受[\u4e00-\u9fff]{0,10}委托)"
)
_SERIES = lazy(r"^.*?第[\s\u3000]*\d+[\s\u3000]*号[\s\u3000]*")
_COLUMN_TAG = lazy(r"^([^|｜丨]{1,12})[|｜丨](.+)$")
# A column's name before a colon (本级巡察整改:…, 工作动态：…), not a place (涞水县:…, 黑龙江：…).
_COLON_LABEL = lazy(
    r"^[\u4e00-\u9fff]{0,6}(?:整改|动态|要闻|信息|公告|公示|专栏|聚焦|快讯|纪检)[:：][\s\u3000]*(.{8,})$"
)
# A repost or column tag printed in brackets before the title: 【转载】, [巡察整改], 〔通知公告〕.
_BRACKET_TAG = lazy(r"^[【\[〔［]([^】\]〕］]{1,8})[】\]〕］][\s\u3000]*")
# A speech note after the title: ——在…会议上 / ——2024年12月20日在… / （2024年…在…会议上）.
_SPEECH_NOTE = lazy(
    r"[\s\u3000]*(?<!\d)(?:[—─－\-]{2}|—)[\s\u3000]*(?:在|\d{4}[\s\u3000]*年|[二〇○零一两三四五六七八九十]{4}年).*$"
    r"|[\s\u3000]*[（(][^（）()]*(?:会议上|会上|发言|讲话)[^（）()]*[）)]$"
)
# The site's name a page's own title (its <title>) ends with: …的通报_青石县人民政府 / … - 某某纪委监委网站.
_SITE_SUFFIX = lazy(
    r"[\s\u3000]*(?:_|\||｜|－|-{1,2}|—{1,2})[\s\u3000]*[^_|｜\s]{2,24}?"
    r"(?:网站?|门户(?:网站)?|人民政府|政府|纪委监委|纪检监察|党建|在线|之窗|公众号)$"
    # (a document-sharing site's page: …的报告 - 文档下载)
    r"|[\s\u3000]*(?:_|\||｜|－|-{1,2}|—{1,2})[\s\u3000]*(?:文档下载|免费下载|文库)$"
)
# The issuer printed on its own line above 关于…: 中共某某局党组, 某某公司委员会, 某某领导小组.
# (a company issues its own: 某某港务集团有限公司 above 关于…的公告; a party committee or a
# government of a place: 中共青石县委, 青石县人民政府)
_ISSUER = lazy(
    r"^(?:中共)?[\u4e00-\u9fff（）()]{2,30}(?:党组|党委|党工委|委员会|党总支|党支部|领导小组|有限公司|有限责任公司|集团"
    r"|(?<=[省市州县区旗盟])委|人民政府)$"
)
# The tail of a title wrapped before its genre word: 的报告, 的通报, 情况的报告.
_GENRE_TAIL = lazy(r"^(?:情况)?的?" + _GENRE + r"[）)】]?$")
# Keys of a page's metadata line, besides those noise.py keeps: 发布者, 阅读次数 …
_MORE_META = (
    "发布者",
    "发布人",
    "发布单位",
    "文章来源",
    "阅读次数",
    "阅读量",
    "访问次数",
    "编辑",
    "审核",
    "录入",
    "字号",
)
_META_KEY = "|".join(sorted(set(META_KEYS) | set(_MORE_META), key=len, reverse=True))
_META_LEAD = lazy(
    rf"^[\s\u3000]*[-－–*•·●▪◆■►▶◇□【\[]?[\s\u3000]*(?:{_META_KEY})[\s\u3000]*(?:[:：]|(?=[\s\u3000]*\d{{4}}[-/.年]))"
)
_META_ANY = lazy(rf"(?<![\u4e00-\u9fff])(?:{_META_KEY})[\s\u3000]*[:：]")

# The lines a report to a people's congress prints under its title: the speech note
# (2018年11月22日在某市人大常委会会议上) and the speaker (市审计局局长 某某).
# (a speaker's role in a byline, before the name: 市审计局局长 俞金华)
BYLINE_ROLE = r"(?:局长|厅长|审计长|主任|书记|市长|县长|区长)"
_SPEECH_LINE = lazy(
    r"^[—─－\-]*[\s\u3000]*(?:\d{4}|[二〇○零一两三四五六七八九十]{4})[\s\u3000]*年.{0,12}?在.{2,50}(?:会议上|会上)"
    r"|" + BYLINE_ROLE + r"[\s\u3000]+\S{2,4}$"
)
# A news site's headline over a republished report holds an exclamation or a question (处罚5569人！
# …通报…): the genre's own titles never exclaim (title_like).
_LABEL_MAX = 6  # a line this short without 关于 is a column or category name, not a title
_SCAN = 20
# The tests of a line below are asked again of the same lines while a document's title is looked
# for (a line's own test, then as the line above or below another, then of the title assembled):
# their answers are kept while one document is read (find_title starts afresh), each depending on
# the line alone.
_KEPT = 256


@dataclass
class TitleFound:
    title: str | None
    lines: list[str]  # the lines after the title (the document proper)
    # lines above the title (a site's header block) and the page's metadata lines right under it
    above: list[str] = field(default_factory=list)
    preamble_head: str | None = None  # text split off a flattened title line that opens the preamble


@lru_cache(maxsize=_KEPT)
def title_like(line: str) -> bool:
    stripped = line.strip()
    if not 4 <= len(stripped) <= 100 or stripped.endswith(_NOT_TITLE_END):
        return False
    if parse_label(stripped) is not None or stripped.startswith(("——", "--", "—")):
        return False
    if is_metadata_line(stripped) or _holds(stripped, "！!？?") or _PREAMBLE_OPENING.match(stripped):
        return False
    if _SPEECH_LINE.search(stripped):
        return False
    if ("-" in stripped or "－" in stripped or "_" in stripped or "|" in stripped or "｜" in stripped) and (
        _SITE_AND_COLUMN.match(stripped)
    ):
        return False  # 某某集团官网 - 通知公告: the page's site and column, no title
    return bool(_TITLE_WORD.search(stripped)) or bool(
        _KIND_WORD.search(stripped) and not _NOT_HEADLINE.search(stripped)
    )


@lru_cache(maxsize=_KEPT)
def is_metadata_line(line: str) -> bool:
    """A web page's metadata line: ``- 发布时间：…``, ``· 来源：…``, ``发布日期 2025-01-02 | 来源：…``,
    or a line holding two ``key：`` fields (``时间：… 作者：…``)."""
    stripped = line.strip()
    if len(stripped) > 160 or parse_label(stripped) is not None:
        return False
    if "(" in stripped or "（" in stripped:
        stripped = strip_readings(stripped) or ""  # 关(guān)键词: on a mirror site
    if _META_LEAD.match(stripped) or DATELINE.match(stripped):
        return True
    # a key of _META_ANY is followed by its colon
    return ("：" in stripped or ":" in stripped) and len(_META_ANY.findall(stripped)) >= 2


@lru_cache(maxsize=_KEPT)
def clean_title(title: str) -> str:
    """The title without a column tag (``巡察工作｜…``), a bracketed repost tag (``【转载】…``)
    or a speech note (``…的报告——在…会议上``)."""
    title = (strip_readings(title) or "").strip(" \u3000")
    tagged = _COLUMN_TAG.match(title)
    if tagged and _TITLE_WORD.search(tagged.group(2)):
        title = tagged.group(2).strip(" \u3000")
    labelled = _COLON_LABEL.match(title)
    if labelled:
        title = labelled.group(1)  # 本级巡察整改:向阳区开展巡察整改专项督查: a column's name before it
    bracket = _BRACKET_TAG.match(title)
    if bracket and _TITLE_WORD.search(title[bracket.end() :]):
        title = title[bracket.end() :]
    # (a speech note opens with a dash or a bracket; a title holds neither as a rule: the title,
    # stripped above, is then its own cut)
    cut = _SPEECH_NOTE.sub("", title).strip(" \u3000") if _holds(title, "—─－-（(") else title
    if cut != title and _TITLE_WORD.search(cut) and len(cut) >= 4:
        title = cut
    site = _SITE_SUFFIX.search(title) if _holds(title, "_|｜－-—") else None  # (its separators)
    if site and _TITLE_END.search(title, 0, site.start()):
        title = title[: site.start()]  # …整改情况的通报_青石县人民政府: the page's title and its site
    dated = _DATE_AFTER.search(title) if _holds(title, "-./") else None  # (the date's separators)
    if dated and _TITLE_END.search(title, 0, dated.start()):
        title = title[: dated.start()]  # …整改情况的通报2024-09-20: the page's date glued to it
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]  # 《…整改情况的报告》: the title quoted as a document's name
    return title


# A page's title made of its site's name and its column's: 某某集团官网 - 通知公告 / 某县人民政府_信息公开.
_SITE_AND_COLUMN = lazy(
    r"^[^\s\-－_|｜]{2,24}[\s\u3000]*(?:-{1,2}|－|_|\||｜)[\s\u3000]*"
    r"(?:通知公告|公示公告|新闻动态|工作动态|信息公开|政务公开|党务公开|巡视巡察|巡察工作|审计公告|公告公示)$"
)


# A date (and a time) in figures glued after a title, as a page's list prints it.
_DATE_AFTER = lazy(
    r"[\s\u3000]*[（(]?(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?:[\s\u3000]+\d{1,2}:\d{2}(?::\d{2})?)?[）)]?$"
)


@lru_cache(maxsize=_KEPT)
def genre_title(title: str) -> bool:
    """A title in the genre's shape: ends in its kind of document (报告, 通报, 方案, 台账, 情况 …)
    and says more than a column name does (关于…, or ten characters and more)."""
    title = clean_title(title)
    if not _TITLE_END.search(title) or _holds(title, ">＞»"):
        return False
    return "关于" in title or len(title) >= 10


def _holds(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars`` (a few substring tests cost less than a pattern's call
    and its scan for a class)."""
    for char in chars:
        if char in text:
            return True
    return False


_WHITE = lazy(r"\s")


def _marked(line: str) -> bool:
    """Whether ``line`` holds punctuation, a separator or white space: a line cut from running
    text at a fixed width holds none. (White space of any kind is not printable but for the space,
    which is tested first.)"""
    return _holds(line, " ，,。；;：:！!？?|｜>＞\u3000") or (
        not line.isprintable() and _WHITE.search(line) is not None
    )


def _is_label(line: str) -> bool:
    """A column, category or site label: short, without 关于 (通知公告, 巡察整改, 工作动态)."""
    stripped = clean_title(line)
    return (len(stripped) <= _LABEL_MAX and "关于" not in stripped) or _holds(stripped, ">＞»")


def find_title(lines: list[str], dateline: int | None = None) -> TitleFound:
    """The title among the first lines; lines above it are a header block (dropped by the caller).

    The first line in the genre's shape wins; failing one, the first title-like line that is not a
    column label or a news item's headline over its dateline (``dateline``: where a dropped one
    stood); failing that, the first title-like line.
    """
    for kept in (title_like, is_metadata_line, clean_title, genre_title):
        kept.cache_clear()
    shared = _shared_document_heading(lines)
    if shared is not None:
        return shared
    weak: TitleFound | None = None
    label: TitleFound | None = None
    for i, line in enumerate(lines[:_SCAN]):
        stripped = line.strip()
        if parse_label(stripped) is not None:
            break
        head = _title_before_metadata(stripped) if weak is None and label is None else None
        if head:
            # …公示(第三十一批)文章来源:…浏览量:…: a title re-joined with the metadata line under it
            rest = stripped[_META_ANY.search(stripped).start() :]  # type: ignore[union-attr]
            return TitleFound(title=head, lines=lines[i + 1 :], above=[*lines[:i], rest])
        if is_metadata_line(stripped):
            continue
        comma = "，" in stripped or "," in stripped
        if (comma and (weak or _plain_wrapped(lines, i - 1))) or (
            _PREAMBLE_OPENING.match(stripped) and (comma or len(stripped) >= 20)
        ):
            break  # the preamble has begun (its lines may be wrapped short): no title below it
        if len(stripped) > 100 or stripped.endswith(("。", "：", ":")) or _prose(stripped):
            split = _split_flattened(stripped)
            if split is not None and weak is None:
                title, head = split
                return TitleFound(title=title, lines=lines[i + 1 :], above=lines[:i], preamble_head=head)
            break
        if weak is None and label is None and _headline_over_dateline(lines, i, dateline):
            # 强化宗旨意识 深植为民情怀——… over 2020年01月17日08:22 来源:新华网: a news item's headline,
            # whatever its words (a title in the genre's shape further down still wins)
            weak = _assemble(lines, i)
            continue
        if stripped == "关于" or title_like(stripped):
            found = _assemble(lines, i, wrapped_above=_wrapped_above(lines, i))
            if found is None:
                continue
            if (
                weak is not None
                and _COLON_HEADLINE.match(weak.title or "")
                and _same_opening(weak.title, found.title)
            ):
                # a news headline (主题：副题) over the print edition's headlines that restate its
                # opening (中央环保督察组反馈情况：… over 中央环保督察组反馈“回头看”及专项督察情况):
                # those go with the title block, the body starts under them
                kicker = weak.lines[: len(weak.lines) - len(found.lines)]
                return TitleFound(title=weak.title, lines=found.lines, above=[*weak.above, *kicker])
            if genre_title(found.title or "") and not _SELF_NAMED.match(found.title or ""):
                return found
            if _is_label(stripped):
                label = label or found
            else:
                weak = weak or found
    return weak or label or TitleFound(title=None, lines=lines)


# A document-sharing site's page: the uploaded file's name heads it, its pages' captions follow, and
# the document's own text starts under the label 资源描述 (its heading first, sometimes run into its
# first item: …整改进展清单一、关于…).
_SHARED_TEXT_LABELS = ("资源描述", "文档简介", "文档介绍", "内容简介", "文档描述")
_RUN_IN_FIRST_ITEM = lazy(r"(?<=[^\s\u3000])(?=一、)")


def _shared_document_heading(lines: list[str]) -> TitleFound | None:
    """The document's own heading under a sharing site's 资源描述 label, when it is in the genre's
    shape (it names the round, where the file's name often does not): the lines above it are the
    page's."""
    try:
        at = next(i for i, line in enumerate(lines[:_SCAN]) if line.strip() in _SHARED_TEXT_LABELS)
    except StopIteration:
        return None
    if at + 1 >= len(lines):
        return None
    line = lines[at + 1].strip()
    cut = _RUN_IN_FIRST_ITEM.search(line) if len(line) > 100 or "。" in line else None
    heading, rest = (line[: cut.start()], line[cut.start() :]) if cut else (line, "")
    title = clean_title(heading)
    if not genre_title(title):
        return None
    return TitleFound(title=title, lines=([rest] if rest else []) + lines[at + 2 :], above=lines[: at + 1])


def title_repeats(title: str | None, lines: list[str]) -> list[int]:
    """Where the lines under the title print it again, whole and alone on a line (a news page's
    photo caption, a headline shown twice): chrome, not the report's text."""
    if not title:
        return []
    key = _squashed(title)
    if not key:
        return []
    # (only a line as long as the title, holding its first and last characters, is squashed to compare)
    first, last, length = key[0], key[-1], len(key)
    return [
        i
        for i, line in enumerate(lines)
        if len(line) >= length and first in line and last in line and _squashed(line) == key
    ]


def _squashed(text: str) -> str:
    return "".join(text.split())


# A page's label for a report in which the issuer calls itself by a pronoun (本公司关于…的公告,
# 我局关于…的通报): the report's own heading names the issuer, printed below it on the page; this
# one is the title only when no other is printed.
_SELF_NAMED = lazy(r"^(?:我|本)(?:单位|公司|集团|中心|[省市州县区旗镇乡局委办院校司厅所站行社])关于")


def _title_before_metadata(line: str) -> str | None:
    """The title in the genre's shape that opens a metadata line, when one does."""
    # (a key of _META_ANY is followed by its colon)
    key = _META_ANY.search(line) if len(line) <= 160 and ("：" in line or ":" in line) else None
    head = line[: key.start()].strip() if key else ""
    return clean_title(head) if head and genre_title(head) and not _META_LEAD.match(line) else None


def _headline_over_dateline(lines: list[str], i: int, dateline: int | None) -> bool:
    """Whether line ``i`` is a news item's headline: a short line with no sentence punctuation and
    no crumbs, above the item's dateline (printed, or dropped before line ``dateline``) with at most
    its subtitle (——…侧记) and its byline (记者 某某) between, and blank lines."""
    line = lines[i].strip()
    if not 6 <= len(line) <= 60 or _holds(line, "。；;！!？?>＞»") or line.endswith(_NOT_TITLE_END):
        return False
    if is_metadata_line(line) or _BYLINE_LINE.match(line) or line.startswith(("——", "—", "--")):
        return False
    for j in range(i + 1, min(i + 8, len(lines) + 1)):
        if j == dateline:
            return True
        if j < len(lines):
            other = lines[j].strip()
            if not other or _BYLINE_LINE.match(other) or other.startswith(("——", "—", "--")):
                continue
            return DATELINE.match(other) is not None
    return False


# A news item's byline: 记者 江琳 / 本报记者 某某 / 通讯员 某某 / 文/某某.
_BYLINE_LINE = lazy(r"^(?:本报|本网|新华社)?(?:记者|通讯员|作者|撰稿|文|图)[\s\u3000:：/]")


def _prose(line: str) -> bool:
    """A line of running text, or a piece of one wrapped at a fixed width: a title holds no full
    stop or semicolon, does not open with the preamble's words and a comma, and does not break
    off inside 《…》."""
    if "。" in line or "；" in line or ";" in line:
        return True
    if ("，" in line or "," in line) and _PREAMBLE_OPENING.match(line):
        return True
    return line.count("《") != line.count("》")


def _plain_wrapped(lines: list[str], i: int) -> bool:
    """A line that looks cut at a fixed width: 20–40 characters, no punctuation, no title."""
    if i < 0:
        return False
    line = lines[i].strip()
    return 20 <= len(line) <= 40 and not _marked(line) and not is_metadata_line(line) and not title_like(line)


def _wrapped_above(lines: list[str], i: int) -> bool:
    """Whether line ``i`` continues a title wrapped at a fixed width: the line above is long, has
    no punctuation at all and is no title by itself (景东县贯彻落实省第二生态环境保护督察组督察 /
    反馈意见整改情况报告), or line ``i`` opens with the closing half of a bracket."""
    if i == 0:
        return False
    above = lines[i - 1].strip()
    if is_metadata_line(above) or parse_label(above) is not None or title_like(above):
        return False
    if _marked(above) or not 15 <= len(above) <= 40:
        return False
    here = lines[i].strip()
    if _PREAMBLE_OPENING.match(above) or "，" in here or "," in here:
        return False
    return not here.startswith(("关于", "中共")) or here[:1] in "）)》”"


def _assemble(lines: list[str], i: int, wrapped_above: bool = False) -> TitleFound | None:
    """The title that starts at line ``i``, its wrapped parts joined, and what follows it."""
    start, end = i, i + 1
    title = lines[i].strip()
    if title.startswith("关于") and i > 0 and _ISSUER.match(issuer := _untagged(lines[i - 1].strip())):
        start, title = i - 1, issuer + title
    elif wrapped_above:
        start, title = i - 1, lines[i - 1].strip() + title
    # Wrapped lines: join short lines until the title reaches its genre word (three lines at most).
    joined, used = title, end
    while not _TITLE_END.search(clean_title(joined)) and used < len(lines) and used - i < 3:
        nxt = lines[used].strip()
        if not _continues(nxt) or "，" in nxt or "," in nxt or ("关于" in nxt and "关于" not in joined):
            break  # a line with its own 关于 starts a title of its own (the one above is a label)
        if _is_label(joined) and genre_title(nxt) and not _GENRE_TAIL.match(nxt):
            break  # 巡察整改 / 石川市贯彻落实…整改情况: a column label above a whole title
        if _COLON_HEADLINE.match(joined) and _same_opening(joined, nxt):
            break  # 中央环保督察组反馈情况：冀蒙宁苏整改仍不到位 / 中央环保督察组反馈“回头看”…: two headlines
        joined, used = joined + nxt, used + 1
    if _TITLE_END.search(clean_title(joined)):
        title, end = joined, used
    elif title == "关于":
        return None
    # A genre tail cut off on its own line: 关于…整改情况 / 的报告.
    tail = lines[end].strip() if end < len(lines) else ""
    if (
        tail
        and len(tail) <= 6
        and _GENRE_TAIL.match(tail)
        and (tail.startswith("的") or title.endswith("情况") or not _TITLE_END.search(title))
    ):
        title, end = title + lines[end].strip(), end + 1
    # The page's heading under its own title (…的通报_某某政府 over …的通报): printed twice, one title.
    twice = []
    if end < len(lines) and clean_title(lines[end]) == clean_title(title):
        twice, end = [lines[end]], end + 1
    # The page's metadata lines right under the title go with the header block.
    rest = end
    while rest < len(lines) and rest - end < 4 and is_metadata_line(lines[rest]):
        rest += 1
    meta, below = lines[end:rest], lines[rest:]
    if meta and (glued := glued_opening(meta[-1])) is not None:
        meta, below = [*meta[:-1], glued[0]], [glued[1], *below]
    return TitleFound(title=clean_title(title), lines=below, above=lines[:start] + twice + meta)


# A news headline with its subtitle after a colon: 黑龙江：全面落实督察反馈意见…, 中央环保督察组
# 反馈情况：冀蒙宁苏整改仍不到位 (no sentence punctuation, a few characters on each side).
_COLON_HEADLINE = lazy(r"^[^：:，,。；;]{2,20}[：:][^：:，,。；;]{4,40}$")


def _same_opening(title: str | None, other: str | None) -> bool:
    """Whether ``other`` restates the opening of ``title`` (six characters alike): a headline of
    its own, not the rest of a wrapped one."""
    return bool(title and other and len(title) >= 6 and title[:6] == other[:6])


def _untagged(line: str) -> str:
    """``line`` without a page's repost or column tag before it (``【转载】``, ``通知公告 | ``)."""
    tagged = _COLUMN_TAG.match(line)
    if tagged:
        line = tagged.group(2).strip(" \u3000")
    bracket = _BRACKET_TAG.match(line)
    return line[bracket.end() :] if bracket else line


def _glued_title(head: str) -> bool:
    """Whether the text before a glued preamble opening is a whole title: the genre's shape, right
    before the opening or a comma, and not itself the start of a sentence."""
    head = _SERIES.sub("", head.rstrip(" \u3000,，")).strip()
    return (
        bool(head) and genre_title(head) and not _PREAMBLE_OPENING.match(head) and not head.startswith("为")
    )


def _continues(line: str) -> bool:
    """A line that can be the rest of a wrapped title: short, no sentence punctuation, no label."""
    return (
        0 < len(line) <= 40
        and not line.endswith(_NOT_TITLE_END)
        and parse_label(line) is None
        and not line.startswith(("——", "--", "—"))
        and not is_metadata_line(line)
        and not _holds(line, "。；;！？")
    )


def _split_flattened(line: str) -> tuple[str, str] | None:
    """Title and preamble of a line that holds a whole page: ``…公告 2022年第8号 <title> 根据…``,
    or a title glued to its preamble's opening (``…情况的通报根据区委统一部署，…``, ``…的函,日前,…``):
    glued, the part before the opening must be a title in the genre's shape."""
    match = _PROSE_START.search(line, 0, 240)
    if match:
        head = line[: match.start()].strip()
        title = _SERIES.sub("", head).strip()
    else:
        match = next(
            (m for m in _GLUED_START.finditer(line, 0, 240) if _glued_title(line[: m.start()])), None
        )
        if not match:
            return None
        head = line[: match.start()].rstrip(" \u3000,，")
        title = _SERIES.sub("", head).strip()
    if not title_like(title):
        return None
    series = head[: len(head) - len(title)].strip()
    rest = line[match.start() :].strip()
    return clean_title(title), (series + " " + rest).strip()
