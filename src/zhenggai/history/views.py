"""The timeline of a round, a problem or a measure: the full page, or its fragment for HTMX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.history import selectors
from zhenggai.history.display import timeline_items
from zhenggai.ledger.access import get_measure_for_user, get_problem_for_user, get_round_for_user


def _timeline(request: HttpRequest, entries, subject, back: str) -> HttpResponse:
    context = {"items": timeline_items(entries), "subject": subject, "back": back}
    if request.headers.get("HX-Request") == "true":
        return render(request, "history/_timeline.html", context)
    return render(request, "history/timeline.html", context)


@login_required
@require_GET
def round_history(request: HttpRequest, pk: int) -> HttpResponse:
    round_, _rights = get_round_for_user(request.user, pk)
    return _timeline(request, selectors.round_timeline(round_.pk), round_, round_.get_absolute_url())


@login_required
@require_GET
def problem_history(request: HttpRequest, pk: int) -> HttpResponse:
    problem, _rights = get_problem_for_user(request.user, pk)
    entries = selectors.timeline("ledger.problem", problem.pk)
    return _timeline(request, entries, problem, problem.get_absolute_url())


@login_required
@require_GET
def measure_history(request: HttpRequest, pk: int) -> HttpResponse:
    measure, _rights = get_measure_for_user(request.user, pk)
    entries = selectors.timeline("ledger.measure", measure.pk)
    back = f"{measure.problem.get_absolute_url()}#measure-{measure.pk}"
    return _timeline(request, entries, measure, back)
