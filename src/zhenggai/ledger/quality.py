"""Hints on a measure's quality for whoever writes or reviews it: slogans (喊口号) and copies
(照抄照搬), word for word or near, from `core.quality`. Copies are looked for among the measures
the user may see, so a hint never tells of a round the user could not open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zhenggai.core.quality import (
    NEAR_COPY_SIMILARITY,
    fingerprint,
    shingles,
    similarity,
    sketch,
    slogan_reasons,
)
from zhenggai.ledger.access import visible_measures
from zhenggai.ledger.models import Measure, MeasureSketch
from zhenggai.ledger.services import units_names

MAX_COPIES_SHOWN = 5
# Measures sharing a MinHash band that are compared in full, at most: the cost of one page stays
# bounded where many plans of a county share their wording (those are found as exact copies).
MAX_NEAR_CANDIDATES = 300


@dataclass(frozen=True)
class Copy:
    """The same measure in another plan."""

    measure_id: int
    problem_id: int
    round_title: str
    unit: str


@dataclass(frozen=True)
class NearCopy:
    """Much the same measure in another plan, with a few words changed."""

    copy: Copy
    percent: int  # how much of the two texts is the same (Jaccard of their two-character pieces)


@dataclass(frozen=True)
class MeasureQuality:
    slogan: tuple[str, ...] = ()
    copies: list[Copy] = field(default_factory=list)
    copies_total: int = 0
    near: list[NearCopy] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.slogan or self.copies_total or self.near)


@dataclass(frozen=True)
class _Wanted:
    """A measure whose near copies are looked for."""

    key: Any
    round_id: int | None  # its own round's measures are not copies of it
    pieces: frozenset[str]
    fingerprint: str  # word-for-word copies are told apart already


def _near_copies(user, wanted: list[_Wanted]) -> dict[Any, list[NearCopy]]:
    """For each wanted measure, the measures the user may see in other rounds that share a MinHash
    band with it and most of its text, but are not word for word the same: two queries."""
    bands = {w.key: set(sketch(w.pieces)) for w in wanted}
    all_bands = set().union(*bands.values()) if bands else set()
    if not all_bands:
        return {}
    others = visible_measures(user).exclude(round_id__in={w.round_id for w in wanted if w.round_id})
    others = others.exclude(text_fingerprint__in={w.fingerprint for w in wanted if w.fingerprint})
    hits: dict[int, set[str]] = {}
    rows = MeasureSketch.objects.filter(band__in=all_bands, measure__in=others.values("pk"))
    for measure_id, band in rows.values_list("measure_id", "band")[: MAX_NEAR_CANDIDATES * 4]:
        hits.setdefault(measure_id, set()).add(band)
    candidates = (
        Measure.objects.filter(pk__in=list(hits)[:MAX_NEAR_CANDIDATES])
        .order_by("-round__feedback_date", "pk")
        .values_list(
            "pk",
            "problem_id",
            "round_id",
            "round__title",
            "round__inspected_unit__name",
            "round__inspected_unit__short_name",
            "text",
        )
    )
    compared = [
        (pk, round_id, Copy(pk, problem_id, title, unit), shingles(text, [n for n in (unit, short) if n]))
        for pk, problem_id, round_id, title, unit, short, text in candidates
    ]
    found: dict[Any, list[NearCopy]] = {}
    for w in wanted:
        near = []
        for pk, round_id, copy, pieces in compared:
            if round_id == w.round_id or not hits[pk] & bands[w.key]:
                continue
            share = similarity(w.pieces, pieces)
            if share >= NEAR_COPY_SIMILARITY:
                near.append(NearCopy(copy, round(100 * share)))
        found[w.key] = sorted(near, key=lambda n: -n.percent)[:MAX_COPIES_SHOWN]
    return found


def _copies(user, prints: set[str]) -> dict[str, list[tuple[int, Copy]]]:
    """The measures the user may see with each fingerprint, newest round first, with their round."""
    same: dict[str, list[tuple[int, Copy]]] = {}
    if not prints:
        return same
    rows = (
        visible_measures(user)
        .filter(text_fingerprint__in=prints)
        .order_by("-round__feedback_date", "pk")
        .values_list(
            "text_fingerprint", "round_id", "pk", "problem_id", "round__title", "round__inspected_unit__name"
        )
    )
    for key, round_id, pk, problem_id, round_title, unit in rows:
        same.setdefault(key, []).append((round_id, Copy(pk, problem_id, round_title, unit)))
    return same


def measures_quality(user, measures: list[Measure]) -> dict[int, MeasureQuality]:
    """For each measure, why it may be a slogan, and the same text in the user's other rounds
    (not its own round), in one query."""
    same = _copies(user, {m.text_fingerprint for m in measures if m.text_fingerprint})
    names = units_names({m.round_id for m in measures})
    near = _near_copies(
        user,
        [
            _Wanted(m.pk, m.round_id, shingles(m.text, names.get(m.round_id, [])), m.text_fingerprint)
            for m in measures
        ],
    )
    result = {}
    for measure in measures:
        copies = [c for round_id, c in same.get(measure.text_fingerprint, []) if round_id != measure.round_id]
        result[measure.pk] = MeasureQuality(
            slogan=slogan_reasons(measure.text),
            copies=copies[:MAX_COPIES_SHOWN],
            copies_total=len(copies),
            near=near.get(measure.pk, []),
        )
    return result


def measure_quality(user, measure: Measure) -> MeasureQuality:
    return measures_quality(user, [measure])[measure.pk]


@dataclass(frozen=True)
class PlanHint:
    """A measure of a plan being imported that reads like a slogan or copies one the user may see."""

    cite: str  # the item's numbering, e.g. 一、1.（2）
    number: int  # the measure's place under its item, from 1
    text: str
    slogan: tuple[str, ...]
    copies: list[Copy]
    near: list[NearCopy] = field(default_factory=list)


def _measures_of(nodes: list[dict[str, Any]], cite: str = "") -> Iterator[tuple[str, int, str]]:
    for node in nodes:
        here = cite + (node.get("label") or "")
        for number, measure in enumerate(node.get("measures") or [], start=1):
            yield here, number, measure.get("text") or ""
        yield from _measures_of(node.get("children") or [], here)


def plan_hints(user, ledger: dict[str, Any], unit_names: list[str]) -> list[PlanHint]:
    """The measures of a `zhenggai.ledger/1` plan worth a second look before it is saved.

    Copies are looked for, in one query, among the measures the user may see; `unit_names` are
    the inspected unit's own names, which a copy would have changed."""
    measures = [
        (cite, number, text, fingerprint(text, unit_names))
        for cite, number, text in _measures_of(ledger.get("sections") or [])
    ]
    found = _copies(user, {key for *_rest, key in measures if key})
    near = _near_copies(
        user,
        [
            _Wanted(index, None, shingles(text, unit_names), key)
            for index, (_c, _n, text, key) in enumerate(measures)
        ],
    )
    hints = []
    for index, (cite, number, text, key) in enumerate(measures):
        slogan = slogan_reasons(text)
        copies = [copy for _round, copy in found.get(key, [])][:MAX_COPIES_SHOWN] if key else []
        close = near.get(index, [])
        if slogan or copies or close:
            hints.append(
                PlanHint(cite=cite, number=number, text=text, slogan=slogan, copies=copies, near=close)
            )
    return hints
