from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound


class IssuedReport(models.Model):
    """A report as it was handed in or published, with the ledger it was written from.

    The next progress report compares with the ledger kept here ("what changed since").
    """

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="issued_reports")
    kind = models.CharField(_("kind"), max_length=20)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    ledger = models.JSONField()
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A large ledger export written by a background worker; its requester downloads it when done."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True, max_length=200)
    filename = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or f"export {self.pk}"

    @property
    def percent(self) -> int:
        return (
            round(100 * self.done / self.total)
            if self.total
            else (100 if self.status == ExportStatus.DONE else 0)
        )
