"""Reads of the organisation pages, each starting from an organisation the caller may manage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from zhenggai.orgs.models import Membership, Organisation, OrgKind, Person


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


def ledger_column_orders(office_ids: Iterable[int]) -> dict[int, list[str]]:
    """The order of the ledger workbook's columns for each office of `office_ids`: its own, else
    that of the nearest inspection office above it that set one; offices with neither are left out
    (the default order). Two queries, whatever the number of offices."""
    ids = set(office_ids)
    if not ids:
        return {}
    paths = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "path"))
    step = Organisation.PATH_STEP
    chains = {
        pk: [int(path[i : i + step]) for i in range(0, len(path), step)][::-1] for pk, path in paths.items()
    }
    wanted = {pk for chain in chains.values() for pk in chain}
    orders = {
        pk: columns
        for pk, kind, columns in Organisation.objects.filter(pk__in=wanted).values_list(
            "pk", "kind", "ledger_columns"
        )
        if columns and (kind == OrgKind.INSPECTION_OFFICE or pk in ids)
    }
    out: dict[int, list[str]] = {}
    for pk, chain in chains.items():
        found = next((orders[a] for a in chain if a in orders), None)
        if found:
            out[pk] = list(found)
    return out
