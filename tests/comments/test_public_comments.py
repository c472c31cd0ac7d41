"""Comments from the public (意见建议) on a round, and the unit's answers."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhenggai.comments import services
from zhenggai.comments.models import CommentCall, PublicComment
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.errors import LedgerError


def _open(cast, closes_on=None) -> CommentCall:
    return services.call_open(
        round_=cast.a.round,
        actor=cast.clerk_a,
        invitation="欢迎对甲社区整改工作提出意见建议。",
        closes_on=closes_on,
    )


def _public(address="10.3.3.3") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 (Android) Mobile")


def _write(client: Client, call: CommentCall, text="楼道灯坏了三个月没人修。", **extra):
    return client.post(reverse("comments:public", args=[call.token]), {"text": text, **extra})


# --- The unit opens a public page ------------------------------------------------------------------


def test_the_clerk_opens_a_public_page_with_its_link_and_qr_code(client, cast):
    client.force_login(cast.clerk_a)
    url = reverse("comments:round_comments", args=[cast.a.round.pk])
    response = client.post(url, {"invitation": "欢迎提出意见建议。", "closes_on": ""})
    assert response.status_code == 302
    call = CommentCall.objects.get()
    page = client.get(url).content.decode()
    assert f"http://testserver/y/{call.token}/" in page and "<svg" in page
    assert HistoryEntry.objects.filter(action="comments.open", round_id=cast.a.round.pk).exists()
    assert (
        reverse("comments:round_comments", args=[cast.a.round.pk])
        in client.get(cast.a.round.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"invitation": "", "closes_on": ""}, "这个字段是必填项"),
        ({"invitation": "欢迎。", "closes_on": "下个月底"}, "请按“年-月-日”填写日期"),
        ({"invitation": "欢迎。", "closes_on": "2001-01-01"}, "截止日期已经过去"),
    ],
)
def test_bad_call_input_gets_a_chinese_message_and_opens_nothing(client, cast, data, message):
    client.force_login(cast.clerk_a)
    response = client.post(reverse("comments:round_comments", args=[cast.a.round.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommentCall.objects.exists()


def test_only_unit_staff_open_pages_and_answer(client, cast):
    call = _open(cast)
    _write(_public(), call)
    comment = PublicComment.objects.get()
    for user in (cast.officer, cast.leader_a):
        client.force_login(user)
        page = client.get(reverse("comments:round_comments", args=[cast.a.round.pk]))
        assert page.status_code == 200 and "楼道灯" in page.content.decode()
        assert 'data-form="answer"' not in page.content.decode()
        url = reverse("comments:round_comments", args=[cast.a.round.pk])
        assert client.post(url, {"invitation": "x"}).status_code == 403
        answer_url = reverse("comments:comment_answer", args=[comment.pk])
        assert client.post(answer_url, {f"a{comment.pk}-answer": "已修"}).status_code == 403
    assert CommentCall.objects.count() == 1
    comment.refresh_from_db()
    assert comment.answered_at is None


# --- The public writes in --------------------------------------------------------------------------


def test_anyone_writes_a_comment_without_logging_in(cast):
    call = _open(cast)
    before = timezone.now()
    citizen = _public()
    response = _write(citizen, call, name="王先生", contact="13800000000")
    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert before <= comment.received_at <= timezone.now()
    assert (comment.name, comment.contact) == ("王先生", "13800000000")
    assert comment.network and "10.3.3.3" not in comment.network
    entry = HistoryEntry.objects.get(action="comments.receive")
    assert entry.actor_id is None and "楼道灯" not in str(entry.payload)
    page = citizen.get(response["Location"]).content.decode()
    assert "您的意见建议已收到" in page


def test_staff_logged_in_cannot_write_the_publics_comments(client, cast):
    call = _open(cast)
    for user in (cast.clerk_a, cast.officer):
        client.force_login(user)
        assert client.get(reverse("comments:public", args=[call.token])).status_code == 403
        response = _write(client, call, text="整改工作非常好！")
        assert response.status_code == 403
        assert "请退出登录" in response.content.decode()
    assert not PublicComment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "这个字段是必填项"),
        ({"text": "   "}, "这个字段是必填项"),
        ({"text": "长" * 1001}, "不超过 1000 字符"),
        ({"text": "好", "contact": "电" * 61}, "不超过 60 字符"),
    ],
)
def test_bad_comments_get_a_chinese_message_and_store_nothing(cast, data, message):
    call = _open(cast)
    response = _public().post(reverse("comments:public", args=[call.token]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicComment.objects.exists()


def test_a_closed_call_takes_no_more_comments(cast):
    call = _open(cast, closes_on=timezone.localdate())
    assert _write(_public(), call).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        page = _public().get(reverse("comments:public", args=[call.token])).content.decode()
        assert 'data-testid="closed"' in page and 'data-form="comment"' not in page
        response = _write(_public(), call, text="还能提吗？")
        assert response.status_code == 409
    assert PublicComment.objects.count() == 1


def test_one_network_sends_at_most_the_hourly_limit(cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "COMMENT_HOURLY_LIMIT": 2}
    call = _open(cast)
    assert _write(_public(), call, text="一").status_code == 302
    assert _write(_public(), call, text="二").status_code == 302
    response = _write(_public(), call, text="三")
    assert response.status_code == 429 and "请稍后再试" in response.content.decode()
    assert _write(_public("10.4.4.4"), call, text="另一个网络").status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert _write(_public(), call, text="一小时后").status_code == 302
    assert PublicComment.objects.count() == 4


def test_an_unknown_page_is_a_plain_404(cast):
    _open(cast)
    assert _public().get(reverse("comments:public", args=["z" * 22])).status_code == 404


# --- The unit answers -------------------------------------------------------------------------------


def test_the_unit_answers_once_and_may_publish_the_answer(client, cast):
    call = _open(cast)
    _write(_public(), call, name="王先生")
    _write(_public("10.5.5.5"), call, text="希望公开低保评议结果。")
    lamp, welfare = PublicComment.objects.order_by("pk")
    client.force_login(cast.clerk_a)
    url = reverse("comments:comment_answer", args=[lamp.pk])
    response = client.post(
        url, {f"a{lamp.pk}-answer": "已于本周更换楼道灯，感谢监督。", f"a{lamp.pk}-public": "on"}
    )
    assert response.status_code == 302
    lamp.refresh_from_db()
    assert lamp.answer_public and lamp.answered_by == cast.clerk_a and lamp.answered_at is not None
    # A second answer, even from the same clerk, is refused: what was answered stays answered.
    response = client.post(url, {f"a{lamp.pk}-answer": "改成别的说法"})
    assert response.status_code == 409 and "不能修改" in response.content.decode()
    lamp.refresh_from_db()
    assert lamp.answer == "已于本周更换楼道灯，感谢监督。"
    client.post(
        reverse("comments:comment_answer", args=[welfare.pk]), {f"a{welfare.pk}-answer": "已电话答复。"}
    )
    public_page = _public().get(reverse("comments:public", args=[call.token])).content.decode()
    assert "已于本周更换楼道灯" in public_page and "楼道灯坏了" in public_page
    assert "已电话答复" not in public_page and "低保" not in public_page  # not published
    assert "王先生" not in public_page  # names are never published
    entry = HistoryEntry.objects.filter(action="comments.answer").first()
    assert entry.payload["text"] == "已于本周更换楼道灯，感谢监督。"


def test_an_empty_answer_is_refused(client, cast):
    call = _open(cast)
    _write(_public(), call)
    comment = PublicComment.objects.get()
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("comments:comment_answer", args=[comment.pk]), {f"a{comment.pk}-answer": " "}
    )
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    comment.refresh_from_db()
    assert comment.answered_at is None


def test_a_comment_left_unanswered_too_long_shows_red(client, cast):
    call = _open(cast)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=16)):
        _write(_public(), call, text="老问题")
    _write(_public("10.6.6.6"), call, text="新问题")
    old, new = PublicComment.objects.order_by("pk")
    client.force_login(cast.officer)
    page = client.get(reverse("comments:round_comments", args=[cast.a.round.pk])).content.decode()
    assert re.search(rf'data-comment="{old.pk}" data-overdue="1"', page)
    assert f'data-comment="{new.pk}" data-overdue' not in page
    assert page.index(f'data-comment="{old.pk}"') < page.index(f'data-comment="{new.pk}"')


def test_the_service_refuses_a_logged_in_writer_and_an_empty_answer(cast):
    call = _open(cast)
    with pytest.raises(services.CommentRefused):
        services.comment_submit(call=call, text="好", name="", contact="", logged_in=True, network="n")
    comment = services.comment_submit(call=call, text="好", name="", contact="", logged_in=False, network="n")
    with pytest.raises(LedgerError):
        services.comment_answer(comment=comment, actor=cast.clerk_a, answer="  ", public=True)
    assert PublicComment.objects.count() == 1


def test_comments_are_read_only_in_the_back_office(client, cast):
    call = _open(cast)
    _write(_public(), call)
    comment = PublicComment.objects.get()
    client.force_login(type(cast.clerk_a).objects.create_superuser("root", password="x-test-password-1"))
    assert client.get(reverse("admin:comments_publiccomment_changelist")).status_code == 200
    response = client.post(
        reverse("admin:comments_publiccomment_change", args=[comment.pk]), {"answer": "补写"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.answer == ""


def test_the_office_overview_counts_comments_waiting_within_its_reach(client, cast):
    call = _open(cast)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=20)):
        _write(_public(), call, text="老问题")
    _write(_public("10.8.8.8"), call, text="新问题")
    answered = services.comment_submit(
        call=call, text="已答复的", name="", contact="", logged_in=False, network="m"
    )
    services.comment_answer(comment=answered, actor=cast.clerk_a, answer="好的", public=False)
    client.force_login(cast.officer)
    page = client.get(reverse("ledger:overview")).content.decode()
    assert 'data-count="comments-waiting">2<' in page and 'data-count="comments-overdue">1<' in page
    assert re.search(rf'<tr data-round="{cast.a.round.pk}".*?data-comments="2"', page, re.S)
    assert reverse("comments:round_comments", args=[cast.a.round.pk]) in page
    client.force_login(cast.clerk_b)  # unit B's clerk: none of unit A's comments
    page = client.get(reverse("ledger:overview")).content.decode()
    assert 'data-count="comments-waiting">0<' in page and "comments-overdue" not in page


def _many_comments(call: CommentCall, count: int, start: int = 0) -> None:
    PublicComment.objects.bulk_create(
        PublicComment(call=call, text=f"第{n}条意见", network="k") for n in range(start, start + count)
    )


def test_the_comments_page_shows_fifty_at_a_time_with_a_fixed_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = _open(cast)
    _many_comments(call, 60)
    client.force_login(cast.officer)
    url = reverse("comments:round_comments", args=[cast.a.round.pk])
    client.get(url)  # the session's first request does its own queries
    with CaptureQueriesContext(connection) as small:
        first = client.get(url).content.decode()
    assert first.count('class="comment') == 50 and 'data-count="comments">60<' in first
    assert "第 1 页，共 2 页" in first and "?page=2" in first
    _many_comments(call, 90, start=60)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
    last = client.get(url + "?page=3").content.decode()
    assert last.count('class="comment') == 50 and "第149条意见" in last
    assert client.get(url + "?page=abc").status_code == 200


def test_unanswered_comments_come_first_across_pages_and_an_answer_returns_to_its_page(client, cast):
    call = _open(cast)
    _many_comments(call, 55)
    first = PublicComment.objects.order_by("pk").first()
    services.comment_answer(comment=first, actor=cast.clerk_a, answer="已处理", public=False)
    client.force_login(cast.clerk_a)
    url = reverse("comments:round_comments", args=[cast.a.round.pk])
    assert f'data-comment="{first.pk}"' not in client.get(url).content.decode()
    second_page = client.get(url + "?page=2").content.decode()
    assert f'data-comment="{first.pk}"' in second_page  # the answered one, at the end
    waiting = PublicComment.objects.filter(answered_at__isnull=True).order_by("received_at", "pk").last()
    assert f'action="/comments/{waiting.pk}/answer/?page=2"' in second_page
    response = client.post(f"/comments/{waiting.pk}/answer/?page=2", {f"a{waiting.pk}-answer": "已答复"})
    assert response.status_code == 302 and response["Location"] == url + "?page=2"
