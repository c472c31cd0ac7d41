"""The problem page and the import preview, at 1280 px and 375 px: screenshots in build/screenshots/,
nothing scrolling sideways on the phone, a card that stays in place after an action, and a preview
that keeps what is typed in one item while another is saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _cards import open_step, settled
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from zhenggai.imports.models import ImportDraft
from zhenggai.ledger.models import Problem

SAMPLE = Path(__file__).parents[2] / "src/zhenggai/demo/data/x_community_2020_report.txt"
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _busiest_problem() -> Problem:
    """The demo problem of X社区 with the most measures: the page that used to be the tallest."""
    return (
        Problem.objects.filter(round__inspected_unit__name="X社区党工委")
        .annotate(n=Count("measures"))
        .order_by("-n", "pk")
        .first()
    )


def _fits(page) -> None:
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page.evaluate(FITS), f"scrolls sideways: scrollWidth {widths[0]} > clientWidth {widths[1]}"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_problem_page_at_desktop_and_phone_width(page, demo, log_in, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    problem = _busiest_problem()
    log_in(page, "x_clerk")
    page.goto(f"/problems/{problem.pk}/")
    cards = page.locator(".card.measure")
    assert cards.count() >= 3
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.locator("form").count() <= 1  # the next step at most; the rest on demand
        assert card.locator("textarea, input[type=file]").count() == 0
    _fits(page)
    screenshot(page, f"problem-{width}")

    # A step opened in the card, sent, and the page stays on the card.
    card = cards.nth(cards.count() - 1)
    card_id = card.get_attribute("id")
    card = page.locator(f"#{card_id}")
    form = open_step(card, "progress")
    focused = "document.activeElement && document.activeElement.closest('[data-panel=progress]') !== null"
    page.wait_for_function(focused)  # the opened form takes the focus: typing goes where the eye is
    _fits(page)
    screenshot(page, f"problem-{width}-progress-open")
    form.locator("input[type=date]").fill(timezone.localdate().isoformat())
    form.locator("textarea").fill("组织专题学习，逐条对照整改。")
    before = page.evaluate("window.scrollY")
    form.locator("button[type=submit]").click()
    expect(card.locator(".msg-success")).to_be_visible()
    expect(card.locator(".timeline").first).to_contain_text("组织专题学习，逐条对照整改。")
    assert card.locator("form textarea").count() == 0  # the form closed again after it was sent
    assert page.url.endswith(f"/problems/{problem.pk}/")
    assert abs(page.evaluate("window.scrollY") - before) < 400  # not thrown back to the top
    assert card.is_visible()
    assert page.evaluate(f"document.activeElement.id === '{card_id}'")  # focus kept on the card


def _upload_sample(page) -> None:
    page.goto("/imports/")
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    for name in ("inspected_unit", "office"):  # a clerk's one unit and office are chosen already
        field = page.locator(f"[name={name}]")
        if not field.input_value():
            field.select_option(index=1)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))


@pytest.mark.parametrize("width", [1280, 375])
def test_the_import_preview_at_desktop_and_phone_width(page, demo, log_in, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "x_clerk")
    _upload_sample(page)
    outline = page.get_by_test_id("outline")
    items = outline.locator(".node")
    assert items.count() >= 25
    assert outline.locator("form, button, textarea").count() == 0  # one line an item, no actions
    _fits(page)
    screenshot(page, f"import-preview-{width}")
    outline.locator("a.node-row").nth(1).click()
    outline.locator("form.node-form").wait_for()
    assert outline.locator("button").count() == 8  # the actions of the chosen item only
    _fits(page)
    screenshot(page, f"import-preview-{width}-item-open")


def test_saving_one_item_keeps_what_is_typed_in_another(page, demo, log_in):
    log_in(page, "x_clerk")
    _upload_sample(page)
    draft = ImportDraft.objects.get(pk=re.search(r"/imports/(\d+)/$", page.url).group(1))
    rows = page.locator("a.node-row:visible")
    first, second = rows.nth(1), rows.nth(2)
    first_id = first.locator("xpath=..").get_attribute("id")
    second_id = second.locator("xpath=..").get_attribute("id")
    first.click()
    page.locator(f"#{first_id} form").wait_for()
    settled(page)
    page.locator(f"a.node-row[href$='#{second_id}']").click()
    page.locator(f"#{second_id} form").wait_for()
    settled(page)

    page.locator(f"#{first_id} input[name=title]").fill("第一项：已保存的改动")
    page.locator(f"#{second_id} input[name=title]").fill("第二项：尚未保存的改动")
    # A change that redraws the list is refused while typed text would be lost.
    page.locator(f"#{first_id} button[data-op=down]").click()
    expect(page.locator("#draft-guard")).to_be_visible()
    page.locator(f"#{first_id} button[data-op=edit]").click()
    expect(page.locator(f"#{first_id} .saved")).to_be_visible()
    settled(page)
    # The other item still holds what was typed in it, and saves with the draft's new version.
    expect(page.locator(f"#{second_id} input[name=title]")).to_have_value("第二项：尚未保存的改动")
    page.locator(f"#{second_id} button[data-op=edit]").click()
    expect(page.locator(f"#{second_id} .saved")).to_be_visible()
    draft.refresh_from_db()
    titles = list(_titles(draft.ledger["sections"]))
    assert "第一项：已保存的改动" in titles and "第二项：尚未保存的改动" in titles, (
        first_id,
        second_id,
        titles,
    )
    assert draft.version == 3  # two saves, nothing else


def _titles(nodes):
    for node in nodes:
        yield node.get("title")
        yield from _titles(node.get("children") or [])
