"""The timeline of a round, a problem or a measure: the full page, or its fragment for HTMX."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.history import selectors
from zhenggai.history.display import timeline_items
from zhenggai.ledger.access import get_measure_for_user, get_problem_for_user, get_round_for_user
from zhenggai.ledger.keyset import Key, keyset_page

# Oldest first, in pages of keyset links ("earlier / later" from the seq shown): a province's
# rounds gather hundreds of entries each, and the measure card loads its timeline as a fragment.
HISTORY_ORDER = (Key("seq"),)


def _timeline(request: HttpRequest, entries, subject, back: str) -> HttpResponse:
    page = keyset_page(entries, HISTORY_ORDER, request.GET, settings.ZHENGGAI["LEDGER_PAGE_SIZE"])
    context = {
        "items": timeline_items(page.items),
        "page": page,
        "base": request.path,  # the links of the fragment, shown in a card, lead to the history page
        "subject": subject,
        "back": back,
    }
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
