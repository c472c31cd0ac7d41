"""Bulk assignment of a round's measures (批量分配): preview what changes, then apply it.

The preview answers HTMX with a fragment under the ledger's form and a plain POST with a page;
the confirmation is a plain POST that redirects back to the ledger, its filters kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import bulk, selectors
from zhenggai.ledger.access import get_round_for_user, get_round_measures_for_user, require_edit
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.forms import BulkAssignForm, LedgerFilterForm
from zhenggai.ledger.models import InspectionRound
from zhenggai.ledger.views import BULK_OPEN, round_filter_departments

PREVIEW = "ledger/bulk_preview.html"


def _selected(request: HttpRequest, round_: InspectionRound, form: BulkAssignForm) -> list[int]:
    """The ids chosen: ticked rows, or every row the ledger's filter (its query string) shows."""
    if form.cleaned_data["all_matching"]:
        query = QueryDict(form.cleaned_data["filter"])
        filters = LedgerFilterForm(query or None, departments=round_filter_departments(round_)).filters()
        rows = selectors.ledger_measures(request.user, round_=round_, filters=filters)
        return list(rows.values_list("pk", flat=True))
    return get_round_measures_for_user(request.user, round_, form.cleaned_data["measure"])


def _render(request, round_, form, status: int = 200, **context) -> HttpResponse:
    is_htmx = request.headers.get("HX-Request") == "true"
    template = f"{PREVIEW}#preview" if is_htmx else PREVIEW
    context = {"round": round_, "form": form, "filter": request.POST.get("filter", ""), **context}
    # An HTMX answer other than 200 would not be swapped in; the refusal is shown all the same.
    return render(request, template, context, status=200 if is_htmx else status)


def _bound(request: HttpRequest, pk: int) -> tuple[InspectionRound, BulkAssignForm]:
    """The round (404 if not the user's, 403 if they may not edit it) and the posted form."""
    round_, rights = get_round_for_user(request.user, pk)
    require_edit(rights)
    return round_, BulkAssignForm.for_round(round_, request.POST)


@login_required
@require_GET
def bulk_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The form, asked for by the ledger's "Assign in bulk" (HTMX): the section that takes the
    button's place, its first field focused. Otherwise, the ledger with the form open."""
    round_, rights = get_round_for_user(request.user, pk)
    require_edit(rights)
    if request.headers.get("HX-Request") != "true":
        return redirect(f"{round_.get_absolute_url()}?{BULK_OPEN}=open")
    form = BulkAssignForm.for_round(round_)
    form.fields["responsible_leader"].widget.attrs["autofocus"] = True
    return render(request, "ledger/ledger.html#bulk_section", {"round": round_, "bulk_form": form})


@login_required
@require_POST
def bulk_preview(request: HttpRequest, pk: int) -> HttpResponse:
    round_, form = _bound(request, pk)
    if not form.is_valid():
        return _render(request, round_, form, status=400)
    ids = _selected(request, round_, form)
    plan = bulk.bulk_preview(round_=round_, actor=request.user, measure_ids=ids, values=form.values())
    return _render(request, round_, form, plan=plan, hidden=form.hidden_values())


@login_required
@require_POST
def bulk_apply(request: HttpRequest, pk: int) -> HttpResponse:
    round_, form = _bound(request, pk)
    if not form.is_valid():
        return _render(request, round_, form, status=400)
    chosen = form.cleaned_data["measure"]
    get_round_measures_for_user(request.user, round_, chosen)  # another unit's measure: 404, nothing written
    if not chosen or None in chosen.values():
        return _render(
            request, round_, form, status=400, error=_("Preview the changes before applying them.")
        )
    try:
        updated = bulk.bulk_assign(round_=round_, actor=request.user, versions=chosen, values=form.values())
    except bulk.BulkRefused as exc:
        return _render(request, round_, form, status=409, error=exc.message, refused=exc.refused)
    except LedgerError as exc:
        return _render(request, round_, form, status=409, error=exc.message)
    messages.success(request, _("%(n)s measures were changed.") % {"n": len(updated)})
    # Back to the ledger as it was: its filter (re-encoded: only a query string), the form open.
    query = QueryDict(form.cleaned_data["filter"], mutable=True)
    query[BULK_OPEN] = "open"
    return redirect(f"{round_.get_absolute_url()}?{query.urlencode()}")
