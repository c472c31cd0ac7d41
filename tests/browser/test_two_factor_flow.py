"""An inspection office's officer, with two-factor sign-in required (REQUIRE_TOTP_FOR_OFFICE), enrols
an authenticator at the first sign-in and gives its code at the next, in the browser."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from zhenggai.accounts.services import user_create
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create

PASSWORD = "x-test-password-1"


@pytest.fixture
def officer(transactional_db, settings):
    settings.REQUIRE_TOTP_FOR_OFFICE = True
    office = organisation_create(name="县委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    user = user_create(username="officer", password=PASSWORD, first_name="巡察办干部")
    membership_grant(user=user, organisation=office, role=Role.OFFICE_STAFF)
    return user


def _code(key: bytes, later: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def test_an_officer_enrols_an_authenticator_then_gives_its_code_at_the_next_sign_in(
    page, officer, log_in, screenshot
):
    log_in(page, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?next="))
    expect(page.locator("[data-testid=totp-qr] svg")).to_be_visible()
    screenshot(page, "two-factor-01-enrol")
    secret = page.locator("[data-testid=totp-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.locator("input[name=code]").fill(_code(key))
    page.locator("form button.primary").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.locator(".msg-success")).to_contain_text("两步验证已开启")
    assert TOTPDevice.objects.get(user=officer).confirmed

    page.locator("form[action$='/logout/'] button").click()
    log_in(page, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    screenshot(page, "two-factor-02-verify")
    page.locator("input[name=code]").fill(_code(key, later=30))  # the enrolment's code is spent
    page.locator("form button.primary").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.locator("[data-testid=nav-todo]")).to_be_visible()
