"""Excel .xlsx ledgers: each sheet's cells with their merged ranges and date formats.

openpyxl reads the sheets in read-only (streaming) mode, after the zip and DTD checks. Before
openpyxl loads anything, the work is bounded (:mod:`zhenggai.core.limits`): the table of shared
strings, which openpyxl reads whole into memory, is streamed first and refused past its count or
its characters; every other part it reads whole must be small. Each sheet is streamed once
before openpyxl reads it, counting its cells (per row and in all) and finding its last row with
content and its merged ranges (which read-only mode does not report); the characters of the
cells read and the clock are checked as the rows come.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib

from lxml import etree
from openpyxl import load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, WORKSHEET_TYPE

from zhenggai.core.errors import CorruptFileError, TooLargeError
from zhenggai.core.limits import SPLIT, Budget, amount
from zhenggai.core.readers import Table
from zhenggai.core.safezip import (
    ZipLimits,
    check_all_xml,
    check_part_size,
    measure_member,
    open_package,
    read_member,
    text_chunks,
)

KIND = "Excel 工作簿"
MAX_COLS = 40  # columns read; a ledger has fewer, and what lies further right is not read
MAX_SHEETS = 50
_XSTRING_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
_MERGE_REF = re.compile(r"[A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?")
_XML = (".xml", ".rels", ".vml")


# What openpyxl raises on a damaged package, as it opens it or reads its sheets.
_BROKEN_PACKAGE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    EOFError,
    SyntaxError,
)


def read_xlsx(data: bytes, *, limits: ZipLimits | None = None, budget: Budget | None = None) -> list[Table]:
    """One :class:`Table` per worksheet, named after the sheet."""
    budget = budget or Budget()
    package = open_package(data, kind=KIND, limits=limits) if limits else open_package(data, kind=KIND)
    names = set(package.namelist())
    if "xl/workbook.xml" not in names:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail="no xl/workbook.xml")
    check_all_xml(package, kind=KIND)
    scans = _bound_what_openpyxl_reads_whole(package, names, budget)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN_PACKAGE) as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail=repr(exc)) from exc
    tables: list[Table] = []
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            tables.append(_sheet(package, sheet, scans, budget))
    except _BROKEN_PACKAGE as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（{KIND}的工作表数据不完整）", detail=repr(exc)) from exc
    finally:
        book.close()
    return tables


def _bound_what_openpyxl_reads_whole(
    package: zipfile.ZipFile, names: set[str], budget: Budget
) -> dict[str, _SheetScan]:
    """Before openpyxl opens the book, bound what it reads as it opens it: the table of shared
    strings, which it reads whole into memory, is measured as it streams; every other XML part is
    streamed once through the sheet scan (openpyxl parses a whole sheet that lacks a
    ``<dimension>`` to size it, before a row is asked for) and, unless it is a worksheet, must be
    small enough to be parsed whole. Returns the scans, by part name."""
    check_part_size(package, ARC_CONTENT_TYPES, kind=KIND, budget=budget)
    try:
        manifest = Manifest.from_tree(etree.fromstring(read_member(package, ARC_CONTENT_TYPES, kind=KIND)))
    except (etree.XMLSyntaxError, *_BROKEN_PACKAGE) as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail=repr(exc)) from exc
    strings = {part.PartName.lstrip("/") for part in manifest.findall(SHARED_STRINGS)}
    sheets = {part.PartName.lstrip("/") for part in manifest.findall(WORKSHEET_TYPE)}
    for name in sorted(strings & names):
        measure_member(package, name, kind=KIND, budget=budget, element="si", check=_SharedStrings(budget))
    scans = {}
    for name in sorted(names - strings):
        if name.endswith(_XML):
            if name not in sheets:
                check_part_size(package, name, kind=KIND, budget=budget)
            scans[name] = scan = _SheetScan(budget)
            scan.read(package, name)
    return scans


class _SharedStrings:
    """Refuses a table of shared strings past its bounds, as its running totals come."""

    def __init__(self, budget: Budget) -> None:
        self.limits = budget.limits

    def __call__(self, elements: int, chars: int, count: int) -> None:
        if count > self.limits.shared_strings:
            raise TooLargeError(
                f"{KIND}的共享字符串过多（超过 {amount(self.limits.shared_strings)} 个），已拒绝读取，{SPLIT}"
            )
        if chars > self.limits.shared_string_chars:
            raise TooLargeError(
                f"{KIND}的共享字符串文字过多（超过 {amount(self.limits.shared_string_chars)} 字），"
                f"已拒绝读取，{SPLIT}"
            )


_NAME = r"<(?:[A-Za-z_][\w.-]*:)?"
_ROW = re.compile(_NAME + r"row[\s/>]")
_CELL = re.compile(_NAME + r"c[\s/>]")
_VALUE = re.compile(_NAME + r"[vt](?:\s[^>]*)?>[^<]")  # a value, or the text of an inline string
_ROW_NUMBER = re.compile(r"""[^>]*?\sr\s*=\s*["'](\d{1,7})["']""")
_MERGE = re.compile(_NAME + r"""mergeCell\b[^>]*?\bref\s*=\s*["']([^"']{1,30})["']""")
_CARRY_CHECK = 4 * 1024 * 1024


class _SheetScan:
    """One sheet streamed as text, row by row, before openpyxl reads it: its cells counted (per row
    and in all), its last row with a value in it, and its merged ranges (which openpyxl's
    read-only mode does not report). Regular expressions over megabyte chunks, no tree."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.row = 0  # the number of the last row seen
        self.last_row = 0  # the last row with a value in it
        self.merges: list[str] = []

    def read(self, package: zipfile.ZipFile, path: str) -> None:
        carry = ""
        for chunk in text_chunks(package, path, kind=KIND, budget=self.budget):
            text = carry + chunk
            starts = [m.start() for m in _ROW.finditer(text)]
            cut = starts[-1] if starts else 0
            if not starts and len(text) > _CARRY_CHECK:  # no row yet: the sheet's head, or one huge row
                cut = text.rfind(">") + 1
            pieces = [text[a:b] for a, b in zip([0, *starts], [*starts, cut], strict=True) if a < b]
            for piece in pieces:
                self._piece(piece)
            carry = text[cut:]
            if len(carry) > _CARRY_CHECK:
                self._row_cells(len(_CELL.findall(carry)))  # a row still open: refuse it early if too wide
        self._piece(carry)

    def _piece(self, piece: str) -> None:
        """One row (from its start tag to the next row's), or what comes before the first."""
        self.budget.spend_elements(piece.count("<") - piece.count("</"), kind=KIND)
        cells = len(_CELL.findall(piece))
        self._row_cells(cells)
        self.budget.spend_cells(cells, kind=KIND)
        if _ROW.match(piece):
            number = _ROW_NUMBER.match(piece)
            self.row = _row_number(number.group(1) if number else None, self.row + 1)
            if _VALUE.search(piece):
                self.last_row = self.row
        if "mergeCell" in piece:
            self.merges.extend(ref for ref in _MERGE.findall(piece) if _MERGE_REF.fullmatch(ref))

    def _row_cells(self, cells: int) -> None:
        if cells > self.budget.limits.row_cells:
            raise TooLargeError(
                f"{KIND}第 {self.row + 1} 行的单元格过多（超过 {amount(self.budget.limits.row_cells)} 个），"
                "已拒绝读取"
            )


def _row_number(text: str | None, default: int) -> int:
    try:
        number = int(text) if text else default
    except ValueError:
        return default
    return number if 0 < number <= 1_048_576 else default


def _sheet(package: zipfile.ZipFile, sheet, scans: dict[str, _SheetScan], budget: Budget) -> Table:
    path = (getattr(sheet, "_worksheet_path", None) or "").lstrip("/")
    scan = scans.get(path)
    if scan is None:
        return Table(rows=[], name=sheet.title)
    budget.check_rows(scan.last_row, where=f"工作表“{sheet.title}”")
    rows: list[list[object]] = []
    formats: dict[tuple[int, int], str] = {}
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # trust the cells, not the <dimension> a file claims
    if scan.last_row:
        for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=scan.last_row, max_col=MAX_COLS)):
            rows.append(_row_values(r, row, formats, budget))
            if r % 256 == 0:
                budget.check_time()
    while rows and not rows[-1]:
        rows.pop()
    return Table(rows=rows, merges=_merges(scan.merges, scan.last_row), name=sheet.title, formats=formats)


def _row_values(r: int, row, formats: dict[tuple[int, int], str], budget: Budget) -> list[object]:
    values: list[object] = []
    for c, cell in enumerate(row):
        value = getattr(cell, "value", None)
        if isinstance(value, dt.datetime | dt.date):
            formats[(r, c)] = getattr(cell, "number_format", "") or ""
        elif isinstance(value, str):
            budget.spend_chars(len(value))
            value = _unescape_xstring(value).strip() or None
        values.append(value)
    while values and values[-1] is None:
        values.pop()
    return values


def _unescape_xstring(text: str) -> str:
    """Cell text with SpreadsheetML's ``_xHHHH_`` escapes decoded, which openpyxl leaves as they are.

    Excel writes a carriage return in a cell as ``_x000D_`` and a literal ``_x`` sequence as
    ``_x005F_x…``; line ends come back as plain line feeds.
    """
    if "_x" not in text:
        return text
    text = _XSTRING_ESCAPE.sub(_xstring_char, text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _xstring_char(match: re.Match[str]) -> str:
    """The character an escape stands for; nothing for a control or surrogate that text cannot hold."""
    code = int(match.group(1), 16)
    if code in (0x09, 0x0A, 0x0D) or (0x20 <= code < 0xD800) or (0xE000 <= code < 0xFFFE):
        return chr(code)
    return ""


def _merges(refs: list[str], last_row: int) -> list[tuple[int, int, int, int]]:
    out = []
    for ref in refs:
        try:
            c1, r1, c2, r2 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if r1 is None or c1 is None or r2 is None or c2 is None or r1 > last_row or c1 > MAX_COLS:
            continue
        out.append((r1 - 1, c1 - 1, min(r2, last_row) - 1, min(c2, MAX_COLS) - 1))
    return out
