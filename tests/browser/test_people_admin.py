"""A unit's administrator sets up a department, a person without a login and a login by invitation,
and names that person on a measure, all in the browser; a clerk is refused the pages (403)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from zhenggai.ledger.models import Measure, MeasureStatus
from zhenggai.orgs.models import Organisation, Person


def _submit(form) -> None:
    form.locator("button[type=submit]").click()


def test_a_unit_administrator_sets_up_people_and_names_one_on_a_measure(
    page, browser, live_server, demo, log_in, screenshot
):
    log_in(page, "x_admin")
    page.locator("[data-testid=nav-people]").click()
    page.wait_for_url(re.compile(r"/people/$"))
    page.locator("[data-testid=unit-tree] a", has_text="X社区党工委").click()
    page.wait_for_url(re.compile(r"/people/org/\d+/$"))

    # A department (内设部门)
    page.locator("[data-testid=add-child]").click()
    form = page.locator("#children form")
    form.locator("input[name=name]").fill("信访办")
    _submit(form)
    expect(page.locator(".msg-success")).to_contain_text("信访办")
    page.locator("#children a", has_text="信访办").click()
    page.wait_for_url(re.compile(r"/people/org/\d+/$"))

    # A person without a login, and one who is invited to log in.
    for name, title in (("何平", "信访干事"), ("林晓", "信访员")):
        page.locator("[data-testid=add-person]").click()
        form = page.locator("#people form[action$='/people/']")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=title]").fill(title)
        _submit(form)
        expect(page.locator(".msg-success")).to_contain_text(name)
    lin = Person.objects.get(name="林晓")
    row = page.locator(f"[data-testid=person-{lin.pk}]")
    row.locator("[data-testid=give-login]").click()
    row.locator("input[name=username]").fill("linxiao")
    row.locator("input[name=method][value=invite]").check()
    _submit(row.locator("form[action$='/account/']"))
    link = page.locator("[data-testid=invitation-link]").input_value()
    assert "/accounts/invitation/" in link
    screenshot(page, "people-01-invitation")

    # The person without a login is in charge (具体责任人) of a measure of the unit.
    measure = Measure.objects.filter(
        round__inspected_unit__name="X社区党工委",
        status__in=[MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS],
    ).first()
    page.goto(f"/measures/{measure.pk}/edit/")
    page.locator("select[name=doer]").select_option(label="何平（信访干事）")
    page.locator("select[name=lead_department]").select_option(label="信访办")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/problems/\d+/"))
    measure.refresh_from_db()
    assert measure.doer.name == "何平" and measure.lead_department == Organisation.objects.get(name="信访办")

    # The invited person chooses a password through the link, once, and logs in.
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    invited = context.new_page()
    invited.goto(link)
    invited.locator("input[name=new_password1]").fill("Linxiao-own-77")
    invited.locator("input[name=new_password2]").fill("Linxiao-own-77")
    invited.locator("form button[type=submit]").click()
    invited.wait_for_url(re.compile(r"/accounts/login/"))
    log_in(invited, "linxiao", "Linxiao-own-77")
    invited.wait_for_url(re.compile(r"/$"))
    assert invited.locator(".who").inner_text() == "林晓"
    context.close()


def test_a_clerk_is_refused_the_people_pages(page, demo, log_in):
    log_in(page, "x_clerk")
    assert page.locator("[data-testid=nav-people]").count() == 0
    unit = Organisation.objects.get(name="X社区党工委")
    for path in ("/people/", f"/people/org/{unit.pk}/"):
        response = page.goto(path)
        assert response.status == 403
        expect(page.locator("[data-testid=forbidden]")).to_be_visible()


def test_the_people_page_fits_a_phone(phone_page, demo, log_in, screenshot):
    log_in(phone_page, "x_admin")
    unit = Organisation.objects.get(name="X社区党工委")
    phone_page.goto(f"/people/org/{unit.pk}/")
    phone_page.locator("[data-testid=add-person]").click()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    screenshot(phone_page, "people-02-unit-375")


def test_the_office_finds_a_unit_and_adds_one(page, demo, log_in):
    log_in(page, "xunchaban")
    page.locator("[data-testid=nav-people]").click()
    units = page.locator("[data-testid=units] li")
    expect(units).to_have_count(2)
    page.locator("[data-testid=unit-search]").fill("Y社区")
    page.wait_for_url(re.compile(r"q=Y"))
    expect(units).to_have_count(1)
    expect(units).to_contain_text("Y社区党工委")
    page.locator("summary", has_text="新增被巡察单位").click()
    form = page.locator("form[action$='/units/']")
    form.locator("input[name=name]").fill("Z社区党工委")
    _submit(form)
    page.wait_for_url(re.compile(r"/people/org/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Z社区党工委")
    assert Organisation.objects.get(name="Z社区党工委").parent.name == "中共某县委员会"
