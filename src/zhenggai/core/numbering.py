"""Numbering labels as reports print them: 第一部分, 一、, （一）, 1., 1、, （1）, 1）, ①.

A label has a *style* (which family of numbering it belongs to) and a *number*. The structure
reader nests items by the order in which styles first appear, so the styles must separate the
families a report uses for different depths while treating half- and full-width variants alike.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# A numeral's value is asked of the same few numerals again and again (一, 二, 十一…): kept.
_KEPT = 1024

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100}
_CN = "零〇○一二两三四五六七八九十百"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# The numbers GB 2312 encodes as one character each, which documents typed with a symbol palette
# print for the labels of the usual styles: ⑴…⒇ for （1）…（20）, ⒈…⒛ for 1.…20., ㈠…㈩ for （一）…（十）.
PAREN_DIGITS = "".join(map(chr, range(0x2474, 0x2488)))
DOTTED_DIGITS = "".join(map(chr, range(0x2488, 0x249C)))
PAREN_IDEOGRAPHS = "".join(map(chr, range(0x3220, 0x322A)))
ENCLOSED = (PAREN_DIGITS, DOTTED_DIGITS, PAREN_IDEOGRAPHS)
# Every set of numbers printed one character each (① ⑴ ⒈ ㈠), each set a sequence of its own.
ONE_CHARACTER_NUMBERS = (CIRCLED, *ENCLOSED)
# each such character → the style of the labels it stands for, and its number
_ENCLOSED = {
    char: (style, number)
    for chars, style in zip(ENCLOSED, ("ar_paren", "ar", "cn_paren"), strict=True)
    for number, char in enumerate(chars, start=1)
}

# Leading white space of any width, bullets that web pages put before paragraphs.
_LEAD = r"[\s\u3000]*"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(_LEAD + rf"(第([{_CN}\d]{{1,4}})(?:部分|章|篇)[\s\u3000]*[、，,：:．.]?)")),
    # Not "一、二季度" (a list of numerals), nor "一.5" (a decimal); "一、2023年以来" is a heading.
    ("cn", re.compile(_LEAD + rf"(([{_CN}]{{1,4}})[\s\u3000]*(?:、(?![{_CN}])|[．.](?![{_CN}\d])))")),
    ("cn_paren", re.compile(_LEAD + rf"([（(][\s\u3000]*([{_CN}]{{1,4}})[\s\u3000]*[）)][、．.]?)")),
    ("ar", re.compile(_LEAD + r"((\d{1,3})[\s\u3000]*[.．、](?![\d.．]))")),
    ("ar_paren", re.compile(_LEAD + r"([（(][\s\u3000]*(\d{1,3})[\s\u3000]*[）)][、．.]?)")),
    ("ar_rparen", re.compile(_LEAD + r"((\d{1,3})[）)])")),
    ("circled", re.compile(_LEAD + rf"(([{CIRCLED}])[、．.]?)")),
    # A list of problems numbered by name (检视清单, 整改方案): 问题一：… 问题二：… / 问题1：…, or the
    # name in square brackets as web ledgers print their fields: 【问题一】… 【整改措施】… (問題 in a
    # copy in traditional characters, which the layout reader sees before it is simplified)
    (
        "wenti",
        re.compile(
            _LEAD
            + rf"((?:[问問][题題][\s\u3000]*([{_CN}]{{1,4}}|\d{{1,3}})[\s\u3000]*[：:]"
            + rf"|[【［\[〔][问問][题題][\s\u3000]*([{_CN}]{{1,4}}|\d{{1,3}})[\s\u3000]*[】］\]〕][：:]?))"
        ),
    ),
]


class Label(NamedTuple):
    """A numbering label read at the start of a line (immutable; a named tuple is made several times
    faster than a frozen dataclass, and the reader makes one for every numbered line)."""

    style: str
    number: int
    label: str  # as printed, punctuation included, surrounding space removed
    rest: str  # the text after the label

    @property
    def text(self) -> str:
        return self.rest


@lru_cache(maxsize=_KEPT)
def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 999 (一 → 1, 十一 → 11, 二十 → 20, 一百零五 → 105)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_CN_NUMERALS = "一二三四五六七八九十"


def to_cn(number: int) -> str:
    """一 … 九十九 (as numbering prints them)."""
    if number <= 0 or number >= 100:
        return str(number)
    tens, ones = divmod(number, 10)
    out = ""
    if tens:
        out = ("" if tens == 1 else _CN_NUMERALS[tens - 1]) + "十"
    if ones:
        out += _CN_NUMERALS[ones - 1]
    return out


_QUICK = re.compile(rf"[\s\u3000]*[第（(\d{_CN}{CIRCLED}{''.join(ENCLOSED)}问問【［\[〔]")


def parse_label(line: str) -> Label | None:
    """The numbering label at the start of ``line``, or None when it does not start with one.

    Remembered by line, found or not: the readers of a report ask about the same lines several
    times (noise, layout, title, structure: some four times a line), and a :class:`Label` is
    immutable. The memory is emptied before each document (:func:`forget_labels`), so it only ever
    serves one read, and when it grows past :data:`_REMEMBERED` lines."""
    known = _labels.get(line, _UNREAD)  # (a miss is no KeyError raised and caught: each line misses once)
    if known is not _UNREAD:
        return known  # type: ignore[return-value]
    label = _parse_label(line) if _QUICK.match(line) else None
    if len(_labels) >= _REMEMBERED:
        _labels.clear()
    _labels[line] = label
    return label


_REMEMBERED = 8192
_labels: dict[str, Label | None] = {}
_UNREAD = object()  # what the memory holds for a line not read yet


def _candidates(first: str) -> list[tuple[str, re.Pattern[str]]]:
    """The styles whose label may start with the character ``first`` (after the leading space), in
    the order they are tried: a line is matched only against the patterns that can match it."""
    found = _BY_FIRST.get(first)
    if found is None:
        if first in _ENCLOSED:  # ⑴ ⒈ ㈠: the style of the labels each set of characters stands for
            found = _BY_FIRST[first] = [(_ENCLOSED[first][0], _ENCLOSED_LABEL)]
        else:
            found = _BY_FIRST[first] = [
                (style, pattern) for style, pattern in _PATTERNS if _STARTS[style].match(first)
            ]
    return found


_ENCLOSED_LABEL = re.compile(_LEAD + rf"(([{''.join(ENCLOSED)}])[、．.]?)")


# What each style's label starts with (after the leading space), as its pattern reads it.
_STARTS = {
    "part": re.compile("第"),
    "cn": re.compile(f"[{_CN}]"),
    "cn_paren": re.compile("[（(]"),
    "ar": re.compile(r"\d"),
    "ar_paren": re.compile("[（(]"),
    "ar_rparen": re.compile(r"\d"),
    "circled": re.compile(f"[{CIRCLED}]"),
    "wenti": re.compile("[问問【［\\[〔]"),
}
_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
_DATE_AFTER = re.compile(r"\d{1,2}[月日]")  # 1.15日 is a date, not item 1
# 3、个 / 2.年 is a count or a date cut by a line break; 7．个别干部… and 6.年轻干部… are items 7 and
# 6: a unit's character opens the words (个别, 年轻, 年度, 日常…) that a problem starts with.
_UNIT_WORDS = {
    "个": frozenset("别人体性"),
    "年": frozenset("轻度初底终龄报鉴"),
    "月": frozenset("度报"),
    "日": frozenset("常"),
}


def _parse_label(line: str) -> Label | None:
    """:func:`parse_label` past its quick test."""
    for style, pattern in _candidates(line.lstrip()[:1]):
        match = pattern.match(line)
        if not match:
            continue
        raw, digits = match.group(1), match.group(2)
        if digits is None and style == "wenti":
            digits = match.group(3)  # the bracketed form: 【问题一】
        number: int | None
        if style == "circled":
            number = CIRCLED.index(digits) + 1
        elif digits in _ENCLOSED:
            number = _ENCLOSED[digits][1]
        else:
            number = cn_number(digits)
        if number is None or number <= 0 or number > 200:
            continue
        rest = line[match.end() :].strip(" \t\u3000")
        if style == "cn" and not rest:
            continue
        if style in ("ar", "ar_rparen") and (
            rest[:1] in ("%", "万", "亿")
            or (rest[:1] in _UNIT_WORDS and rest[1:2] not in _UNIT_WORDS[rest[:1]])
            or _DATE_AFTER.match(rest)
        ):
            continue
        label = "".join(raw.split())  # white space of any width taken out (\u3000 is white space)
        return Label(style, number, label, rest)
    return None


def forget_labels() -> None:
    """Empty the labels remembered: called when a new document is read."""
    _labels.clear()


def bare_label(value: str) -> Label | None:
    """A ledger's 序号 cell: a printed label (``（1）``) or a bare number (``3``)."""
    value = value.strip()
    if re.fullmatch(r"\d{1,5}", value):  # a provincial ledger passes 9,999 rows
        return Label(style="bare", number=int(value), label=value, rest="")
    found = parse_label(value + " x")
    if found is not None and found.rest == "x":
        return Label(style=found.style, number=found.number, label=found.label, rest="")
    return None
