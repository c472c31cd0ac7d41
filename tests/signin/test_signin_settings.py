"""The sign-in settings read from the environment: off by default, and loud when half set."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenggai.config import settings as project_settings

OIDC_VARIABLES = [
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_MATCH_BY",
    "REQUIRE_TOTP_FOR_OFFICE",
]


def _settings(monkeypatch, tmp_path, **env: str) -> dict:
    """The settings module run afresh with this environment (its data folder in tmp_path)."""
    for name in OIDC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZHENGGAI_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(project_settings.__file__)


def test_by_default_neither_the_directory_nor_two_factor_codes_are_on(monkeypatch, tmp_path):
    values = _settings(monkeypatch, tmp_path)
    assert values["OIDC_ENABLED"] is False and values["REQUIRE_TOTP_FOR_OFFICE"] is False
    assert "zhenggai.accounts.oidc.OidcBackend" not in values["AUTHENTICATION_BACKENDS"]


def test_an_issuer_and_a_client_turn_the_directory_on(monkeypatch, tmp_path):
    values = _settings(
        monkeypatch,
        tmp_path,
        OIDC_ISSUER="https://sso.example.gov.cn/realms/office/",
        OIDC_CLIENT_ID="zhenggai",
        OIDC_CLIENT_SECRET="s",
        REQUIRE_TOTP_FOR_OFFICE="true",
    )
    assert (
        values["OIDC_ENABLED"] is True and values["OIDC_ISSUER"] == "https://sso.example.gov.cn/realms/office"
    )
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"  # axes first still
    assert values["AUTHENTICATION_BACKENDS"][-1] == "zhenggai.accounts.oidc.OidcBackend"
    assert values["REQUIRE_TOTP_FOR_OFFICE"] is True


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"OIDC_CLIENT_ID": "zhenggai", "OIDC_CLIENT_SECRET": "s"}, "OIDC_ISSUER"),
        ({"OIDC_ISSUER": "https://sso.example.gov.cn", "OIDC_CLIENT_ID": "zhenggai"}, "OIDC_CLIENT_SECRET"),
        ({"OIDC_MATCH_BY": "phone"}, "OIDC_MATCH_BY"),
        ({"REQUIRE_TOTP_FOR_OFFICE": "maybe"}, "REQUIRE_TOTP_FOR_OFFICE"),
    ],
)
def test_a_half_configured_sign_in_stops_the_start_up_saying_what_is_missing(
    monkeypatch, tmp_path, env, said
):
    with pytest.raises(ImproperlyConfigured, match=said):
        _settings(monkeypatch, tmp_path, **env)
