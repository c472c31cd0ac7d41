"""Quality signals (质量信号) on measures: what is flagged, kept up to date by `services.flags_refresh`
whenever a measure, its progress, evidence or closing changes, and the office's dismissals of a flag,
each with its reason, never deleted (an undo is one more row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound, Measure, TallyCell


class SignalKey(models.TextChoices):
    SLOGAN = "slogan", _("Slogan")  # 喊口号
    COPY = "copy", _("Copied from another plan")  # 照抄照搬
    NO_EVIDENCE = "no_evidence", _("Done without evidence")  # 已完成无佐证
    EVIDENCE_LATE = "evidence_late", _("Evidence uploaded after the claim")  # 佐证晚于完成
    DEADLINE_EARLY = "deadline_early", _("Deadline before the feedback")  # 时限早于反馈
    UNRELATED = "unrelated", _("Measure unrelated to its problem")  # 措施与问题不对应
    BURST = "burst", _("Progress entered in a rush")  # 临期集中填报


class SignalFlag(models.Model):
    """One signal raised on one measure. A copy has one row for each other round holding a copy
    (`partner_round`, at most `services.MAX_COPY_ROUNDS`), so that a user is only told of copies in
    rounds they may see."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="signal_flags")
    # The measure's round, kept here so that counting a user's flags joins no measure.
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20, choices=SignalKey.choices)
    partner_round = models.ForeignKey(
        InspectionRound, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)  # what the explanation shows (counts, dates)
    # A copy whose partner round belongs to another office than the measure's round (or to none).
    other_office = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("quality signal")
        verbose_name_plural = _("quality signals")
        indexes = [
            models.Index(fields=["round", "key"], name="signal_flag_round_key"),
            models.Index(fields=["measure", "key"], name="signal_flag_measure_key"),
            models.Index(fields=["partner_round", "key"], name="signal_flag_partner_key"),
            # The few copies towards other offices, read by round without the rest (signal_counts).
            models.Index(fields=["key", "other_office", "round"], name="signal_flag_other_office"),
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.measure_id}"


class DismissalAction(models.TextChoices):
    DISMISS = "dismiss", _("Dismissed")
    RESTORE = "restore", _("Shown again")


class SignalDismissal(models.Model):
    """An office's judgement that a signal on a measure needs no action, with its reason; or
    (RESTORE, `undoes` set) the withdrawal of such a judgement: the signal shows again."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="signal_dismissals")
    key = models.CharField(max_length=20, choices=SignalKey.choices)
    # Asked with the measure and the key (their index), never by `undoes` alone: "the dismissals in
    # force" is DISMISS rows that no RESTORE undoes.
    action = models.CharField(max_length=10, choices=DismissalAction.choices, default=DismissalAction.DISMISS)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    class Meta:
        verbose_name = _("dismissed signal")
        verbose_name_plural = _("dismissed signals")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["measure", "key"], name="signal_dismissal_measure_key")]

    def __str__(self) -> str:
        return f"{self.key} #{self.measure_id}"


class SignalTally(models.Model):
    """How many measures of a round, under one problem category, carry a signal that no dismissal
    in force hides: what the dashboard sums instead of counting flags (`selectors.signal_counts`).
    Kept by `services` in the transaction that changes the flags or their dismissals; rebuilt with
    them (`flags_rebuild`). A copy counts here only when one of its partner rounds has the round's
    own office (`SignalFlag.other_office` false): whoever sees a whole office sees that partner;
    the copies only in other offices' plans are counted from their flags, which are few."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=60)  # the problem's category code, as Problem keeps it
    key = models.CharField(max_length=20, choices=SignalKey.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("signal count")
        verbose_name_plural = _("signal counts")
        constraints = [
            models.UniqueConstraint(fields=["round", "category", "key"], name="signal_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ×{self.count} (round {self.round_id}, {self.category})"


class SignalRollup(TallyCell):
    """`SignalTally` summed over the rounds of one office, group, kind and year of feedback (as
    `ledger.rollup` sums the measures' tally): what an office's staff read the signal counts from,
    a few thousand rows at a province instead of 50,000. Kept by `services.signals_tally` by the
    difference a recount makes, under the tally's lock."""

    category = models.CharField(max_length=60)
    key = models.CharField(max_length=20, choices=SignalKey.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["key", "category"], name="signal_rollup_key")]

    def __str__(self) -> str:
        return f"{self.key} ×{self.count} ({self.office_id}/{self.inspecting_group_id}/{self.round_kind}/{self.year}, {self.category})"
