"""On PostgreSQL the history table refuses UPDATE, DELETE and TRUNCATE, even in raw SQL."""

# ruff: noqa: S608 - these tests tamper through raw SQL on purpose; the table name is a constant.

from __future__ import annotations

import pytest
from _history_support import TABLE, owner_rights, raw
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from zhenggai.history.models import HistoryEntry
from zhenggai.history.services import record


@pytest.fixture
def on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")


@pytest.fixture
def entry(on_postgresql):
    with transaction.atomic():
        entry = record(actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={})
    # Run the foreign-key checks deferred to the test's end now: PostgreSQL refuses a TRUNCATE of
    # a table with pending trigger events before our trigger is even asked.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    return entry


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET actor_name = 'someone else'",
        f"UPDATE {TABLE} SET payload = '{{}}'::jsonb, hash = hash",
        f"DELETE FROM {TABLE}",
        f"TRUNCATE {TABLE}",
        f"TRUNCATE {TABLE} CASCADE",
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
    with transaction.atomic():
        second = record(actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={})
    assert second.prev_hash == entry.hash


def test_the_owner_can_lift_the_triggers_which_is_why_checkpoints_exist(entry):
    with owner_rights():
        raw(f"UPDATE {TABLE} SET actor_name = 'someone else' WHERE seq = %s", [entry.seq])
    assert HistoryEntry.objects.get(seq=entry.seq).actor_name == "someone else"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")  # back on afterwards


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_trigger_on():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    with transaction.atomic():
        record(actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={})
    call_command("flush", interactive=False, verbosity=0)
    assert not HistoryEntry.objects.exists()
    with transaction.atomic():
        record(actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"TRUNCATE {TABLE}")
