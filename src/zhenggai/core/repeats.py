"""Findings that come back (屡查屡犯): a problem a unit's new round names that one of its earlier
rounds named already, told from the category and the wording of the two statements.

The wording is compared with the near-copy machinery of :mod:`zhenggai.core.quality`: a
statement is reduced to its two-character pieces (the unit's own names, figures, punctuation and
spacing left out, see :func:`~zhenggai.core.quality.normalise_for_copies`), and two statements
repeat when enough of their pieces are shared (Jaccard). Before that, the words with which a
回头看 report restates a finding ("上轮巡察指出的……问题仍然存在", "整改不彻底") are taken out of
both: they say that a finding is old, not which finding it is.

A restated finding keeps far fewer of its pieces than a copied measure keeps of its source (the
figures and the examples change: "抽查发现3个村仍有白条入账凭证21张" becomes "…2个村…9张"), so
the threshold is much lower than a near copy's. It was chosen on the labelled pairs of
``tests/data/repeats/pairs.json`` (tests/repeats/test_matching.py prints precision and recall).

Candidates come from MinHash bands of **one** row each (:func:`repeat_bands`), filed by the
top-level category: two statements sharing a fifth of their pieces share a band with probability
1 − 0.8³⁰ > 0.999, so the bands lose no pair above the threshold, while statements of other
categories never meet. Lookups go through a dictionary of bands, never over all pairs.

Categories are dotted codes ("conduct.eight_rules"): two problems may repeat when the part before
the first dot is the same. A problem filed under "other" (unclassified, or classified by a rule
that found nothing) may repeat one of any category, but only when the statements are very close
(:data:`OTHER_SIMILARITY`): an unclassified statement is the likeliest to be misfiled, and the
stricter threshold keeps the loose category from matching on a shared heading alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from zhenggai.core.quality import (
    FINGERPRINT_MIN_CHARS,
    SHINGLE_CHARS,
    SKETCH_BANDS,
    SKETCH_ROWS,
    _piece_values,
    normalise_for_copies,
    similarity,
)

# Share of two-character pieces (Jaccard) from which two statements of one category are the same
# finding; chosen on tests/data/repeats/pairs.json (precision 0.90, recall 0.78 there; at 0.16 recall
# rises to 0.87 but precision falls to 0.88, at 0.25 precision 0.94 and recall 0.75).
REPEAT_SIMILARITY = 0.2
# A problem of the catch-all category "other" repeats one of another category only from here.
OTHER_SIMILARITY = 0.5
OTHER = "other"
# One band per hash function of core.quality's sketch (its 30 fixed permutations): see above.
REPEAT_BANDS = SKETCH_BANDS * SKETCH_ROWS
_LOW_BITS = (1 << 48) - 1
_ANY_CATEGORY = "*"  # the key under which every statement's bands are also filed, for "other"

# How a 回头看 or a later report restates an old finding, not what the finding is; longest first.
RESTATING_WORDS = tuple(
    sorted(
        {
            "上轮巡察指出的",
            "上轮巡视指出的",
            "原巡察指出的",
            "原巡视指出的",
            "上轮审计指出的",
            "上轮审计发现的",
            "上轮督察指出的",
            "上一轮巡察",
            "上轮巡察后",
            "问题整改不到位",
            "问题整改不彻底",
            "整改不到位",
            "整改不彻底",
            "问题仍然存在",
            "问题依然存在",
            "仍然存在",
            "依然存在",
            "仍有反弹",
            "仍有发生",
            "屡改屡犯",
            "问题",
            "仍然",
            "依然",
            "仍未",
            "仍有",
            "仍",
            "又",
            "关于",
            "审计发现",
            "督察发现",
            "巡察发现",
            "抽查发现",
        },
        key=len,
        reverse=True,
    )
)


def top_category(code: str) -> str:
    """The top-level part of a dotted category code ("conduct.eight_rules" → "conduct");
    "other" for an empty code."""
    return (code or "").split(".", 1)[0].strip() or OTHER


def statement_core(text: str, names: Iterable[str] = ()) -> str:
    """A statement as :func:`~zhenggai.core.quality.normalise_for_copies` leaves it, without the
    words that restate an old finding (:data:`RESTATING_WORDS`)."""
    core = normalise_for_copies(text, names)
    for words in RESTATING_WORDS:
        core = core.replace(unicodedata.normalize("NFKC", words), "")
    return core


def statement_pieces(text: str, names: Iterable[str] = ()) -> frozenset[str]:
    """The two-character pieces of :func:`statement_core`; empty for a statement too short to
    tell one finding from a common phrase (as core.quality counts it)."""
    core = statement_core(text, names)
    if len(core) < FINGERPRINT_MIN_CHARS // 2:
        return frozenset()
    return frozenset(core[i : i + SHINGLE_CHARS] for i in range(len(core) - SHINGLE_CHARS + 1))


def repeat_bands(pieces: frozenset[str], memo: dict[str, tuple[int, ...]] | None = None) -> list[str]:
    """The :data:`REPEAT_BANDS` band keys of a statement (``"7:9f03…"``), one MinHash value each,
    from its :func:`statement_pieces`. ``memo`` as for :func:`zhenggai.core.quality.sketch`."""
    if not pieces:
        return []
    memo = {} if memo is None else memo
    rows = []
    for p in pieces:
        values = memo.get(p)
        if values is None:
            values = memo[p] = _piece_values(p)
        rows.append(values)
    # The minimum itself, its low 48 bits in hexadecimal: already a uniform hash, and short
    # enough for the stored band (`"29:" + 12 digits`).
    return [
        f"{band}:{value & _LOW_BITS:012x}" for band, value in enumerate(map(min, zip(*rows, strict=True)))
    ]


def _filed_under(category: str) -> tuple[str, ...]:
    """The keys an earlier statement is filed under: its top-level category, and "any" (which a
    later "other" statement looks in)."""
    return top_category(category), _ANY_CATEGORY


def _looked_up_in(category: str) -> tuple[str, ...]:
    """Where a new statement looks: its own category and "other", or everywhere when it is "other"."""
    top = top_category(category)
    return (_ANY_CATEGORY,) if top == OTHER else (top, OTHER)


def matches(category_a: str, category_b: str, share: float) -> bool:
    """Whether two statements of these categories, sharing `share` of their pieces, are the same
    finding: same top-level category and `share` ≥ :data:`REPEAT_SIMILARITY`, or one of them
    "other" and `share` ≥ :data:`OTHER_SIMILARITY`."""
    a, b = top_category(category_a), top_category(category_b)
    if a == b:
        return share >= REPEAT_SIMILARITY
    if OTHER in (a, b):
        return share >= OTHER_SIMILARITY
    return False


@dataclass(frozen=True)
class Repeat:
    """A new problem that restates an earlier one."""

    new_id: int
    earlier_id: int
    similarity: float


Item = tuple[int, str, str]  # (id, category code, statement)


def match_repeats(
    earlier: Iterable[Item],
    new: Iterable[Item],
    names: Iterable[str] = (),
    memo: dict[str, tuple[int, ...]] | None = None,
) -> list[Repeat]:
    """The pairs (new, earlier) that are the same finding, best first for each new problem.

    `earlier` and `new` are (id, category, statement) — plain data, so that this runs on a
    database's rows, a document being imported or a benchmark's lists alike; `names` are the
    inspected unit's own names, left out of the statements. Near-linear: each statement is
    sketched once, the earlier ones are filed by band in a dictionary, and only those sharing a
    band with a new one are compared (candidates are same-category statements, or any statement
    for "other").

    ``memo`` (piece → its hashed values, as for :func:`zhenggai.core.quality.sketch`), when
    given, is shared by the calls: a caller matching unit after unit (a command, a benchmark)
    hashes each two-character piece once, which is most of the cost."""
    names = list(names)
    memo = {} if memo is None else memo
    filed: dict[tuple[str, str], list[int]] = {}
    earlier_rows: dict[int, tuple[str, frozenset[str]]] = {}
    for pk, category, statement in earlier:
        pieces = statement_pieces(statement, names)
        if not pieces:
            continue
        earlier_rows[pk] = (category, pieces)
        keys = _filed_under(category)
        for band in repeat_bands(pieces, memo):
            for key in keys:
                filed.setdefault((key, band), []).append(pk)
    found: list[Repeat] = []
    for pk, category, statement in new:
        pieces = statement_pieces(statement, names)
        candidates: set[int] = set()
        keys = _looked_up_in(category)
        for band in repeat_bands(pieces, memo):
            for key in keys:
                candidates.update(filed.get((key, band), ()))
        hits = []
        for other in candidates:
            if other == pk:
                continue
            other_category, other_pieces = earlier_rows[other]
            share = similarity(pieces, other_pieces)
            if matches(category, other_category, share):
                hits.append(Repeat(pk, other, round(share, 3)))
        found.extend(sorted(hits, key=lambda r: (-r.similarity, r.earlier_id)))
    return found
