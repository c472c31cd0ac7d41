"""Run the day's reminders now, in this process: for cron, for a catch-up, or to try a date."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenggai.reminders.services import run_daily_reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = "Send the deadline reminders of a day (default: today). Safe to run again: nothing is sent twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        summary = run_daily_reminders(today=today)
        self.stdout.write(json.dumps(asdict(summary), ensure_ascii=False, sort_keys=True))
