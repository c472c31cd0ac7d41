from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes shows once an account has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "This account is locked after %(n)s failed log-ins. Try again in %(minutes)s minutes, "
        "or ask your administrator to unlock it."
    ) % {"n": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
