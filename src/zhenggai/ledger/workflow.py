"""The life of a measure as one explicit state machine, and who may do what: both tables live here.

    未启动 ──start──▶ 整改中 ──submit──▶ 申请销号 ──confirm──▶ 单位已审核 ──close──▶ 已销号
                        ▲                  │ send_back               │ return           │ return (复查不合格)
                        └──────────────────┴─────────────────────────┴──────────────────┘
    已销号 (长期坚持) ──recheck──▶ 已销号, next check moved on

Every state change goes through `ledger.services.measure_transition`, which asks `check_transition`
here first; the UI offers only what `available_actions` returns, and the same check refuses any
other request, whatever door it came in by.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import DONE_STATES, MeasureStatus
from zhenggai.orgs.models import Role

__all__ = ["DONE_STATES", "ROLE_ACTIONS", "TRANSITIONS", "Action", "SystemRole"]


class Action(models.TextChoices):
    VIEW = "view", _("View")
    EDIT_MEASURE = "edit_measure", _("Add and edit measures")
    RECORD_PROGRESS = "record_progress", _("Record progress")
    ATTACH_EVIDENCE = "attach_evidence", _("Upload evidence")
    ACKNOWLEDGE = "acknowledge", _("Sign for the measure")  # 签收
    REQUEST_EXTENSION = "request_extension", _("Ask for more time")  # 申请延期
    DECIDE_EXTENSION = "decide_extension", _("Decide on more time")  # 审批延期
    START = "start", _("Start the work")
    SUBMIT = "submit", _("Report done, ask for closing")  # 申请销号
    CONFIRM = "confirm", _("Confirm for the unit")  # 本单位审核
    SEND_BACK = "send_back", _("Send back to the clerk")  # 单位退回
    CLOSE = "close", _("Close")  # 销号
    RETURN = "return", _("Return")  # 退回
    RECHECK = "recheck", _("Checked again: keep closed")  # 复查通过
    # Writes around the ledger, each checked against this same table by its view.
    ISSUE_REPORT = "issue_report", _("Issue a report")  # 出具报告: draft it, issue it once signed off
    SIGN_OFF_REPORT = "sign_off_report", _("Sign off a report")  # 领导签发, and its withdrawal
    ISSUE_RECEIPTS = "issue_receipts", _("Issue receipt slips")  # 群众回执
    OPEN_COMMENTS = "open_comments", _("Open a page for comments")  # 征求意见
    ANSWER_COMMENTS = "answer_comments", _("Answer comments from the public")
    IMPORT = "import", _("Import a document as a round")  # 导入
    EXPORT = "export", _("Export ledgers")  # 导出台账
    CONFIGURE_REMINDERS = "configure_reminders", _("Set the reminder ladder")  # 提醒设置
    MANAGE_PEOPLE = "manage_people", _("Manage people and organisation")  # 人员与机构 (orgs/access.py)


class SystemRole(models.TextChoices):
    """The administrator keeps accounts and settings; the ledger's business is the other roles'."""

    ADMIN = "admin", _("System administrator")


# Who may do what, in the rounds within their reach. One table, tested as a matrix; every POST of
# every page is checked against it (tests/web/test_post_matrix.py). Supervisors and system
# administrators read only: the administrator keeps accounts in the back office, not ledgers.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.UNIT_STAFF: frozenset(
        {
            Action.VIEW,
            Action.EDIT_MEASURE,
            Action.RECORD_PROGRESS,
            Action.ATTACH_EVIDENCE,
            Action.ACKNOWLEDGE,
            Action.REQUEST_EXTENSION,
            Action.START,
            Action.SUBMIT,
            Action.ISSUE_REPORT,
            Action.ISSUE_RECEIPTS,
            Action.OPEN_COMMENTS,
            Action.ANSWER_COMMENTS,
            Action.IMPORT,
            Action.EXPORT,
        }
    ),
    Role.UNIT_LEADER: frozenset(
        {
            Action.VIEW,
            Action.REQUEST_EXTENSION,
            Action.CONFIRM,
            Action.SEND_BACK,
            Action.SIGN_OFF_REPORT,
            Action.EXPORT,
        }
    ),
    Role.OFFICE_STAFF: frozenset(
        {
            Action.VIEW,
            Action.DECIDE_EXTENSION,
            Action.CLOSE,
            Action.RETURN,
            Action.RECHECK,
            Action.IMPORT,
            Action.EXPORT,
            Action.CONFIGURE_REMINDERS,
            Action.MANAGE_PEOPLE,
        }
    ),
    # The unit's administrator keeps its departments, people, logins and roles, and sets who
    # answers for each measure; the closing cycle stays with the clerk and the leader.
    Role.UNIT_ADMIN: frozenset({Action.VIEW, Action.EDIT_MEASURE, Action.EXPORT, Action.MANAGE_PEOPLE}),
    Role.SUPERVISOR: frozenset({Action.VIEW}),
    SystemRole.ADMIN: frozenset({Action.VIEW}),
}

S = MeasureStatus
# (state, action) -> the state it leads to. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.NOT_STARTED, Action.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.CONFIRM): S.CONFIRMED,
    (S.SUBMITTED, Action.SEND_BACK): S.IN_PROGRESS,
    (S.CONFIRMED, Action.CLOSE): S.CLOSED,
    (S.CONFIRMED, Action.RETURN): S.IN_PROGRESS,
    (S.CLOSED, Action.RECHECK): S.CLOSED,
    (S.CLOSED, Action.RETURN): S.IN_PROGRESS,
}

# A measure's content (its text, progress, evidence) changes only while the unit still works on
# it, so that what was submitted for review is what gets reviewed.
EDITABLE_STATES = frozenset({S.NOT_STARTED, S.IN_PROGRESS})

# Which actions need a written reason.
REASON_REQUIRED = frozenset({Action.SEND_BACK, Action.RETURN})


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def actions_for_roles(roles: frozenset[str] | set[str]) -> frozenset[str]:
    allowed: set[str] = set()
    for role in roles:
        allowed |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(allowed)


# The actions of the state machine: whoever holds none of them over a round may not post a step.
TRANSITION_ACTIONS = frozenset(action for _state, action in TRANSITIONS)


def is_done(state: str) -> bool:
    return state in DONE_STATES
