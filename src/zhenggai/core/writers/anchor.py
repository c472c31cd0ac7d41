"""The history anchor of an issued document: plain data in, text out, and back again. No Django.

An anchor is the latest signed checkpoint of the change history (docs/history.md) at the moment a
report or ledger was issued::

    {"seq": 1234, "head_hash": "…64 hex…", "created_at": "2026-03-01T02:03:04.000005Z",
     "key_id": "…16 hex…", "signature": "…base64…"}

It goes into a document twice: whole, in the file's properties (:func:`anchor_property`, read by
``zhenggai verify --against``), and as a short line a reader sees and a PDF keeps
(:func:`anchor_line`: the number, the first 16 hex digits of the head hash and the key id). The
signature covers ``seq``, ``head_hash`` and ``created_at``, so a published copy proves what the
history's head was when it was issued; a chain rewritten since no longer holds that hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TAG = "zhenggai-history-anchor/1"
PREFIX_DIGITS = 16
_PROPERTY = re.compile(
    re.escape(TAG)
    + r"\s+seq=(\d+)\s+head=([0-9a-f]{64})\s+at=(\S+)\s+key=([0-9a-f]{16})\s+sig=([A-Za-z0-9+/=]+)"
)
# Whitespace anywhere between the parts: text taken out of a PDF spaces and breaks lines at will.
_LINE = re.compile(
    r"变\s*更\s*记\s*录\s*锚\s*点\s*#\s*(\d+)\s*([0-9a-f]{16,64})\s*…?\s*签\s*名\s*密\s*钥\s*([0-9a-f]{16})"
)


def anchor_property(anchor: dict[str, Any]) -> str:
    """The whole anchor on one line, for a document's properties."""
    return (
        f"{TAG} seq={anchor['seq']} head={anchor['head_hash']} at={anchor['created_at']} "
        f"key={anchor['key_id']} sig={anchor['signature']}"
    )


def anchor_line(anchor: dict[str, Any]) -> str:
    """The line printed under a document's signature block (and kept by its PDF)."""
    return f"变更记录锚点 #{anchor['seq']} {anchor['head_hash'][:PREFIX_DIGITS]}… 签名密钥 {anchor['key_id']}"


@dataclass(frozen=True)
class FoundAnchor:
    """An anchor read back from a document: whole (from its properties), or only what the printed
    line shows (`head_hash` is then a prefix and there is no signature)."""

    seq: int
    head_hash: str
    key_id: str
    created_at: str | None = None
    signature: str | None = None

    @property
    def whole(self) -> bool:
        return self.signature is not None

    def matches(self, full_hash: str) -> bool:
        return full_hash == self.head_hash if self.whole else full_hash.startswith(self.head_hash)


def find_anchor(text: str) -> FoundAnchor | None:
    """The anchor in `text`: its property form if present, else its printed line; None if neither."""
    found = _PROPERTY.search(text)
    if found:
        seq, head_hash, created_at, key, signature = found.groups()
        return FoundAnchor(int(seq), head_hash, key, created_at, signature)
    line = _LINE.search(text)
    if line:
        seq, prefix, key = line.groups()
        return FoundAnchor(int(seq), prefix, key)
    return None
