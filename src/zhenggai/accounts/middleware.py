import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language (the language cookie), whatever the browser says.

    Django's LocaleMiddleware would follow Accept-Language, and most office PCs run browsers set
    to English while their users work in Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """Ends a session SESSION_COOKIE_AGE seconds after its last request (等保: idle logout), while
    writing it at most once every SESSION_REFRESH_SECONDS.

    Django's SESSION_SAVE_EVERY_REQUEST would do the same with one UPDATE transaction per page
    view, each waiting for the disk and, on SQLite, for the database's only writer. Here the
    expiry moves forward only when the last move is older than the refresh interval, so a session
    ends between AGE − REFRESH and AGE seconds after its last request. Must come after Django's
    SessionMiddleware, which then saves the session it finds modified.
    """

    KEY = "_zhenggai_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # modified: saved with a new expiry
        return response


MUST_CHANGE_PASSWORD = "_zhenggai_must_change_password"  # noqa: S105 - a session key


class PasswordChangeRequiredMiddleware:
    """Sends a login that still has the initial password an administrator gave it to the
    change-password page, whatever it asks for, until it has chosen its own.

    The log-in (accounts.views.LoginView) marks the session; reading it costs no query. Must come
    after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(MUST_CHANGE_PASSWORD) and request.user.is_authenticated:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:password_change")
        return self.get_response(request)
