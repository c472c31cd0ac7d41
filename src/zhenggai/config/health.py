"""`/healthz/`: whether this application process answers, for nginx, a load balancer or systemd.

It answers through the whole middleware stack, like any page, but touches no database or cache:
a constant. That is also what `bench/public.py` measures the public pages against.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def alive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
