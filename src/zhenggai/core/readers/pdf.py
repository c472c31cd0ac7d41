"""PDF text layer: page headers, footers and page numbers removed, lines re-joined into paragraphs."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from zhenggai.core.errors import CorruptFileError, DocumentError, TooLargeError
from zhenggai.core.layout import (
    continues_by_punctuation,
    first_piece_columns,
    opens_after_full_line,
    page_metadata_line,
)
from zhenggai.core.limits import SPLIT, Budget
from zhenggai.core.noise import is_page_number
from zhenggai.core.readers import Extracted
from zhenggai.core.readers.pdf_tables import PageTable, interleave, page_tables
from zhenggai.core.readers.text import rejoin_blocks

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
                    text = close_font_gaps(found.get("text", "").strip())
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
    # A PDF printed from hard-wrapped text holds one short paragraph a line (core.layout), and one
    # printed from a flattened page one paragraph a page (readers.text.reflow). Ruled tables
    # (readers.pdf_tables) stand between the runs of paragraphs.
    blocks = rejoin_blocks(
        interleave(body, tables, join_lines) if tables else list(join_lines(body)), dropped
    )
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
    """Lines back into paragraphs: a paragraph starts indented, after a line that stops short of the
    right margin, or where the line before ran to the margin and it opens as a paragraph does
    (core.layout.opens_after_full_line: a numbered line after a sentence's end, not a year or a
    number that goes on with the sentence)."""
    if not lines:
        return []
    # The left edge is where the leftmost line starts: the median would be the indented edge of a
    # text whose paragraphs are mostly one line.
    left = min(round(line.x0) for line in lines)
    widths = [(line.x1 - line.x0) / max(len(line.text), 1) for line in lines if len(line.text) >= 4]
    char = statistics.median(widths) if widths else 10.0
    right = _right_margin([line.x1 for line in lines], char)
    paragraphs: list[str] = []
    previous: Line | None = None
    opened = ""  # the first line of the paragraph being read
    for line in lines:
        starts = previous is None or (
            not continues_by_punctuation(line.text)
            and (
                line.text == opened  # the paragraph printed again (a page's title twice): no run-on
                or line.x0 > left + 1.5 * char
                or (
                    previous.x1 < right - 2.5 * char
                    # …unless what starts this line would not have fitted in the gap
                    and previous.x1 + first_piece_columns(line.text) * char <= right
                )
                or opens_after_full_line(paragraphs[-1], line.text)
                or page_metadata_line(line.text)  # 发布日期：… under a title of two lines
            )
        )
        if starts:
            paragraphs.append(line.text)
            opened = line.text
        else:
            glue = " " if _ASCII_END.search(paragraphs[-1]) and _ASCII_START.search(line.text) else ""
            paragraphs[-1] += glue + line.text
        previous = line
    return paragraphs


def _right_margin(ends: list[float], char: float) -> float:
    """Where full lines end: the most common line end within a few characters of the rightmost one
    (a line whose closing punctuation overflows the margin, or a wide heading, does not move it)."""
    widest = max(ends)
    counts = Counter(round(end) for end in ends if end >= widest - 4 * char)
    best = max(counts, key=lambda p: (counts[p] + counts.get(p - 1, 0) + counts.get(p + 1, 0), p))
    return float(best + 1)


# pdfplumber puts a space between a Chinese character and a digit or Latin letter set in another
# font (2019 年 12 月, 共 7天): not in the text. A space before a numbering label (…组织情况 1.提高…)
# is the text's own: a page flattened into one paragraph parts its items so.
_FONT_GAP = re.compile(
    r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’]) (?=[0-9A-Za-z%])(?!\d{1,3}[.．、](?![\d.．、]))|"
    r"(?<=[0-9A-Za-z%]) (?=[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’])"
)


def close_font_gaps(text: str) -> str:
    """``text`` without the spaces a PDF's text layer shows between Chinese and digits or letters."""
    return _FONT_GAP.sub("", text)
