"""Which addresses a webhook may be sent to: public ones, or hosts the administrator listed.

Settings: `WEBHOOK_ALLOWED_HOSTS` (env `ZHENGGAI_WEBHOOK_ALLOWED_HOSTS`, comma-separated). An entry
is a host name (matched exactly, case-insensitively), an IP address or a network (10.0.0.0/8). A
listed host may resolve to a private address (an office's OA on the intranet); any other host
must resolve only to public addresses: loopback, private, link-local (169.254.169.254, the cloud
metadata service), multicast, reserved and unspecified addresses are refused, in IPv4 and IPv6,
IPv4-mapped (::ffff:127.0.0.1), 6to4 and Teredo forms included.

The check runs when an endpoint is registered and again for every delivery, on the address the
connection is then actually made to (`vet`), so a name that resolves elsewhere later (DNS
rebinding) is refused at delivery.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The address may not be sent to; the message says why (in the user's language)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str  # the IP address to connect to, vetted


def allowed_hosts() -> list[str]:
    return [
        h.strip().lower().rstrip(".") for h in getattr(settings, "WEBHOOK_ALLOWED_HOSTS", []) if h.strip()
    ]


def _listed(host: str, ip: IPAddress | None) -> bool:
    host = host.lower().rstrip(".")
    for entry in allowed_hosts():
        if entry == host:
            return True
        if ip is None:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if ip.version == network.version and ip in network:
            return True
    return False


def _embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
    return None


def is_public(ip: IPAddress) -> bool:
    """Whether `ip` is a global unicast address (and so is any IPv4 address it carries)."""
    embedded = _embedded_v4(ip)
    if embedded is not None and not is_public(embedded):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(_("The host name %(host)s cannot be resolved.") % {"host": host}) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_ip(host: str, address: str) -> None:
    """Refuse an address `host` resolved to (or was connected to) that is not public, unless listed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if _listed(host, ip) or is_public(ip):
        return
    raise AddressRefused(
        _(
            "%(host)s resolves to %(address)s, an internal or reserved address. Only public addresses "
            "are allowed, unless the administrator lists the host in WEBHOOK_ALLOWED_HOSTS."
        )
        % {"host": host, "address": address}
    )


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) address, or a refusal."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(_("This is not a valid address.")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("The address must start with http:// or https:// and name a host."))
    if parts.username or parts.password:
        raise AddressRefused(_("The address must not contain a user name or password."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def vet(url: str) -> Target:
    """The address to connect to for `url`: every address its host resolves to must be allowed."""
    scheme, host, port, path = parse(url)
    addresses = _resolve(host, port)
    if not addresses:
        raise AddressRefused(_("The host name %(host)s cannot be resolved.") % {"host": host})
    for address in addresses:
        check_ip(host, address)
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
