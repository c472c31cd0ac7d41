"""The pages of two-factor sign-in: enrol an authenticator, give its code, remove it."""

from __future__ import annotations

from typing import cast

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhenggai.accounts import two_factor

SECRET_KEY = "_zhenggai_totp_secret"  # noqa: S105 - a session key: the secret being enrolled


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        min_length=6,
        max_length=8,  # "123 456" as some apps show it
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _wrong_code(request: HttpRequest, user: User) -> HttpResponse | None:
    """A wrong code counts as a failed log-in (django-axes): once the account is locked, the
    session ends and the lock-out page answers (AxesMiddleware)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return HttpResponse(status=429)  # replaced by AxesMiddleware with the lock-out page
    return None


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the secret), then give a code from it.
    With one enrolled already: what it is, and how to remove it."""
    user = cast(User, request.user)  # login_required
    device = two_factor.device_of(user)
    if device is not None:
        return render(
            request, "accounts/two_factor_enrolled.html", {"required": two_factor.required_for(user)}
        )
    secret = request.session.get(SECRET_KEY)
    if not secret:  # kept until enrolled: the QR code stays the same across reloads
        secret = request.session[SECRET_KEY] = two_factor.new_secret()
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device = two_factor.totp_enrol(user=user, secret=secret, token=form.cleaned_data["code"])
            except two_factor.AlreadyEnrolled:
                return redirect("accounts:two_factor")
            except two_factor.CodeWrong:
                form.add_error(
                    "code", _("This is not the app's current code. Check the phone's clock and try again.")
                )
            else:
                request.session.pop(SECRET_KEY, None)
                django_otp.login(request, device)
                messages.success(
                    request, _("Two-factor sign-in is on: from now on you give a code after your password.")
                )
                return redirect(_next_url(request))
    svg, text_secret = two_factor.provisioning(user, secret)
    context = {
        "form": form,
        "qr_svg": svg,
        "secret": " ".join(text_secret[i : i + 4] for i in range(0, len(text_secret), 4)),
        "required": two_factor.required_for(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=status)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Give the authenticator's current code, after the password or directory sign-in."""
    user = cast(User, request.user)  # login_required
    if user.is_verified():  # type: ignore[attr-defined] # django-otp's OTPMiddleware
        return redirect(_next_url(request))
    device = two_factor.device_of(user)
    if device is None:
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        wait = two_factor.throttle_wait(device)
        if wait:
            form.add_error(None, _("Too many wrong codes: wait %(n)s seconds, then try again.") % {"n": wait})
            status = 429
        elif not form.is_valid():
            pass  # nothing typed that could be a code: said by the form, not counted
        elif two_factor.totp_check(device=device, token=form.cleaned_data["code"]):
            django_otp.login(request, device)
            return redirect(_next_url(request))
        else:
            locked = _wrong_code(request, user)
            if locked is not None:
                return locked
            form.add_error("code", _("This code is wrong or was used already."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove the enrolled authenticator, proven by its current code."""
    user = cast(User, request.user)  # login_required
    device = two_factor.device_of(user)
    if device is None:
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    if two_factor.throttle_wait(device):
        messages.error(request, _("Too many wrong codes: wait a little, then try again."))
    elif form.is_valid() and two_factor.totp_check(device=device, token=form.cleaned_data["code"]):
        two_factor.totp_remove(user=user, device=device)
        messages.success(request, _("The authenticator is removed."))
    else:
        locked = _wrong_code(request, user)
        if locked is not None:
            return locked
        messages.error(request, _("This code is wrong or was used already: the authenticator is kept."))
    return redirect("accounts:two_factor")
