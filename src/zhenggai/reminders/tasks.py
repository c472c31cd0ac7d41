"""The daily reminder run as a background task (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.utils import timezone
from django_tasks import task

from zhenggai.reminders.services import run_daily_reminders


@task()
def send_daily_reminders(day: str | None = None) -> dict:
    """Run the ladder for `day` (ISO date; default: today in the site's time zone).

    Enqueued once a day by `manage.py reminder_scheduler`; safe to enqueue again, as every step
    is keyed in the database.
    """
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return asdict(run_daily_reminders(today=today))
