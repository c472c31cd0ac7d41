"""What each signal means, in words for the people who read it (Chinese first, via gettext)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhenggai.core.signals import (
    BURST_DAYS,
    BURST_ENTRIES,
    SITTING_DAYS,
    SITTING_MEASURES,
    SITTING_MINUTES,
)
from zhenggai.signals.models import SignalKey


@dataclass(frozen=True)
class Signal:
    key: str
    title: str | Promise
    template: str | Promise  # translated when shown, then filled with `params`
    params: tuple[tuple[str, int], ...] = ()

    @property
    def explanation(self) -> str:
        return str(self.template) % dict(self.params) if self.params else str(self.template)


SIGNALS: dict[str, Signal] = {
    s.key: s
    for s in [
        Signal(
            SignalKey.SLOGAN,
            SignalKey.SLOGAN.label,
            _(
                "The measure only declares an attitude (strengthen, improve, implement strictly…) and names "
                "nothing that could be checked afterwards: no document to write, no meeting or check to hold, "
                "no number, no date, nobody in charge."
            ),
        ),
        Signal(
            SignalKey.COPY,
            SignalKey.COPY.label,
            _(
                "The same measure, word for word or with a few words changed (the unit's name, a period, a "
                "figure), is in the plan of another round you may see: the plan may have been copied rather "
                "than written against this unit's problems."
            ),
        ),
        Signal(
            SignalKey.NO_EVIDENCE,
            SignalKey.NO_EVIDENCE.label,
            _("The measure is reported done, but no evidence file was uploaded for it."),
        ),
        Signal(
            SignalKey.EVIDENCE_LATE,
            SignalKey.EVIDENCE_LATE.label,
            _(
                "Evidence was uploaded after the measure was reported done (after the closing request, or "
                "on a later day than the completion date): the claim came before its proof."
            ),
        ),
        Signal(
            SignalKey.DEADLINE_EARLY,
            SignalKey.DEADLINE_EARLY.label,
            _(
                "The measure's deadline is earlier than the day the findings were handed over: it cannot "
                "have been planned against them (often a date left from another plan)."
            ),
        ),
        Signal(
            SignalKey.UNRELATED,
            SignalKey.UNRELATED.label,
            _(
                "The measure shares no key term with its problem (the words of two to four characters of "
                "the problem, without the words every report uses, such as problem, rectification, work, "
                "strengthen, implement): it may not answer this problem."
            ),
        ),
        Signal(
            SignalKey.BURST,
            SignalKey.BURST.label,
            _(
                "Progress was written down in a rush: at least %(entries)d entries of the measure, more than "
                "half of all its entries, recorded in the %(days)d days before its deadline or a closing "
                "review; or one person entered progress on %(measures)d or more measures within "
                "%(minutes)d minutes, each due within %(sitting_days)d days."
            ),
            (
                ("entries", BURST_ENTRIES),
                ("days", BURST_DAYS),
                ("measures", SITTING_MEASURES),
                ("minutes", SITTING_MINUTES),
                ("sitting_days", SITTING_DAYS),
            ),
        ),
    ]
}
