"""What the webhooks pages show, starting from an organisation the user manages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from zhenggai.orgs.models import Organisation
from zhenggai.reminders.models import GroupRobot
from zhenggai.webhooks.models import Attempt, Delivery, Endpoint

RECENT = 20


def endpoints_of(org: Organisation) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organisation=org).order_by("pk")


def robots_of(org: Organisation) -> QuerySet[GroupRobot]:
    return GroupRobot.objects.filter(organisation=org).order_by("kind")


def recent_deliveries(endpoint: Endpoint) -> list[Delivery]:
    """The endpoint's last deliveries, newest first, each with its attempts (three queries)."""
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")[:RECENT]
    )
