"""The province benchmark's texts (bench/province.py): deterministic, varied, with a share of copies
that the copy and near-copy hints would catch."""

from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

import pytest

from zhenggai.core.quality import NEAR_COPY_SIMILARITY, fingerprint, shingles, similarity

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
province = pytest.importorskip("province")

TODAY = datetime.date(2026, 12, 3)
UNITS = [(f"第{i + 1:04d}社区党工委", f"第{i + 1:04d}社区") for i in range(20)]


def _texts(seed: str) -> tuple[list[str], list[str]]:
    return province.measure_texts(random.Random(seed), TODAY, UNITS, 120)


def test_same_seed_same_texts_other_seed_other_texts():
    assert _texts("a") == _texts("a")
    assert _texts("a")[0] != _texts("b")[0]


def test_most_texts_distinct_with_a_few_percent_copies():
    texts, kinds = _texts("a")
    assert len(set(texts)) > 0.9 * len(texts)
    for kind in ("copy", "near"):
        assert 0.015 < kinds.count(kind) / len(kinds) < 0.05, kind
    assert all(text.endswith("。") for text in texts)
    # Texts that differ only in figures, dates or the unit's name are copies to the hints: rare.
    names = [list(UNITS[m // 120]) for m in range(len(texts))]
    own = [fingerprint(t, n) for t, n, kind in zip(texts, names, kinds, strict=True) if kind == "own"]
    assert len(set(own)) > 0.95 * len(own)


def test_copies_share_a_fingerprint_and_near_copies_most_of_their_pieces():
    texts, kinds = _texts("a")
    names = [list(UNITS[m // 120]) for m in range(len(texts))]
    prints = [fingerprint(text, n) for text, n in zip(texts, names, strict=True)]
    first: dict[str, int] = {}
    for i, p in enumerate(prints):
        first.setdefault(p, i)
    # A word-for-word copy has the fingerprint of a measure of an earlier unit (its name put in).
    copies = [i for i, kind in enumerate(kinds) if kind == "copy"]
    assert all(prints[i] and first[prints[i]] < i // 120 * 120 for i in copies)
    pieces = [shingles(text, n) for text, n in zip(texts, names, strict=True)]
    near = [i for i, kind in enumerate(kinds) if kind == "near"]
    close = 0
    for i in near:
        earlier = range(i // 120 * 120)
        best = max(similarity(pieces[i], pieces[j]) for j in earlier if prints[j] != prints[i])
        close += best >= NEAR_COPY_SIMILARITY
    assert close > 0.9 * len(near)
