"""The canonical form and the signatures, as the inspection office would re-compute them: no database."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import stat
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from zhenggai.history.canonical import GENESIS_HASH, entry_hash, to_json_native, utc_iso
from zhenggai.history.signing import (
    SignedCheckpoint,
    append_checkpoint,
    key_id,
    load_or_create_private_key,
    load_public_key,
    read_checkpoints,
    sign_checkpoint,
    write_public_key,
)

FIELDS = {
    "seq": 1,
    "recorded_at": datetime.datetime(2026, 3, 1, 10, 3, 4, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
    "actor_id": 7,
    "actor_name": "张三",
    "action": "measure.update",
    "object_type": "ledger.measure",
    "object_id": "12",
    "round_id": 3,
    "payload": {"fields": {"status": ["in_progress", "done"]}},
    "prev_hash": GENESIS_HASH,
}


def test_the_hash_is_sha256_of_sorted_compact_utf8_json():
    document = {**FIELDS, "recorded_at": "2026-03-01T02:03:04.000005Z"}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert text.startswith('{"action":"measure.update","actor_id":7,"actor_name":"张三",')
    assert entry_hash(FIELDS) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Pinned: changing the canonical form would orphan every chain already written.
    assert entry_hash(FIELDS) == "efa8915dc2f30cf02606925e450197bfdaa684f054006405ed0033edc64f85d5"


def test_times_are_written_in_utc_with_microseconds():
    assert utc_iso(FIELDS["recorded_at"]) == "2026-03-01T02:03:04.000005Z"
    with pytest.raises(ValueError):
        utc_iso(datetime.datetime(2026, 3, 1))


def test_every_field_counts():
    for name, value in FIELDS.items():
        changed = {**FIELDS, name: "other" if not isinstance(value, int) else value + 1}
        assert entry_hash(changed) != entry_hash(FIELDS), name


def test_payloads_become_json_native():
    native = to_json_native(
        {"d": datetime.date(2030, 1, 2), "x": 1.5, "nan": float("nan"), "s": {3, 1}, "t": (1, "\ud800")}
    )
    assert native == {"d": "2030-01-02", "x": "1.5", "nan": "nan", "s": [1, 3], "t": [1, "?"]}
    assert json.loads(json.dumps(native)) == native


def test_a_key_is_made_once_private_and_its_public_half_exported(tmp_path):
    key_file = tmp_path / "keys" / "k.pem"
    key = load_or_create_private_key(key_file)
    again = load_or_create_private_key(key_file)
    assert key_id(key.public_key()) == key_id(again.public_key())
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    write_public_key(key, tmp_path / "pub.pem")
    assert isinstance(load_public_key(tmp_path / "pub.pem"), Ed25519PublicKey)


def test_a_checkpoint_verifies_with_only_the_public_key(tmp_path):
    key = load_or_create_private_key(tmp_path / "k.pem")
    signed = sign_checkpoint(key, 1000, "ab" * 32, "2026-03-01T02:03:04.000005Z")
    message = b"zhenggai-history-checkpoint:1000:" + b"ab" * 32 + b":2026-03-01T02:03:04.000005Z"
    key.public_key().verify(base64.b64decode(signed.signature), message)  # raises if wrong
    assert signed.key_id == hashlib.sha256(key.public_key().public_bytes_raw()).hexdigest()[:16]
    assert signed.is_valid(key.public_key())
    other = load_or_create_private_key(tmp_path / "other.pem").public_key()
    assert not signed.is_valid(other)
    forged = SignedCheckpoint(**{**signed.__dict__, "head_hash": "cd" * 32})
    assert not forged.is_valid(key.public_key())


def test_the_export_file_takes_each_checkpoint_once_and_reports_bad_lines(tmp_path):
    key = load_or_create_private_key(tmp_path / "k.pem")
    path = tmp_path / "checkpoints.jsonl"
    first = sign_checkpoint(key, 1, "ab" * 32, "2026-03-01T02:03:04.000005Z")
    assert append_checkpoint(path, first) is True
    assert append_checkpoint(path, first) is False
    with path.open("a") as stream:
        stream.write('{"seq": "1"}\n\nnot json\n')
    lines = read_checkpoints(path)
    assert lines[0] == SignedCheckpoint(**{**first.__dict__, "line_no": 1})
    assert [getattr(line, "line_no", None) for line in lines[1:]] == [2, 4]


def test_a_signature_spelt_differently_is_refused(tmp_path):
    key = load_or_create_private_key(tmp_path / "k.pem")
    signed = sign_checkpoint(key, 1, "ab" * 32, "2026-03-01T02:03:04.000005Z")
    last = signed.signature[-3]  # 64 bytes: 86 characters and "==", the last 4 bits unused
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    same_bits = alphabet[alphabet.index(last) ^ 1]
    respelt = SignedCheckpoint(**{**signed.__dict__, "signature": signed.signature[:-3] + same_bits + "=="})
    assert base64.b64decode(respelt.signature) == base64.b64decode(signed.signature)
    assert not respelt.is_valid(key.public_key())
