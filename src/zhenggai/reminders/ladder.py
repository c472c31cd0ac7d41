"""The escalation ladder (提醒梯度): which step a measure is on, on a given day, and who hears of it.

Plain Python, no database: `services` feeds it numbers and policies.

    green   (绿灯)  from `green_days` before the deadline   → the person doing it (具体责任人)
    yellow  (黄灯)  from `yellow_days` before the deadline  → also the responsible leader (分管领导)
    red     (红灯)  the deadline has passed, not finished   → also the unit's principal leader
                                                              (主要负责人) and the inspection office
    recheck (复查)  a long-term measure's `next_check_on`   → the person doing it and the leader
                    has come (长期整改回头看)

Steps use thresholds, not exact days: a run missed on day -20 still sends the green notice on
day -18. A measure first seen when already overdue gets the red notice only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

try:
    from zhenggai.ledger.workflow import DONE_STATES
except ImportError:  # until the ledger's new workflow lands; "done" is the old finished state
    DONE_STATES = frozenset({"submitted", "confirmed", "closed", "done"})


class Level(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    RECHECK = "recheck"


class Role(StrEnum):
    """Why someone is told: also the order in which one person's several roles are resolved."""

    DOER = "doer"  # 具体责任人
    LEADER = "leader"  # 分管领导
    PRINCIPAL = "principal"  # 主要负责人
    OFFICE = "office"  # 巡察办
    CLERK = "clerk"  # 台账联络员, told instead of a doer the ledger does not name


ROLES_BY_LEVEL: dict[Level, tuple[Role, ...]] = {
    Level.GREEN: (Role.DOER,),
    Level.YELLOW: (Role.DOER, Role.LEADER),
    Level.RED: (Role.DOER, Role.LEADER, Role.PRINCIPAL, Role.OFFICE),
    Level.RECHECK: (Role.DOER, Role.LEADER),
}


@dataclass(frozen=True)
class Policy:
    """An office's ladder; the database row is `models.EscalationPolicy`."""

    green_days: int = 20
    yellow_days: int = 10
    notify_office_when_overdue: bool = True
    enabled: bool = True

    @property
    def horizon(self) -> int:
        """How many days ahead a deadline can be and still be on the ladder."""
        return max(self.green_days, self.yellow_days)


def level_for(*, deadline: datetime.date, today: datetime.date, policy: Policy) -> Level | None:
    """The step of an unfinished measure due on `deadline`, or None while it is still far off."""
    days_left = (deadline - today).days
    if days_left < 0:
        return Level.RED
    if days_left <= policy.yellow_days:
        return Level.YELLOW
    if days_left <= policy.green_days:
        return Level.GREEN
    return None


def roles_for(level: Level, policy: Policy) -> tuple[Role, ...]:
    roles = ROLES_BY_LEVEL[level]
    if level == Level.RED and not policy.notify_office_when_overdue:
        roles = tuple(r for r in roles if r != Role.OFFICE)
    return roles


def is_done(status: str) -> bool:
    return status in DONE_STATES
