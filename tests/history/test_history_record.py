"""The `record` service: appends, links, payloads that survive the JSON column, checkpoints."""

from __future__ import annotations

import datetime
import decimal
import itertools
import json
import stat

import pytest
import time_machine
from django.db import transaction

from zhenggai.history import selectors
from zhenggai.history.canonical import GENESIS_HASH, entry_hash
from zhenggai.history.conf import history_conf
from zhenggai.history.models import ChainHead, Checkpoint, HistoryEntry
from zhenggai.history.services import checkpoint_now, export_missing_checkpoints, record
from zhenggai.history.signing import load_public_key, read_checkpoints
from zhenggai.history.tasks import checkpoint_history


def _record(actor, n=0, **kwargs):
    with transaction.atomic():
        return record(actor=actor, action="measure.update", payload={"n": n}, **kwargs)


def test_entries_are_numbered_and_linked(cast):
    before = HistoryEntry.objects.count()
    first = _record(cast.clerk_a, obj=cast.a.measure)
    second = _record(None, object_type="ledger.round", object_id=cast.a.round.pk, round_id=cast.a.round.pk)
    assert (first.seq, second.seq) == (before + 1, before + 2)
    assert second.prev_hash == first.hash
    entries = list(HistoryEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, before + 3))
    assert entries[0].prev_hash == GENESIS_HASH
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.hash
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (second.seq, second.hash)


def test_an_entry_names_its_object_round_and_actor(cast):
    entry = _record(cast.clerk_a, obj=cast.a.measure)
    assert entry.object_type == "ledger.measure"
    assert entry.object_id == str(cast.a.measure.pk)
    assert entry.round_id == cast.a.round.pk
    assert (entry.actor_id, entry.actor_name) == (cast.clerk_a.pk, "clerk_a")
    system = _record(None, obj=cast.a.round)
    assert (system.actor_id, system.actor_name, system.round_id) == (None, "", cast.a.round.pk)


def test_the_hash_still_holds_after_the_row_is_read_back(cast):
    payload = {
        "fields": {"deadline": [datetime.date(2030, 1, 2), None], "status": ["in_progress", "done"]},
        "amount": decimal.Decimal("12.50"),
        "ratio": 0.1,
        "big": 2**70,
        "nested": {"z": [1, {"b": True, "a": None}], "中文": "整改\x00完成"},
        7: "int key",
        "when": datetime.datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
        "tags": {"b", "a"},
    }
    with transaction.atomic():
        entry = record(actor=cast.clerk_a, action="measure.update", obj=cast.a.measure, payload=payload)
    stored = HistoryEntry.objects.get(seq=entry.seq)
    assert stored.payload["amount"] == "12.50"
    assert stored.payload["fields"]["deadline"] == ["2030-01-02", None]
    assert stored.payload["nested"]["中文"] == "整改\ufffd完成"
    assert stored.payload["7"] == "int key"
    assert stored.payload["tags"] == ["a", "b"]
    assert stored.recorded_at == entry.recorded_at
    assert entry_hash(stored.hashed_fields()) == stored.hash == entry.hash


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor=None, action="x.y", object_type="ledger.measure", payload={})
    assert not HistoryEntry.objects.exists()


def test_it_refuses_a_payload_it_cannot_store_faithfully(cast):
    with transaction.atomic(), pytest.raises(TypeError):
        record(actor=None, action="x.y", object_type="t", payload={"raw": b"bytes"})
    with transaction.atomic(), pytest.raises(ValueError, match="collide"):
        record(actor=None, action="x.y", object_type="t", payload={1: "a", "1": "b"})


def test_a_rolled_back_change_leaves_no_entry_and_no_gap(cast, django_capture_on_commit_callbacks):
    before = HistoryEntry.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(actor=None, action="measure.update", obj=cast.a.measure, payload={})
        raise ZeroDivisionError
    entry = _record(None, obj=cast.a.measure)
    assert entry.seq == before + 1


def test_the_timelines_show_an_item_and_a_round(cast):
    mine = [_record(cast.clerk_a, n, obj=cast.a.measure) for n in range(3)]
    _record(cast.clerk_b, obj=cast.b.measure)
    assert [e.seq for e in selectors.timeline("ledger.measure", cast.a.measure.pk)][-3:] == [
        e.seq for e in mine
    ]
    in_round_a = selectors.round_timeline(cast.a.round.pk)
    assert all(e.round_id == cast.a.round.pk for e in in_round_a)
    assert {e.seq for e in mine} <= {e.seq for e in in_round_a}


# --- Checkpoints (on a fresh chain: no cast, whose set-up may already record entries) -----------


def _note(n=0):
    with transaction.atomic():
        return record(
            actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={"n": n}
        )


def test_the_first_entry_is_signed_and_exported_after_the_commit(db, django_capture_on_commit_callbacks):
    conf = history_conf()
    with django_capture_on_commit_callbacks(execute=True):
        entry = _note()
        assert Checkpoint.objects.filter(seq=entry.seq).exists()
        assert not conf.checkpoint_file.exists()  # not before the commit
    [line] = read_checkpoints(conf.checkpoint_file)
    assert (line.seq, line.head_hash) == (1, entry.hash)
    assert line.is_valid(load_public_key(conf.public_key_file))
    assert stat.S_IMODE(conf.key_file.stat().st_mode) == 0o600


def test_a_rolled_back_checkpoint_is_never_exported(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            _note()  # the first entry: signed at once
            raise ZeroDivisionError
    assert callbacks == []
    assert not history_conf().checkpoint_file.exists()
    assert not Checkpoint.objects.exists()


def test_a_checkpoint_every_n_entries_and_every_ten_minutes(db, settings, django_capture_on_commit_callbacks):
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 5}
    start = datetime.datetime(2030, 5, 1, 8, 0, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(start, tick=False) as clock:
        for n in range(12):
            clock.shift(datetime.timedelta(seconds=1))
            _note(n)
        assert list(Checkpoint.objects.values_list("seq", flat=True)) == [1, 6, 11]
        clock.shift(datetime.timedelta(minutes=9))  # CHECKPOINT_MAX_AGE_SECONDS: 600 by default
        _note()
        clock.shift(datetime.timedelta(minutes=2))
        last = _note()
    assert [c.seq for c in read_checkpoints(history_conf().checkpoint_file)] == [1, 6, 11, last.seq]
    assert Checkpoint.objects.get(seq=last.seq).created_at == last.recorded_at


def test_the_hourly_task_signs_only_when_something_was_appended(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert checkpoint_history.call() is None  # an empty chain
        _note()  # signed at once: the first entry
        assert checkpoint_history.call() is None
        second = _note()
        assert checkpoint_history.call() == second.seq
        assert checkpoint_history.call() is None
    assert [c.seq for c in read_checkpoints(history_conf().checkpoint_file)] == [1, second.seq]


def test_a_checkpoint_missing_from_the_file_is_exported_later(db, django_capture_on_commit_callbacks):
    conf = history_conf()
    with django_capture_on_commit_callbacks(execute=True):
        _note()
    _note()
    checkpoint_now()  # its line's callback is never run: as if the process died after the commit
    assert [c.seq for c in read_checkpoints(conf.checkpoint_file)] == [1]
    Checkpoint.objects.create(
        seq=99,
        head_hash="ab" * 32,
        created_at=datetime.datetime.now(datetime.UTC),
        key_id="x",
        signature="AA==",
    )
    assert export_missing_checkpoints() == 1  # the forged row is not exported
    assert [c.seq for c in read_checkpoints(conf.checkpoint_file)] == [1, 2]
    line = json.loads(conf.checkpoint_file.read_text().splitlines()[-1])
    assert set(line) == {"seq", "head_hash", "created_at", "key_id", "signature"}
