"""Writes to the organisation tree."""

from __future__ import annotations

from django.db import transaction

from zhenggai.orgs.models import Membership, Organisation, OrgKind, Person, Role


@transaction.atomic
def organisation_create(
    *, name: str, kind: str | OrgKind, parent: Organisation | None = None, short_name: str = ""
) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, short_name=short_name)
    _set_path(org)
    return org


def _set_path(org: Organisation) -> None:
    prefix = org.parent.path if org.parent else ""
    org.path = f"{prefix}{org.pk:0{Organisation.PATH_STEP}d}"
    Organisation.objects.filter(pk=org.pk).update(path=org.path)


@transaction.atomic
def organisation_move(*, org: Organisation, new_parent: Organisation | None) -> Organisation:
    """Move a node and its subtree under another parent, rewriting the paths below it."""
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ValueError("an organisation cannot be moved under itself")
    old_path = org.path
    org.parent = new_parent
    org.save(update_fields=["parent"])
    _set_path(org)
    for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
        child.path = org.path + child.path[len(old_path) :]
        child.save(update_fields=["path"])
    return org


def person_create(*, name: str, organisation: Organisation, title: str = "", user=None) -> Person:
    return Person.objects.create(name=name, organisation=organisation, title=title, user=user)


def membership_grant(*, user, organisation: Organisation, role: str | Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return membership
