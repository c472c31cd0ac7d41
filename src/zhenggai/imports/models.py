from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound
from zhenggai.orgs.models import Organisation


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Being checked")
    COMMITTED = "committed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class ImportDraft(models.Model):
    """A parsed document waiting to be checked and corrected before it becomes a round.

    Nothing of it reaches the ledger until `draft_commit`, which writes the whole round in one
    transaction.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    source_name = models.CharField(_("file name"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    source_lines = models.JSONField(default=list)  # the text as read, for the side-by-side view
    ledger = models.JSONField()  # zhenggai.ledger/1, as corrected so far
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspection office")
    )
    inspected_unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspected unit")
    )
    inspecting_group = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("inspecting group"),
    )
    status = models.CharField(max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    committed_round = models.ForeignKey(
        InspectionRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the document updates this existing round (从台账更新) instead of becoming a new one.
    update_round = models.ForeignKey(
        InspectionRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("round to update"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source_name
