"""Regular expressions compiled when first used, and searched with a first-character test.

The parser holds some two hundred patterns, and CPython compiles each character class over the
CJK range in 1–3 ms: compiled at import, they would cost a fresh ``zhenggai parse`` process about
a tenth of a second, most of it for patterns a given document never reaches (the audit office of
an audit report, an environmental inspection group, a ledger's column names…). A
:class:`LazyPattern` compiles on its first search and then behaves as the compiled pattern.

Once compiled, a lazy pattern's methods are the compiled pattern's own (bound on the instance), so
a search costs no more than ``re.Pattern.search``. Most of the parser's patterns are lists of words
(``整改|问题|措施…``) or start with an anchor, a look-behind or an optional run of spaces, and CPython's
engine then tries every alternative at every position of a line. Where every match must begin with
one of a known set of characters (:func:`first_characters`), ``search`` and the methods that search
first scan the text for any of them with a one-class pattern, which the engine does quickly, and
find nothing at once when none is there: most lines hold none of the characters a pattern needs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

try:  # the parser of the standard library's engine (3.11+; sre_parse before)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an older or another Python: no first-character test
    _sre = _sre_parse = None

_SEARCHING = ("search", "finditer", "findall", "sub", "subn", "split")
SEARCHES_BEFORE_TEST = 8
_METHODS = ("match", "fullmatch", *_SEARCHING)
# How a character class is written back for the first-character test (the same class in a pattern).
_CATEGORIES = (
    {
        _sre.CATEGORY_DIGIT: r"\d",
        _sre.CATEGORY_SPACE: r"\s",
        _sre.CATEGORY_WORD: r"\w",
    }
    if _sre is not None
    else {}
)


class LazyPattern:
    """A pattern compiled on first use, with the methods of :class:`re.Pattern` the parser uses.

    Before the first use the methods are found by ``__getattr__``, which compiles the pattern and
    sets them on the instance: from then on ``PATTERN.search`` is a bound method of the compiled
    pattern (or, for the searching methods of a pattern with a first-character test, a function
    that runs that test first). The test is made once the pattern has searched
    :data:`SEARCHES_BEFORE_TEST` texts: reading the pattern for it costs a tenth of a millisecond or
    so, which a pattern searched once or twice in a fresh process would not win back. (Eight, not
    more: a process that reads many documents, an import or the benchmark, had the tests of the
    patterns the first few documents reach rarely made within its first documents, not spread over
    the next hundreds — measured, 32 made 83 of them over eight passes of the corpus after the
    first, 1 % of their time; one ``zhenggai parse`` of a 5 KB report takes 1 ms more with eight.)"""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._searches = 0

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._bind()
        assert self._compiled is not None
        return self._compiled

    def _bind(self) -> None:
        compiled = re.compile(self.pattern, self.flags)
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        if _sre_parse is not None:
            for name in _SEARCHING:
                setattr(self, name, self._counted(getattr(compiled, name)))
        self._compiled = compiled

    def _counted(self, method: Callable[..., Any]) -> Callable[..., Any]:
        """``method``, counting the searches until the first-character test is made."""

        def counted(*args: Any, **kwargs: Any) -> Any:
            self._searches += 1
            if self._searches >= SEARCHES_BEFORE_TEST:
                self._test_first()
            return method(*args, **kwargs)

        return counted

    def _test_first(self) -> None:
        """The searching methods from now on: the compiled pattern's, with the first-character test
        before them where there is one."""
        compiled = self.compiled
        for name in _SEARCHING:
            setattr(self, name, getattr(compiled, name))
        first = first_characters(compiled)
        if first is not None:
            for name, method in _with_first_test(compiled, first).items():
                setattr(self, name, method)

    def __getattr__(self, name: str) -> Any:
        # Only reached while the pattern is not compiled yet (or for a name it does not have).
        if name in _METHODS:
            self._bind()
            return getattr(self, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

    if TYPE_CHECKING:  # the methods set on the instance by _bind, as re.Pattern has them

        def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None: ...

        def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None: ...

        def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None: ...

        def finditer(
            self, string: str, pos: int = 0, endpos: int = sys.maxsize
        ) -> Iterator[re.Match[str]]: ...

        def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]: ...

        def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str: ...

        def subn(
            self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
        ) -> tuple[str, int]: ...

        def split(self, string: str, maxsplit: int = 0) -> list[Any]: ...


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile``, deferred to the first use."""
    return LazyPattern(pattern, flags)


def first_characters(compiled: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern that finds, in a text, where a match of ``compiled`` could start: the two characters
    every match starts with (``[FIRST][SECOND]``: one of the characters a match may start with,
    followed by one that may come second), or, when the second cannot be told, one of the first
    characters. None where the engine already scans for the start on its own (a pattern that opens
    with a literal, a class, or words that each open with a literal), or where there is no such
    test: the pattern may match the empty string, start with any character (``.``, ``[^…]``), or
    ignores case."""
    if _sre_parse is None or compiled.flags & re.IGNORECASE or not isinstance(compiled.pattern, str):
        return None
    try:
        items = list(_sre_parse.parse(compiled.pattern, compiled.flags))
    except Exception:  # an engine whose parser reads otherwise: no test, no harm
        return None
    if _engine_scans_itself(items):
        return None  # a test first would only cost more (measured on the parser's patterns)
    flags = compiled.flags & re.ASCII
    two = _first_two(items)
    if two is not None and not (_broad(two[0]) and _broad(two[1])):
        return re.compile(_class(two[0]) + _class(two[1]), flags)
    found = _first(items)
    if found is None or found[1] or not found[0] or _broad(found[0]):
        # any character, the empty match (which matches anywhere), or one of so many characters
        # (any Han character, a word's) that every line of a report holds one
        return None
    return re.compile(_class(found[0]), flags)


_BROAD = 256  # a range of more characters than this (any Han character: 20,992) tells nothing


def _broad(items: list[str]) -> bool:
    """Whether the class items (as pattern text) hold a category of letters or a range of more
    than :data:`_BROAD` characters: a test for one of them finds one on nearly every line (and costs
    the engine a millisecond to compile)."""
    for item in items:
        if item == r"\w":
            return True
        if len(item) == 21 and item[10] == "-" and int(item[13:], 16) - int(item[2:10], 16) > _BROAD:
            return True  # \Uxxxxxxxx-\Uyyyyyyyy
    return False


def max_width(pattern: LazyPattern | re.Pattern[str]) -> int | None:
    """The most characters a match of ``pattern`` can span; None where that is unbounded (a ``*`` or
    a ``+``) or cannot be told (another engine)."""
    if _sre_parse is None or not isinstance(pattern.pattern, str):
        return None
    try:
        high = _sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[1]
    except Exception:  # an engine whose parser reads otherwise: no bound, no harm
        return None
    return None if high >= _sre.MAXREPEAT else int(high)


def _class(items: list[str]) -> str:
    return "[" + "".join(dict.fromkeys(items)) + "]"


def _first_two(items: list[Any]) -> tuple[list[str], list[str]] | None:
    """The class items a match of the sequence ``items`` may start with, and those its second
    character may be; None when that cannot be told (a repeat or a group that may be empty first,
    a match that may be one character long, any character…)."""
    while items and items[0][0] in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        items = items[1:]  # an anchor or a look-around takes no character
    if not items:
        return None
    (op, av), rest = items[0], items[1:]
    if op is _sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _first_two(list(av[3]) + rest)
    if op is _sre.BRANCH:
        firsts: list[str] = []
        seconds: list[str] = []
        for alternative in av[1]:
            found = _first_two(list(alternative) + rest)
            if found is None:
                return None
            firsts.extend(found[0])
            seconds.extend(found[1])
        return firsts, seconds
    if op in (_sre.LITERAL, _sre.IN):
        first = _first_of(op, av)
        after = _first(rest)
        if first is None or after is None or after[1]:
            return None  # any character first, or then, or a match of one character
        return first[0], after[0]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        low, high, (body,) = av
        first = _first_of(*body) if body[0] in (_sre.LITERAL, _sre.IN) else None
        if first is None:
            return None
        if low >= 2:
            return first[0], first[0]
        after = _first(rest)
        if after is None or after[1]:
            return None
        return first[0], (first[0] if high > 1 else []) + after[0]
    return None


def _engine_scans_itself(items: list[Any]) -> bool:
    """Whether the engine finds the pattern's start on its own (CPython's ``_compile_info``: a literal
    prefix, or a class, or alternatives that each open with a literal)."""
    while items and items[0][0] is _sre.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    if op in (_sre.LITERAL, _sre.IN):
        return True
    return op is _sre.BRANCH and all(len(alt) and alt[0][0] is _sre.LITERAL for alt in av[1])


def _first(items: list[Any]) -> tuple[list[str], bool] | None:
    """The class items (as pattern text) a match of the sequence ``items`` may start with, and whether
    it may match the empty string; None when it may start with any character."""
    out: list[str] = []
    for op, av in items:
        found = _first_of(op, av)
        if found is None:
            return None
        out.extend(found[0])
        if not found[1]:
            return out, False
    return out, True


def _first_of(op: Any, av: Any) -> tuple[list[str], bool] | None:
    if op is _sre.LITERAL:
        return [_char(av)], False
    if op is _sre.IN:
        out = []
        for item_op, item_av in av:
            if item_op is _sre.LITERAL:
                out.append(_char(item_av))
            elif item_op is _sre.RANGE:
                out.append(_char(item_av[0]) + "-" + _char(item_av[1]))
            elif item_op is _sre.CATEGORY and item_av in _CATEGORIES:
                out.append(_CATEGORIES[item_av])
            else:
                return None  # a negated class, another category
        return out, False
    if op is _sre.BRANCH:
        out, empty = [], False
        for alternative in av[1]:
            found = _first(list(alternative))
            if found is None:
                return None
            out.extend(found[0])
            empty = empty or found[1]
        return out, empty
    if op is _sre.SUBPATTERN:
        if av[1] & re.IGNORECASE:
            return None
        return _first(list(av[3]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        found = _first(list(av[2]))
        return None if found is None else (found[0], found[1] or av[0] == 0)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _first(list(av))
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return [], True  # an anchor or a look-around takes no character: what follows starts the match
    return None  # any character, a back reference, a conditional…


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _with_first_test(compiled: re.Pattern[str], first: re.Pattern[str]) -> dict[str, Callable[..., Any]]:
    """The searching methods of ``compiled``, each returning what the pattern returns when it finds
    nothing as soon as ``first`` finds no character a match could start with."""
    find_first = first.search
    search, finditer, findall = compiled.search, compiled.finditer, compiled.findall
    sub, subn, split = compiled.sub, compiled.subn, compiled.split

    # No match starts before the first place the test finds: the pattern is searched from there (a
    # look-behind still sees what stands before it).
    def searched(string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        found = find_first(string, pos, endpos)
        if found is None:
            return None
        return search(string, found.start(), endpos)

    def iterated(string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        found = find_first(string, pos, endpos)
        if found is None:
            return iter(())
        return finditer(string, found.start(), endpos)

    def found_all(string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        found = find_first(string, pos, endpos)
        if found is None:
            return []
        return findall(string, found.start(), endpos)

    def substituted(repl: Any, string: str, count: int = 0) -> str:
        if find_first(string) is None:
            return string
        return sub(repl, string, count)

    def substituted_n(repl: Any, string: str, count: int = 0) -> tuple[str, int]:
        if find_first(string) is None:
            return string, 0
        return subn(repl, string, count)

    def split_at(string: str, maxsplit: int = 0) -> list[Any]:
        if find_first(string) is None:
            return [string]
        return split(string, maxsplit)

    return {
        "search": searched,
        "finditer": iterated,
        "findall": found_all,
        "sub": substituted,
        "subn": substituted_n,
        "split": split_at,
    }
