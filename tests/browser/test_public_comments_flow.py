"""Someone reads the published report, writes in from a phone; the clerk answers in public."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_mobile_layout import assert_fits


def test_a_comment_from_a_phone_is_answered_in_public(page, phone_page, demo, log_in, screenshot):
    log_in(page, "x_clerk")
    page.locator("nav.topnav a[href='/rounds/']").click()  # the home page is 我的待办
    page.wait_for_url("**/rounds/")
    page.locator("li", has_text="X社区党工委").locator("a.round-title").first.click()
    page.wait_for_url(re.compile(r"/rounds/\d+/$"))
    page.get_by_test_id("comments-link").click()
    page.wait_for_url(re.compile(r"/rounds/\d+/comments/$"))
    public_url = page.get_by_test_id("call-url").first.inner_text().strip()

    citizen = phone_page
    citizen.goto(public_url)
    expect(citizen.get_by_test_id("published-answers")).to_contain_text("感谢监督")
    citizen.get_by_label("您的意见建议").fill("社区便民服务大厅周末能否开放半天？")
    citizen.locator("form[data-form=comment] button[type=submit]").click()
    expect(citizen.locator(".msg-success")).to_contain_text("已收到")
    assert_fits(citizen, screenshot, "comments-01-public-page")

    page.reload()
    comment = page.locator("article.comment", has_text="周末能否开放半天")
    comment.get_by_label("答复", exact=True).fill("自下月起，便民服务大厅每周六上午开放。")
    comment.get_by_label("在公开页面公布该意见及答复").check()
    comment.locator("button[type=submit]").click()
    expect(page.locator(".msg-success")).to_contain_text("答复已记录")
    expect(page.locator("article.comment", has_text="周末能否开放半天")).to_contain_text("每周六上午开放")
    screenshot(page, "comments-02-inbox")

    citizen.goto(public_url)
    expect(citizen.get_by_test_id("published-answers")).to_contain_text("每周六上午开放")
