"""`zhenggai serve`: the web application under gunicorn, the production WSGI server.

Static files are served by WhiteNoise from the collected folder, so one process tree serves
everything behind nginx. The task worker and the scheduler are their own commands
(`zhenggai worker`, `zhenggai scheduler`), each its own service (docs/deploy.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

DEFAULT_BIND = "127.0.0.1:8000"
MOST_WORKERS_BY_DEFAULT = 12


def cpu_count() -> int:
    """Cores this process may run on (a container's or a cgroup's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cores: int) -> int:
    """gunicorn's rule of thumb, 2 × cores + 1 sync workers, capped: each worker holds ~100 MB."""
    return min(2 * cores + 1, MOST_WORKERS_BY_DEFAULT)


@dataclass(frozen=True)
class ServeOptions:
    bind: str = DEFAULT_BIND
    workers: int = 0  # 0: from the core count
    threads: int = 1
    timeout: int = 120  # a report's reading may take up to core.limits' 60 s; more is a hung worker
    access_log: str | None = None

    def gunicorn_settings(self, cores: int) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "bind": [self.bind],
            "workers": self.workers or default_workers(cores),
            "threads": self.threads,
            "timeout": self.timeout,
            "graceful_timeout": 30,
            # Django and the application are imported once, before the workers fork: they share
            # that memory, and a broken configuration stops the start instead of every worker.
            "preload_app": True,
            "proc_name": "zhenggai",
            # gunicorn's control socket sits at one fixed path per user: two servers on one machine
            # would fight over it, and nothing here uses it (systemd signals the master instead).
            "control_socket_disable": True,
            # A worker that handles very many requests is replaced, bounding any slow growth.
            "max_requests": 5000,
            "max_requests_jitter": 500,
        }
        if self.access_log:
            settings["accesslog"] = self.access_log
        return settings


def not_ready_reasons() -> list[str]:
    """What must be done before serving (said in Chinese and English), from the live settings."""
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    reasons = []
    try:
        executor = MigrationExecutor(connections["default"])
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connections.close_all()  # never hand an open connection to forked workers
    if unapplied:
        reasons.append(
            f"数据库有 {len(unapplied)} 个迁移尚未执行，请先运行 zhenggai migrate / "
            f"{len(unapplied)} migrations not applied: run `zhenggai migrate`"
        )
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        reasons.append(
            "静态文件尚未收集，请先运行 zhenggai collectstatic --noinput / "
            "static files not collected: run `zhenggai collectstatic --noinput`"
        )
    return reasons


def serve(options: ServeOptions) -> None:
    """Run gunicorn in this process until it is stopped (SIGTERM/SIGINT)."""
    from gunicorn.app.base import BaseApplication

    settings = options.gunicorn_settings(cpu_count())

    class ZhenggaiServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from zhenggai.config.wsgi import application

            return application

    ZhenggaiServer().run()
