"""Twenty people save the same measure from the same stale version: one wins, nobody is overwritten."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhenggai.ledger.errors import StaleEdit
from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import measure_update

THREADS = 20
ROUNDS = 3


@pytest.mark.django_db(transaction=True)
def test_exactly_one_save_wins_per_version(cast):
    pk = cast.a.measure.pk
    for round_no in range(ROUNDS):
        version = Measure.objects.get(pk=pk).version
        barrier = threading.Barrier(THREADS)
        outcomes: list[tuple[int, str]] = []
        lock = threading.Lock()

        def save(i: int, version=version, round_no=round_no, barrier=barrier, outcomes=outcomes, lock=lock):
            try:
                measure = Measure.objects.get(pk=pk)
                barrier.wait(timeout=30)
                try:
                    measure_update(
                        measure=measure,
                        actor=None,
                        expected_version=version,
                        text=f"第{round_no}轮 第{i}人的修改",
                    )
                    result = "won"
                except StaleEdit:
                    result = "refused"
                with lock:
                    outcomes.append((i, result))
            finally:
                connection.close()  # each thread has its own connection (on PostgreSQL: 20 connections)

        threads = [threading.Thread(target=save, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(outcomes) == THREADS
        winners = [i for i, result in outcomes if result == "won"]
        assert len(winners) == 1, outcomes
        saved = Measure.objects.get(pk=pk)
        assert saved.version == version + 1
        assert saved.text == f"第{round_no}轮 第{winners[0]}人的修改"
