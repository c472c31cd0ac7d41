"""Helpers of the history tests: build a chain, and tamper with it as a database owner would."""

# ruff: noqa: S608 - these tests tamper through raw SQL on purpose; the table name is a constant.

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
from collections.abc import Iterator

from django.db import connection, transaction

from zhenggai.history import sqlite_guard
from zhenggai.history.canonical import GENESIS_HASH, entry_hash
from zhenggai.history.models import ChainHead, Checkpoint, HistoryEntry
from zhenggai.history.services import checkpoint_now, record
from zhenggai.ledger.models import EvidenceFile

TABLE = HistoryEntry._meta.db_table
PDF = b"%PDF-1.4\n"


@contextlib.contextmanager
def owner_rights() -> Iterator[None]:
    """What an attacker who owns the database does first: switch the append-only triggers off,
    tamper, and switch them on again (on SQLite: drop them, and create them again)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sqlite_guard.remove(cursor)
        raw("PRAGMA ignore_check_constraints = 1")  # Django's JSON_VALID check on the payload column
        try:
            yield
        finally:
            raw("PRAGMA ignore_check_constraints = 0")
            with connection.cursor() as cursor:
                sqlite_guard.install(cursor)
        return
    # The test's own transaction still has deferred foreign-key checks queued on the table, and
    # PostgreSQL will not ALTER a table with pending trigger events: run them first.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        raw(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        raw("SET CONSTRAINTS ALL DEFERRED")


def raw(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def set_column(seq: int, column: str, value) -> None:
    """UPDATE one stored column of one entry, below the ORM (so no field conversion happens)."""
    with owner_rights():
        raw(f"UPDATE {TABLE} SET {connection.ops.quote_name(column)} = %s WHERE seq = %s", [value, seq])


def delete_entries(where: str, params: list | tuple) -> None:
    with owner_rights():
        raw(f"DELETE FROM {TABLE} WHERE {where}", params)


def swap_seq(first: int, second: int) -> None:
    # Through a spare number: the primary key is checked row by row on PostgreSQL.
    with owner_rights():
        raw(f"UPDATE {TABLE} SET seq = -999999 WHERE seq = %s", [first])
        raw(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [first, second])
        raw(f"UPDATE {TABLE} SET seq = %s WHERE seq = -999999", [second])


def fix_head() -> None:
    """Point the chain head at the last entry, as a careful attacker would."""
    last = HistoryEntry.objects.order_by("-seq").first()
    ChainHead.objects.filter(pk=1).update(
        seq=last.seq if last else 0, hash=last.hash if last else GENESIS_HASH
    )


def rehash_from(seq: int) -> None:
    """Re-compute every hash and link from `seq` on, knowing the algorithm (but not the key),
    then fix the head and drop the database's checkpoints that would contradict the new chain."""
    previous = HistoryEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or GENESIS_HASH
    entries = list(HistoryEntry.objects.filter(seq__gte=seq).order_by("seq"))
    with owner_rights():
        for entry in entries:
            entry.prev_hash = previous
            new_hash = entry_hash(entry.hashed_fields())
            raw(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE seq = %s",
                [previous, new_hash, entry.seq],
            )
            previous = new_hash
    Checkpoint.objects.filter(seq__gte=seq).delete()
    fix_head()


def build_chain(cast, entries: int, *, evidence: int = 2) -> list[EvidenceFile]:
    """`entries` history entries about the cast's measures (some attaching evidence files), ended
    by a signed checkpoint that covers them all. Run inside on-commit capture so the checkpoint
    lines reach the export file."""
    files = []
    measure = cast.a.measure
    for n in range(entries):
        with transaction.atomic():
            if n < evidence:
                files.append(_attach(measure, cast.clerk_a, f"证明{n}".encode()))
            else:
                record(
                    actor=cast.clerk_a if n % 3 else None,
                    action="measure.update",
                    obj=measure if n % 2 else cast.b.measure,
                    payload={
                        "fields": {
                            "text": [f"旧{n}", f"新{n}"],
                            "deadline": [None, datetime.date(2030, 1, n % 28 + 1)],
                        },
                        "n": n,
                    },
                )
    checkpoint_now()
    return files


def _attach(measure, actor, content: bytes) -> EvidenceFile:
    """Store an evidence file the way `ledger.services.evidence_attach` will, with its history entry."""
    from zhenggai.ledger.services import evidence_attach

    data = PDF + content
    evidence = evidence_attach(
        measure=measure, actor=actor, name="材料.pdf", size=len(data), stream=io.BytesIO(data)
    )
    recorded = HistoryEntry.objects.filter(action="evidence.attach", object_id=str(measure.pk))
    if any(entry.payload.get("evidence_id") == evidence.pk for entry in recorded):
        return evidence  # the ledger service already records it
    record(
        actor=actor,
        action="evidence.attach",
        obj=measure,
        payload={"evidence_id": evidence.pk, "sha256": evidence.sha256, "name": evidence.original_name},
    )
    return evidence


def verify_args(**given) -> argparse.Namespace:
    """The options of `zhenggai verify` as its own parser gives them with none typed, then `given`."""
    from zhenggai.history import cli_verify

    parser = argparse.ArgumentParser()
    cli_verify.add_arguments(parser)
    args = parser.parse_args([])
    vars(args).update(given)
    return args
