"""Re-compute the history chain, the evidence files' hashes and what the public wrote; say where
they were tampered with.

Signed checkpoints are read from the exported file, never from the database: whoever could
rewrite the chain could rewrite that table too, but cannot sign without the key. The table is
still compared with the file: a file that lacks checkpoints the database lists was cut or lost.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard, cast

import orjson
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection, transaction
from django.utils import timezone

from zhenggai.history import public_records, state_check
from zhenggai.history.canonical import GENESIS_HASH, HASHED_FIELDS, entry_hash
from zhenggai.history.conf import EXPORT_GRACE, PUBLIC_KEY_NAME, history_conf
from zhenggai.history.models import ChainHead, Checkpoint, HistoryEntry
from zhenggai.history.report import Finding, Kind, VerifyReport
from zhenggai.history.services import checkpoint_now, export_missing_rows
from zhenggai.history.signing import BadLine, SignedCheckpoint, load_key_ring, read_checkpoints
from zhenggai.history.state import STATE_KEY, Unreadable, undecodable_as_unreadable
from zhenggai.ledger.models import EvidenceFile

FIELDS = (*HASHED_FIELDS, "hash")
CHUNK = 5000
# What a tampered SQLite row can raise when Django converts it (a date that is not a date…).
_UNREADABLE = (ValueError, TypeError, AttributeError, ArithmeticError)
_TYPES: dict[str, tuple[type, ...]] = {
    "seq": (int,),
    "actor_id": (int, type(None)),
    "round_id": (int, type(None)),
    "actor_name": (str,),
    "action": (str,),
    "object_type": (str,),
    "object_id": (str,),
    "prev_hash": (str,),
    "hash": (str,),
}
EVIDENCE_ACTIONS = ("evidence.attach",)
EVIDENCE_REMOVALS = ("evidence.remove",)
# Entries whose payload the walk reads beyond the record digests.
_NOTED_ACTIONS = frozenset((*EVIDENCE_ACTIONS, *EVIDENCE_REMOVALS, *public_records.NOTED))


def verify(
    *,
    checkpoint_file: Path | str | None = None,
    public_key_file: Path | str | None = None,
    media_root: Path | str | None = None,
    sign_head: bool = False,
    locate_all: bool = False,
) -> VerifyReport:
    """Check the whole history and every evidence file; the report locates the first problem.

    `checkpoint_file` defaults to the exported file of this installation; pass the inspection
    office's own copy (and its copy of the public key) to check against what it keeps.
    `sign_head` (`verify --checkpoint`) first exports the checkpoints this installation's file
    lacks and signs the head, so that everything written until now is checked against a signature;
    lines it had to export are still reported as missing from the file.
    """
    conf = history_conf()
    checkpoint_path, key_path = checkpoint_paths(checkpoint_file, public_key_file)
    report = VerifyReport()
    clock = time.perf_counter()
    exported = _sign_head() if sign_head else set()
    checkpoints = _signed_checkpoints(checkpoint_path, key_path, report)
    own_file = checkpoint_path.resolve() == conf.checkpoint_file.resolve()
    _compare_with_table(
        checkpoints, checkpoint_path, report, own_file=own_file, exported=exported if own_file else set()
    )
    # From here on every table is read in one view of the database (`_one_view`), taken after the
    # checkpoint file was read: a change committed meanwhile is neither half-seen nor a false alarm.
    with _one_view() as snapshot:
        head = ChainHead.objects.filter(pk=1).values("seq", "hash").first()
        walk = ChainWalk(checkpoints, dict(head) if head else None)
        with _no_cycle_collection():
            report.chain = walk.run(_chunks(snapshot))
        report.entries, report.verified_to = walk.checked, walk.expected - 1
        clock = _lap(report, "chain", clock)
        with _unreadable_as_finding(report, "佐证材料 evidence files"):
            _check_evidence(_evidence_store(media_root), walk.evidence, report)
        clock = _lap(report, "evidence", clock)
        with _unreadable_as_finding(report, "群众回执与意见建议 receipts and comments"):
            public_records.check(walk.public, report, chain_complete=report.chain is None)
        clock = _lap(report, "public_records", clock)
        with _no_cycle_collection():
            state_check.check(
                walk.states,
                report,
                chain_complete=report.chain is None,
                locate_at_most=None if locate_all else state_check.LOCATE_AT_MOST,
            )
    _lap(report, "records", clock)
    return report


@contextmanager
def _unreadable_as_finding(report: VerifyReport, where: str) -> Iterator[None]:
    """A table holding text the database driver cannot decode (only SQLite lets it in): the check
    of that table stops there, and the table is reported as changed."""
    try:
        with undecodable_as_unreadable():
            yield
    except Unreadable as exc:
        report.record_findings.append(
            Finding(Kind.RECORD_CHANGED, record=where, detail=f"stored values are not readable: {exc}")
        )


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: the walk and the row check allocate a few small objects per
    entry and per row, none of them in reference cycles, and the collector's passes over the growing
    maps of records cost about a fifth of the time. Memory is still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lap(report: VerifyReport, name: str, since: float) -> float:
    now = time.perf_counter()
    report.timings[name] = now - since
    return now


# --- Checkpoints ---------------------------------------------------------------------------------


def checkpoint_paths(
    checkpoint_file: Path | str | None = None, public_key_file: Path | str | None = None
) -> tuple[Path, Path]:
    """The checkpoint file and public key to check against: given, or this installation's."""
    checkpoint_path = Path(checkpoint_file or history_conf().checkpoint_file)
    return checkpoint_path, Path(public_key_file or checkpoint_path.parent / PUBLIC_KEY_NAME)


def _sign_head() -> set[int]:
    """Export the checkpoints the file lacks, then sign the head; the numbers it had to export."""
    exported = {row.seq for row in export_missing_rows()}
    checkpoint_now()
    return exported


def _signed_checkpoints(path: Path, key_path: Path, report: VerifyReport) -> list[SignedCheckpoint]:
    """The well-signed checkpoints of the file, by seq; each bad line becomes a finding."""
    if not path.exists():
        report.notes.append(_no_checkpoint_note(path))
        return []
    lines = read_checkpoints(path)
    if lines and not key_path.exists():
        report.checkpoint_findings.append(
            Finding(Kind.BAD_SIGNATURE, line=0, detail=f"public key not found: {key_path}")
        )
        return []
    keys = load_key_ring(key_path) if lines else {}
    good = [line for line in lines if _well_signed(line, keys, report)]
    report.checkpoints = len(good)
    if good:
        used = ", ".join(sorted({c.key_id for c in good}))
        report.notes.append(f"签名密钥 signing keys: {used} — compare with the key ids the office holds")
    return sorted(good, key=lambda c: (c.seq, c.line_no))


def _well_signed(
    line: SignedCheckpoint | BadLine, keys: dict, report: VerifyReport
) -> TypeGuard[SignedCheckpoint]:
    if isinstance(line, BadLine):
        report.checkpoint_findings.append(Finding(Kind.BAD_SIGNATURE, line=line.line_no, detail=line.reason))
        return False
    key = keys.get(line.key_id)
    if key is not None and line.is_valid(key):
        return True
    detail = f"seq {line.seq}" + ("" if key is not None else f", unknown key {line.key_id}")
    report.checkpoint_findings.append(
        Finding(Kind.BAD_SIGNATURE, seq=line.seq, line=line.line_no, detail=detail)
    )
    return False


def _no_checkpoint_note(path: Path) -> str:
    return f"未找到检查点文件 no checkpoint file at {path}: only the chain's own consistency was checked"


def _compare_with_table(
    good: list[SignedCheckpoint], path: Path, report: VerifyReport, *, own_file: bool, exported: set[int]
) -> None:
    """The checkpoints the database lists must be lines of the file, as they were signed.

    A row younger than EXPORT_GRACE may still be on its way (its line is appended after the commit)
    and is only noted. Against a copy kept elsewhere (the office's), rows signed after the copy's
    last line are newer than the copy, not missing from it.
    """
    in_file = {c.seq: (c.head_hash, c.key_id, c.signature) for c in good}
    last_in_file = max(in_file, default=0)
    rows = _TableRows(in_file, exported, last_in_file if not own_file else None)
    try:
        with undecodable_as_unreadable():
            rows.classify()
    except _UNREADABLE:  # a row SQLite holds in a form Django cannot read: the table was edited
        rows.differ.append("a row that cannot be read")
    if rows.missing:
        held = len(in_file) - len(exported)  # before `verify --checkpoint` exported the rest
        where = (
            "the file is missing" if not path.exists() else f"the file held {held} well-signed checkpoints"
        )
        detail = f"{where}; the database lists {rows.listed} signed checkpoints"
        detail += f"; not in the file: {_numbers(rows.missing)}"
        if exported & set(rows.missing):
            detail += " (exported from the database now)"
        report.checkpoint_findings.append(
            Finding(
                Kind.CHECKPOINTS_MISSING,
                seq=rows.missing[0],
                seq_end=rows.missing[-1],
                file=str(path),
                detail=detail,
            )
        )
    if rows.differ:
        report.checkpoint_findings.append(
            Finding(
                Kind.CHECKPOINTS_MISSING,
                file=str(path),
                detail=f"the file's line and the database's row differ: {_numbers(rows.differ)}",
            )
        )
    if rows.recent:
        report.notes.append(
            f"检查点 {_numbers(rows.recent)} 刚签署，尚未写入文件 signed less than "
            f"{EXPORT_GRACE.seconds} s ago, not in the file yet (its line is appended after the commit)"
        )
    if rows.newer:
        report.notes.append(
            f"此副本之后又签署了 {rows.newer} 个检查点 {rows.newer} checkpoints were signed after this "
            f"copy's last line (#{last_in_file}): the copy is older than the database"
        )


@dataclass
class _TableRows:
    """The database's checkpoints sorted by how the file holds them."""

    in_file: dict[int, tuple[str, str, str]]
    exported: set[int]  # lines `verify --checkpoint` had to export: the file did not hold them
    copy_ends_at: int | None  # the last line of a copy kept elsewhere; None for this installation's file
    listed: int = 0
    missing: list[int] = field(default_factory=list)
    differ: list[int | str] = field(default_factory=list)
    recent: list[int] = field(default_factory=list)
    newer: int = 0

    def classify(self) -> None:
        on_its_way = timezone.now() - EXPORT_GRACE
        rows = Checkpoint.objects.order_by("seq").values_list(
            "seq", "head_hash", "key_id", "signature", "created_at"
        )
        for seq, head_hash, key, signature, created_at in rows.iterator(chunk_size=CHUNK):
            self.listed += 1
            held = None if seq in self.exported else self.in_file.get(seq)
            if held == (head_hash, key, signature):
                continue
            if held is not None:
                self.differ.append(seq)
            elif self.copy_ends_at is not None and seq > self.copy_ends_at:
                self.newer += 1
            elif created_at >= on_its_way:
                self.recent.append(seq)
            else:
                self.missing.append(seq)


def _numbers(seqs: list[int] | list[int | str], shown: int = 5) -> str:
    text = ", ".join(f"#{seq}" if isinstance(seq, int) else seq for seq in seqs[:shown])
    return text + (f" … (+{len(seqs) - shown})" if len(seqs) > shown else "")


# --- The chain -----------------------------------------------------------------------------------


@contextmanager
def _one_view() -> Iterator[str | None]:
    """Read everything that follows in one consistent view of the database, so that a change
    committed during the check is neither half-seen nor a false alarm: a read-only REPEATABLE READ
    transaction on PostgreSQL, whose snapshot is exported and yielded, so that a second connection
    can read the chain ahead in the same view (`_chunks`); a deferred read transaction on SQLite,
    whose WAL keeps a reader's view while writers go on (Django's atomic() would take the write
    lock: this project's SQLite transactions are IMMEDIATE). Inside a caller's transaction (a
    test, a restore) that transaction is the view and nothing is exported."""
    if connection.in_atomic_block:
        yield None
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            yield snapshot
    else:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield None
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")


def _chunks(snapshot: str | None = None) -> Iterator[list[tuple[Any, ...]] | list[dict[str, Any]]]:
    """Every entry in seq order, a chunk at a time (keyset pages, so no long-open cursor): plain
    tuples of FIELDS as `_raw_chunk` reads them, or, for a chunk SQLite cannot hand over (a
    tampered value its converters refuse), the entries read one by one through Django.

    With a PostgreSQL snapshot, the next chunk is read by a second connection in the same view
    while the walk hashes this one: the database's work and the hashing overlap."""
    with _ChunkReader(snapshot) as reader:
        pending = reader.read_after(None)
        while True:
            chunk: list[tuple[Any, ...]] | list[dict[str, Any]]
            try:
                chunk = pending.result()
            except _UNREADABLE:
                query = HistoryEntry.objects.order_by("seq")
                after = reader.last_asked
                chunk = list(_rows_one_by_one(query if after is None else query.filter(seq__gt=after)))
            if not chunk:
                return
            last = chunk[-1]["seq"] if isinstance(chunk[-1], dict) else chunk[-1][0]
            if type(last) is not int:
                yield chunk
                return  # a non-number in the key column sorts last on SQLite; nothing follows it
            pending = reader.read_after(last)
            yield chunk


class _Read:
    """A chunk read at once, with the interface of a Future."""

    def __init__(self, after: int | None) -> None:
        self._error: BaseException | None = None
        self._rows: list[tuple[Any, ...]] = []
        try:
            self._rows = _raw_chunk(after)
        except _UNREADABLE as exc:
            self._error = exc

    def result(self) -> list[tuple[Any, ...]]:
        if self._error is not None:
            raise self._error
        return self._rows


class _ChunkReader:
    """Reads chunks of the chain: on this connection, or, given a PostgreSQL snapshot, ahead on a
    connection of its own thread that has imported the snapshot."""

    def __init__(self, snapshot: str | None) -> None:
        self.snapshot = snapshot
        self.last_asked: int | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def __enter__(self) -> _ChunkReader:
        if self.snapshot is not None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhenggai-verify")
            self._pool.submit(_enter_snapshot, self.snapshot).result()
        return self

    def read_after(self, after: int | None) -> Future | _Read:
        self.last_asked = after
        if self._pool is None:
            return _Read(after)
        self._pending = self._pool.submit(_raw_chunk, after)
        return self._pending

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is None:
            return
        if self._pending is not None:
            self._pending.cancel()
            wait([self._pending])
        self._pool.submit(_leave_snapshot).result()
        self._pool.shutdown()


def _enter_snapshot(snapshot: str) -> None:
    """In the reading thread: open its own connection in the view of `snapshot`."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])


def _leave_snapshot() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
    finally:
        connection.close()


def slow_row(raw: tuple[Any, ...]) -> dict[str, Any]:
    """An entry the walk's fast step did not take, as a row for `ChainWalk.step`: re-hashed as
    read if it hashes right that way (`_fast`), else read again through Django (`_exact`)."""
    return _fast(raw) or _exact(raw[0])


_DIGESTS_FIRST = '{"' + STATE_KEY + '":{'
_DIGESTS_ANYWHERE = f'"{STATE_KEY}"'


def _digests_at_start(text: str) -> list[tuple[str, str | None]] | None:
    """The record digests of a canonical payload, read from its start without parsing the rest:
    `#state` sorts first and holds only flat "label:pk": digest pairs, so its object ends at the
    first closing brace. None when the text is not so (then the payload is parsed)."""
    if not text.startswith(_DIGESTS_FIRST):
        return [] if _DIGESTS_ANYWHERE not in text else None
    end = text.find("}", len(_DIGESTS_FIRST))
    try:
        found = orjson.loads(text[len(_DIGESTS_FIRST) - 1 : end + 1]) if end > 0 else None
    except orjson.JSONDecodeError:
        return None
    if type(found) is not dict:
        return None
    return [(name, sha if type(sha) is str else None) for name, sha in found.items()]


def _raw_chunk(after: int | None) -> list[tuple[Any, ...]]:
    """The next entries as plain tuples of FIELDS: the time as the chain writes it (UTC text,
    `2026-03-01T02:03:04.000005Z`) and the payload as its stored JSON text."""
    if connection.vendor == "postgresql":
        at = """to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        payload = "payload::text"
    else:  # stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; the text skips Django's converter
        at = (
            "substr(CAST(recorded_at AS TEXT), 1, 10) || 'T' || substr(CAST(recorded_at AS TEXT), 12)"
            " || CASE WHEN length(CAST(recorded_at AS TEXT)) = 19 THEN '.000000Z' ELSE 'Z' END"
        )
        payload = "payload"
    columns = [at if name == "recorded_at" else payload if name == "payload" else name for name in FIELDS]
    where = "" if after is None else "WHERE seq > %s"
    table = HistoryEntry._meta.db_table
    sql = f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY seq LIMIT {CHUNK}"  # noqa: S608 - constants
    with undecodable_as_unreadable(), connection.cursor() as cursor:
        cursor.execute(sql, [] if after is None else [after])
        return cursor.fetchall()


def _fast(raw: tuple[Any, ...]) -> dict[str, Any] | None:
    """The entry, if it hashes right as read; None sends it to the exact check.

    A payload stored in canonical form is hashed as it is, set into the other fields' canonical
    JSON (`orjson.Fragment`): no parsing. A payload stored otherwise (written as jsonb before
    history migration 0005) is parsed and written out canonically. JSON escapes every quote inside
    a string, so no stored value can pass for a part of the document's frame."""
    seq, at, actor_id, actor_name, action, object_type, object_id, round_id, payload, prev_hash, stored = raw
    if type(at) is not str or type(payload) is not str:
        return None
    if at[-1:] != "Z":  # SQLite's text, read otherwise than by `_raw_chunk`
        if len(at) == 19:
            at += ".000000"
        at = f"{at[:10]}T{at[11:]}Z"
    row = {
        "action": action,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "object_id": object_id,
        "object_type": object_type,
        "payload": orjson.Fragment(payload),
        "prev_hash": prev_hash,
        "recorded_at": at,
        "round_id": round_id,
        "seq": seq,
    }
    try:
        if hashlib.sha256(orjson.dumps(row)).hexdigest() == stored:
            row.update(payload=None, payload_text=payload, hash=stored, fast=True)
            states = _digests_at_start(payload)
            if states is None:
                row["payload"] = orjson.loads(payload)
            else:
                row["states"] = states
            return row
        row["payload"] = orjson.loads(payload)
        document = orjson.dumps(row, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, TypeError, ValueError, UnicodeEncodeError):
        return None
    if hashlib.sha256(document).hexdigest() != stored:
        return None
    row["hash"], row["fast"] = stored, True
    return row


def payload_of(row: dict[str, Any]) -> dict[str, Any]:
    """An entry's payload, parsed now if the walk took it without parsing."""
    payload = row.get("payload")
    if payload is None and "payload_text" in row:
        payload = row["payload"] = orjson.loads(row["payload_text"])
    return payload if isinstance(payload, dict) else {}


def _exact(seq: Any) -> dict[str, Any]:
    """One entry read through Django, as the exact check reads it."""
    try:
        with undecodable_as_unreadable():
            values = HistoryEntry.objects.filter(seq=seq).values_list(*FIELDS).get()
    except _UNREADABLE:
        return {"seq": seq, "unreadable": True}
    except HistoryEntry.DoesNotExist:  # changed while being read: the walk reports the gap
        return {"seq": seq, "unreadable": True}
    return dict(zip(FIELDS, values, strict=True))


def _rows_one_by_one(query) -> Iterator[dict[str, Any]]:
    """The chunk again, row by row, so that the row Django cannot read is named, not fatal."""
    for seq in query.values_list("seq", flat=True)[:CHUNK]:
        try:
            with undecodable_as_unreadable():
                values = HistoryEntry.objects.filter(seq=seq).values_list(*FIELDS).get()
            yield dict(zip(FIELDS, values, strict=True))
        except _UNREADABLE:
            yield {"seq": seq, "unreadable": True}


def _row_by_hash(value: str) -> dict[str, Any] | None:
    try:
        with undecodable_as_unreadable():
            values = HistoryEntry.objects.filter(hash=value).values_list(*FIELDS).first()
    except _UNREADABLE:
        return None
    return dict(zip(FIELDS, values, strict=True)) if values else None


def _well_typed(row: dict[str, Any]) -> bool:
    if row.get("unreadable"):
        return False
    return all(isinstance(row[name], types) for name, types in _TYPES.items())


def _recomputes(row: dict[str, Any], seq: int | None = None) -> bool:
    fields = row if seq is None else {**row, "seq": seq}
    try:
        return entry_hash(fields) == row["hash"]
    except _UNREADABLE:
        return False


def _original_seq(row: dict[str, Any], depth: int = 3) -> int | None:
    """The seq an entry was hashed under, found through the entry its prev_hash names.

    A swap keeps each entry's content, so an entry that does not hash under its own seq but
    does under (its predecessor's original seq + 1) was moved, not edited. Depth 3 covers a
    predecessor that was itself moved (two neighbours swapped).
    """
    if not _well_typed(row):
        return None
    if _recomputes(row):
        return row["seq"]
    if depth == 0:
        return None
    if row["prev_hash"] == GENESIS_HASH:
        candidate = 1
    else:
        predecessor = _row_by_hash(row["prev_hash"])
        before = _original_seq(predecessor, depth - 1) if predecessor else None
        if before is None:
            return None
        candidate = before + 1
    return candidate if _recomputes(row, candidate) else None


@dataclass
class ChainWalk:
    """Follows the chain entry by entry and stops at the first problem."""

    checkpoints: list[SignedCheckpoint]
    head: dict[str, Any] | None
    expected: int = 1
    prev_hash: str = GENESIS_HASH
    agreed: int = 0  # seq of the last checkpoint that matched
    checked: int = 0
    pending: int = 0  # index of the next checkpoint to reach
    evidence: dict[str, tuple[str, int]] = field(default_factory=dict)  # evidence id → (sha256, seq)
    public: public_records.Recorded = field(default_factory=dict)  # what the public wrote, as recorded
    states: state_check.StateReplay = field(default_factory=state_check.StateReplay)  # records' states

    def run(self, chunks: Iterable[list[tuple[Any, ...]] | list[dict[str, Any]]]) -> Finding | None:
        for chunk in chunks:
            if chunk and type(chunk[0]) is tuple:
                finding = self._fast_steps(cast(list[tuple[Any, ...]], chunk))
            else:
                finding = self._steps(cast(list[dict[str, Any]], chunk))
            if finding:
                return finding
        return self.finish()

    def _steps(self, rows: Iterable[dict[str, Any]]) -> Finding | None:
        for row in rows:
            finding = self.step(row)
            if finding:
                return finding
        return None

    def _fast_steps(self, raws: list[tuple[Any, ...]]) -> Finding | None:
        """`step` for the entries of a chunk, inlined for the common case: the next number, linked
        to the previous hash, canonical text that hashes right as stored, no checkpoint or head at
        this number and nothing but record digests to note. Any other entry goes through `step`."""
        sha256, dumps, fragment = hashlib.sha256, orjson.dumps, orjson.Fragment
        stops = {c.seq for c in self.checkpoints[self.pending :]}
        if self.head:
            stops.add(self.head["seq"])
        noted = _NOTED_ACTIONS
        expected_states = self.states.expected
        start, skip = _DIGESTS_FIRST, len(_DIGESTS_FIRST) - 1
        for raw in raws:
            seq, at, actor_id, actor_name, action, object_type, object_id, round_id, payload, prev, stored = (
                raw
            )
            digests: Any = None
            if (
                seq == self.expected
                and type(seq) is int
                and prev == self.prev_hash
                and seq not in stops
                and action not in noted
                and type(payload) is str
                and type(at) is str
            ):
                try:
                    document = dumps(
                        {
                            "action": action,
                            "actor_id": actor_id,
                            "actor_name": actor_name,
                            "object_id": object_id,
                            "object_type": object_type,
                            "payload": fragment(payload),
                            "prev_hash": prev,
                            "recorded_at": at,
                            "round_id": round_id,
                            "seq": seq,
                        }
                    )
                except (orjson.JSONEncodeError, TypeError):
                    document = b""
                if sha256(document).hexdigest() == stored:
                    if payload.startswith(start):
                        end = payload.find("}", skip)
                        try:
                            digests = orjson.loads(payload[skip : end + 1]) if end > 0 else None
                        except orjson.JSONDecodeError:
                            digests = None
                        if type(digests) is not dict:
                            digests = None
                    elif _DIGESTS_ANYWHERE not in payload:
                        digests = {}
            if digests is None:
                finding = self.step(slow_row(raw))
                if finding:
                    return finding
                continue
            for name, sha in digests.items():
                expected_states[name] = (sha if type(sha) is str else None, seq)
            self.prev_hash, self.expected = stored, seq + 1
            self.checked += 1
        return None

    def step(self, row: dict[str, Any]) -> Finding | None:
        seq = row["seq"]
        if not (row.get("fast") or _well_typed(row)):
            where = seq if type(seq) is int and seq >= self.expected else self.expected
            return Finding(Kind.CHANGED, seq=where, detail="stored values are not readable")
        if seq > self.expected:
            return Finding(Kind.MISSING, seq=self.expected, seq_end=seq - 1, detail=_gap(self.expected, seq))
        if seq < self.expected or not (row.get("fast") or _recomputes(row)):
            return self._mismatch(row)
        if row["prev_hash"] != self.prev_hash:
            return Finding(Kind.BROKEN_LINK, seq=seq, detail="prev_hash is not the previous entry's hash")
        finding = self._against_checkpoints(row) or self._against_head(row)
        if finding:
            return finding
        note_evidence(self.evidence, row)
        if row["action"] in public_records.NOTED:
            payload_of(row)
        public_records.note(self.public, row)
        self.states.note(row)
        self.prev_hash, self.expected, self.checked = row["hash"], seq + 1, self.checked + 1
        return None

    def _mismatch(self, row: dict[str, Any]) -> Finding:
        seq, origin = row["seq"], _original_seq(row)
        if origin is None or origin == seq:
            return Finding(Kind.CHANGED, seq=max(seq, self.expected), detail="stored hash ≠ re-computed hash")
        if seq < self.expected:  # a number below the chain (0, negative): the entry was renumbered
            return Finding(Kind.CHANGED, seq=origin, detail=f"entry #{origin} stored under number {seq}")
        return Finding(Kind.REORDERED, seq=seq, detail=f"entry #{origin} found at #{seq}")

    def _against_checkpoints(self, row: dict[str, Any]) -> Finding | None:
        while self.pending < len(self.checkpoints) and self.checkpoints[self.pending].seq == row["seq"]:
            checkpoint = self.checkpoints[self.pending]
            self.pending += 1
            if checkpoint.head_hash != row["hash"]:
                return Finding(
                    Kind.REHASHED,
                    seq=self.agreed + 1,
                    seq_end=row["seq"],
                    detail=f"signed checkpoint of {checkpoint.created_at} (file line {checkpoint.line_no})",
                )
            self.agreed = row["seq"]
        return None

    def _against_head(self, row: dict[str, Any]) -> Finding | None:
        # The head record is in the database, so it proves little; but it costs nothing to read.
        if self.head and self.head["seq"] == row["seq"] and self.head["hash"] != row["hash"]:
            return Finding(Kind.REHASHED, seq=self.agreed + 1, seq_end=row["seq"], detail="chain head record")
        return None

    def finish(self) -> Finding | None:
        last = self.expected - 1
        beyond = [c for c in self.checkpoints[self.pending :] if c.seq > last]
        if beyond:
            return Finding(
                Kind.TRUNCATED,
                seq=last + 1,
                seq_end=beyond[-1].seq,
                detail=f"a signed checkpoint names entry #{beyond[-1].seq}; the chain ends at #{last}",
            )
        if self.head and self.head["seq"] > last:
            return Finding(
                Kind.TRUNCATED,
                seq=last + 1,
                seq_end=self.head["seq"],
                detail=f"the chain head record names entry #{self.head['seq']}; the chain ends at #{last}",
            )
        return None


def note_evidence(evidence: dict[str, tuple[str, int]], row: dict[str, Any]) -> None:
    """Keep the SHA-256 an entry recorded of an evidence file (or forget a removed one)."""
    if row["action"] not in EVIDENCE_ACTIONS and row["action"] not in EVIDENCE_REMOVALS:
        return
    payload = payload_of(row)
    evidence_id = str(payload.get("evidence_id", ""))
    if row["action"] in EVIDENCE_ACTIONS and evidence_id:
        evidence[evidence_id] = (str(payload.get("sha256", "")), row["seq"])
    elif row["action"] in EVIDENCE_REMOVALS:
        evidence.pop(evidence_id, None)


def _gap(expected: int, found: int) -> str:
    if found == expected + 1:
        return f"entry #{expected} is gone"
    return f"entries #{expected}–#{found - 1} are gone"


# --- Evidence files --------------------------------------------------------------------------------


def _check_evidence(store: EvidenceStore, recorded: dict[str, tuple[str, int]], report: VerifyReport) -> None:
    """Every evidence file: its bytes hash to its `sha256`, it is stored under that hash, and the
    hash is the one the history recorded when it was attached."""
    digests: dict[str, str | None] = {}  # one stored copy may serve several evidence rows
    rows = EvidenceFile.objects.order_by("pk").values_list("pk", "file", "sha256")
    seen: set[str] = set()
    for pk, name, sha256 in rows.iterator(chunk_size=500):
        report.files += 1
        seen.add(str(pk))
        finding = _check_file(store, pk, name, sha256, recorded.get(str(pk)), digests)
        if finding:
            report.file_findings.append(finding)
    for evidence_id, (sha256, seq) in recorded.items():
        if evidence_id not in seen:
            report.file_findings.append(
                Finding(
                    Kind.FILE_MISSING,
                    evidence_id=int(evidence_id) if evidence_id.isdigit() else None,
                    path=_stored_name(sha256),
                    detail=f"attached in entry #{seq}, no longer in the database",
                )
            )


def _stored_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256}"


def _check_file(store: EvidenceStore, pk, name, sha256, recorded, digests) -> Finding | None:
    def found(kind: Kind, detail: str) -> Finding:
        return Finding(kind, evidence_id=pk, path=name, detail=detail)

    if recorded and recorded[0] != sha256:
        return found(Kind.FILE_SWAPPED, f"history entry #{recorded[1]} recorded SHA-256 {recorded[0]}")
    if name != _stored_name(sha256):
        return found(Kind.FILE_SWAPPED, f"not stored under its hash {_stored_name(sha256)}")
    if name not in digests:
        digests[name] = store.sha256_of(name)
    digest = digests[name]
    if digest is None:
        return found(Kind.FILE_MISSING, f"no file at {store.where(name)}")
    if digest != sha256:
        return found(Kind.FILE_SWAPPED, f"content SHA-256 is {digest}")
    return None


class EvidenceStore:
    """Where `verify` reads evidence files: a local folder (`--media-root`, or MEDIA_ROOT when the
    files are on this machine), or else the configured storage itself (an S3-compatible bucket),
    read through Django's storage API."""

    def __init__(self, root: Path | None, storage: Storage | None = None):
        self.root, self.storage = root, storage

    def where(self, name: str) -> str:
        if self.root is not None:
            return str(self.root / name)
        return f"{type(self.storage).__name__}: {name}"

    def sha256_of(self, name: str) -> str | None:
        try:
            if self.root is not None:
                with (self.root / name).open("rb") as stream:
                    return hashlib.file_digest(stream, "sha256").hexdigest()
            assert self.storage is not None
            with self.storage.open(name, "rb") as stored:
                return hashlib.file_digest(stored, "sha256").hexdigest()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None


def _evidence_store(media_root: Path | str | None) -> EvidenceStore:
    storage = storages["default"]
    if media_root is not None or isinstance(storage, FileSystemStorage):
        return EvidenceStore(Path(media_root or settings.MEDIA_ROOT))
    return EvidenceStore(None, storage)
