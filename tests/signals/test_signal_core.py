"""The text and date rules of core.signals on hand-made cases, each positive and negative."""

from __future__ import annotations

import datetime

from zhenggai.core.signals import (
    Entry,
    deadline_before_feedback,
    evidence_after_claim,
    key_terms,
    progress_burst,
    shared_terms,
    shares_key_terms,
    sittings,
)

D = datetime.date
T = datetime.datetime


def test_key_terms_leave_out_the_words_every_report_uses():
    terms = key_terms("公务用车管理不规范，存在私车公养问题，整改工作落实不到位。")
    assert "公务用车" in terms and "私车公养" in terms
    assert not terms & {"问题", "整改", "工作", "落实", "不到位", "管理"}
    assert key_terms("进一步加强整改工作，落实问题整改。") == frozenset()


def test_a_measure_that_names_what_its_problem_is_about_shares_a_term():
    problem = "公务用车管理不规范，存在私车公养问题。"
    assert shares_key_terms(problem, "清理私车公养费用，修订《公务用车管理办法》。")
    assert shared_terms(problem, "修订《公务用车管理办法》") == ["公务用车"]


def test_a_measure_about_something_else_shares_none():
    problem = "公务用车管理不规范，存在私车公养问题。"
    assert not shares_key_terms(problem, "每季度开展一次理论学习专题研讨。")
    # Sharing only the genre's words is sharing nothing.
    assert not shares_key_terms(problem, "进一步加强管理，落实整改责任。")


def test_a_problem_of_stop_words_alone_flags_nothing():
    assert shares_key_terms("整改工作落实不到位。", "每季度开展一次理论学习专题研讨。")


def test_deadline_before_feedback():
    assert deadline_before_feedback(D(2024, 10, 31), D(2024, 11, 22))
    assert not deadline_before_feedback(D(2024, 11, 22), D(2024, 11, 22))
    assert not deadline_before_feedback(None, D(2024, 11, 22))
    assert not deadline_before_feedback(D(2024, 10, 31), None)


def test_evidence_after_the_claim():
    claim = T(2025, 3, 10, 9, 0)
    assert evidence_after_claim(claim, None, [T(2025, 3, 9), T(2025, 3, 11)])
    assert not evidence_after_claim(claim, None, [T(2025, 3, 9)])
    assert evidence_after_claim(None, D(2024, 12, 31), [T(2025, 1, 2, 10)])
    assert not evidence_after_claim(None, D(2024, 12, 31), [T(2024, 12, 31, 17)])
    assert not evidence_after_claim(None, None, [T(2024, 12, 31, 17)])


def test_a_burst_before_the_deadline_or_a_review():
    rush = [T(2025, 6, 26, 10), T(2025, 6, 27, 10), T(2025, 6, 29, 10)]
    burst = progress_burst(rush, D(2025, 6, 30))
    assert burst is not None and (burst.reason, burst.count, burst.total) == ("deadline", 3, 3)
    steady = [T(2025, m, 15, 10) for m in (1, 2, 3, 4, 5)] + [T(2025, 6, 28, 10)]
    assert progress_burst(steady, D(2025, 6, 30)) is None
    review = progress_burst(rush, None, [T(2025, 6, 29, 15)])
    assert review is not None and review.reason == "review"
    assert progress_burst(rush[:2], D(2025, 6, 30)) is None


def test_one_sitting_on_many_measures_due_soon():
    at = T(2025, 6, 26, 20, 0)
    entries = [Entry(i, 7, at + datetime.timedelta(minutes=10 * i), D(2025, 6, 30)) for i in range(5)]
    assert set(sittings(entries)) == {0, 1, 2, 3, 4}
    # Hours apart: no sitting.
    spread = [Entry(i, 7, at + datetime.timedelta(hours=2 * i), D(2025, 6, 30)) for i in range(5)]
    assert sittings(spread) == {}
    # Due months later: ordinary reporting.
    later = [Entry(i, 7, at + datetime.timedelta(minutes=i), D(2025, 12, 31)) for i in range(5)]
    assert sittings(later) == {}
    # Two people, three measures each.
    two = [Entry(i, 7 + i % 2, at + datetime.timedelta(minutes=i), D(2025, 6, 30)) for i in range(6)]
    assert sittings(two) == {}
