"""The commands `make run` and cron use: run_reminders and reminder_scheduler; and the migration."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
import time_machine
from _reminder_support import DEADLINE, SHANGHAI, on
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from zhenggai.reminders.management.commands.reminder_scheduler import checkpoint_due, is_due
from zhenggai.reminders.models import Notice


def test_run_reminders_runs_the_given_day_and_prints_what_it_did(ladder):
    out = StringIO()
    call_command("run_reminders", "--date", (DEADLINE - datetime.timedelta(days=20)).isoformat(), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["day"] == "2025-06-10" and summary["events_created"] == 1
    assert summary["sent"] == {"email": 1, "inapp": 1, "wecom": 1}


def test_run_reminders_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_reminders", "--date", "30/06/2025")


@pytest.mark.parametrize(
    ("hour", "last_day", "due"),
    [
        (7, None, False),
        (8, None, True),
        (23, None, True),
        (9, DEADLINE, False),
        (9, DEADLINE - datetime.timedelta(days=1), True),
    ],
)
def test_the_scheduler_is_due_once_a_day_after_the_hour(hour, last_day, due):
    now = datetime.datetime(DEADLINE.year, DEADLINE.month, DEADLINE.day, hour, 30, tzinfo=SHANGHAI)
    assert is_due(now, hour=8, last_day=last_day) is due


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as a long process must
def test_the_scheduler_enqueues_the_days_run_after_the_hour_only(ladder):
    day = DEADLINE - datetime.timedelta(days=20)
    out = StringIO()
    with on(day, hour=7):
        call_command("reminder_scheduler", "--once", "--hour", "8", stdout=out)
    assert out.getvalue() == "" and mail.outbox == []
    with on(day, hour=8):
        call_command("reminder_scheduler", "--once", "--hour", "8", stdout=out)
        call_command("reminder_scheduler", "--once", "--hour", "8", stdout=out)  # a restart: harmless
    assert out.getvalue().count("reminders of 2025-06-10 enqueued") == 2
    assert len(mail.outbox) == 1 and Notice.objects.count() == 1


def test_the_scheduler_refuses_an_impossible_hour(db):
    with pytest.raises(CommandError):
        call_command("reminder_scheduler", "--once", "--hour", "24")


def test_every_reminders_model_change_has_a_migration(db):
    call_command("makemigrations", "reminders", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_signs_a_history_checkpoint_at_once(ladder):
    from zhenggai.history.models import Checkpoint, HistoryEntry

    day = DEADLINE - datetime.timedelta(days=20)
    with on(day, hour=7):
        call_command("reminder_scheduler", "--once", "--hour", "8", stdout=StringIO())
    checkpoint = Checkpoint.objects.order_by("-seq").first()
    assert checkpoint is not None
    assert checkpoint.seq == HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_signs_a_lone_entry_within_the_maximum_age(ladder, monkeypatch):
    """Nothing else is appended after the entry, so only the scheduler's tick can sign it."""
    from django.db import transaction

    from zhenggai.history.models import Checkpoint
    from zhenggai.history.services import record
    from zhenggai.reminders.management.commands.reminder_scheduler import Command

    written = {}
    checks = []

    def sleep(self, seconds):  # the clock moves instead of the test waiting
        checks.append(timezone.now())
        traveller.shift(datetime.timedelta(seconds=seconds))
        if len(checks) == 4:  # 3½ minutes after the first check, after the scheduler's 3rd check
            traveller.shift(datetime.timedelta(seconds=30))
            with transaction.atomic():
                written["entry"] = record(actor=None, action="round.note", obj=ladder.measure, payload={})
        if len(checks) == 30:
            self._running = False

    monkeypatch.setattr(Command, "_sleep", sleep)
    start = datetime.datetime(2025, 6, 10, 7, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False) as traveller:
        call_command("reminder_scheduler", "--hour", "8", "--interval", "60", stdout=StringIO())
    entry = written["entry"]
    signed = Checkpoint.objects.filter(seq__gte=entry.seq).order_by("seq").first()
    assert signed is not None and signed.seq == entry.seq
    assert datetime.timedelta(0) < signed.created_at - entry.recorded_at <= datetime.timedelta(seconds=600)
    assert len(checks) == 30 and not Checkpoint.objects.filter(seq__gt=signed.seq).exists()  # none empty


MINUTE = datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("last_signed", "unsigned_since", "due"),
    [
        (None, None, True),  # the first check signs whatever is there
        (-3, None, False),  # all signed, signed lately
        (-10, None, True),  # every CHECKPOINT_MAX_AGE_SECONDS anyway: it also exports missed lines
        (-3, -2, False),  # an entry 2 minutes old can wait for the next check
        (-3, -9, True),  # 9 minutes old: at the next check it would be 10
        (-3, -8.5, False),  # 9½ minutes at the next check: still in time
    ],
)
def test_the_scheduler_signs_before_an_entry_would_pass_the_maximum_age(last_signed, unsigned_since, due):
    now = datetime.datetime(2025, 6, 10, 7, 0, tzinfo=SHANGHAI)
    assert (
        checkpoint_due(
            now,
            last_signed=None if last_signed is None else now + last_signed * MINUTE,
            unsigned_since=None if unsigned_since is None else now + unsigned_since * MINUTE,
            max_age=10 * MINUTE,
            interval=MINUTE,
        )
        is due
    )
