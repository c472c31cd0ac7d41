"""The webhooks pages: who may manage an organisation's endpoints and robots, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhenggai.accounts.services import user_create
from zhenggai.history.models import HistoryEntry
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.reminders.models import GroupRobot
from zhenggai.webhooks.delivery import delivery_attempt
from zhenggai.webhooks.models import Delivery, DeliveryStatus, Endpoint, EventKind

PUBLIC = "https://93.184.216.34/hook"


def _login(client, user):
    client.force_login(user)
    return client


def test_a_unit_leader_registers_an_endpoint_and_sees_its_secret_once(client, cast):
    _login(client, cast.leader_a)
    assert client.get(reverse("webhooks:index")).status_code == 200
    url = reverse("webhooks:endpoint_create", args=[cast.a.unit.pk])
    response = client.post(url, {"name": "OA", "url": PUBLIC, "events": [EventKind.MEASURE_STATUS]})
    assert response.status_code == 201
    endpoint = Endpoint.objects.get()
    assert (endpoint.organisation, endpoint.created_by, endpoint.events) == (
        cast.a.unit,
        cast.leader_a,
        [EventKind.MEASURE_STATUS],
    )
    assert endpoint.secret in response.content.decode()
    detail = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in detail and "发送测试事件" in detail
    entry = HistoryEntry.objects.get(action="webhooks.endpoint.create")
    assert endpoint.secret not in str(entry.payload)


def test_an_internal_address_gets_a_chinese_error_and_nothing_is_made(client, cast, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    _login(client, cast.leader_a)
    url = reverse("webhooks:endpoint_create", args=[cast.a.unit.pk])
    response = client.post(
        url, {"url": "http://169.254.169.254/latest", "events": [EventKind.MEASURE_STATUS]}
    )
    assert response.status_code == 400
    assert "内部或保留地址" in response.content.decode()
    response = client.post(url, {"url": PUBLIC, "events": []})
    assert response.status_code == 400
    assert not Endpoint.objects.exists()


def test_pause_test_event_redeliver_and_delete(client, cast, receiver, django_capture_on_commit_callbacks):
    _login(client, cast.leader_a)
    client.post(
        reverse("webhooks:endpoint_create", args=[cast.a.unit.pk]),
        {"url": receiver.url(), "events": ["report.issued"]},
    )
    endpoint = Endpoint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:endpoint_test", args=[endpoint.pk]))
    delivery = Delivery.objects.get()
    delivery_attempt(delivery_id=delivery.pk)
    page = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert str(delivery.uuid) in page and "重新推送" in page
    client.post(reverse("webhooks:delivery_redeliver", args=[delivery.pk]))
    again = Delivery.objects.exclude(pk=delivery.pk).get()
    assert again.redelivery_of == delivery and again.uuid != delivery.uuid
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED  # never re-sent itself
    client.post(reverse("webhooks:endpoint_active", args=[endpoint.pk]), {"active": "0"})
    assert not Endpoint.objects.get().active
    client.post(reverse("webhooks:endpoint_test", args=[endpoint.pk]))
    assert Delivery.objects.count() == 2  # a paused endpoint takes no test event
    client.post(reverse("webhooks:endpoint_delete", args=[endpoint.pk]))
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    actions = set(
        HistoryEntry.objects.filter(action__startswith="webhooks.").values_list("action", flat=True)
    )
    assert actions == {
        "webhooks.endpoint.create",
        "webhooks.endpoint.test",
        "webhooks.delivery.redeliver",
        "webhooks.endpoint.active",
        "webhooks.endpoint.delete",
    }


def test_office_staff_manage_their_office_not_a_unit(client, cast):
    _login(client, cast.officer)
    assert (
        client.post(
            reverse("webhooks:endpoint_create", args=[cast.office.pk]),
            {"url": PUBLIC, "events": ["report.issued"]},
        ).status_code
        == 201
    )
    assert (
        client.post(
            reverse("webhooks:endpoint_create", args=[cast.group.pk]),
            {"url": PUBLIC, "events": ["report.issued"]},
        ).status_code
        == 201
    )
    assert client.get(reverse("webhooks:endpoint_create", args=[cast.a.unit.pk])).status_code == 404


@pytest.mark.parametrize("who", ["clerk_a", "outsider"])
def test_who_manages_no_organisation_is_refused(client, cast, who):
    _login(client, getattr(cast, who))
    assert client.get(reverse("webhooks:index")).status_code == 403
    assert client.get(reverse("webhooks:endpoint_create", args=[cast.a.unit.pk])).status_code == 403
    assert b"nav-webhooks" not in client.get(reverse("todo:home")).content


def _a_records(cast, receiver):
    from zhenggai.webhooks.robots import robot_save
    from zhenggai.webhooks.services import endpoint_create, endpoint_test

    endpoint = endpoint_create(
        organisation=cast.a.unit, actor=cast.leader_a, url=receiver.url(), events=["report.issued"]
    )
    endpoint_test(endpoint=endpoint, actor=cast.leader_a)
    robot = robot_save(
        organisation=cast.a.unit,
        actor=cast.leader_a,
        kind="wecom",
        webhook_url=PUBLIC + "?key=k",
        secret="",
        active=True,
    )
    return endpoint, Delivery.objects.get(endpoint=endpoint), robot


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.UNIT_ADMIN, Role.UNIT_STAFF])
def test_unit_bs_people_cannot_see_or_change_unit_as_records_by_any_url(client, cast, receiver, role):
    """404 for unit B's leader and administrator, who manage B's; 403 for its clerk, who manages none."""
    endpoint, delivery, robot = _a_records(cast, receiver)
    user = user_create(username="b_person", password="x-test-password-1")
    membership_grant(user=user, organisation=cast.b.unit, role=role)
    _login(client, user)
    gets = [
        reverse("webhooks:endpoint_detail", args=[endpoint.pk]),
        reverse("webhooks:endpoint_create", args=[cast.a.unit.pk]),
    ]
    posts = [
        (
            reverse("webhooks:endpoint_create", args=[cast.a.unit.pk]),
            {"url": PUBLIC, "events": ["report.issued"]},
        ),
        (reverse("webhooks:endpoint_test", args=[endpoint.pk]), {}),
        (reverse("webhooks:endpoint_active", args=[endpoint.pk]), {"active": "0"}),
        (reverse("webhooks:endpoint_delete", args=[endpoint.pk]), {}),
        (reverse("webhooks:delivery_redeliver", args=[delivery.pk]), {}),
        (reverse("webhooks:robot_save", args=[cast.a.unit.pk]), {"kind": "wecom", "webhook_url": PUBLIC}),
        (reverse("webhooks:robot_delete", args=[robot.pk]), {}),
    ]
    refused = 403 if role == Role.UNIT_STAFF else 404
    for url in gets:
        assert client.get(url).status_code == refused, url
    for url, data in posts:
        assert client.post(url, data).status_code == refused, url
    if role != Role.UNIT_STAFF:
        index = client.get(reverse("webhooks:index")).content.decode()
        assert endpoint.url not in index and "甲社区" not in index
        assert client.get(reverse("webhooks:index"), {"org": cast.a.unit.pk}).status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk, active=True).exists()
    assert Delivery.objects.count() == 1 and Endpoint.objects.count() == 1
    assert GroupRobot.objects.get(pk=robot.pk).webhook_url == PUBLIC + "?key=k"


def test_a_unit_leader_sets_and_removes_a_group_robot_in_the_app(client, cast, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    _login(client, cast.leader_a)
    save = reverse("webhooks:robot_save", args=[cast.a.unit.pk])
    client.post(
        save,
        {
            "kind": "dingtalk",
            "webhook_url": "https://93.184.216.34/robot/send?access_token=t",
            "secret": "SEC1",
            "active": "on",
        },
    )
    robot = GroupRobot.objects.get()
    assert (robot.organisation, robot.kind, robot.secret, robot.active) == (
        cast.a.unit,
        "dingtalk",
        "SEC1",
        True,
    )
    client.post(
        save,
        {"kind": "dingtalk", "webhook_url": "https://93.184.216.34/robot/send?access_token=u", "secret": ""},
    )
    robot.refresh_from_db()
    assert (robot.secret, robot.active, robot.webhook_url.endswith("=u")) == (
        "SEC1",
        False,
        True,
    )  # secret kept
    page = client.get(reverse("webhooks:index")).content.decode()
    assert "钉钉" in page and "SEC1" not in page and "access_token" not in page
    response = client.post(save, {"kind": "wecom", "webhook_url": "http://10.0.0.5/robot"}, follow=True)
    assert "内部或保留地址" in response.content.decode() and GroupRobot.objects.count() == 1
    assert "access_token" not in str(
        HistoryEntry.objects.filter(action="reminders.robot.save").values_list("payload", flat=True)
    )
    client.post(reverse("webhooks:robot_delete", args=[robot.pk]))
    assert not GroupRobot.objects.exists()


def test_the_endpoint_page_takes_as_many_queries_for_many_deliveries_as_for_one(
    client, cast, receiver, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenggai.webhooks.services import endpoint_create, endpoint_test

    endpoint = endpoint_create(
        organisation=cast.a.unit, actor=cast.leader_a, url=receiver.url(), events=["report.issued"]
    )
    _login(client, cast.leader_a)
    url = reverse("webhooks:endpoint_detail", args=[endpoint.pk])

    def queries_with(n: int) -> int:
        while Delivery.objects.count() < n:
            endpoint_test(endpoint=endpoint, actor=cast.leader_a)
            for pk in Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True):
                delivery_attempt(delivery_id=pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the first page of a session reads what later ones have cached
    assert queries_with(1) == queries_with(5)
