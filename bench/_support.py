"""What the benchmarks share: messages on stderr, and PostgreSQL's maintenance database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def pg_reachable(admin_url: str) -> str:
    """'' when a PostgreSQL server answers at admin_url, else why not."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg not installed ({exc})"
    try:
        with psycopg.connect(admin_url, connect_timeout=3):
            return ""
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def pg_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def child_env(data_dir: str, url: str) -> dict[str, str]:
    """The environment of a benchmark's child process: its own data folder (secret key, static
    files, the SQLite file unless `url` names a database), DEBUG off as in production (no query
    log kept), and this checkout's sources first on the path."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhenggai.config.settings",
            "ZHENGGAI_DATA_DIR": data_dir,
            "DATABASE_URL": url or f"sqlite:///{Path(data_dir) / 'zhenggai.sqlite3'}",
            "DEBUG": "0",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")])),
        }
    )
    env.pop("SECRET_KEY", None)  # one is generated in the temporary data folder
    return env
