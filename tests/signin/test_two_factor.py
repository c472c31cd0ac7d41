"""Two-factor sign-in: enrolling an authenticator, the office's rule (REQUIRE_TOTP_FOR_OFFICE),
codes right, wrong, replayed and too many, and removing an authenticator."""

from __future__ import annotations

import base64
import datetime
import re
from binascii import unhexlify
from urllib.parse import urlencode

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts.services import user_create
from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant

PASSWORD = "x-test-password-1"
HOME = "todo:home"
ENROL = "accounts:two_factor"
VERIFY = "accounts:two_factor_verify"


def _code(device_or_key: TOTPDevice | str) -> str:
    """The authenticator app's code now (RFC 6238), computed as the phone would."""
    key = device_or_key.key if isinstance(device_or_key, TOTPDevice) else device_or_key
    return f"{totp(unhexlify(key)):06d}"


def _log_in(client, username: str):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.fixture
def rule_on(settings):
    settings.REQUIRE_TOTP_FOR_OFFICE = True


@pytest.fixture
def supervisor(cast):
    user = user_create(username="supervisor", password=PASSWORD)
    membership_grant(user=user, organisation=cast.office, role=Role.SUPERVISOR)
    return user


def test_anyone_may_enrol_an_authenticator_by_typing_its_code(client, cast):
    _log_in(client, "clerk_a")
    page = client.get(reverse(ENROL))
    content = page.content.decode()
    assert page.status_code == 200 and "<svg" in content and "开启两步验证" in content
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', content).group(1).replace(" ", "")
    key = client.session["_zhenggai_totp_secret"]
    assert base64.b32decode(secret) == unhexlify(key)  # the text is the QR code's secret

    wrong = client.post(reverse(ENROL), {"code": "000000" if _code(key) != "000000" else "111111"})
    assert wrong.status_code == 400 and "动态码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()

    response = client.post(reverse(ENROL), {"code": _code(key)})
    assert response.status_code == 302 and response["Location"] == reverse(HOME)
    device = TOTPDevice.objects.get(user=cast.clerk_a)
    assert device.confirmed and device.key == key
    assert client.session["otp_device_id"] == device.persistent_id  # this session counts as verified
    assert HistoryEntry.objects.filter(action="user.totp_enrol", object_id=str(cast.clerk_a.pk)).count() == 1
    assert "两步验证已开启" in client.get(reverse(ENROL)).content.decode()


def test_with_the_rule_on_office_staff_must_enrol_before_any_page(client, cast, rule_on):
    _log_in(client, "officer")
    response = client.get(reverse("ledger:round_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(ENROL)}?{urlencode({'next': reverse('ledger:round_list')})}"
    page = client.get(response["Location"])
    assert "巡察办工作人员登录时除密码外还须输入" in page.content.decode()
    key = client.session["_zhenggai_totp_secret"]
    done = client.post(response["Location"], {"code": _code(key), "next": reverse("ledger:round_list")})
    assert done["Location"] == reverse("ledger:round_list")
    assert client.get(reverse("ledger:round_list")).status_code == 200


def test_with_the_rule_on_an_enrolled_officer_gives_a_code_after_the_password(client, cast, rule_on):
    device = _device(cast.officer)
    _log_in(client, "officer")
    response = client.get(reverse("ledger:round_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse(VERIFY) + "?next=")
    assert client.get(reverse("oversight:dashboard")).status_code == 302  # every page, not just one
    passed = client.post(reverse(VERIFY), {"code": _code(device), "next": reverse("ledger:round_list")})
    assert passed.status_code == 302 and passed["Location"] == reverse("ledger:round_list")
    assert client.get(reverse("ledger:round_list")).status_code == 200
    assert client.get(reverse("oversight:dashboard")).status_code == 200


def test_a_supervisor_is_asked_too(client, cast, supervisor, rule_on):
    _device(supervisor)
    _log_in(client, "supervisor")
    assert client.get(reverse("ledger:round_list"))["Location"].startswith(reverse(VERIFY))


@pytest.fixture
def frozen_clock():
    """The clock stands still: django-otp's one-second wait after a wrong code cannot run out
    between two requests of a slow machine."""
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC), tick=False
    ) as clock:
        yield clock


def test_a_wrong_code_is_refused_and_counted_as_a_failed_log_in(client, cast, rule_on, frozen_clock):
    device = _device(cast.officer)
    _log_in(client, "officer")
    right = _code(device)
    wrong = "123456" if right != "123456" else "654321"
    response = client.post(reverse(VERIFY), {"code": wrong})
    assert response.status_code == 400 and "动态码不正确或已使用过" in response.content.decode()
    assert AccessFailureLog.objects.filter(username="officer").count() == 1
    assert client.get(reverse("ledger:round_list")).status_code == 302  # still not through

    # django-otp's throttle: straight after a wrong code even the right one waits a second.
    throttled = client.post(reverse(VERIFY), {"code": right})
    assert throttled.status_code == 429 and "请等待 1 秒" in throttled.content.decode()
    frozen_clock.shift(datetime.timedelta(seconds=1))
    assert client.post(reverse(VERIFY), {"code": right}).status_code == 302
    assert client.get(reverse("ledger:round_list")).status_code == 200


def test_the_slowdown_after_wrong_codes_outlasts_a_new_sign_in(client, cast, rule_on, frozen_clock):
    """Signing in again with the password (which resets the lock-out's count) does not buy fresh
    tries: django-otp's waits are the authenticator's, and double with each wrong code."""
    device = _device(cast.officer)
    right = _code(device)
    wrong = "123456" if right != "123456" else "654321"
    _log_in(client, "officer")
    assert client.post(reverse(VERIFY), {"code": wrong}).status_code == 400
    client.logout()
    _log_in(client, "officer")
    assert client.post(reverse(VERIFY), {"code": right}).status_code == 429
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_an_empty_code_is_asked_for_again_without_counting_as_a_failure(client, cast, rule_on):
    _device(cast.officer)
    _log_in(client, "officer")
    response = client.post(reverse(VERIFY), {"code": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert not AccessFailureLog.objects.filter(username="officer").exists()


def test_a_used_code_cannot_be_given_again(client, cast, rule_on):
    device = _device(cast.officer)
    code = _code(device)
    _log_in(client, "officer")
    assert client.post(reverse(VERIFY), {"code": code}).status_code == 302
    client.logout()
    _log_in(client, "officer")
    assert client.post(reverse(VERIFY), {"code": code}).status_code == 400


def test_repeated_wrong_codes_lock_the_account_and_end_the_session(client, cast, rule_on, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the lock-out alone, without django-otp's waits
    device = _device(cast.officer)
    _log_in(client, "officer")
    wrong = "123456" if _code(device) != "123456" else "654321"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse(VERIFY), {"code": wrong}).status_code == 400
    locked = client.post(reverse(VERIFY), {"code": wrong})
    assert locked.status_code == 429 and "账号已被锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The password alone no longer lets the officer in.
    assert (
        client.post(reverse("accounts:login"), {"username": "officer", "password": PASSWORD}).status_code
        == 429
    )


def test_a_unit_clerk_is_not_asked_when_the_rule_covers_office_roles(client, cast, rule_on):
    _device(cast.clerk_a)  # enrolled of their own will: still not asked
    _log_in(client, "clerk_a")
    assert client.get(reverse("ledger:round_list")).status_code == 200


def test_with_the_rule_off_nobody_is_asked(client, cast, settings):
    assert settings.REQUIRE_TOTP_FOR_OFFICE is False  # the default
    _device(cast.officer)
    _log_in(client, "officer")
    assert client.get(reverse("ledger:round_list")).status_code == 200


def test_public_pages_static_files_and_the_health_check_are_not_held_back(client, cast, rule_on):
    from zhenggai.accounts.middleware import PUBLIC_PREFIXES

    for name, args in [("reports:public_list", []), ("comments:public", ["t"]), ("receipts:confirm", ["t"])]:
        assert reverse(name, args=args).startswith(PUBLIC_PREFIXES)  # the list follows the URLs
    _device(cast.officer)
    _log_in(client, "officer")
    assert client.get(reverse("reports:public_list")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse(VERIFY)).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_an_authenticator_is_removed_only_with_a_current_code(client, cast, frozen_clock):
    device = _device(cast.clerk_a)
    _log_in(client, "clerk_a")
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post(reverse("accounts:two_factor_remove"), {"code": wrong})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "身份验证器未解除" in client.get(reverse(ENROL)).content.decode()
    frozen_clock.shift(datetime.timedelta(seconds=1))
    response = client.post(reverse("accounts:two_factor_remove"), {"code": _code(device)})
    assert response["Location"] == reverse(ENROL)
    assert not TOTPDevice.objects.filter(user=cast.clerk_a).exists()
    assert HistoryEntry.objects.filter(action="user.totp_remove", object_id=str(cast.clerk_a.pk)).count() == 1


def test_an_officer_signing_in_through_the_directory_gives_a_code_too(
    client, cast, rule_on, directory, sign_in
):
    device = _device(cast.officer)
    cast.officer.email = "officer@example.gov.cn"
    cast.officer.save(update_fields=["email"])
    directory.person = {"sub": "dir-officer", "email": "officer@example.gov.cn", "email_verified": True}
    landed = sign_in(next_url=reverse("ledger:round_list"))
    assert landed["Location"] == reverse("ledger:round_list")
    asked = client.get(landed["Location"])
    assert asked["Location"].startswith(reverse(VERIFY))
    assert client.post(reverse(VERIFY), {"code": _code(device), "next": "/rounds/"})["Location"] == "/rounds/"
    assert client.get(reverse("ledger:round_list")).status_code == 200


def test_the_enrolment_page_survives_bad_input(client, cast):
    _log_in(client, "clerk_a")
    client.get(reverse(ENROL))
    for bad in ["", "abcdef", "1" * 50, "１２３４５６"]:
        assert client.post(reverse(ENROL), {"code": bad}).status_code == 400
    assert not TOTPDevice.objects.exists()


def test_time_moves_the_code_on(client, cast, rule_on):
    """A code from two steps ago (a minute) is refused: the tolerance is one step either way."""
    device = _device(cast.officer)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        old = _code(device)
        clock.shift(datetime.timedelta(seconds=90))
        _log_in(client, "officer")
        assert client.post(reverse(VERIFY), {"code": old}).status_code == 400


def test_an_administrator_removes_a_lost_authenticator_in_the_back_office_and_nothing_else(client, cast):
    device = _device(cast.officer)
    root = user_create(username="root", password=PASSWORD, superuser=True)
    client.force_login(root)
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200 and device.key not in page.content.decode()  # the secret stays secret
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = HistoryEntry.objects.get(action="user.totp_remove")
    assert entry.object_id == str(cast.officer.pk) and entry.actor_id == root.pk
    report = verify()
    assert report.ok, report.text()
