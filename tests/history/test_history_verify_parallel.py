"""`verify` on several processes finds exactly what it finds on one, wherever the tampering is.

The workers are forked and read the database themselves, so these tests commit their data
(`transaction=True`); the parts are made small so that every check crosses part boundaries.
"""

from __future__ import annotations

import datetime
import json

import pytest
from _history_support import delete_entries, fix_head, rehash_from, set_column, swap_seq
from _state_support import build_rich_ledger
from django.db import connection

from zhenggai.history import parallel
from zhenggai.history.models import HistoryEntry
from zhenggai.history.report import VerifyReport
from zhenggai.history.verify import ChainWalk, verify
from zhenggai.ledger.models import Measure, Problem, ProgressEntry
from zhenggai.orgs.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 0)
    monkeypatch.setattr(parallel, "PART", 7)
    if not parallel.can_fork():
        pytest.skip("this database cannot be read from forked processes")


def _summary(report: VerifyReport) -> tuple:
    return (
        report.ok,
        report.entries,
        report.verified_to,
        report.records,
        sorted((f.kind, f.seq, f.seq_end, f.record, f.fields) for f in report.findings),
    )


def _same_either_way() -> VerifyReport:
    one, two = verify(workers=1), verify(workers=2)
    assert _summary(two) == _summary(one), f"{one.text()}\n---\n{two.text()}"
    return two


def test_parallel_and_serial_agree_on_a_clean_history(cast, small_parts, monkeypatch):
    build_rich_ledger(cast)
    calls = []
    for name in ("walk", "check_rows"):
        real = getattr(parallel, name)
        monkeypatch.setattr(
            parallel,
            name,
            lambda workers, *a, _real=real, _name=name: calls.append((_name, workers)) or _real(workers, *a),
        )
    absorbed = []
    real_absorb = ChainWalk.absorb
    monkeypatch.setattr(
        ChainWalk, "absorb", lambda self, summary: absorbed.append(real_absorb(self, summary)) or absorbed[-1]
    )
    report = _same_either_way()
    assert [name for name, _args in calls] == ["walk", "check_rows"]  # the second run was shared out
    assert absorbed and all(absorbed)  # every range was taken whole: none needed walking again
    assert report.ok, report.text()
    assert report.entries == HistoryEntry.objects.count() > 3 * parallel.PART


def test_parallel_and_serial_agree_on_tampered_rows(cast, small_parts):
    rich = build_rich_ledger(cast)
    Measure.objects.filter(pk=rich.measure_closed.pk).update(
        status="in_progress", deadline=datetime.date(2031, 1, 1)
    )
    ProgressEntry.objects.filter(measure=rich.measure_closed).delete()
    Problem.objects.create(round=cast.a.round, label="2.", number=2, level=2, position=9, title="补造的问题")
    Membership.objects.filter(user=cast.clerk_b).update(organisation=cast.a.unit)
    report = _same_either_way()
    kinds = {f.kind for f in report.findings}
    assert {"record_changed", "record_missing", "record_unrecorded"} <= kinds


@pytest.mark.parametrize("tamper", ["payload", "delete", "swap", "rows_below", "rehashed", "truncated"])
def test_parallel_and_serial_agree_on_a_tampered_chain(request, settings, small_parts, tamper):
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    build_rich_ledger(request.getfixturevalue("cast"))
    last = HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    if tamper == "payload":
        payload = HistoryEntry.objects.get(seq=last - 3).payload
        set_column(last - 3, "payload", json.dumps({**payload, "edited": True}, ensure_ascii=False))
    elif tamper == "delete":
        delete_entries("seq IN (%s, %s)", [parallel.PART, parallel.PART + 1])  # across a part boundary
    elif tamper == "swap":
        swap_seq(parallel.PART * 2, parallel.PART * 2 + 1)
    elif tamper == "rows_below":
        set_column(5, "seq", -5 if connection.vendor == "postgresql" else 0)
    elif tamper == "rehashed":
        set_column(parallel.PART + 3, "action", "measure.delete")
        rehash_from(parallel.PART + 3)
    else:
        delete_entries("seq > %s", [last - parallel.PART - 2])
        fix_head()
    report = _same_either_way()
    assert report.chain is not None
