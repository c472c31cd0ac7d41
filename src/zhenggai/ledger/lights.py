"""The deadline light (红黄绿灯) of a measure: computed when read, never stored.

red: past its deadline and not done; yellow: due within the configured number of days;
green: reported done (or closed), or comfortably ahead; none: no deadline set yet (itself something to fix).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import DONE_STATES, MeasureStatus

RED, YELLOW, GREEN, NONE = "red", "yellow", "green", "none"
LIGHTS = [RED, YELLOW, GREEN, NONE]
LIGHT_LABELS = {RED: _("Overdue"), YELLOW: _("Due soon"), GREEN: _("On track"), NONE: _("No deadline")}

# "Not done" is the list of open states, not NOT IN the done ones: `status IN (…) AND deadline < …`
# is two ranges of the (status, deadline, round) index, which a negation cannot use.
# Sorted, so that the SQL is the same text in every process.
DONE = sorted(DONE_STATES)
OPEN = sorted(set(MeasureStatus.values) - DONE_STATES)


def yellow_days() -> int:
    return int(settings.ZHENGGAI["YELLOW_LIGHT_DAYS"])


def light_expression(today: datetime.date, prefix: str = "", days: int | None = None) -> Case:
    """The light of each Measure row (reached through `prefix`) on `today`, as an SQL expression
    built from `light_q` (`days`: the yellow days, the configured ones by default)."""
    return Case(
        *[When(light_q(light, today, prefix, days), then=Value(light)) for light in LIGHTS],
        default=Value(NONE),
        output_field=CharField(),
    )


def light_of(
    status: str, deadline: datetime.date | None, today: datetime.date, days: int | None = None
) -> str:
    """The light of one measure read already, by the rule `light_q` writes in SQL (the tests hold
    the two together): a page lights its 50 rows here for less than the CASE of `light_expression`
    costs to build into its query."""
    if status in DONE_STATES:
        return GREEN
    if deadline is None:
        return NONE
    if deadline < today:
        return RED
    if deadline <= today + datetime.timedelta(days=yellow_days() if days is None else days):
        return YELLOW
    return GREEN


def light_q(light: str, today: datetime.date, prefix: str = "", days: int | None = None) -> Q:
    """The rule as a filter on Measure (reached through `prefix`), so a light filter uses the indexes.

    `days`: how many days before its deadline a measure turns yellow (the configured ones by default)."""
    done = Q(**{f"{prefix}status__in": DONE})
    not_done = Q(**{f"{prefix}status__in": OPEN})
    deadline = f"{prefix}deadline"
    due_soon = today + datetime.timedelta(days=yellow_days() if days is None else days)
    if light == RED:
        return not_done & Q(**{f"{deadline}__lt": today})
    if light == YELLOW:
        return not_done & Q(**{f"{deadline}__gte": today, f"{deadline}__lte": due_soon})
    if light == GREEN:
        return done | Q(**{f"{deadline}__gt": due_soon})
    if light == NONE:
        return not_done & Q(**{f"{deadline}__isnull": True})
    raise ValueError(f"unknown light {light!r}")
