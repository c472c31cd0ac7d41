"""Excel .xlsx ledgers: each sheet's cells with their merged ranges and date formats.

openpyxl reads the sheets in read-only (streaming) mode, after the zip and DTD checks; merged
ranges, which read-only mode does not report, are taken from the sheet XML itself. Rows and
columns are capped so a sheet that claims a million rows cannot make the reader spin.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from zhenggai.core.errors import CorruptFileError
from zhenggai.core.readers import Table
from zhenggai.core.safezip import ZipLimits, check_all_xml, open_package, read_member

KIND = "Excel 工作簿"
MAX_ROWS = 5000
MAX_COLS = 40
MAX_SHEETS = 50
_XSTRING_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)"')


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


def read_xlsx(data: bytes, *, limits: ZipLimits | None = None) -> list[Table]:
    """One :class:`Table` per worksheet, named after the sheet."""
    package = open_package(data, kind=KIND, limits=limits) if limits else open_package(data, kind=KIND)
    names = set(package.namelist())
    if "xl/workbook.xml" not in names:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail="no xl/workbook.xml")
    check_all_xml(package, kind=KIND)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN_PACKAGE) as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（不是有效的 {KIND}）", detail=repr(exc)) from exc
    tables: list[Table] = []
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            tables.append(_sheet(package, sheet))
    except _BROKEN_PACKAGE as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（{KIND}的工作表数据不完整）", detail=repr(exc)) from exc
    finally:
        book.close()
    return tables


def _sheet(package: zipfile.ZipFile, sheet) -> Table:
    rows: list[list[object]] = []
    formats: dict[tuple[int, int], str] = {}
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # trust the cells, not the <dimension> a file claims
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLS)):
        values: list[object] = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if isinstance(value, dt.datetime | dt.date):
                formats[(r, c)] = getattr(cell, "number_format", "") or ""
            elif isinstance(value, str):
                value = _unescape_xstring(value).strip() or None
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    merges = _merges(package, getattr(sheet, "_worksheet_path", None))
    return Table(rows=rows, merges=merges, name=sheet.title, formats=formats)


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


def _merges(package: zipfile.ZipFile, path: str | None) -> list[tuple[int, int, int, int]]:
    if not path:
        return []
    name = path.lstrip("/")
    if name not in package.namelist():
        return []
    data = read_member(package, name, kind=KIND)
    out = []
    for match in _MERGE.finditer(data):
        try:
            c1, r1, c2, r2 = range_boundaries(match.group(1).decode("ascii"))
        except (ValueError, TypeError):
            continue
        if r1 is None or c1 is None or r1 > MAX_ROWS or c1 > MAX_COLS:
            continue
        out.append((r1 - 1, c1 - 1, min(r2, MAX_ROWS) - 1, min(c2, MAX_COLS) - 1))
    return out
