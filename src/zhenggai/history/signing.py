"""Ed25519 signatures of checkpoints, and the append-only export file: plain Python, no Django.

The inspection office keeps the exported file and the public key; with them and this module it
can check every checkpoint without trusting the server's database.

A checkpoint line (JSON, one per line):
    {"seq": 1000, "head_hash": "…64 hex…", "created_at": "2026-03-01T02:03:04.000005Z",
     "key_id": "…16 hex…", "signature": "…base64…"}
signed over the UTF-8 bytes of `zhenggai-history-checkpoint:{seq}:{head_hash}:{created_at}`.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_HEX64 = re.compile(r"[0-9a-f]{64}")


def checkpoint_message(seq: int, head_hash: str, created_at: str) -> bytes:
    return f"zhenggai-history-checkpoint:{seq}:{head_hash}:{created_at}".encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 over the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key, created on first use with mode 0600.

    Two processes may both find no key: each writes a complete temporary file and links it into
    place, and the loser of the race reads the winner's key, so a half-written key is never read.
    """
    if not path.exists():
        _create_private_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def _create_private_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(pem)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made the key first: use theirs
    finally:
        os.unlink(tmp)


def write_public_key(private_key: Ed25519PrivateKey, path: Path) -> None:
    """Export the public key next to the checkpoints, unless the same key is already there.

    A different key already there (the signing key was lost and made anew) is kept under its key
    id, `history-ed25519.<key id>.pub.pem`, so the checkpoints it signed still verify.
    """
    pem = public_key_pem(private_key.public_key())
    if path.exists():
        if path.read_bytes() == pem:
            return
        os.replace(path, _retired_name(path, key_id(load_public_key(path))))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pub-")
    with os.fdopen(fd, "wb") as stream:
        stream.write(pem)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _retired_name(path: Path, kid: str) -> Path:
    return path.with_name(path.name.removesuffix(".pub.pem") + f".{kid}.pub.pem")


def load_key_ring(path: Path) -> dict[str, Ed25519PublicKey]:
    """The public key at `path` and the retired ones beside it, by key id."""
    paths = [path, *sorted(path.parent.glob(path.name.removesuffix(".pub.pem") + ".*.pub.pem"))]
    keys = [load_public_key(p) for p in paths if p.exists()]
    return {key_id(key): key for key in keys}


@dataclass(frozen=True)
class SignedCheckpoint:
    seq: int
    head_hash: str
    created_at: str
    key_id: str
    signature: str
    line_no: int = 0

    def as_line(self) -> str:
        data = {
            "seq": self.seq,
            "head_hash": self.head_hash,
            "created_at": self.created_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"

    def is_valid(self, public_key: Ed25519PublicKey) -> bool:
        if self.key_id != key_id(public_key):
            return False
        try:
            signature = base64.b64decode(self.signature, validate=True)
            # Only the canonical spelling: unused low bits of the last character would otherwise let
            # a line be altered without the signature noticing.
            if base64.b64encode(signature).decode("ascii") != self.signature:
                return False
            public_key.verify(signature, checkpoint_message(self.seq, self.head_hash, self.created_at))
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


def sign_checkpoint(
    private_key: Ed25519PrivateKey, seq: int, head_hash: str, created_at: str
) -> SignedCheckpoint:
    signature = private_key.sign(checkpoint_message(seq, head_hash, created_at))
    return SignedCheckpoint(
        seq=seq,
        head_hash=head_hash,
        created_at=created_at,
        key_id=key_id(private_key.public_key()),
        signature=base64.b64encode(signature).decode("ascii"),
    )


def append_checkpoint(path: Path, checkpoint: SignedCheckpoint) -> bool:
    """Append a checkpoint's line unless the file has it already; return whether it was added.

    Under an exclusive lock of the file, so that a process exporting a missed checkpoint and the
    process that made it never write it twice; a single write() on an O_APPEND file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(fd, "r+b") as stream:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX)  # released when the file is closed
        stream.seek(0)
        if f'"seq":{checkpoint.seq},'.encode() in stream.read():
            return False
        stream.write(checkpoint.as_line().encode("utf-8"))
        stream.flush()
        os.fsync(stream.fileno())
    return True


_SEQ = re.compile(rb'"seq"\s*:\s*(\d+)\s*[,}]')


def checkpoint_seqs(path: Path) -> set[int]:
    """The numbers of the checkpoints a file of this installation holds, without parsing its lines.

    The same test `append_checkpoint` makes before it appends: a line with a number counts as
    holding it, well signed or not (`verify` judges the lines)."""
    try:
        return {int(seq) for seq in _SEQ.findall(path.read_bytes())}
    except FileNotFoundError:
        return set()


@dataclass(frozen=True)
class BadLine:
    line_no: int
    reason: str


def read_checkpoints(path: Path) -> list[SignedCheckpoint | BadLine]:
    """Every line of an export file, parsed; a line that is not a well-formed checkpoint is a BadLine."""
    out: list[SignedCheckpoint | BadLine] = []
    with path.open("rb") as stream:
        for line_no, raw in enumerate(stream, start=1):
            if raw.strip():
                out.append(_parse_line(raw, line_no))
    return out


def _parse_line(raw: bytes, line_no: int) -> SignedCheckpoint | BadLine:
    try:
        data = json.loads(raw)
        checkpoint = SignedCheckpoint(
            seq=data["seq"],
            head_hash=data["head_hash"],
            created_at=data["created_at"],
            key_id=data["key_id"],
            signature=data["signature"],
            line_no=line_no,
        )
    except (ValueError, TypeError, KeyError) as exc:
        return BadLine(line_no, f"unreadable line: {exc}")
    types_ok = type(checkpoint.seq) is int and all(
        isinstance(v, str)
        for v in (checkpoint.head_hash, checkpoint.created_at, checkpoint.key_id, checkpoint.signature)
    )
    if not types_ok or checkpoint.seq < 1 or not _HEX64.fullmatch(checkpoint.head_hash):
        return BadLine(line_no, "malformed checkpoint")
    return checkpoint
