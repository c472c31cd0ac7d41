"""Reports printed in traditional characters (繁體: copied from a Hong Kong or Taiwan mirror, or
converted): read as simplified, so that 整改情況, 完成情況, 巡視, 審計… are recognised as what
they are, while every text the parser returns is kept as printed (the ledger format keeps text as
printed), character for character.

The conversion is OpenCC's (`t2s`), a maintained dictionary, not a table of our own. Each line is
converted so that it keeps its length (phrase by phrase, or character by character where a
phrase would change the length), so that a text the parser returns is found at the same place in
the printed lines and taken from there. A text the parser assembled (lines joined, a prefix cut) is
turned back character by character, by what each simplified character was printed as in this
document. Without OpenCC installed, traditional text is read as it is, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import itemgetter, ne
from typing import Any

from zhenggai.core.lazy_re import lazy

# A document is read as traditional when conversion changes at least this many characters, and
# this share of its Han characters: a simplified text changes in a few rare characters at most.
MIN_CHANGED = 5
MIN_SHARE = 0.03
WARNING = "原文为繁体字：已按简体识别，条目文字保留原文"
NO_OPENCC = "原文似为繁体字，但未安装 OpenCC（opencc），按原文识别，部分字段可能识别不出"

# The ledger's fields that hold printed text (enumerations such as status and round kind are not).
_TEXT_KEYS = frozenset(
    {
        "title",
        "problem",
        "text",
        "status_text",
        "label",
        "department",
        "owner",
        "cause",
        "inspector",
        "target",
    }
)


@cache
def _t2s() -> Callable[[str], str] | None:
    try:
        import opencc  # optional: without it, traditional text is read as printed
    except ImportError:
        return None
    return opencc.OpenCC("t2s").convert


def t2s_converter() -> Callable[[str], str] | None:
    """OpenCC's traditional → simplified conversion, None without OpenCC."""
    return _t2s()


_HAN_RUN = lazy(r"[\u4e00-\u9fff]+")


def _han(text: str) -> int:
    """The Han characters of ``text`` (counted by runs: no Python step per character)."""
    return sum(map(len, _HAN_RUN.findall(text)))


# Characters that exist only in traditional writing, among the commonest of the genre (問題, 情況,
# 會議, 單位, 黨組織, 領導責任…): a report printed in traditional characters holds many of them, so a
# text with none is simplified, and OpenCC (some 30 ms to load in a fresh process) is not needed.
_TRADITIONAL_MARKERS = frozenset(
    "們國會議題業務問責員產與發現實況門單場項這個為來對說時還裡機關黨組織區縣鄉鎮廳處長書記辦開進設規據應經濟領導財資"
)


# … as a class to search for: the engine scans a text for a class some ten times faster than
# frozenset.isdisjoint hashes its characters.
_TRADITIONAL_MARKER = lazy("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")


def looks_traditional(text: str) -> bool:
    """Whether the text is in traditional characters (by what OpenCC would change)."""
    return _traditional(text)[0]


def _traditional(text: str) -> tuple[bool, str | None]:
    """Whether the text is in traditional characters, and OpenCC's conversion of it when it was
    converted to tell (None without OpenCC, or when no marker character called for it)."""
    if _TRADITIONAL_MARKER.search(text) is None:
        return False, None  # no character only traditional writing has: OpenCC need not even load
    convert = _t2s()
    if convert is None:
        return _looks_traditional_without_opencc(text), None
    converted = convert(text)
    if converted == text:
        return False, converted
    # Characters compared on the lines that changed only (a simplified text changes in a few), and
    # only until there are enough of them to tell.
    needed = max(MIN_CHANGED, MIN_SHARE * max(_han(text), 1))
    changed = 0
    for line, other in zip(text.split("\n"), converted.split("\n"), strict=False):
        if line != other:
            changed += sum(map(ne, line, other))  # the positions that differ (map stops at the shorter)
            if changed >= needed:
                return True, converted
    return False, converted


# Frequent characters of the genre that exist only in traditional writing: enough to say that a
# document is traditional when OpenCC is missing (never to convert it).
_TRADITIONAL_ONLY = frozenset("們國會議題業務幹問責員產與發現實況門單場項")


def _looks_traditional_without_opencc(text: str) -> bool:
    return sum(1 for ch in text if ch in _TRADITIONAL_ONLY) >= MIN_CHANGED


def _same_length_lines(lines: list[str], converted: str | None, convert: Callable[[str], str]) -> list[str]:
    """Each line converted keeping its length (:func:`_same_length`). ``converted``, the conversion
    of the lines joined by line ends, is cut at its line ends instead of converting each line again:
    no phrase of OpenCC's dictionaries holds a line end, so each piece is what its line converts to."""
    pieces = converted.split("\n") if converted is not None else []
    if len(pieces) != len(lines):  # a line that holds a line end of its own (a cell's text)
        return [_same_length(line, convert) for line in lines]
    return [
        piece if len(piece) == len(line) else _same_length(line, convert)
        for line, piece in zip(lines, pieces, strict=True)
    ]


def _same_length(line: str, convert: Callable[[str], str]) -> str:
    converted = convert(line)
    if len(converted) == len(line):
        return converted
    chars = [convert(ch) for ch in line]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, line, strict=True))


class _WayBack:
    """How a document prints the marks read otherwise: each read mark → its printed form
    (``chars``), and the read marks printed in more than one form (``mixed``)."""

    def __init__(self, chars: dict[str, str], mixed: frozenset[str]) -> None:
        self.chars = chars
        self.mixed = mixed
        self._table = str.maketrans(chars)
        # A text holding none of these characters comes back as it is. (They are the few marks of
        # _MARKS, each looked for with ``in``, which scans for a character a good deal faster than
        # the engine scans for a class.)
        self._touched = tuple(sorted(set(chars) | mixed))
        self._mixed = tuple(sorted(mixed))
        # str.translate looks every character up in a dict (some 0.3 µs each, whatever the size of
        # the table); str.replace of the few marks a text holds is a hundred times faster, and
        # gives the same text unless a printed form is itself a read character of the table.
        self._by_replace = set(chars).isdisjoint(chars.values())
        # … and when no mark is printed in more than one form (a document typed throughout with a
        # half-width keyboard), every text comes back by that alone, whatever it holds: str.replace
        # finds no mark in a text that holds none, and a text of several lines comes back whole.
        self.plain = self._by_replace and not mixed

    def touches(self, value: str) -> bool:
        """Whether ``value`` holds a character printed otherwise."""
        for char in self._touched:
            if char in value:
                return True
        return False

    def holds_mixed(self, value: str) -> bool:
        """Whether ``value`` holds a character of ``mixed`` (frozenset.isdisjoint would make a string
        of each of its characters to hash it)."""
        for char in self._mixed:
            if char in value:
                return True
        return False

    def printed(self, value: str) -> str:
        """``value`` with each read character in ``chars`` turned into its printed form."""
        if not self._by_replace:
            return value.translate(self._table)
        for read, printed in self.chars.items():
            if read in value:
                value = value.replace(read, printed)
        return value


class Printed:
    """Turns texts read from the simplified lines back into the document's printed characters.

    ``marks``: when only marks were read otherwise (punctuation, never characters), each read mark
    → the mark it was printed as; the way back is then counted (:class:`_WayBack`). Otherwise (a
    text in traditional characters) a text read is looked up where it stands in the view and taken
    from the same place of the printed text; a text the parser assembled (lines joined, a prefix
    cut), found nowhere, is turned back character by character, each into how the document mostly
    prints it where it reads it so (counted for the characters such texts hold only)."""

    def __init__(
        self, printed: list[str], simplified: list[str], marks: dict[str, str] | None = None
    ) -> None:
        if len(printed) != len(simplified):
            raise ValueError("the view has another number of lines than the printed text")
        self._printed = "\n".join(printed)
        self._simplified = "\n".join(simplified)
        self._marks = marks
        self._way: _WayBack | None = None
        self._forms: dict[str, str | None] = {}  # read character → its printed form (None: itself)

    def _way_back(self) -> _WayBack:
        """Each read mark that differs somewhere → how this document mostly prints it, and the read
        marks that stand for more than one printed form (a document that mixes "，" and ","): a text
        holding one of those is looked up where it was read. Built on first use."""
        if self._way is None:
            chars: dict[str, str] = {}
            mixed = set()
            for read, typed in (self._marks or {}).items():
                in_view = self._simplified.count(read)
                converted = in_view - self._printed.count(read)
                if converted > 0:
                    same = in_view - converted
                    if converted > same:
                        chars[read] = typed
                    if same > 0:
                        mixed.add(read)
            self._way = _WayBack(chars, frozenset(mixed))
        return self._way

    def text(self, value: str) -> str:
        if not value:
            return value
        if self._marks is None:
            # A text in traditional characters. Where the text is found in the view, the printed
            # text at the same place is what the character by character way gives for a text
            # whose characters have one printed form each, and the answer for the others.
            at = self._simplified.find(value)
            if at >= 0:
                return self._printed[at : at + len(value)]
            table = {ord(read): form for read in set(value) if (form := self._form_of(read)) is not None}
            return value.translate(table) if table else value
        way = self._way or self._way_back()
        if way.plain:
            return way.printed(value)
        if not way.touches(value):
            return value  # no character of it is printed otherwise in this document
        if not way.holds_mixed(value):
            return way.printed(value)  # every character has one printed form here
        at = self._simplified.find(value)
        if at >= 0:
            return self._printed[at : at + len(value)]
        return way.printed(value)

    def _form_of(self, read: str) -> str | None:
        """How the document mostly prints the character it reads as ``read``, where that is not
        ``read`` itself more often (None then): of the places the view holds it, the printed
        character at each, the first of the commonest."""
        if read in self._forms:
            return self._forms[read]
        counts: dict[str, int] = {}  # printed form → times, in the order they come
        same = 0
        at = self._simplified.find(read)
        while at >= 0:
            printed = self._printed[at]
            if printed == read:
                same += 1
            else:
                counts[printed] = counts.get(printed, 0) + 1
            at = self._simplified.find(read, at + 1)
        form = None
        if counts:
            printed, n = max(counts.items(), key=itemgetter(1))
            form = printed if n > same else None
        self._forms[read] = form
        return form

    def ledger(self, ledger: dict[str, Any]) -> dict[str, Any]:
        """The parsed ledger with its printed texts restored (in place), enumerations untouched."""
        for key in ("title", "preamble", "closing"):
            if isinstance(ledger.get(key), str):
                ledger[key] = self._lines(ledger[key])
        round_ = ledger.get("round")
        if isinstance(round_, dict):
            self._fields(round_)
        metadata = ledger.get("metadata")
        if isinstance(metadata, dict):
            ledger["metadata"] = {
                self.text(k): self.text(v) if isinstance(v, str) else v for k, v in metadata.items()
            }
        if isinstance(ledger.get("dropped"), list):
            ledger["dropped"] = [
                self.text(line) if isinstance(line, str) else line for line in ledger["dropped"]
            ]
        self._nodes(ledger.get("sections"))
        return ledger

    def _lines(self, value: str) -> str:
        if self._marks is not None and (self._way or self._way_back()).plain:
            return self.text(value)  # (each mark comes back by itself, line end or not)
        return "\n".join(self.text(line) for line in value.split("\n"))

    def _fields(self, item: dict[str, Any]) -> None:
        for key in _TEXT_KEYS & item.keys():
            if isinstance(item[key], str):
                item[key] = self.text(item[key])

    def _nodes(self, nodes: Any) -> None:
        for node in nodes if isinstance(nodes, list) else []:
            if not isinstance(node, dict):
                continue
            self._fields(node)
            for measure in node.get("measures") or []:
                if isinstance(measure, dict):
                    self._fields(measure)
            self._nodes(node.get("children"))


# A full stop typed as "." (a half-width keyboard, an OCR): after a Chinese character, a closing
# quote or bracket, or a percent sign that ends a figure (增长2.2%.); a decimal point follows a
# digit (5.2万亩); not before a Latin letter (网站.cn).
# The look-behind stands after the "." it looks past (it checks the two characters that end there),
# so that the pattern opens with the "." and the engine skips from one dot to the next.
_DOT_AS_FULL_STOP = lazy(r"\.(?<=[\u4e00-\u9fff”’」』）)%]\.)(?![A-Za-z])")
DOT_WARNING = "原文以“.”作句号：已按“。”识别，条目文字保留原文"
# … and the full-width dot "．" (U+FF0E), which GB/T 15834 allows as the full stop of scientific
# writing and some input methods and fonts put for 。: read so where it follows what a "." would.
# A numbered label (1．) keeps it: a digit stands before it.
WIDE_DOT = "．"
_WIDE_DOT_AS_FULL_STOP = lazy(r"．(?<=[\u4e00-\u9fff”’」』）)%]．)(?![A-Za-z])")
WIDE_DOT_WARNING = DOT_WARNING.replace("“.”", f"“{WIDE_DOT}”")
# Each dot a full stop may be typed as: the pattern that finds it standing for one, the warning.
_FULL_STOP_DOTS = {
    ".": (_DOT_AS_FULL_STOP, DOT_WARNING),
    WIDE_DOT: (_WIDE_DOT_AS_FULL_STOP, WIDE_DOT_WARNING),
}


def dots_as_full_stops(text: str, dot: str = ".") -> str:
    """``text`` with each "." (or ``dot``, "．") that stands for a full stop read as "。" (same length)."""
    if dot not in text:
        return text
    return _FULL_STOP_DOTS[dot][0].sub("。", text)


def types_full_stop_as_dot(text: str, dot: str = ".") -> bool:
    """Whether ``text`` types its full stops as "." (or ``dot``, "．"): three at least, more than its 。."""
    dots = len(_FULL_STOP_DOTS[dot][0].findall(text))
    return dots >= 3 and dots > text.count("。")


# Half-width punctuation typed in Chinese text (a half-width keyboard, a scraped page): read as the
# full-width mark it stands for when a Chinese character or mark stands on either side. Between two
# ASCII characters it is left alone: 1,000 / 09:30 / http:// / A,B.
_CHINESE = "\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’"
# (The mark first, then what stands before it, looked back at from after it: see _DOT_AS_FULL_STOP.)
_HALF_PUNCT = lazy(rf"[,;:?!](?:(?<=[{_CHINESE}][,;:?!])|(?=[{_CHINESE}]))")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# … the marks cut out (split at the pattern, the mark captured) and put back full-width in one
# translation of them all, not one Python call a mark.
_HALF_PUNCT_CUT = lazy(rf"([,;:?!])(?:(?<=[{_CHINESE}][,;:?!])|(?=[{_CHINESE}]))")
_FULL_TABLE = str.maketrans(_FULL)
_HALF_MARKS = b",;:?!"
# A pair of half-width brackets that touches Chinese (inside or on either side): (一) (1)加强 (已完成).
# (What touches is told by the pattern, before, inside or after the brackets, so that each pair is
# found by the pattern alone, not by a Python function called for each pair; the text is split at
# the pairs, their insides captured, and each inside put back between full-width brackets by one
# format mapped over them: ``sub`` with a template expands it in Python for each pair.)
_HALF_PARENS = lazy(
    rf"\((?:(?<=[{_CHINESE}]\()|(?=[^()\n\x00]{{0,79}}[{_CHINESE}])|(?=[^()\n\x00]{{1,80}}\)[{_CHINESE}]))"
    r"([^()\n\x00]{1,80})\)"
)
_IN_FULL_PARENS = "（{}）".format
_SEPARATOR = "\x00"


def full_width_punctuation(line: str) -> str:
    """``line`` with the half-width ,;:?!() of Chinese text read as full-width (same length)."""
    if "(" in line:
        pieces = _HALF_PARENS.split(line)  # the text between the pairs, and each pair's inside
        if len(pieces) > 1:
            pieces[1::2] = map(_IN_FULL_PARENS, pieces[1::2])
            line = "".join(pieces)
    parts = _HALF_PUNCT_CUT.split(line)  # the text between the marks, and each mark
    if len(parts) == 1:
        return line
    parts[1::2] = "".join(parts[1::2]).translate(_FULL_TABLE)
    return "".join(parts)


# Each full-width mark the readings below may put in the place of the mark typed.
_MARKS = {"。": ".", **{full: half for half, full in _FULL.items()}, "（": "(", "）": ")"}


# Digits typed full-width (２０２４年１２月底前, a Word document typed in full-width mode): read as
# ASCII digits, which every date, count and label pattern reads.
_WIDE_DIGITS = "０１２３４５６７８９"
_WIDE_DIGIT = lazy(f"[{_WIDE_DIGITS}]")
_DIGITS_TABLE = str.maketrans(_WIDE_DIGITS, "0123456789")
_WIDE_DIGIT_MARKS = dict(zip("0123456789", _WIDE_DIGITS, strict=True))


def simplified(lines: list[str]) -> tuple[list[str], Printed | None, str | None]:
    """The lines to read, the way back to the printed text (None: nothing changed), and a warning.

    Four readings, each keeping every line's length: traditional characters as simplified ones,
    full-width digits as ASCII ones, a full stop typed as "." or "．" as "。" (in a document that
    mostly types it so), and the half-width punctuation of Chinese text as full-width (no warning for
    the digits and the marks: documents and scraped pages commonly print them so)."""
    text = "\n".join(lines)
    view, warnings = lines, []
    marks: dict[str, str] | None = _MARKS
    traditional, converted = _traditional(text)
    if traditional:
        marks = None  # characters read otherwise too: the way back is compared character by character
        convert = _t2s()
        if convert is None:
            warnings.append(NO_OPENCC)
        else:
            view = _same_length_lines(view, converted, convert)
            warnings.append(WARNING)
    if _WIDE_DIGIT.search(text):
        view = [line.translate(_DIGITS_TABLE) for line in view]
        if marks is not None:
            marks = {**marks, **_WIDE_DIGIT_MARKS}  # (the way back prints each digit as the document does)
    # The marks typed half-width are ASCII: the text's ASCII characters (taken out in one pass of
    # the encoder) tell which of them it holds, before a pattern looks for them in the whole text.
    typed = text.encode("ascii", "ignore")
    for dot, (as_full_stop, warning) in _FULL_STOP_DOTS.items():
        if dot in text and types_full_stop_as_dot(text, dot):
            view = [as_full_stop.sub("。", line) for line in view]
            warnings.append(warning)
            if marks is not None and marks["。"] != dot:
                marks = {**marks, "。": dot}  # (the way back prints 。 as the document does)
            break
    if b"(" in typed or (any(mark in typed for mark in _HALF_MARKS) and _HALF_PUNCT.search(text)):
        # One pass over the whole text (lines joined by a character no line holds), not one a line.
        joined = _SEPARATOR.join(view)
        punctuated = full_width_punctuation(joined)
        if punctuated != joined:
            parts = punctuated.split(_SEPARATOR)
            view = parts if len(parts) == len(view) else [full_width_punctuation(line) for line in view]
    printed = Printed(lines, view, marks) if view is not lines else None
    return view, printed, "；".join(warnings) or None
