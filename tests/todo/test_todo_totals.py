"""我的待办 at a province's size reads its totals from the tally and narrow indexes, and its first items
in the order of an index: the same groups, items and totals as counting every row of each group (the
group's `rows`, what the page counted before), for every role, on any day, whatever day the tally was
counted for, and with no tally at all. An office sees only its own units."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.accounts.services import user_create
from zhenggai.ledger import tally
from zhenggai.ledger.models import Measure, MeasureStatus, TallyClock
from zhenggai.ledger.services import evidence_attach, measure_create, measure_update, progress_record
from zhenggai.ledger.tally import tally_deferred
from zhenggai.ledger.transitions import extension_request, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create
from zhenggai.reports.issuing import draft_create, sign_off
from zhenggai.todo import selectors
from zhenggai.todo.selectors import ITEMS_PER_GROUP

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _user(name, org=None, role=None, superuser=False):
    user = user_create(username=name, password="x-test-password-1", superuser=superuser)
    if org is not None:
        membership_grant(user=user, organisation=org, role=role)
    return user


def _step(measure, actor, action, **kwargs):
    return measure_transition(
        measure=measure,
        actor=actor,
        action=action,
        expected_version=None,
        reason="书面说明：已整改。",
        **kwargs,
    )


def _other_office(unit_ledger):
    """A second office with a unit of its own (the cast's kind of ledger), its officer, clerk and
    leader: never counted by the cast's office."""
    office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    group = organisation_create(name="第二巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office)
    ledger = unit_ledger("丙街道", office, group, TODAY)
    people = (
        _user("officer_c", office, Role.OFFICE_STAFF),
        _user("clerk_c", ledger.unit, Role.UNIT_STAFF),
        _user("leader_c", ledger.unit, Role.UNIT_LEADER),
    )
    return ledger.problem, people


def _varied(cast, unit_ledger):
    """Work of every kind in three units of two offices: deadlines past, near, far and none; every
    status; measures the officer entered; long-term measures closed and due for their check (or
    not); requests for more time; measures returned with a reason. Returns a user of each role."""
    problem_c, (officer_c, clerk_c, leader_c) = _other_office(unit_ledger)
    closer = _user("officer2", cast.office, Role.OFFICE_STAFF)
    people = {  # round: (office's officer, the one who closes, clerk, leader)
        cast.a.round.pk: (cast.officer, closer, cast.clerk_a, cast.leader_a),
        cast.b.round.pk: (
            cast.officer,
            closer,
            cast.clerk_b,
            _user("leader_b", cast.b.unit, Role.UNIT_LEADER),
        ),
        problem_c.round_id: (officer_c, officer_c, clerk_c, leader_c),
    }
    problems = [cast.a.problem, cast.b.problem, problem_c]
    offsets = [None, -40, -9, -1, 0, 1, 3, 9, 10, 11, 25, 60]
    made = [
        measure_create(
            problem=problems[i % 3],
            actor=None,
            text=f"措施{i}。",
            deadline=None if offset is None else TODAY + offset * DAY,
            status=MeasureStatus.NOT_STARTED if i % 4 == 3 else MeasureStatus.IN_PROGRESS,
            long_term=i % 5 == 0,
            kind="long_term" if i % 5 == 0 else "time_bound",
            lead_department=cast.a.department if i % 3 == 0 and i % 2 else None,
        )
        for i, offset in enumerate(offsets * 3)
    ]
    under_way = [m for m in made if m.status == MeasureStatus.IN_PROGRESS]
    for k, measure in enumerate(under_way):
        officer, closes, clerk, leader = people[measure.round_id]
        life = k % 6
        if life == 0:
            progress_record(measure=measure, actor=clerk, happened_on=TODAY, text="已推进")
            if k % 12 == 0:
                evidence_attach(
                    measure=measure, actor=clerk, name="a.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
                )
            continue
        if life == 5 and measure.deadline is not None:
            extension_request(
                measure=measure, actor=clerk, new_deadline=measure.deadline + 20 * DAY, reason="等待批复"
            )
            continue
        measure = _step(measure, clerk, Action.SUBMIT)
        if life == 1:
            continue
        measure = _step(measure, leader, Action.CONFIRM)
        if life == 2:
            if k % 4 == 0:  # entered by the office's officer: not theirs to close
                Measure.objects.filter(pk=measure.pk).update(created_by=cast.officer)
            continue
        if life == 3:
            _step(measure, officer, Action.RETURN)
            continue
        closed = _step(measure, closes, Action.CLOSE, follow_up_days=30 if measure.long_term else None)
        if closed.long_term:  # the check's day has come for some, not yet for others
            due = TODAY - DAY if k % 12 < 6 else TODAY + 5 * DAY
            Measure.objects.filter(pk=closed.pk).update(next_check_on=due)
    # Reports: drafts for a leader to sign off (not one's own), signed-off ones for the clerk to issue.
    for round_, clerk, leader in (
        (cast.a.round, cast.clerk_a, cast.leader_a),
        (cast.b.round, cast.clerk_b, None),
    ):
        for kind in ("public", "progress"):
            draft_create(round_=round_, actor=clerk, kind=kind)
        if leader is not None:
            report = draft_create(round_=round_, actor=clerk, kind="public")
            sign_off(report=report, actor=leader, expected_version=report.version)
    return [
        cast.officer,
        officer_c,
        _user("jiwei", cast.office, Role.SUPERVISOR),
        _user("root", superuser=True),
        cast.clerk_a,
        cast.leader_a,
        _user("dept", cast.a.department, Role.UNIT_STAFF),
        _user("admin_a", cast.a.unit, Role.UNIT_ADMIN),
    ]


def _as_before(user, today: datetime.date) -> list[tuple[str, int, list]]:
    """Each group as the page counted it before: every row of its `rows` counted, the first ones
    in the group's order."""
    seen = []
    for spec in selectors._specs(user):
        rows = spec.rows(user, today)
        if spec.read is not None:  # one row per unit, counted in Python
            found = list(rows.order_by(*spec.order))
            count = len(found)
        else:
            count = rows.count()
            found = list(rows.values(*selectors._VALUES.get(spec.key, selectors._M)).order_by(*spec.order))
        seen.append((spec.key, count, [spec.item(row) for row in found[:ITEMS_PER_GROUP]]))
    return seen


def _as_now(user, today: datetime.date) -> list[tuple[str, int, list]]:
    return [(group.key, group.count, group.items) for group in selectors.todo_groups(user, today)]


def _assert_as_before(users, today: datetime.date) -> None:
    for user in users:
        before = _as_before(user, today)
        assert _as_now(user, today) == before, user.username
        assert selectors.todo_count(user, today) == sum(count for _key, count, _items in before)


@pytest.fixture
def varied(cast, unit_ledger):
    with tally_deferred():  # counted once at the end (the counts are checked after, not between)
        return _varied(cast, unit_ledger)


def test_the_data_set_gives_every_group_something_to_show(cast, varied):
    shown: dict[str, int] = {}
    for user in varied:
        for key, count, _items in _as_now(user, TODAY):
            shown[key] = max(shown.get(key, 0), count)
    assert set(shown) == {
        *("to_close", "extensions", "rechecks", "overdue_units", "overdue"),
        *(
            "returned",
            "to_start",
            "progress_due",
            "evidence",
            "comments",
            "to_confirm",
            "to_sign_for",
            "unassigned",
            "reports_to_sign_off",
            "reports_to_issue",
        ),
    }
    assert all(shown[key] for key in shown if key != "comments"), shown


@pytest.mark.parametrize("shift", [-30, -10, -1, 0, 1, 2, 10, 45])
def test_totals_and_items_are_those_of_counting_every_row_on_any_day(varied, shift):
    _assert_as_before(varied, TODAY + shift * DAY)


@pytest.mark.parametrize("stored", [-400, -20, -2, 3])
def test_a_tally_counted_for_another_day_gives_the_same(varied, stored):
    tally.tally_rebuild(TODAY + stored * DAY)  # the daily task has not run (or the clock is ahead)
    for shift in (0, 1, -1):
        _assert_as_before(varied, TODAY + shift * DAY)


def test_with_no_tally_kept_the_page_counts_live_and_gives_the_same(varied):
    TallyClock.objects.all().delete()
    _assert_as_before(varied, TODAY)


def test_a_measure_that_changes_moves_the_totals_at_once(cast, varied):
    late = Measure.objects.filter(round=cast.b.round, status=MeasureStatus.NOT_STARTED).first()
    measure_update(measure=late, actor=None, expected_version=late.version, deadline=TODAY - 100 * DAY)
    confirmed = Measure.objects.filter(status=MeasureStatus.CONFIRMED, round__office=cast.office).first()
    _step(confirmed, cast.officer, Action.RETURN)
    _assert_as_before(varied, TODAY)


def test_an_office_counts_only_its_own_units(cast, varied):
    officer, officer_c = varied[0], varied[1]
    mine = {group.key: group for group in selectors.todo_groups(officer)}
    theirs = {group.key: group for group in selectors.todo_groups(officer_c)}
    assert {item.unit for group in mine.values() for item in group.items} <= {"甲社区", "乙社区"}
    assert {item.unit for group in theirs.values() for item in group.items} == {"丙街道"}
    confirmed = Measure.objects.filter(status=MeasureStatus.CONFIRMED)
    in_c = confirmed.filter(round__office__name="市委巡察办")
    assert theirs["to_close"].count == in_c.count() > 0
    assert (
        mine["to_close"].count
        == confirmed.filter(round__office=cast.office).exclude(created_by=officer).count()
    )
    assert mine["to_close"].count < confirmed.count() - in_c.count()  # the officer entered some


def test_the_office_still_takes_one_query_a_group(client, cast, varied):
    client.force_login(cast.officer)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert len(queries) == 4 + page.count('class="card todo-group"') == 8


def test_reports_wait_for_their_leaders_sign_off_and_then_for_the_clerk_to_issue_them(cast, varied):
    groups = {g.key: g for g in selectors.todo_groups(cast.leader_a, TODAY)}
    assert groups["reports_to_sign_off"].count == 2  # the unit's two drafts, not unit B's
    assert all("/issued-reports/" in item.url for item in groups["reports_to_sign_off"].items)
    groups = {g.key: g for g in selectors.todo_groups(cast.clerk_a, TODAY)}
    assert groups["reports_to_issue"].count == 1
    groups = {g.key: g for g in selectors.todo_groups(cast.clerk_b, TODAY)}
    assert groups["reports_to_issue"].count == 0  # unit B's drafts are not signed off
