"""Hints on a measure's quality for whoever writes or reviews it: slogans (喊口号) and copies
(照抄照搬), from `core.quality`. Copies are looked for among the measures the user may see, so a
hint never tells of a round the user could not open."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhenggai.core.quality import slogan_reasons
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


def measure_quality(user, measure: Measure) -> MeasureQuality:
    """Why `measure` may be a slogan, and the same text in the user's other rounds (not its own)."""
    copies: list[Copy] = []
    total = 0
    if measure.text_fingerprint:
        same = (
            visible_measures(user)
            .filter(text_fingerprint=measure.text_fingerprint)
            .exclude(round_id=measure.round_id)
        )
        total = same.count()
        rows = same.order_by("-round__feedback_date", "pk").values_list(
            "pk", "problem_id", "round__title", "round__inspected_unit__name"
        )[:MAX_COPIES_SHOWN]
        copies = [Copy(*row) for row in rows]
    return MeasureQuality(slogan=slogan_reasons(measure.text), copies=copies, copies_total=total)
