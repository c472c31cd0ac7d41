"""Patterns compiled on first use (core.lazy_re): the parser's many patterns cost a fresh process
nothing until a document reaches them."""

from __future__ import annotations

import re

from zhenggai.core import phrases, roundinfo
from zhenggai.core.lazy_re import LazyPattern, lazy


def test_a_lazy_pattern_compiles_on_first_use_and_then_reads_as_the_compiled_one():
    pattern = lazy(r"(\d{4})年(\d{1,2})月")
    assert pattern._compiled is None  # nothing compiled yet
    text = "2024年8月反馈，2025年6月底前完成"
    compiled = re.compile(pattern.pattern)
    assert pattern.search(text).group(0) == compiled.search(text).group(0)
    assert pattern._compiled is not None
    assert [m.group(1) for m in pattern.finditer(text)] == ["2024", "2025"]
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.sub("X", text) == compiled.sub("X", text)
    assert pattern.sub(lambda m: m.group(1), text, count=1) == compiled.sub(
        lambda m: m.group(1), text, count=1
    )
    assert pattern.split(text) == compiled.split(text)
    assert pattern.match(text, 0) is not None and pattern.match(text, 1) is None
    assert pattern.fullmatch("2024年8月") is not None


def test_flags_are_kept():
    assert lazy(r"no\.", re.IGNORECASE).search("NO.3") is not None


def test_the_readers_patterns_are_lazy():
    """The round reader's and the phrase table's module patterns wait for their first use."""
    for module in (roundinfo, phrases):
        patterns = [value for value in vars(module).values() if isinstance(value, LazyPattern)]
        assert patterns, module.__name__
        assert not [value for value in vars(module).values() if isinstance(value, re.Pattern)], (
            module.__name__
        )
