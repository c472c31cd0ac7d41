"""The 整改台账 as a Word table (landscape A4) and as plain text, in the workbook's columns.

:func:`render_ledger_docx` writes the table an office prints with its report: the title in 二号
方正小标宋, the round's facts, then one table whose header row (黑体) is repeated at the top of each
page (``w:tblHeader``), body cells in 仿宋. The columns are the ledger workbook's
(:mod:`zhenggai.core.writers.xlsx_ledger`), in the same order (``column_order``: the argument, else
the ledger's ``column_order`` key, else the default); one row per measure, a problem's 序号, 问题,
完成情况 (and its shared 整改时限) cells merged down over its measures (``w:vMerge``), numbered
headings without a problem of their own as rows across the table. The page is A4 turned, with
GB/T 9704's margins turned with it (type area 225 × 156 mm).

:func:`ledger_text` gives the same rows as readable UTF-8 text: each problem, then each measure
with the other columns as ``名称：内容`` lines.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import docx
from docx.oxml import parse_xml

from zhenggai.core.tables import round_row
from zhenggai.core.writers.anchor import anchor_line, anchor_property
from zhenggai.core.writers.gongwen import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    W_NS,
    Fonts,
    page_number_runs,
    xml_attr,
    xml_text,
)
from zhenggai.core.writers.xlsx_ledger import (
    COLUMN_KEYS,
    COLUMN_NAMES,
    COLUMN_WIDTHS,
    checked_order,
    problem_rows,
)

__all__ = ["ledger_text", "render_ledger_docx"]

_W = "{" + W_NS + "}"
# A4 turned, GB/T 9704's margins turned with it: top 28, bottom 26, left 37, right 35 mm (the type
# area of 156 × 225 mm on its side).
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = PAGE_HEIGHT, PAGE_WIDTH
L_TOP, L_BOTTOM, L_LEFT, L_RIGHT = MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM
TABLE_WIDTH = LANDSCAPE_WIDTH - L_LEFT - L_RIGHT  # 12756 twips = 225 mm
SIZE_TITLE = 44  # 二号
SIZE_ROUND = 28  # 四号: the round's facts under the title
SIZE_CELL = 21  # 五号 10.5 pt: eleven columns on 225 mm
SIZE_PAGE = 28  # 四号: page numbers
_CELL_CHAR = 10 * SIZE_CELL  # one 五号 character, in twips
_CELL_MARGINS = 2 * 57 + 30  # the cell's left and right margins, and some air
_LEAST_CHARS = {"deadline": 5}  # 2020年12月 on one line
_CENTRED = frozenset({"seq", "deadline", "status"})
_INDEX = {key: i for i, key in enumerate(COLUMN_KEYS)}


def _order(ledger: dict[str, Any], column_order: Sequence[str] | None) -> tuple[str, ...]:
    return checked_order(column_order if column_order else ledger.get("column_order"))


_attr = xml_attr


def _rpr(fonts: Fonts, east_asia: str, size: int, *, bold: bool = False) -> str:
    latin = _attr(fonts.latin)
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{_attr(east_asia)}" '
        f'w:cs="{latin}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:eastAsia="zh-CN"/></w:rPr>'
    )


def _runs(text: str | None, rpr: str) -> str:
    """Runs of ``text``, a line break for each newline."""
    if not text:
        return ""
    parts = []
    for i, line in enumerate(str(text).split("\n")):  # (no character XML forbids is a newline)
        brk = "<w:br/>" if i else ""
        parts.append(f'<w:r>{rpr}{brk}<w:t xml:space="preserve">{xml_text(line)}</w:t></w:r>')
    return "".join(parts)


def _p(runs: str, *, jc: str | None = None, line: int = 0, keep: bool = False) -> str:
    ppr = "<w:pPr>" + ("<w:keepNext/>" if keep else "") + '<w:widowControl w:val="0"/>'
    ppr += (
        f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        if line
        else '<w:spacing w:before="0" w:after="0"/>'
    )
    ppr += (f'<w:jc w:val="{jc}"/>' if jc else "") + "</w:pPr>"
    return f"<w:p>{ppr}{runs}</w:p>"


def _widths(order: tuple[str, ...]) -> list[int]:
    """Column widths in twips: as the workbook's, in proportion, but never narrower than the
    header on one line; what the narrow columns take is taken from the others in proportion."""
    least = {
        key: max(len(COLUMN_NAMES[key]), _LEAST_CHARS.get(key, 0)) * _CELL_CHAR + _CELL_MARGINS
        for key in order
    }
    fixed: dict[str, int] = {}
    while True:
        free = [key for key in order if key not in fixed]
        room = TABLE_WIDTH - sum(fixed.values())
        total = sum(COLUMN_WIDTHS[key] for key in free)
        share = {key: int(room * COLUMN_WIDTHS[key] / total) for key in free}
        narrow = {key: least[key] for key in free if share[key] < least[key]}
        if not narrow or len(narrow) == len(free):
            break
        fixed.update(narrow)
    widths = [fixed.get(key) or share.get(key, least[key]) for key in order]
    widths[-1] += TABLE_WIDTH - sum(widths)
    return widths


class _Table:
    def __init__(self, order: tuple[str, ...], fonts: Fonts) -> None:
        self.order = order
        self.widths = _widths(order)
        self.cell = _rpr(fonts, fonts.fangsong, SIZE_CELL)
        self.header = _rpr(fonts, fonts.heiti, SIZE_CELL)
        self.heading = (
            _rpr(fonts, fonts.heiti, SIZE_CELL),
            _rpr(fonts, fonts.kaiti, SIZE_CELL),
            self.cell,
        )
        self.rows: list[str] = []

    def _tc(
        self, i: int, content: str, *, span: int = 1, vmerge: str | None = None, center: bool = False
    ) -> str:
        width = sum(self.widths[i : i + span])
        tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
        tcpr += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        tcpr += (f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>") if vmerge else ""
        tcpr += f'<w:vAlign w:val="{"center" if center else "top"}"/></w:tcPr>'
        return f"<w:tc>{tcpr}{content or _p('')}</w:tc>"

    def header_row(self) -> None:
        cells = "".join(
            self._tc(i, _p(_runs(COLUMN_NAMES[key], self.header), jc="center"), center=True)
            for i, key in enumerate(self.order)
        )
        # Repeated at the top of every page, and never split between two.
        self.rows.append(f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>")

    def line_row(self, text: str, depth: int) -> None:
        rpr = self.heading[min(depth, len(self.heading) - 1)]
        cell = self._tc(0, _p(_runs(text, rpr)), span=len(self.order))
        self.rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>")

    def problem(self, node: dict[str, Any]) -> None:
        rows, merged = problem_rows(node)
        several = len(rows) > 1
        for r, values in enumerate(rows):
            cells = []
            for i, key in enumerate(self.order):
                vmerge = None
                if several and key in merged:
                    vmerge = "restart" if r == 0 else "continue"
                value = values[_INDEX[key]]
                centre = key in _CENTRED
                content = _p(_runs(value, self.cell), jc="center" if centre else None)
                cells.append(self._tc(i, content, vmerge=vmerge, center=centre))
            self.rows.append(f"<w:tr>{''.join(cells)}</w:tr>")

    def nodes(self, nodes: list[dict[str, Any]]) -> None:
        stack = [(node, 0) for node in reversed(nodes)]
        while stack:
            node, depth = stack.pop()
            if node.get("problem") is None and not node.get("measures"):
                self.line_row(f"{node.get('label') or ''}{node.get('title') or ''}", depth)
                if node.get("text"):
                    self.line_row(node["text"], len(self.heading) - 1)
            else:
                self.problem(node)
            stack.extend((child, depth + 1) for child in reversed(node.get("children") or []))

    def xml(self) -> str:
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        borders = "".join(
            f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        return (
            f'<w:tbl><w:tblPr><w:tblW w:w="{TABLE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(self.rows)}</w:tbl>"
        )


def _page_numbers(footer, fonts: Fonts) -> None:
    """``— 1 —`` in 四号 宋体, centred under the table (a landscape table prints one side only)."""
    for child in list(footer):
        footer.remove(child)
    rpr = _rpr(fonts, fonts.page_number, SIZE_PAGE).replace(
        f'w:ascii="{_attr(fonts.latin)}" w:hAnsi="{_attr(fonts.latin)}"',
        f'w:ascii="{_attr(fonts.page_number)}" w:hAnsi="{_attr(fonts.page_number)}"',
    )
    footer.append(
        parse_xml(
            f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f"{page_number_runs(rpr)}</w:p>"
        )
    )


def render_ledger_docx(
    ledger: dict[str, Any],
    *,
    column_order: Sequence[str] | None = None,
    anchor: dict[str, Any] | None = None,
    fonts: Fonts | None = None,
    title: str | None = None,
) -> bytes:
    """The ledger as a .docx: a landscape A4 page with the title, the round and the table.

    ``title``: None takes the ledger's title, else 整改台账. ``anchor``: the history's signed head
    (:mod:`zhenggai.core.writers.anchor`), printed under the table and kept in the properties."""
    fonts = fonts or Fonts()
    document = docx.Document()
    section = document.sections[0]
    sect = section._sectPr
    for child in list(sect):
        if child.tag in (_W + "pgSz", _W + "pgMar", _W + "docGrid", _W + "cols"):
            sect.remove(child)
    sect.append(
        parse_xml(
            f'<w:pgSz xmlns:w="{W_NS}" w:w="{LANDSCAPE_WIDTH}" w:h="{LANDSCAPE_HEIGHT}" w:orient="landscape"/>'
        )
    )
    sect.append(
        parse_xml(
            f'<w:pgMar xmlns:w="{W_NS}" w:top="{L_TOP}" w:right="{L_RIGHT}" w:bottom="{L_BOTTOM}" '
            f'w:left="{L_LEFT}" w:header="851" w:footer="992" w:gutter="0"/>'
        )
    )
    for rid, rel in list(document.part.package.rels.items()):  # python-docx's thumbnail of an empty page
        if rel.reltype.endswith("/thumbnail"):
            del document.part.package.rels[rid]
    _page_numbers(section.footer._element, fonts)
    props = document.core_properties
    props.author = props.comments = props.last_modified_by = ""
    props.title = title or ledger.get("title") or "整改台账"

    table = _Table(_order(ledger, column_order), fonts)
    table.header_row()
    sections = ledger.get("sections") or []
    if sections and all(node.get("sheet") for node in sections):  # a workbook's sheets: one block each
        for node in sections:
            table.line_row(node.get("title") or node["sheet"], 0)
            table.nodes(node.get("children") or [])
    else:
        table.nodes(sections)

    title_rpr = _rpr(fonts, fonts.title, SIZE_TITLE, bold=fonts.title_bold)
    small = _rpr(fonts, fonts.fangsong, SIZE_ROUND)
    xml = [_p(_runs(title or ledger.get("title") or "整改台账", title_rpr), jc="center", line=579, keep=True)]
    rnd = ledger.get("round")
    if rnd:
        xml.append(_p(_runs(round_row(rnd), small), keep=True))
    xml.append(table.xml())
    if anchor:
        xml.append(_p(""))
        xml.append(_p(_runs(anchor_line(anchor), _rpr(fonts, fonts.fangsong, SIZE_CELL))))
        props.comments = anchor_property(anchor)
    else:
        xml.append(_p(""))  # a paragraph after the table, as Word requires
    body = document.element.body
    for paragraph in list(body):
        if paragraph.tag == _W + "p":
            body.remove(paragraph)
    parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(xml)}</w:body>')  # well-formed, or an error here
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_body(buffer.getvalue(), "".join(xml))


def _with_body(package: bytes, content: str) -> bytes:
    """``package`` with ``content`` put at the start of its document's body, as text: moving a
    large parsed table into python-docx's tree costs lxml time quadratic in its size."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = _BODY.search(text)
                if start is None:  # python-docx's template always has one
                    raise ValueError("word/document.xml has no body")
                data = (text[: start.end()] + content + text[start.end() :]).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


_BODY = re.compile(r"<w:body(?:\s[^>]*)?>")


def ledger_text(
    ledger: dict[str, Any], *, column_order: Sequence[str] | None = None, title: str | None = None
) -> str:
    """The ledger as UTF-8 text: the title, the round, then each heading and problem in order,
    the problem's own columns (完成情况, a shared 整改时限) under it and each measure's columns, in
    the workbook's order, as ``名称：内容`` lines. Empty cells are left out."""
    order = _order(ledger, column_order)
    lines = [title or ledger.get("title") or "整改台账"]
    rnd = ledger.get("round")
    if rnd:
        lines.append(round_row(rnd))
    stack = [(node, 0) for node in reversed(ledger.get("sections") or [])]
    while stack:
        node, depth = stack.pop()
        if node.get("problem") is None and not node.get("measures"):
            lines += ["", f"{node.get('label') or node.get('sheet') or ''}{node.get('title') or ''}"]
            if node.get("text"):
                lines.append("\u3000\u3000" + node["text"])
        else:
            lines += ["", *_problem_lines(node, order)]
        stack.extend((child, depth + 1) for child in reversed(node.get("children") or []))
    return "\n".join(lines) + "\n"


def _problem_lines(node: dict[str, Any], order: tuple[str, ...]) -> list[str]:
    rows, merged = problem_rows(node)
    first = rows[0]
    statement = (first[_INDEX["problem"]] or "").replace("\n", "\n\u3000\u3000")
    lines = [f"{first[_INDEX['seq']] or ''}{statement}"]
    if len(rows) == 1:  # one measure: every column in the workbook's order
        return lines + [
            f"\u3000\u3000{COLUMN_NAMES[k]}：{_line(first[_INDEX[k]])}"
            for k in order
            if k not in ("seq", "problem") and first[_INDEX[k]]
        ]
    own = [key for key in order if key in merged and key not in ("seq", "problem")]
    lines += [f"\u3000\u3000{COLUMN_NAMES[k]}：{first[_INDEX[k]]}" for k in own if first[_INDEX[k]]]
    per_measure = [key for key in order if key not in merged]
    for n, values in enumerate(rows, start=1):
        fields = [(COLUMN_NAMES[k], values[_INDEX[k]]) for k in per_measure if values[_INDEX[k]]]
        if not fields:
            continue
        lines.append(f"\u3000\u3000措施{n}")
        lines += [f"\u3000\u3000\u3000\u3000{name}：{_line(value)}" for name, value in fields]
    return lines


def _line(value: Any) -> str:
    return str(value).replace("\n", " ")
