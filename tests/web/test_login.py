"""Log-in as the security rules for public bodies (等保 2.0) expect."""

from __future__ import annotations

import datetime

import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.config import settings as project_settings

LOGIN = "accounts:login"


def _login(client, username: str, password: str):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_the_production_hasher_is_argon2(db, settings):
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = get_user_model().objects.create_user("argon", password="a-long-test-password")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_five_failures_lock_the_account_for_thirty_minutes(client, db):
    get_user_model().objects.create_user("clerk", password="the-right-password")
    for _ in range(4):
        response = _login(client, "clerk", "wrong")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    response = _login(client, "clerk", "wrong")
    assert response.status_code == 429
    content = response.content.decode()
    assert "账号已被锁定" in content and "30" in content
    # Even the right password is refused while the lock lasts.
    response = _login(client, "clerk", "the-right-password")
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="clerk").failures_since_start >= 5


def test_the_lock_is_configurable(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    get_user_model().objects.create_user("clerk", password="the-right-password")
    _login(client, "clerk", "wrong")
    assert _login(client, "clerk", "wrong").status_code == 429


def test_logins_and_failures_are_recorded(client, db):
    get_user_model().objects.create_user("clerk", password="the-right-password")
    _login(client, "clerk", "wrong")
    response = _login(client, "clerk", "the-right-password")
    assert response.status_code == 302
    assert AccessFailureLog.objects.filter(username="clerk").count() == 1
    assert AccessLog.objects.filter(username="clerk").count() == 1


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))


def test_idle_sessions_end_after_thirty_minutes(client, db):
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_REFRESH_SECONDS == 60
    user = get_user_model().objects.create_user("clerk", password="the-right-password")
    url = reverse("ledger:round_list")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        assert _session_writes(client, url) == 1  # the first request records its time
        # Working steadily for two hours: one write a minute at most, never logged out.
        writes = 0
        for _ in range(24):
            clock.shift(datetime.timedelta(minutes=5))
            writes += _session_writes(client, url)
            clock.shift(datetime.timedelta(seconds=20))
            writes += _session_writes(client, url)
        assert writes == 24
        # Idle: still in after 29 minutes, out after 30.
        clock.shift(datetime.timedelta(minutes=29))
        assert _session_writes(client, url) == 1
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))


def test_an_idle_session_ends_at_most_a_refresh_early(client, db):
    """Between two writes the end does not move: requests inside the minute don't extend it."""
    user = get_user_model().objects.create_user("clerk", password="the-right-password")
    url = reverse("ledger:round_list")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        client.get(url)  # written at 09:00:00, ends 09:30:00
        clock.shift(datetime.timedelta(seconds=59))
        assert _session_writes(client, url) == 0
        clock.shift(datetime.timedelta(minutes=29, seconds=2))  # 09:30:01: 29 min 2 s idle
        assert client.get(url).status_code == 302


def test_anonymous_visitors_get_no_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(LOGIN))
    assert not any("django_session" in q["sql"] for q in queries)
    assert "sessionid" not in client.cookies


def test_the_interface_is_chinese_even_for_an_english_browser(client, db):
    response = client.get(reverse(LOGIN), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_english_is_there_when_chosen(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse(LOGIN))
    assert "Log in" in response.content.decode()


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get(reverse(LOGIN))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
