"""How fast, and in how little memory, an import refuses a workbook built to exhaust the reader.

Run as ``.venv/bin/python bench/import_bomb.py [--compare] [--strict]``.

The bomb: a 1.6 MB .xlsx whose ``xl/sharedStrings.xml`` expands to ~60 MB (311,000 strings of
66 characters; compression ratio ~38, under the package check's limit of 120, so the zip checks
let it through). openpyxl reads the whole table of shared strings into memory before any sheet;
the reader streams it first (:mod:`zhenggai.core.readers.xlsx`) and stops at the bound on its
characters (20 million) — near the end of the part, the worst case for the time. A second bomb
has many short strings (the bound on their count stops it), a third a sheet of 3 million empty
cells (the bound on cells). Beside them, a real-sized ledger (10,000 rows × 20 columns) that must
be read, not refused, and the time it takes.

Each document is parsed by ``zhenggai.core.parse.parse_document`` in a child process of its own,
after its imports: the time to the refusal, the peak RSS during the parse over the RSS before it
(``VmHWM`` − ``VmRSS`` of /proc/self/status, the peak reset first; ``ru_maxrss`` where there is no
/proc), and, in a second run, the peak of what Python allocated (tracemalloc; lxml's own C
allocations are in the RSS figure only). ``--compare`` also times openpyxl loading the first bomb
without the reader's bounds, to show what the bound saves.

Targets: each bomb refused with a Chinese message in under 2 s, peak RSS increase under 100 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PHRASE = "关于进一步加强和改进整改工作的意见建议认真落实巡察反馈问题关于进一步加强和改进整改工作的意见建议"
TARGET_SECONDS = 2.0
TARGET_MB = 100.0


def _workbook(cells: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for row in cells:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _package(sheet: bytes, strings: bytes | None) -> bytes:
    """A minimal .xlsx by hand: one sheet, and a table of shared strings when given."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ooxml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ooxml}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ooxml}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ooxml}.sharedStrings+xml"/>'
        "</Types>"
    )
    relationships = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    root_rels = f'{relationships}<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    book_rels = (
        f'{relationships}<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{rel}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", root_rels)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", book_rels)
        package.writestr("xl/worksheets/sheet1.xml", sheet)
        package.writestr("xl/sharedStrings.xml", strings or f'<sst xmlns="{MAIN}"/>'.encode())
    return buffer.getvalue()


ONE_CELL = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'


def shared_strings(target_bytes: int, text_chars: int, random_digits: int) -> bytes:
    """A table of shared strings of about ``target_bytes``: a phrase and a few random hex digits each."""
    rnd = random.Random(1)
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}">'.encode()]
    size = 0
    phrase = PHRASE[:text_chars]
    while size < target_bytes:
        item = f"<si><t>{phrase}{rnd.getrandbits(4 * random_digits):0{random_digits}x}</t></si>".encode()
        parts.append(item)
        size += len(item)
    parts.append(b"</sst>")
    return b"".join(parts)


def long_strings_bomb() -> bytes:
    return _package(ONE_CELL.encode(), shared_strings(60 * 1024 * 1024, 60, 5))


def many_strings_bomb() -> bytes:
    return _package(ONE_CELL.encode(), shared_strings(60 * 1024 * 1024, 2, 1))


def empty_cells_bomb() -> bytes:
    from openpyxl.utils.cell import get_column_letter

    columns = [get_column_letter(n) for n in range(1, 1001)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in columns) + "</row>"
        for r in range(1, 3001)
    )
    return _package(f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode(), None)


def real_ledger() -> bytes:
    """10,000 measure rows × 20 columns, mostly distinct texts: a provincial ledger's size."""
    header = ["序号", "问题", "整改措施", "责任领导", "责任部门", "完成时限", "完成情况"] + [
        f"备注{n}" for n in range(13)
    ]
    rows: list[list[object]] = [header]
    for n in range(1, 10_001):
        rows.append(
            [
                n,
                f"第{n}个问题：{PHRASE[: 20 + n % 30]}",
                f"措施{n}：{PHRASE[: 30 + n % 20]}",
                "张三",
                "办公室",
            ]
            + ["2024年6月底前", "已完成"]
            + [f"说明{n}-{c}" for c in range(13)]
        )
    return _workbook(rows)


DOCUMENTS = {
    "long strings (1.6 MB → 60 MB)": long_strings_bomb,
    "many short strings": many_strings_bomb,
    "3 million empty cells": empty_cells_bomb,
    "real ledger 10,000 × 20": real_ledger,
}


def child(path: str, trace: bool, bare: bool) -> dict:
    """Parse one document in this (child) process; seconds, outcome and memory as a dict."""
    import openpyxl

    from render import _status_kib  # the same /proc reading as the render benchmark's
    from zhenggai.core.errors import DocumentError
    from zhenggai.core.parse import parse_document

    data = Path(path).read_bytes()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from here
    except OSError:
        pass
    before = _status_kib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    outcome = "read"
    try:
        if bare:
            openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
            outcome = "openpyxl opened it"
        else:
            parse_document(data, "bomb.xlsx")
    except DocumentError as exc:
        outcome = f"refused: {exc.message}"
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"seconds": seconds, "outcome": outcome, "rss_mb": (peak - before) / 1024}
    if trace:
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1048576
    return result


def run_child(path: Path, *, trace: bool = False, bare: bool = False) -> dict:
    args = (
        [sys.executable, __file__, "--child", str(path)]
        + (["--trace"] if trace else [])
        + (["--bare"] if bare else [])
    )
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603 - this script, our arguments
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument(
        "--compare", action="store_true", help="time openpyxl opening the first bomb unbounded"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target does not hold")
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(options.child, options.trace, options.bare), ensure_ascii=False))
        return 0
    failed = False
    print(
        f"{'document':32} {'xlsx MB':>7} {'xml MB':>7} {'seconds':>8} {'RSS +MB':>8} {'traced MB':>9}  outcome"
    )
    with tempfile.TemporaryDirectory() as folder:
        for label, build in DOCUMENTS.items():
            data = build()
            package = zipfile.ZipFile(io.BytesIO(data))
            expanded = sum(info.file_size for info in package.infolist()) / 1048576
            path = Path(folder) / "document.xlsx"
            path.write_bytes(data)
            timed = run_child(path)
            traced = run_child(path, trace=True)
            print(
                f"{label:32} {len(data) / 1048576:7.2f} {expanded:7.1f} {timed['seconds']:8.2f} "
                f"{timed['rss_mb']:8.1f} {traced['traced_mb']:9.1f}  {timed['outcome']}"
            )
            bomb = "real" not in label
            refused = timed["outcome"].startswith("refused")
            if bomb != refused:
                print(f"  FAILED: {'not refused' if bomb else 'refused'}")
                return 1
            if bomb and (timed["seconds"] > TARGET_SECONDS or timed["rss_mb"] > TARGET_MB):
                print(f"  target missed: under {TARGET_SECONDS} s and {TARGET_MB} MB")
                failed = True
            if options.compare and label.startswith("long"):
                bare = run_child(path, bare=True)
                print(
                    f"{'  openpyxl alone, unbounded':32} {'':7} {'':7} {bare['seconds']:8.2f} {bare['rss_mb']:8.1f}"
                )
    return 1 if failed and options.strict else 0


if __name__ == "__main__":
    sys.exit(main())
