"""/api/: the API's operations, each use of a token recorded after its answer (api.tokens)."""

from __future__ import annotations

import functools

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from zhenggai.api.api import api
from zhenggai.api.auth import TOKEN_ATTR
from zhenggai.api.idempotency import json_response
from zhenggai.api.tokens import record_use


def _recorded(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response = _not_allowed(response)
        token = getattr(request, TOKEN_ATTR, None)
        if token is not None:
            record_use(
                token=token,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                ip=request.META.get("REMOTE_ADDR") or None,
            )
        return response

    return wrapper


def _not_allowed(response: HttpResponseBase) -> HttpResponse:
    """django-ninja's 405 is a blank page: the API's errors are JSON, with the methods allowed."""
    answer = json_response(
        405, {"detail": _("This address does not take this method."), "code": "method_not_allowed"}
    )
    answer["Allow"] = response.get("Allow", "")
    return answer


@csrf_exempt
def not_found(request, rest: str = "") -> HttpResponse:
    """An address under /api/ that names no operation: the API's 404, in JSON."""
    return json_response(404, {"detail": _("Not found, or not yours to see."), "code": "not_found"})


_patterns, _app, _namespace = api.urls
app_name = "api"  # the namespace django-ninja reverses its own views in (NinjaAPI.urls_namespace)
urlpatterns = [
    URLPattern(p.pattern, _recorded(p.callback), p.default_args, p.name) if isinstance(p, URLPattern) else p
    for p in _patterns
]
urlpatterns.append(re_path(r"^(?P<rest>.*)$", not_found))
