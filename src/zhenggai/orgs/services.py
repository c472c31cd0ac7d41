"""Writes to the organisation tree, its people and the roles of logins: each in one transaction,
each with its entry in the history (`actor` None: the system, e.g. an import or the demo)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai.accounts.services import login_open, user_create, user_set_active
from zhenggai.history import services as history
from zhenggai.history.changes import snapshot
from zhenggai.orgs.models import (
    Membership,
    Organisation,
    OrgKind,
    Person,
    Role,
    validate_ledger_columns,
)

ORGANISATION_FIELDS = ["name", "short_name", "kind", "parent", "active"]
PERSON_FIELDS = ["name", "title", "organisation", "user", "active"]


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str | OrgKind,
    parent: Organisation | None = None,
    short_name: str = "",
    actor=None,
) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, parent=parent, short_name=short_name)
    _set_path(org)
    history.record(
        actor=actor,
        action="organisation.create",
        obj=org,
        payload={"values": snapshot(org, ORGANISATION_FIELDS)},
    )
    return org


def _set_path(org: Organisation) -> None:
    prefix = org.parent.path if org.parent else ""
    org.path = f"{prefix}{org.pk:0{Organisation.PATH_STEP}d}"
    Organisation.objects.filter(pk=org.pk).update(path=org.path)


@transaction.atomic
def organisation_move(*, org: Organisation, new_parent: Organisation | None, actor=None) -> Organisation:
    """Move a node and its subtree under another parent, rewriting the paths below it."""
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ValueError("an organisation cannot be moved under itself")
    old_path, old_parent = org.path, org.parent_id
    org.parent = new_parent
    org.save(update_fields=["parent"])
    _set_path(org)
    below = list(Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk))
    for child in below:
        child.path = org.path + child.path[len(old_path) :]
        child.save(update_fields=["path"])
    history.record(
        actor=actor,
        action="organisation.move",
        obj=org,
        payload={"fields": {"parent": [old_parent, org.parent_id]}},
        also=below,
    )
    return org


@transaction.atomic
def person_create(*, name: str, organisation: Organisation, title: str = "", user=None, actor=None) -> Person:
    person = Person.objects.create(name=name, organisation=organisation, title=title, user=user)
    history.record(
        actor=actor, action="person.create", obj=person, payload={"values": snapshot(person, PERSON_FIELDS)}
    )
    return person


@transaction.atomic
def person_update(*, person: Person, actor=None, **fields: Any) -> Person:
    """Change a person's name, post, organisation or login."""
    return history.update_recorded(
        Person, person.pk, actor=actor, action="person.update", tracked=PERSON_FIELDS, fields=fields
    )


@transaction.atomic
def membership_grant(*, user, organisation: Organisation, role: str | Role, actor=None) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        history.record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            payload={"values": {"user": user.pk, "organisation": organisation.pk, "role": str(role)}},
        )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor=None) -> None:
    """Take a role away. The history keeps that it was held, and until when."""
    values = {"user": membership.user_id, "organisation": membership.organisation_id, "role": membership.role}
    history.record(
        actor=actor,
        action="membership.revoke",
        obj=None,
        object_type=membership._meta.label_lower,
        object_id=membership.pk,
        payload={"values": values},
        removed=[membership],
    )
    Membership.objects.filter(pk=membership.pk).delete()


@transaction.atomic
def organisation_rename(*, org: Organisation, name: str, short_name: str = "", actor=None) -> Organisation:
    """A new name (the tree and the records that name it stay as they are)."""
    return history.update_recorded(
        Organisation,
        org.pk,
        actor=actor,
        action="organisation.update",
        tracked=["name", "short_name"],
        fields={"name": name, "short_name": short_name},
    )


@transaction.atomic
def office_ledger_columns_set(*, office: Organisation, columns: list[str], actor=None) -> Organisation:
    """Set the order of an inspection office's ledger workbook columns (column keys; empty: the
    default order). The rounds it follows are exported in it, by the office and by their units.
    A ValidationError for another kind of organisation or an order that is not valid."""
    if office.kind != OrgKind.INSPECTION_OFFICE:
        raise ValidationError(_("Only an inspection office sets the columns of the ledger workbook."))
    columns = list(columns)
    validate_ledger_columns(columns)
    return history.update_recorded(
        Organisation,
        office.pk,
        actor=actor,
        action="organisation.update",
        tracked=["ledger_columns"],
        fields={"ledger_columns": columns},
    )


@transaction.atomic
def organisation_set_active(*, org: Organisation, active: bool, actor=None) -> Organisation:
    """Close a department or unit (or open it again): never a deletion, since records name it."""
    return _set_active(org, active, "organisation.update", ORGANISATION_FIELDS, actor)


@transaction.atomic
def person_set_active(*, person: Person, active: bool, actor=None) -> Person:
    """Someone left (or came back). Their login, if any, goes and comes with them; the records
    that name them keep doing so."""
    if person.user_id is not None:
        user_set_active(user=person.user, active=active, actor=actor)
    return _set_active(person, active, "person.update", PERSON_FIELDS, actor)


def _set_active(obj, active: bool, action: str, tracked: list[str], actor):
    if obj.active == active:
        return obj
    return history.update_recorded(
        type(obj), obj.pk, actor=actor, action=action, tracked=tracked, fields={"active": active}
    )


@transaction.atomic
def person_account_create(
    *, person: Person, username: str, initial_password: str | None = None, actor=None
) -> tuple[Any, str | None]:
    """A login for someone who has none, named after them.

    With `initial_password` the login must change it at its first log-in; without one, it gets an
    invitation link instead. Returns the login and the invitation token (None with a password)."""
    if person.user_id is not None:
        raise ValueError("this person has a login already")
    user = user_create(username=username, password=None, actor=actor, first_name=person.name)
    person_update(person=person, actor=actor, user=user)
    return user, login_open(user=user, initial_password=initial_password, actor=actor)
