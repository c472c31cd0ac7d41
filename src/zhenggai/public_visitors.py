"""What the public pages (a receipt slip, a call for comments) keep of an anonymous visitor.

Only keyed hashes (HMAC with the site's secret key), never an address: enough to tell that one
browser or one network answered many times, not who anyone is.

A network is one IPv4 address, or one IPv6 /64 (the prefix a provider gives one household or one
office: every device there picks its own addresses inside it). Behind a reverse proxy the client's
address comes from ``X-Forwarded-For``, and only when the request came from a proxy named in
``ZHENGGAI_TRUSTED_PROXIES``: anyone else can write that header.
"""

from __future__ import annotations

import ipaddress
import secrets
from functools import cache

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


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _proxies(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """The networks of ZHENGGAI_TRUSTED_PROXIES (checked when the settings load)."""
    return _proxies(tuple(settings.ZHENGGAI.get("TRUSTED_PROXIES") or ()))


def _address(text: str) -> IPAddress | None:
    """An address as a proxy writes it: plain, ``[v6]:port`` or ``v4:port``; None if it is not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_proxy(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request: HttpRequest) -> str:
    """The address a public request came from, for comments and receipts alike.

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most address of X-Forwarded-For
    that is not itself a trusted proxy (what is left of it was written by the client, and proves
    nothing). '' when there is no address to be had.
    """
    proxies = trusted_proxies()
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    if not proxies or not _is_proxy(peer, proxies):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")  # several headers arrive joined by commas
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # garbage where a proxy should have written an address: keep the last good hop
        peer = address
        if not _is_proxy(address, proxies):
            break
    return str(peer)


def network_of(address: str) -> str:
    """The network an address belongs to: the IPv4 address itself, or its IPv6 /64."""
    parsed = _address(address)
    if parsed is None:
        return ""
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64)))
    return str(parsed)


def network_key(address: str) -> str:
    """One network, whatever browser: what the hourly limit on comments counts."""
    return salted_hmac("zhenggai.public.network-key", network_of(address)).hexdigest()


def network_hash(address: str, user_agent: str) -> str:
    """One network and one kind of browser: what a receipt keeps, to flag answers from one desk."""
    network = network_of(address)
    return salted_hmac("zhenggai.public.network", f"{network}|{user_agent[:USER_AGENT_CHARS]}").hexdigest()


def request_network(request: HttpRequest) -> str:
    return network_hash(client_address(request), request.headers.get("User-Agent", ""))


def request_network_key(request: HttpRequest) -> str:
    return network_key(client_address(request))


def printed_link(request: HttpRequest, path: str) -> str:
    """The full address of a public page, to print on paper: ZHENGGAI_SITE_URL in front when it is
    set (the address the public reaches), else the address the member of staff's browser used."""
    site = str(settings.ZHENGGAI.get("SITE_URL") or "").rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def qr_svg(url: str, title: str = "") -> SafeString:
    """The link as a QR code, inline SVG. segno writes it from the link and title alone, escaped."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, title=title or None))  # noqa: S308
