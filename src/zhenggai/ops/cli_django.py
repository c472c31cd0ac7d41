"""Django's management commands as `zhenggai` subcommands (see zhenggai.cli.DJANGO_COMMANDS).

A deployer runs `zhenggai migrate`, `zhenggai createsuperuser`, `zhenggai check --deploy` … with
the server's environment, instead of `python -m django` with the settings module set by hand.
Arguments after the subcommand go to Django's command unchanged, `--help` included.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from zhenggai.ops.cli_common import setup_django


def run_management(command: str | None, argv: Sequence[str]) -> int:
    """Run Django's `command` (or, when None, the command named first in `argv`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    from django.core.management import execute_from_command_line

    words = [*argv] if command is None else [command, *argv]
    if not words:
        words = ["help"]
    # Django prints its usage as "<argv[0]> <command>": `zhenggai migrate …`.
    execute_from_command_line(["zhenggai", *words])
    return 0


def task_worker_command() -> tuple[str, list[str]]:
    """The Django command that works the configured task backend's queues, with its arguments."""
    from django.conf import settings

    if settings.TASKS_BACKEND == settings.RQ_BACKEND:
        # django-tasks-rq's jobs must run under its own job class (they report back to django-tasks).
        return "rqworker", ["--job-class", "django_tasks_rq.Job", *settings.TASK_QUEUES]
    return "db_worker", []


def run_task_worker(argv: Sequence[str]) -> int:
    setup_django()  # the backend is read from the settings
    command, arguments = task_worker_command()
    return run_management(command, [*arguments, *argv])
