"""Each step of the cycle is told to exactly the people concerned: in the app at once, by mail and
the robots in the next daily digest, and never twice."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from zhenggai.accounts.services import user_create
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import evidence_attach, measure_create, measure_update, progress_record
from zhenggai.ledger.transitions import extension_decide, extension_request, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create, person_create
from zhenggai.reminders.models import Notice, ReminderEvent
from zhenggai.reminders.notices import Event, notify_measure_event
from zhenggai.reminders.services import run_daily_reminders


@pytest.fixture
def cycle(ladder):
    """The ladder's cast with a deadline far off, so that only the steps of the cycle are told."""
    far = timezone.localdate() + datetime.timedelta(days=200)
    Measure.objects.update(deadline=far)
    ladder.measure.refresh_from_db()
    return ladder


def _step(measure, actor, action, **kwargs):
    measure.refresh_from_db()
    return measure_transition(
        measure=measure, actor=actor, action=action, expected_version=measure.version, **kwargs
    )


def _ready(cast, measure):
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=timezone.localdate(), text="已印发")
    evidence_attach(
        measure=measure, actor=cast.clerk_a, name="a.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )


def told(event: str) -> list[str]:
    """`role:name` of everyone told of one step, in order."""
    rows = ReminderEvent.objects.filter(level=event).select_related("person", "user").order_by("pk")
    return [f"{e.role}:{e.person.name if e.person else e.user.username}" for e in rows]


def noticed(user) -> list[str]:
    return [n.body for n in Notice.objects.filter(user=user).order_by("pk")]


def test_a_submission_reaches_the_unit_leader_alone(cycle):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    assert told("submitted") == ["reviewer:leader_a"]
    assert len(noticed(cast.leader_a)) == 1 and "已申请销号，请审核" in noticed(cast.leader_a)[0]
    assert noticed(cast.officer) == [] and noticed(cast.clerk_a) == [] and noticed(cast.clerk_b) == []


def test_a_confirmation_reaches_the_office_alone(cycle):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.CONFIRM)
    assert told("confirmed") == ["office:officer"]
    assert "单位已审核" in noticed(cast.officer)[0]


def test_a_return_reaches_the_doer_once_with_the_reason(cycle):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.CONFIRM)
    _step(cycle.measure, cast.officer, Action.RETURN, reason="佐证材料不全")
    # The clerk asked for the closing and is the person doing it (张三): one person, one notice.
    assert told("returned") == ["handler:张三"]
    [body] = [b for b in noticed(cast.clerk_a) if "已退回" in b]
    assert "佐证材料不全" in body and f"#measure-{cycle.measure.pk}" in body
    assert not any("已退回" in b for b in noticed(cast.leader_a) + noticed(cast.officer))


def test_a_send_back_and_a_closing_reach_whoever_asked_for_the_closing(cycle):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.SEND_BACK, reason="补充照片")
    assert told("returned") == ["handler:张三"]
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.CONFIRM)
    _step(cycle.measure, cast.officer, Action.CLOSE)
    assert told("closed") == ["handler:张三"]
    assert told("submitted") == ["reviewer:leader_a", "reviewer:leader_a"]  # two submissions


def test_an_extension_request_and_its_decision(cycle):
    cast = cycle.cast
    new = cycle.measure.deadline + datetime.timedelta(days=30)
    extension = extension_request(
        measure=cycle.measure, actor=cast.clerk_a, new_deadline=new, reason="待批复"
    )
    assert told("ext_asked") == ["office:officer"]
    assert "待批复" in noticed(cast.officer)[0]
    extension_decide(extension=extension, actor=cast.officer, approve=False, note="理由不充分")
    assert told("ext_done") == ["handler:张三"]
    assert "不同意延期：理由不充分" in noticed(cast.clerk_a)[-1]


def test_an_assignment_tells_only_the_newly_named(cycle):
    cast = cycle.cast
    department = organisation_create(name="甲社区党建办", kind=OrgKind.DEPARTMENT, parent=cast.a.unit)
    signer = user_create(username="dangjian", password="x-test-password-1")
    membership_grant(user=signer, organisation=department, role=Role.UNIT_STAFF)
    doer_login = user_create(username="lisi", password="x-test-password-1")
    membership_grant(user=doer_login, organisation=department, role=Role.UNIT_STAFF)
    doer = person_create(name="李四", organisation=department, user=doer_login)
    m = cycle.measure
    measure_update(
        measure=m, actor=cast.clerk_a, expected_version=m.version, doer=doer, lead_department=department
    )
    assert told("assigned") == ["doer:李四", "department:dangjian"]
    assert len(noticed(signer)) == 1 and len(noticed(doer_login)) == 1
    assert noticed(cast.leader_a) == [] and noticed(cast.clerk_a) == []
    m.refresh_from_db()
    measure_update(measure=m, actor=cast.clerk_a, expected_version=m.version, text="改写措施文字。")
    assert len(told("assigned")) == 2  # the text is nobody's new task


def test_a_comment_from_the_public_reaches_the_units_clerks(cycle):
    cast = cycle.cast
    call = call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="请提意见", closes_on=None)
    comment_submit(call=call, text="路灯坏了", name="", contact="", logged_in=False, network="n")
    assert told("comment") == ["clerk:张三"]
    assert "收到群众意见" in noticed(cast.clerk_a)[0]
    assert noticed(cast.clerk_b) == [] and noticed(cast.leader_a) == []


def test_the_same_step_is_told_once(cycle):
    cast = cycle.cast
    for _ in range(2):
        notify_measure_event(measure=cycle.measure, event=Event.CONFIRMED, actor=cast.leader_a, once_for="v9")
    assert told("confirmed") == ["office:officer"] and len(noticed(cast.officer)) == 1


def test_the_daily_digest_carries_each_step_once_and_not_again_in_the_app(cycle, robots):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.CONFIRM)
    _step(cycle.measure, cast.officer, Action.RETURN, reason="佐证材料不全")
    notices_before = Notice.objects.count()
    today = timezone.localdate()
    run_daily_reminders(today=today)
    run_daily_reminders(today=today)
    run_daily_reminders(today=today + datetime.timedelta(days=1))
    assert Notice.objects.count() == notices_before  # the app had them as they happened
    to = {tuple(m.to): m.body for m in mail.outbox}
    assert len(mail.outbox) == len(to) == 3  # 张三, the unit leader, the officer: one mail each
    assert "佐证材料不全" in to[("zhangsan@a.example.cn",)]
    assert "申请销号" in to[("leader@a.example.cn",)] and "佐证" not in to[("leader@a.example.cn",)]
    assert "单位已审核" in to[("officer@office.example.cn",)]
    wecom = [b["markdown"]["content"] for b in robots.bodies("https://qyapi")]
    assert sum(body.count("佐证材料不全") for body in wecom) == 1


def test_the_reminders_page_lists_a_return_with_its_reason(client, cycle):
    cast = cycle.cast
    _ready(cast, cycle.measure)
    _step(cycle.measure, cast.clerk_a, Action.SUBMIT)
    _step(cycle.measure, cast.leader_a, Action.CONFIRM)
    _step(cycle.measure, cast.officer, Action.RETURN, reason="佐证材料不全")
    client.force_login(cast.clerk_a)
    page = client.get(reverse("reminders:notice_list")).content.decode()
    assert "【整改通知】已退回，请整改" in page and "佐证材料不全" in page
    assert f"#measure-{cycle.measure.pk}" in page
    assert Notice.objects.filter(user=cast.clerk_a, read_at__isnull=True).count() == 0  # read now


def test_many_assignments_at_once_make_one_unread_notice(cycle):
    cast = cycle.cast
    department = organisation_create(name="甲社区党建办", kind=OrgKind.DEPARTMENT, parent=cast.a.unit)
    signer = user_create(username="dangjian", password="x-test-password-1")
    membership_grant(user=signer, organisation=department, role=Role.UNIT_STAFF)
    for measure in Measure.objects.filter(round=cast.a.round):
        measure_update(
            measure=measure, actor=cast.clerk_a, expected_version=measure.version, lead_department=department
        )
    more = measure_create(problem=cast.a.problem, actor=None, text="另一项措施。")
    measure_update(
        measure=more, actor=cast.clerk_a, expected_version=more.version, lead_department=department
    )
    [notice] = Notice.objects.filter(user=signer)
    assert notice.events.count() == 2 and notice.title == "【整改提醒】您有2项整改事项需要关注"
    assert "另一项措施" in notice.body and "建立会议记录" in notice.body


def test_older_notices_follow_in_keyset_pages_with_no_gap_and_no_repeat(client, cast):
    from zhenggai.reminders.models import Notice
    from zhenggai.reminders.views import PAGE_SIZE

    day = datetime.date(2025, 6, 1)
    for i in range(PAGE_SIZE * 2 + 3):  # runs of the same day across the page breaks
        Notice.objects.create(
            user=cast.clerk_a, day=day - datetime.timedelta(days=i // 7), title=f"提醒{i}", body=""
        )
    client.force_login(cast.clerk_a)
    url = reverse("reminders:notice_list")
    html, seen = client.get(url).content.decode(), []
    while True:
        seen += re.findall(r"提醒(\d+)", html)
        older = re.search(r'href="\?([^"]+)" rel="next"', html)
        if older is None:
            break
        html = client.get(f"{url}?{older.group(1)}").content.decode()
    expected = (
        Notice.objects.filter(user=cast.clerk_a).order_by("-day", "-pk").values_list("title", flat=True)
    )
    assert [f"提醒{n}" for n in seen] == list(expected)
