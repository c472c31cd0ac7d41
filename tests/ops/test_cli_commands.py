"""Django's management commands as `zhenggai` subcommands, for deployers (docs/deploy.md)."""

from __future__ import annotations

import subprocess
import sys

from zhenggai.ops.cli_django import task_worker_command


def _zhenggai(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_worker_works_the_database_queue_by_default(settings):
    settings.TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
    assert task_worker_command() == ("db_worker", [])


def test_the_worker_works_the_rq_queues_with_django_tasks_rqs_job_class(settings):
    settings.TASKS_BACKEND = settings.RQ_BACKEND
    command, arguments = task_worker_command()
    assert command == "rqworker"
    assert arguments == ["--job-class", "django_tasks_rq.Job", "default"]


def test_the_help_lists_the_deployers_commands():
    done = _zhenggai("--help")
    assert done.returncode == 0
    for name in (
        "serve",
        "worker",
        "scheduler",
        "migrate",
        "createsuperuser",
        "load-demo",
        "check",
        "manage",
    ):
        assert name in done.stdout


def test_arguments_go_to_djangos_command_unchanged():
    done = _zhenggai("migrate", "--help")
    assert done.returncode == 0
    assert "zhenggai migrate" in done.stdout and "--fake-initial" in done.stdout


def test_an_unknown_management_command_is_refused_with_its_name():
    done = _zhenggai("manage", "no_such_command")
    assert done.returncode != 0
    assert "no_such_command" in done.stderr
