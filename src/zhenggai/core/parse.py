"""The public entry: a file's bytes in, a ``zhenggai.ledger/1`` dict out."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhenggai.core.errors import DocumentError, TooLargeError, UnsupportedFormatError
from zhenggai.core.layout import labels_rejoined, unspaced
from zhenggai.core.lazy_re import lazy
from zhenggai.core.ledger import Node, new_ledger, new_node, walk
from zhenggai.core.limits import DEFAULT_READ_LIMITS, Budget, ReadLimits
from zhenggai.core.noise import remove_noise
from zhenggai.core.numbering import forget_labels, parse_label, to_cn
from zhenggai.core.phrases import arabic_dates
from zhenggai.core.phrases import forget as forget_phrases
from zhenggai.core.readers import Extracted, Table
from zhenggai.core.readers.text import read_text, rejoin_blocks, split_lines
from zhenggai.core.roundinfo import auditor_of_page, read_round, round_and_warning
from zhenggai.core.script import Printed, simplified
from zhenggai.core.structure import build
from zhenggai.core.tables import Columns, TableLedger, cell_text, find_columns, labelled_round, read_table
from zhenggai.core.tables import forget as forget_headers
from zhenggai.core.titles import find_title, title_repeats

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_OLD_FORMATS = {
    ".doc": "不支持旧版 Word（.doc）文件：请在 Word 中另存为 .docx 后上传",
    ".wps": "不支持 WPS（.wps）文件：请另存为 .docx 后上传",
    ".xls": "不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后上传",
    ".et": "不支持 WPS 表格（.et）文件：请另存为 .xlsx 后上传",
    ".ofd": "不支持 OFD 文件：请另存为 PDF 或 .docx 后上传",
}
_TEXT = {".txt", ".text", ".md", ".csv", ".log", ""}


def detect_format(data: bytes, filename: str) -> str:
    """``txt``, ``docx``, ``pdf``, ``xlsx`` or ``mhtml`` from the file name, checked against the content."""
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in _OLD_FORMATS:
        raise UnsupportedFormatError(_OLD_FORMATS[ext])
    if ext in (".docx", ".docm"):
        return "docx"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext == ".pdf":
        return "pdf"
    if ext in (".mht", ".mhtml"):  # a page saved as one file: a MIME message (readers.mhtml)
        return "mhtml"
    if ext in _TEXT or ext in (".htm", ".html"):
        if data.startswith(b"PK\x03\x04") or data.startswith(b"%PDF"):
            return _sniff(data)
        return "txt"
    sniffed = _sniff(data)
    if sniffed == "txt" and ext:
        raise UnsupportedFormatError(
            f"不支持的文件格式（{ext}）：请上传 .txt、.docx、.pdf、.xlsx 或网页（.html、.mht）文件"
        )
    return sniffed


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        raise UnsupportedFormatError("不支持的压缩文件：请上传 .docx 或 .xlsx 文件")
    return "txt"


def parse_document(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> dict[str, Any]:
    """Read a report or ledger into a ledger/1 dict. Raises ``DocumentError`` for any bad input."""
    return read_document(data, filename, max_bytes=max_bytes, limits=limits)[0]


def read_document(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> tuple[dict[str, Any], list[str]]:
    """The ledger/1 dict and the document's text lines as read (noise included).

    The lines are what an importer shows beside the parsed tree, so a person can check one
    against the other. Raises ``DocumentError`` for any bad input, and ``TooLargeError`` for a
    document past the bounds of ``limits`` (its characters, paragraphs, cells, rows, time…).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DocumentError("无法读取该文件（内容不是字节数据）")
    data = bytes(data)
    if len(data) > max_bytes:
        raise TooLargeError(f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB")
    if not data.strip():
        raise DocumentError("文件是空的，没有可读取的内容")
    kind = detect_format(data, filename)
    budget = Budget(limits)
    forget_labels()  # (what each module remembers of the texts it read serves one document)
    forget_phrases()
    forget_headers()
    if kind == "xlsx":
        from zhenggai.core.readers.xlsx import read_xlsx  # openpyxl: imported only for workbooks

        tables = read_xlsx(data, budget=budget)
        lines = [line for table in tables for line in _table_lines(table)]
        blocks, printed, warning = _as_simplified(list(tables))
        ledger = _from_tables([block for block in blocks if isinstance(block, Table)])
    else:
        extracted = _reader(kind)(data, budget=budget)
        if kind == "docx":  # a PDF's text pasted into Word: hard-wrapped lines (readers.text)
            extracted.blocks = rejoin_blocks(extracted.blocks, extracted.dropped)
        extracted.blocks = unspaced(extracted.blocks)  # 关 于 … 的 报 告: a letter-spaced title
        extracted.blocks = labels_rejoined(extracted.blocks)  # 一、 | 总体情况: a label set apart
        # A text file's blocks are its lines, never a table: the passes over the blocks that look
        # for tables are left out for it (and for any document that holds none).
        tabled = kind != "txt" and any(isinstance(block, Table) for block in extracted.blocks)
        if tabled:
            lines = [
                line
                for block in extracted.blocks
                for line in (_table_lines(block) if isinstance(block, Table) else (block,))
            ]
        else:
            lines = list(extracted.blocks)  # type: ignore[arg-type]
        extracted.blocks, printed, warning = _as_simplified(extracted.blocks, tabled=tabled)
        # (simplified: a header in 審計發現問題; one test of the text for a tab, not one a line)
        tabs = tabled or "\t" in "".join(extracted.blocks)  # type: ignore[arg-type]
        columns: dict[int, tuple[int, Columns]] = {}  # the headers tab_tables found
        blocks = tab_tables(extracted.blocks, columns) if tabs else extracted.blocks
        if blocks is not extracted.blocks:  # lines parted by tabs, perhaps read as a table
            tabled = tabled or any(isinstance(block, Table) for block in blocks)
            extracted.blocks = blocks
        ledger = _from_extracted(extracted, tabled=tabled, columns=columns)
    if printed is not None:
        printed.ledger(ledger)
        for table in ledger.get("columns") or []:  # the headers as printed; the fields are keys
            for column in table["columns"]:
                column["header"] = printed.text(column["header"])
            table["unread"] = [printed.text(text) for text in table["unread"]]
    if warning:
        ledger["warnings"].append(warning)
    return ledger, lines


def _reader(kind: str) -> Callable[..., Extracted]:
    """The reader of ``kind``. Word and PDF readers are imported when first needed, so reading a
    text file (and ``zhenggai parse`` starting up) never loads python-docx, lxml or pdfminer."""
    if kind == "docx":
        from zhenggai.core.readers.docx import read_docx

        return read_docx
    if kind == "pdf":
        from zhenggai.core.readers.pdf import read_pdf

        return read_pdf
    if kind == "mhtml":
        from zhenggai.core.readers.mhtml import read_mhtml

        return read_mhtml
    return read_text


def _as_simplified(
    blocks: list[str | Table], *, tabled: bool = True
) -> tuple[list[str | Table], Printed | None, str | None]:
    """The blocks in simplified characters when they are printed in traditional ones (core.script),
    with the way back to the printed text; the blocks as they are otherwise. ``tabled``: whether
    ``blocks`` may hold a table (false: they are all lines of text)."""
    if not tabled or not any(isinstance(block, Table) for block in blocks):  # a text: blocks are lines
        converted, printed, warning = simplified(blocks)  # type: ignore[arg-type]
        return (blocks, None, warning) if printed is None else (list(converted), printed, warning)
    texts = [cell for block in blocks for cell in _texts_of(block)]
    converted, printed, warning = simplified(texts)
    if printed is None:
        return blocks, None, warning
    out: list[str | Table] = []
    supply = iter(converted)
    for block in blocks:
        if isinstance(block, Table):
            rows = [[next(supply) if isinstance(cell, str) else cell for cell in row] for row in block.rows]
            out.append(Table(rows=rows, merges=block.merges, name=block.name, formats=block.formats))
        else:
            out.append(next(supply))
    return out, printed, warning


def _texts_of(block: str | Table) -> list[str]:
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row if isinstance(cell, str)]
    return [block]


def parse_path(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """:func:`parse_document` on a file, refusing files over ``max_bytes`` before reading them."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLargeError(f"文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes / 1048576:.0f} MB")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise DocumentError(f"这是一个文件夹，不是文件：{path}") from exc
    except PermissionError as exc:
        raise DocumentError(f"没有读取该文件的权限：{path}") from exc
    return parse_document(data, path.name, max_bytes=max_bytes)


# The metadata a page or a file gives its document's date under, the document's own first; last,
# the head of a release line printed before its first key (2018年10月19日 07:29 | 來源:人民日報),
# read only when it opens with a full date.
_DATE_KEYS = ("成文日期", "发文日期", "发布日期", "发布时间", "日期", "时间", "页眉")
_YEAR = lazy(r"[\s\u3000]*((?:19|20)\d\d)\s*(?:年|[-./])")


# 2024/1/19 11:27:48, 2023-05-04, 2024年1月19日, 2024.01.19
_FULL_DATE = lazy(r"[\s\u3000]*((?:19|20)\d\d)\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})(?!\d)")


def metadata_date(metadata: dict[str, str]) -> tuple[int, int, int] | None:
    """The full date a page's or file's metadata dates the document (时间：2024/1/19 11:27:48), if
    any: the year of a feedback printed without one (1月17日，…反馈会议召开)."""
    if not metadata:
        return None  # (most texts print no metadata: the keys are not each looked up and matched)
    for key in _DATE_KEYS:
        match = _FULL_DATE.match(metadata.get(key) or "")
        if match and 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31:
            return int(match.group(1)), int(match.group(2)), int(match.group(3))
    return None


def metadata_year(metadata: dict[str, str]) -> int | None:
    """The year a page's or file's metadata dates the document (时间：2024-02-02 → 2024), if any:
    the year of a deadline printed without one (12月底前) when the report prints no date itself."""
    if not metadata:
        return None
    for key in _DATE_KEYS:
        match = _YEAR.match(metadata.get(key) or "")
        if match:
            return int(match.group(1))
    return None


def _from_extracted(
    extracted: Extracted, *, tabled: bool = True, columns: dict[int, tuple[int, Columns]] | None = None
) -> dict[str, Any]:
    """The ledger of a document's blocks; ``tabled``: whether they may hold a table (false: they
    are all lines of text, read as they are); ``columns``: the headers of tables already found
    (:func:`tab_tables`)."""
    lines: list[str] = [] if tabled else list(extracted.blocks)  # type: ignore[arg-type]
    ledgers: list[_Placed] = []  # each table, with the numbered line and the caption above it
    heading: str | None = None
    caption: str | None = None
    previous: Table | None = None  # the ledger table just read, when nothing came after it yet
    for block in extracted.blocks if tabled else ():
        if isinstance(block, Table):
            if caption is not None and not _is_caption(caption):
                caption = None  # the line above names no table (read here, where it is needed)
            found = read_table(block, (columns or {}).get(id(block)))
            if found is None and previous is not None and _width(block) == _width(previous):
                # A table with no header of its own right after a ledger table: its rows go on
                # (a table cut at a page break, or pasted in pieces).
                block = _joined(previous, block)
                found = read_table(block)
                if found is not None:
                    ledgers[-1].found = found
                    previous = block
                    continue
            previous = block if found is not None else None
            if found is not None:
                if caption is not None and heading is None and not ledgers:
                    caption = None  # the line above the first table, before any heading: the title
                if caption is not None and lines and lines[-1] == caption:
                    lines.pop()  # the table's caption names the table; it is no paragraph of the text
                ledgers.append(_Placed(found, heading, caption))
            else:
                lines.extend(_table_lines(block))
            caption = None
        else:
            previous = None
            lines.append(block)
            if parse_label(block) is not None:
                heading, caption = block, None
            else:
                caption = block  # a table's caption if it reads as one and a table follows
    ledger = new_ledger()
    cleaned = remove_noise(lines)
    found_title = find_title(cleaned.lines, cleaned.dateline)
    title = found_title.title or cleaned.metadata.get("文件名称") or cleaned.metadata.get("标题") or None
    repeats = set(title_repeats(found_title.title, found_title.lines))
    below = (
        [line for i, line in enumerate(found_title.lines) if i not in repeats]
        if repeats
        else found_title.lines
    )
    paragraphs = ([found_title.preamble_head] if found_title.preamble_head else []) + below
    paragraphs, signature = split_signature(paragraphs)
    structure = build(paragraphs, dated=signed_year(signature) or metadata_year(cleaned.metadata))
    structure.closing.extend(signature)
    preamble = "\n".join(structure.preamble) or None
    ledger.update(
        title=title,
        preamble=preamble,
        closing="\n".join(structure.closing) or None,
        sections=structure.sections,
        dropped=extracted.dropped
        + cleaned.dropped
        + found_title.above
        + [found_title.lines[i] for i in sorted(repeats)],
        warnings=extracted.warnings + structure.warnings,
        metadata=dict(extracted.metadata, **cleaned.metadata),
    )
    dated = signed_date(signature) or metadata_date(ledger["metadata"])
    ledger["round"], round_warning = round_and_warning(title, preamble, dated)
    if office := auditor_of_page(ledger["round"], ledger["metadata"]):
        ledger["round"]["inspector"] = office
    if ledgers:
        if title is None and ledgers[0].found.title:
            title = ledger["title"] = ledgers[0].found.title  # the title row of the document's table
            ledger["round"], round_warning = round_and_warning(title, preamble, dated)
        ledger["dropped"].extend(line for placed in ledgers for line in placed.found.dropped)
        notes = [[note] for placed in ledgers for note in placed.found.notes]
        for key, value in labelled_round(notes).items():
            if not ledger["round"].get(key):
                ledger["round"][key] = value  # type: ignore[literal-required]
        _place_tables(ledger, ledgers)
        _columns_read(ledger, [(f"表{i}", placed.found) for i, placed in enumerate(ledgers, start=1)])
    if round_warning:
        ledger["warnings"].append(round_warning)
    if title is None:
        ledger["warnings"].append("未找到文件标题")
    return ledger


def _width(table: Table) -> int:
    return max((len(row) for row in table.rows), default=0)


def _joined(first: Table, second: Table) -> Table:
    """The rows of ``second`` after those of ``first``, merged ranges kept."""
    shift = len(first.rows)
    merges = first.merges + [(r1 + shift, c1, r2 + shift, c2) for r1, c1, r2, c2 in second.merges]
    formats = dict(first.formats)
    formats.update({(r + shift, c): f for (r, c), f in second.formats.items()})
    return Table(rows=first.rows + second.rows, merges=merges, name=first.name, formats=formats)


@dataclass
class _Placed:
    """A table read in a document: its ledger, the numbered line and the caption line above it."""

    found: TableLedger
    heading: str | None
    caption: str | None


# A line that names the table below it (党的政治建设方面, 作风建设类问题): short, not a sentence.
_CAPTION = lazy(r"^[^。；;：:！？!?，,]{2,30}$")
# …but not a label of the table itself (附件1, 表2) nor its title (…整改台账, …问题清单, …一览表).
_NOT_CAPTION = lazy(r"^(?:附件|附表|表)[\s\u3000\d一二三四五六七八九十-]*$|台账|清单|一览表|统计表|汇总表")


def _is_caption(line: str) -> bool:
    return _CAPTION.match(line) is not None and _NOT_CAPTION.search(line) is None


def _place_tables(ledger: dict[str, Any], ledgers: list[_Placed]) -> None:
    """Each table's problems under the numbered heading it follows (一、…方面, then its table), as a
    reader of the printed document sees them; a table after no heading, or after an item that has
    measures of its own, goes after the items of the text."""
    order = list(walk(ledger["sections"]))
    cursor = 0
    parents: dict[int, list[_Placed]] = {}  # the heading's place in ``order`` (-1: none) -> its tables
    for placed in ledgers:
        index = _heading_node(order, cursor, placed.heading) if order else None
        if index is not None:
            cursor = index
        parents.setdefault(-1 if index is None else index, []).append(placed)
    for index, placed_here in parents.items():
        nodes = _captioned(placed_here, ledger.get("title"))
        if index == -1:
            if ledger["sections"]:
                ledger["warnings"].append("文档中的台账表格已附在正文条目之后")
            else:
                ledger["warnings"] = [w for w in ledger["warnings"] if "未识别出编号结构" not in w]
            ledger["sections"] = ledger["sections"] + nodes
            continue
        parent = order[index]
        _deepen(nodes, parent["level"])
        parent["children"].extend(nodes)
        if parent.get("problem") and parent["problem"] != parent["title"] and not parent.get("text"):
            parent["text"] = parent["problem"]
        parent["problem"] = None


def _captioned(placed: list[_Placed], title: str | None) -> list[Node]:
    """The problems of tables that share a heading. Where each table's 序号 starts again, the line
    that names a table (its caption) is a heading over its problems; where 序号 runs on, it is
    each problem's category."""
    numbers = [node["number"] for p in placed for node in p.found.nodes]
    restarts = len(set(numbers)) < len(numbers)
    nodes: list[Node] = []
    position = 0
    for p in placed:
        caption = p.caption if p.caption and p.caption != title else None
        if caption is None:
            nodes.extend(p.found.nodes)
        elif restarts:
            position += 1
            label = parse_label(caption)
            if label is not None and label.rest:
                head = new_node(label=label.label, number=label.number, level=1, title=label.rest)
            else:
                head = new_node(label=f"{to_cn(position)}、", number=position, level=1, title=caption)
            _deepen(p.found.nodes)
            head["children"] = p.found.nodes
            nodes.append(head)
        else:
            for node in p.found.nodes:
                node.setdefault("category", caption)  # type: ignore[typeddict-item]
            nodes.extend(p.found.nodes)
    return nodes


def _heading_node(order: list[Node], cursor: int, heading: str | None) -> int | None:
    """The node read from the numbered line ``heading``, at or after ``cursor``, if it is a heading
    (no measures of its own)."""
    label = parse_label(heading) if heading else None
    if label is None:
        return None
    rest = re.sub(r"[\s\u3000]+", "", label.rest)
    for index in range(cursor, len(order)):
        node = order[index]
        title = re.sub(r"[\s\u3000]+", "", node.get("title") or "")
        if node.get("label") == label.label and title and rest.startswith(title[:12]):
            return None if node.get("measures") else index
    return None


def _columns_read(ledger: dict[str, Any], tables: list[tuple[str, TableLedger]]) -> None:
    """The columns each table was read by, for the import preview to show: ``metadata["列对应"]``
    (``问题描述→问题，…``; tables read by the same columns share one line, ``表1—3：…``) and
    ``columns`` (per table: its name, each column's header and field, the headers not read)."""
    read = [(name, found.columns) for name, found in tables if found.columns and found.columns.headers]
    groups: list[tuple[list[str], str]] = []
    for name, columns in read:
        mapping = columns.mapping()
        if groups and groups[-1][1] == mapping:
            groups[-1][0].append(name)
        else:
            groups.append(([name], mapping))
    lines = []
    for names, mapping in groups:
        if len(read) == 1:
            lines.append(mapping)
        elif len(names) == 1:
            lines.append(f"{names[0]}：{mapping}")
        else:
            lines.append(f"{names[0]}—{names[-1].removeprefix('表')}：{mapping}")
    for name, columns in read:
        where = name if len(read) > 1 else "表格"
        if "measure" not in columns.roles:
            ledger["warnings"].append(f"{where}中没有“整改措施”列：只读取了问题，请核对")
        elif "problem" not in columns.roles:
            ledger["warnings"].append(f"{where}中没有“问题”列：问题按序号读取，请核对")
    if lines:
        ledger["metadata"]["列对应"] = "\n".join(lines)
        ledger["columns"] = [{"table": name, **columns.as_dict()} for name, columns in read]


_DATE_LINE = lazy(r"^(\d{4})[\s\u3000]*年[\s\u3000]*(\d{1,2})[\s\u3000]*月[\s\u3000]*(\d{1,2})[\s\u3000]*日$")


def signed_date(signature: list[str]) -> tuple[int, int, int] | None:
    """The signature's date (成文日期), if any: like a page's date, it dates a feedback printed
    without its year (并于6月5日反馈了巡察意见) — the report is written after the feedback."""
    if not signature:
        return None
    match = _DATE_LINE.match(arabic_dates(signature[-1].strip()))
    if match is None or not (1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31):
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def signed_year(signature: list[str]) -> int | None:
    """The year of the signature's date line (2024年9月20日, 二〇二四年九月二十日), if any: the report's
    year, that of a deadline printed without one (整改时限：12月底前)."""
    if not signature:
        return None
    match = _DATE_LINE.match(arabic_dates(signature[-1].strip()))
    return int(match.group(1)) if match else None


def split_signature(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The signature block at the end — the sender's name over a date line (in figures or in
    Chinese numerals) — apart from the text."""
    if len(paragraphs) < 2 or not _DATE_LINE.match(arabic_dates(paragraphs[-1].strip())):
        return paragraphs, []
    start = len(paragraphs) - 1
    while (
        start > 0
        and len(paragraphs[start - 1]) <= 30
        and not any(mark in paragraphs[start - 1] for mark in "。，,；;：:！？")
    ):
        if parse_label(paragraphs[start - 1]) is not None or len(paragraphs) - start >= 3:
            break
        start -= 1
    return paragraphs[:start], paragraphs[start:]


def tab_tables(
    blocks: list[str | Table], columns: dict[int, tuple[int, Columns]] | None = None
) -> list[str | Table]:
    """``blocks`` with each run of lines whose cells are parted by tabs (a web page's table copied
    as text: ``序号\t问题\t整改措施\t整改时限\t完成情况``, then one line a row) made a table, where
    the run reads as a ledger table (a header the table reader knows); other lines as they are.
    ``columns``, when given, receives each table's header as found (by the table's id), for
    :func:`read_table` not to look for it again."""
    if not any(isinstance(block, str) and "\t" in block for block in blocks):
        return blocks
    out: list[str | Table] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, str) and block.count("\t") >= 2:
            lines, between, j = [block], [], i + 1
            while j < len(blocks):
                line = blocks[j]
                if isinstance(line, str) and "\t" in line:
                    lines.append(line)
                elif (  # a stray line between two rows (a watermark): no row of the table
                    isinstance(line, str)
                    and j + 1 < len(blocks)
                    and isinstance(after := blocks[j + 1], str)
                    and after.count("\t") == lines[-1].count("\t")
                    and parse_label(line) is None
                ):
                    between.append(line)
                else:
                    break
                j += 1
            if len(lines) >= 2:
                rows = [[cell.strip() or None for cell in line.split("\t")] for line in lines]
                width = max(len(row) for row in rows)
                table = Table(rows=[row + [None] * (width - len(row)) for row in rows])
                found = find_columns(table)
                if found is not None:  # a ledger header (as read_table tells)
                    if columns is not None:
                        columns[id(table)] = found
                    out.append(table)
                    out.extend(between)  # read as text after the table (noise is dropped there)
                    i = j
                    continue
        out.append(block)
        i += 1
    return out


def _table_lines(table: Table) -> list[str]:
    out = []
    for row in table.rows:
        cells = list(dict.fromkeys(cell_text(v) for v in row if cell_text(v)))
        if cells:
            out.extend(split_lines("\u3000".join(cells)))
    return out


def _from_tables(tables: list[Table]) -> dict[str, Any]:
    read: list[tuple[Table, TableLedger]] = []
    warnings: list[str] = []
    labelled: dict[str, str] = {}  # round fields named by label on a sheet of notes
    sheet_notes: list[str] = []
    for table in tables:
        found = read_table(table)
        if found is None:
            if any(any(v is not None for v in row) for row in table.rows):
                fields = labelled_round(table.rows)
                if fields:
                    for key, value in fields.items():
                        labelled.setdefault(key, value)
                    sheet_notes.extend(_table_lines(table))
                else:
                    warnings.append(f"工作表“{table.name}”未找到表头（序号、问题、整改措施……），已跳过")
            continue
        read.append((table, found))
    if not read:
        # Not a ledger: a report typed into a sheet. Read its cells as paragraphs.
        ledger = _from_extracted(
            Extracted(blocks=[line for t in tables for line in _table_lines(t)]), tabled=False
        )
        ledger["warnings"] = warnings + ledger["warnings"]
        return ledger
    ledger = new_ledger()
    first = read[0][1]
    content = [t for t in tables if any(any(v is not None for v in row) for row in t.rows)]
    if len(read) == 1 and len(content) == 1:
        sections = first.nodes
    else:
        # Several sheets: each ledger sheet is a level of its own, numbered as the sheets come.
        sections = []
        for table, found in read:
            position = next(i for i, t in enumerate(content, start=1) if t is table)
            node: Node = new_node(
                label=str(position), number=position, level=1, title=found.title or table.name or ""
            )
            node["sheet"] = table.name  # type: ignore[typeddict-unknown-key]
            node["children"] = found.nodes
            _deepen(found.nodes)
            sections.append(node)
    title = first.title
    notes = [note for _, found in read for note in found.notes]
    ledger.update(
        title=title,
        sections=sections,
        warnings=warnings + [w for _, f in read for w in f.warnings],
        dropped=[line for _, f in read for line in f.dropped],
    )
    ledger["round"] = first.round or read_round(title, "\n".join(notes + sheet_notes) or None)
    if first.round is None:
        # Fields a sheet of notes names by label are stated, not inferred: they come first.
        for key, value in {**labelled_round([[note] for note in notes]), **labelled}.items():
            ledger["round"][key] = value  # type: ignore[literal-required]
    if notes or sheet_notes:
        ledger["metadata"]["表格附注"] = "\n".join(notes + sheet_notes)
    _columns_read(ledger, [(f"工作表“{table.name}”" if table.name else "表", found) for table, found in read])
    return ledger


def _deepen(nodes: list[Node], by: int = 1) -> None:
    for node in nodes:
        node["level"] += by
        _deepen(node["children"], by)
