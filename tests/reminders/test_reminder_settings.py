"""An inspection office sets its own reminder ladder in the app: scoped, checked, versioned, recorded."""

from __future__ import annotations

import re

from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create
from zhenggai.reminders.models import EscalationPolicy
from zhenggai.reminders.services import PolicyBook

URL = "reminders:policy"


def _form(page: str) -> dict[str, str]:
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    return {k: values[k] for k in ("version", "green_days", "yellow_days", "red_repeat_days", "office")}


def test_an_office_sees_its_defaults_and_saves_its_own_ladder(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse(URL)).content.decode()
    form = _form(page)
    assert (form["green_days"], form["yellow_days"], form["red_repeat_days"], form["version"]) == (
        "20",
        "10",
        "7",
        "1",
    )
    assert "本机构尚未单独设置" in page
    assert 'data-testid="policy-link"' in client.get(reverse("reminders:notice_list")).content.decode()
    response = client.post(
        reverse(URL),
        {**form, "green_days": "30", "yellow_days": "15", "red_repeat_days": "3", "enabled": "on"},
    )
    assert response.status_code == 302
    policy = EscalationPolicy.objects.get(office=cast.office)
    assert (policy.green_days, policy.yellow_days, policy.red_repeat_days) == (30, 15, 3)
    assert (policy.notify_office_when_overdue, policy.enabled, policy.version) == (False, True, 2)
    assert PolicyBook().for_office(cast.office).red_repeat_days == 3
    entry = HistoryEntry.objects.get(action="reminders.policy")
    assert entry.actor_id == cast.officer.pk and entry.payload["fields"]["green_days"] == [None, 30]
    # Saved again from the page: the version moves on.
    form = _form(client.get(reverse(URL)).content.decode())
    client.post(reverse(URL), {**form, "enabled": "on", "notify_office_when_overdue": "on"})
    assert EscalationPolicy.objects.get(office=cast.office).version == 3


def test_only_the_offices_own_staff_reach_its_settings(client, cast):
    other = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    for user in (cast.clerk_a, cast.leader_a, cast.outsider):
        client.force_login(user)
        assert (
            'data-testid="policy-link"' not in client.get(reverse("reminders:notice_list")).content.decode()
        )
        assert client.get(reverse(URL)).status_code == 403  # no role that sets reminders (ROLE_ACTIONS)
        assert (
            client.post(reverse(URL), {"office": cast.office.pk, "version": 1, "green_days": 1}).status_code
            == 403
        )
    client.force_login(cast.officer)
    assert client.get(reverse(URL), {"office": other.pk}).status_code == 404
    assert client.post(reverse(URL), {"office": other.pk, "version": 1, "green_days": 5}).status_code == 404
    assert not EscalationPolicy.objects.exists()
    client.logout()
    assert client.get(reverse(URL)).status_code == 302


def test_a_stale_or_impossible_ladder_is_refused_in_chinese_and_changes_nothing(client, cast):
    client.force_login(cast.officer)
    opened = _form(client.get(reverse(URL)).content.decode())
    assert client.post(reverse(URL), {**opened, "green_days": "25", "enabled": "on"}).status_code == 302
    # Saved from the page opened before that save: refused, with what changed.
    response = client.post(reverse(URL), {**opened, "green_days": "12", "enabled": "on"})
    page = response.content.decode()
    assert (
        response.status_code == 409 and "其他人已修改了这些设置" in page and "<td>12</td><td>25</td>" in page
    )
    assert EscalationPolicy.objects.get(office=cast.office).green_days == 25
    fresh = _form(client.get(reverse(URL)).content.decode())
    response = client.post(reverse(URL), {**fresh, "green_days": "5", "yellow_days": "9", "enabled": "on"})
    assert response.status_code == 400 and "天数" in response.content.decode()
    response = client.post(reverse(URL), {**fresh, "green_days": "二十"})
    assert response.status_code == 400 and "整数" in response.content.decode()
    assert EscalationPolicy.objects.get(office=cast.office).green_days == 25
    assert HistoryEntry.objects.filter(action="reminders.policy").count() == 1
