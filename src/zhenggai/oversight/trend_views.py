"""The weekly trend on a page of its own (the dashboard includes the same partial)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.oversight.filters import DashboardFilters
from zhenggai.oversight.trends import weekly_trend


@login_required
@require_GET
def trend(request: HttpRequest) -> HttpResponse:
    """The trend of the rounds the user may see, with the dashboard's filters from the URL."""
    filters = DashboardFilters.from_query(request.GET)
    return render(
        request, "oversight/trend.html", {"filters": filters, "trend": weekly_trend(request.user, filters)}
    )
