"""Anchors: the history's signed head, printed in every issued document, and checked against it.

When a report or a ledger is issued, the head of the chain is signed first (`anchor_now`), so the
document names a checkpoint that covers every change up to that moment. `zhenggai verify
--against FILE` reads the anchor back (`read_anchor`) and `check_anchor` says whether the chain
still holds that hash at that number, and whether the anchor's signature is good.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhenggai.core.errors import DocumentError
from zhenggai.core.safezip import open_package, read_member
from zhenggai.core.writers.anchor import FoundAnchor, find_anchor
from zhenggai.history.canonical import utc_iso
from zhenggai.history.models import Checkpoint, HistoryEntry
from zhenggai.history.report import Finding, Kind, VerifyReport
from zhenggai.history.services import checkpoint_now
from zhenggai.history.signing import SignedCheckpoint, load_key_ring, read_checkpoints

_PARTS = {".docx": ("Word 文档", "word/document.xml"), ".xlsx": ("Excel 工作簿", "xl/worksheets/")}


class AnchorUnreadable(Exception):
    """The document has no anchor, or cannot be read; `message` says which, in Chinese."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def anchor_now() -> dict[str, Any] | None:
    """Sign the head now and return the latest checkpoint as plain data for a document being issued
    (see `zhenggai.core.writers.anchor`); None while the history is empty.

    Call it outside a long transaction: signing locks the chain head until the commit.
    """
    checkpoint_now()
    latest = Checkpoint.objects.order_by("-seq").first()
    if latest is None:
        return None
    return {
        "seq": latest.seq,
        "head_hash": latest.head_hash,
        "created_at": utc_iso(latest.created_at),
        "key_id": latest.key_id,
        "signature": latest.signature,
    }


# --- Reading a document -----------------------------------------------------------------------------


def read_anchor(path: Path | str) -> FoundAnchor:
    """The anchor of an issued .docx, .xlsx or .pdf: from its properties, else its printed line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*_PARTS, ".pdf"):
        raise AnchorUnreadable(f"不支持的文件类型：{path.name}（只能读取 .docx、.xlsx 或 .pdf）")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnchorUnreadable(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    try:
        for text in _pdf_texts(data) if suffix == ".pdf" else _package_texts(data, suffix):
            found = find_anchor(text)
            if found:
                return found
    except DocumentError as exc:
        raise AnchorUnreadable(f"无法读取文件 {path.name}：{exc.message}") from exc
    raise AnchorUnreadable(
        f"文件 {path.name} 中没有变更记录锚点：它不是本系统发布的报告或台账，或发布时还没有变更记录"
    )


def _package_texts(data: bytes, suffix: str) -> Iterator[str]:
    kind, part = _PARTS[suffix]
    with open_package(data, kind=kind) as package:
        names = package.namelist()
        if "docProps/core.xml" in names:
            yield read_member(package, "docProps/core.xml", kind=kind).decode("utf-8", "replace")
        for name in names:  # the printed line: one run of a paragraph, or one cell
            if name.startswith(part) and name.endswith(".xml"):
                yield read_member(package, name, kind=kind).decode("utf-8", "replace")


def _pdf_texts(data: bytes) -> Iterator[str]:
    from zhenggai.core.readers.pdf import read_pdf

    yield "\n".join(block for block in read_pdf(data).blocks if isinstance(block, str))


# --- Checking it ----------------------------------------------------------------------------------


def check_anchor(
    found: FoundAnchor, document: str, report: VerifyReport, *, checkpoint_path: Path, key_path: Path
) -> None:
    """Add to `report` what disagrees between the document's anchor and the chain, or a note that
    they agree. An anchor read from a printed line only (a PDF) has no signature of its own: the
    checkpoint file's line of the same number must then carry a good one for the same hash."""

    def finding(kind: Kind, detail: str) -> None:
        report.anchor_findings.append(Finding(kind, seq=found.seq, file=document, detail=detail))

    stored = HistoryEntry.objects.filter(seq=found.seq).values_list("hash", flat=True).first()
    if stored is None:
        last = HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        finding(Kind.ANCHOR_MISMATCH, f"the anchor names entry #{found.seq}; the chain ends at #{last}")
    elif not found.matches(stored):
        finding(
            Kind.ANCHOR_MISMATCH,
            f"entry #{found.seq} now hashes to {stored[:16]}…, the document was issued at {found.head_hash[:16]}…",
        )
    keys = load_key_ring(key_path) if key_path.exists() else {}
    problem = _signature_problem(found, keys, checkpoint_path)
    if problem:
        finding(Kind.BAD_SIGNATURE, problem)
    if not report.anchor_findings:
        how = "its signature" if found.whole else f"the signed line #{found.seq} of the checkpoint file"
        report.notes.append(
            f"发布文件的锚点与变更记录相符 the anchor of {document} (#{found.seq} "
            f"{found.head_hash[:16]}…, key {found.key_id}) matches the chain; checked through {how}"
        )


def _signature_problem(found: FoundAnchor, keys: dict, checkpoint_path: Path) -> str | None:
    key = keys.get(found.key_id)
    if key is None:
        return f"key {found.key_id} is not in the key ring beside the checkpoint file"
    if found.signature is not None and found.created_at is not None:  # read from the properties
        signed = SignedCheckpoint(found.seq, found.head_hash, found.created_at, found.key_id, found.signature)
        return None if signed.is_valid(key) else "the anchor's signature is not valid"
    lines = read_checkpoints(checkpoint_path) if checkpoint_path.exists() else []
    for line in lines:
        if (
            isinstance(line, SignedCheckpoint)
            and line.seq == found.seq
            and found.matches(line.head_hash)
            and line.is_valid(key)
        ):
            return None
    return f"the printed anchor carries no signature, and {checkpoint_path} has no signed line #{found.seq} for its hash"
