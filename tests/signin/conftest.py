"""The directory (an OpenID Connect provider on 127.0.0.1) and the settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from _oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from django.urls import reverse

from zhenggai.accounts import oidc


@pytest.fixture(scope="session")
def _provider() -> Iterator[Provider]:
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def directory(_provider, settings) -> Provider:
    """The provider, with Zhenggai configured as in production by OIDC_ISSUER and the client."""
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = _provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "zhenggai.accounts.oidc.OidcBackend",
    ]
    _provider.reset()
    oidc._discovered.clear()
    return _provider


@pytest.fixture
def sign_in(client, directory):
    """`sign_in(next_url="")`: the browser's round trip, Zhenggai → the directory's authorisation
    endpoint → Zhenggai's callback, for the person in `directory.person`; the callback's response."""
    return lambda next_url="": _round_trip(client, directory, next_url)


def _round_trip(client, directory: Provider, next_url: str):
    start = client.get(reverse("accounts:oidc_start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302 and start["Location"].startswith(f"{directory.issuer}/authorize?")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("accounts:oidc_callback")
    return client.get(f"{callback.path}?{callback.query}")
