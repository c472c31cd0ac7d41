"""One HTTP POST of a delivery, to the address vetted for it: the only code here on the network.

The connection is made to the IP address `addresses.vet` checked (not to the name again, which
could resolve elsewhere by now), and the peer actually connected is checked once more. TLS still
verifies the certificate against the host name. Redirects are never followed: a 3xx is a failure.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from zhenggai.webhooks.addresses import AddressRefused, Target, check_ip

SNIPPET_BYTES = 500


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    snippet: str
    duration_ms: int
    address: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


def _connect(target: Target, timeout: float) -> socket.socket:
    sock = socket.create_connection((target.address, target.port), timeout=timeout)
    try:
        check_ip(target.host, str(sock.getpeername()[0]))
    except AddressRefused:
        sock.close()
        raise
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._target = target

    def connect(self) -> None:
        self.sock = _connect(self._target, self.timeout)  # type: ignore[arg-type]


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._target = target

    def connect(self) -> None:
        sock = _connect(self._target, self.timeout)  # type: ignore[arg-type]
        self.sock = self._context.wrap_socket(sock, server_hostname=self._target.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    """POST `body` to `target`; never raises for a network failure (it is in the outcome)."""
    started = time.monotonic()
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout)
    status: int | None = None
    snippet = ""
    error = ""
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        status = response.status
        snippet = response.read(SNIPPET_BYTES).decode("utf-8", errors="replace")
        if 300 <= status < 400:
            error = f"redirect to {response.getheader('Location', '')[:200]!r} not followed"
    except AddressRefused as exc:
        error = f"refused: {exc}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    finally:
        connection.close()
    duration = int((time.monotonic() - started) * 1000)
    return Outcome(status, snippet, duration, target.address, error)
