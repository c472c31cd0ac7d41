"""The whole closing cycle in a real browser, by the four people who do it, with its timeline."""

from __future__ import annotations

import re

from _cards import act, open_step
from django.utils import timezone

from zhenggai.ledger.models import Measure

RETURN_REASON = "佐证材料只有会议通知，缺少会议纪要和签到表，请补充后重新申请。"


def _switch(page, log_in, username: str) -> None:
    # Let the counts bar finish reloading first: logging out under a request still running
    # would end its session mid-way (Django then answers it 400, as it should).
    page.wait_for_load_state("networkidle")
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    log_in(page, username)


def _open(page, measure: Measure):
    page.goto(f"/problems/{measure.problem_id}/#measure-{measure.pk}")
    return page.locator(f"#measure-{measure.pk}")


def test_submit_confirm_return_resubmit_close_and_the_timeline(page, demo, log_in, screenshot, pdf_file):
    measure = (
        Measure.objects.filter(
            round__inspected_unit__name="X社区党工委", status="not_started", long_term=False
        )
        .order_by("pk")
        .first()
    )
    today = timezone.localdate().isoformat()

    # The clerk records the work and its evidence, then reports it done and asks for closing.
    log_in(page, "x_clerk")
    card = _open(page, measure)
    progress = open_step(card, "progress")
    progress.locator("input[type=date]").fill(today)
    progress.locator("textarea").fill("召开专题会议，修订制度并印发。")
    progress.locator("button[type=submit]").click()
    card.locator(".timeline").get_by_text("召开专题会议，修订制度并印发。").wait_for()
    upload = open_step(card, "evidence")
    upload.locator("input[type=file]").set_input_files(pdf_file("会议通知.pdf"))
    upload.locator("button[type=submit]").click()
    card.locator(".evidence a", has_text="会议通知.pdf").wait_for()
    act(card, "submit", "submitted")
    # The clerk cannot confirm or close her own submission: the page does not offer it.
    assert card.locator("button[data-action=confirm], button[data-action=close]").count() == 0
    screenshot(page, "cycle-01-submitted")

    # The unit's leader confirms it for the unit (本单位审核).
    _switch(page, log_in, "x_leader")
    card = _open(page, measure)
    act(card, "confirm", "confirmed")
    screenshot(page, "cycle-02-confirmed")

    # The inspection office returns it with a reason.
    _switch(page, log_in, "xunchaban")
    card = _open(page, measure)
    act(card, "return", "in_progress", reason=RETURN_REASON)
    assert RETURN_REASON in card.locator(".decisions").inner_text()
    screenshot(page, "cycle-03-returned")

    # The clerk adds what was missing and asks again; the leader confirms again.
    _switch(page, log_in, "x_clerk")
    card = _open(page, measure)
    upload = open_step(card, "evidence")
    upload.locator("input[type=file]").set_input_files(pdf_file("会议纪要和签到表.pdf"))
    upload.locator("button[type=submit]").click()
    card.locator(".evidence a", has_text="会议纪要和签到表.pdf").wait_for()
    act(card, "submit", "submitted")
    _switch(page, log_in, "x_leader")
    act(_open(page, measure), "confirm", "confirmed")

    # The office closes it (销号).
    _switch(page, log_in, "xunchaban")
    card = _open(page, measure)
    act(card, "close", "closed")
    assert card.locator("[data-light]").get_attribute("data-light") == "green"
    decisions = card.locator(".decisions li")
    assert decisions.count() == 2  # the return and the closing, each with its frozen copy
    screenshot(page, "cycle-04-closed")

    # The timeline shows each step, in order, with who did it.
    card.locator("[data-testid=measure-history]").click()
    timeline = page.locator("[data-testid=history-timeline]")
    timeline.wait_for()
    text = timeline.inner_text()
    steps = [
        "整改中 → 已完成，申请销号",
        "已完成，申请销号 → 单位已审核，待销号",
        "单位已审核，待销号 → 整改中",
        "整改中 → 已完成，申请销号",
        "已完成，申请销号 → 单位已审核，待销号",
        "单位已审核，待销号 → 已销号",
    ]
    position = -1
    for step in steps:
        position = text.find(step, position + 1)
        assert position >= 0, f"missing step {step!r} in:\n{text}"
    assert RETURN_REASON in text
    assert "会议通知.pdf" in text and "会议纪要和签到表.pdf" in text
    screenshot(page, "cycle-05-timeline")
