"""The characters the paragraph patterns open with, as phrases.py writes them out for the quick tests
before the patterns (a paragraph that opens with another character is not matched at all): read
here off each pattern by the engine's own parser, so that a word added to a pattern and not to its
set fails."""

from __future__ import annotations

from re import _parser  # type: ignore[attr-defined]

import pytest

from zhenggai.core import lazy_re
from zhenggai.core import phrases as ph


def _opening_chars(pattern: str) -> frozenset[str]:
    """The characters a match of ``pattern`` (``^``, white space, then words) may open with."""
    items = list(_parser.parse(pattern))
    while items and items[0][0] is lazy_re._sre.AT:  # ^
        items = items[1:]
    op, av = items[0]
    if op is lazy_re._sre.MAX_REPEAT and av[0] == 0:  # [\s\u3000]*
        items = items[1:]
    found = lazy_re._first(items)
    assert found is not None and not found[1], "the pattern opens with any character, or none"
    return frozenset(chr(int(item[2:], 16)) for item in found[0])


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        (ph.CLOSING, ph.CLOSING_FIRST),
        (ph.MARKER, ph.MARKER_FIRST),
        (ph.FIELD, ph.FIELD_FIRST),
        (ph.STATUS_LEAD, ph.STATUS_LEAD_FIRST),
        (ph.STATUS_LEAD_COMMA, ph.STATUS_LEAD_COMMA_FIRST),
    ],
    ids=["closing", "marker", "field", "status_lead", "status_lead_comma"],
)
def test_opening_chars_are_the_patterns(pattern, chars):
    assert _opening_chars(pattern.pattern) == chars


@pytest.mark.parametrize(
    ("function", "line"),
    [
        (ph.marker, "整改措施：一是…"),
        (ph.marker, "  整改情况：已完成"),
        (ph.status_lead, "已整改到位。"),
        (ph.status_lead, "\u3000目前，该问题已完成整改。"),
        (ph.status_lead_comma, "尚未整改，原因是…"),
    ],
)
def test_quick_tests_pass_what_the_patterns_match(function, line):
    assert function(line) is not None


def test_quick_tests_refuse_other_lines():
    assert ph.marker("按照要求：一是…") is None  # a colon, but no marker's first character
    assert ph.marker("整改措施一是…") is None  # no colon
    assert ph.split_fields("按照要求：…") is None
    assert ph.status_lead("按照要求已完成。") is None
