"""What the benchmarks share: messages on stderr, and PostgreSQL's maintenance database."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A child process prints its figures on one line that starts with this, as JSON; the rest it prints
# is passed on to the terminal.
RESULT_PREFIX = "BENCH-RESULT "


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


@contextmanager
def fresh_pg_database(admin_url: str, name: str, *, keep: bool = False) -> Iterator[None]:
    """A new empty database `name` on the server at admin_url (dropped first if left over), dropped
    again afterwards unless `keep`. With no name (a run on SQLite), nothing."""
    if not name:
        yield
        return
    pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        if keep:
            say(f"kept database {name}")
        else:
            pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_database_engine(label: str, data_dir: str) -> str | None:
    """In a child whose Django is set up: the database's engine and version ("SQLite 3.40.1",
    "PostgreSQL 15.8"), said with the data folder before migrating; None (said) when the database
    is not empty or is PostgreSQL's `test`: a benchmark never writes into a database in use."""
    from django.conf import settings
    from django.db import connection

    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        engine += " " + cursor.fetchone()[0]
    if settings.DATABASES["default"]["NAME"] == "test" or connection.introspection.table_names():
        say(f"[{label}] refusing: {settings.DATABASES['default']['NAME']} is not an empty database")
        return None
    say(f"[{label}] {engine}, data folder {data_dir}: migrating")
    return engine


Run = tuple[str, str, str]  # (label, database URL or "" for a SQLite file, PostgreSQL database made for it)


def database_runs(wanted: str, admin_url: str, bench_db: str) -> tuple[list[Run], list[str]] | None:
    """The databases a benchmark runs on, and what was skipped: `wanted` is sqlite, postgres,
    both, or auto (PostgreSQL too when a server answers at `admin_url`). PostgreSQL runs in a
    database `bench_db` made afresh on that server. None (said here): PostgreSQL was asked for
    and does not answer."""
    runs: list[Run] = []
    skipped: list[str] = []
    if wanted in ("sqlite", "both", "auto"):
        runs.append(("sqlite", "", ""))
    if wanted in ("postgres", "both", "auto"):
        why = pg_reachable(admin_url)
        if why:
            message = f"postgres SKIPPED: no PostgreSQL at {admin_url} ({why})"
            say(message)
            if wanted != "auto":
                return None
            skipped.append(message)
        else:
            runs.append(("postgres", f"{admin_url.rpartition('/')[0]}/{bench_db}", bench_db))
    return runs, skipped


def run_each(runs: list[Run], admin_url: str, keep: bool, run: Callable[[str, str], Any]) -> list[Any]:
    """`run(label, url)` for each of `runs`, PostgreSQL's in its fresh database: the results that
    are not None."""
    results = []
    for label, url, pg_db in runs:
        with fresh_pg_database(admin_url, pg_db, keep=keep):
            result = run(label, url)
        if result is not None:
            results.append(result)
    return results


PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def province_arguments(description: str, requests: int, each: str) -> argparse.ArgumentParser:
    """The options of a benchmark that fills the province (bench/ledger.py's `fill`) and times
    requests on it, `requests` of them for `each` (endpoint, filter): the parser, for more."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "both"],
        default=None,
        help="which database(s); default: sqlite, and postgres too when reachable at 127.0.0.1:5432",
    )
    parser.add_argument(
        "--pg-admin-url", default=PG_ADMIN_URL, help="PostgreSQL server to create the bench db on"
    )
    parser.add_argument(
        "--units", type=int, default=3000, help="units, one round each (default: the province)"
    )
    parser.add_argument("--problems", type=int, default=30, help="problems found per round")
    parser.add_argument("--measures", type=int, default=4, help="measures per problem")
    parser.add_argument(
        "--progress", type=int, default=None, help="progress entries in all (default 333 a unit)"
    )
    parser.add_argument("--requests", type=int, default=requests, help=f"timed requests per {each}")
    parser.add_argument(
        "--history", action=argparse.BooleanOptionalAction, default=False, help="write the history too"
    )
    parser.add_argument("--seed", type=int, default=20201207)
    parser.add_argument(
        "--keep", action="store_true", help="keep the data folder and the PostgreSQL database"
    )
    parser.add_argument(
        "--show-queries", action="store_true", help=f"print the SQL of one request per {each}"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"print where one request of each {each} spends its time (cProfile)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target does not hold")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    return parser


def run_province_child(script: str, name: str, label: str, url: str, args: argparse.Namespace) -> Any:
    """Run `script` (a benchmark parsed by `province_arguments`) as its child on `url`, in a data
    folder of its own: its figures, or None when it failed."""
    data_dir = tempfile.mkdtemp(prefix=f"zhenggai-bench-{name}-{label}-")
    env = child_env(data_dir, url)
    command = [sys.executable, str(Path(script).resolve()), "--child", label, "--data-dir", data_dir]
    for option in ("units", "problems", "measures", "requests", "seed"):
        command += [f"--{option}", str(getattr(args, option))]
    if args.progress is not None:
        command += ["--progress", str(args.progress)]
    command.append("--history" if args.history else "--no-history")
    command += ["--show-queries"] * args.show_queries + ["--profile"] * args.profile
    return run_in_folder(command, env, label, Path(data_dir), args.keep)


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


def print_result(result: object) -> None:
    """In a child: hand the figures to the parent (see run_child)."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_child(command: list[str], env: dict[str, str]) -> tuple[int, Any]:
    """Run a benchmark's child process: its exit code and the figures it printed (None if none),
    every other line of its output printed here as it was."""
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
        else:
            print(line)
    return proc.returncode, result


def run_in_folder(command: list[str], env: dict[str, str], label: str, data_dir: Path, keep: bool) -> Any:
    """`run_child` for a benchmark whose child fills `data_dir`: its figures, or None when it
    failed; the folder removed afterwards unless `keep`."""
    try:
        returncode, result = run_child(command, env)
        if returncode != 0 or result is None:
            say(f"[{label}] FAILED (exit code {returncode})")
            return None
    finally:
        if keep:
            say(f"[{label}] kept data folder {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return result
