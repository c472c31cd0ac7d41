"""Reads of a user's own notices: every query starts from the user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from zhenggai.prepared import Prepared
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


# The nav's count of unread notices, on every page: compiled once a process (one row, or none).
_UNREAD = Prepared(
    lambda user_id: (
        Notice.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    int,
)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(n for (n,) in _UNREAD.rows(user.pk))
