from django.contrib import admin

from zhenggai.ledger.models import EvidenceFile, InspectionRound, Measure, Problem, ProgressEntry


@admin.register(InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "inspected_unit", "inspecting_group", "feedback_date"]
    list_filter = ["kind"]
    search_fields = ["title"]
    autocomplete_fields = ["office", "inspecting_group", "inspected_unit"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "level", "category"]
    list_filter = ["category", "level"]
    search_fields = ["title", "statement"]
    raw_id_fields = ["round", "parent"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    """Read-only here: measures change through the ledger pages, where the rules are applied."""

    list_display = ["__str__", "status", "deadline", "lead_department"]
    list_filter = ["status", "kind"]
    search_fields = ["text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ["measure", "happened_on", "author", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "measure", "size", "uploaded_by", "uploaded_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
