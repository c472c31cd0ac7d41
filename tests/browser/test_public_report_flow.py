"""A unit issues its public report; a resident finds it on a phone, reads it, downloads it, writes in,
and sees the unit's answer under the report."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_mobile_layout import assert_fits

from zhenggai.core.pdf import pdf_available
from zhenggai.ledger.models import InspectionRound


class Clicks:
    """Counts what a person clicks, to keep each journey short."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, locator) -> None:
        self.n += 1
        locator.click()


def test_a_resident_finds_reads_and_comments_on_the_issued_report(page, phone_page, demo, log_in, screenshot):
    clicks = Clicks()
    # The unit's clerk drafts the public report from the round's page.
    log_in(page, "x_clerk")
    round_ = InspectionRound.objects.select_related("inspected_unit").get(inspected_unit__name="X社区党工委")
    page.goto(round_.get_absolute_url())
    clicks(page.get_by_test_id("issued-reports-link"))
    page.locator("[data-testid=draft-create] select[name=kind]").select_option("public")
    clicks(page.locator("[data-testid=draft-create] button[type=submit]"))
    page.wait_for_url(re.compile(r"/issued-reports/\d+/$"))
    draft_url = page.url
    expect(page.get_by_test_id("preview")).to_be_visible()

    # A leader of the unit signs it off; the clerk issues it.
    page.context.clear_cookies()
    log_in(page, "x_leader")
    page.goto(draft_url)
    clicks(page.locator("[data-action=sign-off]"))
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "signed_off")
    page.context.clear_cookies()
    log_in(page, "x_clerk")
    page.goto(draft_url)
    clicks(page.locator("[data-action=issue]"))
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "issued")
    assert clicks.n <= 5, f"drafting, signing off and issuing took {clicks.n} clicks"

    # A resident, not logged in, on a phone: the list of published reports, by unit and year.
    resident, seen = phone_page, Clicks()
    resident.goto("/r/")
    assert_fits(resident, screenshot, "public-report-01-list")
    resident.get_by_label("单位").fill("X社区")
    year = resident.locator("select[name=year] option").nth(1).get_attribute("value")
    resident.get_by_label("年度").select_option(year)
    seen(resident.locator("[data-testid=public-filters] button[type=submit]"))
    resident.wait_for_url(re.compile(r"/r/\?"))
    expect(resident.get_by_test_id("public-report-link")).to_have_count(1)
    assert_fits(resident, screenshot, "public-report-02-found")
    seen(resident.get_by_test_id("public-report-link"))
    resident.wait_for_url(re.compile(r"/r/[\w-]{40,}/$"))
    report_url = resident.url
    expect(resident.get_by_test_id("public-report-text")).to_contain_text("X社区")
    assert not re.search(r"/r/\d+/", report_url)
    assert_fits(resident, screenshot, "public-report-03-page")

    # The PDF, byte for byte as issued (only when LibreOffice made one).
    if pdf_available():
        with resident.expect_download() as download:
            seen(resident.locator("[data-testid=public-downloads] a[data-format=pdf]"))
        assert download.value.suggested_filename.endswith(".pdf")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    else:  # LibreOffice is missing: no PDF was kept at the issue, the Word file is offered instead
        expect(resident.locator("[data-testid=public-downloads] a[data-format=pdf]")).to_have_count(0)
        expect(resident.locator("[data-testid=public-downloads] a[data-format=docx]")).to_be_visible()

    # The resident writes in from the comment page under the report.
    seen(resident.get_by_test_id("public-comment-link"))
    resident.wait_for_url(re.compile(r"/y/[\w-]+/$"))
    resident.get_by_label("您的意见建议").fill("整改报告中提到的停车难问题，什么时候能解决？")
    seen(resident.locator("form[data-form=comment] button[type=submit]"))
    expect(resident.locator(".msg-success")).to_contain_text("已收到")
    assert seen.n <= 5, f"the resident needed {seen.n} clicks"

    # The unit answers in public.
    page.goto(f"/rounds/{round_.pk}/comments/")
    comment = page.locator("article.comment", has_text="停车难问题")
    comment.get_by_label("答复", exact=True).fill("新建停车场已于本月开工，预计年底投入使用。")
    comment.get_by_label("在公开页面公布该意见及答复").check()
    clicks(comment.locator("button[type=submit]"))
    expect(page.locator(".msg-success")).to_contain_text("答复已记录")

    # The resident comes back to the report and finds the answer under it.
    resident.goto(report_url)
    expect(resident.get_by_test_id("published-answers")).to_contain_text("新建停车场已于本月开工")
    assert_fits(resident, screenshot, "public-report-04-answered")

    # A leader withdraws it: its address still answers, says so, and offers neither text nor files.
    page.context.clear_cookies()
    log_in(page, "x_leader")
    page.goto(draft_url)
    clicks(page.locator("[data-testid=withdraw] summary"))
    page.locator("[data-testid=withdraw] textarea[name=reason]").fill("数据统计口径有误，修正后重新公开。")
    clicks(page.locator("[data-action=withdraw]"))
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "withdrawn")
    resident.goto(report_url)
    expect(resident.get_by_test_id("public-withdrawn")).to_be_visible()
    expect(resident.get_by_test_id("public-report-text")).to_have_count(0)
    expect(resident.get_by_test_id("public-downloads")).to_have_count(0)
    assert_fits(resident, screenshot, "public-report-05-withdrawn")
