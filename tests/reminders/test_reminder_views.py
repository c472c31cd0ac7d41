"""The reminders page: a user's own notices, newest first, marked read once shown; the nav count."""

from __future__ import annotations

import datetime

from _reminder_support import DEADLINE, on
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhenggai.reminders.models import Notice
from zhenggai.reminders.services import run_daily_reminders

URL = "/reminders/"


def _run(*days: datetime.date) -> None:
    for day in days:
        with on(day):
            run_daily_reminders(today=day)


def test_the_page_lists_my_notices_newest_first_and_marks_them_read(client, ladder):
    _run(DEADLINE - datetime.timedelta(days=20), DEADLINE + datetime.timedelta(days=1))
    client.force_login(ladder.cast.clerk_a)
    assert reverse("reminders:notice_list") == URL

    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # the overdue notice of day 3 comes first
    assert page.index("整改措施已逾期") < page.index("整改措施临近时限")
    assert page.count('class="badge"') == 2
    measure = ladder.measure
    assert f'href="/problems/{measure.problem_id}/#measure-{measure.pk}"' in page
    assert not Notice.objects.filter(user=ladder.cast.clerk_a, read_at__isnull=True).exists()

    again = client.get(URL).content.decode()
    assert again.count('class="badge"') == 0 and again.count("data-notice=") == 2


def test_nobody_sees_another_persons_notices(client, ladder):
    _run(DEADLINE + datetime.timedelta(days=1))
    client.force_login(ladder.cast.clerk_b)
    page = client.get(URL).content.decode()
    assert "data-notice=" not in page
    assert Notice.objects.filter(read_at__isnull=True).count() == 3  # nobody else's was marked read


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_page_refuses_a_post(client, cast):
    client.force_login(cast.clerk_a)
    assert client.post(URL).status_code == 405


def test_the_page_makes_the_same_queries_for_one_notice_or_many(
    client, ladder, django_assert_max_num_queries
):
    _run(DEADLINE - datetime.timedelta(days=20))
    client.force_login(ladder.cast.clerk_a)
    client.get(URL)
    _run(*(DEADLINE + datetime.timedelta(days=n) for n in range(-10, 2)))
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_the_nav_count_is_my_unread_notices(ladder):
    _run(DEADLINE + datetime.timedelta(days=1))
    template = Template("{% load reminder_tags %}{% unread_notice_count as n %}[{{ n }}]")
    request = RequestFactory().get("/")
    request.user = ladder.cast.clerk_a
    assert template.render(Context({"request": request})) == "[1]"
    Notice.objects.update(read_at=datetime.datetime(2025, 7, 2, tzinfo=datetime.UTC))
    assert template.render(Context({"request": request})) == "[0]"
    request.user = ladder.cast.outsider
    assert template.render(Context({"request": request})) == "[0]"
