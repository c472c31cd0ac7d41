"""The back office may read receipts, never write them: only a resident fills a slip in."""

from django.contrib import admin

from zhenggai.readonly_admin import ReadOnlyAdmin
from zhenggai.receipts.models import Receipt, ReceiptBatch


@admin.register(ReceiptBatch)
class ReceiptBatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "measure", "asks_satisfaction", "created_by", "created_at"]
    search_fields = ["title", "statement"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["batch", "number", "confirmed_at", "satisfaction"]
    list_filter = ["satisfaction"]
    exclude = ["token", "device", "network"]
