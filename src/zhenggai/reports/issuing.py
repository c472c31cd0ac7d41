"""Issuing a report is an act, not a download: draft → signed off → issued (→ withdrawn).

    草稿 ──sign_off (leader)──▶ 已签发 ──issue (clerk)──▶ 已出具 ──withdraw (leader, reason)──▶ 已撤回
      ▲                           │ edited (the sign-off lapses)
      └───────────────────────────┘

The unit's clerk drafts a report (public or progress), edits its title, 主送机关, opening and
closing, and previews it masked (nothing is recorded); a leader of the unit signs it off; the clerk
issues it: the ledger it is written from, its files and their SHA-256 are frozen, it takes the
next number of its round and kind, and the history entry of the issue holds the hashes. Every
write locks the version's row and checks the version the user saw, so a stale form is refused.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.core.errors import DocumentError
from zhenggai.core.pdf import docx_to_pdf, pdf_available
from zhenggai.core.writers.gongwen import Para
from zhenggai.core.writers.progress import progress_paragraphs
from zhenggai.history import services as history
from zhenggai.history.anchors import anchor_now
from zhenggai.history.canonical import json_sha256
from zhenggai.history.changes import field_changes, snapshot
from zhenggai.ledger.access import rights_for
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import InspectionRound, RoundKind
from zhenggai.ledger.workflow import Action
from zhenggai.reports.exporters import DOCX, EXPORTERS, PDF, ExportOptions, PublicReport, report_options
from zhenggai.reports.ledger_data import round_to_ledger
from zhenggai.reports.models import ReportFile, ReportKind, ReportState, ReportVersion
from zhenggai.reports.selectors import last_issued_progress
from zhenggai.webhooks import emit as webhooks

# What the clerk edits on a draft, in the order the page shows them.
DRAFT_FIELDS = ["title", "recipient", "issuer", "opening", "closing", "redact_names", "contact_lines"]
EXPORTER_KIND = {ReportKind.PUBLIC: "report", ReportKind.PROGRESS: "progress"}


def default_title(round_: InspectionRound, kind: str) -> str:
    """关于巡察整改情况的报告 / 关于巡察整改进展情况的报告: not the round's name."""
    inspection = round_.kind if round_.kind and round_.kind != RoundKind.OTHER else RoundKind.XUNCHA
    what = "整改情况的报告" if kind == ReportKind.PUBLIC else "整改进展情况的报告"
    return f"关于{inspection}{what}"


def _require(actor, round_: InspectionRound, action: str) -> None:
    if action not in rights_for(actor, round_).actions:
        messages: dict[str, str] = {
            Action.ISSUE_REPORT: _("Reports are drafted and issued by the unit's ledger keepers."),
            Action.SIGN_OFF_REPORT: _("Only a leader of the unit signs off or withdraws its reports."),
        }
        raise LedgerError(messages[action])


def _locked(report: ReportVersion, expected_version: int | None) -> ReportVersion:
    current = (
        ReportVersion.objects.select_for_update(of=("self",))
        .select_related("round__inspected_unit", "round__office", "round__inspecting_group")
        .get(pk=report.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else changed this report after you opened it (your version %(mine)s, now %(now)s). "
                "Nothing was changed. Look at it again and redo your change."
            )
            % {"mine": expected_version, "now": current.version},
            changes=[],
        )
    return current


def _require_state(report: ReportVersion, *states: str) -> None:
    if report.state not in states:
        raise LedgerError(
            _("A report that is “%(state)s” cannot be changed this way.")
            % {"state": report.get_state_display()}
        )


def _record(actor, action: str, report: ReportVersion, payload: dict[str, Any]) -> None:
    history.record(
        actor=actor,
        action=action,
        obj=report,
        payload={"kind": report.kind, "state": report.state, **payload},
    )


# --- Drafts -------------------------------------------------------------------------------------


@transaction.atomic
def draft_create(*, round_: InspectionRound, actor, kind: str, recipient: str = "") -> ReportVersion:
    """A new draft of the round's public or progress report, with a standard title; a progress
    report is addressed to the round's inspection office unless another recipient is given."""
    _require(actor, round_, Action.ISSUE_REPORT)
    if kind not in ReportKind.values:
        raise LedgerError(_("Choose a public report or a progress report."))
    if not recipient and kind == ReportKind.PROGRESS and round_.office is not None:
        recipient = round_.office.name
    report = ReportVersion.objects.create(
        round=round_,
        kind=kind,
        title=default_title(round_, kind),
        recipient=recipient.strip(),
        issuer=round_.inspected_unit.name,
        created_by=actor,
    )
    _record(actor, "report.draft", report, {"values": snapshot(report, DRAFT_FIELDS)})
    return report


@transaction.atomic
def draft_update(*, report: ReportVersion, actor, expected_version: int, **fields: str) -> ReportVersion:
    """Change a draft's wording. A signed-off draft goes back to draft: the sign-off was for the
    words as they were."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    current = _locked(report, expected_version)
    _require(actor, current.round, Action.ISSUE_REPORT)
    _require_state(current, ReportState.DRAFT, ReportState.SIGNED_OFF)
    fields = {name: (value or "").strip() for name, value in fields.items()}
    if "title" in fields and not fields["title"]:
        raise LedgerError(_("A report needs its title."))
    before = snapshot(current, [*DRAFT_FIELDS, "state"])
    for name, value in fields.items():
        setattr(current, name, value)
    changes = field_changes(before, snapshot(current, [*DRAFT_FIELDS, "state"]))
    if not changes:
        return current
    if current.state == ReportState.SIGNED_OFF:
        current.state, current.signed_off_by, current.signed_off_at = ReportState.DRAFT, None, None
        changes = field_changes(before, snapshot(current, [*DRAFT_FIELDS, "state"]))
    current.version += 1
    current.save()
    _record(actor, "report.edit", current, {"fields": changes})
    return current


@dataclass
class Preview:
    """What a draft would say if issued now: its paragraphs, what is masked, what it compares with."""

    paragraphs: list[Para]
    findings: list[dict[str, Any]] = field(default_factory=list)
    baseline: ReportVersion | None = None


def _options(report: ReportVersion, day: datetime.date) -> ExportOptions:
    return ExportOptions(
        issuer=report.issuer,
        date=day,
        as_of=day,
        addressee=report.recipient or None,
        title=report.title,
        opening=report.opening or None,
        closing=report.closing or None,
        redact=True,
        redact_names=_lines(report.redact_names),
        contact_lines=_lines(report.contact_lines) if report.kind == ReportKind.PUBLIC else (),
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def draft_preview(*, report: ReportVersion) -> Preview:
    """The draft rendered with the ledger as it is now, masked as it would be published. Records
    nothing. The caller holds access to the report's round."""
    today = timezone.localdate()
    options = _options(report, today)
    ledger = round_to_ledger(report.round)
    if report.kind == ReportKind.PUBLIC:
        paragraphs = PublicReport().preview(ledger, options)
        return Preview(paragraphs, options.findings)
    baseline = last_issued_progress(report.round_id, report.recipient, before=report)
    body, attachment = progress_paragraphs(
        ledger, report_options(options), today, baseline.ledger if baseline else None
    )
    return Preview([*body, Para("page_break"), *attachment], baseline=baseline)


# --- Sign-off, issue, withdrawal ------------------------------------------------------------------


@transaction.atomic
def sign_off(*, report: ReportVersion, actor, expected_version: int) -> ReportVersion:
    """A leader of the unit approves the draft for issue (签发). Not the person who drafted it."""
    current = _locked(report, expected_version)
    _require(actor, current.round, Action.SIGN_OFF_REPORT)
    _require_state(current, ReportState.DRAFT)
    if current.created_by_id == getattr(actor, "pk", None):
        raise LedgerError(_("Whoever drafted a report cannot also sign it off: another leader must."))
    current.state = ReportState.SIGNED_OFF
    current.signed_off_by, current.signed_off_at = actor, timezone.now()
    current.version += 1
    current.save()
    _record(actor, "report.sign_off", current, {"title": current.title})
    return current


@dataclass
class Issued:
    report: ReportVersion
    pdf_missing: str = ""  # why no PDF was kept (no LibreOffice, or the conversion failed), or ""


@dataclass
class _Written:
    ledger: dict[str, Any]
    files: list[ReportFile]
    baseline: ReportVersion | None
    anchor: dict[str, Any] | None
    pdf_missing: str
    day: datetime.date


def _write(report: ReportVersion) -> _Written:
    """Render the signed-off report from the ledger as it is now: .docx, and .pdf when LibreOffice
    is there. Outside the transaction: anchoring signs the chain head, and a PDF takes seconds."""
    day = timezone.localdate()
    options = _options(report, day)
    options.anchor = anchor_now()
    ledger = round_to_ledger(report.round)
    baseline = None
    if report.kind == ReportKind.PUBLIC:
        # Frozen as published: the masked ledger, which the public pages may show as it is.
        ledger = PublicReport().public_ledger(ledger, options)
        options.redact = False
    else:
        baseline = last_issued_progress(report.round_id, report.recipient, before=report)
        options.previous = baseline.ledger if baseline else None
    rendered = EXPORTERS[EXPORTER_KIND[ReportKind(report.kind)]].render(ledger, options)
    files = [_file("docx", rendered.filename, DOCX, rendered.data)]
    pdf_missing = ""
    if not pdf_available():
        pdf_missing = _("LibreOffice is not installed on the server: only the Word file was kept, no PDF.")
    else:
        try:
            pdf = docx_to_pdf(rendered.data)
        except DocumentError as exc:
            pdf_missing = _("The PDF could not be made (%(why)s): only the Word file was kept.") % {
                "why": exc.message
            }
        else:
            files.append(_file("pdf", rendered.filename.rsplit(".", 1)[0] + ".pdf", PDF, pdf))
    return _Written(ledger, files, baseline, options.anchor, pdf_missing, day)


def _file(format_: str, filename: str, mimetype: str, data: bytes) -> ReportFile:
    return ReportFile(
        format=format_,
        filename=filename,
        mimetype=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _numbered(filename: str, number: int) -> str:
    stem, _dot, extension = filename.rpartition(".")
    return f"{stem}（第{number}号）.{extension}"


def issue(*, report: ReportVersion, actor, expected_version: int) -> Issued:
    """Issue a signed-off report: freeze its ledger and files, number it, record their hashes.

    The document is written first, outside the transaction (see `_write`); the transaction then
    checks again, under the row's lock, that the version is the one signed off and seen, and under
    the round's lock that no other report to the same recipient was issued meanwhile (the changes
    listed would be against the wrong one), and takes the next number."""
    _require(actor, report.round, Action.ISSUE_REPORT)
    _require_state(report, ReportState.SIGNED_OFF)
    if report.version != expected_version:
        _locked(report, expected_version)  # raises the stale-edit refusal
    written = _write(report)
    with transaction.atomic():
        current = _locked(report, expected_version)
        _require(actor, current.round, Action.ISSUE_REPORT)
        _require_state(current, ReportState.SIGNED_OFF)
        # The round's row serialises the issues of its reports: their numbers and their baselines.
        InspectionRound.objects.select_for_update().only("pk").get(pk=current.round_id)
        if current.kind == ReportKind.PROGRESS:
            now = last_issued_progress(current.round_id, current.recipient, before=current)
            if (now and now.pk) != (written.baseline and written.baseline.pk):
                raise StaleEdit(
                    _(
                        "Another report to the same recipient was issued meanwhile. Nothing was issued: try again."
                    ),
                    changes=[],
                )
        taken = ReportVersion.objects.filter(round_id=current.round_id, kind=current.kind).aggregate(
            n=Max("number")
        )["n"]
        current.number = (taken or 0) + 1
        current.state = ReportState.ISSUED
        current.as_of = written.day
        current.ledger = written.ledger
        current.ledger_sha256 = json_sha256(written.ledger)
        current.baseline = written.baseline
        current.issued_by, current.issued_at = actor, timezone.now()
        current.version += 1
        current.save()
        for file in written.files:
            file.report = current
            file.filename = _numbered(file.filename, current.number)
        ReportFile.objects.bulk_create(written.files)
        _record(
            actor,
            "report.issue",
            current,
            {
                "number": current.number,
                "title": current.title,
                "recipient": current.recipient,
                "as_of": current.as_of,
                "ledger_sha256": current.ledger_sha256,
                "files": {
                    f.format: {"sha256": f.sha256, "size": f.size, "name": f.filename} for f in written.files
                },
                "baseline_id": current.baseline_id,
                "anchor_seq": (written.anchor or {}).get("seq"),
            },
        )
        webhooks.report_issued(report=current)
    return Issued(current, written.pdf_missing)


@transaction.atomic
def withdraw(*, report: ReportVersion, actor, expected_version: int, reason: str) -> ReportVersion:
    """Withdraw an issued report (撤回), with the reason. It keeps its number and its files, and is
    no longer the baseline of the next progress report nor shown to the public."""
    current = _locked(report, expected_version)
    _require(actor, current.round, Action.SIGN_OFF_REPORT)
    _require_state(current, ReportState.ISSUED)
    reason = reason.strip()
    if not reason:
        raise LedgerError(_("Say why the report is withdrawn."))
    current.state = ReportState.WITHDRAWN
    current.withdrawn_by, current.withdrawn_at = actor, timezone.now()
    current.withdrawal_reason = reason
    current.version += 1
    current.save()
    _record(actor, "report.withdraw", current, {"number": current.number, "reason": reason})
    return current


def next_step(report: ReportVersion) -> str:
    """What the report waits for: "sign_off", "issue", "withdraw" (an issued one may be) or ""."""
    return {
        ReportState.DRAFT: "sign_off",
        ReportState.SIGNED_OFF: "issue",
        ReportState.ISSUED: "withdraw",
    }.get(ReportState(report.state), "")
