"""The daily reminder run, and the reader's side of in-app notices.

`run_daily_reminders` is safe to run any number of times a day and after a crash:

1. in one transaction it records the ladder steps reached (`ReminderEvent`, unique per measure,
   step, recipient and deadline) and puts each recipient's new events into that day's digest of
   each channel (`Digest`, unique per recipient, day and channel; `DigestItem`, unique per event
   and channel);
2. then it sends each digest not yet sent, claiming it first with a conditional UPDATE so that
   two runs at once never both send it, and marks it sent after. An in-app digest is claimed,
   written as a `Notice` and marked sent in one transaction: exactly once. E-mail and webhooks
   leave the database, so a crash between the send and the mark can repeat that one message
   when the claim goes stale; every other failure is retried by the next run, for a few days.

Events found after the day's digest was sent wait for the next day's: one digest a day each.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation
from zhenggai.reminders import messages
from zhenggai.reminders.channels import OUTBOUND, Content, Unreachable
from zhenggai.reminders.conf import setting
from zhenggai.reminders.ladder import DONE_STATES, Level, Policy, is_done, level_for, repeat_for, roles_for
from zhenggai.reminders.models import (
    Channel,
    Digest,
    DigestItem,
    DigestStatus,
    EscalationPolicy,
    Notice,
    ReminderEvent,
)
from zhenggai.reminders.recipients import Directory, Recipient, group_by_recipient, recipient_of
from zhenggai.webhooks.overdue import overdue_emit

logger = logging.getLogger(__name__)

# Events found this many days ago still join a digest on a channel that was not open to them then.
PENDING_DAYS = 7
# An unsent digest is retried for this many days, and at most this many times.
RETRY_DAYS = 7
MAX_ATTEMPTS = 6
# A digest claimed this long ago and not marked is taken to have crashed mid-send.
SENDING_TIMEOUT = datetime.timedelta(minutes=30)
# Any number: serialises two runs on PostgreSQL (SQLite's IMMEDIATE transactions already do).
_ADVISORY_LOCK = 0x5A475245


@dataclass
class RunSummary:
    day: str
    events_created: int = 0
    digests_created: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    skipped: int = 0


def run_daily_reminders(*, today: datetime.date) -> RunSummary:
    """Record the ladder steps reached on `today`, plan the day's digests, send what is unsent."""
    summary = RunSummary(day=today.isoformat())
    directory = Directory()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        summary.events_created = _record_events(today=today, directory=directory)
        summary.digests_created = _plan_digests(today=today, directory=directory)
    overdue_emit(today=today)  # webhooks: measures newly past their deadline (once per deadline)
    sent: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for digest in _due_digests(today):
        outcome = _send(digest, directory)
        if outcome == DigestStatus.SENT:
            sent[digest.channel] += 1
        elif outcome == DigestStatus.FAILED:
            failed[digest.channel] += 1
        elif outcome == DigestStatus.SKIPPED:
            summary.skipped += 1
    summary.sent, summary.failed = dict(sent), dict(failed)
    logger.info("reminders %s", summary)
    return summary


# --- 1. the ladder ------------------------------------------------------------------------------


class PolicyBook:
    """Every office's policy; an office without one takes its nearest ancestor's, else the default."""

    def __init__(self) -> None:
        self.default = Policy(
            green_days=int(setting("REMINDER_GREEN_DAYS")),
            yellow_days=int(setting("YELLOW_LIGHT_DAYS")),
            red_repeat_days=int(setting("REMINDER_RED_REPEAT_DAYS")),
        )
        rows = EscalationPolicy.objects.select_related("office")
        self._by_path = {
            p.office.path: Policy(
                green_days=p.green_days,
                yellow_days=p.yellow_days,
                notify_office_when_overdue=p.notify_office_when_overdue,
                enabled=p.enabled,
                red_repeat_days=p.red_repeat_days,
            )
            for p in rows
        }

    @property
    def horizon(self) -> int:
        return max([self.default.horizon, *(p.horizon for p in self._by_path.values())])

    def for_office(self, office: Organisation) -> Policy:
        for path, policy in sorted(self._by_path.items(), key=lambda kv: len(kv[0]), reverse=True):
            if office.path.startswith(path):
                return policy
        return self.default


def _has_next_check() -> bool:
    # `Measure.next_check_on` (长期整改的下次复查日期) comes with the ledger's new workflow.
    return any(f.name == "next_check_on" for f in Measure._meta.get_fields())


def _candidates(today: datetime.date, horizon: int) -> QuerySet[Measure]:
    due = Q(deadline__lte=today + datetime.timedelta(days=horizon)) & ~Q(status__in=DONE_STATES)
    if _has_next_check():
        due |= Q(status__in=DONE_STATES, next_check_on__lte=today)
    return (
        Measure.objects.filter(due)
        .select_related(
            "round__office",
            "doer__user",
            "doer__organisation",
            "doer__reminder_contact",
            "responsible_leader__user",
            "responsible_leader__organisation",
            "responsible_leader__reminder_contact",
        )
        .order_by("pk")
    )


def _steps(measure: Measure, today: datetime.date, policy: Policy):
    """(level, date, repeat) a measure has reached today: its deadline step, and a due recheck."""
    if not is_done(measure.status) and measure.deadline is not None:
        level = level_for(deadline=measure.deadline, today=today, policy=policy)
        if level is not None:
            yield (
                level,
                measure.deadline,
                repeat_for(level=level, deadline=measure.deadline, today=today, policy=policy),
            )
    check_on = getattr(measure, "next_check_on", None)
    if is_done(measure.status) and check_on is not None and check_on <= today:
        yield Level.RECHECK, check_on, 0


def _record_events(*, today: datetime.date, directory: Directory) -> int:
    book = PolicyBook()
    candidates = _candidates(today, book.horizon)
    measures = list(candidates)
    directory.prime(measures)
    existing: set[tuple] = set(
        ReminderEvent.objects.filter(measure__in=candidates.values("pk")).values_list(
            "measure_id", "level", "person_id", "user_id", "deadline", "repeat"
        )
    )
    new: list[ReminderEvent] = []
    for measure in measures:
        policy = book.for_office(measure.round.office)
        if not policy.enabled:
            continue
        for level, deadline, repeat in _steps(measure, today, policy):
            for role, r in directory.recipients_for(measure, roles_for(level, policy)):
                key = (measure.pk, level.value, r.person_id, r.user_id, deadline, repeat)
                if key in existing:
                    continue
                existing.add(key)
                new.append(
                    ReminderEvent(
                        measure=measure,
                        level=level,
                        role=role,
                        person_id=r.person_id,
                        user_id=r.user_id,
                        deadline=deadline,
                        days_left=(deadline - today).days,
                        repeat=repeat,
                        created_on=today,
                    )
                )
    # The run holds the write lock, so nothing else inserts these keys; ignore_conflicts is a belt.
    ReminderEvent.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


# --- 2. the digests -----------------------------------------------------------------------------


def _still_current(event: ReminderEvent) -> bool:
    """False once the measure is finished or its deadline moved: such an event is not sent late.
    A step of the cycle (returned, closed…) happened: it is always told."""
    measure = event.measure
    if event.key is not None or measure is None:
        return True
    if event.level == Level.RECHECK:
        return getattr(measure, "next_check_on", None) == event.deadline
    return not is_done(measure.status) and measure.deadline == event.deadline


def _plan_digests(*, today: datetime.date, directory: Directory) -> int:
    """Put each recipient's events not yet on a channel into that channel's digest of the day."""
    events = (
        ReminderEvent.objects.filter(created_on__gte=today - datetime.timedelta(days=PENDING_DAYS))
        .filter(created_on__lte=today)
        .select_related("measure")
        .prefetch_related(Prefetch("items", queryset=DigestItem.objects.only("event_id", "channel")))
    )
    created = 0
    for recipient, evs in sorted(group_by_recipient(events).items(), key=lambda kv: kv[0].sort_key()):
        evs = [e for e in evs if _still_current(e)]
        if not evs:
            continue
        for channel in directory.channels(recipient):
            todo = [
                e
                for e in evs
                if channel not in {i.channel for i in e.items.all()}
                # A step of the cycle was put in the app as it happened (reminders/notices.py).
                and not (channel == Channel.INAPP and e.key is not None)
            ]
            if not todo:
                continue
            digest, made = Digest.objects.get_or_create(  # type: ignore[misc]  # a None id is IS NULL
                person_id=recipient.person_id, user_id=recipient.user_id, day=today, channel=channel
            )
            if digest.status not in (DigestStatus.PENDING, DigestStatus.FAILED):
                continue  # the day's digest is out: these wait for tomorrow's
            DigestItem.objects.bulk_create(
                [DigestItem(digest=digest, event=e, channel=channel) for e in todo]
            )
            created += made
    return created


# --- 3. sending ---------------------------------------------------------------------------------


def _sendable() -> Q:
    stale = timezone.now() - SENDING_TIMEOUT
    return Q(status__in=[DigestStatus.PENDING, DigestStatus.FAILED]) | Q(
        status=DigestStatus.SENDING, claimed_at__lt=stale
    )


def _due_digests(today: datetime.date) -> QuerySet[Digest]:
    events = ReminderEvent.objects.select_related(
        "measure__problem", "measure__round__inspected_unit", "round__inspected_unit"
    ).order_by("pk")
    return (
        Digest.objects.filter(_sendable(), attempts__lt=MAX_ATTEMPTS)
        .filter(day__gte=today - datetime.timedelta(days=RETRY_DAYS), day__lte=today)
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("day", "pk")
    )


def _claim(digest: Digest) -> bool:
    """Take the digest for this run; False when another run has it or has sent it."""
    claimed = Digest.objects.filter(_sendable(), pk=digest.pk).update(
        status=DigestStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return claimed == 1


def _finish(digest: Digest, status: str, error: str = "") -> str:
    sent_at = timezone.now() if status == DigestStatus.SENT else None
    Digest.objects.filter(pk=digest.pk).update(status=status, sent_at=sent_at, last_error=error[:2000])
    return status


def _content(digest: Digest, recipient: Recipient, directory: Directory) -> Content:
    site_url = str(setting("SITE_URL"))
    items = [messages.item_from_event(e, site_url=site_url) for e in digest.events.all()]
    return Content(name=directory.name(recipient), items=items)


def _send(digest: Digest, directory: Directory) -> str | None:
    recipient = recipient_of(digest)
    if digest.channel == Channel.INAPP:
        return _send_in_app(digest, recipient, directory)
    if not _claim(digest):
        return None
    try:
        content = _content(digest, recipient, directory)
        OUTBOUND[digest.channel].send(recipient=recipient, content=content, directory=directory)
    except Unreachable as exc:
        return _finish(digest, DigestStatus.SKIPPED, str(exc))
    except Exception as exc:
        # One recipient's broken mailbox or robot must not stop everyone else's reminders.
        logger.warning("reminder digest %s on %s failed: %s", digest.pk, digest.channel, exc)
        return _finish(digest, DigestStatus.FAILED, f"{type(exc).__name__}: {exc}")
    return _finish(digest, DigestStatus.SENT)


def _send_in_app(digest: Digest, recipient: Recipient, directory: Directory) -> str | None:
    with transaction.atomic():
        if not _claim(digest):
            return None
        user = directory.login(recipient)
        if user is None:
            return _finish(digest, DigestStatus.SKIPPED, "no active login")
        content = _content(digest, recipient, directory)
        notice = Notice.objects.create(
            user=user, day=digest.day, title=content.title, body=content.text, digest=digest
        )
        notice.events.set(list(digest.events.all()))
        return _finish(digest, DigestStatus.SENT)


# --- the reader's side --------------------------------------------------------------------------


def notices_mark_read(*, user, notice_ids: list[int]) -> int:
    """Mark the user's own notices read; returns how many were unread."""
    return Notice.objects.filter(user=user, pk__in=notice_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
