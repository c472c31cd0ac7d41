"""The two ends of a directory sign-in: off to the directory, and back with its answer."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from zhenggai.accounts.oidc import OidcRefused, ProviderUnavailable, provider

logger = logging.getLogger(__name__)


def _unavailable(request: HttpRequest) -> HttpResponse:
    messages.error(
        request, _("The directory cannot be reached now. Try again later, or log in with your password.")
    )
    return redirect("accounts:login")


class OidcStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the directory with a new state, nonce and PKCE challenge (kept in the
    session). 404 while no directory is configured."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library's reads the addresses here; they are read per request

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:  # the library's attribute name
        return provider().authorization_endpoint

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            provider()
        except ProviderUnavailable as exc:
            logger.warning("OIDC discovery failed: %s", exc)
            return _unavailable(request)
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Where the directory sends the browser back: the code is exchanged and the person signed in,
    or sent back to the log-in page with the reason, in Chinese first. A refusal counts as a
    failed log-in (django-axes records it, and locks the account after too many)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except OidcRefused as refused:
            user_login_failed.send(
                sender=__name__, credentials={"username": refused.username}, request=request
            )
            messages.error(request, refused.message)
            return redirect("accounts:login")
        except ProviderUnavailable as exc:
            logger.warning("OIDC discovery failed: %s", exc)
            return _unavailable(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError, KeyError) as exc:
            # A state or nonce that is not this browser's, a forged or expired token, a directory
            # that answered nonsense: the same page, the details in the log only.
            logger.warning("OIDC sign-in refused: %s", exc)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, _("The sign-in through the directory did not complete. Start again."))
        return redirect("accounts:login")
