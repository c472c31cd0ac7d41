"""The inspection office sets its reminder ladder from the Reminders page, in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from zhenggai.reminders.models import EscalationPolicy


def test_the_office_sets_the_overdue_reminder_to_every_three_days(page, demo, log_in, screenshot):
    log_in(page, "xunchaban")
    page.get_by_test_id("nav-reminders").click()
    page.get_by_test_id("policy-link").click()
    expect(page.locator("[data-testid=policy] h2")).to_have_text("县委巡察办")
    page.locator("input[name=red_repeat_days]").fill("3")
    page.locator("[data-testid=policy] button[type=submit]").click()
    expect(page.locator(".msg-success")).to_contain_text("提醒设置已保存")
    expect(page.locator("input[name=red_repeat_days]")).to_have_value("3")
    screenshot(page, "reminder-settings")
    assert EscalationPolicy.objects.get(office__name="县委巡察办").red_repeat_days == 3
