"""The oversight dashboard in the browser: a chart segment and a table cell each open the ledger
filtered to exactly the measures they count."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect


def _drawn(box) -> bool:
    return bool(box) and box["width"] > 1 and box["height"] > 1


def _ledger_total(page) -> int:
    return int(page.locator("[data-testid=counts] [data-count=total]").inner_text())


def _ledger_rows(page) -> int:
    return page.locator("#ledger-results table.ledger tbody tr").count()


def test_a_chart_segment_and_a_table_cell_open_the_ledger_of_what_they_count(page, demo, log_in, screenshot):
    log_in(page, "xunchaban")
    page.locator("[data-testid=nav-dashboard]").click()
    page.wait_for_url("**/oversight/")
    chart = page.locator("[data-chart=figures][data-source=rounds-chart-data] svg")
    expect(chart).to_be_visible()
    screenshot(page, "dashboard-01-office")

    # The chart: a red (overdue) segment opens the overdue measures of its round.
    # (a round with nothing overdue has a red segment of no width: the first one drawn is taken)
    segments = chart.locator("path[fill='#c62828']")
    drawn = [i for i in range(segments.count()) if _drawn(segments.nth(i).bounding_box())]
    assert drawn, "no red segment drawn"
    segment = segments.nth(drawn[0])
    segment.click()
    page.wait_for_url(re.compile(r".*/ledger/\?.*light=red.*"))
    query = parse_qs(urlparse(page.url).query)
    round_id = query["round"][0]
    total = _ledger_total(page)
    assert total > 0 and _ledger_rows(page) == total  # one page: every row is one of them
    assert page.locator("#ledger-results .dot-red").count() >= total  # each row lit red
    expect(page.locator("[data-testid=figure-filter]")).to_be_visible()
    screenshot(page, "dashboard-02-ledger-from-chart")
    page.go_back()
    page.wait_for_url("**/oversight/")
    cell = page.locator(f"[data-testid=rounds-table] tr[data-key='{round_id}'] a[data-figure=red]")
    assert int(cell.inner_text()) == total  # the chart, the table and the ledger agree

    # The table: a round's "done" cell (one that counts some) opens its done measures.
    cells = page.locator("[data-testid=rounds-table] a[data-figure=done]")
    done = next(cells.nth(i) for i in range(cells.count()) if int(cells.nth(i).inner_text()) > 0)
    expected = int(done.inner_text())
    done_round = done.locator("xpath=ancestor::tr").get_attribute("data-key")
    done.click()
    page.wait_for_url(re.compile(r".*/ledger/\?.*status=done.*"))
    assert parse_qs(urlparse(page.url).query)["round"] == [done_round]
    assert _ledger_total(page) == expected == _ledger_rows(page) > 0
    screenshot(page, "dashboard-03-ledger-from-cell")


def test_the_dashboard_filters_live_in_the_url(page, demo, log_in, screenshot):
    log_in(page, "xunchaban")
    page.goto("/oversight/")
    page.locator("[data-testid=dashboard-filters] select[name=category]").select_option("organisation")
    page.locator("[data-testid=dashboard-filters] button[type=submit]").click()
    page.wait_for_url("**/oversight/?*category=organisation*")
    measures = int(page.locator("[data-total=measures]").inner_text())
    page.locator("a.count:has([data-total=measures])").click()
    page.wait_for_url("**/ledger/?*category=organisation*")
    assert _ledger_total(page) == measures
    screenshot(page, "dashboard-04-filtered-ledger")


def test_the_dashboard_fits_a_phone(phone_page, demo, log_in, screenshot):
    from test_mobile_layout import assert_fits

    log_in(phone_page, "xunchaban")
    phone_page.goto("/oversight/")
    phone_page.locator("[data-chart=figures] svg").first.wait_for()
    assert_fits(phone_page, screenshot, "dashboard-05-phone")
