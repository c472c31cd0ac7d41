"""The reminders' cast: unit A's measure with a doer who logs in, a leader who does not, a principal
leader and an office officer who log in without being named as people; a WeCom robot for unit A's
group and a DingTalk robot for the office's. No test reaches the network: webhooks are recorded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from _reminder_support import DEADLINE, DINGTALK_URL, WECOM_URL, Robots

from zhenggai.ledger.models import Measure
from zhenggai.orgs.services import person_create
from zhenggai.reminders import channels
from zhenggai.reminders.models import Contact, GroupRobot, RobotKind


@pytest.fixture(autouse=True)
def robots(monkeypatch) -> Robots:
    fake = Robots()
    monkeypatch.setattr(channels, "http_post_json", fake.post)
    return fake


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.ZHENGGAI = {
        **settings.ZHENGGAI,
        "SITE_URL": "https://zg.example.cn",
        "YELLOW_LIGHT_DAYS": 10,
        "REMINDER_GREEN_DAYS": 20,
        "REMINDER_HOUR": 8,
        "REMINDER_CHANNELS": ["inapp", "email", "wecom", "dingtalk"],
        "WEBHOOK_TIMEOUT": 5,
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Ladder:
    cast: object
    measure: Measure
    doer: object  # Person 张三, logs in as clerk_a
    leader: object  # Person 甲社区分管领导, no login


@pytest.fixture
def ladder(cast) -> Ladder:
    doer = person_create(name="张三", organisation=cast.a.department, title="办公室主任", user=cast.clerk_a)
    Contact.objects.create(person=doer, email="zhangsan@a.example.cn")
    leader = cast.a.measure.responsible_leader
    Contact.objects.create(person=leader, email="fenguan@a.example.cn")
    for user, email in [(cast.leader_a, "leader@a.example.cn"), (cast.officer, "officer@office.example.cn")]:
        user.email = email
        user.save(update_fields=["email"])
    cast.a.problem.outline = "一、1."
    cast.a.problem.save(update_fields=["outline"])
    Measure.objects.filter(pk=cast.a.measure.pk).update(doer=doer, deadline=DEADLINE)
    # Unit B's measure is far off all along, and unit B has no say in unit A's reminders.
    Measure.objects.filter(pk=cast.b.measure.pk).update(deadline=DEADLINE + datetime.timedelta(days=100))
    GroupRobot.objects.create(organisation=cast.a.unit, kind=RobotKind.WECOM, webhook_url=WECOM_URL)
    GroupRobot.objects.create(organisation=cast.office, kind=RobotKind.DINGTALK, webhook_url=DINGTALK_URL)
    cast.a.measure.refresh_from_db()
    return Ladder(cast=cast, measure=cast.a.measure, doer=doer, leader=leader)
