"""Which category a problem belongs to, by the office's rules: plain data in, a code out.

A rule is a category code, a kind and its terms:

- ``keywords``: any of a list of words (one a line, or separated by 、，,；;): matches a text
  containing one of them;
- ``pattern``: a regular expression, searched in the text.

Rules are tried in their order (their priority): the first that matches wins. The texts are tried
one after another, the problem's own words first (its one-line heading, then its statement), then
the headings above it: a rule that matches the problem's words wins over one that matches only its
section's heading (一、落实全面从严治党主体责任方面 decides only for the problems that say nothing a rule knows).

Patterns are written by office staff and run over every problem of a province, so they are
checked before they are kept (:func:`pattern_error`): no unbounded repeat (``*``, ``+``, ``{n,}``),
no repeat of a repeat or of alternatives (``(a|b){0,9}``), no back-reference, and the repeats'
counts (plus one) multiplied together at most :data:`MAX_REPEAT_PRODUCT`;
and every text is cut to :data:`MAX_TEXT` characters before it is searched. The engine's
backtracking is then bounded by the product of the repeat counts at each position of a bounded
text: no pattern can hang a worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from zhenggai.core.script import looks_traditional, t2s_converter

try:  # the standard library's regular-expression parser (3.11+; sre_parse before)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an older Python
    import sre_parse as _sre_parse  # type: ignore[no-redef]

KEYWORDS = "keywords"
PATTERN = "pattern"
KINDS = (KEYWORDS, PATTERN)

MAX_TEXT = 2000  # characters of one text searched: a problem's statement is rarely a tenth of it
MAX_PATTERN = 300  # characters of a pattern
MAX_TERMS = 200  # keywords of one rule
MAX_REPEAT_PRODUCT = 1000  # the repeats' maximum counts, multiplied
_SEPARATORS = re.compile(r"[\n\r、，,；;]+")


class PatternError(ValueError):
    """A pattern refused, with the reason as a code (`reason`) and the detail of the engine."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# The reasons a pattern is refused (the web page says each in Chinese).
TOO_LONG = "too_long"
EMPTY = "empty"
SYNTAX = "syntax"
UNBOUNDED = "unbounded"
BACKREFERENCE = "backreference"
TOO_MANY_REPEATS = "too_many_repeats"
NESTED_REPEAT = "nested_repeat"
MATCHES_EMPTY = "matches_empty"


@dataclass(frozen=True)
class Rule:
    """A rule as stored: the code it sets, its kind and its terms (keywords or a pattern)."""

    code: str
    kind: str
    terms: str
    key: int | None = None  # the stored rule's id, for the caller to say which rule decided


@dataclass(frozen=True)
class Compiled:
    rule: Rule
    words: tuple[str, ...]
    regex: re.Pattern[str] | None

    def matches(self, text: str) -> bool:
        if self.regex is not None:
            return self.regex.search(text) is not None
        return any(word in text for word in self.words)


def keywords(terms: str) -> list[str]:
    """The words of a keywords rule, in order, once each, blanks dropped."""
    words = (word.strip() for word in _SEPARATORS.split(terms or ""))
    return list(dict.fromkeys(word for word in words if word))


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _simple(items) -> bool:
    """Whether a repeated part is characters only (no repeat, no alternatives inside): the ways it
    can match a stretch of text are then bounded by its count, not exponential in it."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS or name in ("BRANCH", "GROUPREF", "GROUPREF_EXISTS"):
            return False
        if name == "SUBPATTERN" and not _simple(arg[-1]):
            return False
        if name in ("ATOMIC_GROUP", "ASSERT", "ASSERT_NOT"):
            return False
    return True


def _repeat_cost(items) -> int:
    """The product of the maximum counts of the repeats in a parsed pattern (alternatives add up):
    how many ways, at most, the pattern can try at one position of the text. Raises PatternError
    for what the checks refuse."""
    cost = 1
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, inner = arg
            if high == _sre_parse.MAXREPEAT:
                raise PatternError(UNBOUNDED)
            if not _simple(inner):
                raise PatternError(NESTED_REPEAT)
            cost *= max(int(high), 1) + 1
        elif name == "SUBPATTERN":
            cost *= _repeat_cost(arg[-1])
        elif name == "ATOMIC_GROUP":
            cost *= _repeat_cost(arg)
        elif name in ("ASSERT", "ASSERT_NOT"):
            cost *= _repeat_cost(arg[1])
        elif name == "BRANCH":
            cost *= max(1, sum(_repeat_cost(branch) for branch in arg[1]))
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise PatternError(BACKREFERENCE)
        if cost > MAX_REPEAT_PRODUCT:
            raise PatternError(TOO_MANY_REPEATS)
    return cost


def check_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled pattern if it may be kept as a rule, else PatternError with the reason."""
    if not pattern or not pattern.strip():
        raise PatternError(EMPTY)
    if len(pattern) > MAX_PATTERN:
        raise PatternError(TOO_LONG)
    try:
        parsed = _sre_parse.parse(pattern)
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise PatternError(SYNTAX, str(error)) from error
    _repeat_cost(list(parsed))
    if compiled.search("") is not None:
        # A pattern matching the empty text matches every problem: surely not what was meant.
        raise PatternError(MATCHES_EMPTY)
    return compiled


def pattern_error(pattern: str) -> PatternError | None:
    """Why `pattern` is refused, or None."""
    try:
        check_pattern(pattern)
    except PatternError as error:
        return error
    return None


def compile_rules(rules: Iterable[Rule]) -> list[Compiled]:
    """The rules ready to match, in the order given. A rule whose terms are refused (stored before
    the checks, or by hand) or that has no words is left out: it matches nothing."""
    compiled: list[Compiled] = []
    for rule in rules:
        if rule.kind == PATTERN:
            try:
                compiled.append(Compiled(rule, (), check_pattern(rule.terms)))
            except PatternError:
                continue
        elif rule.kind == KEYWORDS:
            words = tuple(keywords(rule.terms)[:MAX_TERMS])
            if words:
                compiled.append(Compiled(rule, words, None))
    return compiled


@cache
def _converter() -> Callable[[str], str] | None:
    return t2s_converter()  # OpenCC loads its dictionary once a process


def readable(text: str) -> str:
    """The text as the rules read it: cut to MAX_TEXT, in simplified characters (a report printed
    in traditional ones keeps them in the ledger; the rules are written in simplified)."""
    text = (text or "")[:MAX_TEXT]
    if text and looks_traditional(text):
        convert = _converter()
        if convert is not None:
            return convert(text)
    return text


def decide(texts: Sequence[str], rules: Sequence[Compiled]) -> Compiled | None:
    """The rule that decides, or None: the first text any rule matches, the first rule matching it."""
    for text in texts:
        text = readable(text)
        if not text:
            continue
        for rule in rules:
            if rule.matches(text):
                return rule
    return None


def classify(texts: Sequence[str], rules: Iterable[Rule | Compiled]) -> str | None:
    """The code the rules give the problem whose texts are `texts` (its own words first, then the
    headings above it), or None when no rule matches. Rules given as stored are compiled first
    (compile once with :func:`compile_rules` to classify many problems)."""
    items = list(rules)
    ready = [r for r in items if isinstance(r, Compiled)]
    ready += compile_rules(r for r in items if isinstance(r, Rule))
    found = decide(texts, ready)
    return found.rule.code if found is not None else None


def problem_texts(title: str, statement: str, headings: Sequence[str] = ()) -> list[str]:
    """The texts a problem is classified by, in order: its heading (the feedback's one-line summary
    of it), its statement (details, which name side matters too), then the headings above it,
    nearest first."""
    own = [title] if not statement or statement == title else [title, statement]
    return [*own, *(heading for heading in headings if heading)]
