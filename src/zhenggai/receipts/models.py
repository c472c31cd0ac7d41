"""A batch of receipt slips (回执联) for one measure, and each slip a resident confirms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Measure


class Satisfaction(models.TextChoices):
    """The three answers of the satisfaction surveys (满意度测评) offices hand out."""

    SATISFIED = "satisfied", _("Satisfied")  # 满意
    MOSTLY = "mostly", _("Mostly satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class ReceiptBatch(models.Model):
    """Slips handed to residents for one measure: a leaflet delivered, a visit made, a survey."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="receipt_batches"
    )
    title = models.CharField(_("title"), max_length=100)
    statement = models.CharField(_("what the resident confirms"), max_length=300)
    asks_satisfaction = models.BooleanField(_("asks how satisfied the resident is"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt batch")
        verbose_name_plural = _("receipt batches")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Receipt(models.Model):
    """One slip. Its token is the link printed on it; only the resident's own answer fills it in.

    `device` and `network` are keyed hashes, never the raw values: of a random id kept in the
    resident's browser, and of the network and browser kind the answer came from. They tell when
    one phone or one office network answered many slips, without keeping who the residents are.
    The database holds one answered slip per browser and batch (`receipt_one_per_device_in_batch`):
    two answers from one browser at the same moment cannot both be stored.
    """

    batch = models.ForeignKey(
        ReceiptBatch, verbose_name=_("receipt batch"), on_delete=models.CASCADE, related_name="receipts"
    )
    number = models.PositiveIntegerField(_("slip number"))
    token = models.CharField(max_length=32, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    household = models.CharField(_("household"), max_length=60, blank=True)  # 户名或门牌
    phone = models.CharField(_("telephone"), max_length=20, blank=True)  # for the office's call-back (回访)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    device = models.CharField(max_length=64, blank=True)
    network = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="receipt_number_unique_in_batch"),
            models.UniqueConstraint(
                fields=["batch", "device"], condition=~Q(device=""), name="receipt_one_per_device_in_batch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} #{self.number}"
