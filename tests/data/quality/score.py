"""Scores the signals of `core.quality` and `core.signals` on the labelled set of this folder
(README.md): precision and recall of each, where the positive class is "flagged". Used by
bench/quality.py and tests/signals/test_labelled_set.py."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from zhenggai.core.quality import (
    NEAR_COPY_SIMILARITY,
    fingerprint,
    shingles,
    similarity,
    sketch,
    slogan_reasons,
)
from zhenggai.core.signals import (
    Entry,
    deadline_before_feedback,
    evidence_after_claim,
    progress_burst,
    shares_key_terms,
    sittings,
)

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Score:
    signal: str
    cases: int
    positives: int
    tp: int
    fp: int
    fn: int
    misses: tuple[str, ...] = ()  # the cases told wrong, for reading

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _score(signal: str, cases: Iterable[tuple[bool, bool, str]]) -> Score:
    tp = fp = fn = n = positives = 0
    misses = []
    for gold, flagged, label in cases:
        n += 1
        positives += gold
        tp += gold and flagged
        fp += flagged and not gold
        fn += gold and not flagged
        if gold != flagged:
            misses.append(f"{'FN' if gold else 'FP'} {label}")
    return Score(signal, n, positives, tp, fp, fn, tuple(misses))


def _lines(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def is_copy(a: str, names_a: list[str], b: str, names_b: list[str]) -> bool:
    """What the project calls a copy: the same fingerprint, or a shared MinHash band (the lookup
    of near copies) and at least NEAR_COPY_SIMILARITY of the two-character pieces in common."""
    print_a, print_b = fingerprint(a, names_a), fingerprint(b, names_b)
    if print_a and print_a == print_b:
        return True
    pieces_a, pieces_b = shingles(a, names_a), shingles(b, names_b)
    if not set(sketch(pieces_a)) & set(sketch(pieces_b)):
        return False
    return similarity(pieces_a, pieces_b) >= NEAR_COPY_SIMILARITY


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _date_scores() -> list[Score]:
    cases = json.loads((HERE / "dates.json").read_text(encoding="utf-8"))
    deadline = _score(
        "deadline_before_feedback",
        (
            (c["flag"], deadline_before_feedback(_date(c["deadline"]), _date(c["feedback_date"])), c["note"])
            for c in cases["deadline_before_feedback"]
        ),
    )
    evidence = _score(
        "evidence_after_claim",
        (
            (
                c["flag"],
                evidence_after_claim(
                    _time(c["submitted_at"]), _date(c["completed_on"]), [_time(t) for t in c["uploaded"]]
                ),
                c["note"],
            )
            for c in cases["evidence_after_claim"]
        ),
    )
    burst = _score(
        "progress_burst",
        (
            (
                c["flag"],
                progress_burst(
                    [_time(t) for t in c["recorded"]], _date(c["deadline"]), [_time(t) for t in c["reviews"]]
                )
                is not None,
                c["note"],
            )
            for c in cases["progress_burst"]
        ),
    )
    sitting_cases = []
    for c in cases["sitting"]:
        entries = [
            Entry(e["measure"], e["author"], _time(e["at"]), _date(e["deadline"])) for e in c["entries"]
        ]
        flagged = sittings(entries)
        for measure, gold in c["flags"].items():
            sitting_cases.append((gold, int(measure) in flagged, f"{c['note']} (measure {measure})"))
    return [deadline, evidence, burst, _score("sitting", sitting_cases)]


def score_all() -> list[Score]:
    slogans = _score(
        "slogan", ((r["slogan"], bool(slogan_reasons(r["text"])), r["text"]) for r in _lines("slogans.jsonl"))
    )
    copies = _score(
        "copy",
        (
            (r["copy"], is_copy(r["a"], r["names_a"], r["b"], r["names_b"]), f"{r['a']} ‖ {r['b']}")
            for r in _lines("copies.jsonl")
        ),
    )
    unrelated = _score(
        "unrelated",
        (
            (
                not r["related"],
                not shares_key_terms(r["problem"], r["measure"]),
                f"{r['problem'][:40]} ‖ {r['measure']}",
            )
            for r in _lines("related.jsonl")
        ),
    )
    return [slogans, copies, unrelated, *_date_scores()]
