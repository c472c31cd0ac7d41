"""Acceptance: with a frozen clock across three days, the right people get exactly the right
digests on each channel, a second run the same day sends nothing, and neither does a restart."""

from __future__ import annotations

import datetime

import pytest
from _reminder_support import DEADLINE, DINGTALK_URL, WECOM_URL, on
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus

from zhenggai.reminders.models import Digest, DigestStatus, Notice, ReminderEvent
from zhenggai.reminders.tasks import send_daily_reminders

DAY = datetime.timedelta(days=1)


def delivered(day: datetime.date, robots) -> dict[str, list[str]]:
    """Who got something on each channel since the last `reset`: logins, addresses, chat names."""
    return {
        "inapp": sorted(Notice.objects.filter(day=day).values_list("user__username", flat=True)),
        "email": sorted(address for m in mail.outbox for address in m.to),
        "wecom": sorted(_chat_name(b["markdown"]["content"]) for b in robots.bodies(WECOM_URL)),
        "dingtalk": sorted(_chat_name(b["markdown"]["text"]) for b in robots.bodies(DINGTALK_URL)),
    }


def _chat_name(markdown: str) -> str:
    return markdown.removeprefix("### ").split("：", 1)[0]


def reset(robots) -> None:
    mail.outbox.clear()
    robots.clear()


def run_task_on(day: datetime.date, hour: int = 9):
    with on(day, hour):
        result = send_daily_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value["day"] == day.isoformat()
    return result.return_value


def test_three_days_of_the_ladder_reach_exactly_the_right_people_once(ladder, robots):
    measure = ladder.measure
    link = f"https://zg.example.cn/problems/{measure.problem_id}/#measure-{measure.pk}"
    nobody = {"inapp": [], "email": [], "wecom": [], "dingtalk": []}

    # Day 1, twenty days before the deadline: the person doing it (green), on every channel they have.
    day1 = DEADLINE - 20 * DAY
    summary = run_task_on(day1)
    assert summary["sent"] == {"inapp": 1, "email": 1, "wecom": 1}
    assert delivered(day1, robots) == {
        "inapp": ["clerk_a"],
        "email": ["zhangsan@a.example.cn"],
        "wecom": ["张三"],
        "dingtalk": [],
    }
    [message] = mail.outbox
    assert message.subject == "【整改提醒】您有1项整改措施临近时限"
    assert "1. 甲社区 一、1. 建立会议记录当场签字制度。（时限：2025-06-30；绿灯：还剩20天）" in message.body
    assert f"身份：具体责任人　查看：{link}" in message.body
    [wecom] = robots.bodies(WECOM_URL)
    assert list(wecom) == ["msgtype", "markdown"] and wecom["msgtype"] == "markdown"
    assert list(wecom["markdown"]) == ["content"]
    assert wecom["markdown"]["content"].startswith(
        "### 张三：【整改提醒】您有1项整改措施临近时限\n1. **甲社区** 一、1."
    )
    assert f'<font color="info">绿灯：还剩20天</font>）[查看]({link})' in wecom["markdown"]["content"]
    notice = Notice.objects.get(user=ladder.cast.clerk_a)
    assert notice.title == message.subject and notice.body == message.body and notice.read_at is None
    reset(robots)

    # Day 1 again, in the afternoon: nothing new, nothing sent again.
    summary = run_task_on(day1, hour=15)
    assert summary["events_created"] == 0 and summary["sent"] == {}
    assert delivered(day1, robots) == {**nobody, "inapp": ["clerk_a"]}  # the morning's notice, still one
    assert Notice.objects.count() == 1

    # Day 2, ten days before: also the responsible leader (yellow), who has no login: e-mail and chat.
    day2 = DEADLINE - 10 * DAY
    run_task_on(day2)
    assert delivered(day2, robots) == {
        "inapp": ["clerk_a"],
        "email": ["fenguan@a.example.cn", "zhangsan@a.example.cn"],
        "wecom": ["张三", "甲社区分管领导"],
        "dingtalk": [],
    }
    assert all("黄灯：还剩10天" in m.body for m in mail.outbox)
    assert {m.to[0]: m.body.count("身份：分管领导") for m in mail.outbox} == {
        "fenguan@a.example.cn": 1,
        "zhangsan@a.example.cn": 0,
    }
    reset(robots)

    # Day 3, a day overdue: also the unit's principal leader and the inspection office (red).
    day3 = DEADLINE + DAY
    run_task_on(day3)
    assert delivered(day3, robots) == {
        "inapp": ["clerk_a", "leader_a", "officer"],
        "email": [
            "fenguan@a.example.cn",
            "leader@a.example.cn",
            "officer@office.example.cn",
            "zhangsan@a.example.cn",
        ],
        "wecom": ["leader_a", "张三", "甲社区分管领导"],
        "dingtalk": ["officer"],
    }
    [dingtalk] = robots.bodies(DINGTALK_URL)
    assert dingtalk == {
        "msgtype": "markdown",
        "markdown": {"title": "【整改提醒】您有1项整改措施已逾期", "text": dingtalk["markdown"]["text"]},
    }
    assert "红灯：已逾期1天" in dingtalk["markdown"]["text"] and "<font" not in dingtalk["markdown"]["text"]
    assert (
        '<font color="warning">红灯：已逾期1天</font>' in robots.bodies(WECOM_URL)[0]["markdown"]["content"]
    )
    reset(robots)

    # A restart: a new process runs the day again, and the next day; nothing goes out twice.
    with on(day3, hour=20):
        call_command("run_reminders", stdout=_Discard())
    run_task_on(day3 + DAY)
    assert mail.outbox == [] and robots.calls == []
    assert Notice.objects.filter(day__gt=day3).count() == 0

    # What the database keeps: each step once per person, every digest sent.
    steps = [("green", "doer"), ("yellow", "doer"), ("yellow", "leader")]
    steps += [("red", "doer"), ("red", "leader"), ("red", "principal"), ("red", "office")]
    assert sorted(ReminderEvent.objects.values_list("level", "role")) == sorted(steps)
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.SENT}
    assert Notice.objects.filter(user=ladder.cast.clerk_a).count() == 3
    assert not Notice.objects.filter(user__username__in=["clerk_b", "outsider"]).exists()


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_database_worker_runs_the_enqueued_task(ladder, robots, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with on(DEADLINE - 20 * DAY):
        result = send_daily_reminders.enqueue()
        assert result.status == TaskResultStatus.READY and mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["zhangsan@a.example.cn"]]


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
