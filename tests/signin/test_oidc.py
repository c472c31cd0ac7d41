"""Sign-in through the office's own directory (OpenID Connect), driven end to end against a
provider on 127.0.0.1: redirect, callback, token, userinfo, and who may come in."""

from __future__ import annotations

import pytest
import requests
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.accounts.models import OidcIdentity
from zhenggai.accounts.services import user_create, user_set_active
from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify

LOGIN = "accounts:login"
ZHANG = {
    "sub": "dir-0001",
    "email": "zhang@example.gov.cn",
    "email_verified": True,
    "preferred_username": "zhangsan",
}


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def _error_text(client) -> str:
    return client.get(reverse(LOGIN)).content.decode()


@pytest.fixture
def zhang(db):
    return user_create(username="zhang", password="x-test-password-1", email="Zhang@example.gov.cn")


def test_the_login_page_offers_the_directory_only_when_one_is_configured(client, db, settings):
    assert "使用单位统一身份认证登录" not in client.get(reverse(LOGIN)).content.decode()
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_the_login_page_shows_the_directory_button_beside_the_password_form(client, directory):
    content = client.get(reverse(LOGIN)).content.decode()
    assert "使用单位统一身份认证登录" in content and 'name="password"' in content


def test_a_known_person_signs_in_matched_by_verified_email_and_the_link_is_kept(
    client, directory, sign_in, zhang
):
    directory.person = dict(ZHANG)
    response = sign_in()
    assert response.status_code == 302 and response["Location"] == reverse("todo:home")
    assert _signed_in_as(client) == str(zhang.pk)
    identity = OidcIdentity.objects.get(user=zhang)
    assert (identity.issuer, identity.subject) == (directory.issuer, "dir-0001")
    assert HistoryEntry.objects.filter(action="user.oidc_link", object_id=str(zhang.pk)).count() == 1
    assert AccessLog.objects.filter(username="zhang").count() == 1  # recorded as a password log-in is
    assert client.get(reverse("ledger:round_list")).status_code == 200

    # Next time the subject alone finds the login, whatever the directory now says the address is.
    client.logout()
    directory.person = {**ZHANG, "email": "renamed@example.gov.cn"}
    assert sign_in().status_code == 302
    assert _signed_in_as(client) == str(zhang.pk)
    assert HistoryEntry.objects.filter(action="user.oidc_link").count() == 1


def test_the_page_asked_for_before_the_sign_in_is_where_it_ends(client, directory, sign_in, zhang):
    directory.person = dict(ZHANG)
    response = sign_in(next_url=reverse("ledger:round_list"))
    assert response["Location"] == reverse("ledger:round_list")


def test_an_unverified_email_address_matches_nobody(client, directory, sign_in, zhang):
    directory.person = {**ZHANG, "email_verified": False}
    response = sign_in()
    assert response["Location"] == reverse(LOGIN) and _signed_in_as(client) is None
    assert "您还不是本系统的用户" in _error_text(client)


def test_an_unknown_person_is_refused_with_a_chinese_message_and_the_failure_is_recorded(
    client, directory, sign_in, db
):
    directory.person = {"sub": "dir-0404", "email": "nobody@example.gov.cn", "email_verified": True}
    response = sign_in()
    assert response.status_code == 302 and response["Location"] == reverse(LOGIN)
    assert _signed_in_as(client) is None
    assert "您还不是本系统的用户" in _error_text(client)
    assert not get_user_model().objects.exists() and not OidcIdentity.objects.exists()
    assert AccessFailureLog.objects.filter(username="oidc:dir-0404").count() == 1


def test_unknown_people_may_be_given_a_login_without_any_role(client, directory, sign_in, settings, db):
    settings.OIDC_CREATE_USERS = True
    directory.person = {**ZHANG, "name": "张三"}
    assert sign_in().status_code == 302
    user = get_user_model().objects.get(username="zhangsan")
    assert _signed_in_as(client) == str(user.pk)
    assert (user.email, user.first_name, user.has_usable_password()) == (
        "zhang@example.gov.cn",
        "张三",
        False,
    )
    assert not user.memberships.exists()
    assert HistoryEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_people_may_be_matched_by_a_user_name_claim_instead(client, directory, sign_in, settings, zhang):
    settings.OIDC_MATCH_BY = "username"
    settings.OIDC_USERNAME_CLAIM = "employee_id"
    directory.person = {"sub": "dir-0002", "employee_id": "zhang"}  # no e-mail at all
    assert sign_in().status_code == 302
    assert _signed_in_as(client) == str(zhang.pk)
    client.logout()
    settings.OIDC_MATCH_BY = "email"  # the e-mail way finds nobody by that claim
    directory.person = {"sub": "dir-0003", "employee_id": "zhang"}
    sign_in()
    assert _signed_in_as(client) is None


def test_a_deactivated_login_is_refused(client, directory, sign_in, zhang):
    user_set_active(user=zhang, active=False)
    directory.person = dict(ZHANG)
    response = sign_in()
    assert response["Location"] == reverse(LOGIN) and _signed_in_as(client) is None
    assert "账号已停用" in _error_text(client)
    assert AccessFailureLog.objects.filter(username="zhang").count() == 1


def test_a_locked_out_login_is_refused(client, directory, sign_in, zhang, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse(LOGIN), {"username": "zhang", "password": "wrong"})
    directory.person = dict(ZHANG)
    response = sign_in()
    assert response.status_code == 429 and "账号已被锁定" in response.content.decode()
    assert _signed_in_as(client) is None


def test_a_login_already_linked_to_another_person_of_the_directory_is_refused(
    client, directory, sign_in, zhang
):
    OidcIdentity.objects.create(user=zhang, issuer=directory.issuer, subject="dir-0001")
    directory.person = {**ZHANG, "sub": "dir-9999"}  # someone else with zhang's address
    sign_in()
    assert _signed_in_as(client) is None
    assert "已关联" in _error_text(client)


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(client, directory, zhang):
    directory.person = dict(ZHANG)
    client.get(reverse("accounts:oidc_start"))  # a state of this browser's exists: not this one
    response = client.get(reverse("accounts:oidc_callback"), {"code": "stolen", "state": "forged"})
    assert response.status_code == 302 and response["Location"] == reverse(LOGIN)
    assert _signed_in_as(client) is None and directory.token_requests == 0
    assert "统一身份认证未完成" in _error_text(client)


def test_an_id_token_with_another_nonce_is_refused(client, directory, sign_in, zhang):
    directory.person = dict(ZHANG)
    directory.tamper = {"nonce": "replayed-from-another-sign-in"}
    response = sign_in()
    assert response["Location"] == reverse(LOGIN) and _signed_in_as(client) is None
    assert directory.token_requests == 1


def test_an_id_token_meant_for_another_client_is_refused(client, directory, sign_in, zhang):
    directory.person = dict(ZHANG)
    directory.tamper = {"aud": "another-application"}
    sign_in()
    assert _signed_in_as(client) is None


def test_a_code_is_exchanged_once(client, directory, zhang):
    """The callback's address replayed (from the history of a shared PC) signs nobody in."""
    directory.person = dict(ZHANG)
    start = client.get(reverse("accounts:oidc_start"))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    client.get(back)
    assert _signed_in_as(client) == str(zhang.pk)
    client.logout()
    response = client.get(back)
    assert response["Location"] == reverse(LOGIN) and _signed_in_as(client) is None


def test_an_unreachable_directory_says_so_instead_of_failing(client, directory, settings, db):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard: nothing listens
    response = client.get(reverse("accounts:oidc_start"))
    assert response["Location"] == reverse(LOGIN)
    assert "无法连接" in _error_text(client)


def test_an_administrator_may_undo_a_wrong_link_and_the_next_sign_in_is_matched_afresh(
    client, directory, sign_in, zhang
):
    directory.person = dict(ZHANG)
    sign_in()
    identity = OidcIdentity.objects.get(user=zhang)
    client.logout()
    root = user_create(username="root", password="x-test-password-1", superuser=True)
    client.force_login(root)
    assert client.get(reverse("admin:accounts_oidcidentity_add")).status_code == 403
    response = client.post(reverse("admin:accounts_oidcidentity_delete", args=[identity.pk]), {"post": "yes"})
    assert response.status_code == 302 and not OidcIdentity.objects.exists()
    assert HistoryEntry.objects.get(action="user.oidc_unlink").object_id == str(zhang.pk)
    report = verify()
    assert report.ok, report.text()


def test_a_directory_without_discovery_is_configured_by_its_endpoints(
    client, directory, sign_in, settings, zhang
):
    settings.OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{directory.issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{directory.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{directory.issuer}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{directory.issuer}/jwks"
    directory.person = dict(ZHANG)
    assert sign_in().status_code == 302
    assert _signed_in_as(client) == str(zhang.pk)
    assert OidcIdentity.objects.get(user=zhang).issuer == directory.issuer  # the token's own `iss`


def test_a_discovery_document_naming_another_issuer_is_not_believed(client, directory, settings, db):
    settings.OIDC_ISSUER = f"{directory.issuer}/realms/other"  # its discovery answers 404 …
    assert client.get(reverse("accounts:oidc_start"))["Location"] == reverse(LOGIN)
    settings.OIDC_ISSUER = directory.issuer
    directory.issuer_claimed = "https://elsewhere.example"  # … and this one names another issuer
    assert client.get(reverse("accounts:oidc_start"))["Location"] == reverse(LOGIN)
    assert "无法连接" in _error_text(client)
