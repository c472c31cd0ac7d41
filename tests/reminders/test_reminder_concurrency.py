"""Two runs at once (a scheduler restart racing the worker, two workers) still send each digest once."""

from __future__ import annotations

import datetime
import threading

import pytest
from _reminder_support import DEADLINE
from django.core import mail
from django.db import connection

from zhenggai.reminders.models import Digest, DigestStatus, Notice, ReminderEvent
from zhenggai.reminders.services import run_daily_reminders

RUNS = 4


@pytest.mark.django_db(transaction=True)
def test_runs_racing_on_the_same_day_send_every_digest_once(ladder, robots):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a database file; an in-memory SQLite database is one connection's")
    day = DEADLINE + datetime.timedelta(days=1)
    start = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            run_daily_reminders(today=day)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert ReminderEvent.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "fenguan@a.example.cn",
        "leader@a.example.cn",
        "officer@office.example.cn",
        "zhangsan@a.example.cn",
    ]
    assert len(robots.calls) == 4  # three on unit A's WeCom, one on the office's DingTalk
    assert Notice.objects.count() == 3
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.SENT}
