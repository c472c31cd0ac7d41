"""Who calls the API: a personal access token (`Authorization: Bearer zg_…`), or the browser's
session (its CSRF token checked for writes, as for the pages)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from zhenggai.api.errors import ApiError
from zhenggai.api.tokens import find_token, owner_may_log_in

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_ATTR = "_zhenggai_api_token"  # noqa: S105 - an attribute name; the token a request came with, for its use record


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = find_token(token)
        if found is None:
            return None
        setattr(request, TOKEN_ATTR, found)  # every use is recorded, refused ones too
        if not found.is_active or not owner_may_log_in(found, request):
            return None
        if request.method not in SAFE_METHODS and not found.may_write:
            raise ApiError(
                403, "read_only_token", _("This token may only read. Create a token that may write.")
            )
        request.user = found.owner
        return found.owner


class BrowserSession(SessionAuth):
    """The logged-in browser (the docs page's "Try it out"); CSRF is checked for writes."""

    def __init__(self) -> None:
        super().__init__(csrf=True)
