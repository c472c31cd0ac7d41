"""Pages of repeated findings: the list of a unit's or an office's repeats, a person's decision on
a suggested link, and the creation of a 回头看 round from an earlier one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.access import RoundRights, get_problem_for_user, get_round_for_user
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import RoundKind
from zhenggai.orgs.models import Organisation, Role
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.repeats import selectors, services
from zhenggai.repeats.models import RepeatLink

PAGE_SIZE = 50


def require_office(rights: RoundRights) -> None:
    """Deciding on repeats and looking back (回头看) are the inspection office's (a 403 for others)."""
    if Role.OFFICE_STAFF not in rights.roles:
        raise PermissionDenied


def _integer(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


@login_required
@require_GET
def repeat_list(request: HttpRequest) -> HttpResponse:
    """A unit's (?unit=) or an office's (?office=) repeated findings, with the dashboard's filters."""
    filters = DashboardFilters.from_query(request.GET)
    unit, office = _integer(request.GET.get("unit")), _integer(request.GET.get("office"))
    links = selectors.repeated_findings(request.user, filters, unit=unit, office=office)
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Organisation.objects.filter(pk=unit).first() if unit is not None and page.object_list else None
    return render(
        request,
        "repeats/list.html",
        {
            "page": page,
            "filters": filters,
            "unit": unit,
            "office": office,
            "unit_shown": shown,
            "kinds": RoundKind.choices,
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("dismiss", "dismiss")])
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)


@login_required
@require_POST
def link_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or dismiss a suggested link, from the later problem's page (office staff)."""
    link = RepeatLink.objects.filter(pk=pk).first()
    if link is None:
        raise Http404
    problem, rights = get_problem_for_user(request.user, link.newer_id)
    get_problem_for_user(request.user, link.earlier_id)  # both ends must be the user's to see
    require_office(rights)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or to dismiss."))
    else:
        try:
            services.link_decide(
                link=link,
                actor=request.user,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Decision recorded."))
        except LedgerError as exc:
            messages.error(request, str(exc))
    return redirect(f"{problem.get_absolute_url()}#repeats")


@login_required
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A person names the earlier finding a problem repeats, one the rule did not find (office
    staff): the findings of the unit's earlier rounds the user may see, to choose from."""
    problem, rights = get_problem_for_user(request.user, pk)
    require_office(rights)
    candidates = selectors.earlier_findings(request.user, problem)
    error = ""
    if request.method == "POST":
        chosen = {c.pk: c for c in candidates}.get(_integer(request.POST.get("earlier")) or 0)
        reason = (request.POST.get("reason") or "").strip()[:2000]
        if chosen is None:
            error = _("Choose the earlier finding.")
        else:
            try:
                services.link_add(newer=problem, earlier=chosen, actor=request.user, reason=reason)
            except LedgerError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(f"{problem.get_absolute_url()}#repeats")
    return render(
        request,
        "repeats/link_add.html",
        {"problem": problem, "round": problem.round, "candidates": candidates, "error": error},
        status=400 if error else 200,
    )


class FollowUpForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200)
    feedback_date = forms.DateField(label=gettext_lazy("Feedback date"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    """回头看: a new round of the same unit whose checklist is this round's open and long-term
    measures (office staff). GET shows the checklist and the form; POST creates the round."""
    round_, rights = get_round_for_user(request.user, pk)
    require_office(rights)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_round = services.follow_up_create(
                earlier=round_,
                actor=request.user,
                title=form.cleaned_data["title"],
                feedback_date=form.cleaned_data["feedback_date"],
            )
        except LedgerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The follow-up round was created with its checklist."))
            return redirect(new_round.get_absolute_url())
    checklist = list(services.checklist_measures(round_))
    return render(
        request,
        "repeats/follow_up.html",
        {"round": round_, "form": form, "checklist": checklist},
        status=400 if request.method == "POST" else 200,
    )
