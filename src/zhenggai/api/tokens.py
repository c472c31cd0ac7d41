"""Personal access tokens: created (the secret shown once), revoked, and checked on each request.

A token reads `zg_<prefix>_<secret>`. The prefix is public and indexed; the whole token's SHA-256
is stored, never the token. A SHA-256 suffices here (no slow hash as for passwords): the secret
is 256 random bits, not something a person chose, so no dictionary reaches it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.api.models import AccessToken, TokenScope, TokenUse
from zhenggai.history import services as history
from zhenggai.ledger.errors import LedgerError

TOKEN_START = "zg_"  # noqa: S105 - the public start of every token, not a secret
PREFIX_LENGTH = 10
# Days a token may live at most; one with no end is not offered: a forgotten token stays a door.
MAX_DAYS = 365
# last_used_at is written at most this often (every use is in TokenUse anyway).
LAST_USED_EVERY = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # the whole token, shown to its owner once


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def token_create(*, owner, name: str, scope: str, days: int) -> NewToken:
    """A new token of `owner`, valid for `days` (1 to MAX_DAYS); the secret is returned once."""
    name = name.strip()
    if not name:
        raise LedgerError(_("Give the token a name that says what it is for."))
    if scope not in TokenScope.values:
        raise LedgerError(_("Choose read only or read and write."))
    if not 1 <= days <= MAX_DAYS:
        raise LedgerError(_("A token is valid for 1 to %(days)s days.") % {"days": MAX_DAYS})
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = AccessToken.objects.create(
        owner=owner,
        name=name[:100],
        prefix=prefix,
        secret_sha256=_digest(secret),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    history.record(
        actor=owner,
        action="api_token.create",
        obj=token,
        payload={"name": token.name, "prefix": prefix, "scope": scope, "expires_at": token.expires_at},
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: AccessToken, actor) -> AccessToken:
    """Stop a token for good (a revoked token is kept, with its uses, for the record)."""
    locked = AccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        history.record(actor=actor, action="api_token.revoke", obj=locked, payload={"prefix": locked.prefix})
    return locked


def find_token(presented: str) -> AccessToken | None:
    """The token a request presents, with its owner, if the secret matches (active or not)."""
    if not presented.startswith(TOKEN_START) or len(presented) > 200:
        return None
    prefix = presented[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    found = AccessToken.objects.select_related("owner").filter(prefix=prefix).first()
    if found is None or not hmac.compare_digest(found.secret_sha256, _digest(presented)):
        return None
    return found


def owner_may_log_in(token: AccessToken, request) -> bool:
    """The same rules as the log-in page: an inactive account or one locked by django-axes for
    failed log-ins cannot use its tokens either."""
    owner = token.owner
    if not owner.is_active:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_locked(request, {"username": owner.get_username()})


@transaction.atomic
def record_use(*, token: AccessToken, method: str, path: str, status: int, ip: str | None) -> None:
    """One row a request (cheap: an INSERT, and last_used_at moved at most once a minute).

    On PostgreSQL its commit does not wait for the write-ahead log to reach the disk (one flush a
    request was most of a read's time): a crash may lose the last fraction of a second of use
    records, never a write of the ledger, whose transactions keep the server's setting."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    now = timezone.now()
    TokenUse.objects.create(token=token, at=now, method=method[:10], path=path[:300], status=status, ip=ip)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
