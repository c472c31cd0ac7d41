"""The clerk updates the demo round from its edited workbook: differences side by side, then applied."""

from __future__ import annotations

import copy
import datetime
import re

from playwright.sync_api import expect

from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes
from zhenggai.history.verify import verify
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus
from zhenggai.reports.ledger_data import round_to_ledger


def _edited_workbook(round_, path, deadline: str):
    """The round's workbook with every open measure given a new deadline, and every closed one's
    status typed back to 正在推进 (which must not reopen it)."""
    ledger = copy.deepcopy(round_to_ledger(round_))

    def walk(nodes):
        for node in nodes:
            for item in node["measures"]:
                if item["state"] == MeasureStatus.CLOSED:
                    item["status"] = node["status"] = "in_progress"
                elif item["state"] in (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS):
                    item["deadline"] = deadline
            walk(node["children"])

    walk(ledger["sections"])
    path.write_bytes(ledger_xlsx_bytes(ledger))
    return path


def test_a_clerk_updates_the_round_from_its_edited_workbook(page, demo, log_in, screenshot, tmp_path):
    round_ = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    measures = Measure.objects.filter(round=round_)
    closed = set(measures.filter(status=MeasureStatus.CLOSED).values_list("pk", flat=True))
    open_ = set(measures.filter(status__in=["not_started", "in_progress"]).values_list("pk", flat=True))
    deadline = (datetime.date.today() + datetime.timedelta(days=45)).isoformat()
    workbook = _edited_workbook(round_, tmp_path / "整改台账.xlsx", deadline)

    log_in(page, "x_clerk")
    page.goto(round_.get_absolute_url())
    page.get_by_test_id("update-from-workbook").click()
    expect(page.locator("select[name=update_round]")).to_have_value(str(round_.pk))
    page.locator("input[type=file]").set_input_files(workbook)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/imports/\d+/update/$"))
    changes = page.get_by_test_id("update-changes")
    expect(changes.locator(f"ins:text-is('{deadline}')").first).to_be_visible()
    if closed:
        expect(page.get_by_test_id("update-refused")).to_contain_text("已销号")
    screenshot(page, "update-from-workbook")
    page.get_by_test_id("update-apply").click()
    page.wait_for_url(re.compile(rf"{round_.get_absolute_url()}$"))
    expect(page.locator(".msg-success")).to_be_visible()

    assert InspectionRound.objects.filter(inspected_unit__name="X社区党工委").count() == 1
    assert set(measures.filter(status=MeasureStatus.CLOSED).values_list("pk", flat=True)) == closed
    assert {m.deadline.isoformat() for m in measures.filter(pk__in=open_)} == {deadline}
    report = verify()
    assert report.ok, report.text()
