"""One way to write: the back office only shows the records the history answers for, logins and
the demo are made through the services, and what they make verifies clean."""

from __future__ import annotations

from io import StringIO

import pytest
from _state_support import build_rich_ledger
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.history.state import specs
from zhenggai.history.verify import verify


def test_the_demo_is_made_through_the_services_and_verifies_clean(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    report = verify()
    assert report.ok, report.text()
    assert report.records > 100


@pytest.mark.parametrize("label", sorted(specs()))
def test_the_back_office_cannot_add_change_or_delete_a_tracked_record(client, cast, label):
    spec = specs()[label]
    model_admin = admin.site._registry[spec.model]
    root = get_user_model().objects.create_superuser("root", password="x-test-password-1")
    client.force_login(root)
    build_rich_ledger(cast)
    base = f"admin:{spec.model._meta.app_label}_{spec.model._meta.model_name}"
    obj = spec.model._base_manager.order_by("pk").first()
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    assert client.get(reverse(f"{base}_add")).status_code == 403
    before = HistoryEntry.objects.count()
    response = client.post(reverse(f"{base}_change", args=[obj.pk]), {"name": "改", "title": "改"})
    assert response.status_code == 403
    response = client.post(reverse(f"{base}_delete", args=[obj.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert spec.model._base_manager.filter(pk=obj.pk).exists()
    assert HistoryEntry.objects.count() == before
    request = type("Request", (), {"user": root})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)


def test_createsuperuser_records_the_new_login(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x-test-password-1")
    call_command(
        "createsuperuser", username="root", email="root@example.org", interactive=False, stdout=StringIO()
    )
    user = get_user_model().objects.get(username="root")
    entry = HistoryEntry.objects.get(action="user.create")
    assert entry.object_id == str(user.pk)
    assert entry.payload["values"]["is_superuser"] is True
    assert "password" not in entry.payload["~set"][f"auth.user:{user.pk}"]
    report = verify()
    assert report.ok, report.text()
