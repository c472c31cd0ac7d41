"""On SQLite, refuse UPDATE and DELETE of the history table by trigger (PostgreSQL: migration 0002).

Like the PostgreSQL triggers, a guard against the application or a stray script rewriting
history, not against whoever holds the database file, who can drop the triggers: the signed
checkpoints exported outside the database are what catches that. SQLite has no TRUNCATE (Django's
`flush` deletes every row), so two triggers cover every way to change a stored entry.

A migration that remakes the table (SQLite's way to alter a column) drops its triggers with the
old table; `tests/history/test_history_triggers.py` checks they are there after every migration.
"""

from __future__ import annotations

TABLE = "history_historyentry"
TRIGGERS = {
    f"history_refuse_{operation.lower()}": f"""
        CREATE TRIGGER IF NOT EXISTS history_refuse_{operation.lower()} BEFORE {operation} ON {TABLE}
        BEGIN
            SELECT RAISE(ABORT, 'zhenggai history is append-only: {operation} on {TABLE} refused');
        END
    """
    for operation in ("UPDATE", "DELETE")
}


def install(cursor) -> None:
    for sql in TRIGGERS.values():
        cursor.execute(sql)


def remove(cursor) -> None:
    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def installed(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
    return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)
