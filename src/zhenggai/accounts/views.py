from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhenggai.accounts import services
from zhenggai.accounts.middleware import MUST_CHANGE_PASSWORD


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The directory's button beside the password form, when one is configured (docs/signin.md).
        return super().get_context_data(oidc_enabled=settings.OIDC_ENABLED, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # The login hook of the forced change: PasswordChangeRequiredMiddleware reads the session,
        # so the pages pay no query for it.
        if services.must_change_password(form.get_user()):
            self.request.session[MUST_CHANGE_PASSWORD] = True
            return redirect("accounts:password_change")
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes shows once an account has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "This account is locked after %(n)s failed log-ins. Try again in %(minutes)s minutes, "
        "or ask your administrator to unlock it."
    ) % {"n": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Choose a new password: anyone for their own login, and first of all a login whose initial
    password an administrator set."""
    user = cast(User, request.user)  # login_required
    forced = bool(request.session.get(MUST_CHANGE_PASSWORD))
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if form.is_valid():
            services.password_change(user=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            request.session.pop(MUST_CHANGE_PASSWORD, None)
            messages.success(request, _("Your password is changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        status = 400
    else:
        form = PasswordChangeForm(user)
        status = 200
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced}, status=status)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: choose a password, once, before the link expires."""
    if request.user.is_authenticated:
        # Someone signed in would otherwise set another login's password while staying themselves.
        raise PermissionDenied
    try:
        user = services.invitation_user(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.method == "POST":
        form = SetPasswordForm(user, request.POST)
        if form.is_valid():
            try:
                services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
            except services.InvitationInvalid:
                return render(request, "accounts/invitation_invalid.html", status=404)
            messages.success(request, _("Your password is set. Log in with your user name and it."))
            return redirect("accounts:login")
        status = 400
    else:
        form = SetPasswordForm(user)
        status = 200
    return render(request, "accounts/invitation.html", {"form": form, "account": user}, status=status)
