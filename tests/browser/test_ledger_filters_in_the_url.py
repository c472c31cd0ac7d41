"""The ledger's filters live in the address: they can be bookmarked, and Back brings them back."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _swapped(page, action) -> None:
    """Run `action` (a filter change) and wait until HTMX has put the new results in."""
    page.locator("#ledger-results").evaluate("el => el.setAttribute('data-before', '')")
    action()
    page.locator("#ledger-results:not([data-before])").wait_for()


def test_filters_are_pushed_to_the_url_and_back_restores_them(page, demo, log_in):
    log_in(page, "x_clerk")
    page.goto("/rounds/")  # log-in lands on 我的待办
    page.locator("li.round a.round-title").click()
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    ledger = page.url
    total = page.locator("[data-count=total]").inner_text()

    _swapped(page, lambda: page.locator("select[name=light]").select_option("red"))
    page.wait_for_url(re.compile(r"light=red"))
    red = page.locator("[data-count=total]").inner_text()
    assert page.locator("table.ledger tbody tr:not(.row-red)").count() == 0
    _swapped(page, lambda: page.locator("select[name=status]").select_option("not_started"))
    page.wait_for_url(re.compile(r"light=red.*status=not_started|status=not_started.*light=red"))
    bookmarked = page.url

    # Back: the red filter alone, in the form and in the rows (reloaded from the server).
    page.go_back()
    page.wait_for_url(lambda url: "light=red" in url and "status=not_started" not in url)
    expect(page.locator("select[name=light]")).to_have_value("red")
    expect(page.locator("select[name=status]")).to_have_value("")
    expect(page.locator("[data-count=total]")).to_have_text(red)
    # Back again: no filter at all.
    page.go_back()
    page.wait_for_url(ledger)
    expect(page.locator("select[name=light]")).to_have_value("")
    expect(page.locator("[data-count=total]")).to_have_text(total)

    # The bookmarked address opens the ledger filtered as it was.
    page.goto(bookmarked)
    expect(page.locator("select[name=light]")).to_have_value("red")
    expect(page.locator("select[name=status]")).to_have_value("not_started")
    assert page.locator("table.ledger tbody tr:not(.row-red)").count() == 0
