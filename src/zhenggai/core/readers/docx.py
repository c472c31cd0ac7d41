"""Word .docx: body paragraphs and tables in order, automatic list numbering printed back as labels.

The package is parsed with lxml directly (entities off, no network, no huge trees) after the
zip and DTD checks of :mod:`zhenggai.core.safezip`. Before the document is parsed whole, it is
streamed once against the budget of :mod:`zhenggai.core.limits` (its elements, paragraphs,
characters, table cells and rows, and the clock), so that a document too large is refused
before its tree fills the memory; numbering.xml and styles.xml must be small. Labels that Word draws from numbering.xml —
``一、`` ``（二）`` ``3.`` — are not in the paragraph text; they are computed here from the
paragraph's (or its style's) numPr, the level's numFmt/lvlText/start, and the counters of the
list, so the structure reader sees the report as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from zhenggai.core.errors import CorruptFileError
from zhenggai.core.limits import Budget
from zhenggai.core.numbering import CIRCLED, DOTTED_DIGITS, PAREN_DIGITS, to_cn
from zhenggai.core.readers import Extracted, Table
from zhenggai.core.safezip import ZipLimits, check_all_xml, open_package, read_member, scan_member

KIND = "Word 文档"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W + "}"
_P, _TBL, _TR, _TC, _SDT = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "sdt"
_T, _TAB, _BR, _CR = _W + "t", _W + "tab", _W + "br", _W + "cr"
_VAL = _W + "val"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_MERGED = object()  # a cell covered by a vertical merge


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


@dataclass
class _Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    styles: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def label(self, num_id: str, ilvl: int) -> str | None:
        abstract_id = self.nums.get(num_id)
        levels = self.abstract.get(abstract_id or "")
        if not levels or ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract_id or "", {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                counters[lvl] = start - 1
                for deeper in [k for k in counters if k > lvl]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return None
        out = level.text
        for k in range(ilvl, -1, -1):
            token = f"%{k + 1}"
            if token in out:
                level_k = levels.get(k, _Level())
                value = counters.get(k, level_k.start)
                out = out.replace(
                    token, _format(value, "decimal" if level.legal and k < ilvl else level_k.fmt)
                )
        return out.strip() or None


# Numbers Word draws as one character each: ①, ⑴ and ⒈ (the labels numbering reads).
_ENCLOSED_FORMATS = {
    "decimalEnclosedCircle": CIRCLED,
    "decimalEnclosedCircleChinese": CIRCLED,
    "decimalEnclosedParen": PAREN_DIGITS,
    "decimalEnclosedFullstop": DOTTED_DIGITS,
}


def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting"):
        return to_cn(value)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "chineseLegalSimplified":
        return "".join("零壹贰叁肆伍陆柒捌玖"[int(d)] for d in str(value)) if value < 10 else to_cn(value)
    enclosed = _ENCLOSED_FORMATS.get(fmt)
    if enclosed is not None and 1 <= value <= len(enclosed):
        return enclosed[value - 1]
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[value - 1]
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord("０") + int(d)) for d in str(value))
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out


def _parse(data: bytes, name: str):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError(
            f"文件已损坏，无法读取（{KIND}的 {name} 不是有效的 XML）", detail=repr(exc)
        ) from exc


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _numbering(package, names: set[str], budget: Budget) -> _Numbering:
    numbering = _Numbering()
    if "word/numbering.xml" in names:
        root = _parse(read_member(package, "word/numbering.xml", kind=KIND, budget=budget), "numbering.xml")
        for abstract in root.iter(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(_W + "lvl"):
                level = _Level()
                for child in lvl:
                    tag = child.tag
                    if tag == _W + "numFmt":
                        level.fmt = child.get(_VAL, "decimal")
                    elif tag == _W + "lvlText":
                        level.text = child.get(_VAL, "")
                    elif tag == _W + "start":
                        level.start = _int(child.get(_VAL), 1)
                    elif tag == _W + "isLgl":
                        level.legal = True
                levels[_int(lvl.get(_W + "ilvl"), 0)] = level
            numbering.abstract[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId", "")
            ref = num.find(_W + "abstractNumId")
            numbering.nums[num_id] = ref.get(_VAL, "") if ref is not None else ""
            for override in num.iter(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                if start is not None:
                    numbering.overrides.setdefault(num_id, {})[_int(override.get(_W + "ilvl"), 0)] = _int(
                        start.get(_VAL), 1
                    )
    if "word/styles.xml" in names and numbering.nums:
        data = read_member(package, "word/styles.xml", kind=KIND, budget=budget)
        if b"numPr" in data:
            numbering.styles = _styles(data)
    return numbering


_STYLE = re.compile(rb'<w:style\b[^>]*?w:styleId="([^"]*)"[^>]*?(?:/>|>(.*?)</w:style>)', re.S)
_NUM_ID = re.compile(rb'<w:numId\b[^>]*?w:val="([^"]*)"')
_ILVL = re.compile(rb'<w:ilvl\b[^>]*?w:val="([^"]*)"')
_BASED = re.compile(rb'<w:basedOn\b[^>]*?w:val="([^"]*)"')


def _styles(data: bytes) -> dict[str, tuple[str | None, int | None, str | None]]:
    """numPr and basedOn of each paragraph style. styles.xml is large and only these matter, so
    the usual ``w:`` spelling is scanned directly; anything else goes through the XML parser."""
    out: dict[str, tuple[str | None, int | None, str | None]] = {}
    if b"<w:styles" not in data[:4096]:
        root = _parse(data, "styles.xml")
        for style in root.iter(_W + "style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            nid = num_pr.find(_W + "numId") if num_pr is not None else None
            lvl = num_pr.find(_W + "ilvl") if num_pr is not None else None
            based = style.find(_W + "basedOn")
            out[style.get(_W + "styleId", "")] = (
                nid.get(_VAL) if nid is not None else None,
                _int(lvl.get(_VAL), 0) if lvl is not None else None,
                based.get(_VAL) if based is not None else None,
            )
        return out
    for match in _STYLE.finditer(data):
        body = match.group(2) or b""
        num_pr = body.split(b"<w:numPr", 1)[1].split(b"</w:numPr>", 1)[0] if b"<w:numPr" in body else b""
        nid = _NUM_ID.search(num_pr)
        lvl = _ILVL.search(num_pr)
        based = _BASED.search(body)
        out[match.group(1).decode("utf-8", "replace")] = (
            nid.group(1).decode() if nid else None,
            _int(lvl.group(1).decode(), 0) if lvl else None,
            based.group(1).decode("utf-8", "replace") if based else None,
        )
    return out


def _style_numpr(numbering: _Numbering, style_id: str | None) -> tuple[str | None, int | None]:
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        num_id, ilvl, based = numbering.styles.get(style_id, (None, None, None))
        if num_id is not None:
            return num_id, ilvl
        style_id = based
    return None, None


def _paragraph_text(p) -> str:
    parts = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _paragraph_label(p, numbering: _Numbering) -> str | None:
    ppr = p.find(_W + "pPr")
    num_id = ilvl = None
    style_id = None
    if ppr is not None:
        pstyle = ppr.find(_W + "pStyle")
        style_id = pstyle.get(_VAL) if pstyle is not None else None
        num_pr = ppr.find(_W + "numPr")
        if num_pr is not None:
            nid = num_pr.find(_W + "numId")
            lvl = num_pr.find(_W + "ilvl")
            num_id = nid.get(_VAL) if nid is not None else None
            ilvl = _int(lvl.get(_VAL), 0) if lvl is not None else None
    if num_id is None:
        num_id, style_ilvl = _style_numpr(numbering, style_id)
        ilvl = ilvl if ilvl is not None else style_ilvl
    if not num_id or num_id == "0":
        return None
    return numbering.label(num_id, ilvl or 0)


def _cell_paragraph(p, numbering: _Numbering | None) -> str:
    """A table cell's paragraph with the label Word numbers it with: a 序号 column numbered by a
    list (its cells hold no typed text at all) prints 1. 2. 3., and so does a list of measures."""
    text = _paragraph_text(p).strip()
    label = _paragraph_label(p, numbering) if numbering is not None else None
    return (label + text) if label else text


def _table(tbl, numbering: _Numbering | None = None) -> Table:
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    open_merge: dict[int, int] = {}  # column -> row where its vertical merge started
    for r, tr in enumerate(tbl.iter(_TR)):
        if tr.getparent() is not tbl:
            continue
        row: list[object] = []
        for tc in tr.findall(_TC):
            span = 1
            vmerge = None
            tcpr = tc.find(_W + "tcPr")
            if tcpr is not None:
                grid = tcpr.find(_W + "gridSpan")
                span = max(1, min(_int(grid.get(_VAL) if grid is not None else None, 1), 64))
                vm = tcpr.find(_W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(_VAL, "continue")
            col = len(row)
            if vmerge == "continue":
                row.append(_MERGED)
            else:
                texts = [_cell_paragraph(p, numbering) for p in tc.iter(_P)]
                row.append("\n".join(t for t in texts if t))
                if vmerge == "restart":
                    open_merge[col] = r
                else:
                    open_merge.pop(col, None)
            row.extend([None] * (span - 1))
            if span > 1:
                merges.append((r, col, r, col + span - 1))
        rows.append(row)
    # Turn vertical merges into ranges over the rows they cover.
    for col in range(max((len(r) for r in rows), default=0)):
        start = None
        for r, row in enumerate([*rows, []]):
            value = row[col] if col < len(row) else None
            if value is _MERGED:
                if start is None:
                    start = r - 1
                row[col] = None
            elif start is not None:
                if start >= 0:
                    merges.append((start, col, r - 1, col))
                start = None
    return Table(rows=rows, merges=merges)


def read_docx(data: bytes, *, limits: ZipLimits | None = None, budget: Budget | None = None) -> Extracted:
    budget = budget or Budget()
    package = open_package(data, kind=KIND, limits=limits) if limits else open_package(data, kind=KIND)
    names = set(package.namelist())
    if "word/document.xml" not in names:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail="no word/document.xml")
    check_all_xml(package, kind=KIND)  # no DTD in any part, before any is streamed
    numbering = _numbering(package, names, budget)
    scan_member(package, "word/document.xml", kind=KIND, budget=budget, visit=_DocumentScan(budget))
    root = _parse(read_member(package, "word/document.xml", kind=KIND), "document.xml")
    body = root.find(_W + "body")
    blocks: list[str | Table] = []
    if body is not None:
        _walk(body, numbering, blocks)
    return Extracted(blocks=blocks)


class _DocumentScan:
    """Spends the budget on document.xml as it streams: paragraphs, text, table cells and rows."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.rows = 0

    def __call__(self, name: str, element) -> None:
        if name == "t":
            self.budget.spend_chars(len(element.text or ""))
        elif name == "p":
            self.budget.spend_paragraphs()
        elif name == "tc":
            self.budget.spend_cells(1, kind=KIND)
        elif name == "tr":
            self.rows += 1
            self.budget.check_rows(self.rows, where=f"{KIND}中的表格")


def _walk(parent, numbering: _Numbering, blocks: list[str | Table]) -> None:
    for child in parent:
        tag = child.tag
        if tag == _P:
            text = _paragraph_text(child).strip()
            label = _paragraph_label(child, numbering)
            if label and text:
                text = label + text
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(line.strip())
        elif tag == _TBL:
            blocks.append(_table(child, numbering))
        elif tag == _SDT:
            content = child.find(_W + "sdtContent")
            if content is not None:
                _walk(content, numbering, blocks)
