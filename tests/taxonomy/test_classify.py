"""The classification itself (core/classify.py): plain data, no database."""

from __future__ import annotations

import time

import pytest

from zhenggai.core import classify
from zhenggai.core.classify import Rule, compile_rules, pattern_error, problem_texts
from zhenggai.core.classify import classify as run

RULES = [
    Rule("conduct.eight_rules", "keywords", "公务接待、公车"),
    Rule("finance.funds", "keywords", "资金\n经费"),
    Rule("responsibility.main", "pattern", r"主体责任.{0,6}(不到位|不实)"),
    Rule("responsibility", "keywords", "全面从严治党"),
]


def test_the_first_rule_that_matches_wins():
    assert run(["公务接待经费超标"], RULES) == "conduct.eight_rules"
    assert run(["专项经费未专款专用"], RULES) == "finance.funds"
    assert run(["落实主体责任压得不实"], RULES) == "responsibility.main"


def test_a_problems_own_words_come_before_the_headings_above_it():
    texts = problem_texts("资金拨付滞后", "", ["落实全面从严治党主体责任不到位方面"])
    assert run(texts, RULES) == "finance.funds"
    texts = problem_texts("会议记录不规范", "存在会后补记", ["落实全面从严治党主体责任不到位方面"])
    assert run(texts, RULES) == "responsibility.main"


def test_nothing_matches_gives_none():
    assert run(["会议记录不规范"], RULES) is None


def test_text_printed_in_traditional_characters_is_read_as_simplified():
    assert run(["公務接待經費超標，違規使用公車問題突出"], RULES) == "conduct.eight_rules"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a+)+$", classify.UNBOUNDED),
        ("主体责任.*不到位", classify.UNBOUNDED),
        ("x{2,}", classify.UNBOUNDED),
        (r"(资金)\1", classify.BACKREFERENCE),
        ("(资金", classify.SYNTAX),
        ("[", classify.SYNTAX),
        (".{0,40}.{0,40}", classify.TOO_MANY_REPEATS),
        ("(.{0,10}){0,10}x", classify.NESTED_REPEAT),
        ("(a|ab){0,9}c", classify.NESTED_REPEAT),
        ("a?", classify.MATCHES_EMPTY),
        ("", classify.EMPTY),
        ("资" * (classify.MAX_PATTERN + 1), classify.TOO_LONG),
    ],
)
def test_a_pattern_that_could_hang_or_means_nothing_is_refused_with_its_reason(pattern, reason):
    error = pattern_error(pattern)
    assert error is not None and error.reason == reason


def test_a_bounded_pattern_is_kept():
    assert pattern_error(r"(上轮|以往)巡察.{0,10}(整改不到位|未整改)") is None


def test_a_refused_pattern_stored_anyway_matches_nothing():
    assert compile_rules([Rule("x", "pattern", "(a+)+$")]) == []
    assert run(["a" * 40 + "!"], [Rule("x", "pattern", "(a+)+$")]) is None


def test_the_worst_pattern_allowed_on_the_longest_text_is_quick():
    worst = ".{0,9}a{0,9}.{0,9}b"  # 10 × 10 × 10: the largest repeat product accepted
    assert pattern_error(worst) is None
    started = time.perf_counter()
    assert run(["a" * 100_000], [Rule("x", "pattern", worst)]) is None  # cut to MAX_TEXT
    assert time.perf_counter() - started < 2


def test_keywords_are_split_on_lines_and_chinese_separators():
    assert classify.keywords("资金、经费\n票据，发票;  ") == ["资金", "经费", "票据", "发票"]
