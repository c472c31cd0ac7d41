"""PDF text layer: page headers, footers and page numbers removed, lines re-joined into paragraphs."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from zhenggai.core.errors import CorruptFileError, DocumentError, TooLargeError
from zhenggai.core.limits import SPLIT, Budget
from zhenggai.core.noise import is_page_number
from zhenggai.core.numbering import parse_label
from zhenggai.core.phrases import FIELD, MARKER
from zhenggai.core.readers import Extracted, Table
from zhenggai.core.readers.pdf_tables import PageTable, interleave, page_tables

_MARGIN = 0.09  # share of the page height at top and bottom where running heads and feet live
_DIGITS = re.compile(r"\d+")
_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    page: int
    page_height: float


def read_pdf(data: bytes, *, budget: Budget | None = None) -> Extracted:
    import pdfplumber  # imported here: pdfminer is slow to import and only PDFs need it

    budget = budget or Budget()
    max_pages = budget.limits.pages
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise CorruptFileError("文件已损坏，无法读取（不是有效的 PDF 文件）")
    lines: list[Line] = []
    tables: list[PageTable] = []  # ruled tables (a Word table printed), read cell by cell
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > max_pages:
                raise TooLargeError(f"PDF 页数过多（超过 {max_pages} 页），无法读取，{SPLIT}")
            for number, page in enumerate(pdf.pages):
                budget.check_time()  # between pages: one page is read whole
                here = page_tables(page, number) if page.lines or page.rects else []
                tables.extend(here)
                for found in page.extract_text_lines(return_chars=False):
                    text = found.get("text", "").strip()
                    if text and any(t.holds(number, found["x0"], found["top"]) for t in here):
                        continue  # a cell's text: read with its table
                    if text:
                        budget.spend_chars(len(text))
                        lines.append(
                            Line(text, found["x0"], found["x1"], found["top"], number, float(page.height))
                        )
    except DocumentError:
        raise
    except Exception as exc:
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise DocumentError("PDF 文件已加密，请先解除密码保护再上传") from exc
        raise CorruptFileError("文件已损坏，无法读取（不是有效的 PDF 文件）", detail=repr(exc)) from exc
    if not lines:
        raise DocumentError("该 PDF 没有可读取的文字（可能是扫描件），请上传带文字层的 PDF 或 Word 文件")
    dropped: list[str] = []
    body = strip_running_lines(lines, dropped)
    blocks: list[str | Table] = interleave(body, tables, join_lines) if tables else [*join_lines(body)]
    budget.spend_paragraphs(len(blocks))
    return Extracted(blocks=blocks, dropped=dropped)


def strip_running_lines(lines: list[Line], dropped: list[str]) -> list[Line]:
    """Remove page numbers, and lines in the head or foot margin that recur on several pages."""
    pages = len({line.page for line in lines})
    marginal = Counter(_DIGITS.sub("#", line.text) for line in lines if _in_margin(line))
    out = []
    for line in lines:
        key = _DIGITS.sub("#", line.text)
        if is_page_number(line.text) or (_in_margin(line) and pages >= 2 and marginal[key] >= 2):
            dropped.append(line.text)
            continue
        out.append(line)
    return out


def _in_margin(line: Line) -> bool:
    return line.top < _MARGIN * line.page_height or line.top > (1 - _MARGIN) * line.page_height


def join_lines(lines: list[Line]) -> list[str]:
    """Lines back into paragraphs: a paragraph starts indented, after a short line, or with a label."""
    if not lines:
        return []
    left = statistics.median_low([round(line.x0) for line in lines])
    right = max(line.x1 for line in lines)
    widths = [(line.x1 - line.x0) / max(len(line.text), 1) for line in lines if len(line.text) >= 4]
    char = statistics.median(widths) if widths else 10.0
    paragraphs: list[str] = []
    previous: Line | None = None
    for line in lines:
        starts = (
            previous is None
            or line.x0 > left + 1.5 * char
            or previous.x1 < right - 2.5 * char
            or parse_label(line.text) is not None
            or MARKER.match(line.text) is not None
            or FIELD.match(line.text) is not None
        )
        if starts:
            paragraphs.append(line.text)
        else:
            glue = " " if _ASCII_END.search(paragraphs[-1]) and _ASCII_START.search(line.text) else ""
            paragraphs[-1] += glue + line.text
        previous = line
    return paragraphs
