"""The owner's page of personal access tokens: create one (its secret shown once), see and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenggai.api.forms import TokenCreateForm
from zhenggai.api.tokens import token_create, token_revoke
from zhenggai.ledger.errors import LedgerError


def _page(request: HttpRequest, form: TokenCreateForm, secret: str = "", status: int = 200) -> HttpResponse:
    tokens = request.user.api_tokens.all()  # type: ignore[union-attr]  # login_required
    context = {"form": form, "tokens": tokens, "secret": secret}
    response = render(request, "api/tokens.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"  # the secret is shown once, never kept by a cache
    return response


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            made = token_create(owner=request.user, **form.cleaned_data)
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            return _page(request, TokenCreateForm(), secret=made.secret)
    return _page(request, form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Started from the owner's own tokens: another's token is the same 404 as none.
    token = request.user.api_tokens.filter(pk=pk).first()  # type: ignore[union-attr]
    if token is None:
        raise Http404
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token was revoked: it no longer works."))
    return redirect("api_tokens:list")
