"""Appends from many threads at once still make one gap-free, valid chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from zhenggai.accounts.services import user_create
from zhenggai.history.conf import history_conf
from zhenggai.history.models import ChainHead, Checkpoint, HistoryEntry
from zhenggai.history.services import record
from zhenggai.history.signing import read_checkpoints
from zhenggai.history.verify import verify

THREADS = 20
APPENDS = 10


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_appending_at_once_make_one_valid_chain(settings):
    if _in_memory_sqlite():
        pytest.skip("threads cannot share pytest-django's in-memory SQLite database; set DATABASES TEST NAME")
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 25}
    users = [user_create(username=f"user{n}", password="x-test-password-1") for n in range(4)]
    start, errors = threading.Barrier(THREADS), []

    def append(worker: int) -> None:
        try:
            start.wait()
            for n in range(APPENDS):
                with transaction.atomic():
                    record(
                        actor=users[worker % len(users)],
                        action="progress.record",
                        object_type="ledger.measure",
                        object_id=worker,
                        payload={"worker": worker, "n": n},
                    )
        except Exception as exc:  # any failure of a thread fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = len(users) + THREADS * APPENDS  # each login's creation is an entry too
    assert list(HistoryEntry.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert ChainHead.objects.get().seq == total
    signed = {c.seq for c in read_checkpoints(history_conf().checkpoint_file)}
    assert signed == set(Checkpoint.objects.values_list("seq", flat=True))
    assert signed == set(range(1, total + 1, 25))  # the first entry, then every 25th after it
    report = verify()
    assert report.ok, report.text()
    assert report.entries == total
