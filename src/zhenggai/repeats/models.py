"""Findings that come back across rounds (屡查屡犯) and follow-up rounds (回头看).

A problem's statement is kept as MinHash bands (`ProblemSketch`, as `ledger.MeasureSketch` keeps a
measure's), from which the problems of a unit's new round are matched against those of its earlier
rounds (`core.repeats`). A match is a `RepeatLink`: found by the rule, or by a person, and
confirmed or dismissed by the office with a reason.

A 回头看 round is an ordinary `InspectionRound` with a `FollowUp` row naming the round it looks
back on, kept here rather than as a column of the round: the round's stored state, which the
history answers for (history/state.py), stays as it was for every existing round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound, Measure, Problem


class ProblemSketch(models.Model):
    """One MinHash band of a problem's statement (`core.repeats.repeat_bands`)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="repeat_sketch")
    band = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["band", "problem"], name="problem_sketch_band_problem")]
        constraints = [models.UniqueConstraint(fields=["problem", "band"], name="problem_sketch_band_unique")]

    def __str__(self) -> str:
        return self.band


class FoundBy(models.TextChoices):
    RULE = "rule", _("Found by the rule")  # the statements' wording (core.repeats)
    PERSON = "person", _("Named by a person")
    FOLLOW_UP = "follow_up", _("Taken into a follow-up round")  # 回头看 checklist


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class RepeatLink(models.Model):
    """A problem of a later round (`newer`) that an earlier round of the same unit found already."""

    newer = models.ForeignKey(
        Problem, verbose_name=_("later problem"), on_delete=models.CASCADE, related_name="repeats_earlier"
    )
    earlier = models.ForeignKey(
        Problem, verbose_name=_("earlier problem"), on_delete=models.CASCADE, related_name="repeated_later"
    )
    similarity = models.FloatField(_("similarity"))  # share of the statements' pieces (Jaccard)
    found_at = models.DateTimeField(_("found at"), default=timezone.now, editable=False)  # server time
    found_by = models.CharField(_("found by"), max_length=10, choices=FoundBy.choices, default=FoundBy.RULE)
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("repeated finding")
        verbose_name_plural = _("repeated findings")
        ordering = ["-similarity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["newer", "earlier"], name="repeat_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(newer=models.F("earlier")), name="repeat_link_not_self"
            ),
        ]
        indexes = [models.Index(fields=["earlier", "newer"], name="repeat_link_earlier")]

    def __str__(self) -> str:
        return f"{self.newer_id} ← {self.earlier_id}"


class FollowUp(models.Model):
    """A 回头看 round and the earlier round of the same unit it looks back on."""

    round = models.OneToOneField(InspectionRound, on_delete=models.CASCADE, related_name="follow_up")
    follows = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="followed_up_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")

    def __str__(self) -> str:
        return f"{self.round_id} → {self.follows_id}"


class FollowUpItem(models.Model):
    """A measure of a 回头看 round's checklist and the open or long-term measure it checks again."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="items")
    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="follow_up_origin")
    origin = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="followed_up_in")

    def __str__(self) -> str:
        return f"{self.measure_id} ← {self.origin_id}"
