"""`checkpoint_history`: sign the history head now if anything was appended since the last
checkpoint. `reminder_scheduler` does this in time; without it, run this command from cron or a
systemd timer every CHECKPOINT_MAX_AGE_SECONDS (10 minutes by default)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.history.services import checkpoint_now


class Command(BaseCommand):
    help = "签署变更记录检查点 / Sign a history checkpoint if anything was appended since the last one."

    def handle(self, *args, **options):
        checkpoint = checkpoint_now()
        if checkpoint is None:
            self.stdout.write("无新记录，未生成检查点 / nothing new since the last checkpoint")
        else:
            self.stdout.write(f"检查点 checkpoint #{checkpoint.seq} {checkpoint.head_hash}")
