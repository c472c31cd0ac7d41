"""Thin views: the unit opens a call and answers; the public reads answers and writes in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhenggai import public_pages, public_visitors
from zhenggai.comments import selectors, services
from zhenggai.comments.forms import AnswerForm, CallForm, CommentForm
from zhenggai.comments.models import CommentCall
from zhenggai.ledger.access import get_comment_for_user, get_round_for_user, require
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.workflow import Action

PAGE_SIZE = 50  # comments a page; a round with a thousand comments is twenty pages, not one


def _inbox(
    request: HttpRequest, round_, rights, call_form=None, answer_forms=None, status=200
) -> HttpResponse:
    answer_forms = answer_forms or {}
    page = Paginator(selectors.round_comments(round_), PAGE_SIZE).get_page(request.GET.get("page"))
    calls = []
    for call in selectors.calls_of(round_):
        url = public_visitors.printed_link(request, reverse("comments:public", args=[call.token]))
        calls.append(
            {"call": call, "url": url, "qr": public_visitors.qr_svg(url), "open": services.is_open(call)}
        )
    can_answer = rights.can(Action.ANSWER_COMMENTS)
    rows = [
        {
            "row": row,
            "form": answer_forms.get(row.comment.pk) or AnswerForm(prefix=f"a{row.comment.pk}"),
        }
        for row in selectors.comment_rows(page.object_list)
    ]
    context = {
        "round": round_,
        "calls": calls,
        "rows": rows,
        "page": page,
        "can_answer": can_answer,
        "can_open": rights.can(Action.OPEN_COMMENTS),
        "call_form": call_form or CallForm(),
        "answer_days": selectors.answer_days(),
    }
    return render(request, "comments/round_comments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's calls for comments, with their link and QR code, and every comment received."""
    round_, rights = get_round_for_user(request.user, pk)
    if request.method == "GET":
        return _inbox(request, round_, rights)
    require(rights, Action.OPEN_COMMENTS)
    form = CallForm(request.POST)
    if form.is_valid():
        try:
            services.call_open(round_=round_, actor=request.user, **form.cleaned_data)
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The public page is open. Print its link or QR code in the report."))
            return redirect("comments:round_comments", pk=round_.pk)
    return _inbox(request, round_, rights, call_form=form, status=400)


@login_required
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    comment, rights = get_comment_for_user(request.user, pk)
    require(rights, Action.ANSWER_COMMENTS)
    form = AnswerForm(request.POST, prefix=f"a{comment.pk}")
    status = 400
    if form.is_valid():
        try:
            services.comment_answer(
                comment=comment,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                public=form.cleaned_data["public"],
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Answer recorded."))
            return redirect(
                _on_page(reverse("comments:round_comments", args=[comment.call.round_id]), request)
            )
    round_ = comment.call.round
    return _inbox(request, round_, rights, answer_forms={comment.pk: form}, status=status)


def _on_page(url: str, request: HttpRequest) -> str:
    """The comments page again, on the page the answer was written on (the form's ``?page=``)."""
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


PUBLIC_TEMPLATE = "comments/public.html"


@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, token: str) -> HttpResponse:
    """The page a published report points to: no log-in needed, and none taken."""
    shows = None
    if public_pages.may_keep(request):  # most visitors: the page as everyone sees it, kept rendered
        shows = selectors.public_page_shows(token)
        if shows is None:
            raise Http404
        if (page := public_pages.kept(request, PUBLIC_TEMPLATE, shows)) is not None:
            return page
    call = get_object_or_404(CommentCall.objects.select_related("round__inspected_unit"), token=token)
    form = CommentForm(request.POST if request.method == "POST" else None)
    refused, status = "", 200
    if request.user.is_authenticated:
        refused, status = str(services.PUBLIC_ONLY), 403
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_submit(
                    call=call,
                    logged_in=False,
                    network=public_visitors.request_network_key(request),
                    **form.cleaned_data,
                )
            except services.TooManyComments as exc:
                refused, status = exc.message, 429
            except services.CommentRefused as exc:
                refused, status = exc.message, 409
            else:
                messages.success(request, _("Thank you. Your comment has been received."))
                return redirect("comments:public", token=token)
    context = {
        "call": call,
        "round": call.round,
        "form": form,
        "open": services.is_open(call),
        "refused": refused,
        "answers": selectors.published_answers(call),
    }
    return public_pages.render_public(request, PUBLIC_TEMPLATE, context, shows=shows, status=status)
