"""The weekly trend (oversight/_trend.html) draws its chart under the CSP, beside its table."""

from __future__ import annotations

from playwright.sync_api import expect

from zhenggai.oversight.snapshots import take_weekly_snapshot


def test_the_office_sees_the_weekly_trend_drawn_and_tabled(page, demo, log_in, screenshot):
    taken = take_weekly_snapshot()
    log_in(page, "xunchaban")
    page.goto("/oversight/trend/")
    chart = page.locator("[data-chart=trend] svg")
    expect(chart).to_be_visible()
    assert chart.locator("path").count() > 3
    rows = page.locator("[data-testid=trend-table] tbody tr")
    expect(rows).to_have_count(1)
    assert taken.week.isoformat() in rows.first.inner_text()
    screenshot(page, "trend-01-office")
