"""The ledger in the back office: to look at, never to change.

Ledger records change through the ledger's pages and services, where the rights table, the state
machine and the history apply; a system administrator keeps accounts and settings, not ledgers.
"""

from django.contrib import admin

from zhenggai.ledger.models import EvidenceFile, InspectionRound, Measure, Problem, ProgressEntry
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
