"""Thin views: the unit issues and prints slips, reviewers read them back, residents confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhenggai import public_pages, public_visitors
from zhenggai.ledger import workflow
from zhenggai.ledger.access import get_measure_for_user, get_receipt_batch_for_user, require
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Role
from zhenggai.receipts import selectors, services
from zhenggai.receipts.forms import BatchForm, ConfirmForm
from zhenggai.receipts.models import Receipt

# Who may read the telephone numbers residents leave: those who ring them back (回访).
PHONE_READERS = frozenset({Role.OFFICE_STAFF, Role.SUPERVISOR})


@login_required
@require_http_methods(["GET", "POST"])
def measure_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """The batches of slips of one measure, and the form to issue a new one."""
    measure, rights = get_measure_for_user(request.user, pk)
    can_issue = rights.can(Action.ISSUE_RECEIPTS) and measure.status in workflow.EDITABLE_STATES
    form = BatchForm(request.POST if request.method == "POST" else None, max_slips=services.max_slips())
    status = 200
    if request.method == "POST":
        require(rights, Action.ISSUE_RECEIPTS)
        if form.is_valid():
            try:
                batch = services.batch_issue(measure=measure, actor=request.user, **form.cleaned_data)
            except LedgerError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Slips made. Print them and hand one to each household."))
                return redirect("receipts:batch_slips", batch.pk)
        status = 400
    batches = list(selectors.batches_of(measure))
    suspects = selectors.suspect_counts(batches)
    for batch in batches:
        batch.suspect = suspects.get(batch.pk, 0)  # type: ignore[attr-defined]
    context = {
        "measure": measure,
        "round": measure.round,
        "batches": batches,
        "form": form,
        "can_issue": can_issue,
        "max_slips": services.max_slips(),
    }
    return render(request, "receipts/measure_receipts.html", context, status=status)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch, rights = get_receipt_batch_for_user(request.user, pk)
    context = {
        "batch": batch,
        "measure": batch.measure,
        "round": batch.measure.round,
        "report": selectors.batch_report(batch),
        "show_phone": bool(rights.roles & PHONE_READERS),
        "can_print": rights.can(Action.ISSUE_RECEIPTS),
        "same_network": selectors.same_network_limit(),
    }
    return render(request, "receipts/batch_detail.html", context)


@login_required
@require_GET
def batch_slips(request: HttpRequest, pk: int) -> HttpResponse:
    """The slips not yet answered, to print: each with its number, its link and its QR code."""
    batch, rights = get_receipt_batch_for_user(request.user, pk)
    require(rights, Action.ISSUE_RECEIPTS)
    slips = []
    for receipt in batch.receipts.filter(confirmed_at__isnull=True).order_by("number"):
        url = public_visitors.printed_link(request, reverse("receipts:confirm", args=[receipt.token]))
        slips.append(
            {"receipt": receipt, "url": url, "qr": public_visitors.qr_svg(url, f"No. {receipt.number}")}
        )
    context = {"batch": batch, "measure": batch.measure, "round": batch.measure.round, "slips": slips}
    return render(request, "receipts/slips.html", context)


CONFIRM_TEMPLATE = "receipts/confirm.html"


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page a resident's phone opens from the slip: no log-in, and none allowed."""
    shows = None
    if public_pages.may_keep(request):  # the slip as every phone sees it, kept rendered
        shows = selectors.slip_page_shows(token)
        if shows is None:
            raise Http404
        if (page := public_pages.kept(request, CONFIRM_TEMPLATE, shows)) is not None:
            public_visitors.give_device_id(request, page)
            return page
    receipt = get_object_or_404(
        Receipt.objects.select_related("batch__measure__round__inspected_unit"), token=token
    )
    batch = receipt.batch
    posted = request.POST if request.method == "POST" else None  # an empty answer is still an answer
    form = ConfirmForm(posted, asks_satisfaction=batch.asks_satisfaction)
    refused = ""
    status = 200
    if request.user.is_authenticated:  # refused before any answer is read (the service refuses too)
        refused, status = str(services.STAFF_REFUSAL), 403
    elif request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.receipt_confirm(
                    receipt=receipt,
                    answer=services.Answer(
                        household=data["household"],
                        phone=data["phone"],
                        satisfaction=data.get("satisfaction", ""),
                        comment=data["comment"],
                    ),
                    sender=services.Sender(
                        logged_in=False,
                        device_id=public_visitors.device_id(request),
                        network=public_visitors.request_network(request),
                    ),
                )
            except services.ReceiptRefused as exc:
                refused, status = exc.message, 409
                # Another phone may have answered this slip meanwhile: show it as it is now.
                receipt.refresh_from_db(fields=["confirmed_at"])
            else:
                return redirect("receipts:confirm", token=token)
        else:
            status = 400
    context = {
        "receipt": receipt,
        "batch": batch,
        "unit": batch.measure.round.inspected_unit,
        "form": form,
        "refused": refused,
    }
    response = public_pages.render_public(request, CONFIRM_TEMPLATE, context, shows=shows, status=status)
    public_visitors.give_device_id(request, response)
    return response
