"""One measure through the whole cycle, each person finding it on their 我的待办 (and the notice of
the step in 整改提醒) and acting from there, as issue #11 asks:

assigned → 签收 → progress with evidence → submit → unit confirm → office return with reason →
resubmit → confirm → close; and, on another measure, a request for more time → its decision.
"""

from __future__ import annotations

import datetime
import re

from _cards import act, open_step, settled
from django.utils import timezone

from zhenggai.ledger.models import DeadlineExtension, Measure, MeasureStatus
from zhenggai.orgs.models import Organisation, Person

RETURN_REASON = "签到表缺少参会人员签名，请补充原件扫描件后重新申请销号。"
EXTENSION_REASON = "需等待县财政局批复资金，批复后实施。"


def _switch(page, log_in, username: str) -> None:
    page.wait_for_load_state("networkidle")
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    log_in(page, username)


def _from_todo(page, group: str, measure: Measure):
    """On 我的待办 (where log-in lands), the item of `measure` in `group`: follow its one action to
    the measure's card, and return the card."""
    page.goto("/")
    item = page.locator(f"[data-group={group}] a.todo-action[href$='#measure-{measure.pk}']")
    item.click()
    page.wait_for_url(re.compile(rf"/problems/{measure.problem_id}/"))
    card = page.locator(f"#measure-{measure.pk}")
    card.wait_for()
    settled(page)
    return card


def _told(page, measure: Measure, *words: str) -> None:
    """整改提醒 holds a new notice naming the measure, with these words."""
    page.goto("/reminders/")
    notice = page.locator("li.notice", has=page.locator(f"a[href*='#measure-{measure.pk}']")).first
    notice.wait_for()
    text = notice.inner_text()
    for word in words:
        assert word in text, (word, text)


def test_a_measure_goes_round_the_cycle_through_everyones_todo(page, demo, log_in, pdf_file, screenshot):
    party_office = Organisation.objects.get(name="党建办公室")
    doer = Person.objects.get(name="孙丽")
    # The measure the unit's administrator is first asked to assign (the list's order).
    log_in(page, "x_admin")
    first = page.locator("[data-group=unassigned] a.todo-action").first
    measure_id = int(re.search(r"#measure-(\d+)$", first.get_attribute("href")).group(1))
    measure = Measure.objects.get(pk=measure_id)
    assert measure.status == MeasureStatus.NOT_STARTED
    screenshot(page, "todo-cycle-00-admin")

    # 1. Assigned: the administrator names the 牵头部门 and the 具体责任人.
    card = _from_todo(page, "unassigned", measure)
    card.locator("[data-testid=measure-edit]").click()
    page.locator("select[name=lead_department]").select_option(str(party_office.pk))
    page.locator("select[name=doer]").select_option(str(doer.pk))
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/problems/{measure.problem_id}/"))

    # 2. 签收: the department's officer finds the task and the notice of it.
    _switch(page, log_in, "x_dangjian")
    card = _from_todo(page, "to_sign_for", measure)
    card.locator("button[data-action=acknowledge]").click()
    card.locator("button[data-action=acknowledge]").wait_for(state="detached")
    settled(page)
    _told(page, measure, "分派")

    # 3. The clerk starts, records progress with evidence and asks for closing.
    _switch(page, log_in, "x_clerk")
    card = _from_todo(page, "to_start", measure)
    act(card, "start", "in_progress")
    _fill_progress_and_evidence(card, pdf_file, "召开专题会议，制定会议记录签字制度并印发。", "制度文件.pdf")
    act(card, "submit", "submitted")

    # 4. The unit's leader confirms it.
    _switch(page, log_in, "x_leader")
    card = _from_todo(page, "to_confirm", measure)
    act(card, "confirm", "confirmed")
    _told(page, measure, "申请销号")

    # 5. The office returns it, with its reason.
    _switch(page, log_in, "xunchaban")
    card = _from_todo(page, "to_close", measure)
    act(card, "return", "in_progress", reason=RETURN_REASON)
    _told(page, measure, "单位已审核")

    # 6. The clerk finds it returned, with the reason, and the notice; mends it and asks again.
    _switch(page, log_in, "x_clerk")
    page.goto("/")
    returned = page.locator(
        "[data-group=returned] li.todo-item", has=page.locator(f"a[href$='#measure-{measure.pk}']")
    )
    assert RETURN_REASON in returned.inner_text()
    screenshot(page, "todo-cycle-06-returned")
    card = _from_todo(page, "returned", measure)
    _fill_progress_and_evidence(card, pdf_file, "补充参会人员签名的签到表原件扫描件。", "签到表.pdf")
    act(card, "submit", "submitted")
    _told(page, measure, "退回", RETURN_REASON)

    # 7. The leader confirms again; 8. the office closes it.
    _switch(page, log_in, "x_leader")
    act(_from_todo(page, "to_confirm", measure), "confirm", "confirmed")
    _switch(page, log_in, "xunchaban")
    act(_from_todo(page, "to_close", measure), "close", "closed")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CLOSED
    _switch(page, log_in, "x_clerk")
    _told(page, measure, "销号")

    # More time: the clerk asks on another measure; the office decides from its list.
    other = (
        Measure.objects.filter(round=measure.round, status=MeasureStatus.IN_PROGRESS, deadline__isnull=False)
        .exclude(extensions__status="pending")
        .exclude(pk=measure.pk)
        .order_by("deadline", "pk")
        .first()
    )
    page.goto(f"/problems/{other.problem_id}/#measure-{other.pk}")
    card = page.locator(f"#measure-{other.pk}")
    form = open_step(card, "extension")
    new_deadline = other.deadline + datetime.timedelta(days=30)
    form.locator("input[type=date]").fill(new_deadline.isoformat())
    form.locator("textarea").fill(EXTENSION_REASON)
    form.locator("button[type=submit]").click()
    card.locator(".pending").wait_for()
    settled(page)
    _switch(page, log_in, "xunchaban")
    _told(page, other, "延期")
    card = _from_todo(page, "extensions", other)
    form = open_step(card, "decide")
    form.locator("button[data-action=approve]").click()
    card.locator(".pending").wait_for(state="detached")  # no request waits any more
    request = DeadlineExtension.objects.get(measure=other, reason=EXTENSION_REASON)
    assert request.status == "approved"
    other.refresh_from_db()
    assert other.deadline == new_deadline
    _switch(page, log_in, "x_clerk")
    _told(page, other, "延期")
    screenshot(page, "todo-cycle-09-notices")


def _fill_progress_and_evidence(card, pdf_file, text: str, file_name: str) -> None:
    today = timezone.localdate().isoformat()
    progress = open_step(card, "progress")
    progress.locator("input[type=date]").fill(today)
    progress.locator("textarea").fill(text)
    progress.locator("button[type=submit]").click()
    card.locator(".timeline").get_by_text(text).wait_for()
    settled(card.page)
    upload = open_step(card, "evidence")
    upload.locator("input[type=file]").set_input_files(pdf_file(file_name))
    upload.locator("button[type=submit]").click()
    card.locator(".evidence a", has_text=file_name).wait_for()
    settled(card.page)
