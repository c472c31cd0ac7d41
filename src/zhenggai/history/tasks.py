"""Background tasks of the history (django-tasks). Schedule `checkpoint_history` hourly."""

from __future__ import annotations

from django_tasks import task

from zhenggai.history.services import checkpoint_now


@task()
def checkpoint_history() -> int | None:
    """Sign the head if anything was appended since the last checkpoint; return its seq."""
    checkpoint = checkpoint_now()
    return checkpoint.seq if checkpoint else None
