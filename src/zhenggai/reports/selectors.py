"""Reads of report versions: a round's list, the baseline of a progress report, what is published."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from zhenggai.ledger.models import InspectionRound
from zhenggai.reports.models import ReportFile, ReportKind, ReportState, ReportVersion

# The frozen ledger is large; lists never need it.
_HEAVY = ("ledger",)


def round_report_versions(round_: InspectionRound) -> QuerySet[ReportVersion]:
    """The round's drafts and versions, newest first, without their frozen ledgers. The caller
    holds access to the round (`ledger.access.get_round_for_user`)."""
    return (
        round_.report_versions.defer(*_HEAVY)
        .select_related("created_by", "signed_off_by", "issued_by", "withdrawn_by")
        .order_by("-created_at", "-pk")
    )


def last_issued_progress(
    round_: InspectionRound | int, recipient: str, *, before: ReportVersion | None = None
) -> ReportVersion | None:
    """The last progress report of the round issued to `recipient` and not withdrawn: what the
    next one to the same recipient compares with ("changes since the last report"). A report to
    another recipient, a withdrawn one, a draft or a download does not count."""
    round_id = round_ if isinstance(round_, int) else round_.pk
    found = ReportVersion.objects.filter(
        round_id=round_id, kind=ReportKind.PROGRESS, state=ReportState.ISSUED, recipient=recipient.strip()
    )
    if before is not None:
        found = found.exclude(pk=before.pk)
    return found.order_by("-issued_at", "-pk").first()


def report_files(report: ReportVersion) -> list[ReportFile]:
    """The frozen files of an issued version, without their bytes."""
    return list(report.files.defer("data").order_by("format"))


def issued_public_reports() -> QuerySet[ReportVersion]:
    """Public reports issued and not withdrawn, for the public pages, newest first, each with its
    unit and round (`round.inspected_unit`), the round's kind (`round_kind`: 巡察, 巡视…) and a
    `year` (the feedback's, else the issue's). `ledger` is the data as published (masked)."""
    return (
        ReportVersion.objects.filter(kind=ReportKind.PUBLIC, state=ReportState.ISSUED)
        .select_related("round__inspected_unit", "round__inspecting_group")
        .annotate(
            round_kind=F("round__kind"),
            year=Coalesce(ExtractYear("round__feedback_date"), ExtractYear("issued_at")),
        )
        .order_by("-issued_at", "-pk")
    )
