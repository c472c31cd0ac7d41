"""The signals scored on the labelled set of real report text (tests/data/quality): slogans and
copies must hold precision ≥ 0.85 and recall ≥ 0.7 (issue #15); the others must not fall apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "quality"))
from score import score_all


@pytest.fixture(scope="module")
def scores():
    return {s.signal: s for s in score_all()}


@pytest.mark.parametrize("signal", ["slogan", "copy"])
def test_slogans_and_copies_reach_the_thresholds(scores, signal):
    s = scores[signal]
    assert s.positives >= 30 and s.cases - s.positives >= 100, "the labelled set lost its cases"
    assert s.precision >= 0.85, (s.precision, s.misses)
    assert s.recall >= 0.7, (s.recall, s.misses)


def test_the_other_signals_are_scored(scores):
    assert scores["unrelated"].cases >= 200
    assert scores["unrelated"].precision >= 0.7 and scores["unrelated"].recall >= 0.7
    for name in ("deadline_before_feedback", "evidence_after_claim", "progress_burst", "sitting"):
        assert scores[name].positives and scores[name].precision == 1.0 and scores[name].recall == 1.0
