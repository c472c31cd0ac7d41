"""我的待办: each role finds its own work there, and only its own, in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.accounts.services import user_create
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.ledger.models import MeasureStatus
from zhenggai.ledger.services import evidence_attach, measure_create, measure_update, progress_record
from zhenggai.ledger.tally import tally_deferred
from zhenggai.ledger.transitions import extension_request, measure_acknowledge, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant, person_create
from zhenggai.todo.selectors import ITEMS_PER_GROUP

TODAY = datetime.date.today


def _user(name, org, role):
    user = user_create(username=name, password="x-test-password-1")
    membership_grant(user=user, organisation=org, role=role)
    return user


def _step(measure, actor, action, **kwargs):
    return measure_transition(
        measure=measure, actor=actor, action=action, expected_version=measure.version, **kwargs
    )


def _ready(cast, measure):
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=TODAY(), text="制度已印发")
    evidence_attach(
        measure=measure, actor=cast.clerk_a, name="制度.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    measure.refresh_from_db()
    return measure


def _group(client, key: str) -> str:
    """The HTML of one group of the signed-in user's to-do page ("" when the page has none)."""
    page = client.get(reverse("todo:home")).content.decode()
    found = re.search(rf'<section class="card todo-group" data-group="{key}">(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


def _count(html: str) -> int:
    found = re.search(r'data-count="[a-z_]+">(\d+)<', html)
    assert found, html
    return int(found.group(1))


def _link(measure) -> str:
    return reverse("ledger:problem_detail", args=[measure.problem_id]) + f"#measure-{measure.pk}"


def test_the_home_page_is_the_to_do_list_and_the_rounds_keep_their_own_address(client, cast):
    client.force_login(cast.clerk_a)
    assert reverse("todo:home") == "/"
    page = client.get("/").content.decode()
    assert 'data-testid="nav-todo"' in page and reverse("ledger:round_list") in page
    assert cast.a.round.title in client.get(reverse("ledger:round_list")).content.decode()


def test_after_login_everyone_lands_on_their_to_do_list(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "clerk_a", "password": "x-test-password-1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("todo:home")


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_clerk_sees_measures_to_start_of_their_unit_only(client, cast):
    new = measure_create(problem=cast.a.problem, actor=None, text="开展专项检查。", deadline=TODAY())
    client.force_login(cast.clerk_a)
    group = _group(client, "to_start")
    assert _count(group) == 1 and "开展专项检查" in group and _link(new) in group
    assert "甲社区" in group and TODAY().isoformat() in group
    client.force_login(cast.clerk_b)
    assert "开展专项检查" not in client.get("/").content.decode()


def test_progress_due_follows_the_reminder_ladder(client, cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "REMINDER_GREEN_DAYS": 20}
    near = measure_create(
        problem=cast.a.problem,
        actor=None,
        text="近期措施。",
        status=MeasureStatus.IN_PROGRESS,
        deadline=TODAY() + datetime.timedelta(days=5),
    )
    client.force_login(cast.clerk_a)
    group = _group(client, "progress_due")
    # The cast's own measure is due in 30 days: not on the ladder yet.
    assert _count(group) == 1 and _link(near) in group and _link(cast.a.measure) not in group


def test_a_returned_measure_comes_back_to_the_clerk_with_the_reason(client, cast):
    m = _ready(cast, cast.a.measure)
    m = _step(m, cast.clerk_a, Action.SUBMIT)
    client.force_login(cast.leader_a)
    assert _link(m) in _group(client, "to_confirm")
    m = _step(m, cast.leader_a, Action.CONFIRM)
    client.force_login(cast.officer)
    assert _link(m) in _group(client, "to_close")
    m = _step(m, cast.officer, Action.RETURN, reason="佐证材料不能证明制度已执行")
    client.force_login(cast.clerk_a)
    group = _group(client, "returned")
    assert _count(group) == 1 and "佐证材料不能证明制度已执行" in group and _link(m) in group
    client.force_login(cast.officer)
    assert _count(_group(client, "to_close")) == 0
    client.force_login(cast.clerk_b)
    assert "佐证材料不能证明" not in client.get("/").content.decode()


def test_a_unit_send_back_shows_its_reason_too(client, cast):
    m = _step(_ready(cast, cast.a.measure), cast.clerk_a, Action.SUBMIT)
    _step(m, cast.leader_a, Action.SEND_BACK, reason="请补充整改前后对比照片")
    client.force_login(cast.clerk_a)
    assert "请补充整改前后对比照片" in _group(client, "returned")


def test_whoever_submitted_is_not_asked_to_confirm_it(client, cast):
    both = _user("both", cast.a.unit, Role.UNIT_STAFF)
    membership_grant(user=both, organisation=cast.a.unit, role=Role.UNIT_LEADER)
    progress_record(measure=cast.a.measure, actor=both, happened_on=TODAY(), text="已完成")
    m = cast.a.measure
    m.refresh_from_db()
    _step(m, both, Action.SUBMIT, reason="无纸质材料")
    client.force_login(both)
    assert _count(_group(client, "to_confirm")) == 0
    client.force_login(cast.leader_a)
    assert _count(_group(client, "to_confirm")) == 1


def test_evidence_is_asked_for_after_progress_without_a_file(client, cast):
    progress_record(measure=cast.a.measure, actor=cast.clerk_a, happened_on=TODAY(), text="已起草")
    client.force_login(cast.clerk_a)
    assert _link(cast.a.measure) in _group(client, "evidence")
    evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="a.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    assert _count(_group(client, "evidence")) == 0


def test_the_lead_department_signs_for_its_tasks_from_the_list(client, cast):
    officer = _user("dept", cast.a.department, Role.UNIT_STAFF)
    client.force_login(officer)
    group = _group(client, "to_sign_for")
    assert _count(group) == 1 and _link(cast.a.measure) in group
    assert _group(client, "to_start") == "" or _link(cast.a.measure) not in _group(client, "to_start")
    measure_acknowledge(measure=cast.a.measure, actor=officer)
    assert _count(_group(client, "to_sign_for")) == 0


def test_the_office_sees_extension_requests_rechecks_and_overdue_units(client, cast):
    extension_request(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        new_deadline=TODAY() + datetime.timedelta(days=90),
        reason="需要等待上级批复",
    )
    late = measure_create(
        problem=cast.b.problem,
        actor=None,
        text="逾期措施。",
        status=MeasureStatus.IN_PROGRESS,
        deadline=TODAY() - datetime.timedelta(days=3),
    )
    client.force_login(cast.officer)
    extensions = _group(client, "extensions")
    assert (
        _count(extensions) == 1 and "需要等待上级批复" in extensions and _link(cast.a.measure) in extensions
    )
    units = _group(client, "overdue_units")
    assert _count(units) == 1 and "乙社区" in units
    assert reverse("ledger:round_ledger", args=[late.round_id]) + "?light=red" in units
    client.force_login(cast.clerk_a)
    assert 'data-group="extensions"' not in client.get("/").content.decode()


def test_a_long_term_measure_comes_back_for_its_check(client, cast):
    m = measure_create(
        problem=cast.a.problem,
        actor=cast.clerk_a,
        text="长期坚持的措施。",
        status=MeasureStatus.IN_PROGRESS,
        long_term=True,
        kind="long_term",
        deadline=TODAY(),
    )
    m = _ready(cast, m)
    m = _step(m, cast.clerk_a, Action.SUBMIT)
    m = _step(m, cast.leader_a, Action.CONFIRM)
    other = _user("officer2", cast.office, Role.OFFICE_STAFF)
    m = _step(m, other, Action.CLOSE, follow_up_days=30)
    client.force_login(cast.officer)
    assert _count(_group(client, "rechecks")) == 0
    from zhenggai.ledger.models import Measure

    Measure.objects.filter(pk=m.pk).update(next_check_on=TODAY())  # the check's day has come
    assert _link(m) in _group(client, "rechecks")


def test_comments_to_answer_reach_the_clerk(client, cast):
    call = call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="请提意见", closes_on=None)
    comment = comment_submit(
        call=call, text="小区路灯坏了很久", name="", contact="", logged_in=False, network="n1"
    )
    client.force_login(cast.clerk_a)
    group = _group(client, "comments")
    assert "小区路灯坏了很久" in group and f"#comment-{comment.pk}" in group
    client.force_login(cast.clerk_b)
    assert "小区路灯坏了很久" not in client.get("/").content.decode()


def test_the_unit_administrator_is_given_the_measures_nobody_is_assigned_to(client, cast):
    admin_a = _user("admin_a", cast.a.unit, Role.UNIT_ADMIN)
    loose = measure_create(problem=cast.a.problem, actor=None, text="明确责任人。", deadline=TODAY())
    measure_create(problem=cast.b.problem, actor=None, text="乙社区的措施。", deadline=TODAY())
    client.force_login(admin_a)
    group = _group(client, "unassigned")
    assert _link(loose) in group and "乙社区的措施" not in group
    done = measure_update(
        measure=loose,
        actor=admin_a,
        expected_version=loose.version,
        doer=person_create(name="王五", organisation=cast.a.department),
        lead_department=cast.a.department,
    )
    assert _link(done) not in _group(client, "unassigned")


def test_the_supervisor_sees_what_is_overdue_past_the_ladder(client, cast):
    supervisor = _user("jiwei", cast.office, Role.SUPERVISOR)
    late = measure_create(
        problem=cast.a.problem,
        actor=None,
        text="逾期措施。",
        status=MeasureStatus.IN_PROGRESS,
        deadline=TODAY() - datetime.timedelta(days=30),
    )
    client.force_login(supervisor)
    group = _group(client, "overdue")
    assert _count(group) == 1 and _link(late) in group and "light-red" in group
    assert 'data-group="to_close"' not in client.get("/").content.decode()


def test_the_badge_in_the_navigation_counts_the_to_do_items(client, cast):
    for i in range(3):
        measure_create(problem=cast.a.problem, actor=None, text=f"新措施{i}。")
    client.force_login(cast.clerk_a)
    ledger = client.get(reverse("ledger:round_ledger", args=[cast.a.round.pk])).content.decode()
    home = client.get("/").content.decode()
    badge = re.search(r'data-testid="todo-badge">(\d+)<', ledger)
    total = re.search(r'data-testid="todo-total">(\d+)<', home)
    assert badge and total and badge.group(1) == total.group(1) == "3"


def test_the_badge_is_counted_once_a_minute_and_my_todo_page_refreshes_it(client, cast):
    client.force_login(cast.clerk_a)
    ledger = reverse("ledger:round_ledger", args=[cast.a.round.pk])

    def badge() -> str:
        found = re.search(r'data-testid="todo-badge">(\d+)<', client.get(ledger).content.decode())
        return found.group(1) if found else "0"

    before = badge()
    measure_create(problem=cast.a.problem, actor=None, text="又一项措施。")
    assert badge() == before  # within the minute, the count of the last page
    total = re.search(r'data-testid="todo-total">(\d+)<', client.get("/").content.decode())
    assert total and int(total.group(1)) == int(before) + 1
    assert badge() == total.group(1)


def _pile_up(cast, n: int) -> None:
    """Work of every kind, n of each (counted once at the end, as an import counts its rows)."""
    with tally_deferred():
        _pile(cast, n)


def _pile(cast, n: int) -> None:
    for i in range(n):
        measure_create(problem=cast.a.problem, actor=None, text=f"待启动{i}。", deadline=TODAY())
        measure_create(
            problem=cast.b.problem,
            actor=None,
            text=f"逾期{i}。",
            status=MeasureStatus.IN_PROGRESS,
            deadline=TODAY() - datetime.timedelta(days=i + 1),
        )
        m = measure_create(
            problem=cast.a.problem, actor=None, text=f"待审{i}。", status=MeasureStatus.IN_PROGRESS
        )
        m = _step(_ready(cast, m), cast.clerk_a, Action.SUBMIT)
        if i % 2:
            _step(m, cast.leader_a, Action.CONFIRM)
        extension_request(
            measure=measure_create(problem=cast.a.problem, actor=None, text=f"延期{i}。", deadline=TODAY()),
            actor=cast.clerk_a,
            new_deadline=TODAY() + datetime.timedelta(days=30),
            reason="等待批复",
        )


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "officer", "supervisor", "department"])
def test_the_page_takes_a_fixed_number_of_queries(client, cast, who, django_assert_num_queries):
    users = {
        "supervisor": lambda: _user("jiwei", cast.office, Role.SUPERVISOR),
        "department": lambda: _user("dept", cast.a.department, Role.UNIT_STAFF),
    }
    user = users[who]() if who in users else getattr(cast, who)
    client.force_login(user)
    _pile_up(cast, 1)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _pile_up(cast, 25)  # more than a page of each group
    with django_assert_num_queries(len(few)):
        page = client.get("/").content.decode()
    assert 'data-testid="todo-item"' in page
    # The session, the user, their roles, the unread notices of the navigation, then one query per
    # group of their roles (none for a group its roles leave empty); the badge reuses the page's count.
    assert len(few) <= 4 + page.count('class="card todo-group"')


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "officer", "supervisor", "department"])
def test_the_badge_agrees_with_the_page_for_every_role(client, cast, who):
    users = {
        "supervisor": lambda: _user("jiwei", cast.office, Role.SUPERVISOR),
        "department": lambda: _user("dept", cast.a.department, Role.UNIT_STAFF),
    }
    user = users[who]() if who in users else getattr(cast, who)
    _pile_up(cast, 2)
    client.force_login(user)
    total = re.search(r'data-testid="todo-total">(\d+)<', client.get("/").content.decode())
    other = client.get(reverse("ledger:round_list")).content.decode()
    badge = re.search(r'data-testid="todo-badge">(\d+)<', other)
    assert total and int(total.group(1)) > 0
    assert badge and badge.group(1) == total.group(1)


def test_a_long_group_shows_its_first_items_and_links_to_them_all(client, cast):
    for i in range(ITEMS_PER_GROUP + 3):
        measure_create(problem=cast.a.problem, actor=None, text=f"新措施{i}。")
    client.force_login(cast.clerk_a)
    group = _group(client, "to_start")
    assert _count(group) == ITEMS_PER_GROUP + 3
    assert group.count('data-testid="todo-item"') == ITEMS_PER_GROUP
    assert f'href="{reverse("ledger:all_ledgers")}?status=not_started"' in group


def test_someone_without_a_role_is_told_there_is_nothing_for_them(client, cast):
    client.force_login(cast.outsider)
    page = client.get("/").content.decode()
    assert 'data-testid="todo-none"' in page and 'data-testid="todo-item"' not in page
    assert 'data-testid="todo-badge"' not in page
