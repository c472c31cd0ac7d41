"""我的待办: what one person must do now, one group per kind of task, each group one query.

Who sees which group follows their roles (orgs `Membership`, the rights table in ledger/workflow.py):

- the unit's clerk (单位联络员, unit staff of the unit) and the person in charge (具体责任人): measures to
  start, progress due by the reminder ladder, returned measures with the reason, evidence asked
  for, comments from the public to answer;
- the lead department (牵头部门, unit staff of a department): measures to sign for (签收);
- the unit leader: submissions to confirm (there is no step that signs a report, and issuing one is
  the clerk's: nothing to list);
- the inspection office (巡察办): measures to close, requests for more time, long-term re-checks due,
  units with overdue measures;
- the supervisor (纪委, read-only) and the system administrator: measures overdue past the last
  rung of the ladder.

Every query starts from what the user may see (`ledger.access.round_scope`) narrowed to the roles
that make the task theirs. The number of queries depends on the user's roles, never on the data:
a group is one query, its first `ITEMS_PER_GROUP` rows and its true total.

What a query costs is bounded at a province's size (3,000 units, 360,000 measures):

- a unit's groups (clerk, department, leader, unit administrator) read the unit's few rounds and
  count their rows in the same pass (a window over some tens of rows);
- the groups of an office or a supervisor, who follow the whole province, take their first rows in
  the order of an index and stop there, and take their totals from the tally (`ledger.tally`: the
  confirmed measures, the red ones by round) or from an index of the group's own few rows (pending
  requests for more time, long-term re-checks due). `rows` stays the definition of each group:
  the tests count it to check the totals (tests/todo/test_todo_totals.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, In
from django.db.models.sql import Query
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhenggai.comments.models import PublicComment
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger import tally
from zhenggai.ledger.access import memberships_of, round_scope, subtree_ids
from zhenggai.ledger.lights import LIGHT_LABELS, OPEN, light_expression
from zhenggai.ledger.models import (
    Acknowledgement,
    DeadlineExtension,
    EvidenceFile,
    ExtensionStatus,
    InspectionRound,
    Measure,
    MeasureStatus,
    ProgressEntry,
)
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.reminders.conf import setting
from zhenggai.reports.models import ReportState, ReportVersion

ITEMS_PER_GROUP = 10
# The request attribute where the page leaves its total for the navigation's badge.
COUNT_ATTR = "_zhenggai_todo_count"
# The navigation's badge on pages other than 我的待办 may be this old (the page itself always counts).
BADGE_SECONDS = 60
# The transitions that send a measure back to work with a reason the clerk must read.
RETURNS = [Action.RETURN.value, Action.SEND_BACK.value]

_MEASURE_FIELDS = [
    "pk",
    "problem_id",
    "problem__outline",
    "problem__label",
    "text",
    "deadline",
    "round__inspected_unit__name",
    "round__inspected_unit__short_name",
]


@dataclass(frozen=True)
class Item:
    """One thing to do, with the one link that does it."""

    numbering: str
    text: str
    unit: str
    deadline: datetime.date | None
    light: str
    url: str
    reason: str = ""
    detail: str = ""

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS.get(self.light, ""))


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    action: str | Promise  # what the link of each item does
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""  # the ledger filtered to the whole group, when a filter says it


@dataclass(frozen=True)
class _Spec:
    key: str
    title: str | Promise
    action: str | Promise
    rows: Callable[[Any, datetime.date], QuerySet]
    item: Callable[[dict], Item]
    order: tuple[str, ...] = ("deadline", "pk")
    more: str = ""  # the ledger's filter that lists the whole group, e.g. "status=confirmed"
    # The group's size as an SQL expression, where something cheaper than counting every row of
    # `rows` answers (the tally, a narrow index). `rows` stays what the group is: its items, and what
    # the tests count the total against. None: `rows` counted (by a subquery run once).
    total: Callable[[Any, datetime.date], Any] | None = None
    # Rows that are not measures but one per unit, read by their own query: (first rows, total).
    read: Callable[[Any, datetime.date], tuple[list[dict], int]] | None = None
    # The rows of a unit's few rounds (a clerk's, a leader's): the page counts them in the same pass
    # (a window over some tens of rows), so that the query is built and planned once, not twice.
    few: bool = False
    # The rows the first items are taken from, where no index gives the group's order: (spec, rows,
    # today) to a query of a few of them.
    firsts: Callable[[Any, QuerySet, datetime.date], QuerySet] | None = None
    # A group of a read shared with other groups (`among`, read once a page), its rows those that
    # pass `keep`, in the read's order.
    among: Callable[[Any, datetime.date], list[dict]] | None = None
    keep: Callable[[dict, datetime.date], bool] | None = None


# --- who holds which task ----------------------------------------------------------------------


def _roles(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def _composed(sql: str, params: list, output_field=None) -> RawSQL:
    """SQL composed here from Django's own (`query.sql_with_params()`) and this module's names, its
    parameters kept apart: nothing of the user's is pasted in."""
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611


def _rounds(user, roles: set[str]) -> QuerySet:
    """The ids of the rounds these roles of the user reach, as a subquery."""
    return InspectionRound.objects.filter(round_scope(user, roles=frozenset(roles))).order_by().values("pk")


def _scope(user, roles: set[str], prefix: str = "round__") -> Q:
    """The rows of the rounds these roles of the user reach, through `prefix` ("round__" …): as
    the ids of those rounds, read first in a subquery, so that the database starts from the few
    rounds (by the index on the round column) instead of testing every measure of the province."""
    return Q(**{f"{prefix}in" if prefix else "pk__in": _rounds(user, roles)})


def _row_by_row(user, roles: frozenset[str] | None, prefix: str = "round__") -> Q:
    """The rows of the rounds these roles of the user reach (None: all of theirs, a superuser's
    every round), tested row by row (`tally.row_by_row_in`): for the groups of an inspection office
    or a supervisor, who follow nearly every round of the province and take their first rows in the
    order of an index (deadline, request time…)."""
    scope = round_scope(user, roles=roles)
    if not scope:  # every round
        return Q()
    return tally.row_by_row_in(f"{prefix}id", InspectionRound.objects.filter(scope).order_by().values("pk"))


def _office_scope(user, prefix: str = "round__") -> Q:
    return _row_by_row(user, frozenset({Role.OFFICE_STAFF}), prefix)


def _clerked_units(user, prefix: str = "round__") -> Q:
    """The rows of the units whose clerk the user is (a unit's staff, not a department's), with the
    units below them, through `prefix` ("round__", "call__round__")."""
    q = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.UNIT_STAFF and m.organisation.kind != OrgKind.DEPARTMENT:
            q |= Q(**{f"{prefix}inspected_unit_id__in": subtree_ids(m.organisation.path)})
    return q


def _clerk_q(user) -> Q:
    """Measures that are this person's to carry out: theirs as 具体责任人, and every measure of a
    unit whose clerk they are (the unit's staff, not a department's)."""
    return (Q(doer__user=user) | _clerked_units(user)) & _scope(user, {Role.UNIT_STAFF})


def _department_paths(user) -> list[str]:
    return [
        m.organisation.path
        for m in memberships_of(user)
        if m.role == Role.UNIT_STAFF and m.organisation.kind == OrgKind.DEPARTMENT
    ]


def _is_clerk(user) -> bool:
    return Role.UNIT_STAFF in _roles(user)


def _is_department(user) -> bool:
    return bool(_department_paths(user))


def _is_leader(user) -> bool:
    return Role.UNIT_LEADER in _roles(user)


def _is_office(user) -> bool:
    return Role.OFFICE_STAFF in _roles(user)


def _is_unit_admin(user) -> bool:
    return Role.UNIT_ADMIN in _roles(user)


def _is_watcher(user) -> bool:
    return Role.SUPERVISOR in _roles(user) or bool(getattr(user, "is_superuser", False))


# --- the rows of each group --------------------------------------------------------------------


def _measures(today: datetime.date) -> QuerySet[Measure]:
    return Measure.objects.annotate(light=light_expression(today))


class _NoIndex(Func):
    """A column the database must not look rows up by: `+column` on SQLite (its documented way to
    rule an index out), the column itself elsewhere."""

    template = "%(expressions)s"
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _unit_status(*statuses: str) -> Q:
    """The measures of a unit's groups in `statuses`. Those groups read a unit's few rounds: SQLite,
    which keeps no statistics, would rather walk the (status, deadline) index of the whole province
    for the order of the items, so the status is ruled out as its way in; PostgreSQL estimates both
    ways and starts from the rounds anyway."""
    column = _NoIndex(F("status"))
    return Q(Exact(column, statuses[0]) if len(statuses) == 1 else In(column, list(statuses)))


def _last_move() -> tuple[Subquery, Subquery]:
    """The measure's last transition and its reason, from the history (a unit's 退回 is kept only there)."""
    moves = (
        HistoryEntry.objects.filter(
            object_type="ledger.measure",
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            action="measure.transition",
        )
        .order_by("-seq")
        # The payload column is text (history.models.ChainPayloadField): read as JSON here.
        .annotate(document=Cast("payload", output_field=JSONField()))
    )
    return (
        Subquery(moves.annotate(t=KT("document__transition")).values("t")[:1]),
        Subquery(moves.annotate(r=KT("document__reason")).values("r")[:1]),
    )


def _in_work(user, today: datetime.date) -> QuerySet[Measure]:
    move, reason = _last_move()
    return (
        _measures(today)
        .filter(_clerk_q(user), _unit_status(MeasureStatus.IN_PROGRESS))
        .annotate(last_move=move, last_reason=reason)
    )


def _returned(user, today: datetime.date) -> QuerySet[Measure]:
    return _in_work(user, today).filter(Q(last_move__in=RETURNS))


def _not_returned() -> Q:
    return Q(last_move__isnull=True) | ~Q(last_move__in=RETURNS)


def _to_start(user, today: datetime.date) -> QuerySet[Measure]:
    return _measures(today).filter(_clerk_q(user), _unit_status(MeasureStatus.NOT_STARTED))


def _horizon(today: datetime.date) -> datetime.date:
    """The last deadline on the reminder ladder's first rung."""
    return today + datetime.timedelta(days=int(setting("REMINDER_GREEN_DAYS")))


def _progress_due(user, today: datetime.date) -> QuerySet[Measure]:
    """In work, not returned, and on the ladder: due within its first rung, or overdue."""
    return _in_work(user, today).filter(_not_returned(), deadline__lte=_horizon(today))


def _evidence_wanted(user, today: datetime.date) -> QuerySet[Measure]:
    """In work with progress recorded but no evidence yet: closing will ask for it."""
    return (
        _measures(today)
        .filter(_clerk_q(user), _unit_status(MeasureStatus.IN_PROGRESS))
        .filter(Exists(ProgressEntry.objects.filter(measure=OuterRef("pk"))))
        .exclude(Exists(EvidenceFile.objects.filter(measure=OuterRef("pk"))))
    )


def _unit_work(user, today: datetime.date) -> list[dict]:
    """The open measures that are the user's to carry out, with what the clerk's four groups of
    measures ask of each (its last move and the reason, whether progress and evidence are recorded),
    in the groups' order: one read of some tens of rows of the user's units, which the page parts
    among the groups (`_Spec.keep`), instead of four queries to build and plan."""
    move, reason = _last_move()
    rows = (
        _measures(today)
        .filter(_clerk_q(user), _unit_status(*OPEN))
        .annotate(
            last_move=move,
            last_reason=reason,
            noted=Exists(ProgressEntry.objects.filter(measure=OuterRef("pk"))),
            documented=Exists(EvidenceFile.objects.filter(measure=OuterRef("pk"))),
        )
    )
    return list(
        rows.values(*_M, "status", "last_move", "last_reason", "noted", "documented").order_by(
            "deadline", "pk"
        )
    )


# Each of the clerk's groups of measures as a test of one row of `_unit_work`: what the group's
# `rows` ask in SQL (tests/todo/test_todo_totals.py holds the two to the same answers).
def _is_returned(row: dict, today: datetime.date) -> bool:
    return row["status"] == MeasureStatus.IN_PROGRESS and row["last_move"] in RETURNS


def _is_to_start(row: dict, today: datetime.date) -> bool:
    return row["status"] == MeasureStatus.NOT_STARTED


def _is_progress_due(row: dict, today: datetime.date) -> bool:
    deadline = row["deadline"]
    return (
        row["status"] == MeasureStatus.IN_PROGRESS
        and row["last_move"] not in RETURNS
        and deadline is not None
        and deadline <= _horizon(today)
    )


def _is_evidence_wanted(row: dict, today: datetime.date) -> bool:
    return row["status"] == MeasureStatus.IN_PROGRESS and bool(row["noted"]) and not row["documented"]


def _comments(user, today: datetime.date) -> QuerySet[PublicComment]:
    return PublicComment.objects.filter(
        _clerked_units(user, "call__round__"),
        _scope(user, {Role.UNIT_STAFF}, "call__round__"),
        answered_at__isnull=True,
    ).annotate(round_id=F("call__round_id"), unit=F("call__round__inspected_unit__name"))


def _reports(user, roles: set[str], state: str) -> QuerySet[ReportVersion]:
    return ReportVersion.objects.filter(_scope(user, roles), state=state).annotate(
        unit=F("round__inspected_unit__name"), changed_at=F("updated_at")
    )


def _reports_to_sign_off(user, today: datetime.date) -> QuerySet[ReportVersion]:
    # Four eyes: whoever drafted a report does not sign it off (reports/issuing.py).
    return _reports(user, {Role.UNIT_LEADER}, ReportState.DRAFT).exclude(created_by=user)


def _reports_to_issue(user, today: datetime.date) -> QuerySet[ReportVersion]:
    # The clerk of a unit (not a department's staff) issues its reports.
    return _reports(user, {Role.UNIT_STAFF}, ReportState.SIGNED_OFF).filter(_clerked_units(user))


def _to_sign_for(user, today: datetime.date) -> QuerySet[Measure]:
    q = Q(pk__in=[])
    for path in _department_paths(user):
        q |= Q(lead_department_id__in=subtree_ids(path))
    signed = Acknowledgement.objects.filter(measure=OuterRef("pk"), department=OuterRef("lead_department"))
    return (
        _measures(today)
        .filter(q, _scope(user, {Role.UNIT_STAFF}), _unit_status(*OPEN))
        .exclude(Exists(signed))
    )


def _to_confirm(user, today: datetime.date) -> QuerySet[Measure]:
    # Four eyes: whoever asked for the closing does not confirm it (ledger/transitions.py).
    return (
        _measures(today)
        .filter(_scope(user, {Role.UNIT_LEADER}), _unit_status(MeasureStatus.SUBMITTED))
        .exclude(submitted_by=user)
    )


# Whoever entered, asked to close or confirmed a measure does not close it (ledger/transitions.py).
_HANDS = ("submitted_by", "confirmed_by", "created_by")


def _had_a_hand(user) -> Q:
    return Q(submitted_by=user) | Q(confirmed_by=user) | Q(created_by=user)


def _to_close(user, today: datetime.date) -> QuerySet[Measure]:
    return (
        _measures(today)
        .filter(_office_scope(user), status=MeasureStatus.CONFIRMED)
        .exclude(_had_a_hand(user))
    )


def _to_close_total(user, today: datetime.date):
    """The confirmed measures of the office's rounds from the tally, less those the user had a hand
    in: read from the index of each person column (a few rows, not the province's confirmed ones).
    The three are united before the status and the rounds are asked: with those in the same WHERE,
    SQLite (no statistics) walks every confirmed measure of the rounds instead."""
    rounds = _rounds(user, {Role.OFFICE_STAFF})
    hands = [
        Measure.objects.filter(**{name: user}).order_by().values("pk", "status", "round_id")
        for name in _HANDS
    ]
    united, params = hands[0].union(*hands[1:]).query.sql_with_params()
    scope, scope_params = rounds.query.sql_with_params()
    qn = connection.ops.quote_name
    theirs = _composed(
        f"SELECT COUNT(*) FROM ({united}) hands WHERE hands.{qn('status')} = %s"  # noqa: S608
        f" AND hands.{qn('round_id')} IN ({scope})",
        [*params, MeasureStatus.CONFIRMED.value, *scope_params],
        output_field=IntegerField(),
    )
    return tally.done_count_sql(rounds, MeasureStatus.CONFIRMED) - theirs


def _extensions(user, today: datetime.date) -> QuerySet[DeadlineExtension]:
    return DeadlineExtension.objects.filter(
        _office_scope(user, "measure__round__"), status=ExtensionStatus.PENDING
    ).annotate(light=light_expression(today, prefix="measure__"))


def _rechecks(user, today: datetime.date) -> QuerySet[Measure]:
    return _measures(today).filter(
        _office_scope(user),
        status=MeasureStatus.CLOSED,
        long_term=True,
        next_check_on__lte=today,
    )


def _unassigned(user, today: datetime.date) -> QuerySet[Measure]:
    """Open measures of the administrator's units with no 具体责任人 or no 牵头部门: theirs to assign."""
    return _measures(today).filter(
        _scope(user, {Role.UNIT_ADMIN}),
        Q(doer__isnull=True) | Q(lead_department__isnull=True),
        _unit_status(*OPEN),
    )


def _overdue_units(user, today: datetime.date) -> QuerySet:
    """One row per round with overdue measures: what the group is (the page reads the tally instead,
    `_read_overdue_units`)."""
    return (
        Measure.objects.filter(_scope(user, {Role.OFFICE_STAFF}), status__in=OPEN, deadline__lt=today)
        .values("round_id", "round__inspected_unit__name")
        .annotate(overdue=Count("pk"), oldest=Min("deadline"))
    )


def _overdue_units_total(user, today: datetime.date) -> RawSQL:
    sql, params = tally.overdue_by_round_sql(_rounds(user, {Role.OFFICE_STAFF}), today)
    return _composed(f"SELECT COUNT(*) FROM ({sql}) found", params, IntegerField())  # noqa: S608


def _read_overdue_units(user, today: datetime.date) -> tuple[list[dict], int]:
    """The rounds with the most overdue measures, from the tally (`tally.overdue_by_round_sql`): per
    round a few numbers, sorted, the first ten kept; then only for those ten their unit's name and
    oldest deadline (the (round, status, deadline) index). One query, the number of rounds with it."""
    try:
        found, params = tally.overdue_by_round_sql(_rounds(user, {Role.OFFICE_STAFF}), today)
    except EmptyResultSet:  # no round to follow
        return [], 0
    qn = connection.ops.quote_name
    measures, rounds = qn(Measure._meta.db_table), qn(InspectionRound._meta.db_table)
    units = qn(Organisation._meta.db_table)
    statuses = ", ".join(["%s"] * len(OPEN))
    day = connection.ops.adapt_datefield_value(today)
    # Django's own SQL with its parameters kept apart, and this module's names: nothing of the user's.
    sql = (
        "SELECT firsts.round_id, units.name, firsts.overdue, firsts.total,"  # noqa: S608
        f" (SELECT MIN(m.deadline) FROM {measures} m WHERE m.round_id = firsts.round_id"
        f" AND m.status IN ({statuses}) AND m.deadline < %s)"
        " FROM (SELECT found.round_id, found.overdue, COUNT(*) OVER () AS total"
        f" FROM ({found}) found ORDER BY found.overdue DESC, found.round_id LIMIT {ITEMS_PER_GROUP}) firsts"
        f" INNER JOIN {rounds} r ON r.id = firsts.round_id"
        f" INNER JOIN {units} units ON units.id = r.inspected_unit_id"
        " ORDER BY firsts.overdue DESC, firsts.round_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*OPEN, day, *params])
        rows = cursor.fetchall()
    firsts = [
        {
            "round_id": round_id,
            "round__inspected_unit__name": name,
            "overdue": overdue,
            "oldest": datetime.date.fromisoformat(oldest) if isinstance(oldest, str) else oldest,
        }
        for round_id, name, overdue, _total, oldest in rows
    ]
    return firsts, rows[0][3] if rows else 0


def _watched(user) -> frozenset[str] | None:
    """The roles that make a user watch what is overdue (a superuser's view is not narrowed)."""
    return None if user.is_superuser else frozenset({Role.SUPERVISOR})


def _overdue(user, today: datetime.date) -> QuerySet[Measure]:
    """Past the ladder's last rung (red: overdue, the office and the principal told), still open."""
    return _measures(today).filter(_row_by_row(user, _watched(user)), status__in=OPEN, deadline__lt=today)


def _overdue_total(user, today: datetime.date) -> RawSQL:
    rounds = InspectionRound.objects.filter(round_scope(user, roles=_watched(user))).order_by().values("pk")
    sql, params = tally.overdue_by_round_sql(rounds, today)
    return _composed(f"SELECT COALESCE(SUM(found.overdue), 0) FROM ({sql}) found", params, IntegerField())  # noqa: S608


def _first_of_each_status(spec: _Spec, rows: QuerySet, today: datetime.date) -> QuerySet[Measure]:
    """The first items of each open status of `rows`, in the group's order, as a query of those few
    measures. The (status, deadline) index gives each status's rows in deadline order, but not the
    two statuses merged: asked for both at once, both databases would read and sort every overdue
    measure of the province. The few are read by their ids alone: with the group's conditions
    again, SQLite would walk the index for the order instead."""
    parts: list[str] = []
    params: list = []
    for status in OPEN:
        firsts = rows.filter(status=status).order_by(*spec.order).values("pk")[:ITEMS_PER_GROUP]
        sql, part_params = firsts.query.sql_with_params()
        parts.append(f"SELECT firsts.pk FROM ({sql}) firsts")  # noqa: S608
        params.extend(part_params)
    return _measures(today).filter(pk__in=_composed(" UNION ALL ".join(parts), params))


# --- rows into items ---------------------------------------------------------------------------


def _measure_url(problem_id: int, measure_id: int) -> str:
    return reverse("ledger:problem_detail", args=[problem_id]) + f"#measure-{measure_id}"


def _measure_item(row: dict, reason: str = "", detail: str = "", prefix: str = "") -> Item:
    def get(name: str):
        return row[f"{prefix}{name}"]

    return Item(
        numbering=get("problem__outline") or get("problem__label"),
        text=" ".join(get("text").split()),
        unit=get("round__inspected_unit__short_name") or get("round__inspected_unit__name"),
        deadline=get("deadline"),
        light=row["light"],
        url=_measure_url(get("problem_id"), row["measure_id" if prefix else "pk"]),
        reason=reason,
        detail=detail,
    )


def _plain(row: dict) -> Item:
    return _measure_item(row)


def _with_reason(row: dict) -> Item:
    return _measure_item(row, reason=row.get("last_reason") or row.get("reason") or "")


def _extension_item(row: dict) -> Item:
    detail = str(_("Asked for %(date)s")) % {"date": row["new_deadline"].isoformat()}
    return _measure_item(row, reason=row["reason"], detail=detail, prefix="measure__")


def _comment_item(row: dict) -> Item:
    return Item(
        numbering="",
        text=" ".join(row["text"].split()),
        unit=row["unit"],
        deadline=None,
        light="none",
        url=reverse("comments:round_comments", args=[row["round_id"]]) + f"#comment-{row['pk']}",
        detail=str(_("Received %(date)s")) % {"date": timezone.localtime(row["received_at"]).date()},
    )


def _report_item(row: dict) -> Item:
    return Item(
        numbering="",
        text=row["title"],
        unit=row["unit"],
        deadline=None,
        light="none",
        url=reverse("reports:version", args=[row["pk"]]),
        detail=str(_("Changed %(date)s")) % {"date": timezone.localtime(row["changed_at"]).date()},
    )


def _unit_item(row: dict) -> Item:
    return Item(
        numbering="",
        text=str(_("%(n)s measures overdue")) % {"n": row["overdue"]},
        unit=row["round__inspected_unit__name"],
        deadline=row["oldest"],
        light="red",
        url=reverse("ledger:round_ledger", args=[row["round_id"]]) + "?light=red",
    )


def _recheck_item(row: dict) -> Item:
    return _measure_item(row, detail=str(_("Check due %(date)s")) % {"date": row["next_check_on"]})


_M = [*_MEASURE_FIELDS, "light"]
_VALUES: dict[str, list[str]] = {
    "returned": [*_M, "last_reason"],
    "rechecks": [*_M, "next_check_on"],
    "extensions": [
        "pk",
        "reason",
        "new_deadline",
        "light",
        "measure_id",
        *[f"measure__{name}" for name in _MEASURE_FIELDS if name != "pk"],
    ],
    "comments": ["pk", "text", "received_at", "round_id", "unit"],
    "reports_to_sign_off": ["pk", "title", "unit", "changed_at"],
    "reports_to_issue": ["pk", "title", "unit", "changed_at"],
}

# In the order the page shows them: what came back first, then the day's work, then the reviews.
_CLERK = [
    _Spec(
        "returned",
        _("Returned to you"),
        _("Read why and fix"),
        _returned,
        _with_reason,
        among=_unit_work,
        keep=_is_returned,
    ),
    _Spec(
        "to_start",
        _("Measures to start"),
        _("Start the work"),
        _to_start,
        _plain,
        more="status=not_started",
        among=_unit_work,
        keep=_is_to_start,
    ),
    _Spec(
        "progress_due",
        _("Progress due"),
        _("Record progress"),
        _progress_due,
        _plain,
        among=_unit_work,
        keep=_is_progress_due,
    ),
    _Spec(
        "evidence",
        _("Evidence asked for"),
        _("Upload evidence"),
        _evidence_wanted,
        _plain,
        among=_unit_work,
        keep=_is_evidence_wanted,
    ),
    _Spec(
        "comments",
        _("Comments to answer"),
        _("Answer"),
        _comments,
        _comment_item,
        ("received_at", "pk"),
        few=True,
    ),
]
_CLERK.append(
    _Spec(
        "reports_to_issue",
        _("Reports signed off, to issue"),
        _("Issue it"),
        _reports_to_issue,
        _report_item,
        ("changed_at", "pk"),
        few=True,
    )
)
_DEPARTMENT = [_Spec("to_sign_for", _("Tasks to sign for"), _("Sign for it"), _to_sign_for, _plain, few=True)]
_LEADER = [
    _Spec(
        "reports_to_sign_off",
        _("Reports to sign off"),
        _("Read and sign off"),
        _reports_to_sign_off,
        _report_item,
        ("changed_at", "pk"),
        few=True,
    ),
    _Spec(
        "to_confirm",
        _("Submissions to confirm"),
        _("Review and confirm"),
        _to_confirm,
        _plain,
        more="status=submitted",
        few=True,
    ),
]
_OFFICE = [
    _Spec(
        "to_close",
        _("Submissions to review and close"),
        _("Review and close"),
        _to_close,
        _plain,
        more="status=confirmed",
        total=_to_close_total,
    ),
    _Spec(
        "extensions",
        _("Requests for more time"),
        _("Decide"),
        _extensions,
        _extension_item,
        ("requested_at", "pk"),
    ),
    _Spec("rechecks", _("Long-term re-checks due"), _("Check again"), _rechecks, _recheck_item),
    _Spec(
        "overdue_units",
        _("Units with overdue measures"),
        _("See the overdue measures"),
        _overdue_units,
        _unit_item,
        ("-overdue", "round_id"),
        total=_overdue_units_total,
        read=_read_overdue_units,
    ),
]
_UNIT_ADMIN = [
    _Spec("unassigned", _("Measures nobody is assigned to"), _("Assign"), _unassigned, _plain, few=True),
]
_WATCH = [
    _Spec(
        "overdue",
        _("Overdue past the last reminder"),
        _("See the measure"),
        _overdue,
        _plain,
        more="light=red",
        total=_overdue_total,
        firsts=_first_of_each_status,
    )
]


def _specs(user) -> list[_Spec]:
    specs: list[_Spec] = []
    for holds, group in (
        (_is_clerk, _CLERK),
        (_is_department, _DEPARTMENT),
        (_is_leader, _LEADER),
        (_is_office, _OFFICE),
        (_is_unit_admin, _UNIT_ADMIN),
        (_is_watcher, _WATCH),
    ):
        if holds(user):
            specs.extend(group)
    return specs


def _total(spec: _Spec, user, today: datetime.date, rows: QuerySet | None = None):
    """The group's size as an SQL expression that names nothing of an outer row (run once); `rows`:
    the group's rows when already built."""
    if spec.total is not None:
        return spec.total(user, today)
    return tally.CountOf((spec.rows(user, today) if rows is None else rows).order_by().values("pk"))


def _evaluate(spec: _Spec, user, today: datetime.date, shared: dict) -> Group:
    if spec.among is not None and spec.keep is not None:
        if spec.among not in shared:
            shared[spec.among] = spec.among(user, today)
        kept = [row for row in shared[spec.among] if spec.keep(row, today)]
        found, count = kept[:ITEMS_PER_GROUP], len(kept)
    elif spec.read is not None:
        found, count = spec.read(user, today)
    else:
        # The first rows in the order of an index, the total as a column of the same query: the
        # database stops at ten rows instead of sorting the whole group to keep ten.
        rows = spec.rows(user, today)
        total = Window(Count("pk")) if spec.few else _total(spec, user, today, rows)
        if spec.firsts is not None:
            rows = spec.firsts(spec, rows, today)
        firsts = rows.values(*_VALUES.get(spec.key, _M)).annotate(total=total).order_by(*spec.order)
        found = list(firsts[:ITEMS_PER_GROUP])
        count = found[0]["total"] if found else 0
    more = f"{reverse('ledger:all_ledgers')}?{spec.more}" if spec.more else ""
    return Group(spec.key, spec.title, spec.action, count, [spec.item(row) for row in found], more)


def todo_groups(user, today: datetime.date | None = None) -> list[Group]:
    """Every group of the user's roles, the empty ones too (the page says there is nothing)."""
    today = today or timezone.localdate()
    shared: dict = {}
    return [_evaluate(spec, user, today, shared) for spec in _specs(user)]


def _sql_of(expression) -> tuple[str, list]:
    """The SQL of an expression that names no column of an outer query (a group's total)."""
    query = Query(Measure)
    return query.get_compiler(connection=connection).compile(expression.resolve_expression(query))


def todo_count(user, today: datetime.date | None = None) -> int:
    """How many things the user has to do, in one query whatever their roles: every group's total,
    the same expression as the page's, summed by the database."""
    today = today or timezone.localdate()
    parts: list[str] = []
    params: list = []
    for spec in _specs(user):
        try:
            sql, part_params = _sql_of(_total(spec, user, today))
        except EmptyResultSet:  # a group the user's roles leave empty (no unit to clerk for)
            continue
        # Django's own SQL with its parameters kept apart: nothing of the user's is pasted in.
        parts.append(sql)
        params.extend(part_params)
    if not parts:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(parts), params)
        return int(cursor.fetchone()[0])


def _badge_key(user) -> str:
    return f"zhenggai:todo-badge:{user.pk}"


def badge_count(user) -> int:
    """The badge's number: counted at most once a minute per user (one query over every group of
    the user's roles, which at a province's size costs more than the rest of a small page)."""
    count = cache.get(_badge_key(user))
    if count is None:
        count = todo_count(user)
        remember_count(user, count)
    return count


def remember_count(user, count: int) -> None:
    """Keep a count just made (by 我的待办 itself) for the badge of the next pages."""
    cache.set(_badge_key(user), count, BADGE_SECONDS)
