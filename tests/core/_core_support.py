"""Shared by the document core's tests: where the shared corpus is, and builders of test documents."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    return Path(os.environ.get("ZHENGGAI_SHARED") or REPO.parent / "shared")


SHARED = shared_dir()
DEV = SHARED / "corpus" / "dev"
SAMPLES = SHARED / "samples"
SCHEMA = SHARED / "schema" / "ledger-v1.schema.json"
SCORER = SHARED / "tools" / "score_parse.py"


def gold_documents() -> list[tuple[dict, Path]]:
    """(gold annotation, document path) for every gold file of the dev corpus."""
    out = []
    for gold_file in sorted(DEV.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        for folder in (DEV, SAMPLES):
            if (folder / gold["source"]).exists():
                out.append((gold, folder / gold["source"]))
                break
    return out


needs_shared = pytest.mark.skipif(
    not DEV.is_dir(), reason=f"shared corpus not found at {DEV} (set ZHENGGAI_SHARED to the shared folder)"
)


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(rows: list[list[object]], merges: list[str] = (), title: str = "台账") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_member(package: bytes, name: str, data: bytes) -> bytes:
    """A copy of a zip package with one member replaced."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == name else source.read(info.filename))
    return buffer.getvalue()


def make_pdf(pages: list[list[tuple[float, float, str]]], height: float = 842.0) -> bytes:
    """A minimal PDF with Helvetica text: each page a list of (x, y-from-top, text)."""
    objects: list[bytes] = []
    kids = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        kids.append(f"{page_id} 0 R")
        stream = "".join(
            f"BT /F1 12 Tf {x:.1f} {height - y:.1f} Td ({text}) Tj ET\n" for x, y, text in lines
        ).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {height:.0f}] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n_pages} >>".encode(),
        *objects,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(body) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(body) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(workbook: bytes, table: bytes) -> bytes:
    """A copy of an openpyxl workbook (which writes its strings inline) given a table of shared
    strings, declared in its content types as Excel declares it."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    types = source.read("[Content_Types].xml").replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/></Types>'.encode(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = types if info.filename == "[Content_Types].xml" else source.read(info.filename)
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", table)
    return buffer.getvalue()


def shared_strings_xml(texts: list[str], prefix: str = "") -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = f"{prefix}:" if prefix else ""
    declare = f"xmlns:{prefix}" if prefix else "xmlns"
    items = "".join(f"<{p}si><{p}t>{text}</{p}t></{p}si>" for text in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><{p}sst {declare}="{ns}">{items}</{p}sst>'.encode()


def findings_of(text: str, name: str = "report.txt") -> list[dict]:
    """The findings (nodes with a problem or measures) of ``text`` parsed, in document order."""
    from zhenggai.core.parse import parse_document

    ledger = parse_document(text.encode("utf-8"), name)
    out, stack = [], list(ledger["sections"])
    while stack:
        node = stack.pop(0)
        if node.get("measures") or node.get("problem"):
            out.append(node)
        stack[:0] = node.get("children") or []
    return out
