"""Splitting a measures paragraph into measures, and what a node's texts say about its status."""

from __future__ import annotations

from zhenggai.core.lazy_re import lazy
from zhenggai.core.numbering import ONE_CHARACTER_NUMBERS, cn_number

# 一是 / 二是 … / 十一是, not 统一是, 唯一是: the look-behind stands after the first numeral and looks
# two characters back (the one before the numeral, and the numeral), so that the pattern opens with
# the numerals' class, which the engine scans for on its own.
_CN_ENUM = lazy(r"([一二三四五六七八九十](?<![统唯同专单之第万归均].)[一二三四五六七八九十]{0,2})是")
# (a bracketed number may be followed by a figure: （3）2025年1月两宗地块均已挂牌出让; a bare one not, 1.5倍)
_AR_ENUM = lazy(
    r"(?:^|(?<=[；;。，,：:\s\u3000]))(?:[（(](\d{1,2})[）)](?=\d)|[（(]?(\d{1,2})[）)]?[.．、）)](?!\d))"
)
# ①… and the other numbers of one character each: ⑴…, ⒈…, ㈠… (each set a sequence of its own)
_CIRCLED_ENUM = lazy(rf"([{''.join(ONE_CHARACTER_NUMBERS)}])")
# （一）…；（二）…: Chinese numerals in brackets run into one paragraph, each opening a clause.
_CN_PAREN_ENUM = lazy(r"(?:^|(?<=[；;。，,：:\s\u3000]))[（(]([一二三四五六七八九十]{1,3})[）)]")
# 第一，…；第二，… / 其一，…其二，…: ordinals that open a clause.
_ORD_ENUM = lazy(r"(?:^|(?<=[；;。，,：:\s\u3000]))(?:第|其)([一二三四五六七八九十]{1,3})[，,、：:]")
_TRAIL = "；;，,、 \u3000\t"


def split_enumeration(text: str) -> list[str]:
    """``一是…；二是…`` / ``1.…;2.…`` / ``①…②…`` (``⑴…⑵…``, ``⒈…⒉…``) / ``第一，…第二，…`` / ``首先，…其次，…`` → one string per item,
    enumerators removed.

    Words before the first enumerator (``市财政局一是…``) belong to the first item. Enumerators
    count only in sequence from one, so a stray ``一是`` or ``3.`` inside a sentence splits nothing.
    """
    for finder in (
        _cn_positions,
        _ar_positions,
        _cn_paren_positions,
        _circled_positions,
        _ord_positions,
        _seq_positions,
    ):
        cuts = finder(text)
        if cuts:
            return _cut(text, cuts)
    return [text.strip()] if text.strip() else []


def _sequence(matches, value) -> list[tuple[int, int]]:
    cuts: list[tuple[int, int]] = []
    expected = 1
    for match in matches:
        if value(match) == expected:
            cuts.append((match.start(), match.end()))
            expected += 1
    return cuts if len(cuts) >= 2 else ([] if not cuts else cuts[:1])


def _cn_positions(text: str) -> list[tuple[int, int]]:
    if "一是" not in text:
        return []  # the sequence starts at 一是 or nowhere (a quick test: 一 alone is everywhere)
    return _sequence(_CN_ENUM.finditer(text), lambda m: cn_number(m.group(1)))


def _ar_positions(text: str) -> list[tuple[int, int]]:
    cuts = _sequence(_AR_ENUM.finditer(text), lambda m: int(m.group(1) or m.group(2)))
    return cuts if len(cuts) >= 2 or (cuts and cuts[0][0] == 0) else []


def _cn_paren_positions(text: str) -> list[tuple[int, int]]:
    if "一）" not in text and "一)" not in text:
        return []  # the sequence starts at （一） or nowhere
    cuts = _sequence(_CN_PAREN_ENUM.finditer(text), lambda m: cn_number(m.group(1)))
    return cuts if len(cuts) >= 2 else []


# 首先，…；其次，…；再次，…；最后，…: the words of a sequence, 最后 closing it at any place.
_SEQ_ENUM = lazy(r"(?:^|(?<=[；;。，,：:\s\u3000]))(首先|其次|再次|最后)[，,、：:]")
_SEQ_PLACE = {"首先": 1, "其次": 2, "再次": 3}


def _ord_positions(text: str) -> list[tuple[int, int]]:
    if "第一" not in text and "其一" not in text:
        return []  # the sequence starts at 第一 or 其一, or nowhere
    cuts = _sequence(_ORD_ENUM.finditer(text), lambda m: cn_number(m.group(1)))
    return cuts if len(cuts) >= 2 else []


def _seq_positions(text: str) -> list[tuple[int, int]]:
    if "首先" not in text:
        return []
    cuts: list[tuple[int, int]] = []
    for match in _SEQ_ENUM.finditer(text):
        word = match.group(1)
        if _SEQ_PLACE.get(word) == len(cuts) + 1 or (word == "最后" and len(cuts) >= 2):
            cuts.append((match.start(), match.end()))
            if word == "最后":
                break
    return cuts if len(cuts) >= 2 else []


def _circled_positions(text: str) -> list[tuple[int, int]]:
    matches = list(_CIRCLED_ENUM.finditer(text))
    for chars in ONE_CHARACTER_NUMBERS if matches else ():
        ours = [match for match in matches if match.group(1) in chars]
        if ours:
            cuts = _sequence(ours, lambda m, chars=chars: chars.index(m.group(1)) + 1)
            if len(cuts) >= 2 or (cuts and cuts[0][0] == 0):
                return cuts
    return []


def _cut(text: str, cuts: list[tuple[int, int]]) -> list[str]:
    items = []
    head = text[: cuts[0][0]].strip(_TRAIL)
    for i, (_, end) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        items.append(text[end:stop].strip(_TRAIL))
    if head:
        items[0] = head + items[0]
    return [item for item in items if item]
