"""Writes to the history: `record` appends an entry, `checkpoint_now` signs the head.

`record` runs inside the caller's transaction, so an entry exists exactly when the change it
describes was committed, and a rolled-back change leaves no entry and no gap in the numbering.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhenggai.history import state
from zhenggai.history.canonical import GENESIS_HASH, clean_text, entry_hash, to_json_native, utc_iso
from zhenggai.history.changes import field_changes, snapshot
from zhenggai.history.conf import EXPORT_GRACE, HistoryConf, history_conf
from zhenggai.history.models import ChainHead, Checkpoint, HistoryEntry
from zhenggai.history.signing import (
    SignedCheckpoint,
    append_checkpoint,
    checkpoint_seqs,
    load_key_ring,
    load_or_create_private_key,
    sign_checkpoint,
    write_public_key,
)

logger = logging.getLogger(__name__)
_CODE_LIMIT = 64  # action, object_type and object_id columns


def record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str | None = None,
    object_id: Any = None,
    round_id: int | None = None,
    payload: Mapping[str, Any],
    also: Iterable[Any] = (),
    removed: Iterable[Any] = (),
) -> HistoryEntry:
    """Append one entry to the chain, inside the caller's transaction, and return it.

    `obj` (a model instance) gives `object_type` (its `app_label.model`), `object_id` and, when it
    has one, `round_id`; they may also be passed directly. `payload` says what changed, e.g.
    `{"fields": {"status": ["in_progress", "submitted"]}}`; dates, decimals and model instances in it
    are stored as text or keys. `recorded_at` is always the server's clock.

    The stored state of `obj` and of the records in `also`, when they are ledger, organisation or
    account records (`history.state.TRACKED`), is read back after the chain head is locked and kept
    under the payload's `state` key; `removed` names the records the change deleted. `verify`
    compares every stored row with the last state the chain holds of it.
    """
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction the entry could be committed while the change it records is not.
        raise RuntimeError("history.record() must be called inside the transaction of the change")
    if not isinstance(payload, Mapping):
        raise TypeError("the history payload must be a mapping")
    if state.STATE_KEY in payload or state.SET_KEY in payload:
        raise ValueError(f"the payload keys {state.STATE_KEY!r} and {state.SET_KEY!r} are kept for the state")
    object_type, object_id, round_id = _object_ref(obj, object_type, object_id, round_id)
    head = _locked_head()
    # Read after the lock: a change committed by another transaction meanwhile is seen here, and a
    # later one is recorded in a later entry, so the last entry of a record holds its stored state.
    section, current = state.capture([obj, *also], removed)
    if section:
        payload = {**payload, **section}
    entry = HistoryEntry(
        seq=head.seq + 1,
        recorded_at=timezone.now(),  # read after the lock, so that times follow the numbering
        actor_id=_actor_id(actor),
        actor_name=_actor_name(actor),
        action=_code(action, "action"),
        object_type=_code(object_type, "object_type"),
        object_id=_code(object_id, "object_id"),
        round_id=round_id,
        payload=to_json_native(payload),
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry.hashed_fields())
    entry.save(force_insert=True)
    if section:
        state.remember(section, entry.seq, current)
    head.seq, head.hash = entry.seq, entry.hash
    conf = history_conf()
    if _checkpoint_due(head, entry.recorded_at, conf):
        _write_checkpoint(head, entry.recorded_at, conf)
    head.save()
    return entry


def update_recorded(model, pk: Any, *, actor, action: str, tracked: list[str], fields: Mapping[str, Any]):
    """Lock a row, set `fields`, save them and record the change: the simple edit of a record.

    `tracked` are the fields that may be set, and that the entry shows before → after (the whole
    state is kept anyway); any other name is refused."""
    unknown = set(fields) - set(tracked)
    if unknown:
        raise TypeError(f"unknown {model._meta.model_name} fields: {sorted(unknown)}")
    current = model._default_manager.select_for_update().get(pk=pk)
    before = snapshot(current, tracked)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=list(fields))
    record(
        actor=actor,
        action=action,
        obj=current,
        payload={"fields": field_changes(before, snapshot(current, tracked))},
    )
    return current


def _object_ref(obj, object_type, object_id, round_id) -> tuple[str, str, int | None]:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        round_id = _round_of(obj) if round_id is None else round_id
    if not object_type:
        raise ValueError("record() needs obj or object_type")
    # As the columns will read them back: a round id given as "3" is hashed as 3.
    round_id = None if round_id is None else int(round_id)
    return object_type, "" if object_id is None else str(object_id), round_id


def _round_of(obj) -> int | None:
    if obj._meta.label_lower == "ledger.inspectionround":
        return obj.pk
    if hasattr(obj, "round_id"):
        return obj.round_id
    measure = getattr(obj, "measure", None)  # progress entries and evidence files
    return getattr(measure, "round_id", None)


def _actor_id(actor) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor) -> str:
    if not getattr(actor, "is_authenticated", False):
        return ""
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return clean_text(full_name or actor.get_username())


def _code(value: str, name: str) -> str:
    if len(value) > _CODE_LIMIT:
        raise ValueError(f"history {name} longer than {_CODE_LIMIT} characters: {value[:80]!r}")
    return clean_text(value)


def _locked_head() -> ChainHead:
    """The chain head, locked until the caller's transaction ends: appends queue here.

    On PostgreSQL the lock is SELECT … FOR UPDATE; SQLite ignores it, but the project opens
    every transaction with BEGIN IMMEDIATE, which already holds the database's write lock.
    """
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        pass
    # First append ever (or after a test flush). Another process may be creating the row at the
    # same moment: ON CONFLICT DO NOTHING lets one insert win, then both lock the same row.
    last = HistoryEntry.objects.order_by("-seq").values("seq", "hash").first()
    last_checkpoint = Checkpoint.objects.aggregate(seq=Max("seq"), at=Max("created_at"))
    seed = ChainHead(
        pk=1,
        seq=last["seq"] if last else 0,
        hash=last["hash"] if last else GENESIS_HASH,
        checkpoint_seq=last_checkpoint["seq"] or 0,
        checkpoint_at=last_checkpoint["at"],
    )
    ChainHead.objects.bulk_create([seed], ignore_conflicts=True)
    return ChainHead.objects.select_for_update().get(pk=1)


def _checkpoint_due(head: ChainHead, now: datetime.datetime, conf: HistoryConf) -> bool:
    if head.checkpoint_at is None:
        return True  # the very first entry is anchored at once
    return head.seq - head.checkpoint_seq >= conf.every_entries or now - head.checkpoint_at >= conf.max_age


def _write_checkpoint(head: ChainHead, now: datetime.datetime, conf: HistoryConf) -> Checkpoint:
    """Sign the head and store it; the caller saves `head` in the same transaction.

    The export line is appended only after the commit: a checkpoint of a rolled-back entry would
    otherwise sit in the file and make the next `verify` cry wolf.
    """
    if not conf.key_file.exists() and Checkpoint.objects.exists():
        # Loud, because checkpoints signed by the lost key now verify only with its exported half.
        logger.warning("history signing key %s is missing: a new key signs from now on", conf.key_file)
    key = load_or_create_private_key(conf.key_file)
    write_public_key(key, conf.public_key_file)
    signed = sign_checkpoint(key, head.seq, head.hash, utc_iso(now))
    checkpoint = Checkpoint.objects.create(
        seq=signed.seq,
        head_hash=signed.head_hash,
        created_at=now,
        key_id=signed.key_id,
        signature=signed.signature,
    )
    head.checkpoint_seq, head.checkpoint_at = head.seq, now
    # robust: the change is already committed; a full disk must not turn it into an error page.
    # The next checkpoint_now() exports the line that was missed.
    transaction.on_commit(partial(append_checkpoint, conf.checkpoint_file, signed), robust=True)
    return checkpoint


def checkpoint_now() -> Checkpoint | None:
    """Sign the head if anything was appended since the last checkpoint (the scheduler's tick).

    Also exports any signed checkpoint the file lacks, e.g. after a crash between a commit and
    the append to the file.
    """
    conf = history_conf()
    with transaction.atomic():
        head = _locked_head()
        checkpoint = None
        if head.seq > head.checkpoint_seq:
            checkpoint = _write_checkpoint(head, timezone.now(), conf)
            head.save()
        # After the commit, and after this checkpoint's own append (callbacks run in order).
        transaction.on_commit(partial(export_missing_checkpoints, conf), robust=True)
    return checkpoint


def unsigned_since() -> datetime.datetime | None:
    """When the oldest entry no checkpoint covers yet was recorded; None when the head is signed."""
    head = ChainHead.objects.filter(pk=1).values("seq", "checkpoint_seq").first()
    if head is None or head["seq"] <= head["checkpoint_seq"]:
        return None
    first = HistoryEntry.objects.filter(seq=head["checkpoint_seq"] + 1).values_list("recorded_at", flat=True)
    return first.first() or timezone.now()  # an entry gone from under the head: sign at once


def export_missing_checkpoints(conf: HistoryConf | None = None) -> int:
    """Append to the export file the signed checkpoints of the table it lacks; return how many."""
    return len(export_missing_rows(conf))


def export_missing_rows(conf: HistoryConf | None = None) -> list[Checkpoint]:
    """`export_missing_checkpoints`, returning the rows it exported.

    A row older than `EXPORT_GRACE` was not on its way to the file: a crash between the commit and
    the append left it out, or the file was cut. Either way the log says so.
    """
    conf = conf or history_conf()
    if not conf.public_key_file.exists():
        return []
    # Every checkpoint_now() runs this: the numbers alone, from the file and the table, keep it
    # cheap with a year of checkpoints (bench/checkpoints.py); only missing rows are read whole.
    exported = checkpoint_seqs(conf.checkpoint_file)
    listed = Checkpoint.objects.order_by("seq").values_list("seq", flat=True)
    missing = [seq for seq in listed.iterator(chunk_size=5000) if seq not in exported]
    if not missing:
        return []
    keys = load_key_ring(conf.public_key_file)
    added: list[Checkpoint] = []
    late = timezone.now() - EXPORT_GRACE
    rows = (
        row
        for start in range(0, len(missing), 1000)
        for row in Checkpoint.objects.filter(seq__in=missing[start : start + 1000]).order_by("seq")
    )
    for row in rows:
        signed = SignedCheckpoint(
            seq=row.seq,
            head_hash=row.head_hash,
            created_at=utc_iso(row.created_at),
            key_id=row.key_id,
            signature=row.signature,
        )
        # A row forged in the database is never exported: it cannot carry a valid signature.
        key = keys.get(signed.key_id)
        if key is not None and signed.is_valid(key) and append_checkpoint(conf.checkpoint_file, signed):
            added.append(row)
            if row.created_at < late:
                logger.warning(
                    "history checkpoint #%s (signed %s) was missing from %s and is exported now",
                    row.seq,
                    signed.created_at,
                    conf.checkpoint_file,
                )
    return added
