"""`verify` reads the database in one view: a change committed while it runs is no false alarm,
and on PostgreSQL a second connection reads the chain ahead in that same view."""

from __future__ import annotations

import threading
import time

import pytest
from _history_support import build_chain, set_column
from django.db import connection, transaction

from zhenggai.history import state_check
from zhenggai.history import verify as verify_module
from zhenggai.history.report import Kind
from zhenggai.history.verify import verify
from zhenggai.orgs.services import person_update


def _file_database() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("a second connection needs a database file")


def _connections_to_this_database() -> set[int]:
    """The server processes of the connections to this database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid for (pid,) in cursor.fetchall()}


def _connections_opened_since(before: set[int], seconds: float = 10.0) -> set[int]:
    """The connections opened since `before` and still open. A server process ends a moment after
    its client closes the connection, and pg_stat_activity lists it until then (right after a close,
    about one time in three here): it is given `seconds` to go. A connection left open stays."""
    deadline = time.monotonic() + seconds
    while (opened := _connections_to_this_database() - before) and time.monotonic() < deadline:
        time.sleep(0.02)
    return opened


@pytest.fixture
def committed_chain(transactional_db, cast, monkeypatch, django_capture_on_commit_callbacks):
    """The cast's entries and 30 more, committed, read in chunks of 7 entries."""
    _file_database()
    monkeypatch.setattr(verify_module, "CHUNK", 7)
    with django_capture_on_commit_callbacks(execute=True):
        build_chain(cast, 30)
    return cast


def test_a_change_committed_during_verify_is_not_a_false_alarm(committed_chain, monkeypatch):
    cast = committed_chain
    original = state_check.check
    errors: list[str] = []

    def rename_in_another_connection() -> None:
        try:
            with transaction.atomic():
                person_update(person=cast.a.measure.responsible_leader, actor=cast.clerk_a, name="改名之后")
        except Exception as exc:  # a failure of the thread fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    def check_after_a_change(*args, **kwargs):
        # Between the walk and the rows: the person's row and its entry are committed elsewhere.
        writer = threading.Thread(target=rename_in_another_connection)
        writer.start()
        writer.join()
        return original(*args, **kwargs)

    monkeypatch.setattr(state_check, "check", check_after_a_change)
    report = verify()
    assert errors == []
    assert report.ok, report.text()
    monkeypatch.setattr(state_check, "check", original)
    assert verify().ok  # and the next run sees both the change and its entry


def test_reading_ahead_finds_a_tampering_and_leaves_no_connection_open(committed_chain):
    if connection.vendor != "postgresql":
        pytest.skip("the chain is read ahead on PostgreSQL only")
    before = _connections_to_this_database()
    assert verify().ok
    set_column(20, "actor_name", "别人")
    report = verify()  # stops at entry 20 with the next chunk being read: the reader is closed
    assert (report.first.kind, report.first.seq) == (Kind.CHANGED, 20)
    assert _connections_opened_since(before) == set()
