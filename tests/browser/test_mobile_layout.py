"""Every page fits a 375 px wide phone: nothing makes the page scroll sideways."""

from __future__ import annotations

import re

from _cards import open_step
from django.utils import timezone
from playwright.sync_api import expect

SIZES = "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
# The elements whose right edge passes the phone's, to say what overflows when something does.
OVERFLOWING = """(width) => Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "")
              + " right=" + Math.round(e.getBoundingClientRect().right))"""


def assert_fits(page, screenshot, name: str) -> None:
    """No sideways scrolling. A mobile browser widens the layout viewport to fit content that
    overflows, which makes scrollWidth == innerWidth > 375: so innerWidth must stay the phone's."""
    page.wait_for_load_state("load")
    screenshot(page, f"mobile-{name}")
    phone = page.viewport_size["width"]
    size = page.evaluate(SIZES)
    assert size["scroll"] <= size["inner"] == phone, (
        f"{name} does not fit {phone} px: {size['scroll']} px wide, layout viewport {size['inner']} px; "
        f"overflowing: {page.evaluate(OVERFLOWING, phone)}"
    )


def test_pages_fit_a_375px_phone_without_sideways_scrolling(phone_page, demo, log_in, screenshot, pdf_file):
    page = phone_page
    assert page.viewport_size == {"width": 375, "height": 812}
    page.goto("/accounts/login/")
    assert_fits(page, screenshot, "01-login")

    log_in(page, "x_clerk")
    assert page.locator("[data-testid=todo-item]").count() > 0  # the home page: 我的待办
    assert_fits(page, screenshot, "02-todo")
    page.locator("nav.topnav a[href='/rounds/']").click()  # the home page is 我的待办
    page.wait_for_url("**/rounds/")
    assert_fits(page, screenshot, "02-round-list")

    page.locator("a.round-title").first.click()
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    ledger_url = page.url
    assert_fits(page, screenshot, "03-ledger")

    # Filtered through the form (an HTMX swap of the results).
    page.locator("select[name=light]").select_option("red")
    page.wait_for_url(re.compile(r"light=red"))
    page.locator("select[name=status]").select_option("not_started")
    page.wait_for_url(re.compile(r"status=not_started"))
    expect(page.locator("table.ledger tbody tr:not(.row-red)")).to_have_count(0)
    expect(page.locator("table.ledger tbody tr .badge.status-not_started").first).to_be_visible()
    assert_fits(page, screenshot, "04-ledger-filtered")

    page.locator("table.ledger tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/problems/\d+/"))
    assert page.locator(".card.measure").count() > 0
    assert_fits(page, screenshot, "05-problem")

    # What people really type on a phone: a pasted link, a scanner's long file name.
    card = page.locator(".card.measure").first
    progress = open_step(card, "progress")
    progress.locator("input[type=date]").fill(timezone.localdate().isoformat())
    progress.locator("textarea").fill(
        "整改方案已在网站公开：https://www.example.gov.cn/xxgk/zdly/zhenggai/2020/07/t20200713_1234567.html"
    )
    progress.locator("button[type=submit]").click()
    card.locator(".timeline li:not(.empty)").wait_for()
    upload = open_step(card, "evidence")
    upload.locator("input[type=file]").set_input_files(pdf_file(f"SCAN_{'0' * 40}_党工委会议纪要.pdf"))
    upload.locator("button[type=submit]").click()
    card.locator(".evidence a").wait_for()
    assert_fits(page, screenshot, "05b-problem-with-progress-and-evidence")

    page.locator(".card.measure a[href$='/edit/']").first.click()
    page.wait_for_url(re.compile(r"/measures/\d+/edit/$"))
    assert page.locator("form textarea").count() == 1
    assert_fits(page, screenshot, "06-measure-form")

    # The public report with where to send comments, previewed.
    page.goto(ledger_url)
    page.get_by_test_id("reports-link").click()
    page.locator("textarea[name=contact_lines]").fill("联系电话：0451-82345678\n电子邮箱：xcb@example.gov.cn")
    page.locator("#report-form button:not([formmethod])").click()
    expect(page.locator(".gongwen-preview")).to_contain_text("联系电话：0451-82345678")
    assert_fits(page, screenshot, "06b-reports")

    page.goto("/ledger/")
    assert_fits(page, screenshot, "07-all-ledgers")

    page.goto("/overview/")
    page.locator("[data-chart=overview] svg").wait_for()
    assert_fits(page, screenshot, "08-overview")
