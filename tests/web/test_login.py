"""Log-in as the security rules for public bodies (等保 2.0) expect."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
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


def test_idle_sessions_end_after_thirty_minutes(client, db, settings):
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True
    user = get_user_model().objects.create_user("clerk", password="the-right-password")
    client.force_login(user)
    client.get(reverse("ledger:round_list"))
    session = client.session
    assert 29 * 60 < session.get_expiry_age() <= 30 * 60


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
