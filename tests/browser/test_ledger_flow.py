"""A unit's clerk works a red measure of the demo ledger through to done, in a real browser."""

from __future__ import annotations

import re

from _cards import open_step
from django.utils import timezone
from playwright.sync_api import expect


def read_counts(page, scope: str) -> dict[str, int]:
    """The numbers shown in a counts bar, by their data-count attribute."""
    bar = page.locator(scope)
    return {
        cell.get_attribute("data-count"): int(cell.inner_text()) for cell in bar.locator("[data-count]").all()
    }


def test_a_clerk_records_progress_and_closes_a_measure_with_evidence(
    page, demo, log_in, screenshot, pdf_file
):
    today = timezone.localdate().isoformat()
    evidence = pdf_file("整改会议纪要.pdf")

    # The unit's clerk logs in (to her to-do list) and opens the rounds she may see: her own unit's only.
    log_in(page, "x_clerk")
    screenshot(page, "flow-00-todo")
    page.locator("nav.topnav a[href='/rounds/']").click()  # the home page is 我的待办
    page.wait_for_url("**/rounds/")
    rounds = page.locator("li.round")
    assert rounds.count() == 1
    assert "X社区党工委" in rounds.inner_text()
    screenshot(page, "flow-01-round-list")

    round_link = rounds.locator("a.round-title")
    ledger_path = round_link.get_attribute("href")
    round_link.click()
    page.wait_for_url(re.compile(rf"{ledger_path}$"))
    ledger_url = page.url
    before = read_counts(page, "[data-testid=counts]")
    assert before["total"] > 0 and before["light-red"] > 0, before
    screenshot(page, "flow-02-ledger")

    # Only the overdue measures, through the filter form (an HTMX swap that also pushes the URL).
    page.locator("select[name=light]").select_option("red")
    page.wait_for_url(re.compile(r"light=red"))
    expect(page.locator("[data-testid=counts] [data-count=total]")).to_have_text(str(before["light-red"]))
    assert page.locator("table.ledger tbody tr").count() == before["light-red"]
    assert page.locator("table.ledger tbody tr:not(.row-red)").count() == 0
    row = page.locator("table.ledger tbody tr.row-red").first
    measure_id = row.get_attribute("data-measure")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/problems/\d+/#measure-{measure_id}$"))

    card = page.locator(f"#measure-{measure_id}")
    assert card.locator("[data-light]").get_attribute("data-light") == "red"
    assert card.locator("[data-status]").get_attribute("data-status") in ("not_started", "in_progress")
    round_counts_before = read_counts(page, "[data-testid=round-counts]")
    assert round_counts_before == {"done": before["done"], "light-red": before["light-red"]}
    screenshot(page, "flow-03-problem-red")

    # 1. Progress: a dated note, recorded through the HTMX form, replaces the card in place.
    progress = open_step(card, "progress")
    progress.locator("input[type=date]").fill(today)
    progress.locator("textarea").fill("召开专题会议，制定整改方案并逐项落实。")
    progress.locator("button[type=submit]").click()
    timeline = card.locator(".timeline")
    timeline.get_by_text("召开专题会议，制定整改方案并逐项落实。").wait_for()
    assert today in timeline.inner_text()
    assert card.locator(".msg-success").is_visible()
    assert card.locator("[data-status]").get_attribute("data-status") == "in_progress"
    screenshot(page, "flow-04-progress")

    # 2. Evidence: a real PDF file with a Chinese name.
    upload = open_step(card, "evidence")
    upload.locator("input[type=file]").set_input_files(evidence)
    upload.locator("input[type=text]").fill("党工委专题会议纪要")
    upload.locator("button[type=submit]").click()
    evidence_link = card.locator(".evidence a", has_text=evidence.name)
    evidence_link.wait_for()
    screenshot(page, "flow-05-evidence")

    # 3. Done: report it done and ask for closing (申请销号), the completion date defaulting to today.
    closing = open_step(card, "submit")
    done_label = closing.locator("button[data-action=submit]").inner_text().strip()
    closing.locator("button[data-action=submit]").click()
    card.locator("[data-status=submitted]").wait_for()
    assert card.locator("[data-light]").get_attribute("data-light") == "green"
    assert card.locator(".dot-green").count() >= 1
    assert card.locator("[data-status]").inner_text().strip() == done_label  # 已完成，申请销号
    assert today in card.locator(".facts").inner_text()  # completed on
    # What was recorded on the way stays on the card.
    assert "召开专题会议，制定整改方案并逐项落实。" in card.locator(".timeline").inner_text()
    assert evidence_link.is_visible()
    # The round's counts above the cards follow (they reload on the ledger-changed event).
    expect(page.locator("[data-testid=round-counts] [data-count=done]")).to_have_text(str(before["done"] + 1))
    expect(page.locator("[data-testid=round-counts] [data-count=light-red]")).to_have_text(
        str(before["light-red"] - 1)
    )
    screenshot(page, "flow-06-done")

    # The evidence comes back as the very file that was uploaded.
    with page.expect_download() as download_info:
        evidence_link.click()
    download = download_info.value
    assert download.suggested_filename == evidence.name
    assert download.path().read_bytes() == evidence.read_bytes()

    # Back on the ledger, the measure counts as done and no longer as overdue.
    page.locator(f".crumbs a[href='{ledger_path}']").click()
    page.wait_for_url(ledger_url)
    after = read_counts(page, "[data-testid=counts]")
    assert after["total"] == before["total"]
    assert after["done"] == before["done"] + 1
    assert after["light-red"] == before["light-red"] - 1
    assert after["light-green"] == before["light-green"] + 1
    done_row = page.locator(f"table.ledger tr[data-measure='{measure_id}']")
    assert "row-green" in done_row.get_attribute("class")
    assert done_row.locator(".badge.status-submitted").inner_text().strip() == done_label
    screenshot(page, "flow-07-ledger-after")
