"""The office ledger filtered to one unit by typing part of its name, in no more steps than the
select of every unit took (one option chosen), counting each field typed and each click."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from zhenggai.ledger.models import MeasureStatus
from zhenggai.ledger.services import measure_create, problem_create, round_create
from zhenggai.orgs.models import Organisation, OrgKind
from zhenggai.orgs.services import organisation_create

STEPS_WITH_A_SELECT = 1  # choosing the unit's option in the select of every unit
VILLAGES = ["东风村党支部", "东方村党支部", "西山村党支部"]


class Steps:
    """The person's actions, each counted: a field typed into, a click."""

    def __init__(self) -> None:
        self.count = 0

    def fill(self, locator, value: str) -> None:
        self.count += 1
        locator.press_sequentially(value, delay=30)  # typed, key by key, as a person does

    def click(self, locator) -> None:
        self.count += 1
        locator.click()


@pytest.fixture
def villages(demo) -> None:
    """Three more units the demo office follows, each with a round and one measure."""
    office = Organisation.objects.get(kind=OrgKind.INSPECTION_OFFICE)
    county = Organisation.objects.get(name="中共某县委员会")
    today = datetime.date.today()
    for name in VILLAGES:
        unit = organisation_create(name=name, kind=OrgKind.UNIT, parent=county)
        round_ = round_create(actor=None, title=f"{name}巡察整改", office=office, inspected_unit=unit)
        problem = problem_create(
            round_=round_, actor=None, label="一、", number=1, level=1, position=1, title="问题"
        )
        measure_create(
            problem=problem,
            actor=None,
            text=f"{name}的整改措施",
            deadline=today + datetime.timedelta(days=30),
            status=MeasureStatus.IN_PROGRESS,
        )


def _units_shown(page) -> set[str]:
    return set(page.locator("table.ledger tbody td[data-label=单位]").all_inner_texts())


def test_typing_part_of_a_units_name_filters_the_office_ledger(page, villages, log_in, screenshot):
    log_in(page, "xunchaban")
    page.goto("/ledger/")
    assert page.locator("select[name=unit]").count() == 0
    box = page.locator("form.filters input[name=unit]")

    # A part of the name that only one unit has: typing it is enough.
    steps = Steps()
    steps.fill(box, "西山")
    page.wait_for_url(re.compile(r"unit="))
    expect(page.locator("[data-count=total]")).to_have_text("1")
    assert _units_shown(page) == {"西山村党支部"}
    assert steps.count <= STEPS_WITH_A_SELECT
    screenshot(page, "picker-01-typed")

    # A part two units share: both are offered below the box, and one click chooses.
    box.fill("")
    box.press_sequentially("东", delay=30)
    picks = page.get_by_test_id("unit-picks").locator("[data-pick]")
    expect(picks).to_have_count(2)
    screenshot(page, "picker-02-offered")
    page.get_by_test_id("unit-picks").get_by_text("东方村党支部").click()
    page.wait_for_url(re.compile(r"unit=%E4%B8%9C%E6%96%B9"))
    expect(page.locator("[data-count=total]")).to_have_text("1")
    assert _units_shown(page) == {"东方村党支部"}

    # The address keeps the unit: opened again, the box shows it and the ledger is filtered.
    page.reload()
    expect(box).to_have_value("东方村党支部")
    assert _units_shown(page) == {"东方村党支部"}


def test_a_name_sent_with_enter_that_names_several_offers_them(page, villages, log_in):
    log_in(page, "xunchaban")
    page.goto("/ledger/")
    box = page.locator("form.filters input[name=unit]")
    box.fill("村党支部")
    box.press("Enter")
    problem = page.get_by_test_id("unit-problem")
    expect(problem).to_contain_text("有多个单位与“村党支部”相符")
    problem.get_by_role("link", name="东风村党支部").click()
    expect(page.locator("[data-count=total]")).to_have_text("1")
    assert _units_shown(page) == {"东风村党支部"}
