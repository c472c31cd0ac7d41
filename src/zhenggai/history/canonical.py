"""The hash chain's canonical form, in plain Python: no Django import.

Anyone holding a copy of the history (an export, a database dump) can re-compute every hash with
this module alone; docs/history.md states the same rules in prose.

An entry's hash is SHA-256 over the UTF-8 bytes of a JSON object with sorted keys and no spaces:

    {"action", "actor_id", "actor_name", "object_id", "object_type", "payload",
     "prev_hash", "recorded_at", "round_id", "seq"}

`recorded_at` is written as UTC with microseconds (`2026-03-01T02:03:04.000005Z`). The first
entry's `prev_hash` is 64 zeros.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "round_id",
    "payload",
    "prev_hash",
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def json_sha256(value: Any) -> str:
    """SHA-256 of a JSON-able value's canonical form: how a payload names a whole document."""
    return hashlib.sha256(canonical_json(to_json_native(value)).encode("utf-8")).hexdigest()


def utc_iso(moment: datetime.datetime) -> str:
    """`2026-03-01T02:03:04.000005Z`: always UTC, always six digits of microseconds."""
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_document(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The object that is hashed, from an entry's stored fields (`recorded_at` a datetime or text)."""
    doc = {name: fields[name] for name in HASHED_FIELDS}
    if isinstance(doc["recorded_at"], datetime.datetime):
        doc["recorded_at"] = utc_iso(doc["recorded_at"])
    return doc


def entry_hash(fields: Mapping[str, Any]) -> str:
    # surrogatepass: a tampered row must give a wrong hash, never crash the verifier.
    data = canonical_json(entry_document(fields)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def clean_text(text: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb, and lone surrogates cannot be written as UTF-8:
    # replacing them before storing keeps what is hashed equal to what is read back.
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def to_json_native(value: Any) -> Any:
    """Turn a payload into str/int/bool/None/lists/dicts only, so that it survives a JSON column.

    PostgreSQL's jsonb reorders keys and rewrites numbers; SQLite keeps text. Values limited to
    these types read back equal on both, so the hash computed before storing still holds after.
    Dates, decimals, floats, UUIDs and paths become strings; model instances become their key.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return to_json_native(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return clean_text(str.__str__(value))
    if isinstance(value, Mapping):
        return _native_mapping(value)
    if isinstance(value, list | tuple):
        return [to_json_native(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((to_json_native(item) for item in value), key=canonical_json)
    return _native_scalar(value)


def _native_mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = clean_text(str(to_json_native(key)))
        if name in out:
            raise ValueError(f"payload keys collide once written as text: {name!r}")
        out[name] = to_json_native(item)
    return out


def _native_scalar(value: Any) -> Any:
    if isinstance(value, float):
        # A float is written as text: jsonb and Python disagree on how some floats print.
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return utc_iso(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | PurePath):
        return str(value)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return to_json_native(value.pk)  # a model instance: its primary key
    raise TypeError(f"cannot store {type(value).__name__} in the history payload")
