"""The inspection office's overview draws its chart (ECharts, from the npm build) in the browser."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_office_sees_the_chart_of_the_most_overdue_rounds(page, demo, log_in, screenshot):
    log_in(page, "xunchaban")
    page.goto("/overview/")  # the office's nav leads to the oversight dashboard; the overview stays
    chart = page.locator("[data-chart=overview] svg")
    expect(chart).to_be_visible()
    # The units are the chart's categories; the bars are drawn for done, under way and overdue.
    expect(chart).to_contain_text("X社区党工委")
    expect(chart).to_contain_text("Y社区党工委")
    assert chart.locator("path").count() > 3
    rows = page.locator("[data-testid=overview-table] tbody tr")
    expect(rows).to_have_count(3)  # X社区's round and Y社区's two (the demo inspects Y社区 twice)
    assert "X社区党工委" in rows.first.inner_text()  # most overdue first: the 2020 round
    screenshot(page, "overview-01-office")
