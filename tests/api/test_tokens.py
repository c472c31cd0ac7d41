"""Personal access tokens: shown once, hashed at rest, expiring, revocable, recorded at each use."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from _api_support import ApiClient, secret_of
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zhenggai.api.models import AccessToken, TokenScope, TokenUse
from zhenggai.api.tokens import MAX_DAYS, token_create, token_revoke
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.errors import LedgerError


def test_a_token_is_stored_as_a_hash_and_found_by_its_prefix(cast):
    made = token_create(owner=cast.clerk_a, name="报表脚本", scope=TokenScope.READ, days=30)
    stored = AccessToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith(f"zg_{stored.prefix}_")
    assert stored.secret_sha256 == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(AccessToken.objects.filter(pk=stored.pk).values().get())
    assert HistoryEntry.objects.filter(action="api_token.create", object_id=str(stored.pk)).exists()


def test_the_token_authenticates_its_owner(cast):
    response = ApiClient(secret_of(cast.clerk_a)).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "clerk_a"
    assert response.json()["roles"][0]["organisation"]["name"] == "甲社区"


@pytest.mark.parametrize(
    "header", ["", "Bearer zg_0000000000_wrong", "Bearer nonsense", "Basic Y2xlcms6eA=="]
)
def test_a_missing_or_wrong_token_gets_401_in_json(cast, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "令牌" in response.json()["detail"]


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_refused(cast):
    secret = secret_of(cast.clerk_a)
    response = ApiClient(secret[:-4] + "abcd").get("/api/me")
    assert response.status_code == 401


def test_an_expired_token_stops_working(cast):
    secret = secret_of(cast.clerk_a, days=1)
    assert ApiClient(secret).get("/api/me").status_code == 200
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1, minutes=1)):
        assert ApiClient(secret).get("/api/me").status_code == 401


def test_a_revoked_token_stops_working_and_its_revocation_is_recorded(cast):
    made = token_create(owner=cast.clerk_a, name="x", scope=TokenScope.READ, days=30)
    token_revoke(token=made.token, actor=cast.clerk_a)
    assert ApiClient(made.secret).get("/api/me").status_code == 401
    assert HistoryEntry.objects.filter(action="api_token.revoke", object_id=str(made.token.pk)).exists()


def test_an_inactive_account_tokens_stop_working(cast):
    secret = secret_of(cast.clerk_a)
    cast.clerk_a.is_active = False
    cast.clerk_a.save()
    assert ApiClient(secret).get("/api/me").status_code == 401


def test_a_locked_out_account_tokens_stop_working(cast):
    secret = secret_of(cast.clerk_a)
    AccessAttempt.objects.create(
        username="clerk_a",
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    assert ApiClient(secret).get("/api/me").status_code == 401


def test_a_read_token_cannot_write(cast):
    secret = secret_of(cast.clerk_a, scope=TokenScope.READ)
    pk = cast.a.measure.pk
    response = ApiClient(secret).post(
        f"/api/measures/{pk}/progress",
        {"happened_on": datetime.date.today().isoformat(), "text": "已完成"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert cast.a.measure.progress_entries.count() == 0


def test_every_use_is_recorded_refused_ones_too(cast):
    made = token_create(owner=cast.clerk_a, name="x", scope=TokenScope.READ, days=30)
    client = ApiClient(made.secret, REMOTE_ADDR="192.0.2.7")
    client.get("/api/me")
    client.get(f"/api/rounds/{cast.b.round.pk}")
    client.post(f"/api/measures/{cast.a.measure.pk}/acknowledgement")
    uses = list(
        TokenUse.objects.filter(token=made.token).order_by("pk").values_list("method", "path", "status", "ip")
    )
    assert uses == [
        ("GET", "/api/me", 200, "192.0.2.7"),
        ("GET", f"/api/rounds/{cast.b.round.pk}", 404, "192.0.2.7"),
        ("POST", f"/api/measures/{cast.a.measure.pk}/acknowledgement", 403, "192.0.2.7"),
    ]
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None


@pytest.mark.parametrize("days", [0, MAX_DAYS + 1])
def test_a_token_lives_at_most_a_year(cast, days):
    with pytest.raises(LedgerError):
        token_create(owner=cast.clerk_a, name="x", scope=TokenScope.READ, days=days)


# --- The owner's page --------------------------------------------------------------------------------


def test_the_page_shows_a_new_secret_once_and_lists_tokens_without_it(client, cast):
    client.force_login(cast.clerk_a)
    url = reverse("api_tokens:list")
    response = client.post(url, {"name": "报表脚本", "scope": "read", "days": "90"})
    assert response.status_code == 200
    token = AccessToken.objects.get(owner=cast.clerk_a)
    secret = response.context["secret"]
    assert secret.startswith(f"zg_{token.prefix}_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert "报表脚本" in again and secret not in again and f"zg_{token.prefix}_" in again


def test_the_page_revokes_only_the_owners_token(client, cast):
    mine = token_create(owner=cast.clerk_a, name="mine", scope=TokenScope.READ, days=30).token
    theirs = token_create(owner=cast.clerk_b, name="theirs", scope=TokenScope.READ, days=30).token
    client.force_login(cast.clerk_a)
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_the_page_refuses_a_token_without_a_name(client, cast):
    client.force_login(cast.clerk_a)
    response = client.post(reverse("api_tokens:list"), {"name": "", "scope": "read", "days": "90"})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_the_account_page_links_to_the_tokens(client, cast):
    client.force_login(cast.clerk_a)
    assert reverse("api_tokens:list") in client.get(reverse("accounts:password_change")).content.decode()
