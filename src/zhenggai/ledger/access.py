"""Who may see and change what: the one place every ledger query is scoped through.

A role given in an organisation reaches its whole subtree. Inspection office staff see the
rounds their office (or one of its groups) follows; unit staff and leaders see the rounds of
their units. Anyone else gets the same 404 as for a thing that does not exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from zhenggai.ledger.models import DeadlineExtension, EvidenceFile, InspectionRound, Measure, Problem
from zhenggai.ledger.workflow import Action, SystemRole, actions_for_roles
from zhenggai.orgs.models import Membership, Organisation, OrgKind, Role, under
from zhenggai.prepared import Prepared

_CACHE_ATTR = "_zhenggai_memberships"


# The user's memberships with their organisations (every page asks): compiled once a process.
_MEMBERSHIPS = Prepared(
    lambda user_id: Membership.objects.filter(user_id=user_id).select_related("organisation"), int
)


def _memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _MEMBERSHIPS.objects(user.pk)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def memberships_of(user) -> list[Membership]:
    """The user's roles and where they hold them (read once per request, then cached on the user)."""
    return list(_memberships(user))


def subtree_ids(path: str) -> QuerySet[Organisation, Any]:
    """The ids of the organisation at `path` and everything under it, as a subquery."""
    return _subtree(path)


def _ancestor_paths(path: str) -> list[str]:
    step = Organisation.PATH_STEP
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _subtree(path: str) -> QuerySet[Organisation, Any]:
    """The ids of an organisation and everything under it, as a subquery.

    Scoping by `<fk>_id IN (subquery)` rather than `<fk>__path__startswith` keeps the organisation
    joins out of every ledger query, and lets PostgreSQL estimate the rows right: an OR of LIKEs
    over two joined organisations made it expect 1 round of 500 and nest-loop through every measure.
    """
    return Organisation.objects.filter(under(path)).values("pk")


def round_scope(user, prefix: str = "", roles: frozenset[str] | None = None) -> Q:
    """A Q over InspectionRound (reached through `prefix`, e.g. "round__") the user may see.

    With `roles`, only what those of the user's roles reach (a superuser's view is not narrowed)."""
    if getattr(user, "is_superuser", False) and user.is_active and roles is None:
        return Q()
    q = Q(pk__in=[])
    for m in _memberships(user):
        if roles is not None and m.role not in roles:
            continue
        path = m.organisation.path
        if m.role in (Role.OFFICE_STAFF, Role.SUPERVISOR):
            q |= Q(**{f"{prefix}office_id__in": _subtree(path)})
            q |= Q(**{f"{prefix}inspecting_group_id__in": _subtree(path)})
        if m.role != Role.OFFICE_STAFF:
            # A unit's people see its rounds; a department's people see the rounds of the unit above them.
            units = Organisation.objects.filter(under(path) | Q(path__in=_ancestor_paths(path)))
            q |= Q(**{f"{prefix}inspected_unit_id__in": units.values("pk")})
    return q


def visible_rounds(user) -> QuerySet[InspectionRound]:
    return InspectionRound.objects.filter(round_scope(user)).distinct()


def visible_measures(user) -> QuerySet[Measure]:
    return Measure.objects.filter(round_scope(user, "round__"))


def round_measures(user, round_: InspectionRound) -> QuerySet[Measure]:
    """The measures of one round if the user may see it, else none: `visible_measures` of that
    round, with the reach checked on the round (`_reaches`, as `get_round_for_user` checks it)
    instead of by subqueries of the organisation tree in the SQL. Give a round read with its
    office, group and unit (as `get_round_for_user` and `get_problem_for_user` read it)."""
    if not roles_for(user, round_):
        return Measure.objects.none()
    return Measure.objects.filter(round=round_)


def _reaches(membership: Membership, round_: InspectionRound) -> bool:
    path = membership.organisation.path
    if membership.role in (Role.OFFICE_STAFF, Role.SUPERVISOR):
        for org in (round_.office, round_.inspecting_group):
            if org is not None and org.path.startswith(path):
                return True
        if membership.role == Role.OFFICE_STAFF:
            return False
    unit_path = round_.inspected_unit.path
    return unit_path.startswith(path) or path.startswith(unit_path)


def roles_for(user, round_: InspectionRound) -> frozenset[str]:
    """The roles a user holds over one round (none: the round is not theirs to see)."""
    roles = {m.role for m in _memberships(user) if _reaches(m, round_)}
    if getattr(user, "is_superuser", False) and user.is_active:
        roles.add(SystemRole.ADMIN)
    return frozenset(roles)


@dataclass(frozen=True)
class RoundRights:
    roles: frozenset[str]
    actions: frozenset[str]

    def can(self, action: str) -> bool:
        return action in self.actions

    @property
    def can_edit_ledger(self) -> bool:
        return Action.EDIT_MEASURE in self.actions


def rights_for(user, round_: InspectionRound) -> RoundRights:
    roles = roles_for(user, round_)
    return RoundRights(roles=roles, actions=actions_for_roles(roles))


def may_acknowledge(user, measure: Measure) -> bool:
    """Only the people of the lead department sign for its measures (签收)."""
    department = measure.lead_department
    if department is None:
        return False
    return any(
        m.organisation.kind == OrgKind.DEPARTMENT and department.path.startswith(m.organisation.path)
        for m in _memberships(user)
        if m.role in (Role.UNIT_STAFF, Role.UNIT_LEADER)
    )


def _reach_or_404(user, round_: InspectionRound | None) -> RoundRights:
    """The user's rights over a round read by its key; 404 when the user holds none there.

    The same rule as `round_scope` (`_reaches`, over the same memberships), checked in Python on
    the round and its three organisations, which the lookup reads anyway: a lookup by key then
    needs no subquery of the organisation tree, which cost more than the lookup itself (~1 ms of a
    page). tests/web/test_access.py checks that the two agree for every role."""
    rights = rights_for(user, round_) if round_ is not None else None
    if rights is None or not rights.roles:
        raise Http404
    return rights


@functools.cache
def _lookup(model, related: tuple[str, ...]) -> Prepared:
    """The lookup by key of one `model` with its `related` records joined in, compiled once a
    process. Unsorted: `first()` would sort by the model's ordering, which for a problem is its
    round's (a join more)."""
    return Prepared(lambda pk: model.objects.filter(pk=pk).select_related(*related).order_by()[:1], int)


def _by_key(model, pk: int, *related: str):
    """The one `model` of id `pk` with its `related` records, or None (an id out of the column's
    range too, as the ORM answers it)."""
    pk = int(pk)
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    if (low is not None and pk < low) or (high is not None and pk > high):
        return None
    return next(iter(_lookup(model, related).objects(pk)), None)


def get_round_for_user(user, pk: int) -> tuple[InspectionRound, RoundRights]:
    round_ = _by_key(InspectionRound, pk, "office", "inspecting_group", "inspected_unit")
    rights = _reach_or_404(user, round_)
    return round_, rights  # type: ignore[return-value]  # _reach_or_404 raised for None


def _get_through_round(user, model, round_path: str, pk: int, *related: str):
    """One record by id, reached through the round at `round_path` (e.g. "measure__round"), with the
    user's rights over that round; 404 when the round is not the user's to see."""
    round_related = [f"{round_path}__{name}" for name in ("office", "inspecting_group", "inspected_unit")]
    found = _by_key(model, pk, *round_related, *related)
    round_ = found
    for step in round_path.split("__") if found is not None else ():
        round_ = getattr(round_, step)
    return found, _reach_or_404(user, round_)


def get_problem_for_user(user, pk: int) -> tuple[Problem, RoundRights]:
    return _get_through_round(user, Problem, "round", pk, "parent")


def get_measure_for_user(user, pk: int) -> tuple[Measure, RoundRights]:
    return _get_through_round(user, Measure, "round", pk, "problem", "lead_department")


def get_evidence_for_user(user, pk: int) -> tuple[EvidenceFile, RoundRights]:
    return _get_through_round(user, EvidenceFile, "measure__round", pk)


def get_extension_for_user(user, pk: int):
    return _get_through_round(user, DeadlineExtension, "measure__round", pk)


def get_receipt_batch_for_user(user, pk: int):
    """A batch of residents' receipt slips, through the round of its measure."""
    from zhenggai.receipts.models import ReceiptBatch

    return _get_through_round(user, ReceiptBatch, "measure__round", pk, "measure__problem")


def get_comment_for_user(user, pk: int):
    """A comment from the public, through the round its call for comments belongs to."""
    from zhenggai.comments.models import PublicComment

    return _get_through_round(user, PublicComment, "call__round", pk)


def get_report_for_user(user, pk: int):
    """A report version (draft or issued), through its round."""
    from zhenggai.reports.models import ReportVersion

    return _get_through_round(user, ReportVersion, "round", pk)


def require(rights: RoundRights, action: str) -> None:
    """Refuse an action the user's roles do not give (a 403: the round is theirs to see)."""
    if action not in rights.actions:
        raise PermissionDenied


def require_any(rights: RoundRights, actions: frozenset[str]) -> None:
    """Refuse a user whose roles give none of `actions` (a 403)."""
    if not rights.actions & actions:
        raise PermissionDenied


def require_edit(rights: RoundRights) -> None:
    require(rights, Action.EDIT_MEASURE)


# --- Writes that name no round: importing, exporting, the reminder ladder ---------------------------
# Checked against the same table (ROLE_ACTIONS), over the roles the user holds anywhere.

# Roles held in an inspection office: they reach the office's rounds, not a unit's own.
_OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.SUPERVISOR})


def _memberships_allowing(user, action: str) -> list[Membership]:
    return [m for m in _memberships(user) if action in actions_for_roles({m.role})]


def actions_anywhere(user) -> frozenset[str]:
    """What the user's roles allow in one place or another (a system administrator: to read)."""
    roles = {m.role for m in _memberships(user)}
    if getattr(user, "is_superuser", False) and user.is_active:
        roles.add(SystemRole.ADMIN)
    return actions_for_roles(roles)


def require_anywhere(user, action: str) -> None:
    """Refuse a write that names no round to a user none of whose roles allows it (a 403)."""
    if action not in actions_anywhere(user):
        raise PermissionDenied


def office_of(user) -> Organisation:
    """The organisation whose staff the user is (巡察办 staff, or a group's), for the documents an
    office writes itself, such as its weekly summary; an inspection office before a group. Anyone
    else, a supervisor included, is refused (a 403)."""
    office = offices_staffed(user)
    if office is None:
        raise PermissionDenied
    return office


def offices_staffed(user) -> Organisation | None:
    """:func:`office_of`, or None for a user who is no office's staff."""
    held = [m.organisation for m in _memberships(user) if m.role == Role.OFFICE_STAFF]
    return min(held, key=lambda org: (org.kind != OrgKind.INSPECTION_OFFICE, org.path), default=None)


def units_for_import(user) -> QuerySet[Organisation]:
    """Units the user may create a round for: their own units (unit staff), any unit (office staff).
    Nobody else: a system administrator keeps accounts, not ledgers. A closed unit takes no new round."""
    units = Organisation.objects.filter(kind=OrgKind.UNIT, active=True)
    q = Q(pk__in=[])
    for m in _memberships_allowing(user, Action.IMPORT):
        if m.role in _OFFICE_ROLES:
            return units
        q |= Q(path__startswith=m.organisation.path)
    return units.filter(q)


def may_import_somewhere(user) -> bool:
    """Whether `units_for_import(user)` has a unit, asked of the database only when the memberships
    held do not tell: an office role imports for any unit, a unit's own staff for their unit."""
    allowing = _memberships_allowing(user, Action.IMPORT)
    if any(m.role in _OFFICE_ROLES or m.organisation.kind == OrgKind.UNIT for m in allowing):
        return True
    return bool(allowing) and units_for_import(user).exists()


def offices_for_import(user) -> QuerySet[Organisation]:
    """Inspection offices a new round may be followed by: the user's own office, if they work in one."""
    offices = Organisation.objects.filter(kind=OrgKind.INSPECTION_OFFICE)
    own = [m.organisation.path for m in _memberships_allowing(user, Action.IMPORT) if m.role in _OFFICE_ROLES]
    if own:
        q = Q(pk__in=[])
        for path in own:
            q |= Q(path__startswith=path)
        return offices.filter(q)
    return offices


def offices_to_configure(user) -> QuerySet[Organisation]:
    """Inspection offices whose reminder ladder the user may set: those the user works in as
    office staff, and the offices under them. (System administrators use the back office.)"""
    q = Q(pk__in=[])
    for m in _memberships_allowing(user, Action.CONFIGURE_REMINDERS):
        q |= Q(path__startswith=m.organisation.path)
    return Organisation.objects.filter(q, kind=OrgKind.INSPECTION_OFFICE).order_by("path")


def groups_for_import(user) -> QuerySet[Organisation]:
    offices = list(offices_for_import(user).values_list("path", flat=True))
    q = Q(pk__in=[])
    for path in offices:
        q |= Q(path__startswith=path)
    return Organisation.objects.filter(q, kind=OrgKind.INSPECTION_GROUP)


def get_draft_for_user(user, pk: int):
    """An import draft is its uploader's alone until it is committed."""
    from zhenggai.imports.models import ImportDraft

    drafts = ImportDraft.objects.select_related("office", "inspected_unit", "inspecting_group")
    if not getattr(user, "is_superuser", False):
        drafts = drafts.filter(created_by=user)
    draft = drafts.filter(pk=pk).first()
    if draft is None:
        raise Http404
    return draft


def get_draft_to_change(user, pk: int):
    """A draft the user may correct, commit or discard: theirs (404 otherwise), and for a unit and
    an office they may still import for (403 otherwise). Rights are checked on every write, not
    only at the upload: a role taken away meanwhile is taken away."""
    draft = get_draft_for_user(user, pk)
    if not (
        units_for_import(user).filter(pk=draft.inspected_unit_id).exists()
        and offices_for_import(user).filter(pk=draft.office_id).exists()
    ):
        raise PermissionDenied
    return draft


def get_round_measures_for_user(user, round_: InspectionRound, pks) -> list[int]:
    """The ids of measures of `round_` the user may see, checked all at once: one that is not the
    round's (another unit's, or none at all) is a 404 for the whole selection."""
    wanted = set(pks)
    found = set(
        Measure.objects.filter(round_scope(user, "round__"), round=round_, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        raise Http404
    return sorted(found)


def rounds_to_edit(user) -> QuerySet[InspectionRound]:
    """The rounds whose measures the user may edit (a workbook may update them): those of the units
    their editing roles reach, as `_reaches` counts it (their subtree, and the unit above a department)."""
    q = Q(pk__in=[])
    for m in _memberships_allowing(user, Action.EDIT_MEASURE):
        path = m.organisation.path
        units = Organisation.objects.filter(Q(path__startswith=path) | Q(path__in=_ancestor_paths(path)))
        q |= Q(inspected_unit_id__in=units.values("pk"))
    return (
        InspectionRound.objects.filter(q).select_related("inspected_unit").order_by("-feedback_date", "-pk")
    )


def get_update_draft_for_user(user, pk: int):
    """A draft that updates a round: the uploader's (404 otherwise), for a round they may still see
    (404) and edit (403). Checked on every request: a right taken away meanwhile is taken away."""
    require_anywhere(user, Action.EDIT_MEASURE)
    draft = get_draft_for_user(user, pk)
    if draft.update_round_id is None:
        raise Http404
    round_, rights = get_round_for_user(user, draft.update_round_id)
    require_edit(rights)
    return draft, round_
