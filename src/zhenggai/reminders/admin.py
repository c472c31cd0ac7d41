"""Back-office screens: offices set their ladder, contacts and robots; runs are inspectable."""

from django.contrib import admin

from zhenggai.reminders.models import (
    Contact,
    Digest,
    EscalationPolicy,
    GroupRobot,
    Notice,
    ReminderEvent,
    UnitPrincipal,
)


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ["office", "green_days", "yellow_days", "notify_office_when_overdue", "enabled"]
    autocomplete_fields = ["office"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["person", "email"]
    search_fields = ["person__name", "email"]
    autocomplete_fields = ["person"]


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "active"]
    list_filter = ["kind", "active"]
    autocomplete_fields = ["organisation"]


@admin.register(UnitPrincipal)
class UnitPrincipalAdmin(admin.ModelAdmin):
    list_display = ["unit", "person"]
    autocomplete_fields = ["unit", "person"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the runs recorded: kept as evidence that a reminder went out, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderEvent)
class ReminderEventAdmin(ReadOnlyAdmin):
    list_display = ["created_on", "measure", "level", "role", "person", "user", "deadline", "days_left"]
    list_filter = ["level", "role", "created_on"]
    list_select_related = ["measure", "person", "user"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "channel", "status", "person", "user", "attempts", "sent_at"]
    list_filter = ["channel", "status", "day"]
    list_select_related = ["person", "user"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "title", "read_at"]
    list_select_related = ["user"]
