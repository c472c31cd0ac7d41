from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhenggai.ledger.models import InspectionRound


class ReportKind(models.TextChoices):
    PUBLIC = "public", _("Rectification report for publication (整改情况的报告)")
    PROGRESS = "progress", _("Progress report for the inspection office (整改进展情况报告)")


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "Draft")
    SIGNED_OFF = "signed_off", pgettext_lazy("report state", "Signed off")  # 已签发
    ISSUED = "issued", pgettext_lazy("report state", "Issued")  # 已出具 (a receipt slip's is 已发放)
    WITHDRAWN = "withdrawn", pgettext_lazy("report state", "Withdrawn")


class ReportVersion(models.Model):
    """A report of a round, from its draft to its issue (出具) and perhaps its withdrawal.

    A draft is edited by the unit's clerk and signed off by its leader; issuing freezes it: the
    ledger it was written from (as published: masked, for the public report), its files and their
    SHA-256, which the history entry of the issue also holds. Only issued versions that are not
    withdrawn count as a baseline (the next progress report's "changes since the last report").
    Written only by `reports.issuing`.
    """

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="report_versions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)  # raised by every change: a stale form is refused
    title = models.CharField(_("title"), max_length=200)
    recipient = models.CharField(_("addressed to (主送机关)"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by (署名)"), max_length=100, blank=True)
    opening = models.TextField(_("opening"), blank=True)  # blank: the round's preamble, or one written for it
    closing = models.TextField(_("closing"), blank=True)  # blank: the standard closing
    redact_names = models.TextField(_("names to mask"), blank=True)
    contact_lines = models.TextField(_("where to send comments"), blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)  # per round and kind, at issue
    as_of = models.DateField(_("as of"), null=True, blank=True)
    ledger = models.JSONField(null=True, blank=True)  # frozen at issue, as the document was written from
    ledger_sha256 = models.CharField(max_length=64, blank=True)
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The public page's address (/r/<token>/), served only once the version is issued: random
    # (32 bytes, URL-safe), so that no one finds a report by counting.
    public_token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "number"],
                condition=Q(number__isnull=False),
                name="report_number_once_per_round_and_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "kind", "state"], name="report_round_kind_state"),
            # The public list: issued public reports, newest first.
            models.Index(fields=["kind", "state", "-issued_at"], name="report_kind_state_issued"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.state in (ReportState.ISSUED, ReportState.WITHDRAWN)


class ReportFile(models.Model):
    """A file of an issued report, byte for byte as issued.

    Kept in the database, not the file storage: a back-up and its restore then carry it together
    with the history entry that names its SHA-256, and no one changes it without the database.
    """

    report = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10)  # "docx" or "pdf"
    filename = models.CharField(_("file name"), max_length=255)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        ordering = ["report", "format"]
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="report_file_one_per_format"),
        ]

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
