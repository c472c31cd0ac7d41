"""Webhooks out: addresses an office or a unit registers, the events sent there, and every attempt.

An `Event` happens once (a measure's status changed, a comment came in…); it becomes one
`Delivery` per endpoint in its scope, and each try of a delivery is an `Attempt`. A delivery has
a public id (`uuid`, the `X-Zhenggai-Delivery` header) by which the receiver deduplicates.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.orgs.models import Organisation


class EventKind(models.TextChoices):
    MEASURE_STATUS = "measure.status_changed", _("A measure's status changed")
    MEASURE_OVERDUE = "measure.overdue", _("A measure passed its deadline")
    COMMENT_RECEIVED = "comment.received", _("A comment came in from the public")
    REPORT_ISSUED = "report.issued", _("A report was issued")
    PING = "ping", _("Test event")


# What an endpoint may subscribe to (the test event goes to the one endpoint it is sent from).
SUBSCRIBABLE = [k for k in EventKind if k != EventKind.PING]


class Endpoint(models.Model):
    """An address of an organisation's own system (OA, 大屏) that hears of what happens in its rounds."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=500)
    # Signs every delivery (HMAC-SHA256). Shown once, when the endpoint is registered.
    secret = models.CharField(max_length=100, editable=False)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organisation__path", "pk"]

    def __str__(self) -> str:
        return self.name or self.url

    def wants(self, kind: str) -> bool:
        return kind == EventKind.PING or kind in self.events


class Event(models.Model):
    """Something that happened, as sent: `payload` is the JSON body, the same for every try."""

    kind = models.CharField(max_length=40, choices=EventKind.choices)
    round = models.ForeignKey(
        "ledger.InspectionRound", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # A delivery sent again by hand is a new delivery (a new id): a delivered one is never re-sent.
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return str(self.uuid)


class Attempt(models.Model):
    """One try of a delivery, whatever came of it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    address = models.CharField(max_length=64, blank=True)  # the IP address actually connected to
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_snippet = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"


class OverdueMark(models.Model):
    """A measure found past this deadline: its `measure.overdue` event is emitted once per deadline."""

    measure = models.ForeignKey("ledger.Measure", on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "deadline"], name="webhook_overdue_once"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.deadline}"
