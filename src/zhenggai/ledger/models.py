"""The inspection round, the problems its feedback named, and the rectification measures.

Field terms, once (see docs/glossary.md): 巡察轮次 round, 反馈意见 feedback, 问题 problem,
整改措施 measure, 分管领导 responsible leader, 牵头部门 lead department, 配合部门 cooperating
departments, 具体责任人 the person doing it, 整改进展 progress, 佐证材料 evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhenggai.orgs.models import Organisation, Person


class RoundKind(models.TextChoices):
    XUNSHI = "巡视", _("Tour inspection (巡视)")
    XUNCHA = "巡察", _("Inspection tour (巡察)")
    SHENJI = "审计", _("Audit (审计)")
    DUCHA = "督察", _("Supervision (督察)")
    JIANCHA = "检查", _("Check (检查)")
    OTHER = "其他", _("Other")


class InspectionRound(models.Model):
    """One inspection of one unit, from the stay on site to the end of its rectification."""

    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.XUNCHA)
    title = models.CharField(_("title"), max_length=200)
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("inspection office"),
        on_delete=models.PROTECT,
        related_name="rounds_supervised",
        help_text=_("The office that follows this round's rectification."),
    )
    inspecting_group = models.ForeignKey(
        Organisation,
        verbose_name=_("inspecting group"),
        on_delete=models.PROTECT,
        related_name="rounds_inspected_by",
        null=True,
        blank=True,
    )
    inspected_unit = models.ForeignKey(
        Organisation, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="rounds"
    )
    on_site_start = models.DateField(_("on site from"), null=True, blank=True)
    on_site_end = models.DateField(_("on site until"), null=True, blank=True)
    feedback_date = models.DateField(_("feedback date"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-feedback_date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ledger:round_ledger", args=[self.pk])


class Problem(models.Model):
    """A node of the feedback's numbered tree, exactly as printed (一、 / 1. / （1））.

    Grouping headings have no `statement`; the problems found are the nodes that state one.
    """

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="problems"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    label = models.CharField(
        _("label"), max_length=20, help_text=_("Numbering as printed, e.g. 一、 or （1）")
    )
    number = models.PositiveIntegerField(_("number"))
    level = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveIntegerField(_("position"), help_text=_("Order in the document"))
    # The labels from the root down, e.g. 一、1.（2）: how people cite a problem ("第一部分第1项第2个问题").
    outline = models.CharField(_("numbering"), max_length=120, blank=True)
    title = models.TextField(_("heading"))
    statement = models.TextField(_("problem found"), blank=True)
    # A code of the installation's taxonomy (zhenggai.taxonomy.Category.code, e.g. conduct.eight_rules),
    # set by its rules on import, or by hand (then the rules leave it alone).
    category = models.CharField(_("category"), max_length=60, default="other")
    category_by_hand = models.BooleanField(_("category set by hand"), default=False)
    cause_analysis = models.TextField(_("cause analysis"), blank=True)  # 原因分析
    amount_involved = models.DecimalField(  # 涉及金额, for audits, in yuan
        _("amount involved (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["round", "position"]
        indexes = [models.Index(fields=["round", "position"], name="problem_round_position")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ledger:problem_detail", args=[self.pk])

    @property
    def is_finding(self) -> bool:
        return bool(self.statement)


class MeasureKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Fix at once")  # 立行立改
    TIME_BOUND = "time_bound", _("Fix by a deadline")  # 限期整改
    LONG_TERM = "long_term", _("Keep up long term")  # 长期坚持


class MeasureStatus(models.TextChoices):
    """The states of a measure's life; the transitions between them are in `ledger/workflow.py`."""

    NOT_STARTED = "not_started", _("Not started")  # 未启动
    IN_PROGRESS = "in_progress", _("In progress")  # 整改中
    SUBMITTED = "submitted", _("Done, closing requested")  # 已完成，申请销号
    CONFIRMED = "confirmed", _("Confirmed by the unit")  # 本单位已审核，待销号
    CLOSED = "closed", _("Closed")  # 已销号


class ClaimedStatus(models.TextChoices):
    """What an imported document said of a measure: the unit's own word, never its state (see the
    importer). "" when the document said nothing."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


# How the ledger shows a claim: what the document said, not what the review found.
CLAIM_LABELS: dict[str, str | Promise] = {
    ClaimedStatus.NOT_STARTED: _("Report says not started"),  # 报告称未启动
    ClaimedStatus.IN_PROGRESS: _("Report says in progress"),  # 报告称整改中
    ClaimedStatus.DONE: _("Report says done"),  # 报告称已完成
}

# The unit counts these as rectified (已完成): what the completion rate and the green light use.
DONE_STATES = frozenset({MeasureStatus.SUBMITTED, MeasureStatus.CONFIRMED, MeasureStatus.CLOSED})


def _person_who(verbose_name) -> models.ForeignKey:
    """A user who did something to a measure, kept for the separation of duties (empty: nobody yet,
    or the system)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )


class Measure(models.Model):
    """One rectification measure of a problem, with its three-list responsibilities."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="measures"
    )
    # Denormalised from the problem so that ledger queries across hundreds of units stay one join.
    round = models.ForeignKey(
        InspectionRound, on_delete=models.CASCADE, related_name="measures", editable=False
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("measure"))
    # What a copy of the text shares (core.quality.fingerprint, the unit's own name left out): finds
    # plans copied from another body or an earlier plan (照抄照搬). "" for a text too short to tell.
    text_fingerprint = models.CharField(max_length=32, blank=True, editable=False)  # indexed with round
    responsible_leader = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures_led",
    )
    lead_department = models.ForeignKey(
        Organisation,
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures_led",
    )
    cooperating_departments = models.ManyToManyField(
        Organisation,
        verbose_name=_("cooperating departments"),
        blank=True,
        related_name="measures_cooperated",
    )
    doer = models.ForeignKey(
        Person,
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures_done",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.TIME_BOUND
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    long_term = models.BooleanField(_("kept up long term"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The deadline as first set; extensions change `deadline` only, so the slip stays visible.
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    submitted_by = _person_who(_("closing requested by"))
    submitted_at = models.DateTimeField(_("closing requested at"), null=True, blank=True, editable=False)
    # Who entered the measure (its importer included) and who confirmed it for the unit: neither may
    # close it (separation of duties, see ledger/transitions.py). Null: entered by the system.
    created_by = _person_who(_("entered by"))
    confirmed_by = _person_who(_("confirmed for the unit by"))
    # What an imported document claimed ("已整改完毕"): shown, never taken as the measure's state.
    claimed_status = models.CharField(
        _("status the document claimed"),
        max_length=20,
        choices=ClaimedStatus.choices,
        blank=True,
        default="",
        editable=False,
    )
    claimed_text = models.CharField(_("the document's words"), max_length=200, blank=True, editable=False)
    completion_entered_late = models.BooleanField(_("completion date entered late"), default=False)
    completion_late_reason = models.TextField(_("reason for entering the completion date late"), blank=True)
    # Long-term (长期坚持) items are closed with a follow-up interval and come back for a check.
    follow_up_days = models.PositiveIntegerField(_("follow-up interval (days)"), null=True, blank=True)
    next_check_on = models.DateField(_("next check"), null=True, blank=True)
    # Optimistic locking: every write bumps it; a form carrying an older value is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["problem__position", "position", "pk"]
        indexes = [
            models.Index(fields=["round", "status", "deadline"], name="measure_round_status_deadline"),
            # Round last, so that counting an office's red lights reads this index alone.
            models.Index(fields=["status", "deadline", "round"], name="measure_status_deadline_round"),
            # The copies of a text (照抄照搬) and their rounds, read from this index alone: a text
            # shared by thousands of measures is numbered and counted without reading them.
            models.Index(fields=["text_fingerprint", "round"], name="measure_fingerprint_round"),
            # 我的待办's long-term re-checks due: the closed long-term measures alone (a few percent),
            # by the day of their check. `status` leads although the condition fixes it: SQLite,
            # which keeps no statistics, takes an index for an equality on its first column.
            models.Index(
                fields=["status", "next_check_on", "round"],
                condition=models.Q(status=MeasureStatus.CLOSED, long_term=True),
                name="measure_recheck_due",
            ),
        ]
        constraints = [
            # 立行立改, 限期整改 and 长期坚持 exclude one another; `long_term` is 长期坚持 and nothing else.
            models.CheckConstraint(
                condition=models.Q(kind=MeasureKind.LONG_TERM, long_term=True)
                | (~models.Q(kind=MeasureKind.LONG_TERM) & models.Q(long_term=False)),
                name="measure_kind_exclusive",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def claim_label(self) -> str:
        """ "Report says done" and the like, for a measure an imported document spoke of; else ""."""
        return str(CLAIM_LABELS[self.claimed_status]) if self.claimed_status in CLAIM_LABELS else ""


class ProgressEntry(models.Model):
    """A dated note of what was done. `happened_on` is typed by a person; `recorded_at` is the server's."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="progress_entries"
    )
    happened_on = models.DateField(_("date of the work"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # 补录: entered long after the date it claims. Kept, shown, and explained - never hidden.
    late_entry = models.BooleanField(_("entered late"), default=False)
    late_reason = models.TextField(_("reason for entering late"), blank=True)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.text[:30]}"


class MeasureSketch(models.Model):
    """One MinHash band of a measure's text (`core.quality.sketch`): how near copies are found."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="sketch")
    band = models.CharField(max_length=16)

    class Meta:
        # A band's measures read from the index alone (the near-copy lookup starts here).
        indexes = [models.Index(fields=["band", "measure"], name="measure_sketch_band_measure")]
        constraints = [models.UniqueConstraint(fields=["measure", "band"], name="measure_sketch_band_unique")]

    def __str__(self) -> str:
        return self.band


def evidence_upload_path(instance: EvidenceFile, filename: str) -> str:
    # Stored under its content hash: the same bytes are one file, and a swapped file shows.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(models.Model):
    """A supporting document (佐证材料) for a measure."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DeadlineExtension(models.Model):
    """A request to move a measure's deadline (延期申请), decided by the inspection office."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField(_("deadline before"))
    new_deadline = models.DateField(_("deadline asked for"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at", "-pk"]
        # 我的待办's requests waiting for a decision, oldest first: the pending ones in that order,
        # instead of every extension the office ever decided.
        indexes = [models.Index(fields=["status", "requested_at", "id"], name="extension_status_requested")]
        constraints = [
            models.UniqueConstraint(
                fields=["measure"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_per_measure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.new_deadline} ({self.get_status_display()})"


class Acknowledgement(models.Model):
    """The lead department's receipt (签收) of a measure assigned to it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="acknowledgements")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("signed for at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "department"], name="one_acknowledgement_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.acknowledged_at:%Y-%m-%d}"


class Decision(models.TextChoices):
    CLOSED = "closed", _("Closed")  # 销号
    RETURNED = "returned", _("Returned")  # 退回
    RECHECKED = "rechecked", _("Checked again and kept closed")  # 复查通过


class ClosingDecision(models.Model):
    """A reviewer's decision with a frozen copy of the item and its evidence as they were then."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("closing decision")
        verbose_name_plural = _("closing decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.decided_at:%Y-%m-%d %H:%M}"


# --- Counts kept for the office's pages (ledger/tally.py) -------------------------------------------

# The cells of a tally row: an open measure by status and light, a done one by status (always green).
TALLY_OPEN_STATES = [MeasureStatus.IN_PROGRESS, MeasureStatus.NOT_STARTED]
TALLY_LIGHTS = ["red", "yellow", "green", "none"]


def _count_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class TallyKind(models.TextChoices):
    ROUND = "round", _("round")  # one row per round, key ""
    CATEGORY = "category", _("problem category")  # key: the category
    DEPARTMENT = "department", _("department")  # key: the id of a lead or cooperating department
    # key: "<category>|<department id>" (tally.department_category_key): a department's measures
    # of one category, for the dashboard's departments under a category filter.
    DEPARTMENT_CATEGORY = "dept_cat", _("department and category")


class TallyColumns(models.Model):
    """The counts of a tally row (ledger.tally.COLUMNS): measures by open status and light, and by
    done status, then counts that do not depend on the day."""

    not_started_red = _count_field()
    not_started_yellow = _count_field()
    not_started_green = _count_field()
    not_started_none = _count_field()
    in_progress_red = _count_field()
    in_progress_yellow = _count_field()
    in_progress_green = _count_field()
    in_progress_none = _count_field()
    submitted = _count_field()
    confirmed = _count_field()
    closed = _count_field()
    # Besides the cells, counts that do not depend on the day (the dashboard's; kept by the same
    # refreshes): measures kept up long term, measures in a done state with no evidence file, and
    # on the round's and a category's rows the problems found (problems with a statement) of the
    # round or category. A department's row has no problems of its own (a problem spans the
    # departments of its measures): 0 there.
    long_term = _count_field()
    done_no_evidence = _count_field()
    problems = _count_field()

    class Meta:
        abstract = True


class MeasureTally(TallyColumns):
    """How many of a round's measures (or of those of one category, or one department) are in each
    status and light, as of `TallyClock.as_of`: what the office's pages read instead of counting
    every measure of the province. Derived data, kept by `ledger.tally` in the writes' transactions;
    `zhenggai verify --counts` compares it with a recount."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="tallies")
    kind = models.CharField(max_length=10, choices=TallyKind.choices)
    key = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            # Also the index of the pages' reads: one kind and key, the visible rounds.
            models.UniqueConstraint(fields=["kind", "key", "round"], name="measure_tally_kind_key_round")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind} {self.key}"


class TallyCell(models.Model):
    """The rounds a rollup row adds up: those of one office, inspecting group, kind of inspection and
    year of feedback (as the dashboard filters them). Kept by `ledger.tally` with the round rows."""

    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    inspecting_group = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round_kind = models.CharField(max_length=10, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(null=True)  # of the feedback (反馈年度)

    class Meta:
        abstract = True


class OfficeTally(TallyCell, TallyColumns):
    """`MeasureTally`'s rows summed over the rounds of one office, group, kind and year: what the
    dashboard's categories and departments read (a few hundred category rows at a province instead
    of 27,000; the departments' as many as theirs, but with no join to the rounds in view). Derived data, moved by the same refreshes, in the same transactions, under
    the same lock (`ledger.tally`); `zhenggai verify --counts` compares it with a recount."""

    kind = models.CharField(max_length=10, choices=TallyKind.choices)
    key = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="office_tally_kind_key")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.inspecting_group_id}/{self.round_kind}/{self.year} {self.kind} {self.key}"


class CategoryUnit(TallyCell):
    """The problems found in one unit of one category (the code as filed, and its top-level code)
    over the rounds of one office, group, kind and year: what the dashboard counts the units with
    problems of a category from (共性问题), distinct units being no sum of the rollup's rows. One
    row per unit and category (27,000 at a province), read by its index alone."""

    inspected_unit = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    top = models.CharField(max_length=60)  # the top-level code (categories.top_level)
    key = models.CharField(max_length=60, blank=True)
    problems = _count_field()

    class Meta:
        indexes = [
            models.Index(
                fields=["top", "inspected_unit", "key", "office", "inspecting_group", "round_kind", "year"],
                name="category_unit_top",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.inspecting_group_id}/{self.round_kind}/{self.year} {self.inspected_unit_id} {self.key}"


class TallyClock(models.Model):
    """The one row saying for which day the lights of `MeasureTally` were counted, and with how many
    yellow days; the daily task moves it on (ledger/tally.py)."""

    as_of = models.DateField()
    yellow_days = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.as_of} ({self.yellow_days})"
