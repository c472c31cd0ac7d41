"""Plain text: decoding (UTF-8, GB18030/GBK, UTF-16) and lines back into paragraphs."""

from __future__ import annotations

import codecs
from itertools import pairwise, repeat
from operator import itemgetter
from os.path import commonprefix

from zhenggai.core.errors import EncodingError
from zhenggai.core.layout import MAX_OVER_SHARE, rejoin, running_headers, wrap_width
from zhenggai.core.lazy_re import lazy
from zhenggai.core.limits import Budget
from zhenggai.core.noise import BLANKS, BULLETS, repeated_noise
from zhenggai.core.numbering import cn_number
from zhenggai.core.readers import Extracted, Table
from zhenggai.core.readers.html import holds_markup, page_text, text_with_references_read

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_CONTROL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A page copied from a PDF viewer can arrive as one line: split it again at page numbers and at
# top-level headings (一、 二、 … in sequence) that follow a space or a sentence's end.
_INLINE_PAGE_NUMBER = lazy(r"(?:(?<=\s)|^)[—–\-－]\s?\d{1,3}\s?[—–\-－](?=\s|$)")
_INLINE_HEADING = lazy(r"(?:(?<=[\s\u3000。：:；;])|^)([一二三四五六七八九十]{1,3})、")
_DASHES = "—–-－"  # what _INLINE_PAGE_NUMBER's page number stands between
FLAT_LINE = 300
_BULLETS = frozenset(BULLETS)


def decode(data: bytes) -> str:
    """The text of ``data``; raises ``EncodingError`` for bytes that are not text in a known encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    guess = _utf16_guess(data)
    if guess:
        return _strict(data, guess)
    if b"\x00" in data:
        raise EncodingError("文件不是文本文件（含有二进制内容），无法读取")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or _plausible(text):
            return text
    from charset_normalizer import from_bytes  # only for text that is neither UTF-8 nor GB18030

    best = from_bytes(data[: 256 * 1024]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and _plausible(text):
            return text
    raise EncodingError()


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(detail=repr(exc)) from exc


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: the byte order whose text reads as Chinese or ASCII."""
    if b"\x00" not in data[:4096] or len(data) % 2:
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            sample = data[:8192].decode(encoding)
        except UnicodeDecodeError:
            continue
        readable = sum(
            1
            for ch in sample
            if ch in "\n\r\t" or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
        )
        score = readable / max(len(sample), 1)
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= 0.9 else None


def _plausible(text: str) -> bool:
    """Decoded text that is mostly readable (few control or private-use characters)."""
    sample = text[:20000]
    if not sample:
        return True
    bad = len(_CONTROL.findall(sample)) + sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff")
    return bad <= 0.01 * len(sample)


# The control characters _CONTROL finds are ASCII: a text holds one when its ASCII characters do
# (taken out in one pass of the encoder, then looked for among the few bytes left).
_NOT_CONTROL = bytes([9, 10, 13, *range(32, 127)])  # ASCII outside _CONTROL's class


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a character of ``_CONTROL``."""
    return bool(text.encode("ascii", "ignore").translate(None, _NOT_CONTROL))


def split_lines(text: str, dropped: list[str] | None = None, *, rejoin_wrapped: bool = False) -> list[str]:
    """Non-blank lines, stripped, bullets and invisible characters removed, flattened pages re-split;
    with ``rejoin_wrapped``, the lines of hard-wrapped text joined back into paragraphs (core.layout)."""
    if any(char in text for char in _INVISIBLE_CHARS):  # seldom: translate looks up every character
        text = text.translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    raws = text.split("\n")
    if rejoin_wrapped:
        raws = rejoin_wrapped_lines(raws, dropped if dropped is not None else [])
    control = _has_control(text)  # one scan of the text, not one a line
    if not control:
        # Most texts: no line opens with a bullet or runs past a flattened page, and the lines are
        # stripped and the blank ones left out by calls mapped over them, with no Python step a line.
        lines = list(filter(None, map(str.strip, raws, repeat(BLANKS))))
        if not lines or (
            max(map(len, lines)) <= FLAT_LINE and _BULLETS.isdisjoint(map(itemgetter(0), lines))
        ):
            return lines
    out: list[str] = []
    for raw in raws:
        # (noise.strip_bullet, written out: a call a line costs more than the test)
        line = (_CONTROL.sub("", raw) if control else raw).strip(BLANKS)
        if not line:
            continue
        if line[0] in BULLETS:
            line = line[1:].strip(BLANKS)
            if not line:
                continue
        if len(line) > FLAT_LINE:
            out.extend(reflow(line, dropped if dropped is not None else []))
        else:
            out.append(line)
    return out


def rejoin_wrapped_lines(raws: list[str], dropped: list[str]) -> list[str]:
    """The lines of a hard-wrapped text joined back into paragraphs (core.layout), the lines as
    they are when they are not wrapped."""
    lines = without_margin(raws)
    wrap = wrap_width(lines)
    if wrap is None:
        return raws
    raws = lines if not blank_between_lines(lines) else [line for line in lines if line.strip(BLANKS)]
    noise = repeated_noise(raws) | running_headers(raws)
    raws = rejoin(raws, wrap, dropped, noise)
    # A text wrapped twice (a wrapped copy cut again at a narrower width) shows its first width
    # once the second is undone.
    again = wrap_width(raws, over_share=2 * MAX_OVER_SHARE)
    if again is not None and again.width > wrap.width:
        raws = rejoin(raws, again, dropped, noise)
    return raws


_MARGIN = " \t\u3000"
BLANK_SEPARATED = 0.8  # the share of lines followed by a blank one past which blank lines part lines


def blank_between_lines(lines: list[str]) -> bool:
    """Whether a blank line follows (nearly) every line: a copy that sets each line off by one (a web
    page's line breaks made paragraphs) says nothing by a blank line of where a paragraph ends."""
    filled = [bool(line.strip(BLANKS)) for line in lines]
    count = sum(filled)
    if count < 4:
        return False
    followed = sum(1 for here, after in pairwise(filled) if here and not after)
    return followed >= BLANK_SEPARATED * (count - 1)


def without_margin(lines: list[str]) -> list[str]:
    """The lines less the indentation every line that is not blank has (a copy that sets the whole
    text off by a margin: four spaces, or 　　 before each line, a paragraph's continuations too).
    Indentation tells where a paragraph opens only where some lines have more of it than others;
    the lines as they are when any line starts at the left edge (most texts)."""
    margin: str | None = None
    for line in lines:
        if not line.strip(BLANKS):
            continue
        if line[:1] not in _MARGIN:
            return lines
        lead = line[: len(line) - len(line.lstrip(_MARGIN))]
        if margin is None or not lead.startswith(margin):
            margin = lead if margin is None else commonprefix([margin, lead])  # noqa: RUF071 - characters, not paths
            if not margin:
                return lines
    if not margin:
        return lines
    cut = len(margin)
    return [line[cut:] if line.strip(BLANKS) else line for line in lines]


def rejoin_blocks(blocks: list[str | Table], dropped: list[str]) -> list[str | Table]:
    """Paragraphs of a Word or PDF document, each run between tables read as text is: hard-wrapped
    lines joined back (a PDF's text pasted into Word, one paragraph a line), and a paragraph that
    holds a whole page split again (reflow). Other paragraphs are returned as they are."""
    out: list[str | Table] = []
    run: list[str] = []

    def flush() -> None:
        texts = run
        joined = rejoin_wrapped_lines(texts, dropped)
        if joined is not texts:  # a wrapped copy cut again is read as text is (twice)
            texts = [p.strip() for p in joined]
        out.extend(piece for p in texts for piece in (reflow(p, dropped) if len(p) > FLAT_LINE else [p]))
        run.clear()

    for block in blocks:
        if isinstance(block, Table):
            flush()
            out.append(block)
        else:
            run.append(block)
    flush()
    return out


def reflow(line: str, dropped: list[str]) -> list[str]:
    """Split a line that holds a whole page at its page numbers and its 一、二、… headings."""
    pieces: list[str] = []
    last = 0
    # A page number stands between dashes, and the headings count from 一、 to 二、 at least: a long
    # paragraph holds neither, as a few substring tests tell (the patterns would try every dash and
    # every numeral of it).
    for match in _INLINE_PAGE_NUMBER.finditer(line) if any(dash in line for dash in _DASHES) else ():
        pieces.append(line[last : match.start()])
        dropped.append(match.group(0).strip())
        last = match.end()
    pieces.append(line[last:])
    joined = " ".join(p.strip() for p in pieces if p.strip())
    if "一、" not in joined or "二、" not in joined:
        return [joined]  # (the first cut is 一、 and the second 二、: cn_number reads no other numeral so)
    cuts = []
    expected = 1
    for match in _INLINE_HEADING.finditer(joined):
        if cn_number(match.group(1)) == expected:
            cuts.append(match.start())
            expected += 1
    if len(cuts) < 2:
        return [joined]
    parts = [joined[: cuts[0]]] if cuts[0] else []
    parts += [joined[a:b] for a, b in zip(cuts, [*cuts[1:], len(joined)], strict=True)]
    return [piece for p in parts for piece in _sublabel_cuts(p.strip()) if piece]


# Under a heading of a page flattened into one line, its items stood on lines of their own: the
# line breaks are the spaces before their labels (（一）…, 1.…, （1）…).
_INLINE_SUBLABEL = lazy(
    r"(?<=\s)(?:[（(]([一二三四五六七八九十]{1,3})[)）]|(\d{1,2})[.．、](?![\d.．])|[（(](\d{1,2})[)）])"
)


def _sublabel_cuts(part: str) -> list[str]:
    """``part`` (one top-level heading's text of a flattened page) split before the labels that a
    space stands before, each numbered as the next of its style or as its style's first (a new
    list under the next heading): 1.提高站位。… 2.加强领导。… within 一、, 1.关于…问题的整改 within
    二、. A label that does not follow a space (…措施：1.…；2.…) runs on in its sentence."""
    if " " not in part and "\u3000" not in part:
        return [part]
    cuts = []
    expected: dict[int, int] = {}
    for match in _INLINE_SUBLABEL.finditer(part):
        style = match.lastindex or 0
        digits = match.group(style)
        number = cn_number(digits) if style == 1 else int(digits)
        if number is not None and (number == 1 or number == expected.get(style)):
            cuts.append(match.start())
            expected[style] = number + 1
    if not cuts:
        return [part]
    pieces = [part[: cuts[0]]] + [part[a:b] for a, b in zip(cuts, [*cuts[1:], len(part)], strict=True)]
    return [piece.strip() for piece in pieces if piece.strip()]


def read_text(data: bytes, *, budget: Budget | None = None) -> Extracted:
    budget = budget or Budget()
    text = decode(data)
    budget.spend_chars(len(text))
    budget.check_time()
    # A page saved as HTML: its text, a line a block (readers.html); a text with a few character
    # references (&nbsp;&nbsp;) has them read.
    text = page_text(text) if holds_markup(text) else text_with_references_read(text)
    dropped: list[str] = []
    lines = split_lines(text, dropped, rejoin_wrapped=True)
    if lines and (not _MARKDOWN_FIRST.isdisjoint(map(itemgetter(0), lines)) or "**" in text or "__" in text):
        lines = markdown_read(lines, dropped)
    budget.spend_paragraphs(len(lines))
    budget.check_time()
    return Extracted(blocks=list(lines), dropped=dropped)


# Markdown's marks, as a text copied out of a Markdown editor, a chat window or a page written in
# Markdown prints them: a heading's hashes (## 一、总体情况), strong emphasis (**一、总体情况**, __…__),
# a list item's mark (- / * / +), a rule (--- alone), and a table whose cells stand between pipes
# (| 序号 | 问题 | 整改措施 |, under a header the row | --- | --- | rules off). Most texts hold none of
# them: the lines' first characters and two searches for the emphasis tell.
_MARKDOWN_FIRST = frozenset("#-*+|_")
# (a hashtag, #巡察整改#, closes its hashes on the line: no heading)
_MARKDOWN_HEADING = lazy(r"#{1,6}(?:[ \t\u3000]+|(?=[^#\s]))(?=[^#]*$)")
# (a page's number between dashes, - 2 -, and a negative figure keep their dash)
_MARKDOWN_ITEM = lazy(r"-[ \t\u3000]+(?=[^\d\s\-—–－])|[*+][ \t\u3000]+(?=\S)")
# (a form's blank to fill in, ______, is no emphasis)
_MARKDOWN_STRONG = lazy(r"\*\*(?=[^*\s])(.+?)(?<=[^*\s])\*\*|__(?=[^_\s])(.+?)(?<=[^_\s])__")
_MARKDOWN_RULE = lazy(r"(?:[-*_][ \t]*){3,}")
_TABLE_RULE = lazy(r"\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?")


def markdown_read(lines: list[str], dropped: list[str]) -> list[str]:
    """``lines`` (stripped) without Markdown's marks (:data:`_MARKDOWN_FIRST`): a heading or a list
    item reads as its text, emphasis as the text emphasised, a table's row as its cells parted by
    tabs (which the reader of tab-separated tables reads as a table); a rule, and the row that rules
    off a table's header, go to ``dropped``."""
    out: list[str] = []
    for line in lines:
        if _TABLE_RULE.fullmatch(line) or _MARKDOWN_RULE.fullmatch(line):
            dropped.append(line)
            continue
        if line.startswith("|") and line.endswith("|") and len(line) > 2:
            line = "\t".join(cell.strip(BLANKS) for cell in line[1:-1].split("|"))
        elif line[0] == "#" and (heading := _MARKDOWN_HEADING.match(line)):
            line = line[heading.end() :]
        elif line[0] in "-*+" and (item := _MARKDOWN_ITEM.match(line)):
            line = line[item.end() :]
        if "**" in line or "__" in line:
            line = _MARKDOWN_STRONG.sub(lambda m: m.group(1) or m.group(2), line)
        line = line.strip(BLANKS)
        if line:
            out.append(line)
    return out
