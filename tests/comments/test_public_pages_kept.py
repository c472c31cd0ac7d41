"""Public pages are kept rendered, keyed by what they show (zhenggai.public_pages): a second
visitor gets the page without a template being rendered; every change of what the page shows is
seen at once; each visitor gets a CSRF token of their own that their post is accepted with."""

from __future__ import annotations

import datetime
import re

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhenggai.comments import services as comments
from zhenggai.comments.models import CommentCall
from zhenggai.comments.selectors import public_page_shows
from zhenggai.public_pages import CSRF_PLACEHOLDER
from zhenggai.receipts import services as receipts

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _call(cast) -> CommentCall:
    return comments.call_open(
        round_=cast.a.round,
        actor=cast.clerk_a,
        invitation="欢迎对甲社区整改工作提出意见建议。",
        closes_on=None,
    )


def _visitor(address: str = "10.3.3.3", **extra) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 (Android) Mobile", **extra)


def _comment_page(call: CommentCall, client: Client | None = None):
    return (client or _visitor()).get(reverse("comments:public", args=[call.token]))


def test_a_second_visitor_gets_the_kept_page_with_no_template_rendered(cast):
    call = _call(cast)
    first = _comment_page(call)
    assert first.status_code == 200 and first.templates[0].name == "comments/public.html"
    second = _comment_page(call, _visitor("10.4.4.4"))
    assert second.status_code == 200
    assert second.templates == []  # served from the kept page
    assert "欢迎对甲社区整改工作提出意见建议" in second.content.decode()


def test_each_visitor_gets_their_own_csrf_token_and_their_post_is_accepted(cast):
    call = _call(cast)
    _comment_page(call)  # kept now
    one, two = _visitor("10.5.5.5", enforce_csrf_checks=True), _visitor("10.6.6.6", enforce_csrf_checks=True)
    pages = [_comment_page(call, one).content.decode(), _comment_page(call, two).content.decode()]
    tokens = [TOKEN.findall(page) for page in pages]
    assert all(found and CSRF_PLACEHOLDER not in page for found, page in zip(tokens, pages, strict=True))
    assert tokens[0][0] != tokens[1][0]
    posted = one.post(
        reverse("comments:public", args=[call.token]),
        {"text": "楼道灯坏了三个月没人修。", "csrfmiddlewaretoken": tokens[0][0]},
    )
    assert posted.status_code == 302
    thanks = one.get(posted["Location"])
    assert thanks.templates  # a page with a message to show is rendered for its visitor alone
    assert _comment_page(call, _visitor("10.7.7.7")).templates == []  # the others still get the kept one


def test_a_published_answer_shows_at_once(cast):
    call = _call(cast)
    _visitor().post(reverse("comments:public", args=[call.token]), {"text": "路灯不亮。"})
    assert "路灯已修复" not in _comment_page(call).content.decode()
    comments.comment_answer(
        comment=call.comments.get(), actor=cast.clerk_a, answer="路灯已修复。", public=True
    )
    assert "路灯已修复" in _comment_page(call, _visitor("10.8.8.8")).content.decode()


def test_a_call_that_closes_shows_closed_the_next_day(cast, time_machine):
    today = timezone.localdate()
    call = comments.call_open(
        round_=cast.a.round,
        actor=cast.clerk_a,
        invitation="欢迎。",
        closes_on=today + datetime.timedelta(days=1),
    )
    assert 'data-testid="closed"' not in _comment_page(call).content.decode()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    assert 'data-testid="closed"' in _comment_page(call, _visitor("10.9.9.9")).content.decode()


def test_a_logged_in_user_is_refused_not_served_the_kept_page(cast):
    call = _call(cast)
    _comment_page(call)
    staff = Client()
    staff.force_login(cast.clerk_a)
    response = staff.get(reverse("comments:public", args=[call.token]))
    assert response.status_code == 403 and response.templates


def test_the_english_page_is_kept_apart_from_the_chinese(cast):
    call = _call(cast)
    chinese = _comment_page(call).content.decode()
    visitor = _visitor("10.2.2.2")
    visitor.cookies["django_language"] = "en"  # chosen with the page's language form
    english = _comment_page(call, visitor).content.decode()
    assert 'lang="zh-hans"' in chinese and 'lang="en"' in english


def test_a_receipt_slip_shows_confirmed_once_answered(cast):
    batch = receipts.batch_issue(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        title="宣传单送达回执",
        statement="我已收到宣传单。",
        count=2,
        asks_satisfaction=False,
    )
    receipt = batch.receipts.get(number=1)
    url = reverse("receipts:confirm", args=[receipt.token])
    resident = _visitor("10.1.1.1")
    assert "<form" in resident.get(url).content.decode()
    assert _visitor("10.1.1.2").get(url).templates == []  # kept
    assert resident.post(url, {"confirm": "on"}).status_code == 302
    page = _visitor("10.1.1.3").get(url).content.decode()
    assert 'data-testid="confirmed"' in page


def test_an_unknown_link_is_not_found(cast):
    assert _visitor().get(reverse("comments:public", args=["no-such-token"])).status_code == 404
    assert _visitor().get(reverse("receipts:confirm", args=["no-such-token"])).status_code == 404


def test_a_kept_page_costs_the_visitor_one_small_query_and_no_rendering(cast, django_assert_num_queries):
    call = _call(cast)
    _comment_page(call)
    with django_assert_num_queries(1):  # the call with its round, unit and published answers' ids
        assert _comment_page(call, _visitor("10.0.0.9")).templates == []


def test_healthz_answers_a_constant_without_the_database(client):
    response = client.get("/healthz/")  # no db fixture: any query would fail the test
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_kept_page_survives_a_dropped_database_connection(cast, settings):
    """The visit's one query is also its health check (public_pages.fetch_rows): a persistent
    connection the server has dropped between two visits is opened again, not a 500."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no connection to drop")
    settings.DEBUG = False
    call = _call(cast)
    assert _comment_page(call).status_code == 200  # kept now, the connection open
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    again = _comment_page(call, _visitor("10.7.7.7"))
    assert again.status_code == 200 and "欢迎对甲社区整改工作提出意见建议" in again.content.decode()
    assert connection.connection.info.backend_pid != backend


def test_the_comment_page_shows_its_published_answers_newest_first(cast):
    call = _call(cast)
    published = []
    for n, text in enumerate(["路灯不亮。", "垃圾清运不及时。", "公示栏没有更新。"]):
        comment = comments.comment_submit(
            call=call, text=text, name="", contact="", logged_in=False, network=f"10.9.9.{n}"
        )
        published.append(comment)
    for comment, public in zip(published, (True, False, True), strict=True):
        comments.comment_answer(
            comment=comment, actor=cast.clerk_a, answer=f"已答复{comment.pk}", public=public
        )
    shows = public_page_shows(call.token)
    assert shows is not None
    assert shows[-1] == (published[2].pk, published[0].pk)  # the unpublished answer is not there
    assert public_page_shows("no-such-token") is None


def test_on_postgresql_the_visits_query_is_planned_once_per_connection(cast):
    """Django opens psycopg connections with prepared statements off; the key query of a kept page
    is prepared all the same (planning it cost the server four times running it)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no prepared statements on a server")
    call = _call(cast)
    for address in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        assert _comment_page(call, _visitor(address)).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE %s",
            ["%comments_commentcall%"],
        )
        assert cursor.fetchone()[0] == 1
