"""The back office reads reports as drafted and issued, never writes them: an issued one is frozen."""

from django.contrib import admin

from zhenggai.readonly_admin import ReadOnlyAdmin
from zhenggai.reports.models import ReportFile, ReportVersion


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "round", "kind", "state", "number", "recipient", "issued_at"]
    list_filter = ["kind", "state"]
    exclude = ["ledger"]  # large; the frozen data is read through the application


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ["filename", "report", "format", "size", "sha256"]
    exclude = ["data"]
