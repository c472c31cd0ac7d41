"""The list of flagged measures, and the office's dismissals: thin views over selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.access import get_measure_for_user
from zhenggai.ledger.errors import LedgerError
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.signals import selectors, services
from zhenggai.signals.catalogue import SIGNALS
from zhenggai.signals.forms import DismissForm
from zhenggai.signals.models import SignalKey


def _unit(request: HttpRequest) -> int | None:
    value = (request.GET.get("unit") or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


@login_required
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    """The measures flagged with one signal (?signal=KEY), within the dashboard's filters and
    optionally one unit (?unit=ID); ?dismissed=1 lists those dismissed, with the reasons."""
    filters = DashboardFilters.from_query(request.GET)
    unit = _unit(request)
    key = request.GET.get("signal") or SignalKey.SLOGAN
    if key not in SIGNALS:
        key = SignalKey.SLOGAN
    dismissed = request.GET.get("dismissed") == "1"
    counts = selectors.signal_counts(request.user, filters, unit)
    measures = selectors.flagged_measures(request.user, key, filters, unit, dismissed=dismissed)
    page = Paginator(measures, settings.ZHENGGAI["LEDGER_PAGE_SIZE"]).get_page(request.GET.get("page"))
    rows = selectors.flagged_rows(request.user, key, list(page.object_list), dismissed=dismissed)
    base = filters.query(unit=unit)
    tabs = [
        {
            "key": s.key,
            "title": s.title,
            "count": counts[s.key],
            "query": filters.query(unit=unit, signal=s.key),
        }
        for s in SIGNALS.values()
    ]
    context = {
        "signal": SIGNALS[key],
        "key": key,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "dismissed": dismissed,
        "filters": filters,
        "unit": unit,
        "here": f"{reverse('signals:list')}?{filters.query(unit=unit, signal=key, dismissed='1' if dismissed else '')}",
        "other_view": filters.query(unit=unit, signal=key, dismissed="" if dismissed else "1"),
        "base_query": base,
        "query": filters.query(unit=unit, signal=key, dismissed="1" if dismissed else ""),
        "form": DismissForm(initial={"key": key}),
    }
    return render(request, "signals/list.html", context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("signals:list")


def _judge(request: HttpRequest, pk: int, write, done: str) -> HttpResponse:
    measure, _rights = get_measure_for_user(request.user, pk)
    if not selectors.may_dismiss(request.user, measure.round):
        raise PermissionDenied
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the signal and a reason."))
        return redirect(_back(request))
    try:
        write(
            measure=measure,
            key=form.cleaned_data["key"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_back(request))


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """The office judges that a signal on a measure needs no action, with its reason."""
    return _judge(
        request, pk, services.signal_dismiss, _("Signal dismissed; the reason is kept in the history.")
    )


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    """The office withdraws a dismissal: the signal shows again (the dismissal is kept)."""
    return _judge(request, pk, services.signal_restore, _("The signal shows again."))
