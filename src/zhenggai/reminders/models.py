"""Deadline reminders: each office's ladder, where people are reached, and what was sent to whom.

A recipient is a `Person` (分管领导, 具体责任人… many never log in) or, for someone who logs in but
is not named as a person (inspection office staff, a unit leader), a `User`. A login that has a
person is always recorded as that person, so one human is one recipient.

Nothing is sent twice: a `ReminderEvent` is unique per measure, step, recipient and deadline; a
`Digest` per recipient, day and channel; and a `DigestItem` per event and channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation, OrgKind, Person
from zhenggai.reminders.ladder import Level, Role

LEVEL_CHOICES = [
    (Level.GREEN.value, _("Green: deadline near")),
    (Level.YELLOW.value, _("Yellow: deadline close")),
    (Level.RED.value, _("Red: overdue")),
    (Level.RECHECK.value, _("Long-term check due")),
    # Steps of the cycle, told when they happen (reminders/notices.py).
    ("assigned", _("Assigned")),
    ("returned", _("Returned")),
    ("submitted", _("Closing requested")),
    ("confirmed", _("Confirmed by the unit")),
    ("closed", _("Closed")),
    ("ext_asked", _("More time asked for")),
    ("ext_done", _("Request for more time decided")),
    ("comment", _("Comment received")),
]
ROLE_CHOICES = [
    (Role.DOER.value, _("person in charge")),
    (Role.LEADER.value, _("responsible leader")),
    (Role.PRINCIPAL.value, _("principal leader")),
    (Role.OFFICE.value, _("inspection office")),
    (Role.CLERK.value, _("ledger clerk")),
    (Role.DEPARTMENT.value, _("lead department")),
    (Role.REVIEWER.value, _("unit reviewer")),
    (Role.HANDLER.value, _("handled it")),
]
ONE_RECIPIENT = (Q(person__isnull=False) & Q(user__isnull=True)) | (
    Q(person__isnull=True) & Q(user__isnull=False)
)


class EscalationPolicy(models.Model):
    """An inspection office's ladder. Offices without one (or an ancestor's) use the default."""

    office = models.OneToOneField(
        Organisation,
        verbose_name=_("inspection office"),
        on_delete=models.CASCADE,
        related_name="escalation_policy",
        limit_choices_to={"kind": OrgKind.INSPECTION_OFFICE},
        help_text=_("Also used by the offices under it that have no policy of their own."),
    )
    green_days = models.PositiveSmallIntegerField(_("first notice, days before the deadline"), default=20)
    yellow_days = models.PositiveSmallIntegerField(_("leader told, days before the deadline"), default=10)
    notify_office_when_overdue = models.BooleanField(_("tell the office when overdue"), default=True)
    red_repeat_days = models.PositiveSmallIntegerField(
        _("overdue reminder repeated every (days)"),
        default=7,
        help_text=_("While a measure stays overdue, everyone told of it is told again this often; 0: once."),
    )
    enabled = models.BooleanField(_("send reminders"), default=True)
    # Raised by every change through the office's settings page, which refuses a stale edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_days__lte=models.F("green_days")),
                name="policy_yellow_after_green",
                violation_error_message=_("The leader is told after the first notice: use fewer days."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)


class Contact(models.Model):
    """Where a person is reached outside the app. Without one, their login's e-mail is used."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="reminder_contact"
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.person} <{self.email}>"


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")  # 企业微信群机器人
    DINGTALK = "dingtalk", _("DingTalk group robot")  # 钉钉群机器人


class GroupRobot(models.Model):
    """A chat group's webhook robot. People of the organisation and everything under it are told there."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="robots"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RobotKind.choices)
    webhook_url = models.URLField(_("webhook address"), max_length=500)
    # DingTalk's 加签 security setting: the secret that signs each call. WeCom has none.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="robot_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()}"


class UnitPrincipal(models.Model):
    """The unit's principal leader (主要负责人), told when a measure is overdue.

    Without this row, every login with the unit-leader role in the unit itself is told.
    """

    unit = models.OneToOneField(
        Organisation, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="principal"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("principal leader"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("principal leader")
        verbose_name_plural = _("principal leaders")

    def __str__(self) -> str:
        return f"{self.unit} · {self.person}"


class ReminderEvent(models.Model):
    """One step of the ladder reached for one measure and one recipient: notified at most once.

    Also one step of the cycle (returned, closed, a comment received…) told to one recipient:
    such an event has a `key` that makes it once only, and the round instead of a measure when
    it concerns no measure (a comment from the public)."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="reminder_events",
        null=True,
        blank=True,
    )
    round = models.ForeignKey(
        "ledger.InspectionRound", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the event is once for ("returned:<measure>:v<version>:p<person>"); empty for the ladder.
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    note = models.TextField(_("reason"), blank=True)
    level = models.CharField(_("step"), max_length=10, choices=LEVEL_CHOICES)
    role = models.CharField(_("told as"), max_length=10, choices=ROLE_CHOICES)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The deadline (or the long-term check date) the step was computed for: moving the deadline
    # starts the ladder again.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    days_left = models.IntegerField(_("days left"), default=0)  # negative when overdue, as on the day found
    # 0 the first time a step is reached; an overdue measure's red step comes again (1, 2, …).
    repeat = models.PositiveSmallIntegerField(_("repeat"), default=0)
    created_on = models.DateField(_("found on"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder event")
        verbose_name_plural = _("reminder events")
        ordering = ["created_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_RECIPIENT, name="event_one_recipient"),
            models.UniqueConstraint(
                fields=["measure", "level", "person", "deadline", "repeat"],
                condition=Q(person__isnull=False, key__isnull=True),
                name="event_once_per_person_and_repeat",
            ),
            models.UniqueConstraint(
                fields=["measure", "level", "user", "deadline", "repeat"],
                condition=Q(user__isnull=False, key__isnull=True),
                name="event_once_per_user_and_repeat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.level} {self.deadline}"


class Channel(models.TextChoices):
    INAPP = "inapp", _("In the app")
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom")
    DINGTALK = "dingtalk", _("DingTalk")


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will be retried")
    SKIPPED = "skipped", _("Not sent: no longer reachable")


class Digest(models.Model):
    """One recipient's reminders of one day on one channel: written before sending, marked after."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("sending status"), max_length=10, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    events = models.ManyToManyField(ReminderEvent, through="DigestItem", related_name="digests")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-day", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_RECIPIENT, name="digest_one_recipient"),
            models.UniqueConstraint(
                fields=["person", "day", "channel"],
                condition=Q(person__isnull=False),
                name="digest_once_per_person_day",
            ),
            models.UniqueConstraint(
                fields=["user", "day", "channel"],
                condition=Q(user__isnull=False),
                name="digest_once_per_user_day",
            ),
        ]
        indexes = [models.Index(fields=["status", "day"], name="digest_status_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.status}"


class DigestItem(models.Model):
    """An event in a digest. Unique per event and channel: an event goes out once on each channel."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    event = models.ForeignKey(ReminderEvent, on_delete=models.CASCADE, related_name="items")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="digest_item_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.digest_id} {self.channel} {self.event_id}"


class Notice(models.Model):
    """The in-app copy of a digest, listed on the reminders page until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notices"
    )
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    events = models.ManyToManyField(ReminderEvent, related_name="notices", blank=True)
    # One notice per in-app digest, created in the same transaction that marks the digest sent.
    digest = models.OneToOneField(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notice"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return self.title
