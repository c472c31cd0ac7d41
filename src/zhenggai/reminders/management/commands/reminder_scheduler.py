"""Enqueue the daily reminder task once a day, and sign the history's head so that no entry stays
unsigned longer than CHECKPOINT_MAX_AGE_SECONDS: django-tasks has no cron, so `make run` starts this.

The loop keeps only "the last day it enqueued" in memory. After a restart it enqueues the day's
task again if the hour has passed; that is harmless, as every step of a run is keyed in the
database and nothing is sent twice.

When the day turns (and once at start) it also enqueues the tally's rollover (ledger.tasks), so
that the office's counts take the new day's lights; a page read before it ran corrects itself.
When the week turns (and once at start) it enqueues the week's snapshot of those counts
(oversight.tasks), which the dashboard's trend reads; a second one in a week writes nothing.

The history's head is signed here, not through the task queue: a checkpoint is one short
transaction, and its deadline must not wait for a worker that may be busy or stopped.
"""

from __future__ import annotations

import datetime
import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from zhenggai.history.conf import history_conf
from zhenggai.history.services import checkpoint_now, unsigned_since
from zhenggai.ledger.tasks import roll_tally_over
from zhenggai.oversight.snapshots import week_of
from zhenggai.oversight.tasks import take_weekly_snapshot_task
from zhenggai.reminders.conf import setting
from zhenggai.reminders.tasks import send_daily_reminders

logger = logging.getLogger(__name__)


def is_due(now: datetime.datetime, *, hour: int, last_day: datetime.date | None) -> bool:
    """Whether the run of `now`'s day should be enqueued: past the hour and not done today."""
    return now.hour >= hour and last_day != now.date()


def checkpoint_due(
    now: datetime.datetime,
    *,
    last_signed: datetime.datetime | None,
    unsigned_since: datetime.datetime | None,
    max_age: datetime.timedelta,
    interval: datetime.timedelta,
) -> bool:
    """Whether to sign the history's head at this check.

    When an entry would otherwise pass `max_age` unsigned before the next check, `interval` from
    now; and at least every `max_age` in any case, which also exports the checkpoint lines a crash
    left out of the file (`checkpoint_now` does both)."""
    if last_signed is None or now - last_signed >= max_age:
        return True
    return unsigned_since is not None and unsigned_since + max_age <= now + interval


class Command(BaseCommand):
    help = (
        "Enqueue the deadline reminders once a day after --hour and sign the history's head in time, "
        "until stopped (Ctrl-C or SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hour", type=int, default=None, help="local hour, 0-23 (default: 8)")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once, enqueue if due, and exit")

    def handle(self, *args, **options):
        hour = options["hour"] if options["hour"] is not None else int(setting("REMINDER_HOUR"))
        if not 0 <= hour <= 23:
            raise CommandError("--hour must be between 0 and 23")
        self._running = True
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        last_day: datetime.date | None = None
        tally_day: datetime.date | None = None
        snapshot_week: datetime.date | None = None
        last_signed: datetime.datetime | None = None
        interval = datetime.timedelta(seconds=options["interval"])
        while self._running:
            now = timezone.localtime()
            if tally_day != now.date():
                tally_day = self._roll_tally(now.date()) or tally_day
            if snapshot_week != week_of(now.date()):
                snapshot_week = self._snapshot(week_of(now.date())) or snapshot_week
            if is_due(now, hour=hour, last_day=last_day):
                last_day = self._enqueue(now.date()) or last_day
            last_signed = self._sign_history(now, last_signed, interval) or last_signed
            if options["once"]:
                break
            self._sleep(options["interval"])

    def _enqueue(self, day: datetime.date) -> datetime.date | None:
        close_old_connections()
        try:
            result = send_daily_reminders.enqueue(day=day.isoformat())
        except DatabaseError as exc:  # the database is busy or away: try again at the next check
            logger.warning("could not enqueue the reminders of %s: %s", day, exc)
            return None
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} reminders of {day} enqueued ({result.id})")
        return day

    def _roll_tally(self, day: datetime.date) -> datetime.date | None:
        close_old_connections()
        try:
            roll_tally_over.enqueue(day=day.isoformat())
        except DatabaseError as exc:  # the database is busy or away: try again at the next check
            logger.warning("could not enqueue the tally's rollover to %s: %s", day, exc)
            return None
        logger.info("tally's rollover to %s enqueued", day)
        return day

    def _snapshot(self, week: datetime.date) -> datetime.date | None:
        close_old_connections()
        try:
            take_weekly_snapshot_task.enqueue()
        except DatabaseError as exc:  # the database is busy or away: try again at the next check
            logger.warning("could not enqueue the snapshot of the week of %s: %s", week, exc)
            return None
        logger.info("snapshot of the week of %s enqueued", week)
        return week

    def _sign_history(
        self, now: datetime.datetime, last_signed: datetime.datetime | None, interval: datetime.timedelta
    ) -> datetime.datetime | None:
        """Sign the history's head when due (see docs/history.md); the time it did, or None."""
        close_old_connections()
        try:
            due = checkpoint_due(
                now,
                last_signed=last_signed,
                unsigned_since=unsigned_since(),
                max_age=history_conf().max_age,
                interval=interval,
            )
            checkpoint = checkpoint_now() if due else None
        except DatabaseError as exc:  # the database is busy or away: try again at the next check
            logger.warning("could not sign the history checkpoint: %s", exc)
            return None
        if checkpoint is not None:
            logger.info("history signed up to #%s", checkpoint.seq)
        return now if due else None

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self._running and time.monotonic() < end:
            time.sleep(max(0.0, min(1.0, end - time.monotonic())))

    def _stop(self, signum, frame) -> None:
        self._running = False
