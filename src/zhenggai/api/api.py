"""The REST API (/api/): django-ninja generates its OpenAPI 3 description from the typed code
(/api/openapi.json) and serves Swagger UI from its own package's static files (/api/docs)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zhenggai.api import acts, follow, imports, reads, writes  # noqa: F401 - all but reads add operations to its router
from zhenggai.api.auth import BearerToken, BrowserSession
from zhenggai.api.errors import ApiError
from zhenggai.api.idempotency import json_response
from zhenggai.ledger.errors import LedgerError

# Swagger UI (React) writes style attributes into the page; the site's policy allows styles from
# its own files only. The docs page alone (and its description) allows inline styles; scripts stay
# 'self' only: swagger-ui-init.js is a file, the settings a JSON block, no inline script.
_docs_policy = csp_update({"style-src": ["'unsafe-inline'"]})

api = NinjaAPI(
    title="Zhenggai 整改 API",
    version="1",
    description="The rectification ledger: rounds, problems, measures and their closing cycle. "
    "Authenticate with `Authorization: Bearer <personal access token>` (docs/api.md).",
    auth=[BearerToken(), BrowserSession()],
    urls_namespace="api",
    docs_decorator=_docs_policy,
)
api.add_router("", reads.router)  # writes.py adds its operations to the same router


def _error(status: int, code: str, detail: str, **extra) -> HttpResponse:
    return json_response(status, {"detail": detail, "code": code, **extra})


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return json_response(exc.status, exc.body())


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The same answer for a record that does not exist and one outside the caller's reach.
    return _error(404, "not_found", _("Not found, or not yours to see."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(403, "forbidden", _("Your role does not allow this here."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(
        401, "unauthenticated", _("A valid access token is needed: it may be missing, expired or revoked.")
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    return _error(422, "invalid", _("The request's data is not valid: see errors."), errors=errors)


@api.exception_handler(LedgerError)
def _refused(request: HttpRequest, exc: LedgerError) -> HttpResponse:
    # A rule of the field refuses (a stale version is answered by the operation: a 409 with the changes) the step (the state machine, four eyes, a missing reason…).
    return _error(422, "refused", exc.message, errors=[])
