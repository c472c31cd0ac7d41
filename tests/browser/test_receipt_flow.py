"""A clerk prints residents' receipt slips; a resident confirms one on their own phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_mobile_layout import assert_fits


def test_a_resident_confirms_a_printed_slip_on_their_phone(page, phone_page, demo, log_in, screenshot):
    log_in(page, "y_clerk")
    page.locator("nav.topnav a[href='/rounds/']").click()  # the home page is 我的待办
    page.wait_for_url("**/rounds/")
    page.get_by_text("Y社区党工委", exact=False).first.click()
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    page.locator("table.ledger tbody tr a", has_text="居民诉求").first.click()
    page.wait_for_url(re.compile(r"/problems/\d+/"))
    page.get_by_test_id("receipts-link").first.click()
    page.wait_for_url(re.compile(r"/measures/\d+/receipts/$"))

    form = page.locator("form[data-form=receipt-batch]")
    form.locator("input[name=title]").fill("扫黑除恶宣传单送达回执")
    form.locator("textarea[name=statement]").fill("我已收到扫黑除恶专项斗争宣传单。")
    form.locator("input[name=count]").fill("2")
    form.locator("input[name=asks_satisfaction]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/receipts/\d+/slips/$"))
    expect(page.locator(".slip")).to_have_count(2)
    expect(page.locator(".slip svg")).to_have_count(2)
    screenshot(page, "receipts-01-slips")
    slip_url = page.locator(".slip .slip-url").first.inner_text().strip()
    batch_url = page.url.removesuffix("slips/")

    # The clerk cannot answer the slip: logged in, the page refuses and shows no form.
    page.goto(slip_url)
    expect(page.get_by_test_id("refused")).to_contain_text("不能代为填写")
    expect(page.locator("form[data-form=receipt]")).to_have_count(0)

    resident = phone_page
    resident.goto(slip_url)
    expect(resident.locator("h1")).to_have_text("扫黑除恶宣传单送达回执")
    assert_fits(resident, screenshot, "receipts-02-slip-on-phone")
    resident.locator("input[name=confirm]").check()
    resident.get_by_label("基本满意").check()
    resident.get_by_label("户名或门牌（选填）").fill("幸福里3栋")
    resident.locator("form[data-form=receipt] button[type=submit]").click()
    expect(resident.get_by_test_id("confirmed")).to_contain_text("确认")
    assert_fits(resident, screenshot, "receipts-03-confirmed")

    page.goto(batch_url)
    expect(page.locator("[data-count=confirmed]")).to_have_text("1")
    expect(page.locator("tr[data-slip='1']")).to_contain_text("幸福里3栋")
    screenshot(page, "receipts-04-batch")
