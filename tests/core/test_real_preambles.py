"""Title and round fields read from real published openings (title + preamble, as printed).

Each line of ``tests/data/preambles/real-preambles.jsonl`` is one opening found on a public page
(rectification reports, feedback-meeting news, round notices, audit reports to a people's
congress), with the fields a careful reader gives it. The openings are parsed whole, through
``parse_document``, and scored field by field the way ``score_parse.py`` scores ``fields``: exact
for dates and nulls, and for text equal or one holding the other at 60 % of its length or more.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from zhenggai.core.parse import parse_document

DATA = Path(__file__).resolve().parents[1] / "data" / "preambles" / "real-preambles.jsonl"
# Every fifth opening of the second batch, set aside before the parser read any of them: no rule is
# written from it; it is scored only as one aggregate figure (``-k heldout`` to run it).
HELDOUT = DATA.with_name("heldout-preambles.jsonl")
HELDOUT_FLOOR = 0.80  # a little under the one aggregate read when the rules were done (0.850, 34/40)
FIELDS = ("title", "kind", "inspector", "target", "feedback_date")
# The floor per field, a little under what is reached on this set (issue #12 asks 0.90 of ``fields``).
FLOOR = {"title": 0.95, "kind": 0.95, "inspector": 0.95, "target": 0.93, "feedback_date": 0.95}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u3000]+", "", text)


def same_field(pred, gold) -> bool:
    """As ``score_parse.py``: exact for dates and nulls; for text equal or containing at >= 60 %."""
    if gold is None or pred is None:
        return gold is None and (pred is None or pred == "")
    a, b = _norm(str(pred)), _norm(str(gold))
    if a == b:
        return True
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", b):
        return False
    short, long = sorted((a, b), key=len)
    return bool(short) and short in long and len(short) >= 0.6 * len(long)


def _openings(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read(opening: dict) -> dict:
    doc = parse_document(opening["text"].encode("utf-8"), "x.txt")
    rnd = doc.get("round") or {}
    return {"title": doc.get("title"), **{key: rnd.get(key) for key in FIELDS[1:]}}


@pytest.fixture(scope="module")
def scored() -> dict[str, list[tuple[str, object, object]]]:
    """Per field, the misses: (source, read, expected)."""
    misses: dict[str, list[tuple[str, object, object]]] = {key: [] for key in FIELDS}
    for opening in _openings():
        got = _read(opening)
        for key in FIELDS:
            if not same_field(got[key], opening["expected"][key]):
                misses[key].append((opening["source"], got[key], opening["expected"][key]))
    return misses


def test_the_set_is_large_enough():
    assert len(_openings()) >= 100


@pytest.mark.parametrize("field", FIELDS)
def test_field_accuracy_on_real_openings(scored, field):
    total = len(_openings())
    missed = scored[field]
    accuracy = (total - len(missed)) / total
    report = "\n".join(f"  {src}\n    read {got!r}\n    want {want!r}" for src, got, want in missed)
    print(f"\n{field}: {accuracy:.3f} ({total - len(missed)}/{total}), floor {FLOOR[field]:.2f}\n{report}")
    assert accuracy >= FLOOR[field], f"{field} {accuracy:.3f} < {FLOOR[field]:.2f}\n{report}"


def test_heldout_openings_aggregate():
    """All fields of the held-out openings together, as one figure (no per-document report)."""
    openings = _openings(HELDOUT)
    assert len(openings) >= 8
    hits = sum(
        same_field(got[key], opening["expected"][key])
        for opening in openings
        for got in [_read(opening)]
        for key in FIELDS
    )
    total = len(openings) * len(FIELDS)
    print(f"\nheld-out openings, all fields: {hits / total:.3f} ({hits}/{total}), floor {HELDOUT_FLOOR:.2f}")
    assert hits / total >= HELDOUT_FLOOR
