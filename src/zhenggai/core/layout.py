"""Hard-wrapped text: physical lines back into paragraphs by layout evidence.

Text copied out of a PDF viewer (or saved from a fixed-width window) arrives cut into lines of one
width, 20–40 characters, often without a blank line between paragraphs. The width is read from the
document itself: many lines of (nearly) the same display length and hardly any longer one. A line
that reaches the width is continued by the next line; a line shorter than the width ends its
paragraph. The content of the next line does not matter (a continuation may start with 2024年…,
3个… or 1.5亿元…): only a line that reaches the width exactly where a sentence ends, followed by a
line that opens a paragraph in this genre (a numbered item, a field, a status sentence, a closing
formula, a sentence that sums up: opens_after_full_line), or a signature's name and date
(closing_line), is taken to end its paragraph. Indented lines start a paragraph.
Watermarks, page numbers and a physical line printed twice are taken out before joining, so that
a paragraph split by them joins up again.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Any

from zhenggai.core.lazy_re import lazy
from zhenggai.core.noise import (
    BAR_ITEM,
    bar_items,
    chrome_metadata,
    ends_as_title,
    is_bar,
    is_page_chrome,
    is_page_number,
    is_watermark,
    rest_of_bar,
)
from zhenggai.core.numbering import ONE_CHARACTER_NUMBERS, Label, parse_label
from zhenggai.core.phrases import FIELD, marker, status_lead, status_lead_comma, unbracketed
from zhenggai.core.script import WIDE_DOT, dots_as_full_stops, t2s_converter, types_full_stop_as_dot

# Whether a line is a page's number, and its display width, are asked again of the same lines
# (each line's own test, then as the line above or below another): kept, each the line's alone.
_KEPT = 1024

MIN_WIDTH = 16  # narrower "wraps" are lists of short lines, not a page width
MAX_WIDTH = 80  # wider lines are paragraphs: no page is that wide
MIN_FULL_LINES = 5
MIN_FULL_SHARE = 0.1  # of the document's non-blank lines
MAX_OVER_SHARE = 0.1  # lines clearly longer than the width (a title left whole, chrome)
# Full lines stand out: per column, at least this many times as many lines reach the width as end
# between half the width and the width (paragraph ends, headings). Text that is not wrapped has no
# such peak at its longest lines.
MIN_PEAK = 2.0
TOLERANCE = 1.0  # lines within a column of the width count as its peak (hanging marks, narrow digits)
# A line this close to the width reached it; a line that stops shorter goes on only when the next
# line's first uncuttable piece would not have fitted (Wrap.goes_on).
SLACK = 0.5
CHAR_MARGIN = 3  # what a line just past the width in characters counts against that measure

# The first piece of a line that a layout does not cut: a run of Latin letters and digits (2024,
# 0871-63118820, 5.2%), or opening marks and the character after them, with the closing marks
# that follow (持）。).
_FIRST_PIECE = lazy(r"^[（《「『“‘〈【(\[]*(?:[!-~]+|.)[，。、；：？！）》」』”’〉】,.;:?!)\]%]*")


def _first_piece(line: str) -> str:
    found = _FIRST_PIECE.match(line)
    return found.group(0) if found else line[:1]


_LATIN_RUN = lazy(r"[!-~]*")


def first_piece_columns(line: str) -> float:
    """Display columns of the start of ``line`` that a page layout keeps together (see Wrap.goes_on),
    with a number or Latin word right after it (改，2020年: a layout may not break before 2020)."""
    piece = _first_piece(line)
    rest = _LATIN_RUN.match(line, len(piece))
    return display_width(piece + (rest.group(0) if rest else ""))


_BARE_PAGE_NUMBER = lazy(r"^\d{1,3}$")  # a page's number alone on its line, as a PDF copy has it
_INDENT = lazy(r"^(?:[\u3000]|[ \t]{2})")
# A full stop typed as "." or "．" (core.script reads it so later): after a Chinese character, a
# closing quote or bracket or a percent sign (…达到2.2%.), never after a digit (a decimal point, a
# label 1. or 1．) nor before a Latin letter or a digit.
_DOT_STOP = r"(?<=[\u4e00-\u9fff”’」』）)%])[.．](?![A-Za-z0-9])"
# A sentence's end, or a closing bracket (a status parenthesis closes its paragraph: …。（已完成）).
_SENTENCE_END = lazy(rf"(?:[。！？；：!?;:]|[）)]|{_DOT_STOP})[”’」』）)]*$")
# A bracket that closes no Chinese character (an abbreviation (PM2.5), a reading (wù), a number
# （1）) ends no sentence.
_LATIN_BRACKET_END = lazy(r"[（(][^（）()\u3400-\u9fff]*[）)]$")
_ENUMERATION_START = lazy(r"^(?:一是|首先|第一[，,、])")
_SENTENCE_INSIDE = lazy(rf"[。！？；;!?]|{_DOT_STOP}")
_HAN_END = lazy(r"[\u4e00-\u9fff]$")
_HAN_START = lazy(r"^[\u4e00-\u9fff]")
# A noise line that ends where its sentence or its bracketed notice does (…禁止外传！, 【…违者后果自负】)
# has no rest on the next line, however far it reached.
_NOISE_CLOSED = lazy(r"(?:[。！？!?]|^[【\[〔［].*[】\]〕］])$")


def char_width(line: str) -> float:
    """Every character one column."""
    return float(len(line))


@lru_cache(maxsize=_KEPT)
def display_width(line: str) -> float:
    """Chinese characters and full-width punctuation one column, ASCII (digits, letters) half of one."""
    ascii_count = len(line.encode("ascii", "ignore"))
    return len(line) - 0.5 * ascii_count


def display_width_dots(line: str) -> float:
    """:func:`display_width` of ``line`` with each "." that stands for 。 a column wide."""
    return display_width(dots_as_full_stops(line))


@dataclass(frozen=True, slots=True)
class Wrap:
    """The width a text was wrapped at, in the measure that shows it."""

    width: float
    measure: Callable[[str], float]
    # The width of a paragraph's first line when the copy lost its indentation (two columns less),
    # None when the document shows no such second peak.
    first: float | None = None

    def full(self, raw: str) -> bool:
        return self.measure(raw) >= self.width - TOLERANCE

    def past(self, raw: str) -> bool:
        """Whether a line runs clearly past the width (more than a hanging mark or two)."""
        return self.measure(raw) > self.width + 2 * TOLERANCE

    def goes_on(self, reach: float | None, first_line: bool, line: str) -> bool:
        """Whether ``line`` continues the line before it, which reached ``reach`` columns (None: it
        ended its paragraph) and opened its paragraph (``first_line``): that line reached the width
        (or the first-line width), or the first piece of ``line`` that cannot be cut (a number or a
        Latin word, an opening mark and what follows it, a character with the closing marks after
        it) did not fit on it."""
        if reach is None:
            return False
        piece = self.measure(_first_piece(line))
        if reach >= self.width - SLACK or reach + piece > self.width:
            return True
        return (
            first_line
            and self.first is not None
            and (abs(reach - self.first) <= TOLERANCE / 2 or reach + piece > self.first)
        )


def wrap_width(lines: list[str], over_share: float = MAX_OVER_SHARE) -> Wrap | None:
    """The wrap width of hard-wrapped ``lines`` (raw, leading indentation kept), or None.

    ``over_share``: the share of lines allowed past the width (more for a text already rejoined
    once, whose first reading joined some lines across a break of the width sought)."""
    texts = [text for text in map(str.rstrip, lines) if text]  # (a blank line strips to nothing)
    total = len(texts)
    if total < MIN_FULL_LINES * 2:
        return None
    lengths = list(map(len, texts))
    limit = over_share * total
    # Most texts are not wrapped: their paragraphs run past any page width (a line of twice as many
    # characters as the widest page has is past it in either measure).
    if sum(map((2 * MAX_WIDTH + 4).__lt__, lengths)) > limit:
        return None
    # Only the lines of some width count below (a window reaches two and a half columns under the
    # narrowest width, MIN_WIDTH): a line's display width is at most its length in characters, so
    # the lines of fewer characters are left out of both measures' counts (they are in ``total``).
    display: Callable[[str], float] = display_width
    joined = "\n".join(texts)
    if joined.count(".") > joined.count("。") and types_full_stop_as_dot(joined):
        # A copy that types its full stops as "." (a PDF's font mapping 。 to a dot) was set with
        # 。 a column wide: measured so, its full lines are full again.
        texts, display = dots_as_full_stops(joined).split("\n"), display_width_dots
    counted = [(n, text) for n, text in zip(lengths, texts, strict=True) if n >= _COUNTED]
    # Display widths: every character one column, less half a column for each ASCII one (the lines'
    # ASCII characters taken out in one pass of the encoder, then parted again at the line ends).
    asciis = "\n".join([text for _, text in counted]).encode("ascii", "ignore").split(b"\n")
    if len(asciis) != len(counted):  # a line that holds a line end of its own (a Word paragraph)
        asciis = [text.encode("ascii", "ignore") for _, text in counted]
    displays = [n - 0.5 * len(ascii) for (n, _), ascii in zip(counted, asciis, strict=True)]
    # … and when more lines than over_share are wider than any page in display columns (so in
    # characters too), the search below stops at its first width in either measure: no wrap.
    if sum(map((MAX_WIDTH + TOLERANCE).__lt__, displays)) > limit:
        return None
    found: list[tuple[float, Wrap]] = []  # (lines of exactly the width, wrap) for each measure
    needed = max(MIN_FULL_LINES, MIN_FULL_SHARE * total)
    for measure, widths in ((display, displays), (char_width, [n for n, _ in counted])):
        if not _may_peak(widths, limit, needed):
            continue  # (most texts: no window below could hold enough lines)
        best: Wrap | None = None
        best_full, best_exact = 0, 0.0
        counts: Counter[float] = Counter(map(float, widths))
        count = counts.get  # (a Counter's [] calls its __missing__ for each width no line has)
        values = sorted([v for v in counts if MIN_WIDTH <= v <= MAX_WIDTH + TOLERANCE])
        if not values:
            continue
        cumulative = list(accumulate([counts[v] for v in values]))
        wider = sum([c for v, c in counts.items() if v > MAX_WIDTH + TOLERANCE])
        # The window [w - 1, w + 1] holding the most lines (a hanging punctuation mark makes w + 1),
        # widest first: the lines past the width only grow as the width comes down, so the search
        # stops where they pass their share (in text that is not wrapped, at once).
        for value in reversed(values):
            longer = bisect_right(values, value + TOLERANCE + 0.5)
            over = wider + cumulative[-1] - (cumulative[longer - 1] if longer else 0)
            if over > over_share * total:
                break
            low = bisect_left(values, value - TOLERANCE)
            high = bisect_right(values, value + TOLERANCE)
            full = cumulative[high - 1] - (cumulative[low - 1] if low else 0)
            half = bisect_left(values, value / 2)
            middle = (cumulative[low - 1] if low else 0) - (cumulative[half - 1] if half else 0)
            # Paragraphs' first lines that lost their indentation count as full lines too (when
            # they stand out, see _first_width); they are not paragraph ends.
            first = (
                count(value - INDENT - TOLERANCE / 2, 0)
                + count(value - INDENT, 0)
                + count(value - INDENT + TOLERANCE / 2, 0)
            )
            peak = full / (2 * TOLERANCE + 1)
            if full >= MIN_FULL_LINES and first / (TOLERANCE + 1) >= MIN_PEAK * (middle - first) / max(
                value / 2 - TOLERANCE, 1
            ):
                full, middle = full + first, middle - first
            if (
                full > best_full
                and full >= needed
                and peak >= MIN_PEAK * middle / max(value / 2 - TOLERANCE, 1)
            ):
                # The width is the window's most frequent length (the window may reach one below it).
                mode = max(values[low:high], key=lambda v: (counts[v], v))
                density = middle / max(value / 2 - TOLERANCE, 1)
                first_width = _first_width(counts, mode, density)
                best, best_full = Wrap(mode, measure, first_width), full
                best_exact = count(mode, 0)
                if measure is display:  # also half a column short: a character did not fit
                    best_exact += count(mode - 0.5, 0)
                else:  # less the lines just past the width: a display width shows through them
                    best_exact -= CHAR_MARGIN * (count(mode + 1, 0) + count(mode + 2, 0) + count(mode + 3, 0))
        if best is not None:
            found.append((best_exact, best))
    if not found:
        return None
    # The measure the text was wrapped in puts the most lines at its width: a text cut every n
    # characters spreads over display widths, and one cut at a display width over character counts,
    # past the width where its lines hold digits and Latin letters. Display columns (what a page
    # shows, found first) win a tie.
    wrap = max(found, key=lambda pair: pair[0])[1]
    if not _continued(texts, wrap):
        return None
    return _true_width(texts, wrap)


_ENDS_CLOSING = lazy(r"[，。、；：？！）》」』”’〉】,.;:?!)\]%]$")


def _true_width(texts: list[str], wrap: Wrap) -> Wrap:
    """The wrap with its width set to the widest width that full lines not ending with a closing mark
    (which may hang past the margin) commonly reach: the most frequent one may fall short of it
    where numbers and Latin words that do not fit leave gaps."""
    window = Counter(
        w
        for text in texts
        if abs((w := round(wrap.measure(text) * 2) / 2) - wrap.width) <= TOLERANCE
        and not _ENDS_CLOSING.search(text)
    )
    if not window:
        return wrap
    common = max(window.values())
    widths = [v for v, n in window.items() if n >= max(2, 0.5 * common)]
    return Wrap(max(widths), wrap.measure, wrap.first) if widths else wrap


def _continued(texts: list[str], wrap: Wrap) -> bool:
    """Whether the full lines are followed by continuations: at most half of them by a numbered
    line (a list of items of one length is not a wrapped text)."""
    full = numbered = 0
    for text, following in pairwise(texts):
        if wrap.full(text):
            full += 1
            numbered += parse_label(following.strip()) is not None
    return numbered <= full / 2


def _may_peak(widths: list[float] | list[int], limit: float, needed: float) -> bool:
    """Whether the search of wrap_width may find a width in ``widths``: a window of it holds at
    least ``needed`` lines (those of [w - 1, w + 1], and the first lines of [w - 2.5, w - 1.5]),
    and at most ``limit`` lines are wider than w + 1.5. Taken widest first, the lines of such a
    window then follow the ``limit`` widest lines or fewer, and ``needed`` of them in a row span
    four columns at most: when no ``needed`` lines in a row after those do, there is no such window
    (a text that is not wrapped, as most are, is told so before its widths are counted)."""
    ordered = sorted(widths, reverse=True)
    span = math.ceil(needed) - 1
    for above in range(min(int(limit), len(ordered) - 1 - span) + 1):
        if ordered[above] - ordered[above + span] <= 2 * TOLERANCE + INDENT:
            return True
    return False


INDENT = 2  # a paragraph's first line is indented by two characters
# The fewest characters of a line that may count in wrap_width (MIN_WIDTH - INDENT - TOLERANCE / 2).
_COUNTED = 14


def _first_width(counts: Counter[float], width: float, density: float) -> float | None:
    """The first-line width (``width - INDENT``) when many lines have it: a copy that lost the
    indentation of its paragraphs' first lines shows a second peak two columns below the width."""
    first = width - INDENT
    count = counts.get
    lines = count(first - TOLERANCE / 2, 0) + count(first, 0) + count(first + TOLERANCE / 2, 0)
    return first if lines >= MIN_FULL_LINES and lines / (TOLERANCE + 1) >= MIN_PEAK * density else None


# Marks that never begin a line: a layout moves the character or two before them down with them.
_CLOSING = lazy(
    r"^(?:[，。、；：！？）」』”’》〉】,.;:!?)]|[^\s，。、；：！？）」』”’》〉】]{1,2}[）」』”’》〉】。；！？])"
)


def continues_by_punctuation(line: str, reach: float | None = None, wrap: Wrap | None = None) -> bool:
    """Whether ``line`` starts with a closing mark, or one or two characters and a closing bracket,
    quote or full stop (持）。 …): the line before it goes on here, however short it stopped (what
    moved down with the mark left a gap at the margin). A numbered label (1） 一）) is not one.
    A mark alone moved nothing down with it: given the ``reach`` of the line before at the head of
    the text (the title, where no copy was wrapped twice), a line that opens with one after a line
    that stopped short of the ``wrap`` width by more than two columns (,日前,… under a title) is the
    text's own."""
    if _CLOSING.match(line) is None or parse_label(line) is not None:
        return False
    bare = line[0] in _BARE_MARKS
    return not bare or reach is None or wrap is None or reach >= wrap.width - INDENT


_BARE_MARKS = frozenset("，。、；：！？）」』”’》〉】,.;:!?)")

# A date alone on its line (2025年4月7日, 二〇二五年四月七日): the date under a signature.
_DATE_LINE = lazy(
    r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日$"
)
# A short line of a name alone (中共某某村总支部委员会, 某某县人民政府, …（代章）): no mark.
_BARE_NAME = lazy(r"^[\u4e00-\u9fff][\u4e00-\u9fff〇○]{3,}(?:[（(][\u4e00-\u9fff]{1,6}[）)])?$")
# A paragraph that ends with its full stop (not a clause, a list item or a bracket).
_FULL_STOP = lazy(rf"(?:[。！？!?]|{_DOT_STOP})[”’」』]*$")
_TEXT_GOES_ON = lazy(r"[\d年月于在至从自，,、—-]$")


def closing_line(paragraph: str, line: str, raw: str, wrap: Wrap) -> bool:
    """Whether ``line`` is a line of a signature block although the line before reached the width:
    a date alone on its line after a text that does not run on into it (…于 | 2025年4月7日 does), or
    a name alone (中共某某委员会, 某某县人民政府), shorter than the width, after a sentence's end."""
    if _DATE_LINE.match(line):
        return _TEXT_GOES_ON.search(paragraph) is None
    return (
        _BARE_NAME.match(line) is not None and not wrap.full(raw) and _FULL_STOP.search(paragraph) is not None
    )


def _starts_paragraph(paragraph: str, line: str, raw: str, numbers: dict[str, int], wrap: Wrap) -> bool:
    """Whether ``line`` starts a paragraph although the line before reached the width: it is indented,
    or :func:`opens_after_full_line`, or it is :func:`next_item`, or a :func:`page_metadata_line`, or
    the paragraph is a bracketed notice (【…】), or :func:`closing_line`."""
    return (
        _INDENT.match(raw) is not None
        or opens_after_full_line(paragraph, line, numbers)
        or closing_line(paragraph, line, raw, wrap)
        or next_item(paragraph, line, numbers)
        or page_metadata_line(line)
        or (paragraph.endswith(_NOTICE_CLOSE) and _NOTICE.match(paragraph.strip()) is not None)
    )


# A bracketed notice, the whole paragraph (【会员资料仅供内部交流使用，严禁外传】, in any writing): it
# ends where its bracket closes.
_NOTICE_CLOSE = ("】", "〕", "］")
_NOTICE = lazy(r"^[【〔［][^【】〔〕［］]+[】〕］]$")


# Keys that only a web page's metadata block or release line has (a sentence never goes on with
# 索引号： or 发布时间：), and a bulleted key of such a block (- 标 题:…, · 效力状态:…).
_PAGE_KEY = lazy(
    r"^(?:(?:信息)?索引号|发布机构|成文日期|公开方式|公开范围|公开时限|主题分类|体裁分类|组配分类|发文字号|有效性|"
    r"生成日期|发布时间|发布日期|发表时间|文章来源|信息来源|浏览量|浏览次数|点击数|点击量|访问量|阅读次数|责任编辑|"
    r"来源|作者|编辑|审核|撰稿|解读人|解读时间|解读机关)"
    r"[\s\u3000]*[:：]"
    r"|^[-－–·•●▪◆■*][\s\u3000]*[\u4e00-\u9fff][\u4e00-\u9fff\s\u3000]{0,7}[:：]"
)
_KEY_COLUMNS = 12  # a key's colon stands within the first characters of a metadata line


def page_metadata_line(line: str) -> bool:
    """Whether ``line`` opens as a line of a web page's metadata (索引号：…, 发布时间：…, 访问量:, a
    bulleted ``- 标 题:…``): it starts a paragraph whatever the line before (a title as long as the
    width stands above the page's metadata), in traditional characters too (發佈時間：)."""
    if "：" not in line[:_KEY_COLUMNS] and ":" not in line[:_KEY_COLUMNS]:
        return False  # (most lines: no colon where a key's would be)
    return _PAGE_KEY.match(line) is not None or _PAGE_KEY.match(_simplified_head(line)) is not None


# How a report's preamble or a news report's lead opens (根据县委统一部署，… / 8月30日，市创文办…).
_LEAD = lazy(r"^(?:根据|按照|依据|近日|日前|受[\u4e00-\u9fff]{0,10}委托|(\d{1,2}月\d{1,2}日)[，,])")
_DATE_GOES_ON = lazy(r"(?:\d|年|于|在|至|从|自)$")  # …于2024年 | 8月30日，: the date goes on


def ends_head_line(paragraph: str, line: str, one_line: bool) -> bool:
    """Whether a paragraph at the head of the document, before any sentence has ended there (the
    title, the page's header), ends although its last line reached the width: it ends as a
    document's heading does (…整改情况的公示, …公示(第三十一批)), or it is a single line
    (``one_line``) and ``line`` opens the preamble or a news lead (根据…, 按照…, 8月30日，… after no
    date's start): a title as long as the page is wide. A preamble's own line (根据…) goes on."""
    paragraph = paragraph.strip()
    if _SENTENCE_INSIDE.search(paragraph) or _SENTENCE_END.search(paragraph):
        return False
    if _LEAD.match(_simplified_head(paragraph)):
        return False
    tail = _simplified(paragraph[-_KEY_COLUMNS:])
    if ends_as_title(tail) and not tail.endswith("情况"):  # (…情况 | 的报告: a title's tail)
        return True
    lead = _LEAD.match(_simplified_head(line)) if one_line else None
    return lead is not None and (lead.group(1) is None or _DATE_GOES_ON.search(paragraph) is None)


def next_item(paragraph: str, line: str, numbers: dict[str, int]) -> bool:
    """Whether ``line`` is numbered as the item after the last paragraph numbered in its style
    (``numbers``: style → the last number that opened a paragraph), and does not go on with a list
    run into ``paragraph``: …整改时限：5天 | 3.市第三人民医院 after 2.…: a field's value or a heading
    that happens to fill its line, where no sentence ends, is followed by the next item."""
    label = parse_label(line)
    return (
        label is not None
        and numbers.get(label.style) == label.number - 1
        and not _continues_inline_list(paragraph, label)
    )


# A field's key at the end of a paragraph, its value not given yet (…；完成情况：).
_FIELD_KEY_END = lazy(r"[\u4e00-\u9fff】][\s\u3000]*[：:]$")
# A sentence ended by a bracketed tag (…不到位。【已完成】).
_TAG_END = lazy(rf"(?:[。！？；;!?]|{_DOT_STOP})[\s\u3000]*【[^【】]{{1,8}}】$")
_STATUS_HEAD = 48  # characters a status sentence is read in (该问题正在整改，预计2025年12月底前完成。)


# A report's speech note under its title (——2025年10月28日在市人大常委会会议上, or in brackets): it
# ends where the meeting is named, whatever follows (the speaker's line, the addressee).
_SPEECH_NOTE = lazy(r"^[\s\u3000]*(?:[—–-]{1,2}|[（(]).{4,}(?:会议上|会上)[）)]?$")
# How a document's title ends (…整改情况的报告, …的通报, …的讲话).
_TITLE_END = lazy(r"(?:报告|通报|公告|公示|通知|意见|讲话|发言|说明|的函)[\s\u3000]*$")
# A subtitle's opening dash pair (——2024年12月26日在…会议上, ——在…会上的讲话).
_SUBTITLE_OPEN = lazy(r"^[\s\u3000]*[—–]{2}[\s\u3000]*(?:\d{4}[\s\u3000]*年|在)")


def opens_after_full_line(paragraph: str, line: str, numbers: dict[str, int] | None = None) -> bool:
    """Whether ``line`` opens a paragraph although the line before it (the end of ``paragraph``) ran
    to the right margin: the margin was reached where a sentence ends and the line opens as a
    paragraph does (a numbered item that does not go on with a list run into the paragraph, a field,
    整改情况： or 【整改措施】, a status sentence such as 已整改到位。), or a numbered heading filled its lines and the
    line is numbered, a field, or opens an enumeration (一是…). A line that starts with a year or a
    number (2024年…, 3个…, 1.5亿元…) goes on with the sentence. A speech note under the title
    (——…在…会议上) ends where it names the meeting. ``numbers`` (style → the last number that opened a
    paragraph, in the order the styles first came): a numbered heading goes on into a line numbered in
    an outer style out of its sequence (1.…教学方法单 | 一、吸引力不强。 under 二、 is the word 单一)."""
    paragraph = paragraph.lstrip()
    if _SPEECH_NOTE.match(paragraph):
        return True
    if _SUBTITLE_OPEN.match(line) and _TITLE_END.search(paragraph):
        return True  # a title, then its subtitle: ——2024年12月26日在…会议上
    if _may_open_with_field(paragraph) and FIELD.match(_simplified_head(paragraph)):
        head = _simplified_head(line)
        if FIELD.match(head) or marker(head):
            return True  # a field's line, then the next field (责任单位：… | 整改措施：…)
    if not (_SENTENCE_END.search(paragraph) or _TAG_END.search(paragraph)) or _LATIN_BRACKET_END.search(
        paragraph
    ):
        # A numbered heading (no sentence in it) that happens to fill its line, followed by the
        # next numbered line, a field, 整改情况： or the first of its measures (一是…): headings
        # do not run on (in traditional characters too: 整改情況：).
        own = parse_label(paragraph)
        if own is None or _SENTENCE_INSIDE.search(paragraph) is not None:
            return False
        label = parse_label(line)
        if label is not None:
            return numbers is None or not _outer_out_of_sequence(label, own.style, numbers)
        head = _simplified_head(line)
        return (
            _ENUMERATION_START.match(head) is not None
            or marker(head) is not None
            or FIELD.match(head) is not None
        )
    label = parse_label(line)
    if label is not None:
        return not _continues_inline_list(paragraph, label)
    line = _simplified_head(line, _STATUS_HEAD)
    if _FIELD_KEY_END.search(paragraph):
        # A field's key with its value still to come (…；完成情况：| 已完成。): the value goes on
        # here, unless the line opens a list or a field of its own.
        return _ENUMERATION_START.match(line) is not None or FIELD.match(line) is not None
    return (
        _ENUMERATION_START.match(line) is not None
        or marker(line) is not None
        or FIELD.match(line) is not None
        or status_lead(line) is not None
        or status_lead_comma(line) is not None
        or _OPENING_SENTENCE.match(line) is not None
    )


def _outer_out_of_sequence(label: Label, inner: str, numbers: dict[str, int]) -> bool:
    """Whether ``label`` is of a numbering style that came before the style ``inner`` (an outer level:
    一、 before （一） before 1.) and is not the next number of it: no item of the outer level opens
    there (一、 under 二、 is no heading; 三、 is)."""
    if label.style == inner or label.style not in numbers or inner not in numbers:
        return False
    styles = list(numbers)
    return styles.index(label.style) < styles.index(inner) and numbers[label.style] != label.number - 1


# A report's closing formulae, which open their own paragraph (欢迎广大干部群众监督…, 特此报告。),
# … and the sentences that open a finding's measures or sum up its status (针对这一问题，…;
# 以上第1、2项问题已完成整改; 其余6个问题已…), which the genre sets as paragraphs of their own.
_OPENING_SENTENCE = lazy(
    r"^(?:欢迎|特此(?:报告|说明|通报|公告|函告)|此致"
    r"|针对(?:这一|这个|这些|该|此|上述|以上|前述)(?:问题|情况)"
    r"|(?:以上|其余|上述)(?:问题|第|各项|[\d一二三四五六七八九十]+[个项条]))"
)


# A release line's key in traditional writing (發佈時間：, 來源：, 瀏覽次數：, 點擊數：, 訪問量：, 閱讀次數：,
# 責任編輯：): a line with none is read as it is.
_TRADITIONAL_KEY = lazy(r"(?:來源|時間|瀏覽|點擊|訪問|閱讀|編輯)[^\s:：]{0,2}[\s\u3000]*[:：]")


def _release_fields(line: str) -> dict[str, str] | None:
    """:func:`core.noise.chrome_metadata` of ``line``, in traditional characters too (發佈時間：…)."""
    found = chrome_metadata(line)
    if (
        found is None
        and ("：" in line or ":" in line)
        and len(line) <= 160
        and _TRADITIONAL_KEY.search(line) is not None
    ):
        found = chrome_metadata(_simplified(line))
    return found


def _simplified(text: str) -> str:
    """``text`` in simplified characters (as it is without OpenCC)."""
    convert = t2s_converter()
    return convert(text) if convert is not None and not text.isascii() else text


def _may_open_with_field(line: str) -> bool:
    """Whether a field could open ``line`` (FIELD): its key's colon stands within the head that
    :func:`_simplified_head` reads, or the head opens with a bracket (【整改期限】). Most lines hold
    neither, and are not converted to be asked."""
    return "：" in line[:16] or ":" in line[:16] or line[:4].lstrip()[:1] in "【［[〔"


def _simplified_head(line: str, length: int = 16) -> str:
    """The start of ``line`` in simplified characters (a report in traditional ones: 整改進展：) and
    with a full stop typed as "." or "．" read as "。" (已整改到位.), for the genre's words to be
    recognised; as it is without OpenCC."""
    convert = t2s_converter()
    head = dots_as_full_stops(dots_as_full_stops(line[:length]), WIDE_DOT)
    head = convert(head) if convert is not None and not head.isascii() else head
    return unbracketed(head)  # 【整改期限】 is 整改期限：


def _continues_inline_list(paragraph: str, label: Label) -> bool:
    """Whether a numbered line goes on with a list run into the paragraph (…；2.将线索移交；|3.推行…):
    the paragraph holds the label before it after a separator."""
    if label.number < 2:
        return False
    before = label.number - 1
    numbers = next((chars for chars in ONE_CHARACTER_NUMBERS if label.label[:1] in chars), None)
    if numbers is not None:
        pattern = numbers[before - 1]  # ① ⑴ ⒈ ㈠: a number of one character is a list's wherever it stands
    elif label.style == "ar":
        pattern = rf"[；;：:。，,]\s*{before}\s*[.、．]"
    elif label.style == "ar_paren":
        pattern = rf"[；;：:。，,]\s*[（(]{before}[)）]"
    elif label.style == "cn_paren" and before in _CN_DIGITS:
        pattern = rf"[；;：:。，,]\s*[（(]{_CN_DIGITS[before]}[)）]"
    else:
        return False
    return re.search(pattern, paragraph) is not None


_CN_DIGITS = dict(enumerate("零一二三四五六七八九十")) | {
    11 + i: f"十{d}" for i, d in enumerate("一二三四五六七八九")
}


def running_headers(lines: list[str]) -> frozenset[str]:
    """The lines a PDF copy prints at the top of every page after the first: each time right after a
    page's number (blank lines between), twice or more, the same words (某市督察“回头看”整改进展清单, a
    meeting's document header). Page furniture, however much they read like the title."""
    after: dict[str, int] = {}
    elsewhere: set[str] = set()
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        # (the first page prints it at its top, before the title: the document's first line)
        if not previous or _page_number_line(previous):
            after[line] = after.get(line, 0) + 1
        else:
            elsewhere.add(line)
        previous = line
    return frozenset(line for line, count in after.items() if count >= 2 and line not in elsewhere)


def _page_number_next(lines: list[str], index: int) -> bool:
    """Whether the next line after ``index`` that is not blank is a page number."""
    for line in lines[index + 1 : index + 4]:
        line = line.strip()
        if line:
            return _page_number_line(line)
    return False


@lru_cache(maxsize=_KEPT)
def _page_number_line(line: str) -> bool:
    """Whether a stripped line is a page's number (— 3 —, 第3页 共5页, or a bare 3 as a PDF copy has it)."""
    return is_page_number(line) or _BARE_PAGE_NUMBER.match(line) is not None


def _glue(paragraph: str, line: str, previous_raw: str, raw: str) -> str:
    """What goes between a line and its continuation: the space the line ended with or the next
    began with, if any, unless it stood between two Chinese characters (a viewer's trailing space);
    a tab as a tab (a table's cells); nothing otherwise."""
    if previous_raw == previous_raw.rstrip() and raw == raw.lstrip():
        return ""
    if "\t" in previous_raw[len(previous_raw.rstrip()) :] or "\t" in raw[: len(raw) - len(raw.lstrip())]:
        return "\t"  # a table's row copied as text, cut at a cell's edge: the cells stay apart
    return "" if _HAN_END.search(paragraph) and _HAN_START.search(line) else " "


def _reach(raw: str, wrap: Wrap) -> float:
    """How far a line reached: its text, and one space after it if it ended with one (a space the
    wrap cut at takes its column)."""
    text = raw.rstrip()
    return wrap.measure(text) + (wrap.measure(" ") if len(raw) > len(text) else 0.0)


def _noise_rest(line: str, before: Callable[[str], bool] | None) -> Callable[[str], bool] | None:
    """What the rest of a noise ``line`` that filled its line may be (``before``: what ``line``
    itself had to be, as the rest of a noise line above it): a navigation bar's or breadcrumb's
    short items (:func:`core.noise.rest_of_bar`); a page's release line's more fields or a short
    value cut at the width (…16:52 责 | 任编辑:信息办); None (any line) for a watermark."""
    if before is rest_of_bar or is_bar(line):
        return rest_of_bar
    fields = chrome_metadata(line) if ("：" in line or ":" in line) else None
    if fields is None:
        return None

    def rest_of_release(rest: str) -> bool:
        return len(rest) <= BAR_ITEM or len(chrome_metadata(line + rest) or ()) > len(fields)

    return rest_of_release


def _title_rest_of_breadcrumb(crumb: str, line: str, lines: list[str], index: int) -> bool:
    """Whether ``line`` is the rest of a breadcrumb's last item cut at the width: a breadcrumb ends
    with the page's own title (首页 > 新闻 > 某委通报巡视整改进展), which the page prints again
    under it (itself perhaps cut): the item joined with ``line`` stands in the next few lines."""
    items = bar_items(crumb)
    if len(items) < 2:
        return False
    title = items[-1].strip() + line
    after = "".join(later.strip() for later in lines[index + 1 : index + 1 + _TITLE_AGAIN_WITHIN])
    return len(title) > BAR_ITEM and title in after


_TITLE_AGAIN_WITHIN = 6  # lines under a breadcrumb within which the page prints its title again


def rejoin(
    lines: list[str], wrap: Wrap, dropped: list[str], noise: frozenset[str] = frozenset()
) -> list[str]:
    """The paragraphs of hard-wrapped ``lines``; watermark, page-number and repeated lines go to ``dropped``."""
    out: list[str] = []
    reach: float | None = None  # how far the last line of the text reached (None: it ended)
    first_line = False  # whether that line opened its paragraph
    noise_continues = False  # whether the last line was dropped as noise and reached the width
    # What the rest of that line may be (None: any line): a bar's short items, a release line's fields
    noise_rest: Callable[[str], bool] | None = None
    in_chrome = False  # whether the last paragraph is a page's 发布时间/来源 line
    previous = ""
    previous_raw = ""
    numbers: dict[str, int] = {}  # numbering style → the number of the last paragraph so numbered
    head = True  # whether no paragraph has held a sentence or a number yet (the title, the page's header)
    at_page_break = False  # whether a page number was the last line that was not blank
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            # (the blank lines around a page number are the page break's, not a paragraph's end:
            # …三是将整改落实 | | — 1 — | | 情况纳入村干部年度考核。 is one sentence)
            if not (at_page_break or _page_number_next(lines, index)):
                reach, noise_continues = None, False
            continue
        # (a page's number, and the running header a page prints after it, are the page break)
        page_number = _page_number_line(line)
        at_page_break = page_number or (at_page_break and line in noise)
        if (
            line in noise
            or is_watermark(line)
            or page_number
            or (
                noise_continues
                and parse_label(line) is None
                and (
                    noise_rest is None
                    or noise_rest(line)
                    or (
                        noise_rest is rest_of_bar
                        and _title_rest_of_breadcrumb(dropped[-1], line, lines, index)
                    )
                )
            )
        ):
            # A watermark or a page number, or the rest of one that filled its line: the text
            # around it joins up as if it were not there. A web page's chrome ends the paragraph.
            # A noise line past the width was not cut at it (a watermark stamped on the copy), nor
            # one that ends its sentence or its bracketed notice: the line after it is the text's
            # own; so is a line of more than a bar's items after a navigation bar or breadcrumb, and
            # one that adds no field to a page's release line (_noise_rest).
            dropped.append(line)
            text = raw.rstrip()
            noise_continues = (
                wrap.full(text)
                and not wrap.past(text)
                and not _NOISE_CLOSED.search(line)
                and line not in noise  # (a running header is whole: a rest of it would repeat too)
            )
            if is_page_chrome(line):
                reach = None
            if noise_continues:
                noise_rest = _noise_rest(line, noise_rest)
            continue
        noise_continues = False
        chrome = _release_fields(line)
        if chrome is not None:
            # A page's 发布时间/来源 line: a paragraph of its own, for core.noise.
            out.append(line)
            in_chrome, reach, first_line = True, _reach(raw, wrap), False
            previous, previous_raw = line, raw
            continue
        goes_on = wrap.goes_on(reach, first_line, line)
        if in_chrome and goes_on:
            # The rest of a page's 发布时间/来源 line cut at the width (来 | 源：… 浏览量：) joins it
            # when it adds fields; the report's first sentence does not.
            before, after = _release_fields(out[-1]) or {}, _release_fields(out[-1] + line) or {}
            if len(after) > len(before):
                out[-1] += line
                reach = _reach(raw, wrap)
                previous, previous_raw = line, raw
                continue
            goes_on = False
        in_chrome = False
        if line == previous and (len(line) >= 8 or not first_line):
            # A physical line printed twice (a copy's slip): a long one, or the end of a paragraph
            # (…整改到 | 位。 | 位。). A short paragraph of its own may be said twice (已完成 | 已完成).
            dropped.append(line)
            continue
        if out and (
            (
                goes_on
                and not _starts_paragraph(out[-1], line, raw, numbers, wrap)
                and not (head and ends_head_line(out[-1], line, first_line))
            )
            or (reach is not None and continues_by_punctuation(line, reach if head else None, wrap))
        ):
            out[-1] += _glue(out[-1], line, previous_raw, raw) + line
            first_line = False
        else:
            if head and out and _SENTENCE_INSIDE.search(out[-1]):
                head = False
            out.append(raw.rstrip())  # its indentation kept: evidence for a second reading
            first_line = True
            label = parse_label(line)
            if label is not None:
                numbers[label.style] = label.number
                head = False
        reach = _reach(raw, wrap)
        previous, previous_raw = line, raw
    return out


# A line set in spaced-out letters (关 于 巡 察 整 改 情 况 的 报 告: a title or heading letter-spaced
# in the original, and so in its PDF's or page's text): five characters or more, each one alone
# between spaces, the first a Chinese character (a page's number so set, 第 1 页 共 4 页, stays).
_LETTER_SPACED = lazy(r"(?m)^[ \u3000]*[\u4e00-\u9fff](?:[ \u3000]{1,3}[^\s]){4,}[ \u3000]*$")
_LETTER_GAP = lazy(r"(?<=\S)[ \u3000]{1,3}(?=\S)")


def unspaced(blocks: list[Any]) -> list[Any]:
    """The blocks (lines or paragraphs, and tables left as they are) with each line set in spaced-out
    letters read as its characters alone (关于巡察整改情况的报告); the blocks as they are when no line
    is so set (one search of the whole text)."""
    texts = [block for block in blocks if isinstance(block, str)]
    if not _LETTER_SPACED.search("\n".join(texts)):
        return blocks
    return [
        "\n".join(
            _LETTER_GAP.sub("", line) if _LETTER_SPACED.fullmatch(line) and not is_page_number(line) else line
            for line in block.split("\n")
        )
        if isinstance(block, str)
        else block
        for block in blocks
    ]


# A line that holds a numbering label alone (一、 | （二） | 3. | ④; matched whole): a copy that set the
# label apart from its text (a hanging label drawn in a column of its own, Word's automatic number
# copied out of its tab stop) puts the text on the next line.
_BARE_LABEL = lazy(
    rf"[ \u3000\t]*(?:[一二三四五六七八九十]{{1,3}}[、.．]|[（(](?:[一二三四五六七八九十]{{1,3}}|\d{{1,2}})[）)]"
    rf"|\d{{1,2}}[.．、]|[{''.join(ONE_CHARACTER_NUMBERS)}])[ \u3000\t]*"
)


_LABEL_MAX = 12  # the length of the longest label alone, its space around it included


def labels_rejoined(blocks: list[Any]) -> list[Any]:
    """The blocks (lines or paragraphs, and tables left as they are) with each block that holds a
    numbering label alone joined to the text that follows it (一、 | 总体情况 → 一、总体情况), where that
    text opens with no label of its own; the blocks as they are when none holds a label alone."""
    # (a label alone is a short block: the few short ones are matched, not the whole text searched)
    if not any(
        _BARE_LABEL.fullmatch(block) for block in blocks if type(block) is str and len(block) <= _LABEL_MAX
    ):
        return blocks
    out: list[Any] = []
    pending: str | None = None  # a label alone, waiting for its text
    for block in blocks:
        if pending is not None:
            if isinstance(block, str) and not block.strip():
                continue  # a blank paragraph between the label and its text
            if isinstance(block, str) and parse_label(block.strip()) is None:
                text = block.strip()
                out.append(pending + (" " if text[:1].isascii() and text[:1].isdigit() else "") + text)
                pending = None
                continue
            out.append(pending)
            pending = None
        if isinstance(block, str) and len(block) <= _LABEL_MAX and _BARE_LABEL.fullmatch(block):
            pending = block.strip()
            continue
        out.append(block)
    if pending is not None:
        out.append(pending)
    return out
