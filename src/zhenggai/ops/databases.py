"""The database half of back-up and restore, for SQLite and PostgreSQL.

A dump is one consistent snapshot, and the facts the manifest states (the history head, the
applied migrations, the evidence files referred to) are read from that same snapshot:

- SQLite: the online backup API copies the live file page by page under a read lock, so the
  copy is consistent while the server keeps writing (WAL lets it).
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot and `pg_dump --snapshot` dumps
  exactly what that transaction sees.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, connections

from zhenggai.history.models import ChainHead, HistoryEntry
from zhenggai.ledger.models import EvidenceFile, InspectionRound
from zhenggai.ops.archive import DATABASE_MEMBERS
from zhenggai.ops.errors import OpsError
from zhenggai.orgs.models import Organisation

# A database with rows in any of these holds a ledger: restoring over it needs --force.
LEDGER_TABLES = (HistoryEntry._meta.db_table, InspectionRound._meta.db_table, Organisation._meta.db_table)
# libpq's keywords and the environment variables the PostgreSQL tools read them from.
LIBPQ_ENV = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",  # in the environment, never on a command line others can list
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


@dataclass
class Snapshot:
    """A dumped database and what the manifest says about it."""

    vendor: str
    path: Path
    head: dict[str, Any] | None = None  # {"seq": …, "hash": …}
    migrations: list[str] = field(default_factory=list)  # "app.name" of each applied migration
    evidence: list[str] = field(default_factory=list)  # stored names of the evidence files

    @property
    def member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]


def vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise OpsError(f"不支持的数据库 / unsupported database: {connection.vendor}")
    return connection.vendor


def dump(folder: Path) -> Snapshot:
    """Dump the configured database into `folder`."""
    kind = vendor()
    path = folder / DATABASE_MEMBERS[kind]
    return _sqlite_dump(path) if kind == "sqlite" else _postgresql_dump(path)


def restore(dumped: Path, kind: str) -> None:
    """Replace the configured database's content by a dump of the same vendor."""
    connections.close_all()  # our own kept connection must not hold locks the restore waits for
    if kind == "sqlite":
        _sqlite_restore(dumped)
    else:
        _postgresql_restore(dumped)
    connections.close_all()


def ledger_tables_in_use() -> list[str]:
    """The ledger tables that hold rows; none for a fresh or a migrated but empty database."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if "django_migrations" not in existing:
            return []
        used = []
        for table in LEDGER_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - model table names
                if cursor.fetchone():
                    used.append(table)
    return used


def require_tools(kind: str) -> None:
    if kind == "postgresql":
        pg_tool("pg_restore")


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpsError(
            f"未找到 {name}：PostgreSQL 数据库的备份和恢复需要 PostgreSQL 客户端工具 pg_dump 和 pg_restore，"
            f"版本不低于数据库服务器（Debian/Ubuntu：apt-get install postgresql-client），并须在 PATH 中。"
            f"\n{name} not found: install the PostgreSQL client tools (postgresql-client) and put them on PATH."
        )
    return found


# --- Facts read from a snapshot ---------------------------------------------------------------


def _facts(
    execute: Callable[[str], list[tuple]], has_table: Callable[[str], bool], snapshot: Snapshot
) -> Snapshot:
    head_table, evidence_table = ChainHead._meta.db_table, EvidenceFile._meta.db_table
    if has_table(head_table):
        rows = execute(f"SELECT seq, hash FROM {head_table} WHERE id = 1")  # noqa: S608 - model table names
        snapshot.head = {"seq": int(rows[0][0]), "hash": rows[0][1]} if rows else None
    if has_table("django_migrations"):
        rows = execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        snapshot.migrations = [f"{app}.{name}" for app, name in rows]
    if has_table(evidence_table):
        names = execute(f"SELECT DISTINCT file FROM {evidence_table} ORDER BY file")  # noqa: S608
        snapshot.evidence = [name for (name,) in names]
    return snapshot


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise OpsError(f"内存数据库无法备份或恢复 / an in-memory database cannot be backed up: {name}")
    return Path(name)


def _sqlite_dump(path: Path) -> Snapshot:
    source = _sqlite_file()
    if not source.is_file():
        raise OpsError(f"数据库文件不存在 / no database file at {source}")
    with closing(sqlite3.connect(source, timeout=20)) as live, closing(sqlite3.connect(path)) as copy:
        live.backup(copy)
        # One self-contained file in the archive, not a main file waiting for its write-ahead log.
        copy.execute("PRAGMA journal_mode=DELETE")

        def execute(sql: str) -> list[tuple]:
            return copy.execute(sql).fetchall()

        def has_table(name: str) -> bool:
            return bool(execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{name}'"))  # noqa: S608

        return _facts(execute, has_table, Snapshot("sqlite", path))


def _sqlite_restore(dumped: Path) -> None:
    """Through the backup API too, not a file copy: a file copied under a live write-ahead log
    (`-wal`) would be mixed with that log's pages; the API writes through SQLite's own locking."""
    target = _sqlite_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(dumped)) as source, closing(sqlite3.connect(target, timeout=20)) as live:
        source.backup(live)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _libpq_params() -> dict[str, str]:
    given = connection.settings_dict
    options = given.get("OPTIONS") or {}
    params = {
        "dbname": given.get("NAME"),
        "user": given.get("USER"),
        "password": given.get("PASSWORD"),
        "host": given.get("HOST"),
        "port": given.get("PORT"),
        **{key: options.get(key) for key in LIBPQ_ENV if key in options},
    }
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _tool_env(params: dict[str, str]) -> dict[str, str]:
    """The process's environment (PGPASSFILE, PGSSLMODE… reach the tools as they reach Django's
    own connection), with the settings' values on top."""
    return {**os.environ, **{LIBPQ_ENV[key]: value for key, value in params.items()}}


def _run(args: list[str], params: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=_tool_env(params), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise OpsError(f"{what}（{Path(args[0]).name} 退出码 exit code {done.returncode}）：\n{tail}")


def _postgresql_dump(path: Path) -> Snapshot:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    params = _libpq_params()
    with psycopg.connect(**params) as conn:  # type: ignore[arg-type]  # libpq keywords
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_id = _one(conn.execute("SELECT pg_export_snapshot()").fetchall())

        def execute(sql: str) -> list[tuple]:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]  # our own fixed SQL

        def has_table(name: str) -> bool:
            return _one(conn.execute("SELECT to_regclass(%s) IS NOT NULL", [name]).fetchall())

        snapshot = _facts(execute, has_table, Snapshot("postgresql", path))
        # The exporting transaction stays open until pg_dump has taken the snapshot over.
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={path}"],
            params,
            "数据库导出失败 / pg_dump failed",
        )
        conn.rollback()
    return snapshot


def _one(rows: list[tuple]) -> Any:
    return rows[0][0]


def _postgresql_restore(dumped: Path) -> None:
    """`--clean --if-exists` drops each object of the dump before creating it anew, so the
    history table is re-created with its append-only triggers rather than written into; one
    transaction, so that a failed restore leaves the database as it was."""
    params = _libpq_params()
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={params['dbname']}",
            str(dumped),
        ],
        params,
        "数据库恢复失败，数据库未改变 / pg_restore failed; the database was not changed",
    )
