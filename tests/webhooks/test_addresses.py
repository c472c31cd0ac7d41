"""Where a webhook may go: public addresses, or hosts the administrator listed; checked when an
endpoint is registered and again when each delivery is made (DNS rebinding)."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest

from zhenggai.accounts.services import user_create
from zhenggai.ledger.errors import LedgerError
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create
from zhenggai.webhooks import addresses, sending
from zhenggai.webhooks.delivery import delivery_attempt
from zhenggai.webhooks.models import Delivery, DeliveryStatus, Endpoint, EventKind
from zhenggai.webhooks.services import endpoint_create, endpoint_test

EVENTS = [EventKind.MEASURE_STATUS]
PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def place(db):
    """A unit and a login: all an endpoint needs (the cast's two ledgers are not)."""
    unit = organisation_create(name="甲社区", kind=OrgKind.UNIT)
    return SimpleNamespace(unit=unit, user=user_create(username="leader", password="x-test-password-1"))


def _create(place, url):
    return endpoint_create(organisation=place.unit, actor=place.user, url=url, events=EVENTS)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",  # loopback, not listed
        "http://10.1.2.3/hook",  # private
        "http://192.168.1.10/hook",
        "http://[::1]/hook",  # IPv6 loopback
        "http://localhost/hook",  # a name resolving to loopback
        "http://169.254.169.254/latest/meta-data",  # link-local: the cloud's metadata service
        "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "http://[::ffff:a9fe:a9fe]/hook",  # IPv4-mapped metadata service
        "http://[fe80::1]/hook",  # IPv6 link-local
        "http://[fd00::1]/hook",  # IPv6 unique local
        "http://224.0.0.1/hook",  # multicast
        "http://0.0.0.0/hook",  # unspecified
        "http://240.0.0.1/hook",  # reserved
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://[2002:7f00:1::]/hook",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_an_internal_address_is_refused_at_registration(place, settings, url):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(LedgerError) as refused:
        _create(place, url)
    assert "WEBHOOK_ALLOWED_HOSTS" in refused.value.message
    assert "内部" in refused.value.message  # said in Chinese first
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/hook", "file:///etc/passwd", "http://user:pw@93.184.216.34/hook", "http:///nohost"],
)
def test_an_address_that_is_not_plain_http_is_refused(place, url):
    with pytest.raises(LedgerError):
        _create(place, url)


def test_a_name_that_does_not_resolve_is_refused_with_a_clear_message(place, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(addresses.socket, "getaddrinfo", no_such_host)
    with pytest.raises(LedgerError) as refused:
        _create(place, "https://oa.nowhere.invalid/hook")
    assert "无法解析" in refused.value.message


def test_a_public_address_is_taken(place, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    endpoint = _create(place, f"https://{PUBLIC_IP}/hook")
    assert endpoint.url == f"https://{PUBLIC_IP}/hook" and len(endpoint.secret) >= 40


@pytest.mark.parametrize("listed", ["localhost", "LOCALHOST.", "127.0.0.0/8"])
def test_a_listed_host_or_network_may_be_internal(place, settings, listed):
    settings.WEBHOOK_ALLOWED_HOSTS = [listed]
    assert _create(place, "http://localhost/hook").url == "http://localhost/hook"


def test_a_name_that_turns_internal_after_registration_is_refused_at_delivery(
    place, settings, receiver, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """DNS rebinding: public when registered, loopback when delivered."""
    settings.WEBHOOK_ALLOWED_HOSTS = []
    real = socket.getaddrinfo
    answer = {"ip": PUBLIC_IP}

    def resolver(host, port, *args, **kwargs):
        if host == "oa.rebind.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer["ip"], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", resolver)
    endpoint = _create(place, f"http://oa.rebind.test:{receiver.port}/hook")
    answer["ip"] = "127.0.0.1"
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_test(endpoint=endpoint, actor=place.user)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.PENDING  # tried again later
    assert receiver.requests == []
    attempt = delivery.attempt_log.get()
    assert attempt.error.startswith("refused") and "127.0.0.1" in attempt.error
    assert f"webhook delivery {delivery.uuid} refused" in caplog.text  # in the server's log too


@pytest.mark.parametrize(
    ("listed", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:{port}/hook"),
        ("10.0.0.0/8", "http://10.1.2.3/hook"),
        ("::1", "http://[::1]:{port}/hook"),
        ("localhost", "http://localhost:{port}/hook"),
    ],
)
def test_a_host_taken_off_the_list_is_refused_at_delivery(
    place, settings, receiver, django_capture_on_commit_callbacks, listed, url
):
    settings.WEBHOOK_ALLOWED_HOSTS = [listed]
    endpoint = _create(place, url.format(port=receiver.port))
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_test(endpoint=endpoint, actor=place.user)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    assert receiver.requests == []
    attempt = delivery.attempt_log.get()
    assert attempt.error.startswith("refused") and "WEBHOOK_ALLOWED_HOSTS" in attempt.error
    assert attempt.status_code is None and attempt.address == ""


def test_the_address_actually_connected_to_is_checked(receiver, settings):
    """Should a name's address change between the check and the connection, the peer is refused."""
    settings.WEBHOOK_ALLOWED_HOSTS = []
    target = addresses.Target(
        scheme="http", host="oa.example.org", port=receiver.port, path="/", address="127.0.0.1"
    )
    outcome = sending.post(target, b"{}", {"Content-Type": "application/json"}, timeout=2)
    assert outcome.error.startswith("refused") and not outcome.ok
    assert receiver.requests == []


def test_a_redirect_is_not_followed(receiver):
    receiver.statuses = [302]
    target = addresses.vet(receiver.url())
    outcome = sending.post(target, b"{}", {}, timeout=2)
    assert not outcome.ok and "redirect" in outcome.error
    assert len(receiver.requests) == 1
