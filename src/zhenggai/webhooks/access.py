"""Who may manage which organisation's webhooks and chat group robots, in one place.

An inspection office's staff (Role.OFFICE_STAFF) manage those of their office and its groups;
a unit's leader (Role.UNIT_LEADER) and administrator (Role.UNIT_ADMIN) those of their unit, and
of the units under it. A clerk does not: an endpoint sends the unit's news out of Zhenggai, a
decision for whoever answers for the unit. Anyone else gets the same 404 for a record that is not
theirs as for one that does not exist. Whoever manages none at all (a clerk, a supervisor, the
system administrator) gets a 403 first, before any record is looked up, as on the people pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from zhenggai.ledger.access import _memberships
from zhenggai.orgs.models import Organisation, OrgKind, Role, under
from zhenggai.reminders.models import GroupRobot
from zhenggai.webhooks.models import Delivery, Endpoint

# A role, and the kinds of organisation under it whose integrations it manages.
MANAGING: dict[str, tuple[str, ...]] = {
    Role.OFFICE_STAFF: (OrgKind.INSPECTION_OFFICE, OrgKind.INSPECTION_GROUP),
    Role.UNIT_LEADER: (OrgKind.UNIT,),
    Role.UNIT_ADMIN: (OrgKind.UNIT,),
}


def may_integrate(user) -> bool:
    """Whether the user holds a role that manages some organisation's integrations (no query)."""
    return any(m.role in MANAGING for m in _memberships(user))


def organisations_to_integrate(user) -> QuerySet[Organisation, Any]:
    q = Q(pk__in=[])
    for m in _memberships(user):
        kinds = MANAGING.get(m.role)
        if kinds:
            q |= under(m.organisation.path) & Q(kind__in=kinds)
    return Organisation.objects.filter(q, active=True).order_by("path")


def require_integrator(user) -> list[Organisation]:
    """The organisations the user manages the integrations of; 403 when none."""
    orgs = list(organisations_to_integrate(user)) if may_integrate(user) else []
    if not orgs:
        raise PermissionDenied
    return orgs


def _one(user, queryset, pk: int):
    if not may_integrate(user):
        raise PermissionDenied
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_org_to_integrate(user, pk: int) -> Organisation:
    return _one(user, organisations_to_integrate(user), pk)


def get_endpoint_for_user(user, pk: int) -> Endpoint:
    endpoints = Endpoint.objects.select_related("organisation")
    return _one(user, endpoints.filter(organisation__in=organisations_to_integrate(user)), pk)


def get_delivery_for_user(user, pk: int) -> Delivery:
    deliveries = Delivery.objects.select_related("endpoint__organisation", "event")
    return _one(user, deliveries.filter(endpoint__organisation__in=organisations_to_integrate(user)), pk)


def get_robot_for_user(user, pk: int) -> GroupRobot:
    robots = GroupRobot.objects.select_related("organisation")
    return _one(user, robots.filter(organisation__in=organisations_to_integrate(user)), pk)
