"""The province benchmark's bulk writes (bench/province.py) write what the application would: history
entries hashed as `history.services.record` hashes them, COPY's text format escaped, and the
indexes and constraints dropped for the load made again as the migrations made them."""

from __future__ import annotations

import datetime
import hashlib
import sys
from pathlib import Path

import orjson
import pytest
from django.db import connection

from zhenggai.history.canonical import GENESIS_HASH, entry_hash
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.models import Measure, MeasureSketch, ProgressEntry

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
province = pytest.importorskip("province")


def test_copy_text_escapes_what_copy_reads_as_special():
    assert province.copy_text("王伟 (经办人)") == "王伟 (经办人)"
    assert province.copy_text("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"


@pytest.mark.parametrize("lines", [True, False], ids=["postgresql", "sqlite"])
def test_prepared_entries_chain_to_the_hashes_record_gives(lines):
    start = datetime.datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    prev = GENESIS_HASH
    for seq, (actor_id, round_id) in enumerate([(7, 5), (None, 5), (7, None)], start=1):
        at = start + datetime.timedelta(seconds=seq, microseconds=-5 * seq)
        payload = {
            "#state": {"ledger.measure:1": "ab" * 32},
            "~set": {"ledger.measure:1": {"text": '一是"a"\\b\n'}},
        }
        text = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
        head, tail, row = province.prepare_entry(
            seq, at, (actor_id, "王伟"), "measure.transition", "ledger.measure", 1, round_id, payload, lines
        )
        digest = hashlib.sha256(head + prev.encode() + tail).hexdigest()
        fields = {
            "seq": seq,
            "recorded_at": at,
            "actor_id": actor_id,
            "actor_name": "王伟",
            "action": "measure.transition",
            "object_type": "ledger.measure",
            "object_id": "1",
            "round_id": round_id,
            "payload": payload,
            "prev_hash": prev,
        }
        assert digest == entry_hash(fields)
        if lines:  # a line of COPY's text format, up to the previous hash
            values = row.split("\t")
            assert "\n" not in row and len(values) == 10 and values[-1] == ""
            assert values[0] == str(seq) and values[1] == at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            assert values[2] == ("\\N" if actor_id is None else str(actor_id))
            assert values[7] == ("\\N" if round_id is None else str(round_id))
            assert values[8] == text.replace("\\", "\\\\")
        else:
            assert row == (
                seq,
                at,
                actor_id,
                "王伟",
                "measure.transition",
                "ledger.measure",
                "1",
                round_id,
                text,
            )
        prev = digest


def _schema(tables: list[str]) -> list[str]:
    """The definitions of the tables' indexes and constraints, sorted."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks})",  # noqa: S608
                tables,
            )
        else:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid::regclass::text = ANY(%s)"
                " UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                [tables, tables],
            )
        return sorted(" ".join(str(v) for v in row) for row in cursor.fetchall())


@pytest.mark.django_db
def test_indexes_dropped_for_a_load_come_back_as_the_migrations_made_them():
    models = [Measure, MeasureSketch, ProgressEntry, HistoryEntry]
    tables = [model._meta.db_table for model in models]
    before = _schema(tables)
    deferred = province.DeferredIndexes(models)
    dropped = deferred.drop()
    assert dropped > 0
    assert len(_schema(tables)) < len(before)
    assert deferred.restore([Measure, MeasureSketch]) + deferred.restore() == dropped
    assert _schema(tables) == before
    assert deferred.restore() == 0  # nothing twice
