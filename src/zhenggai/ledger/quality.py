"""Hints on a measure's quality for whoever writes or reviews it: slogans (喊口号) and copies
(照抄照搬), from `core.quality`. Copies are looked for among the measures the user may see, so a
hint never tells of a round the user could not open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zhenggai.core.quality import fingerprint, slogan_reasons
from zhenggai.ledger.access import visible_measures
from zhenggai.ledger.models import Measure

MAX_COPIES_SHOWN = 5


@dataclass(frozen=True)
class Copy:
    """The same measure in another plan."""

    measure_id: int
    problem_id: int
    round_title: str
    unit: str


@dataclass(frozen=True)
class MeasureQuality:
    slogan: tuple[str, ...] = ()
    copies: list[Copy] = field(default_factory=list)
    copies_total: int = 0

    def __bool__(self) -> bool:
        return bool(self.slogan or self.copies_total)


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
    result = {}
    for measure in measures:
        copies = [c for round_id, c in same.get(measure.text_fingerprint, []) if round_id != measure.round_id]
        result[measure.pk] = MeasureQuality(
            slogan=slogan_reasons(measure.text), copies=copies[:MAX_COPIES_SHOWN], copies_total=len(copies)
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
    hints = []
    for cite, number, text, key in measures:
        slogan = slogan_reasons(text)
        copies = [copy for _round, copy in found.get(key, [])][:MAX_COPIES_SHOWN] if key else []
        if slogan or copies:
            hints.append(PlanHint(cite=cite, number=number, text=text, slogan=slogan, copies=copies))
    return hints
