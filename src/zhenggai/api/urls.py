"""/api/: the API's operations, each use of a token recorded after its answer (api.tokens)."""

from __future__ import annotations

import functools

from django.urls import URLPattern

from zhenggai.api.api import api
from zhenggai.api.auth import TOKEN_ATTR
from zhenggai.api.tokens import record_use


def _recorded(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
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


_patterns, _app, _namespace = api.urls
app_name = "api"  # the namespace django-ninja reverses its own views in (NinjaAPI.urls_namespace)
urlpatterns = [
    URLPattern(p.pattern, _recorded(p.callback), p.default_args, p.name) if isinstance(p, URLPattern) else p
    for p in _patterns
]
