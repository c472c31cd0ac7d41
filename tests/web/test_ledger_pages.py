"""The ledger table: counts, filters, search, lights, and how many queries it takes."""

from __future__ import annotations

import datetime
import re
import unicodedata

import pytest
from _ledger_support import measure_in_state
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from hypothesis import assume, given
from hypothesis import strategies as st

from zhenggai.config.jinja import truncate_chars
from zhenggai.ledger.lights import GREEN, LIGHTS, NONE, RED, YELLOW, light_expression, light_of
from zhenggai.ledger.models import Measure, MeasureStatus
from zhenggai.ledger.services import measure_create


def _counts(response) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="([^"]+)">(\d+)<', response.content.decode())}


@pytest.fixture
def mixed(cast):
    """Four more measures on unit A's problem, one for each light."""
    today = datetime.date.today()
    problem = cast.a.problem
    for text, days, status in [
        ("逾期措施", -3, MeasureStatus.IN_PROGRESS),
        ("临期措施", 5, MeasureStatus.NOT_STARTED),
        ("已完成措施", -10, MeasureStatus.SUBMITTED),
        ("无时限措施", None, MeasureStatus.NOT_STARTED),
    ]:
        deadline = today + datetime.timedelta(days=days) if days is not None else None
        measure_in_state(problem, status, text=text, deadline=deadline)
    return cast


def test_counts_at_the_top(client, mixed):
    client.force_login(mixed.clerk_a)
    counts = _counts(client.get(reverse("ledger:round_ledger", args=[mixed.a.round.pk])))
    assert counts["total"] == 5
    assert (counts["not_started"], counts["in_progress"], counts["submitted"], counts["done"]) == (2, 2, 1, 1)
    assert (counts["light-red"], counts["light-yellow"], counts["light-green"], counts["light-none"]) == (
        1,
        1,
        2,
        1,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("light=red", {"逾期措施"}),
        ("light=yellow", {"临期措施"}),
        ("light=none", {"无时限措施"}),
        ("status=done", {"已完成措施"}),
        ("status=submitted", {"已完成措施"}),
        ("status=open", {"逾期措施", "临期措施", "无时限措施", "建立会议记录当场签字制度。"}),
        ("q=临期", {"临期措施"}),
        ("q=补记", {"逾期措施", "临期措施", "已完成措施", "无时限措施", "建立会议记录当场签字制度。"}),
    ],
)
def test_filters_and_search(client, mixed, query, expected):
    client.force_login(mixed.clerk_a)
    response = client.get(reverse("ledger:round_ledger", args=[mixed.a.round.pk]) + "?" + query)
    rows = set(re.findall(r'<td data-label="整改措施">([^<]+)</td>', response.content.decode()))
    assert rows == expected


def test_department_filter(client, mixed):
    client.force_login(mixed.clerk_a)
    url = reverse("ledger:round_ledger", args=[mixed.a.round.pk]) + f"?department={mixed.a.department.pk}"
    assert _counts(client.get(url))["total"] == 1


def test_the_office_sees_all_units_and_filters_by_unit(client, mixed):
    client.force_login(mixed.officer)
    assert _counts(client.get(reverse("ledger:all_ledgers")))["total"] == 6
    url = reverse("ledger:all_ledgers") + f"?unit={mixed.b.unit.pk}"
    assert _counts(client.get(url))["total"] == 1


def test_an_htmx_filter_returns_only_the_results(client, mixed):
    client.force_login(mixed.clerk_a)
    response = client.get(
        reverse("ledger:round_ledger", args=[mixed.a.round.pk]) + "?light=red", HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="ledger-results"') and "<html" not in content


def test_the_ledger_page_takes_a_fixed_number_of_queries(client, mixed):
    client.force_login(mixed.clerk_a)
    url = reverse("ledger:round_ledger", args=[mixed.a.round.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        measure_create(
            problem=mixed.a.problem, actor=None, text=f"追加措施{i}", deadline=datetime.date.today()
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 12


def test_the_light_follows_status_and_date(cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "YELLOW_LIGHT_DAYS": 10}
    today = datetime.date(2024, 6, 1)
    cases = [
        (MeasureStatus.IN_PROGRESS, today - datetime.timedelta(days=1), RED),
        (MeasureStatus.NOT_STARTED, today, YELLOW),
        (MeasureStatus.IN_PROGRESS, today + datetime.timedelta(days=10), YELLOW),
        (MeasureStatus.IN_PROGRESS, today + datetime.timedelta(days=11), GREEN),
        (MeasureStatus.SUBMITTED, today - datetime.timedelta(days=100), GREEN),
        (MeasureStatus.NOT_STARTED, None, NONE),
        (MeasureStatus.SUBMITTED, None, GREEN),
    ]
    cases += [(MeasureStatus.CONFIRMED, today - datetime.timedelta(days=1), GREEN)]
    cases += [(MeasureStatus.CLOSED, today - datetime.timedelta(days=1), GREEN)]
    for status, deadline, expected in cases:
        measure = measure_in_state(cast.a.problem, status, text="灯", deadline=deadline)
        light = Measure.objects.annotate(light=light_expression(today)).get(pk=measure.pk).light
        assert light == expected, (status, deadline)
        assert light_of(status, deadline, today) == expected, (status, deadline)
        assert expected in LIGHTS


def test_a_row_is_lit_in_python_as_the_sql_lights_it(cast, settings):
    """Pages light the rows they read with `light_of`; the filters and counts use the SQL rule."""
    settings.ZHENGGAI = {**settings.ZHENGGAI, "YELLOW_LIGHT_DAYS": 10}
    today = datetime.date(2024, 6, 1)
    offsets = [None, -400, -1, 0, 1, 9, 10, 11, 400]
    for status in MeasureStatus.values:
        for offset in offsets:
            deadline = None if offset is None else today + datetime.timedelta(days=offset)
            measure_in_state(cast.a.problem, status, text=f"{status}{offset}", deadline=deadline)
    rows = Measure.objects.filter(problem=cast.a.problem).annotate(light=light_expression(today))
    lit = [(m.status, m.deadline, m.light) for m in rows.exclude(pk=cast.a.measure.pk)]
    assert len(lit) == len(MeasureStatus.values) * len(offsets)
    assert all(light_of(status, deadline, today) == light for status, deadline, light in lit)
    assert {light for *_rest, light in lit} == set(LIGHTS)


def _rows(response) -> list[str]:
    return re.findall(r"<tr class=\"row-.*?</tr>", response.content.decode(), flags=re.S)


def test_the_table_rows_show_each_measure_escaped_and_shortened(client, mixed):
    today = datetime.date.today()
    long_text = "<script>alert(1)</script>" + "整改" * 100
    measure_create(
        problem=mixed.a.problem,
        actor=None,
        text=long_text,
        deadline=today,
        status=MeasureStatus.IN_PROGRESS,
        long_term=True,
    )
    client.force_login(mixed.clerk_a)
    response = client.get(reverse("ledger:round_ledger", args=[mixed.a.round.pk]))
    rows = _rows(response)
    assert len(rows) == 6
    first, *others = rows
    # The first row of a problem names it; the next ones repeat only its number, with the title on hover.
    assert '<td data-label="问题" class="problem-cell"><a href="' in first and "会议记录不规范。</a>" in first
    assert all('class="ditto" title="会议记录不规范。">一、1.</a>' in row for row in others)
    url = reverse("ledger:problem_detail", args=[mixed.a.problem.pk])
    assert f'href="{url}#measure-{mixed.a.measure.pk}"' in first
    assert f'<td class="nowrap" data-label="牵头部门">{mixed.a.department.name}</td>' in first
    assert f'<td class="nowrap" data-label="分管领导">{mixed.a.unit.name}分管领导</td>' in first
    deadline = mixed.a.measure.deadline.isoformat()
    assert f'<i class="dot dot-green" title="green"></i>{deadline}</td>' in first
    assert '<span class="badge status-in_progress">整改中</span>' in first
    assert not any("data-claim" in row for row in rows)  # entered here, not imported: no claim
    # Escaped, cut to 120 characters as Django's truncatechars does, and the long-term badge.
    (row,) = [r for r in rows if "alert(1)" in r]
    assert "<script>" not in row
    shown = re.search(r'<td data-label="整改措施">([^<]+)</td>', row).group(1)
    shown = shown.replace("&lt;", "<").replace("&gt;", ">")
    with translation.override("zh-hans"):
        assert shown == Truncator(long_text).chars(120) and len(shown) == 120
    assert '<i class="dot dot-yellow" title="yellow"></i>' in row and ">长期坚持</span>" in row
    # A measure with no department, leader or deadline shows dashes.
    (bare,) = [r for r in rows if "无时限措施" in r]
    assert bare.count('">—</td>') == 2 and "</i>—</td>" in bare


def test_the_ledger_across_rounds_starts_each_row_with_its_unit(client, mixed):
    client.force_login(mixed.officer)
    rows = _rows(client.get(reverse("ledger:all_ledgers")))
    units = [re.search(r'<td data-label="单位">([^<]+)</td>', row).group(1) for row in rows]
    assert units == ["甲社区"] * 5 + ["乙社区"] or units == ["乙社区"] + ["甲社区"] * 5


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])), st.integers(1, 130))
def test_the_rows_shorten_text_as_djangos_truncatechars_does(text, length):
    assume(not any(unicodedata.combining(char) for char in unicodedata.normalize("NFC", text)))
    assert truncate_chars(text, length) == Truncator(text).chars(length)


def test_the_pages_of_a_filtered_ledger_keep_the_filter(client, mixed, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "LEDGER_PAGE_SIZE": 2}
    client.force_login(mixed.clerk_a)
    url = reverse("ledger:round_ledger", args=[mixed.a.round.pk])
    first = client.get(url, {"status": "open"}).content.decode()
    assert 'href="?status=open&page=2"' in first
    second = client.get(url, {"status": "open", "page": 2}).content.decode()
    assert 'href="?status=open&page=1"' in second
    ids = [re.findall(r'data-measure="(\d+)"', page) for page in (first, second)]
    assert len(ids[0]) == len(ids[1]) == 2 and not set(ids[0]) & set(ids[1])
