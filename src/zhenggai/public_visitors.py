"""What the public pages (a receipt slip, a call for comments) keep of an anonymous visitor.

Only keyed hashes (HMAC with the site's secret key), never an address: enough to tell that one
browser or one network answered many times, not who anyone is.
"""

from __future__ import annotations

import secrets

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

DEVICE_COOKIE = "zg_device"
DEVICE_SALT = "zhenggai.public.device"
DEVICE_MAX_AGE = 400 * 24 * 3600  # browsers keep a cookie 400 days at most
USER_AGENT_CHARS = 300


def device_id(request: HttpRequest) -> str:
    """The random id this browser got from an earlier public page ('' if none, or forged)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or ""


def give_device_id(request: HttpRequest, response: HttpResponse) -> None:
    """Put a random id in the browser, once, in a signed cookie only the server can read back."""
    if device_id(request):
        return
    response.set_signed_cookie(
        DEVICE_COOKIE,
        secrets.token_urlsafe(16),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def device_hash(device: str) -> str:
    return salted_hmac("zhenggai.public.device-hash", device).hexdigest()


def network_hash(address: str, user_agent: str) -> str:
    """One network and one kind of browser. Behind a reverse proxy, REMOTE_ADDR must be the client's."""
    return salted_hmac("zhenggai.public.network", f"{address}|{user_agent[:USER_AGENT_CHARS]}").hexdigest()


def request_network(request: HttpRequest) -> str:
    return network_hash(request.META.get("REMOTE_ADDR", ""), request.headers.get("User-Agent", ""))


def printed_link(request: HttpRequest, path: str) -> str:
    """The full address of a public page, to print on paper: ZHENGGAI_SITE_URL in front when it is
    set (the address the public reaches), else the address the member of staff's browser used."""
    site = str(settings.ZHENGGAI.get("SITE_URL") or "").rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def qr_svg(url: str, title: str = "") -> SafeString:
    """The link as a QR code, inline SVG. segno writes it from the link and title alone, escaped."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, title=title or None))  # noqa: S308
