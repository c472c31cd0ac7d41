"""What the public wrote — residents' answers on receipt slips, comments — against the history.

Each answer and comment went into the chain as a hash when it was received, and each of the
unit's answers as its text. `zhenggai verify` recomputes them from the stored rows: a row that was
edited no longer matches, and a row with no entry at all was written into the database behind
the application's back (a receipt filled in by someone with database access, say).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zhenggai.history.report import Finding, Kind, VerifyReport

# (action, payload key of the record's id, what kind of record) for the entries noted on the walk.
NOTED = {
    "receipts.confirm": ("receipt_id", "receipt"),
    "comments.receive": ("comment_id", "comment"),
    "comments.answer": ("comment_id", "answer"),
}
Recorded = dict[tuple[str, str], tuple[Any, int]]  # (kind, id) → (what the entry holds, seq)


def note(recorded: Recorded, row: dict[str, Any]) -> None:
    """Keep what an entry says of a public record (called for every entry the walk accepts)."""
    spec = NOTED.get(row["action"])
    if spec is None:
        return
    payload = row["payload"] if isinstance(row["payload"], dict) else {}
    if not payload.get(spec[0]):
        return
    key, kind = spec
    if kind == "receipt":
        held: Any = payload.get("answer_sha256")
    elif kind == "comment":
        held = payload.get("text_sha256")
    else:
        held = (payload.get("text"), payload.get("public"))
    recorded[(kind, str(payload[key]))] = (held, row["seq"])


def _stored() -> Iterator[tuple[str, str, Any]]:
    """(kind, id, what the history should hold of it) for every public record in the database."""
    from zhenggai.comments.models import PublicComment
    from zhenggai.comments.services import text_sha256
    from zhenggai.receipts.models import Receipt
    from zhenggai.receipts.services import ANSWER_FIELDS, answer_sha256

    answers = Receipt.objects.filter(confirmed_at__isnull=False).order_by("pk").values("pk", *ANSWER_FIELDS)
    for row in answers.iterator(chunk_size=500):
        yield "receipt", str(row["pk"]), answer_sha256(row)
    comments = PublicComment.objects.order_by("pk").values_list(
        "pk", "text", "answer", "answer_public", "answered_at"
    )
    for pk, text, answer, public, answered_at in comments.iterator(chunk_size=500):
        yield "comment", str(pk), text_sha256(text)
        if answered_at is not None:
            yield "answer", str(pk), (answer, public)


def check(recorded: Recorded, report: VerifyReport, chain_complete: bool) -> None:
    """Every stored record against its entry. Records with no entry are reported only when the
    whole chain verified: after a break in the chain, later entries were not read."""
    seen: set[tuple[str, str]] = set()
    for kind, pk, should in _stored():
        report.public_records += 1
        seen.add((kind, pk))
        entry = recorded.get((kind, pk))
        where = f"{_NAMES[kind]} #{pk}"
        if entry is None:
            if chain_complete:
                report.record_findings.append(Finding(Kind.RECORD_UNRECORDED, record=where))
        elif entry[0] != should:
            report.record_findings.append(
                Finding(Kind.RECORD_CHANGED, record=where, detail=f"differs from history entry #{entry[1]}")
            )
    for (kind, pk), (_held, seq) in recorded.items():
        if (kind, pk) not in seen:
            report.record_findings.append(
                Finding(
                    Kind.RECORD_CHANGED,
                    record=f"{_NAMES[kind]} #{pk}",
                    detail=f"recorded in entry #{seq}, no longer in the database",
                )
            )


_NAMES = {"receipt": "群众回执 receipt", "comment": "意见建议 comment", "answer": "答复 answer"}
