"""A streaming SpreadsheetML (.xlsx) package writer: sheets go straight into the zip, row by row.

:class:`XlsxPackage` opens a ``zipfile.ZipFile`` on a path or a binary file object and writes each
worksheet as one zip member through ``ZipFile.open(name, "w")``, so a sheet is compressed as it is
written and memory holds a buffer of rows, not the sheet. Cells are inline strings
(``t="inlineStr"``); merged ranges are kept as their ready ``<mergeCell>`` bytes and written after
``<sheetData>``. The workbook part, the relationships and ``[Content_Types].xml``, which list
every sheet, are written when the package is closed.

Text is escaped for XML and stripped of the characters XML 1.0 does not allow (C0 controls other
than tab and line feed, lone surrogates, U+FFFE/U+FFFF); a carriage return is kept as ``&#13;``.
Cell text that happens to read like SpreadsheetML's own escape ``_xHHHH_`` (which Excel turns into
the character U+HHHH) has its underscore escaped as ``_x005F_``, so it reads back as written.
The styles are the caller's: a fixed ``styles.xml`` made by :func:`styles_xml` from fonts and cell
formats, each cell naming its format by index.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
COMPRESS_LEVEL = 1  # deflate: level 6 makes the file ~17 % smaller and the whole export ~1.6x slower
FLUSH_BYTES = 1 << 16  # rows are handed to the compressor in chunks of about this many characters
ZIP32_SAFE = 1 << 30  # a member that may grow past this is written with Zip64 headers

# A Zip64 local header: version 4.5 to extract, and its 32-bit sizes (at these offsets) 0xFFFFFFFF.
ZIP64_VERSION = 45
_HEADER_SIZES = slice(18, 26)


class Zip64Member(zipfile.ZipInfo):
    """A zip member whose local header is a whole Zip64 one, as the ZIP specification (4.5.3) has it,
    on every Python: the version needed to extract 4.5, the 32-bit sizes 0xFFFFFFFF and the sizes
    in the Zip64 extra field. CPython before 3.11.4 (Debian 12 ships 3.11.2) adds the extra field
    for ``force_zip64`` but left the version at 2.0 and the small sizes in place, a header that
    strict readers refuse; from 3.11.4 on this header is what ``zipfile`` writes anyway."""

    def FileHeader(self, zip64: bool | None = None) -> bytes:  # (zipfile's name for it)
        if not zip64:
            return super().FileHeader(zip64)
        self.extract_version = max(self.extract_version, ZIP64_VERSION)
        self.create_version = max(self.create_version, ZIP64_VERSION)
        header = bytearray(super().FileHeader(zip64))
        header[_HEADER_SIZES] = b"\xff" * 8
        return bytes(header)


_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NAME_ILLEGAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
# ECMA-376 ST_Xstring: "_xHHHH_" in cell text stands for U+HHHH; a literal one is written
# "_x005F_xHHHH_". Every underscore that starts one is escaped, overlapping ones ("_x000D_x000D_") too.
XSTRING_UNDERSCORE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _ILLEGAL.sub("", text)


def escape_text(text: str) -> str:
    """``text`` as XML character data (element content or attribute value), illegal characters dropped."""
    if _SPECIAL.search(text) is None:
        return text
    text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    """``text`` as a double-quoted attribute value: controls (tab and newline included) dropped."""
    text = _NAME_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(ref: str, style: int, value: Any) -> str:
    """One ``<c>``: an inline string, a number, or (``None``/``""``) an empty cell with its style."""
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if type(value) is not str:
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float) and value == value and value not in (float("inf"), float("-inf")):
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        value = str(value)
    if "_x" in value:
        value = XSTRING_UNDERSCORE.sub("_x005F_", value)
    if _SPECIAL.search(value) is not None:
        value = escape_text(value)
        if not value:
            return f'<c r="{ref}" s="{style}"/>'
    if value != value.strip():
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{value}</t></is></c>'


@dataclass(frozen=True)
class Font:
    name: str
    size: float = 11
    bold: bool = False


@dataclass(frozen=True)
class CellFormat:
    """One ``cellXfs`` entry: a font index, whether it has the thin border, and its alignment."""

    font: int = 0
    border: bool = False
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False


def styles_xml(fonts: Sequence[Font], formats: Sequence[CellFormat], border_rgb: str = "00808080") -> str:
    """``styles.xml`` with ``fonts`` (font 0 is the workbook default) and ``formats`` as cellXfs
    (format 0 is the default: font 0, no border, no alignment)."""
    family = '<family val="2"/>'
    font_xml = "".join(
        f'<font>{"<b/>" if f.bold else ""}<sz val="{f.size:g}"/><name val="{escape_attr(f.name)}"/>'
        f"{family if i == 0 else ''}</font>"
        for i, f in enumerate(fonts)
    )
    side = f'style="thin"><color rgb="{border_rgb}"/>'
    border = f"<border><left {side}</left><right {side}</right><top {side}</top><bottom {side}</bottom><diagonal/></border>"
    xfs = []
    for f in formats:
        attrs = f'numFmtId="0" fontId="{f.font}" fillId="0" borderId="{int(f.border)}" xfId="0"'
        if f.font:
            attrs += ' applyFont="1"'
        if f.border:
            attrs += ' applyBorder="1"'
        align = ""
        if f.horizontal or f.vertical or f.wrap:
            attrs += ' applyAlignment="1"'
            align = (
                "<alignment"
                + (f' horizontal="{f.horizontal}"' if f.horizontal else "")
                + (f' vertical="{f.vertical}"' if f.vertical else "")
                + (' wrapText="1"' if f.wrap else "")
                + "/>"
            )
        xfs.append(f"<xf {attrs}>{align}</xf>" if align else f"<xf {attrs}/>")
    return (
        f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
        f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>{border}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


@dataclass(frozen=True)
class SheetLayout:
    """What every sheet of a package shares: column widths, frozen rows, printed title rows, page."""

    widths: Sequence[float] = ()
    frozen_rows: int = 0
    print_title_rows: tuple[int, int] | None = None
    landscape: bool = False
    paper_size: int = 9  # A4
    fit_to_width: bool = False


@dataclass
class _Sheet:
    name: str
    part: str
    print_titles: tuple[int, int] | None = None


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name from ``name``: ``[]:*?/\\`` as ``_``, controls dropped, no leading
    or trailing apostrophe, at most 31 characters, ``name(2)`` … when taken (case-insensitively, as
    Excel compares them). Adds the result to ``taken`` (lower-cased)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in _NAME_ILLEGAL.sub("", name or ""))
    clean = clean.strip("'")[:31].strip("'") or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        candidate = f"{clean[:28]}({n})"
        n += 1
    taken.add(candidate.lower())
    return candidate


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference prefix: ``'name'`` with apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


class SheetWriter:
    """Writes one worksheet member: :meth:`row` in order, :meth:`merge` any time, then :meth:`close`."""

    def __init__(self, stream: IO[bytes], layout: SheetLayout, *, selected: bool = False) -> None:
        self._stream = stream
        self._buffer: list[str] = []
        self._size = 0
        self._merges = bytearray()
        self.merge_count = 0
        self.rows = 0
        self.closed = False
        head = [XML_DECL, f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
        head.append('<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>')
        head.append('<pageSetUpPr fitToPage="1"/></sheetPr>' if layout.fit_to_width else "</sheetPr>")
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if layout.frozen_rows:
            top = f"A{layout.frozen_rows + 1}"
            head.append(
                f'<sheetViews>{view}><pane ySplit="{layout.frozen_rows}" topLeftCell="{top}" '
                'activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
            )
        else:
            head.append(f"<sheetViews>{view}/></sheetViews>")
        head.append('<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
        if layout.widths:
            head.append("<cols>")
            head.extend(
                f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                for i, w in enumerate(layout.widths, start=1)
            )
            head.append("</cols>")
        head.append("<sheetData>")
        self._layout = layout
        self._write("".join(head))

    def _write(self, text: str) -> None:
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self._stream.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()
            self._size = 0

    def row(self, r: int, cells: str) -> None:
        """Row ``r`` (1-based) made of ready ``<c>`` elements (see :func:`cell_xml`)."""
        self._buffer.append(f'<row r="{r}">{cells}</row>')
        self._size += len(cells) + 16
        self.rows += 1
        if self._size >= FLUSH_BYTES:
            self.flush()

    def merge(self, ref: str) -> None:
        self._merges += f'<mergeCell ref="{ref}"/>'.encode("ascii")
        self.merge_count += 1

    def close(self) -> None:
        if self.closed:
            return
        layout = self._layout
        tail = ["</sheetData>"]
        if self.merge_count:
            tail.append(f'<mergeCells count="{self.merge_count}">')
        self._write("".join(tail))
        self.flush()
        if self.merge_count:
            self._stream.write(self._merges)
            self._merges = bytearray()
            self._stream.write(b"</mergeCells>")
        setup = f'<pageSetup paperSize="{layout.paper_size}"'
        if layout.landscape:
            setup += ' orientation="landscape"'
        if layout.fit_to_width:
            setup += ' fitToWidth="1" fitToHeight="0"'
        self._stream.write(
            (
                '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                f"{setup}/></worksheet>"
            ).encode("ascii")
        )
        self._stream.close()
        self.closed = True

    def abandon(self) -> None:
        self._buffer.clear()
        self._merges = bytearray()
        self._stream.close()
        self.closed = True


class XlsxPackage:
    """An .xlsx being written: :meth:`add_sheet` for each sheet in order, then :meth:`close`."""

    def __init__(
        self,
        target: str | os.PathLike[str] | IO[bytes],
        styles: str,
        layout: SheetLayout,
        *,
        compresslevel: int = COMPRESS_LEVEL,
        creator: str = "zhenggai",
        description: str = "",
    ) -> None:
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._path = None if hasattr(target, "write") else target
        self._open: SheetWriter | None = None
        self._layout = layout
        self._sheets: list[_Sheet] = []
        self._taken: set[str] = set()
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._put(
            "docProps/app.xml",
            f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel Compatible / Zhenggai</Application><DocSecurity>0</DocSecurity></Properties>",
        )
        self._put(
            "docProps/core.xml",
            f"{XML_DECL}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape_text(creator)}</dc:creator>"
            + (f"<dc:description>{escape_text(description)}</dc:description>" if description else "")
            + f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>',
        )
        self._put(
            "_rels/.rels",
            f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG_REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>",
        )
        self._put("xl/styles.xml", styles)

    def _put(self, name: str, text: str) -> None:
        self._zip.writestr(name, text.encode("utf-8"))

    @property
    def sheet_count(self) -> int:
        return len(self._sheets)

    def add_sheet(self, name: str, *, size_hint: int = 0, layout: SheetLayout | None = None) -> SheetWriter:
        """A writer for the next sheet, named after ``name`` (made valid and unique); ``layout``: this
        sheet's own, else the package's.

        ``size_hint`` is an upper bound of the sheet XML in bytes where the caller knows one; above
        1 GiB the member gets Zip64 headers, which a member past 2 GiB needs.
        """
        self._close_open()
        title = sheet_name(name, self._taken)
        index = len(self._sheets) + 1
        part = f"xl/worksheets/sheet{index}.xml"
        layout = layout or self._layout
        self._sheets.append(_Sheet(title, part, layout.print_title_rows))
        member = Zip64Member(part)  # (its own header only where the member is Zip64)
        member.compress_type = self._zip.compression  # (as ZipFile.open sets them for a name)
        member._compresslevel = self._zip.compresslevel  # type: ignore[attr-defined]
        stream = self._zip.open(member, "w", force_zip64=size_hint > ZIP32_SAFE)
        self._open = SheetWriter(stream, layout, selected=index == 1)
        return self._open

    def _close_open(self) -> None:
        if self._open is not None and not self._open.closed:
            self._open.close()
        self._open = None

    def close(self) -> None:
        self._close_open()
        sheets = "".join(
            f'<sheet name="{escape_attr(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self._sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape_text(quote_sheet(s.name))}!${s.print_titles[0]}:${s.print_titles[1]}</definedName>"
            for i, s in enumerate(self._sheets)
            if s.print_titles
        )
        self._put(
            "xl/workbook.xml",
            f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>',
        )
        count = len(self._sheets)
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        self._put(
            "xl/_rels/workbook.xml.rels",
            f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        self._put(
            "[Content_Types].xml",
            f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f"{overrides}"
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            "</Types>",
        )
        self._zip.close()

    def abort(self) -> None:
        """Give up after a failure: close the zip and remove the file when it was written to a path
        (a file object is left to its owner, holding an incomplete package)."""
        try:
            if self._open is not None and not self._open.closed:
                self._open.abandon()
            self._zip.close()
        except (OSError, ValueError, RuntimeError):
            pass
        if self._path is not None:
            try:
                os.unlink(self._path)
            except OSError:
                pass
