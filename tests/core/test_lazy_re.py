"""Patterns compiled on first use (core.lazy_re): the parser's many patterns cost a fresh process
nothing until a document reaches them."""

from __future__ import annotations

import re

from zhenggai.core import phrases, roundinfo
from zhenggai.core.lazy_re import LazyPattern, first_characters, lazy, max_width


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


def test_a_pattern_of_words_after_an_anchor_gets_a_first_character_test():
    """``^(?:当前位置|位置)[:：]|上一篇``: every match starts with 当, 位 or 上, so a line holding none
    of them is passed over without trying the alternatives at every position."""
    first = first_characters(re.compile(r"^(?:当前位置|位置)[:：]|上一篇|(?<=[。])\d{2}|[\s\u3000]*[第（]"))
    assert first is not None
    assert first.search("整改措施：一是加强学习") is None
    for text in ("当前位置：首页", "上一篇", "。12", "第一", "\u3000（一）", " 第"):
        assert first.search(text) is not None, text


def test_no_first_character_test_where_a_match_may_start_anywhere():
    for pattern, flags in (
        (r"a*", 0),  # the empty match
        (r"(?:[^，。]{2,8})局", 0),  # any character but two
        (r"^.{2,8}?(?:省|市)", 0),
        (r"qq\d{5,}", re.IGNORECASE),  # letters of either case
        (r"整改|问题", 0),  # words that each open with a literal: the engine scans for them itself
    ):
        assert first_characters(re.compile(pattern, flags)) is None, pattern


def test_no_first_character_test_for_a_class_every_line_holds_one_of():
    """A match that may start with any Han character (or a word's letter) gets no test: every line of
    a report holds one, and such a class costs the engine a millisecond to compile. A pair whose
    second character is one of a few keeps its test; so does a narrow range (Latin capitals)."""
    for pattern in (
        r"(?:^|(?<=[，,]))([\u4e00-\u9fff]{2,8}?(?:局|委))",
        r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,12}?(?:办公室|中心)",
        r"(?:^|(?<=\s))\w+局",
    ):
        assert first_characters(re.compile(pattern)) is None, pattern
    pair = first_characters(re.compile(r"(?:^|(?<=，))[\u4e00-\u9fff][省市]"))
    assert pair is not None and pair.search("某县人民政府") is None and pair.search("江岚省") is not None
    assert first_characters(re.compile(r"(?:^|(?<=，))[A-Z]{2}局")) is not None


def test_a_lazy_pattern_with_a_first_character_test_finds_what_the_compiled_one_finds():
    pattern = (
        r"QQ(?:群|号)?[\s:：号]*\d{5,}|仅供(?:学习|参考)|(?:开通|加入)会员|"
        r"(?:(?<=[\s\u3000。：:；;])|^)([一二三四五六七八九十]{1,3})、"
    )
    lazy_one, compiled = lazy(pattern), re.compile(pattern)
    texts = [
        "",
        "整改措施：一是加强学习",
        "资料来源：加QQ群 123456 开通会员",
        "一、总体情况。二、问题整改",
        "仅供参考",
        "已完成。三、下一步",
    ]
    for text in texts:
        for pos, endpos in ((0, len(text)), (1, len(text)), (0, max(len(text) - 2, 0))):
            found, expected = lazy_one.search(text, pos, endpos), compiled.search(text, pos, endpos)
            assert (found and found.span()) == (expected and expected.span()), (text, pos, endpos)
            assert lazy_one.findall(text, pos, endpos) == compiled.findall(text, pos, endpos)
            assert [m.span() for m in lazy_one.finditer(text, pos, endpos)] == [
                m.span() for m in compiled.finditer(text, pos, endpos)
            ]
        assert lazy_one.sub("#", text) == compiled.sub("#", text)
        assert lazy_one.subn("#", text, 1) == compiled.subn("#", text, 1)
        assert lazy_one.split(text) == compiled.split(text)
    assert first_characters(lazy_one.compiled) is not None  # the test above ran through the filter


def test_a_two_character_test_where_every_match_has_its_first_two_characters_known():
    """``(?<=[。；;])(?:已|正在)完成``: a match starts with 已 or 正 followed by 完 or 在, so a line
    with 已 but no such pair is passed over; where the second character cannot be told (an
    optional run first) the test looks for the first only."""
    two = first_characters(re.compile(r"(?<=[。；;])(?:已|正在)完成"))
    assert two is not None
    assert two.search("已经部署") is None and two.search("正在推进") is not None
    assert two.search("已完成") is not None
    assert first_characters(re.compile(r"(?<=[。])[\s\u3000]*已")).pattern.count("[") == 1


def test_the_parsers_lazy_patterns_find_what_their_compiled_patterns_find():
    """Every module pattern of the phrase table, the round reader, the title reader and the noise
    filter, searched (with its first-character test) over the corpus lines and parts of them,
    finds what the compiled pattern finds."""
    from pathlib import Path

    from zhenggai.core import noise, sections, titles
    from zhenggai.core.readers.text import read_text

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    lines = [
        line for path in sorted(corpus.glob("*.txt"))[:12] for line in read_text(path.read_bytes()).blocks
    ]
    assert lines
    for module in (phrases, roundinfo, titles, noise, sections):
        for value in vars(module).values():
            if not isinstance(value, LazyPattern):
                continue
            compiled = re.compile(value.pattern, value.flags)
            for line in lines:
                for pos in (0, 3):
                    found, expected = value.search(line, pos), compiled.search(line, pos)
                    assert (found and found.span()) == (expected and expected.span()), (value, line)
                assert value.findall(line) == compiled.findall(line), (value, line)


def test_the_first_character_test_is_made_once_a_pattern_has_searched_enough_texts():
    """A pattern searched a few times in a fresh process (``zhenggai parse`` on one file) does not
    pay for reading itself for the test; one searched often gets it, and finds the same."""
    from zhenggai.core import lazy_re

    pattern = lazy(r"(?<=[。；;])(?:已|正在)完成")
    compiled = re.compile(pattern.pattern)
    texts = ["工作已部署。已完成整改", "正在推进", "。正在完成"] * lazy_re.SEARCHES_BEFORE_TEST
    for count, text in enumerate(texts, start=1):
        found, expected = pattern.search(text), compiled.search(text)
        assert (found and found.span()) == (expected and expected.span())
        if count == 1:
            assert pattern._searches == 1  # counted, not tested yet
    assert pattern._searches >= lazy_re.SEARCHES_BEFORE_TEST
    assert pattern.search.__name__ == "searched"  # the test now runs first


def test_max_width_is_the_widest_match_or_none_when_unbounded():
    assert max_width(lazy(r"第[一二三]{1,3}(?:巡视|巡察)组")) == 7
    assert max_width(re.compile(r"(?:县委|市委)?第\d{1,2}组")) == 6
    assert max_width(lazy(r"巡察.*组")) is None
    assert max_width(lazy(r"(?:、第[一二])+组")) is None
