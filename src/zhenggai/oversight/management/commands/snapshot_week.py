"""`snapshot_week`: take this week's snapshot of the office's tally now, as the scheduler's weekly
task does (oversight.tasks); for installations that run the week's jobs from cron instead. A
second run in the same week writes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.oversight.snapshots import take_weekly_snapshot


class Command(BaseCommand):
    help = "记录本周的整改统计快照 / Take this week's snapshot of the office's tally (once a week)."

    def handle(self, *args, **options):
        taken = take_weekly_snapshot()
        if not taken.created:
            self.stdout.write(
                f"本周（{taken.week}）的快照已记录 / the snapshot of the week of {taken.week} was taken already"
            )
            return
        self.stdout.write(
            f"已记录 {taken.week} 这一周的快照：{taken.rounds} 个轮次，{taken.rows} 行"
            f" / snapshot of the week of {taken.week}: {taken.rounds} rounds, {taken.rows} rows, {taken.totals} totals"
        )
