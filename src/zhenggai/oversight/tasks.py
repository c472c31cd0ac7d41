"""The weekly snapshot of the office's tally (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from zhenggai.oversight.snapshots import take_weekly_snapshot


@task()
def take_weekly_snapshot_task() -> str:
    """Take this week's snapshot (oversight/snapshots.py) unless it was taken: enqueued by
    `manage.py reminder_scheduler` when the week turns and once at its start, so safe to enqueue
    again. It dates the figures by the day it runs, not the day it was enqueued: a queue that
    waited past the week's end files them under the week they were counted in. Returns the week."""
    return take_weekly_snapshot().week.isoformat()
