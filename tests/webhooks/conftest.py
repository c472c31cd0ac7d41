"""A receiver on 127.0.0.1 (a tiny http.server in a thread), listed in the allow-list, and the
endpoints of the cast's two units and office."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zhenggai.webhooks.models import SUBSCRIBABLE
from zhenggai.webhooks.services import endpoint_create


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    during: Callable[[], None] | None = None  # run while the first request is being answered

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.requests.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if receiver.during is not None and len(receiver.requests) == 1:
                receiver.during()
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = b'{"ok": true}' if status < 400 else b"internal error"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # quiet
            pass

    return Handler


@pytest.fixture
def receiver(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    receiver = Receiver(port=server.server_address[1])
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def _dummy_tasks(settings):
    """Enqueued deliveries are kept for the test to look at; it runs them itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]


@pytest.fixture
def endpoints(cast, receiver):
    """One endpoint each for unit A (by its leader), unit B and the office, every event."""
    from zhenggai.accounts.services import user_create
    from zhenggai.orgs.models import Role
    from zhenggai.orgs.services import membership_grant

    leader_b = user_create(username="leader_b", password="x-test-password-1")
    membership_grant(user=leader_b, organisation=cast.b.unit, role=Role.UNIT_LEADER)
    every = [str(k) for k in SUBSCRIBABLE]
    return {
        "a": endpoint_create(
            organisation=cast.a.unit, actor=cast.leader_a, url=receiver.url("/a"), events=every
        ),
        "b": endpoint_create(organisation=cast.b.unit, actor=leader_b, url=receiver.url("/b"), events=every),
        "office": endpoint_create(
            organisation=cast.office, actor=cast.officer, url=receiver.url("/office"), events=every
        ),
        "leader_b": leader_b,
    }
