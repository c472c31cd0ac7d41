"""`roll_tally`: move the office's tally to today's lights, as the scheduler's daily task does
(ledger.tasks.roll_tally_over); for installations that run the day's jobs from cron instead."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhenggai.ledger.tally import tally_rollover


class Command(BaseCommand):
    help = "把统计表的红黄绿灯移到今天 / Move the office's tally to today's lights."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="the day (default: today)")

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        recounted = tally_rollover(day)
        self.stdout.write(
            f"统计表已移到 {day}，重新计数 {recounted} 个轮次 / tally moved to {day}, {recounted} rounds recounted"
        )
