"""The back office may read receipts, never write them: only a resident fills a slip in."""

from django.contrib import admin

from zhenggai.receipts.models import Receipt, ReceiptBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReceiptBatch)
class ReceiptBatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "measure", "asks_satisfaction", "created_by", "created_at"]
    search_fields = ["title", "statement"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["batch", "number", "confirmed_at", "satisfaction"]
    list_filter = ["satisfaction"]
    exclude = ["token", "device", "network"]
