"""Sign-in through the office's own directory (OpenID Connect), beside the password (docs/signin.md).

mozilla-django-oidc runs the code flow (state, nonce, PKCE, the token request, the ID token's
signature). This module adds what Zhenggai needs around it:

- the provider's addresses from its discovery document (`OIDC_ISSUER`) unless each is configured,
  fetched at the first sign-in and kept for the process, never at start-up nor per request;
- the ID token's issuer and audience checked (the library checks neither);
- people matched, never freely created: a login is found by its stored subject, else (first
  sign-in) by verified e-mail or a user-name claim (`OIDC_MATCH_BY`); someone unknown is refused
  unless `OIDC_CREATE_USERS` gives them a login without any role (roles come from the people pages
  and invitations, not from the directory); a deactivated or locked-out login is refused.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from zhenggai.accounts.models import OidcIdentity
from zhenggai.accounts.services import user_create
from zhenggai.history import services as history

logger = logging.getLogger(__name__)


# --- The provider's addresses ------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


class ProviderUnavailable(Exception):
    """The discovery document could not be read (the directory is down, or the address is wrong)."""


_discovered: dict[str, dict[str, Any]] = {}
_discovery_lock = threading.Lock()


def _discovery(issuer: str) -> dict[str, Any]:
    with _discovery_lock:
        if issuer not in _discovered:
            url = f"{issuer}/.well-known/openid-configuration"
            try:
                response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as exc:
                raise ProviderUnavailable(f"{url}: {exc}") from exc
            named = str(document.get("issuer", "")) if isinstance(document, dict) else ""
            if named.rstrip("/") != issuer:  # OpenID Connect Discovery 4.3: it must be the same
                raise ProviderUnavailable(f"{url} names another issuer: {named!r}")
            _discovered[issuer] = document  # only a good document is kept: a failure is tried again
        return _discovered[issuer]


def provider() -> Provider:
    """The directory's addresses: each configured one, the others from the discovery document."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    configured = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
    }
    if issuer and not all(configured.values()):
        document = _discovery(issuer)
        configured = {name: value or str(document.get(name) or "") for name, value in configured.items()}
    return Provider(issuer=issuer, **configured)


# --- Who signs in ------------------------------------------------------------------------------


class OidcRefused(Exception):
    """The directory vouched for someone who may not sign in here; `message` says why, in the
    user's language; `username` names them to the lock-out's count (django-axes)."""

    def __init__(self, message: str, *, username: str) -> None:
        super().__init__(message)
        self.message = message
        self.username = username


def _claim_text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _email_verified(claims: dict[str, Any]) -> bool:
    # A boolean by the standard; some directories send the string.
    return claims.get("email_verified") in (True, "true")


def _matched_user(claims: dict[str, Any]):
    """The login a first sign-in is for, by the configured claim; None if nobody has it."""
    users = get_user_model().objects.all()
    if settings.OIDC_MATCH_BY == "username":
        username = _claim_text(claims, settings.OIDC_USERNAME_CLAIM)
        return users.filter(username=username).first() if username else None
    email = _claim_text(claims, "email")
    if not email or not _email_verified(claims):
        return None  # an address the directory has not verified proves nothing
    found = list(users.filter(email__iexact=email)[:2])
    if len(found) > 1:
        raise OidcRefused(
            _("Several logins use the e-mail address %(email)s. Ask your administrator to sort them out.")
            % {"email": email},
            username=email,
        )
    return found[0] if found else None


def _new_username(claims: dict[str, Any], subject: str) -> str:
    user_model = get_user_model()
    base = (_claim_text(claims, settings.OIDC_USERNAME_CLAIM) or f"oidc-{subject}")[:140]
    username, n = base, 1
    while user_model.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def oidc_identity_user(*, issuer: str, claims: dict[str, Any]):
    """The login the directory's person `claims` signs in as, linked to them at their first
    sign-in (recorded in the history); OidcRefused for someone unknown, ambiguous, already linked to
    another person of the directory, or deactivated."""
    subject = _claim_text(claims, "sub")
    if not subject:
        raise OidcRefused(_("The directory did not say who you are."), username="")
    identity = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        user = identity.user
    else:
        user = _matched_user(claims)
        if user is None and settings.OIDC_CREATE_USERS:
            email = _claim_text(claims, "email") if _email_verified(claims) else ""
            user = user_create(
                username=_new_username(claims, subject),
                password=None,
                email=email,
                first_name=_claim_text(claims, "name")[:150],
            )
        if user is None:
            raise OidcRefused(
                _(
                    "You are not a user of this system yet. Roles in Zhenggai are given by your "
                    "unit's administrator or the inspection office: ask them for an invitation."
                ),
                username=f"oidc:{subject}"[:150],
            )
        if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise OidcRefused(
                _("This login is already linked to another person of the directory. Ask your administrator."),
                username=user.get_username(),
            )
        OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        history.record(
            actor=user, action="user.oidc_link", obj=user, payload={"issuer": issuer, "subject": subject}
        )
    if not user.is_active:
        raise OidcRefused(_("This login is deactivated."), username=user.get_username())
    return user


@transaction.atomic
def oidc_unlink(*, identity: OidcIdentity, actor) -> None:
    """Undo a link (the directory's person was matched to the wrong login): their next sign-in is
    matched afresh."""
    deleted, _ = OidcIdentity.objects.filter(pk=identity.pk).delete()
    if deleted:
        history.record(
            actor=actor,
            action="user.oidc_unlink",
            obj=identity.user,
            payload={"issuer": identity.issuer, "subject": identity.subject},
        )


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the provider's addresses read when first used, the ID
    token's issuer and audience checked, and people matched by `oidc_identity_user`.

    Django builds a backend for every request of a session signed in through it (to load the
    user), so the constructor reads settings only: no discovery there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # the library's attribute name
        return provider().token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider().userinfo_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider().jwks_uri

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        issuer = provider().issuer
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token was issued by another provider.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the userinfo's subject must be the ID token's.
            raise SuspiciousOperation("The userinfo answer is about someone else.")
        # Without OIDC_ISSUER (the endpoints configured one by one) the token's own `iss` names it.
        issuer = provider().issuer or str(payload.get("iss", ""))
        user = oidc_identity_user(issuer=issuer, claims={**payload, **userinfo})
        if AxesProxyHandler.is_locked(self.request, {"username": user.get_username()}):
            raise OidcRefused(_("This account is locked."), username=user.get_username())
        return user
