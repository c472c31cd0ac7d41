"""The dashboard page: every figure on it is a link to the ledger, and that ledger counts the
same; who may open it; its exports; the navigation."""

from __future__ import annotations

import datetime
import html
import io
import re

import pytest
from _world import TODAY
from django.urls import reverse
from openpyxl import load_workbook

from zhenggai.oversight import selectors
from zhenggai.oversight.filters import DashboardFilters

FIGURE_LINK = re.compile(r'<a href="(/ledger/\?[^"]*)" data-figure="(\w+)">(\d+)</a>')
TOTAL_LINK = re.compile(
    r'<a class="count[^"]*" href="(/ledger/\?[^"]*)"><span>[^<]*</span><b data-total="(\w+)">(\d+)</b>'
)


def _page(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse("oversight:dashboard") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response.content.decode()


def _ledger_total(client, link: str) -> int:
    page = client.get(html.unescape(link)).content.decode()
    return int(re.search(r'data-count="total">(\d+)<', page).group(1))


@pytest.mark.parametrize(
    "query", ["", "category=conduct", "year=2025&kind=巡察", "category=finance.funds", "group=GROUP"]
)
def test_every_figure_opens_a_ledger_that_counts_the_same(client, world, query):
    query = query.replace("GROUP", str(world.cast.group.pk))
    page = _page(client, world.cast.officer, query)
    links = FIGURE_LINK.findall(page)
    kinds = {figure for _link, figure, _n in links}
    assert kinds == set(selectors.FIGURE_FILTERS), kinds  # every kind of figure is on the page
    checked = 0
    for link, figure, n in links + [(link, name, n) for link, name, n in TOTAL_LINK.findall(page)]:
        if figure == "problems":  # the ledger lists measures: a problems figure opens all of them
            continue
        assert _ledger_total(client, link) == int(n), (figure, link)
        checked += 1
    assert checked > 50


def test_the_tables_show_the_selectors_figures(client, world):
    page = _page(client, world.cast.officer, "category=conduct")
    board = selectors.dashboard(world.cast.officer, DashboardFilters(category="conduct"), TODAY)
    row = board.rounds[0]
    cells = re.search(rf"<tr data-key=\"{row.key}\">(.*?)</tr>", page, re.S).group(1)
    shown = dict((f, int(n)) for _l, f, n in FIGURE_LINK.findall(cells))
    assert shown == {name: getattr(row, name) for name in selectors.FIGURE_FILTERS}
    assert re.search(r'data-total="red">(\d+)<', page).group(1) == str(board.totals.red)


def test_the_filters_are_kept_in_the_url_and_the_form(client, world):
    page = _page(
        client, world.cast.officer, f"year=2025&kind=巡察&group={world.cast.group.pk}&category=finance"
    )
    assert '<option value="2025" selected>' in page
    assert '<option value="finance" selected>' in page
    assert f'<option value="{world.cast.group.pk}" selected>' in page
    link = TOTAL_LINK.search(page).group(1)
    assert "year=2025" in link and "kind=%E5%B7%A1%E5%AF%9F" in link and "category=finance" in link


def test_the_charts_bars_are_keyed_by_round_with_labels_no_other_bar_has(client, world):
    import json

    page = _page(client, world.cast.officer)
    data = json.loads(
        re.search(r'<script id="rounds-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert len({bar["label"] for bar in data}) == len(data) == len({bar["id"] for bar in data})
    for bar in data:
        for segment in ("done", "in_progress", "red"):
            assert _ledger_total(client, bar["links"][segment]) == bar[segment]


def test_units_own_staff_and_people_without_a_role_are_refused(client, world):
    for user in (world.cast.clerk_a, world.cast.leader_a, world.cast.outsider):
        client.force_login(user)
        assert client.get(reverse("oversight:dashboard")).status_code == 403
        assert client.get(reverse("oversight:export", args=["rounds"])).status_code == 403
    client.logout()
    response = client.get(reverse("oversight:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_unit_user_of_a_opening_a_figure_of_b_sees_nothing(client, world):
    page = _page(client, world.cast.officer)
    link = re.search(
        rf'<tr data-key="{world.cast.b.round.pk}">.*?<a href="(/ledger/\?[^"]*)" data-figure="measures">',
        page,
    ).group(1)
    client.force_login(world.cast.clerk_a)
    assert _ledger_total(client, link) == 0


def test_another_office_sees_none_of_these_rounds(client, world):
    page = _page(client, world.officer2)
    assert "甲社区" not in page and "乙社区" not in page
    assert "单位4" in page


def test_every_table_exports_every_row_with_the_filters(client, world):
    client.force_login(world.cast.officer)
    filters = DashboardFilters(category="conduct")
    board = selectors.dashboard(world.cast.officer, filters, TODAY, department_limit=None)
    for table, rows, first in (
        ("rounds", board.rounds, lambda r: [r.detail, r.label]),
        ("units", board.units, lambda r: [r.label]),
        ("departments", board.departments, lambda r: [r.label, r.detail]),
        ("categories", board.categories, lambda r: [r.key]),
    ):
        response = client.get(reverse("oversight:export", args=[table]) + "?category=conduct")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert len(values) == len(rows), table
        for row, got in zip(rows, values, strict=True):
            assert [v or "" for v in got[: len(first(row))]] == first(row)
            assert row.measures in got and row.red in got
    response = client.get(reverse("oversight:export", args=["overdue"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    overdue = selectors.most_overdue(world.cast.officer, DashboardFilters(), TODAY, limit=1000)
    assert [r[5] for r in sheet.iter_rows(min_row=3, values_only=True)] == [m["days"] for m in overdue]
    assert client.get(reverse("oversight:export", args=["nothing"])).status_code == 404


def test_the_navigation_leads_offices_to_the_dashboard_and_units_to_the_overview(client, world):
    page = _page(client, world.cast.officer)
    assert 'data-testid="nav-dashboard"' in page and 'href="/overview/"' not in page
    client.force_login(world.cast.clerk_a)
    page = client.get(reverse("ledger:all_ledgers")).content.decode()
    assert 'href="/overview/"' in page and "nav-dashboard" not in page
    client.force_login(world.cast.officer)
    assert client.get(reverse("ledger:overview")).status_code == 200  # still there


def test_the_page_costs_the_same_queries_whatever_the_filters(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.cast.officer)
    client.get(reverse("oversight:dashboard"))  # the session saved, the to-do badge cached
    counts = set()
    for query in ("", "category=conduct", "year=2025&kind=巡察", f"group={world.cast.group.pk}&category=x"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("oversight:dashboard") + f"?{query}").status_code == 200
        counts.add(len(queries))
    assert len(counts) == 1, counts


def test_the_overviews_chart_tells_two_rounds_of_one_unit_apart(client, world):
    import json

    client.force_login(world.cast.officer)
    page = client.get(reverse("ledger:overview")).content.decode()
    chart = json.loads(
        re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert len({bar["unit"] for bar in chart}) == len(chart) == len({bar["id"] for bar in chart})
    assert any("（#" in bar["unit"] for bar in chart)  # 单位1 has two rounds


def test_the_weekly_summary_reads_the_dashboards_figures_with_its_filters(client, world):
    from zhenggai.core.readers.docx import read_docx

    page = _page(client, world.cast.officer, "year=2025")
    assert f'href="{reverse("reports:weekly_summary")}?year=2025"' in page
    response = client.get(reverse("reports:weekly_summary") + "?year=2025")
    assert response.status_code == 200
    text = "\n".join(b for b in read_docx(response.content).blocks if isinstance(b, str))
    rounds = selectors.by_round(world.cast.officer, DashboardFilters(year=2025), TODAY, every_round=True)
    assert rounds and all(f"{r.detail}（{r.label}）" in text for r in rounds)
    if (TODAY - datetime.timedelta(days=30)).year != 2025:
        assert "甲社区" not in text  # its feedback was last month, not in 2025


def test_the_sections_other_apps_add_show_only_when_they_answer(client, world, monkeypatch):
    from zhenggai.oversight import views

    page = _page(client, world.cast.officer)
    # The repeats and signals apps are installed: their sections are there, with their own figures.
    assert 'data-testid="signals-panel"' in page and 'data-figure="repeated"' in page
    unit = world.cast.a.unit.pk
    plugged = {
        ("zhenggai.repeats.selectors", "repeat_counts_by_unit"): lambda user, filters: {unit: 3},
        ("zhenggai.signals.selectors", "signal_counts"): lambda user, filters: {"slogan": 4},
    }
    monkeypatch.setattr(views, "_optional", lambda module, name: plugged.get((module, name)))
    page = _page(client, world.cast.officer)
    assert re.search(rf'<tr data-key="{unit}">.*?<td class="num" data-figure="repeated">3</td>', page, re.S)
    assert 'data-testid="signals-panel"' in page and "<b>4</b>" in page
    # each signal by its name, linked to its flagged measures
    assert re.search(r'<a href="/signals/\?signal=slogan" data-signal>[^<]+：<b>4</b></a>', page)


def test_an_app_not_installed_adds_no_section(tmp_path, monkeypatch):
    import sys

    from zhenggai.oversight.views import _optional

    assert _optional("zhenggai.not_an_app.selectors", "f") is None
    assert _optional("zhenggai.oversight.selectors", "dashboard") is not None
    # Installed but broken (it imports what is not there): the error shows, not an empty section.
    (tmp_path / "broken_section.py").write_text("import zhenggai_nothing_of_the_kind\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        _optional("broken_section", "f")
    sys.modules.pop("broken_section", None)


def test_the_units_and_rounds_tables_come_a_page_at_a_time_with_the_filters(client, world, monkeypatch):
    """The most overdue rows first, the rest on the next pages; every page's figures open their
    ledger, and its links keep the filters and the other table's page."""
    monkeypatch.setattr(selectors, "TABLE_ROWS", 1)
    query = "year=2025"
    board = selectors.dashboard(world.cast.officer, DashboardFilters(year=2025), TODAY)
    assert len(board.units) > 1 and len(board.rounds) > 1
    seen_units, seen_rounds = [], []
    for number in range(1, len(board.units) + 1):
        page = _page(client, world.cast.officer, f"{query}&units_page={number}&rounds_page=2")
        units = re.search(r'data-testid="units-table">(.*?)</table>', page, re.S).group(1)
        seen_units += re.findall(r'<tr data-key="(\d+)">', units)
        for link, figure, n in FIGURE_LINK.findall(units):
            if figure != "problems":
                assert _ledger_total(client, link) == int(n), (figure, link)
            assert "year=2025" in link
        pager = re.search(r'data-testid="units-pager">(.*?)</nav>', page, re.S).group(1)
        for href in re.findall(r'href="([^"]*)"', pager):
            assert href.startswith("?year=2025&amp;rounds_page=2") and href.endswith("#units"), href
        assert ('rel="next"' in pager) == (number < len(board.units))
        if number > 1:
            assert 'data-testid="units-section" open' in page
    assert seen_units == [u.key for u in board.units]
    for number in (1, 2):
        page = _page(client, world.cast.officer, f"{query}&rounds_page={number}")
        rounds = re.search(r'data-testid="rounds-table">(.*?)</table>', page, re.S).group(1)
        seen_rounds += re.findall(r'<tr data-key="(\d+)">', rounds)
    assert seen_rounds == [r.key for r in board.rounds[:2]]
    # A page number that is not one shows the nearest page, never an error.
    assert 'data-testid="units-table"' in _page(client, world.cast.officer, "units_page=x&rounds_page=999")


def test_a_rows_links_are_the_ledger_query_of_each_figure(world):
    from zhenggai.oversight import charts

    for f in (DashboardFilters(), DashboardFilters(year=2025, kind="巡察", group=7, category="conduct")):
        board = selectors.dashboard(world.cast.officer, f, TODAY)
        for row in [board.totals, *board.rounds, *board.units, *board.categories, *board.departments]:
            figures = charts.linked(row, f, "/ledger/")["figures"]
            for name in selectors.FIGURE_FILTERS:
                assert figures[name][1] == f"/ledger/?{selectors.ledger_query(f, row.scope, name)}"


def test_the_year_filter_offers_the_feedback_years_of_the_rounds_in_sight_newest_first(client, world):
    from zhenggai.ledger.access import round_scope
    from zhenggai.ledger.models import InspectionRound

    InspectionRound.objects.create(
        title="无反馈日期", office=world.cast.office, inspected_unit=world.cast.a.unit
    )
    rounds = InspectionRound.objects.filter(round_scope(world.cast.officer))
    years = sorted({r.feedback_date.year for r in rounds if r.feedback_date}, reverse=True)
    assert len(years) > 1
    page = _page(client, world.cast.officer)
    select = re.search(r'<select name="year">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\d+)"', select) == [str(y) for y in years]
