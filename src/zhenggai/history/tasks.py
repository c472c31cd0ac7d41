"""Background tasks of the history (django-tasks). `reminder_scheduler` signs the head itself; an
installation without it schedules `checkpoint_history` every CHECKPOINT_MAX_AGE_SECONDS."""

from __future__ import annotations

from django_tasks import task

from zhenggai.history.services import checkpoint_now


@task()
def checkpoint_history() -> int | None:
    """Sign the head if anything was appended since the last checkpoint; return its seq."""
    checkpoint = checkpoint_now()
    return checkpoint.seq if checkpoint else None
