"""A call for the public's comments on a round, each comment received, and its answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound


class CommentCall(models.Model):
    """征求意见: the public page a published report points to, by its link or QR code."""

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="comment_calls"
    )
    token = models.CharField(max_length=32, unique=True)
    invitation = models.CharField(_("what the public is asked"), max_length=300)
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call for comments")
        verbose_name_plural = _("calls for comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.invitation


class PublicComment(models.Model):
    """One comment (意见建议) as it was received, and the unit's one answer (答复)."""

    call = models.ForeignKey(
        CommentCall, verbose_name=_("call for comments"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("comment"), max_length=1000)
    name = models.CharField(_("name"), max_length=40, blank=True)
    contact = models.CharField(_("how to reach them"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    network = models.CharField(max_length=64, blank=True)  # public_visitors.network_key: a keyed hash
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answer_public = models.BooleanField(_("answer published"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment from the public")
        verbose_name_plural = _("comments from the public")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class CommentQuota(models.Model):
    """How many comments one network sent in one clock hour: the counter of the hourly limit.

    One row per (network, hour), raised by a conditional UPDATE so that concurrent posts cannot
    pass the limit together. `network` is a keyed hash (public_visitors.network_key), never an
    address; rows of past hours are deleted.
    """

    network = models.CharField(max_length=64)
    window = models.DateTimeField()  # the start of the hour
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "window"], name="comment_quota_one_per_hour"),
        ]
        indexes = [models.Index(fields=["window"], name="comment_quota_window")]

    def __str__(self) -> str:
        return f"{self.window:%Y-%m-%d %H}:00 {self.count}"
