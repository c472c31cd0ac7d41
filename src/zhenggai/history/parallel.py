"""`verify` on several processes: the same checks, shared out over the machine's cores.

Re-hashing every entry and every tracked row is CPU work in Python, so one process checks about
40,000 entries a second; forked workers do it side by side. Only the work that does not depend on
order is shared out:

* the chain: each worker reads a range of entries with plain SQL and re-hashes them (`verify._fast`)
  and hands back, per entry, only what the walk needs (number, links, hash, and what the payload
  says of evidence, public records and record states). The walk itself, which decides what is
  missing, re-ordered or re-hashed, stays in the parent and sees the entries in order, exactly as
  when one process reads them; an entry that does not hash right is read again by the parent.
* the tracked tables: after the walk, each worker compares a range of rows with the replayed state
  the parent holds (inherited by the fork, not copied over a pipe) and sends back its findings.

Workers are forked, so they need a database other processes can read: PostgreSQL, or an SQLite
file, and no transaction open in the parent (its uncommitted rows would not be seen). Otherwise,
and for small histories, `verify` runs in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections.abc import Iterator
from typing import Any

from django.db import connection, connections

from zhenggai.history import public_records
from zhenggai.history.report import Finding, Kind
from zhenggai.history.state import STATE_KEY, Spec, iter_all_states, specs

# Below this many entries, starting workers costs more than it saves.
MIN_ENTRIES = 20_000
PART = 5_000  # entries or rows a worker reads at a time

# What the forked workers inherit from the parent (set just before the fork).
_INHERITED: dict[str, Any] = {}


def worker_count(requested: int | None) -> int:
    """How many processes to use: `requested`, else ZHENGGAI_VERIFY_WORKERS, else the cores."""
    if requested is None:
        configured = os.environ.get("ZHENGGAI_VERIFY_WORKERS", "")
        requested = int(configured) if configured.isdigit() else (os.cpu_count() or 1)
    return max(1, min(requested, 8))


def can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods() or connection.in_atomic_block:
        return False
    if connection.vendor == "postgresql":
        return True
    name = str(connection.settings_dict.get("NAME") or "")
    return connection.vendor == "sqlite" and name not in ("", ":memory:") and "mode=memory" not in name


def _pool(workers: int):
    connections.close_all()  # each worker opens its own connection
    return multiprocessing.get_context("fork").Pool(workers)


# --- The chain ---------------------------------------------------------------------------------


def _bounds(last: int) -> list[tuple[int | None, int | None]]:
    """(after, up to) ranges of seq covering everything: below 1 and above `last` included."""
    edges = list(range(PART, last, PART))
    starts: list[int | None] = [None, *edges]
    ends: list[int | None] = [*edges, None]
    return list(zip(starts, ends, strict=True))


def _pruned(row: dict[str, Any]) -> dict[str, Any]:
    """The part of an entry the walk reads, once its hash is known to be right."""
    from zhenggai.history.verify import EVIDENCE_ACTIONS, EVIDENCE_REMOVALS

    payload = row["payload"] if type(row["payload"]) is dict else {}
    kept: dict[str, Any] = {}
    section = payload.get(STATE_KEY)
    if type(section) is dict:
        kept[STATE_KEY] = {
            name: {"sha256": held.get("sha256")} if type(held) is dict else None
            for name, held in section.items()
        }
    action = row["action"]
    if action in EVIDENCE_ACTIONS or action in EVIDENCE_REMOVALS or action in public_records.NOTED:
        kept.update({name: value for name, value in payload.items() if name != STATE_KEY})
    return {
        "seq": row["seq"],
        "action": action,
        "payload": kept,
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
        "fast": True,
    }


def _chain_part(bounds: tuple[int | None, int | None]) -> list[dict[str, Any]]:
    from zhenggai.history.verify import _fast, _raw_chunk

    after, upto = bounds
    out = []
    for raw in _raw_chunk(after, upto=upto, limit=None):
        row = _fast(raw)
        out.append(_pruned(row) if row else {"seq": raw[0], "exact": True})
    return out


def chain_rows(workers: int, last: int) -> Iterator[dict[str, Any]]:
    """Every entry in seq order, as `verify._rows` yields them, re-hashed by `workers` processes."""
    from zhenggai.history.verify import _exact

    with _pool(workers) as pool:
        for part in pool.imap(_chain_part, _bounds(last)):
            for row in part:
                yield _exact(row["seq"]) if row.get("exact") else row
            if part and type(part[-1]["seq"]) is not int:
                return  # as `_rows`: nothing is read past a number that is not a number


# --- The tracked tables ------------------------------------------------------------------------


def _table_parts(spec: Spec) -> list[tuple[str, int | None, int | None]]:
    table, pk = connection.ops.quote_name(spec.table), connection.ops.quote_name(spec.pk_column)
    # On SQLite a key that is not a number sorts above every number: the last part reads it.
    only_numbers = f" WHERE typeof({pk}) = 'integer'" if connection.vendor == "sqlite" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({pk}) FROM {table}{only_numbers}")  # noqa: S608 - constant names
        last = cursor.fetchone()[0] or 0
    return [(spec.label, after, upto) for after, upto in _bounds(int(last))]


def _rows_part(part: tuple[str, int | None, int | None]) -> tuple[int, list, list, array]:
    from zhenggai.history.state_check import compare

    label, after, upto = part
    spec = specs()[label]
    expected, prefix = _INHERITED["expected"], f"{label}:"
    found: list[Finding] = []
    changed: list[tuple[int, Any]] = []
    seen = array("q")
    count = 0
    for pk, values in iter_all_states(spec, after=after, upto=upto):
        count += 1
        if type(pk) is int:
            seen.append(pk)
        held = expected.get(f"{prefix}{pk}")
        finding = compare(spec, pk, values, held, _INHERITED["chain_complete"])
        if finding is not None:
            if values is not None and held and held[0] and finding.kind is Kind.RECORD_CHANGED:
                changed.append((len(found), pk))
            found.append(finding)
    return count, found, changed, seen


def check_rows(
    workers: int, expected: dict, chain_complete: bool
) -> list[tuple[Spec, int, list, list, array]]:
    """Each table's rows against `expected`, by `workers` processes: per part, (spec, rows read,
    findings, (index, pk) of the changed rows, the integer keys read)."""
    parts = [part for spec in specs().values() for part in _table_parts(spec)]
    _INHERITED.update(expected=expected, chain_complete=chain_complete)
    try:
        with _pool(workers) as pool:
            results = pool.map(_rows_part, parts)
    finally:
        _INHERITED.clear()
    return [(specs()[label], *result) for (label, _after, _upto), result in zip(parts, results, strict=True)]
