"""`verify` on several processes: the same checks, shared out over the machine's cores.

Re-hashing every entry and every tracked row is CPU work in Python, so one process checks about
40,000 entries a second; forked workers do it side by side. Only the work that does not depend on
order is shared out:

* the chain: each worker reads a range of entries with plain SQL, re-hashes them (`verify._fast`),
  checks that they follow each other, and hands back a summary: first and last number and hash,
  the hashes at the checkpoints, and what the range says of evidence, public records and record
  states. The parent joins the summaries in order, checking each joins where the walk stands and
  agrees with the signed checkpoints; a range with anything out of the ordinary is read again by
  the parent and walked entry by entry, so a finding is exactly the one one process makes.
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
from typing import TYPE_CHECKING, Any

from django.db import connection, connections

from zhenggai.history import public_records
from zhenggai.history.report import Finding, Kind
from zhenggai.history.state import Spec, iter_all_states, specs

if TYPE_CHECKING:
    from zhenggai.history.verify import ChainWalk

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


def _chain_part(bounds: tuple[int | None, int | None]) -> dict[str, Any]:
    """A range of entries re-hashed and summed up, or {"fallback": True} when anything in it is
    not plainly right (then the parent reads the range itself and the walk says what is wrong)."""
    from zhenggai.history.state_check import StateReplay
    from zhenggai.history.verify import (
        EVIDENCE_REMOVALS,
        _fast,
        _raw_chunk,
        note_evidence,
        payload_of,
    )

    after, upto = bounds
    rows: list[dict[str, Any]] = []
    canonical = connection.vendor == "sqlite"
    for raw in _raw_chunk(after, upto=upto, limit=None):
        row = _fast(raw, canonical)
        if row is None or type(row["seq"]) is not int or row["action"] in EVIDENCE_REMOVALS:
            return {"fallback": True}
        if rows and (row["seq"] != rows[-1]["seq"] + 1 or row["prev_hash"] != rows[-1]["hash"]):
            return {"fallback": True}
        rows.append(row)
    if not rows:
        return {"empty": True}
    states = StateReplay()
    evidence: dict[str, tuple[str, int]] = {}
    public: public_records.Recorded = {}
    for row in rows:
        states.note(row)
        note_evidence(evidence, row)
        if row["action"] in public_records.NOTED:
            payload_of(row)
        public_records.note(public, row)
    marks = _INHERITED["marks"]
    return {
        "first_seq": rows[0]["seq"],
        "first_prev": rows[0]["prev_hash"],
        "last_seq": rows[-1]["seq"],
        "last_hash": rows[-1]["hash"],
        "count": len(rows),
        "at": {row["seq"]: row["hash"] for row in rows if row["seq"] in marks},
        "states": states.expected,
        "evidence": evidence,
        "public": public,
    }


def walk(chain: ChainWalk, workers: int, last: int) -> Finding | None:
    """`chain.run` over every entry, with the re-hashing done by `workers` processes.

    A range that a worker found plainly right is taken whole (`ChainWalk.absorb`) when it joins
    the walk where it stands; any other range is read again here and stepped through entry by
    entry, so that a finding is the one a single process makes."""
    from zhenggai.history.verify import _raw_chunk, fast_rows

    marks = {checkpoint.seq for checkpoint in chain.checkpoints}
    if chain.head:
        marks.add(chain.head["seq"])
    _INHERITED["marks"] = marks
    try:
        with _pool(workers) as pool:
            for bounds, summary in zip(_bounds(last), pool.imap(_chain_part, _bounds(last)), strict=True):
                if summary.get("empty") or chain.absorb(summary):
                    continue
                for row in fast_rows(_raw_chunk(bounds[0], upto=bounds[1], limit=None)):
                    finding = chain.step(row)
                    if finding:
                        pool.terminate()
                        return finding
    finally:
        _INHERITED.clear()
    return chain.finish()


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
