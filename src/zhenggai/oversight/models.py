"""Weekly snapshots of the office's tally, for the dashboard's trend (oversight/snapshots.py).

Derived data, written once a week by `oversight.tasks.take_weekly_snapshot` and never edited: a
week's figures are what the tally said the day its snapshot was taken (`SnapshotWeek.taken_on`).
A week that was not taken stays missing; nothing is made up for it afterwards.

Three tables:

- `SnapshotWeek`: one row per week taken (the Monday's date): when, and the day of its lights;
- `RoundWeek`: the tally's rows of each round copied that week (`TallyKind.ROUND`; and
  `CATEGORY`, where a category's row counts it with its sub-categories: "conduct" takes in
  "conduct.eight_rules", itself a row too), with the round's office, group, unit, kind and feedback
  year as they were then, and the open long-term measures (长期坚持), which the tally does not count;
- `WeekTotal`: the same summed over the rounds of one office, group, kind and feedback year: what
  the trend of an office reads (a few dozen rows a week at a province instead of 3,000 rounds'),
  in one query whatever the filter. `RoundWeek` answers for the people of a unit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import InspectionRound, RoundKind, TallyKind
from zhenggai.orgs.models import Organisation


def _count() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class SnapshotWeek(models.Model):
    """A week whose snapshot was taken: its Monday, the day it was taken (a missed Monday is taken
    on the next day the task runs that week), and the day the lights were counted for."""

    week = models.DateField(_("week"), unique=True)  # the Monday
    taken_on = models.DateField(_("taken on"))
    lights_of = models.DateField(_("lights as of"))
    rounds = models.PositiveIntegerField(_("rounds"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly snapshot")
        verbose_name_plural = _("weekly snapshots")
        ordering = ["week"]

    def __str__(self) -> str:
        return f"{self.week} ({self.taken_on})"


class _Cells(models.Model):
    """The tally's cells (ledger.tally.CELLS) and the open long-term measures."""

    not_started_red = _count()
    not_started_yellow = _count()
    not_started_green = _count()
    not_started_none = _count()
    in_progress_red = _count()
    in_progress_yellow = _count()
    in_progress_green = _count()
    in_progress_none = _count()
    submitted = _count()
    confirmed = _count()
    closed = _count()
    long_term_open = _count()

    class Meta:
        abstract = True


class RoundWeek(_Cells):
    """One tally row of one round, as it was the week `week` (see the module's docstring)."""

    # ~1.2 million rows a year at a province: no index on a foreign key that no read starts from (the
    # unique constraint serves the round's, the unit's index the unit's; an organisation is seldom
    # deleted, and the snapshots of one that is are found by reading them all once).
    week = models.DateField()
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="+", db_index=False)
    # The round as it was that week (the trend filters on these, as the week's figures were filed).
    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    inspecting_group = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    inspected_unit = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round_kind = models.CharField(max_length=10, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(null=True)  # of the feedback (反馈年度)
    kind = models.CharField(max_length=10, choices=TallyKind.choices)
    key = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "key", "week"], name="oversight_roundweek_unique"
            )
        ]
        # The trend of a unit's people: their units' rows of one kind and key, by week.
        indexes = [
            models.Index(fields=["inspected_unit", "kind", "key", "week"], name="oversight_roundweek_unit")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.round_id} {self.kind} {self.key}"


class WeekTotal(_Cells):
    """`RoundWeek` summed over the rounds of one office, group, kind and feedback year, one week."""

    week = models.DateField()
    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    inspecting_group = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    round_kind = models.CharField(max_length=10, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=10, choices=TallyKind.choices)
    key = models.CharField(max_length=60, blank=True)
    rounds = models.PositiveIntegerField(default=0)

    class Meta:
        # The trend of an office: one kind (and category), every week.
        indexes = [models.Index(fields=["kind", "key", "week"], name="oversight_weektotal_kind")]

    def __str__(self) -> str:
        return f"{self.week} {self.office_id}/{self.inspecting_group_id} {self.kind} {self.key}"
