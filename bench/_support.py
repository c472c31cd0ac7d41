"""What the benchmarks share: messages on stderr, and PostgreSQL's maintenance database."""

from __future__ import annotations

import sys


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
