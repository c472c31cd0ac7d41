"""The hourly limit on public comments counts one network, whatever browser or address in it."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from zhenggai import public_visitors
from zhenggai.comments import services
from zhenggai.comments.models import CommentCall, CommentQuota, PublicComment

LIMIT = 3


@pytest.fixture
def call(cast, settings) -> CommentCall:
    settings.ZHENGGAI = {**settings.ZHENGGAI, "COMMENT_HOURLY_LIMIT": LIMIT, "TRUSTED_PROXIES": []}
    return services.call_open(
        round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提出意见建议。", closes_on=None
    )


def _post(call: CommentCall, text: str, address: str, agent: str = "Mozilla/5.0 (Android)", **headers):
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent, **headers)
    return client.post(reverse("comments:public", args=[call.token]), {"text": text})


def test_a_rotating_user_agent_stays_within_the_limit(call):
    codes = [_post(call, f"第{i}条", "198.51.100.7", agent=f"Browser/{i}.0").status_code for i in range(6)]
    assert codes == [302] * LIMIT + [429] * 3
    assert PublicComment.objects.count() == LIMIT


def test_the_addresses_of_one_ipv6_64_share_one_limit(call):
    addresses = [f"2001:db8:1:2::{n:x}" for n in range(1, 5)] + ["2001:db8:1:2:ffff:ffff:ffff:fffe"]
    codes = [_post(call, f"第{i}条", address).status_code for i, address in enumerate(addresses)]
    assert codes == [302] * LIMIT + [429] * 2
    # The next /64 is another household or office.
    assert _post(call, "隔壁", "2001:db8:1:3::1").status_code == 302
    assert PublicComment.objects.count() == LIMIT + 1


def test_an_ipv4_address_written_as_ipv6_is_the_same_network(call):
    for i in range(LIMIT):
        assert _post(call, f"第{i}条", "203.0.113.9").status_code == 302
    assert _post(call, "再一条", "::ffff:203.0.113.9").status_code == 429


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(call):
    codes = [
        _post(call, f"第{i}条", "198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
        for i in range(5)
    ]
    assert codes == [302] * LIMIT + [429] * 2


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(call, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "TRUSTED_PROXIES": ["10.0.0.0/8"]}
    for i in range(LIMIT):
        assert _post(call, f"第{i}条", "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302
    # A forged address at the left of the header does not make a new client.
    forged = "198.18.0.1, 192.0.2.1"
    assert _post(call, "伪造", "10.0.0.3", HTTP_X_FORWARDED_FOR=forged).status_code == 429
    # Another client behind the same proxy has its own limit.
    assert _post(call, "别人", "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    assert PublicComment.objects.count() == LIMIT + 1


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "client"),
    [
        ("198.51.100.7", "", [], "198.51.100.7"),
        ("198.51.100.7", "192.0.2.1", [], "198.51.100.7"),
        ("198.51.100.7", "192.0.2.1", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.2", "192.0.2.1", ["10.0.0.0/8"], "192.0.2.1"),
        ("10.0.0.2", "198.18.0.1, 192.0.2.1, 10.1.1.1", ["10.0.0.0/8"], "192.0.2.1"),
        ("10.0.0.2", "192.0.2.1:51234", ["10.0.0.2"], "192.0.2.1"),
        ("10.0.0.2", "[2001:db8::7]:443", ["10.0.0.2"], "2001:db8::7"),
        ("10.0.0.2", "198.18.0.1, not-an-address, 10.1.1.1", ["10.0.0.0/8"], "10.1.1.1"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("::ffff:10.0.0.2", "192.0.2.1", ["10.0.0.0/8"], "192.0.2.1"),
        ("", "192.0.2.1", ["10.0.0.0/8"], ""),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, remote, forwarded, proxies, client):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "TRUSTED_PROXIES": proxies}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert public_visitors.client_address(request) == client


def test_networks_are_one_ipv4_address_or_one_ipv6_64():
    assert public_visitors.network_of("203.0.113.9") == "203.0.113.9"
    assert public_visitors.network_of("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert public_visitors.network_of("::ffff:203.0.113.9") == "203.0.113.9"
    assert public_visitors.network_of("garbage") == ""


def test_a_bad_trusted_proxy_setting_fails_loudly(monkeypatch):
    from zhenggai.config import settings as conf

    monkeypatch.setenv("ZHENGGAI_TRUSTED_PROXIES", "10.0.0.1, proxy.example")
    with pytest.raises(ImproperlyConfigured, match="ZHENGGAI_TRUSTED_PROXIES"):
        conf._trusted_proxies()
    monkeypatch.setenv("ZHENGGAI_TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12, 2001:db8::/32")
    assert conf._trusted_proxies() == ["10.0.0.1", "172.16.0.0/12", "2001:db8::/32"]


def test_the_counter_keeps_a_keyed_hash_and_forgets_past_hours(call):
    assert _post(call, "一", "198.51.100.7").status_code == 302
    quota = CommentQuota.objects.get()
    assert quota.count == 1 and quota.network == public_visitors.network_key("198.51.100.7")
    assert "198.51.100" not in quota.network
    assert PublicComment.objects.get().network == quota.network
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert _post(call, "二", "192.0.2.44").status_code == 302
        assert list(CommentQuota.objects.values_list("count", flat=True)) == [1]
        assert CommentQuota.objects.get().window > quota.window


def test_a_refused_comment_takes_no_place_in_the_quota(call):
    with pytest.raises(services.CommentRefused):
        services.comment_submit(call=call, text="  ", name="", contact="", logged_in=False, network="k")
    assert not CommentQuota.objects.exists()


THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_posts_at_once_never_pass_the_limit(cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "COMMENT_HOURLY_LIMIT": 5}
    call = services.call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎。", closes_on=None)
    key = public_visitors.network_key("198.51.100.7")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                services.comment_submit(
                    call=call, text=f"第{i}条", name="", contact="", logged_in=False, network=key
                )
                result = "taken"
            except services.TooManyComments:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused"] * 15 + ["taken"] * 5
    assert PublicComment.objects.count() == 5
    assert CommentQuota.objects.get().count == 5
