"""The back office shows the ledger and changes nothing: every change goes through the services,
which write its history entry in the same transaction (`zhenggai verify` reports any other)."""

from django.contrib import admin

from zhenggai.ledger.models import (
    Acknowledgement,
    ClosingDecision,
    DeadlineExtension,
    EvidenceFile,
    InspectionRound,
    Measure,
    Problem,
    ProgressEntry,
)
from zhenggai.readonly_admin import ReadOnlyAdmin


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "inspected_unit", "inspecting_group", "feedback_date"]
    list_filter = ["kind"]
    search_fields = ["title"]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "round", "level", "category"]
    list_filter = ["category", "level"]
    search_fields = ["title", "statement"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "deadline", "lead_department"]
    list_filter = ["status", "kind"]
    search_fields = ["text"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
    list_display = ["measure", "happened_on", "author", "recorded_at"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "measure", "size", "uploaded_by", "uploaded_at"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ["measure", "old_deadline", "new_deadline", "status", "requested_at"]
    list_filter = ["status"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["measure", "department", "user", "acknowledged_at"]


@admin.register(ClosingDecision)
class ClosingDecisionAdmin(ReadOnlyAdmin):
    list_display = ["measure", "decision", "actor", "decided_at"]
    list_filter = ["decision"]
