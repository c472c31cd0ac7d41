"""Who may manage which part of the organisation tree (人员与机构), in one place.

A unit's administrator (Role.UNIT_ADMIN) manages everything under the organisation the role was
given in: departments, people, logins and roles. The inspection office's staff manage the office
itself and its groups, and the units it inspects: every unit of the body the office belongs to
(the organisations beside it under its parent; the whole tree when the office is a root), with
everything under them. Both are Action.MANAGE_PEOPLE in ledger.workflow.ROLE_ACTIONS.

Every management view calls `require_manager` first (a 403 for whoever manages nothing, e.g. a
clerk), then one of the getters here, which raise the same 404 for "not yours" and "not there".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from zhenggai.ledger.access import _ancestor_paths, _memberships
from zhenggai.ledger.workflow import Action, actions_for_roles
from zhenggai.orgs.models import Membership, Organisation, OrgKind, Person, Role

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER, Role.UNIT_ADMIN)
OFFICE_KINDS = (OrgKind.INSPECTION_OFFICE, OrgKind.INSPECTION_GROUP)


def _managing(user) -> list[Membership]:
    return [m for m in _memberships(user) if Action.MANAGE_PEOPLE in actions_for_roles({m.role})]


def may_manage_anything(user) -> bool:
    return bool(_managing(user))


def require_manager(user) -> None:
    """Refuse (403) whoever manages nothing: checked before any record is looked up."""
    if not _managing(user):
        raise PermissionDenied


def managed_offices(user) -> list[Organisation]:
    """The inspection offices whose staff the user is."""
    return [
        m.organisation
        for m in _managing(user)
        if m.role == Role.OFFICE_STAFF and m.organisation.kind == OrgKind.INSPECTION_OFFICE
    ]


def managed_unit_roots(user) -> list[Organisation]:
    """The organisations the user administers as a unit's administrator."""
    return [m.organisation for m in _managing(user) if m.role == Role.UNIT_ADMIN]


def _region(office: Organisation) -> str:
    """The path under which the office's units lie: its parent's ("" for a root office)."""
    return office.path[: -Organisation.PATH_STEP]


def _within_a_unit(org: Organisation) -> bool:
    if org.kind == OrgKind.UNIT:
        return True
    return Organisation.objects.filter(path__in=_ancestor_paths(org.path)[:-1], kind=OrgKind.UNIT).exists()


def may_manage(user, org: Organisation) -> bool:
    for m in _managing(user):
        if org.path.startswith(m.organisation.path):
            return True
    return any(
        org.path.startswith(_region(office)) and _within_a_unit(org) for office in managed_offices(user)
    )


def office_managing(user, org: Organisation) -> Organisation | None:
    """The user's office whose units include `org` (units are created, moved and closed by it)."""
    for office in managed_offices(user):
        if org.path.startswith(office.path):
            return office
        if org.path.startswith(_region(office)) and _within_a_unit(org):
            return office
    return None


def units_of_office(office: Organisation) -> QuerySet[Organisation, Any]:
    return Organisation.objects.filter(path__startswith=_region(office), kind=OrgKind.UNIT)


def _get_to_manage(user, queryset, pk: int, org_of):
    require_manager(user)
    found = queryset.filter(pk=pk).first()
    if found is None or not may_manage(user, org_of(found)):
        raise Http404
    return found


def get_org_to_manage(user, pk: int) -> Organisation:
    return _get_to_manage(user, Organisation.objects.select_related("parent"), pk, lambda org: org)


def get_person_to_manage(user, pk: int) -> Person:
    people = Person.objects.select_related("organisation", "user")
    return _get_to_manage(user, people, pk, lambda person: person.organisation)


def get_membership_to_manage(user, pk: int) -> Membership:
    memberships = Membership.objects.select_related("organisation", "user")
    return _get_to_manage(user, memberships, pk, lambda membership: membership.organisation)


def may_manage_login(user, login) -> bool:
    """Whether every role of `login` lies within what the user manages: only then may the user
    switch the login off, since that ends its roles everywhere."""
    if login.is_superuser or login.pk == user.pk:
        return False
    memberships = Membership.objects.filter(user=login).select_related("organisation")
    return all(may_manage(user, m.organisation) for m in memberships)


def home_of(org: Organisation) -> Organisation:
    """The nearest unit or inspection office at or above `org`: whose staff its roles go to."""
    paths = _ancestor_paths(org.path)
    found = (
        Organisation.objects.filter(
            path__in=paths, kind__in=[OrgKind.UNIT, OrgKind.INSPECTION_OFFICE, OrgKind.INSPECTION_GROUP]
        )
        .order_by("-path")
        .first()
    )
    return found or org


def grantable_roles(org: Organisation) -> list[tuple[str, Any]]:
    """The roles that may be given in `org`: office staff in an office, a unit's roles elsewhere.
    (Supervisors are given by the system administrator.)"""
    if home_of(org).kind in OFFICE_KINDS:
        return [(Role.OFFICE_STAFF.value, Role.OFFICE_STAFF.label)]
    return [(role.value, role.label) for role in UNIT_ROLES]


def person_places(user, org: Organisation) -> QuerySet[Organisation, Any]:
    """Where the user may place a person now in `org`: the active organisations of its unit (or
    office) that the user manages."""
    home = home_of(org)
    roots = [m.organisation.path for m in _managing(user) if home.path.startswith(m.organisation.path)]
    if roots or office_managing(user, home) is not None:
        return Organisation.objects.filter(path__startswith=home.path, active=True).order_by("path")
    q = Q(pk__in=[])
    for m in _managing(user):
        if m.organisation.path.startswith(home.path):
            q |= Q(path__startswith=m.organisation.path)
    return Organisation.objects.filter(q, active=True).order_by("path")


def move_targets(user, org: Organisation) -> QuerySet[Organisation, Any]:
    """Where the office may move a unit: under its region's root or under another unit of its
    own, never under itself."""
    office = office_managing(user, org)
    if office is None:
        return Organisation.objects.none()
    region = _region(office)
    q = Q(kind=OrgKind.UNIT)
    if region:
        q |= Q(path=region)
    return (
        Organisation.objects.filter(q, path__startswith=region, active=True)
        .exclude(path__startswith=org.path)
        .order_by("path")
    )
