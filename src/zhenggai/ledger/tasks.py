"""The daily move of the tally's lights to the new day (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from zhenggai.ledger.tally import tally_rollover


@task()
def roll_tally_over(day: str | None = None) -> int:
    """Count the rounds whose lights changed since the tally's day, as of `day` (ISO date; default:
    today in the site's time zone). Enqueued by `manage.py reminder_scheduler` when the day turns;
    safe to enqueue again (a second run on the same day finds nothing to do). Returns the rounds
    recounted."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return tally_rollover(today)
