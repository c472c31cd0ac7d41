"""How much work reading one document may take, in one place: the package, the XML, the text.

A document that goes past a bound is refused with a Chinese message saying which bound, instead
of being read for minutes or filling the memory. The bounds leave room for the largest real
files: a provincial ledger workbook of ~10,000 rows × 20 columns (200,000 cells, a few million
characters), a rectification report of a few hundred pages (under a million characters).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from zhenggai.core.errors import TooLargeError


@dataclass(frozen=True)
class ZipLimits:
    """A .docx/.xlsx package, from its central directory, before anything is decompressed."""

    max_members: int = 2000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 120.0  # uncompressed / compressed, checked for members above ratio_floor
    ratio_floor: int = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What reading one document may cost, whatever its format."""

    seconds: float = 60.0  # wall time of the reading, checked as it goes
    chars: int = 20_000_000  # characters of text read from the whole document
    paragraphs: int = 200_000  # paragraphs and lines (a 500-page report has ~20,000)
    elements: int = 3_000_000  # XML elements of the parts streamed (a 10,000-row ledger has ~0.7 M)
    part_bytes: int = 16 * 1024 * 1024  # an XML part read whole (styles, numbering, the workbook)
    shared_strings: int = 500_000  # an .xlsx's table of distinct texts
    shared_string_chars: int = 20_000_000
    cells: int = 1_000_000  # every cell of the sheets, empty styled ones included
    row_cells: int = 16_384  # cells of one row: Excel's own column limit
    rows: int = 50_000  # rows of one sheet or table, up to the last one with content
    pages: int = 500  # pages of a PDF


DEFAULT_READ_LIMITS = ReadLimits()
SPLIT = "请拆分后分别导入"


def amount(n: int) -> str:
    """A count as a Chinese reader says it: 20000000 -> 2000 万."""
    return f"{n // 10000} 万" if n >= 10000 and n % 10000 == 0 else str(n)


@dataclass
class Budget:
    """The work left for reading one document. Readers spend from it; when a bound is passed it
    raises :class:`TooLargeError` with the bound in the message, and nothing read is kept."""

    limits: ReadLimits = DEFAULT_READ_LIMITS
    clock: Callable[[], float] = time.monotonic
    chars: int = 0
    paragraphs: int = 0
    elements: int = 0
    cells: int = 0
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = self.clock() + self.limits.seconds

    def check_time(self) -> None:
        if self.clock() > self.deadline:
            raise TooLargeError(
                f"读取文件超过 {self.limits.seconds:g} 秒仍未完成，已停止：文件过大或结构异常，{SPLIT}"
            )

    def spend_chars(self, n: int) -> None:
        self.chars += n
        if self.chars > self.limits.chars:
            raise TooLargeError(f"文件的文字过多（超过 {amount(self.limits.chars)} 字），已拒绝读取，{SPLIT}")

    def spend_paragraphs(self, n: int = 1) -> None:
        self.paragraphs += n
        if self.paragraphs > self.limits.paragraphs:
            raise TooLargeError(
                f"文件的段落过多（超过 {amount(self.limits.paragraphs)} 段），已拒绝读取，{SPLIT}"
            )

    def spend_elements(self, n: int, *, kind: str) -> None:
        self.elements += n
        if self.elements > self.limits.elements:
            raise TooLargeError(
                f"{kind}的内容结构过于庞大（超过 {amount(self.limits.elements)} 个 XML 元素），已拒绝读取，{SPLIT}"
            )

    def spend_cells(self, n: int, *, kind: str) -> None:
        self.cells += n
        if self.cells > self.limits.cells:
            raise TooLargeError(
                f"{kind}的单元格过多（超过 {amount(self.limits.cells)} 个），已拒绝读取，{SPLIT}"
            )

    def check_rows(self, rows: int, *, where: str) -> None:
        if rows > self.limits.rows:
            raise TooLargeError(
                f"{where}的行数过多（超过 {amount(self.limits.rows)} 行），已拒绝读取，{SPLIT}"
            )
