"""The escalation ladder (提醒梯度): which step a measure is on, on a given day, and who hears of it.

Plain Python, no database: `services` feeds it numbers and policies.

    green   (绿灯)  from `green_days` before the deadline   → the person doing it (具体责任人)
    yellow  (黄灯)  from `yellow_days` before the deadline  → also the responsible leader (分管领导)
    red     (红灯)  the deadline has passed, not finished   → also the unit's principal leader
                    (again every `red_repeat_days` while       (主要负责人) and the inspection office
                    it stays so; 0: once)
    recheck (复查)  a long-term measure's `next_check_on`   → the person doing it, the leader
                    has come (长期整改回头看)                    and the inspection office, which checks

Steps use thresholds, not exact days: a run missed on day -20 still sends the green notice on
day -18. A measure first seen when already overdue gets the red notice only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from zhenggai.ledger.workflow import DONE_STATES


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
    # Told of a step of the cycle (reminders/notices.py), not by the ladder:
    DEPARTMENT = "department"  # 牵头部门, who signs for the task
    REVIEWER = "reviewer"  # the unit leader who confirms a submission (本单位审核)
    HANDLER = "handler"  # 经办人: whoever asked for the closing or for more time


ROLES_BY_LEVEL: dict[Level, tuple[Role, ...]] = {
    Level.GREEN: (Role.DOER,),
    Level.YELLOW: (Role.DOER, Role.LEADER),
    Level.RED: (Role.DOER, Role.LEADER, Role.PRINCIPAL, Role.OFFICE),
    Level.RECHECK: (Role.DOER, Role.LEADER, Role.OFFICE),
}


@dataclass(frozen=True)
class Policy:
    """An office's ladder; the database row is `models.EscalationPolicy`."""

    green_days: int = 20
    yellow_days: int = 10
    notify_office_when_overdue: bool = True
    enabled: bool = True
    red_repeat_days: int = 7  # an overdue measure is reminded of again this often; 0: once

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


def repeat_for(*, level: Level, deadline: datetime.date, today: datetime.date, policy: Policy) -> int:
    """Which time this step is reached: 0, then for an overdue measure 1, 2… every
    `red_repeat_days` (days 1, 8, 15… after the deadline with the default 7)."""
    if level != Level.RED or policy.red_repeat_days <= 0:
        return 0
    return max(0, (today - deadline).days - 1) // policy.red_repeat_days


def roles_for(level: Level, policy: Policy) -> tuple[Role, ...]:
    roles = ROLES_BY_LEVEL[level]
    if level == Level.RED and not policy.notify_office_when_overdue:
        roles = tuple(r for r in roles if r != Role.OFFICE)
    return roles


def is_done(status: str) -> bool:
    return status in DONE_STATES
