"""The digest text, the two robots' message formats, the ladder's steps and the webhook sender."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from _reminder_support import on
from hypothesis import given
from hypothesis import strategies as st

from zhenggai.reminders import channels, messages
from zhenggai.reminders.ladder import Level, Policy, level_for, repeat_for
from zhenggai.reminders.models import GroupRobot, RobotKind

DEADLINE = datetime.date(2025, 6, 30)
# The real sender, kept before the autouse `robots` fixture replaces it for every other test.
REAL_POST = channels.http_post_json


def item(level="red", days_left=-3, text="建立会议记录当场签字制度。", **kw) -> messages.Item:
    fields = {
        "level": level,
        "role": "doer",
        "unit": "甲社区",
        "numbering": "一、1.",
        "text": text,
        "deadline": DEADLINE,
        "days_left": days_left,
        "link": "https://zg.example.cn/problems/3/#measure-7",
    }
    return messages.Item(**{**fields, **kw})


def test_the_wecom_body_is_the_group_robots_markdown_message():
    body = messages.wecom_body("张三", [item()])
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "### 张三：【整改提醒】您有1项整改措施已逾期\n"
            "1. **甲社区** 一、1. 建立会议记录当场签字制度。（时限：2025-06-30；"
            '<font color="warning">红灯：已逾期3天</font>）[查看](https://zg.example.cn/problems/3/#measure-7)\n'
            "> 请及时推进整改，并在系统中填报进展。此为每日汇总提醒，同一事项不重复提醒。"
        },
    }


def test_the_dingtalk_body_is_the_group_robots_markdown_message():
    body = messages.dingtalk_body("张三", [item(level="yellow", days_left=0)])
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "【整改提醒】您有1项整改措施临近时限",
            "text": "### 张三：【整改提醒】您有1项整改措施临近时限\n\n"
            "1. **甲社区** 一、1. 建立会议记录当场签字制度。（时限：2025-06-30；黄灯：今天到期）"
            "[查看](https://zg.example.cn/problems/3/#measure-7)\n\n"
            "> 请及时推进整改，并在系统中填报进展。此为每日汇总提醒，同一事项不重复提醒。",
        },
    }


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["red", "red"], "【整改提醒】您有2项整改措施已逾期"),
        (["green", "yellow"], "【整改提醒】您有2项整改措施临近时限"),
        (["red", "green", "yellow"], "【整改提醒】您有3项整改措施临近时限或已逾期"),
        (["recheck"], "【整改提醒】您有1项整改措施到了复查日期"),
        (["recheck", "red"], "【整改提醒】您有2项整改措施需要跟进"),
    ],
)
def test_the_title_says_what_the_items_have_in_common(levels, expected):
    assert messages.title([item(level=lv) for lv in levels]) == expected


def test_the_plain_text_lists_every_item_with_its_state_role_and_link():
    text = messages.plain_text("张三", [item(level="green", days_left=20), item(level="red", days_left=-1)])
    assert text.splitlines() == [
        "张三：",
        "",
        "【整改提醒】您有2项整改措施临近时限或已逾期：",
        "",
        "1. 甲社区 一、1. 建立会议记录当场签字制度。（时限：2025-06-30；红灯：已逾期1天）",
        "   身份：具体责任人　查看：https://zg.example.cn/problems/3/#measure-7",
        "2. 甲社区 一、1. 建立会议记录当场签字制度。（时限：2025-06-30；绿灯：还剩20天）",
        "   身份：具体责任人　查看：https://zg.example.cn/problems/3/#measure-7",
        "",
        messages.FOOTER,
    ]


def test_long_measure_text_is_truncated():
    text = messages.plain_text("张三", [item(text="长" * 200)])
    assert "长" * 59 + "…" in text and "长" * 61 not in text


def test_ledger_text_cannot_slip_a_link_or_a_colour_into_a_chat_message():
    body = messages.wecom_body("张三", [item(text='见[通知](http://evil.example)<font color="info">')])
    content = body["markdown"]["content"]
    assert "](http://evil" not in content and '<font color="info">' not in content
    assert "见［通知］(http://evil.example)＜font" in content


def test_without_a_site_address_the_chat_shows_the_path():
    body = messages.wecom_body("张三", [item(link="/problems/3/#measure-7")])
    assert (
        "[查看]" not in body["markdown"]["content"]
        and "）/problems/3/#measure-7" in body["markdown"]["content"]
    )


@given(
    texts=st.lists(
        st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=80),
        min_size=1,
        max_size=120,
    )
)
def test_a_chat_message_stays_within_the_robots_limit_and_counts_what_it_leaves_out(texts):
    items = [item(text=t or "空", days_left=-n - 1) for n, t in enumerate(texts)]
    for body, key in (
        (messages.wecom_body("张三", items), "content"),
        (messages.dingtalk_body("张三", items), "text"),
    ):
        content = body["markdown"][key]
        assert len(content.encode()) <= messages.ROBOT_MAX_BYTES
        shown = sum(1 for line in content.split("\n") if line[:1].isdigit())
        if shown < len(items):
            assert f"……另有{len(items) - shown}项，请登录系统查看。" in content


@given(
    green=st.integers(0, 60),
    yellow=st.integers(0, 60),
    days=st.lists(st.integers(-30, 90), min_size=2, max_size=10),
)
def test_the_ladder_only_climbs_as_the_deadline_nears(green, yellow, days):
    policy = Policy(green_days=max(green, yellow), yellow_days=min(green, yellow))
    rank = {None: 0, Level.GREEN: 1, Level.YELLOW: 2, Level.RED: 3}
    steps = [
        rank[level_for(deadline=DEADLINE, today=DEADLINE - datetime.timedelta(days=d), policy=policy)]
        for d in sorted(days, reverse=True)
    ]
    assert steps == sorted(steps)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [
        (21, None),
        (20, Level.GREEN),
        (11, Level.GREEN),
        (10, Level.YELLOW),
        (0, Level.YELLOW),
        (-1, Level.RED),
    ],
)
def test_the_default_ladder_steps(days_left, level):
    today = DEADLINE - datetime.timedelta(days=days_left)
    assert level_for(deadline=DEADLINE, today=today, policy=Policy()) == level


@pytest.mark.parametrize(
    ("days_overdue", "every", "repeat"),
    [(1, 7, 0), (7, 7, 0), (8, 7, 1), (15, 7, 2), (100, 0, 0), (14, 14, 0), (15, 14, 1)],
)
def test_an_overdue_step_repeats_every_so_many_days(days_overdue, every, repeat):
    today = DEADLINE + datetime.timedelta(days=days_overdue)
    policy = Policy(red_repeat_days=every)
    assert repeat_for(level=Level.RED, deadline=DEADLINE, today=today, policy=policy) == repeat
    assert repeat_for(level=Level.YELLOW, deadline=DEADLINE, today=DEADLINE, policy=policy) == 0


def test_a_dingtalk_robot_with_a_secret_signs_each_call():
    robot = GroupRobot(
        kind=RobotKind.DINGTALK,
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SEC1",
    )
    with on(DEADLINE):
        url = channels.signed_url(robot)
    query = parse_qs(urlsplit(url).query)
    timestamp = query["timestamp"][0]
    expected = hmac.new(b"SEC1", f"{timestamp}\nSEC1".encode(), hashlib.sha256).digest()
    assert query["access_token"] == ["t"] and base64.b64decode(query["sign"][0]) == expected
    assert timestamp == str(int(datetime.datetime(2025, 6, 30, 1, tzinfo=datetime.UTC).timestamp() * 1000))


def test_a_wecom_robot_address_is_used_as_it_is():
    robot = GroupRobot(
        kind=RobotKind.WECOM, webhook_url="https://qyapi.weixin.qq.com/x?key=k", secret="ignored"
    )
    assert channels.signed_url(robot) == "https://qyapi.weixin.qq.com/x?key=k"


def test_the_sender_refuses_anything_but_http(monkeypatch):
    monkeypatch.setattr(channels.urllib.request, "urlopen", _no_network)
    for url in ("file:///etc/passwd", "ftp://example.cn/x", "gopher://x"):
        with pytest.raises(channels.WebhookError):
            REAL_POST(url, {}, timeout=1)


def test_the_sender_posts_utf8_json_with_a_timeout(monkeypatch):
    seen = {}

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, limit):
            seen["limit"] = limit
            return b'{"errcode": 0, "errmsg": "ok"}'

    def urlopen(request, timeout):
        seen.update(request=request, timeout=timeout)
        return Answer()

    monkeypatch.setattr(channels.urllib.request, "urlopen", urlopen)
    answer = REAL_POST("https://qyapi.weixin.qq.com/x?key=k", {"a": "整改"}, timeout=3)
    request = seen["request"]
    assert answer == {"errcode": 0, "errmsg": "ok"} and seen["timeout"] == 3
    assert request.get_method() == "POST" and request.full_url == "https://qyapi.weixin.qq.com/x?key=k"
    assert request.get_header("Content-type") == "application/json; charset=utf-8"
    assert json.loads(request.data.decode()) == {"a": "整改"} and "整改".encode() in request.data


def _no_network(*args, **kwargs):
    raise AssertionError("no test may touch the network")
