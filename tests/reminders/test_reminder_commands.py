"""The commands `make run` and cron use: run_reminders and reminder_scheduler; and the migration."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from _reminder_support import DEADLINE, SHANGHAI, on
from django.core import mail
from django.core.management import CommandError, call_command

from zhenggai.reminders.management.commands.reminder_scheduler import is_due
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
def test_the_scheduler_signs_a_history_checkpoint_every_hour(ladder):
    from zhenggai.history.models import Checkpoint, HistoryEntry

    day = DEADLINE - datetime.timedelta(days=20)
    with on(day, hour=7):
        call_command("reminder_scheduler", "--once", "--hour", "8", stdout=StringIO())
    checkpoint = Checkpoint.objects.order_by("-seq").first()
    assert checkpoint is not None
    assert checkpoint.seq == HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
