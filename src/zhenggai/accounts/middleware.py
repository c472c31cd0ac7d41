import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from zhenggai.accounts import two_factor


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


# Pages the public opens (a published report, a call for comments, a resident's receipt slip):
# reports.urls `r/`, comments.urls `y/<token>/`, receipts.urls `h/<token>/`.
PUBLIC_PREFIXES = ("/r/", "/y/", "/h/")
TWO_FACTOR_EXEMPT_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:two_factor",
    "accounts:two_factor_verify",
    "accounts:oidc_start",
    "accounts:oidc_callback",
    "set_language",
    "healthz",
)


class TwoFactorRequiredMiddleware:
    """With REQUIRE_TOTP_FOR_OFFICE on, sends a signed-in holder of an office role who has not
    given a one-time code in this session to the code page (or, with no authenticator yet, to the
    enrolment page), whatever they ask for: the sign-in pages, the public pages, static files and
    the health check excepted.

    Must come after django-otp's OTPMiddleware (request.user.is_verified). Costs nothing while the
    rule is off, and one query a request for a signed-in login without a verified code."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self._exempt: frozenset[str] | None = None

    def _exempt_paths(self) -> frozenset[str]:
        if self._exempt is None:
            self._exempt = frozenset(reverse(name) for name in TWO_FACTOR_EXEMPT_NAMES)
        return self._exempt

    def __call__(self, request):
        if settings.REQUIRE_TOTP_FOR_OFFICE and request.user.is_authenticated:
            path = request.path
            exempt = path in self._exempt_paths() or path.startswith((settings.STATIC_URL, *PUBLIC_PREFIXES))
            if not exempt and not request.user.is_verified():
                if two_factor.required_for(request.user):
                    target = (
                        "accounts:two_factor_verify"
                        if two_factor.device_of(request.user)
                        else "accounts:two_factor"
                    )
                    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
