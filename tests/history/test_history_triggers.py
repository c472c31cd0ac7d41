"""The history table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL), even in raw SQL."""

# ruff: noqa: S608 - these tests tamper through raw SQL on purpose; the table name is a constant.

from __future__ import annotations

import pytest
from _history_support import TABLE, owner_rights, raw
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from zhenggai.history import sqlite_guard
from zhenggai.history.models import HistoryEntry
from zhenggai.history.services import record

POSTGRESQL_ONLY = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL SQL")


def _record() -> HistoryEntry:
    with transaction.atomic():
        return record(actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={})


@pytest.fixture
def entry(db):
    entry = _record()
    if connection.vendor == "postgresql":
        # Run the foreign-key checks deferred to the test's end now: PostgreSQL refuses a TRUNCATE
        # of a table with pending trigger events before our trigger is even asked.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
    return entry


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET actor_name = 'someone else'",
        f"UPDATE {TABLE} SET hash = hash",
        f"DELETE FROM {TABLE}",
        f"DELETE FROM {TABLE} WHERE seq = (SELECT MAX(seq) FROM {TABLE})",
        pytest.param(f"UPDATE {TABLE} SET payload = '{{}}'::jsonb, hash = hash", marks=POSTGRESQL_ONLY),
        pytest.param(f"TRUNCATE {TABLE}", marks=POSTGRESQL_ONLY),
        pytest.param(f"TRUNCATE {TABLE} CASCADE", marks=POSTGRESQL_ONLY),
    ],
)
def test_raw_sql_cannot_change_the_history(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert HistoryEntry.objects.get(seq=entry.seq).hash == entry.hash


def test_the_orm_cannot_change_the_history_either(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoryEntry.objects.filter(seq=entry.seq).update(action="x.y")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoryEntry.objects.all().delete()


def test_appending_is_still_allowed(entry):
    second = _record()
    assert second.prev_hash == entry.hash


def test_the_owner_can_lift_the_triggers_which_is_why_checkpoints_exist(entry):
    with owner_rights():
        raw(f"UPDATE {TABLE} SET actor_name = 'someone else' WHERE seq = %s", [entry.seq])
    assert HistoryEntry.objects.get(seq=entry.seq).actor_name == "someone else"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")  # back on afterwards


def test_the_sqlite_triggers_outlive_every_migration(db):
    """A later migration that remakes the table on SQLite would drop them with the old table."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers")
    with connection.cursor() as cursor:
        assert sqlite_guard.installed(cursor) == set(sqlite_guard.TRIGGERS)


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_triggers_on():
    _record()
    call_command("flush", interactive=False, verbosity=0)
    assert not HistoryEntry.objects.exists()
    _record()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(f"TRUNCATE {TABLE}")
