"""The overview: every round the user may see, the most overdue first, with totals and chart data."""

from __future__ import annotations

import datetime
import json
import re

from _ledger_support import measure_in_state
from django.urls import reverse

from zhenggai.ledger.models import MeasureStatus
from zhenggai.ledger.services import measure_create


def _overview(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("ledger:overview"))
    assert response.status_code == 200
    return response.content.decode()


def _rounds(page: str) -> list[str]:
    return re.findall(r'<tr data-round="(\d+)"', page)


def test_the_office_sees_every_unit_the_most_overdue_first(client, cast):
    today = datetime.date.today()
    for days in (-3, -1):  # unit B: two overdue measures; unit A: none
        measure_create(
            problem=cast.b.problem,
            actor=None,
            text="逾期措施",
            deadline=today + datetime.timedelta(days=days),
        )
    measure_in_state(cast.a.problem, MeasureStatus.SUBMITTED, text="已完成", deadline=today)
    page = _overview(client, cast.officer)
    assert _rounds(page) == [str(cast.b.round.pk), str(cast.a.round.pk)]
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert counts == {"rounds": "2", "total": "5", "done": "1", "red": "2", "yellow": "0"}
    chart = json.loads(
        re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert chart[0] == {"id": cast.b.round.pk, "unit": "乙社区", "done": 0, "red": 2, "open": 1}
    assert f'{reverse("ledger:round_ledger", args=[cast.b.round.pk])}?light=red">2</a>' in page


def test_a_unit_sees_its_own_rounds_only(client, cast):
    page = _overview(client, cast.clerk_a)
    assert _rounds(page) == [str(cast.a.round.pk)] and "乙社区" not in page


def test_someone_without_a_role_sees_no_rounds_and_a_visitor_is_sent_to_log_in(client, cast):
    assert _rounds(_overview(client, cast.outsider)) == []
    client.logout()
    response = client.get(reverse("ledger:overview"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _one_round_a_page_and_one_overdue_measure(client, cast, settings) -> None:
    """Pages of one round; unit B's round gains an overdue measure; the office officer looks."""
    settings.ZHENGGAI = {**settings.ZHENGGAI, "LEDGER_PAGE_SIZE": 1}
    measure_create(
        problem=cast.b.problem,
        actor=None,
        text="逾期措施",
        deadline=datetime.date.today() - datetime.timedelta(days=1),
    )
    client.force_login(cast.officer)


def test_the_round_list_comes_in_pages_with_each_rounds_counts(client, cast, settings):
    _one_round_a_page_and_one_overdue_measure(client, cast, settings)
    first = client.get(reverse("ledger:round_list")).content.decode()
    older = re.search(r'href="\?(after=[^"]+)" rel="next"', first).group(1)
    pages = [first, client.get(reverse("ledger:round_list") + "?" + older).content.decode()]
    stats = [re.findall(r"<b>(\d+)</b>", page) for page in pages]
    titles = [re.search(r'class="round-title"[^>]*>([^<]+)<', page).group(1) for page in pages]
    assert sorted(zip(titles, stats, strict=True)) == [
        ("乙社区巡察整改", ["2", "0", "1"]),  # measures, done, overdue
        ("甲社区巡察整改", ["1", "0", "0"]),
    ]
    assert 'rel="prev"' not in pages[0] and 'rel="next"' not in pages[1]  # two rounds: two pages
    assert 'rel="prev"' in pages[1]


def test_the_overview_comes_in_pages_each_with_the_totals_of_all_rounds(client, cast, settings):
    _one_round_a_page_and_one_overdue_measure(client, cast, settings)
    pages = [client.get(reverse("ledger:overview"), {"page": n}).content.decode() for n in (1, 2)]
    assert [_rounds(page) for page in pages] == [[str(cast.b.round.pk)], [str(cast.a.round.pk)]]
    for page in pages:
        counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
        assert (counts["rounds"], counts["total"], counts["red"]) == ("2", "3", "1")
    assert 'id="overview-data"' in pages[0] and 'id="overview-data"' not in pages[1]  # the chart once
    assert 'href="?page=2"' in pages[0] and 'href="?page=1"' in pages[1]
