"""Writes to logins (accounts): each in one transaction, each with its entry in the history.

A login's password is never part of the history (it is a secret, and Django re-hashes it when its
hasher changes); whether the account may log in, and whether it is an administrator, is.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhenggai.accounts.models import Invitation, PasswordChangeRequired
from zhenggai.history import services as history
from zhenggai.history.changes import snapshot

INVITATION_LIFETIME = datetime.timedelta(days=7)

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


class InvitationInvalid(Exception):
    """The link is unknown, already used, expired, or its login was deactivated."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_issue(*, user, actor=None, now: datetime.datetime | None = None) -> str:
    """A one-time link for `user` to choose a password; returns the token, which is stored hashed
    only and so can be shown just this once. Earlier open links of the user are spent."""
    now = now or timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user, token_hash=_token_hash(token), expires_at=now + INVITATION_LIFETIME
    )
    history.record(actor=actor, action="user.invite", obj=user, payload={"expires_at": invitation.expires_at})
    return token


def invitation_user(token: str, *, now: datetime.datetime | None = None):
    """The login an open link is for, or InvitationInvalid."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if invitation is None:
        raise InvitationInvalid
    return invitation.user


@transaction.atomic
def invitation_accept(*, token: str, password: str, now: datetime.datetime | None = None):
    """Set the password chosen through an open link, and spend the link; returns the login."""
    now = now or timezone.now()
    spent = Invitation.objects.filter(
        token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now, user__is_active=True
    ).update(used_at=now)
    if spent != 1:  # the UPDATE is the check: of two tabs posting at once, one wins
        raise InvitationInvalid
    user = Invitation.objects.get(token_hash=_token_hash(token)).user
    _set_password(user, password)
    history.record(actor=user, action="user.invitation_accept", obj=user, payload={})
    return user


@transaction.atomic
def password_set_initial(*, user, password: str, actor=None) -> None:
    """An administrator's initial password: the login must change it at its first log-in."""
    _set_password(user, password)
    PasswordChangeRequired.objects.get_or_create(user=user)
    history.record(actor=actor, action="user.password_initial", obj=user, payload={})


@transaction.atomic
def password_change(*, user, password: str) -> None:
    """The login's own new password; lifts the obligation to change an initial one."""
    _set_password(user, password)
    PasswordChangeRequired.objects.filter(user=user).delete()
    history.record(actor=user, action="user.password_change", obj=user, payload={})


@transaction.atomic
def login_open(*, user, initial_password: str | None, actor=None) -> str | None:
    """Let a login in: with an initial password to change at its first log-in, or (None) with a
    new invitation link, whose token is returned (earlier open links are spent)."""
    if initial_password is not None:
        password_set_initial(user=user, password=initial_password, actor=actor)
        return None
    return invitation_issue(user=user, actor=actor)


def must_change_password(user) -> bool:
    return PasswordChangeRequired.objects.filter(user=user).exists()


def _set_password(user, password: str) -> None:
    # The password is never history (see the module's docstring); that it was set is.
    user.set_password(password)
    user.save(update_fields=["password"])
