"""Reads of the organisation pages, each starting from an organisation the caller may manage."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhenggai.orgs.models import Membership, Organisation, Person


def subtree(org: Organisation) -> QuerySet[Organisation, Any]:
    """The organisation and everything under it, in tree order (inactive ones too: they are shown
    as closed, and can be opened again)."""
    return Organisation.objects.filter(path__startswith=org.path).order_by("path")


def people_in(org: Organisation) -> QuerySet[Person, Any]:
    """The people placed directly in `org`, active first."""
    return Person.objects.filter(organisation=org).select_related("user").order_by("-active", "name")


def roles_in(org: Organisation) -> QuerySet[Membership, Any]:
    return (
        Membership.objects.filter(organisation=org)
        .select_related("user", "user__person")
        .order_by("role", "user__username")
    )


def grant_candidates(home: Organisation) -> QuerySet[Person, Any]:
    """Active people with an active login in `home`'s subtree: whom a role there may go to."""
    return (
        Person.objects.filter(
            organisation__path__startswith=home.path, active=True, user__isnull=False, user__is_active=True
        )
        .select_related("organisation")
        .order_by("organisation__path", "name")
    )


def search_units(units: QuerySet[Organisation, Any], q: str) -> QuerySet[Organisation, Any]:
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return units.order_by("-active", "path")
