"""Enqueue the daily reminder task once a day, and the history checkpoint every hour: django-tasks
has no cron, so `make run` starts this.

The loop keeps only "the last day it enqueued" in memory. After a restart it enqueues the day's
task again if the hour has passed; that is harmless, as every step of a run is keyed in the
database and nothing is sent twice.
"""

from __future__ import annotations

import datetime
import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from zhenggai.history.tasks import checkpoint_history
from zhenggai.reminders.conf import setting
from zhenggai.reminders.tasks import send_daily_reminders

logger = logging.getLogger(__name__)


def is_due(now: datetime.datetime, *, hour: int, last_day: datetime.date | None) -> bool:
    """Whether the run of `now`'s day should be enqueued: past the hour and not done today."""
    return now.hour >= hour and last_day != now.date()


class Command(BaseCommand):
    help = "Enqueue the deadline reminders once a day after --hour, until stopped (Ctrl-C or SIGTERM)."

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
        last_checkpoint: tuple[datetime.date, int] | None = None
        while self._running:
            now = timezone.localtime()
            if is_due(now, hour=hour, last_day=last_day):
                last_day = self._enqueue(now.date()) or last_day
            if last_checkpoint != (now.date(), now.hour):
                # Signed checkpoints of the history at least hourly (see docs/history.md).
                last_checkpoint = self._enqueue_checkpoint(now) or last_checkpoint
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

    def _enqueue_checkpoint(self, now: datetime.datetime) -> tuple[datetime.date, int] | None:
        close_old_connections()
        try:
            checkpoint_history.enqueue()
        except DatabaseError as exc:
            logger.warning("could not enqueue the history checkpoint: %s", exc)
            return None
        return (now.date(), now.hour)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self._running and time.monotonic() < end:
            time.sleep(max(0.0, min(1.0, end - time.monotonic())))

    def _stop(self, signum, frame) -> None:
        self._running = False
