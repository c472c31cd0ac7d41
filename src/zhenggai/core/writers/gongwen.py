"""Page layout of a 公文 (GB/T 9704-2012) in a Word .docx: the numbers and the XML that gives them.

A4, margins 37 mm top, 28 mm left, 35 mm bottom, 26 mm right (版心 156 × 225 mm); 22 lines of
28 characters: every paragraph has an exact line spacing of 579 twips (28.95 pt; 29 pt gives 21
lines) on a line grid of the same pitch, and 三号 runs carry −0.25 pt character spacing so that 28
characters of 16 pt fit the 156 mm line (a plain 16 pt line holds 27). Title 二号 小标宋, body 三号
仿宋, level one ``一、`` 黑体, level two ``（一）`` 楷体 up to its first full stop, levels three and four
``1.`` ``（1）`` 仿宋; page numbers ``— 1 —`` in 四号 宋体, odd pages right and even pages left, one
character in from the edge of the type area. Font names sit in the East-Asian slot, where Word and
LibreOffice look for CJK text; python-docx's ``font.name`` would set only the Latin slots.

:class:`GongwenDocument` collects paragraphs as XML text and parses them in one go, which keeps a
hundred-problem report well under the time python-docx's object API would take.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

from zhenggai.core.numbering import parse_label
from zhenggai.core.writers.anchor import anchor_line, anchor_property

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"

# ---- the numbers (twips: 1/20 pt, 1440 an inch; 56.7 a millimetre) -----------------------------------
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 210 × 297 mm
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37, 35, 28, 26 mm
TYPE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156 mm
LINE_PITCH = 579  # 28.95 pt: 22 lines fill the 225 mm type area
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
CHAR_SPACING = -5  # twentieths of a point on 三号 runs: 28 × 15.75 pt = 441 pt ≤ 442.2 pt
CHAR = 320 + CHAR_SPACING  # one 三号 character on the line, 315 twips
INDENT = 2 * CHAR  # 首行缩进二字
# The footer's distance from the page's lower edge. The standard puts the page number's 一字线 7 mm
# below the type area (262 mm + 7 mm from the top); 1418 twips (25 mm) places the footer line so
# that LibreOffice draws the dashes' centre there (calibrated with pdftotext -bbox, see the tests).
FOOTER_DISTANCE = 1418
HEADER_DISTANCE = 851

SIZE_TITLE = 44  # 二号 22 pt, in half-points as w:sz takes them
SIZE_BODY = 32  # 三号 16 pt
SIZE_SMALL = 28  # 四号 14 pt: page numbers, 版记
SIZE_ANCHOR = 21  # 五号 10.5 pt: the history anchor under the signature block

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Fonts:
    """Font names written into the document, one per role.

    The defaults are the names GB/T 9704 offices use; :meth:`free` names free stand-ins found on
    Debian. A .docx keeps whichever names it is given: Word or WPS with the official fonts uses
    them, and :func:`zhenggai.core.pdf.docx_to_pdf` maps the official names to the stand-ins.
    """

    title: str = "方正小标宋简体"
    heiti: str = "黑体"
    kaiti: str = "楷体_GB2312"
    fangsong: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"
    title_bold: bool = False  # 小标宋 carries its weight; a regular serif stand-in needs bold

    @classmethod
    def free(cls) -> Fonts:
        """Free fonts: Noto CJK (fonts-noto-cjk) for 小标宋 (in bold), 黑体 and 宋体; FandolFang and
        FandolKai (the Fandol fonts of texlive-lang-chinese: the only free 仿宋 with all of GB2312, and
        a 楷体 with mainland punctuation; :mod:`zhenggai.core.pdf` falls back to AR PL UKai from
        fonts-arphic-ukai); Liberation Serif (Times New Roman's metrics, fonts-liberation2)."""
        return cls(
            title="Noto Serif CJK SC",
            heiti="Noto Sans CJK SC",
            kaiti="FandolKai",
            fangsong="FandolFang",
            page_number="Noto Serif CJK SC",
            latin="Liberation Serif",
            title_bold=True,
        )


@dataclass(frozen=True)
class Para:
    """One paragraph of a 公文, independent of Word.

    ``role``: ``title``, ``blank``, ``body`` (indented two characters), ``plain`` (not indented:
    主送机关, ``附件`` label), ``signature`` and ``date`` (placed by :meth:`GongwenDocument.signature`),
    ``page_break``. ``head`` is how many leading characters are set in the heading face (``hei`` or
    ``kai``): a level-two heading's sentence up to its first ``。``, the rest of the paragraph in 仿宋.
    """

    role: str
    text: str = ""
    head: int = 0
    face: str = "fang"
    outline: int | None = None
    page_break_before: bool = False


def heading_face(label: str) -> tuple[str, int | None]:
    """The face and outline level of a numbered line: ``一、`` 黑体, ``（一）`` 楷体, the rest 仿宋."""
    found = parse_label(label + "题")  # a bare 一、 is not a label to the reader: give it a title
    style = found.style if found else None
    if style == "part":
        return "hei", 0
    if style == "cn":
        return "hei", 0
    if style == "cn_paren":
        return "kai", 1
    if style == "ar":
        return "fang", 2
    if style in ("ar_paren", "ar_rparen"):
        return "fang", 3
    return "fang", None


def heading(label: str, title: str, rest: str = "") -> Para:
    """A numbered paragraph: label and title in the level's face, ``rest`` (problem, status) in 仿宋.

    Level two is run-in (GB/T 9704 7.3.3): 楷体 up to the first ``。`` of the title."""
    face, outline = heading_face(label)
    head_text = label + title
    if face == "kai":
        stop = head_text.find("。")
        head = stop + 1 if stop >= 0 else len(head_text)
    elif face == "hei":
        head = len(head_text)
    else:
        head = 0
    return Para("body", head_text + rest, head=head, face=face, outline=outline)


def cn_date(value: datetime.date) -> str:
    """``2020年5月13日``: Arabic numerals without zero padding (GB/T 9704 7.3.5.1)."""
    return f"{value.year}年{value.month}月{value.day}日"


AUTOSPACE = 75  # the space Word and LibreOffice put between Chinese and Latin letters or digits


def text_width(text: str) -> int:
    """Width of ``text`` in twips on a 三号 line: full-width characters one CHAR; Latin letters and
    digits by Times New Roman's widths (digits half an em, capitals about 0.7), plus the automatic
    space at each change between Chinese and Latin (LibreOffice ignores ``w:autoSpaceDE``, so it
    is counted rather than switched off)."""
    total, previous = 0, None
    for ch in text:
        wide = ord(ch) >= 0x2000
        if wide:
            total += CHAR
        elif ch.isupper():
            total += 230 + CHAR_SPACING
        else:
            total += 160 + CHAR_SPACING
        if previous is not None and wide != previous and ch.isalnum() and not ch.isspace():
            total += AUTOSPACE
        previous = wide
    return total


class GongwenDocument:
    """A .docx with the 公文 page set up; paragraphs are added as :class:`Para` and rendered at once."""

    def __init__(self, fonts: Fonts | None = None) -> None:
        self.fonts = fonts or Fonts()
        self._document = docx.Document()
        self._xml: list[str] = []
        self._faces = {
            "fang": self._rpr(self.fonts.fangsong, SIZE_BODY, spacing=CHAR_SPACING),
            "hei": self._rpr(self.fonts.heiti, SIZE_BODY, spacing=CHAR_SPACING),
            "kai": self._rpr(self.fonts.kaiti, SIZE_BODY, spacing=CHAR_SPACING),
            "title": self._rpr(self.fonts.title, SIZE_TITLE, bold=self.fonts.title_bold),
            "page": self._rpr(self.fonts.page_number, SIZE_SMALL, latin=self.fonts.page_number),
            "anchor": self._rpr(self.fonts.fangsong, SIZE_ANCHOR),
            "small": self._rpr(self.fonts.fangsong, SIZE_SMALL),
        }
        self._setup()

    # ---- the page ------------------------------------------------------------------------------
    def _setup(self) -> None:
        document = self._document
        section = document.sections[0]
        sect = section._sectPr
        for child in list(sect):
            if child.tag in (_W + "pgSz", _W + "pgMar", _W + "docGrid"):
                sect.remove(child)
        sect.append(parse_xml(f'<w:pgSz xmlns:w="{W_NS}" w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'))
        sect.append(
            parse_xml(
                f'<w:pgMar xmlns:w="{W_NS}" w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" '
                f'w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" '
                f'w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            )
        )
        # The line grid: 22 lines of 579 twips. (type="linesAndChars" would also pin 28 characters
        # in Word, but LibreOffice then snaps every character to the grid and breaks the measure.)
        sect.append(parse_xml(f'<w:docGrid xmlns:w="{W_NS}" w:type="lines" w:linePitch="{LINE_PITCH}"/>'))
        self._order_sect(sect)
        self._defaults()
        document.settings.odd_and_even_pages_header_footer = True
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        self._footer(section.footer._element, odd=True)
        self._footer(section.even_page_footer._element, odd=False)
        # The template's thumbnail shows python-docx's empty page, not this document: drop it.
        package_rels = document.part.package.rels
        for rid, rel in list(package_rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                del package_rels[rid]
        props = document.core_properties
        props.author = ""
        props.comments = ""
        props.last_modified_by = ""

    @staticmethod
    def _order_sect(sect) -> None:
        # CT_SectPr's order: references, …, pgSz, pgMar, …, cols, …, docGrid.
        order = ["headerReference", "footerReference", "type", "pgSz", "pgMar", "cols", "titlePg", "docGrid"]
        rank = {_W + name: i for i, name in enumerate(order)}
        children = sorted(sect, key=lambda el: rank.get(el.tag, len(order) - 1.5))
        for child in children:
            sect.append(child)

    def _defaults(self) -> None:
        """docDefaults and the Normal style: 仿宋 三号, exact line pitch, widow control off."""
        styles = self._document.styles.element
        defaults = styles.find(_W + "docDefaults")
        if defaults is not None:
            styles.remove(defaults)
        f = self.fonts
        styles.insert(
            0,
            parse_xml(
                f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
                f'<w:rFonts w:ascii="{_attr(f.latin)}" w:hAnsi="{_attr(f.latin)}" '
                f'w:eastAsia="{_attr(f.fangsong)}" w:cs="{_attr(f.latin)}" w:hint="eastAsia"/>'
                f'<w:kern w:val="2"/><w:sz w:val="{SIZE_BODY}"/><w:szCs w:val="{SIZE_BODY}"/>'
                '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
                f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>{_SPACING}</w:pPr></w:pPrDefault>'
                "</w:docDefaults>"
            ),
        )
        normal = self._document.styles["Normal"].element
        for child in list(normal):
            if child.tag in (_W + "pPr", _W + "rPr"):
                normal.remove(child)
        normal.append(parse_xml(f'<w:pPr xmlns:w="{W_NS}"><w:widowControl w:val="0"/>{_SPACING}</w:pPr>'))
        normal.append(parse_xml(f'<w:rPr xmlns:w="{W_NS}">{_rpr_body(self._faces["fang"])}</w:rPr>'))

    def _footer(self, footer, *, odd: bool) -> None:
        for child in list(footer):
            footer.remove(child)
        side = (
            f'<w:ind w:right="{CHAR_PAGE}"/><w:jc w:val="right"/>'
            if odd
            else f'<w:ind w:left="{CHAR_PAGE}"/>'
        )
        footer.append(
            parse_xml(
                f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="Footer"/><w:widowControl w:val="0"/>'
                f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{FOOTER_LINE}" '
                f'w:lineRule="exact"/>{side}</w:pPr>{page_number_runs(self._faces["page"])}</w:p>'
            )
        )

    # ---- run properties --------------------------------------------------------------------------
    def _rpr(
        self, east_asia: str, size: int, *, spacing: int = 0, bold: bool = False, latin: str | None = None
    ) -> str:
        latin = latin or self.fonts.latin
        return (
            f'<w:rPr><w:rFonts w:ascii="{_attr(latin)}" w:hAnsi="{_attr(latin)}" '
            f'w:eastAsia="{_attr(east_asia)}" w:cs="{_attr(latin)}" w:hint="eastAsia"/>'
            + ("<w:b/><w:bCs/>" if bold else "")
            + (f'<w:spacing w:val="{spacing}"/>' if spacing else "")
            + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:eastAsia="zh-CN"/></w:rPr>'
        )

    def _run(self, text: str, face: str) -> str:
        if not text:
            return ""
        return f'<w:r>{self._faces[face]}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'

    # ---- paragraphs ------------------------------------------------------------------------------
    def add(self, para: Para) -> None:
        role = para.role
        if role == "title":
            if not self._document.core_properties.title:
                self._document.core_properties.title = para.text[:255]
            # Off the grid: LibreOffice would give a 22 pt line two grid lines.
            self._xml.append(self._p(self._run(para.text, "title"), jc="center", snap=False))
        elif role == "blank":
            self._xml.append(self._p(""))
        elif role == "page_break":
            self._xml.append(self._p('<w:r><w:br w:type="page"/></w:r>'))
        elif role == "plain":
            self._xml.append(self._p(self._runs(para), jc="both", page_break=para.page_break_before))
        elif role == "body":
            outline = f'<w:outlineLvl w:val="{para.outline}"/>' if para.outline is not None else ""
            # A heading standing alone (一、… ；（一）… without a sentence after it) goes with the
            # paragraph under it, never last on a page.
            alone = para.outline is not None and para.face in ("hei", "kai") and para.head >= len(para.text)
            self._xml.append(
                self._p(
                    self._runs(para),
                    jc="both",
                    ind=f'w:firstLine="{INDENT}"',
                    extra=outline,
                    keep=alone,
                    keep_lines=alone,
                )
            )
        else:
            raise ValueError(f"unknown paragraph role {role!r}")

    def extend(self, paras: list[Para]) -> None:
        for para in paras:
            self.add(para)

    def signature(self, issuer: str, date: datetime.date | None, *, seal: bool = False) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704 7.3.5), below the body after one empty line.

        Without a seal the issuer stands two characters from the right edge and the date starts two
        characters right of the issuer's start; a date longer than that keeps two characters from
        the edge and the issuer moves with it. With a seal the date stands four characters from the
        edge and the issuer is centred over it."""
        date_text = cn_date(date) if date else ""
        issuer_w, date_w = text_width(issuer), text_width(date_text)
        if seal:
            date_right = 4 * CHAR
            issuer_right = max(0, date_right + (date_w - issuer_w) // 2)
        else:
            issuer_right = 2 * CHAR
            date_right = issuer_right + issuer_w - 2 * CHAR - date_w
            if date_right < 2 * CHAR:
                date_right = 2 * CHAR
                issuer_right = date_right + date_w + 2 * CHAR - issuer_w
        self._keep_tail()
        self._xml.append(self._p("", keep=True, keep_lines=True))
        lines = [(text, right) for text, right in ((issuer, issuer_right), (date_text, date_right)) if text]
        for i, (text, right) in enumerate(lines):
            self._xml.append(
                self._p(
                    self._run(text, "fang"),
                    jc="right",
                    ind=f'w:right="{right}"',
                    keep=i + 1 < len(lines),
                    keep_lines=True,
                )
            )

    def _keep_tail(self) -> None:
        """Keep the end of the body with what follows (GB/T 9704 7.3.5: the signature and the date
        never stand on a page without body text, and the date never apart from the signature).

        Back from the end: empty lines and the attachment note (``附件：…``) are kept whole and with
        the next paragraph, and so is the last line of the last body paragraph (``keepNext`` alone:
        a long paragraph still splits, its end goes over with the signature)."""
        for index in range(len(self._xml) - 1, -1, -1):
            xml = self._xml[index]
            text = "".join(_RUN_TEXT.findall(xml))
            whole = not text or text.startswith(("附件：", "附件:"))
            self._xml[index] = _keep(xml, lines=whole)
            if not whole:
                return

    def imprint(
        self, copy_to: tuple[str, ...] = (), printer: str = "", printed: datetime.date | None = None
    ) -> None:
        """版记 (GB/T 9704 7.4): 抄送 and 印发机关和印发日期 in 四号 仿宋, between a thick rule above
        and below (0.35 mm) and a thin one between them (0.25 mm), one character in from either
        side; the printing date right-aligned with ``印发`` after it.

        A one-column table after one empty line, kept whole. It follows the end of the document
        rather than sitting at the foot of the page: LibreOffice 7.4 places neither a floating table
        (``tblpYSpec="bottom"``) nor a frame (``framePr yAlign="bottom"``) at the foot."""
        rows = []
        if copy_to:
            names = "，".join(n.strip().rstrip("，,、。") for n in copy_to if n.strip())
            rows.append(self._imprint_row(self._run(f"抄送：{names}。", "small"), last=False))
        if printer or printed:
            date = self._run(f"{cn_date(printed)}印发", "small") if printed else ""
            tab = f"<w:r>{self._faces['small']}<w:tab/></w:r>" if date else ""
            rows.append(self._imprint_row(self._run(printer, "small") + tab + date, last=True))
        if not rows:
            return
        self._xml.append(self._p(""))
        self._xml.append(
            "<w:tbl><w:tblPr>"
            f'<w:tblW w:w="{TYPE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders><w:top {_RULE_THICK}/><w:left w:val="nil"/><w:bottom {_RULE_THICK}/>'
            f'<w:right w:val="nil"/><w:insideH {_RULE_THIN}/><w:insideV w:val="nil"/></w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
            f'<w:left w:w="{CHAR_PAGE}" w:type="dxa"/><w:right w:w="{CHAR_PAGE}" w:type="dxa"/></w:tblCellMar>'
            f'</w:tblPr><w:tblGrid><w:gridCol w:w="{TYPE_WIDTH}"/></w:tblGrid>{"".join(rows)}</w:tbl>'
        )
        self._xml.append(self._p(""))  # a document ends with a paragraph, not a table

    @staticmethod
    def _imprint_row(runs: str, *, last: bool) -> str:
        stop = f'<w:tabs><w:tab w:val="right" w:pos="{TYPE_WIDTH - 2 * CHAR_PAGE}"/></w:tabs>'
        keep = "" if last else "<w:keepNext/>"
        ppr = f'<w:pPr>{keep}<w:keepLines/><w:widowControl w:val="0"/>{stop}{_SPACING}</w:pPr>'
        return (
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{TYPE_WIDTH}" w:type="dxa"/>'
            f"</w:tcPr><w:p>{ppr}{runs}</w:p></w:tc></w:tr>"
        )

    def anchor(self, anchor: dict[str, Any] | None) -> None:
        """The history anchor (:mod:`zhenggai.core.writers.anchor`): a small line after an empty
        one, and the whole anchor in the document's properties (``comments``). None: nothing."""
        if not anchor:
            return
        if self._xml:  # with the date above it: never a page of its own
            self._xml[-1] = _keep(self._xml[-1], lines=False)
        self._xml.append(self._p("", keep=True, keep_lines=True))
        self._xml.append(self._p(self._run(anchor_line(anchor), "anchor"), jc="left", snap=False))
        self._document.core_properties.comments = anchor_property(anchor)

    def _runs(self, para: Para) -> str:
        head = min(para.head, len(para.text))
        face = para.face if para.face in ("hei", "kai") else "fang"
        return self._run(para.text[:head], face) + self._run(para.text[head:], "fang")

    @staticmethod
    def _p(
        runs: str,
        *,
        jc: str | None = None,
        ind: str | None = None,
        extra: str = "",
        snap: bool = True,
        page_break: bool = False,
        keep: bool = False,
        keep_lines: bool = False,
    ) -> str:
        ppr = "<w:pPr>" + ("<w:keepNext/>" if keep else "") + ("<w:keepLines/>" if keep_lines else "")
        ppr += ("<w:pageBreakBefore/>" if page_break else "") + '<w:widowControl w:val="0"/>'
        ppr += ("" if snap else '<w:snapToGrid w:val="0"/>') + _SPACING
        if ind:
            ppr += f"<w:ind {ind}/>"
        if jc:
            ppr += f'<w:jc w:val="{jc}"/>'
        ppr += extra + "</w:pPr>"
        return f"<w:p>{ppr}{runs}</w:p>"

    # ---- output ----------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        body = self._document.element.body
        sect = body.find(_W + "sectPr")
        for paragraph in list(body):
            if paragraph.tag == _W + "p":
                body.remove(paragraph)
        fragment = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(self._xml)}</w:body>')
        for paragraph in list(fragment):
            if sect is not None:
                sect.addprevious(paragraph)
            else:
                body.append(paragraph)
        buffer = io.BytesIO()
        self._document.save(buffer)
        return buffer.getvalue()


CHAR_PAGE = 280  # one 四号 character: the page number's distance from the type area's side
FOOTER_LINE = 280  # 14 pt exact: the page-number line, off the body's grid
_SPACING = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'


_RULE_THICK = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'  # 0.35 mm (sz: eighths of a point)
_RULE_THIN = 'w:val="single" w:sz="6" w:space="0" w:color="000000"'  # 0.25 mm
_RUN_TEXT = re.compile(r"<w:t[^>]*>([^<]*)</w:t>")


def _keep(xml: str, *, lines: bool) -> str:
    """The paragraph ``xml`` (as :meth:`GongwenDocument._p` writes it) kept with the next one, and
    kept whole when ``lines``. keepNext and keepLines come first in pPr (CT_PPr's order)."""
    if "<w:keepNext/>" in xml:
        return xml
    return xml.replace("<w:pPr>", "<w:pPr><w:keepNext/>" + ("<w:keepLines/>" if lines else ""), 1)


def page_number_runs(rpr: str) -> str:
    """The runs of a page number as GB/T 9704 prints it, ``— 1 —``: the PAGE field between two
    dashes, every run with the run properties ``rpr``."""
    field = (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        f'<w:r>{rpr}<w:t xml:space="preserve">\u2014 </w:t></w:r>{field}'
        f'<w:r>{rpr}<w:t xml:space="preserve"> \u2014</w:t></w:r>'
    )


def xml_attr(value: str) -> str:
    """``value`` as an XML attribute's text: characters XML forbids dropped, quotes escaped."""
    return escape(_XML_ILLEGAL.sub("", value), {'"': "&quot;"})


def xml_text(value: str) -> str:
    """``value`` as XML text: characters XML forbids dropped, markup escaped."""
    return escape(_XML_ILLEGAL.sub("", value))


def _rpr_body(rpr: str) -> str:
    return rpr.removeprefix("<w:rPr>").removesuffix("</w:rPr>")


_attr = xml_attr
_text = xml_text
