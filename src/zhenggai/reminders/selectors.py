"""Reads of a user's own notices: every query starts from the user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from zhenggai.reminders.models import Notice, ReminderEvent


def notices_for(user) -> QuerySet[Notice]:
    events = ReminderEvent.objects.select_related(
        "measure__problem", "measure__round__inspected_unit", "round__inspected_unit"
    ).order_by("pk")
    return (
        Notice.objects.filter(user=user)
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("-day", "-pk")
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
