"""Writes to logins (accounts): each in one transaction, each with its entry in the history.

A login's password is never part of the history (it is a secret, and Django re-hashes it when its
hasher changes); whether the account may log in, and whether it is an administrator, is.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from zhenggai.history import services as history
from zhenggai.history.changes import snapshot

USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    actor=None,
    superuser: bool = False,
    **fields: Any,
):
    """A new login; `password` None makes one that cannot log in until a password is set."""
    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, password=password, **fields)
    else:
        user = user_model.objects.create_user(username, password=password, **fields)
    user_recorded(user, actor=actor)
    return user


def user_recorded(user, *, actor=None) -> None:
    """The history entry of a login just created (by `user_create` or `createsuperuser`)."""
    history.record(
        actor=actor, action="user.create", obj=user, payload={"values": snapshot(user, USER_FIELDS)}
    )


@transaction.atomic
def user_set_active(*, user, active: bool, actor=None) -> None:
    """Deactivate a login (or let it in again): never a deletion, since its history stays."""
    user_model = get_user_model()
    current = user_model.objects.select_for_update().get(pk=user.pk)
    if current.is_active == active:
        return
    current.is_active = active
    current.save(update_fields=["is_active"])
    history.record(
        actor=actor,
        action="user.update",
        obj=current,
        payload={"fields": {"is_active": [not active, active]}},
    )
