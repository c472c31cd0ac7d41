"""The closing cycle: the permission matrix, the state machine, and the rules of the field."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from _ledger_support import measure_in_state
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.ledger.access import rights_for
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import ClosingDecision, DeadlineExtension, InspectionRound, Measure, MeasureStatus
from zhenggai.ledger.services import evidence_attach, measure_create, progress_record
from zhenggai.ledger.transitions import (
    extension_decide,
    extension_request,
    measure_acknowledge,
    measure_transition,
    snapshot_of,
)
from zhenggai.ledger.workflow import ROLE_ACTIONS, TRANSITIONS, Action, SystemRole
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create

TODAY = datetime.date.today


def _user(name, *grants):
    user = get_user_model().objects.create_user(name, password="x-test-password-1")
    for org, role in grants:
        membership_grant(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def other_office_round(cast):
    """A round followed by another inspection office: 'other' for the office roles."""
    office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    unit = organisation_create(name="丙单位", kind=OrgKind.UNIT)
    return InspectionRound.objects.create(title="丙单位整改", office=office, inspected_unit=unit)


# --- The permission matrix: every role x every action x own/other unit ----------------------------

ROLES = [Role.UNIT_STAFF, Role.UNIT_LEADER, Role.OFFICE_STAFF, Role.SUPERVISOR, SystemRole.ADMIN]


def _holder(cast, role):
    if role == SystemRole.ADMIN:
        return get_user_model().objects.create_superuser("root", password="x-test-password-1")
    org = cast.office if role in (Role.OFFICE_STAFF, Role.SUPERVISOR) else cast.a.unit
    return _user(f"holder_{role}", (org, role))


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(cast, other_office_round, role):
    user = _holder(cast, role)
    own = cast.a.round
    other = cast.b.round if role in (Role.UNIT_STAFF, Role.UNIT_LEADER) else other_office_round
    for action in Action.values:
        expected_own = action in ROLE_ACTIONS[role]
        assert rights_for(user, own).can(action) is expected_own, (role, action, "own")
        expected_other = role == SystemRole.ADMIN and action in ROLE_ACTIONS[role]
        assert rights_for(user, other).can(action) is expected_other, (role, action, "other")


@pytest.mark.parametrize(
    ("role", "action"), list(itertools.product(ROLES, sorted({a for _s, a in TRANSITIONS})))
)
def test_the_services_enforce_the_matrix_for_every_transition(cast, role, action):
    """For each transition, put a measure in the state it starts from and let each role try it."""
    user = _holder(cast, role)
    start = next(state for state, act in TRANSITIONS if act == action)
    measure = measure_in_state(cast.a.problem, start, text="矩阵", long_term=True, deadline=TODAY())
    allowed = action in ROLE_ACTIONS[role]
    try:
        measure_transition(
            measure=measure,
            actor=user,
            action=action,
            expected_version=measure.version,
            reason="理由",
            follow_up_days=90,
        )
        refused = None
    except LedgerError as exc:
        refused = exc.message
    measure.refresh_from_db()
    if allowed:
        assert refused is None, (role, action, refused)
        assert measure.status == TRANSITIONS[(start, action)]
    else:
        assert refused is not None and "角色" in refused, (role, action)
        assert measure.status == start


# --- The state machine ------------------------------------------------------------------------------


@pytest.fixture
def everyone(cast):
    """One person holding every business role over unit A: only the state machine can refuse them."""
    return _user(
        "everyone",
        (cast.a.unit, Role.UNIT_STAFF),
        (cast.a.unit, Role.UNIT_LEADER),
        (cast.office, Role.OFFICE_STAFF),
    )


ILLEGAL = [
    (state, action)
    for state in MeasureStatus.values
    for action in sorted({a for _s, a in TRANSITIONS})
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused(cast, everyone, state, action):
    measure = measure_in_state(cast.a.problem, state, text="非法", long_term=True)
    with pytest.raises(LedgerError, match="状态"):
        measure_transition(
            measure=measure, actor=everyone, action=action, expected_version=measure.version, reason="x"
        )
    measure.refresh_from_db()
    assert measure.status == state and measure.version == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted({a for _s, a in TRANSITIONS})), st.integers(0, 2)), max_size=15
    )
)
def test_random_sequences_never_reach_a_forbidden_state(cast, steps):
    clerk, leader, officer = cast.clerk_a, cast.leader_a, cast.officer
    actors = [clerk, leader, officer]
    measure = measure_create(
        problem=cast.a.problem, actor=None, text="随机", long_term=True, deadline=TODAY()
    )
    progress_record(measure=measure, actor=clerk, happened_on=TODAY(), text="进展")
    evidence_attach(measure=measure, actor=clerk, name="a.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n"))
    measure.refresh_from_db()
    for action, who in steps:
        before = measure.status
        try:
            measure = measure_transition(
                measure=measure,
                actor=actors[who],
                action=action,
                expected_version=measure.version,
                reason="理由",
                follow_up_days=30,
            )
        except LedgerError:
            measure.refresh_from_db()
            assert measure.status == before
            continue
        assert (before, action) in TRANSITIONS
        assert measure.status == TRANSITIONS[(before, action)]
        assert action in ROLE_ACTIONS[{0: Role.UNIT_STAFF, 1: Role.UNIT_LEADER, 2: Role.OFFICE_STAFF}[who]]
        assert measure.status in MeasureStatus.values


# --- The rules of the field -------------------------------------------------------------------------


def _ready(cast, measure):
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=TODAY(), text="制度已印发")
    evidence_attach(
        measure=measure, actor=cast.clerk_a, name="制度.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    measure.refresh_from_db()
    return measure


def _step(measure, actor, action, **kwargs):
    return measure_transition(
        measure=measure, actor=actor, action=action, expected_version=measure.version, **kwargs
    )


def test_the_whole_cycle_with_a_return(cast):
    m = _ready(cast, cast.a.measure)
    m = _step(m, cast.clerk_a, Action.SUBMIT)
    m = _step(m, cast.leader_a, Action.CONFIRM)
    with pytest.raises(LedgerError, match="理由"):
        _step(m, cast.officer, Action.RETURN)
    m = _step(m, cast.officer, Action.RETURN, reason="佐证材料不能证明制度已执行")
    assert m.status == MeasureStatus.IN_PROGRESS and m.completed_on is None
    m = _step(m, cast.clerk_a, Action.SUBMIT)
    m = _step(m, cast.leader_a, Action.CONFIRM)
    m = _step(m, cast.officer, Action.CLOSE)
    assert m.status == MeasureStatus.CLOSED
    assert [d.decision for d in m.decisions.order_by("decided_at", "pk")] == ["returned", "closed"]


def test_whoever_submitted_can_never_close(cast):
    both = _user("both", (cast.a.unit, Role.UNIT_STAFF), (cast.office, Role.OFFICE_STAFF))
    m = _ready(cast, cast.a.measure)
    m = _step(m, both, Action.SUBMIT)
    m = _step(m, cast.leader_a, Action.CONFIRM)
    with pytest.raises(LedgerError, match="另一人"):
        _step(m, both, Action.CLOSE)
    m.refresh_from_db()
    assert m.status == MeasureStatus.CONFIRMED
    assert _step(m, cast.officer, Action.CLOSE).status == MeasureStatus.CLOSED


def test_submitting_without_evidence_needs_a_written_reason(cast):
    m = cast.a.measure
    with pytest.raises(LedgerError, match="佐证材料"):
        _step(m, cast.clerk_a, Action.SUBMIT)
    m = _step(m, cast.clerk_a, Action.SUBMIT, reason="该问题为制度缺失，已随文件印发，无单独材料")
    assert m.status == MeasureStatus.SUBMITTED


def test_long_term_items_close_with_a_follow_up_and_come_back(cast):
    m = measure_create(problem=cast.a.problem, actor=None, text="长期坚持", long_term=True, deadline=TODAY())
    m = _ready(cast, m)
    m = _step(m, cast.clerk_a, Action.SUBMIT)
    m = _step(m, cast.leader_a, Action.CONFIRM)
    with pytest.raises(LedgerError, match="复查间隔"):
        _step(m, cast.officer, Action.CLOSE)
    m = _step(m, cast.officer, Action.CLOSE, follow_up_days=90)
    assert m.next_check_on == TODAY() + datetime.timedelta(days=90)
    m = _step(m, cast.officer, Action.RECHECK)
    assert m.status == MeasureStatus.CLOSED and m.next_check_on == TODAY() + datetime.timedelta(days=90)
    m = _step(m, cast.officer, Action.RETURN, reason="复查发现问题反弹")
    assert m.status == MeasureStatus.IN_PROGRESS and m.next_check_on is None


def test_an_ordinary_closed_item_is_not_reopened(cast):
    m = _ready(cast, cast.a.measure)
    for actor, action in [
        (cast.clerk_a, Action.SUBMIT),
        (cast.leader_a, Action.CONFIRM),
        (cast.officer, Action.CLOSE),
    ]:
        m = _step(m, actor, action)
    with pytest.raises(LedgerError, match="长期坚持"):
        _step(m, cast.officer, Action.RETURN, reason="重新打开")


def test_a_decision_keeps_a_frozen_copy(cast):
    m = measure_create(problem=cast.a.problem, actor=None, text="长期坚持", long_term=True, deadline=TODAY())
    m = _ready(cast, m)
    for actor, action in [(cast.clerk_a, Action.SUBMIT), (cast.leader_a, Action.CONFIRM)]:
        m = _step(m, actor, action)
    m = _step(m, cast.officer, Action.CLOSE, follow_up_days=30)
    closing = ClosingDecision.objects.get(measure=m, decision="closed")
    frozen = dict(closing.snapshot)
    assert [e["name"] for e in frozen["evidence"]] == ["制度.pdf"]
    # Reopened for a failed check, the item changes; what was approved does not.
    m = _step(m, cast.officer, Action.RETURN, reason="复查不合格")
    evidence_attach(
        measure=m, actor=cast.clerk_a, name="补充.pdf", size=10, stream=io.BytesIO(b"%PDF-1.4\nx")
    )
    closing.refresh_from_db()
    assert closing.snapshot == frozen
    assert len(snapshot_of(m)["evidence"]) == 2


def test_content_is_frozen_while_under_review(cast):
    m = _step(_ready(cast, cast.a.measure), cast.clerk_a, Action.SUBMIT)
    with pytest.raises(LedgerError, match="退回"):
        progress_record(measure=m, actor=cast.clerk_a, happened_on=TODAY(), text="补一条")
    with pytest.raises(LedgerError, match="退回"):
        evidence_attach(measure=m, actor=cast.clerk_a, name="b.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n"))


def test_late_progress_is_marked_and_needs_a_reason(cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "LATE_ENTRY_HOURS": 72}
    m = cast.a.measure
    progress_record(
        measure=m, actor=cast.clerk_a, happened_on=TODAY() - datetime.timedelta(days=2), text="两天前"
    )
    assert not m.progress_entries.get(text="两天前").late_entry
    with pytest.raises(LedgerError, match="补录"):
        progress_record(
            measure=m, actor=cast.clerk_a, happened_on=TODAY() - datetime.timedelta(days=5), text="五天前"
        )
    entry = progress_record(
        measure=m,
        actor=cast.clerk_a,
        happened_on=TODAY() - datetime.timedelta(days=5),
        text="五天前",
        late_reason="当时在外出差，回来补录",
    )
    assert entry.late_entry and entry.late_reason == "当时在外出差，回来补录"
    assert entry.recorded_at.date() == datetime.datetime.now(tz=datetime.UTC).date()


def test_a_late_entry_shows_both_dates_on_the_page(client, cast):
    client.force_login(cast.clerk_a)
    pk = cast.a.measure.pk
    claimed = TODAY() - datetime.timedelta(days=10)
    response = client.post(
        reverse("ledger:progress_add", args=[pk]),
        {f"p{pk}-happened_on": claimed.isoformat(), f"p{pk}-text": "召开会议"},
    )
    assert response.status_code == 400 and "补录" in response.content.decode()
    client.post(
        reverse("ledger:progress_add", args=[pk]),
        {
            f"p{pk}-happened_on": claimed.isoformat(),
            f"p{pk}-text": "召开会议",
            f"p{pk}-late_reason": "纪要找到后补录",
        },
    )
    page = client.get(reverse("ledger:problem_detail", args=[cast.a.problem.pk])).content.decode()
    assert claimed.isoformat() in page and "补录" in page and "纪要找到后补录" in page


def test_a_back_dated_completion_needs_a_reason(cast):
    m = _ready(cast, cast.a.measure)
    with pytest.raises(LedgerError, match="补录"):
        _step(m, cast.clerk_a, Action.SUBMIT, completed_on=TODAY() - datetime.timedelta(days=30))
    m = _step(
        m,
        cast.clerk_a,
        Action.SUBMIT,
        completed_on=TODAY() - datetime.timedelta(days=30),
        late_reason="系统上线前已完成",
    )
    assert m.completion_entered_late and m.completion_late_reason == "系统上线前已完成"


def test_extensions_keep_the_original_deadline(cast):
    m = cast.a.measure
    original = m.deadline
    with pytest.raises(LedgerError, match="晚于"):
        extension_request(measure=m, actor=cast.clerk_a, new_deadline=original, reason="来不及")
    request = extension_request(
        measure=m,
        actor=cast.clerk_a,
        new_deadline=original + datetime.timedelta(days=30),
        reason="需等待财政拨款",
    )
    with pytest.raises(LedgerError, match="等待审批"):
        extension_request(
            measure=m, actor=cast.clerk_a, new_deadline=original + datetime.timedelta(days=60), reason="再延"
        )
    with pytest.raises(LedgerError, match="角色"):
        extension_decide(extension=request, actor=cast.clerk_a, approve=True)
    with pytest.raises(LedgerError, match="理由"):
        extension_decide(extension=request, actor=cast.officer, approve=False)
    extension_decide(extension=request, actor=cast.officer, approve=True, note="同意")
    m.refresh_from_db()
    assert m.deadline == original + datetime.timedelta(days=30)
    assert m.original_deadline == original
    assert DeadlineExtension.objects.get().status == "approved"


def test_the_lead_department_signs_for_its_measures(client, cast):
    department_clerk = _user("dept_clerk", (cast.a.department, Role.UNIT_STAFF))
    with pytest.raises(LedgerError, match="牵头部门"):
        measure_acknowledge(measure=cast.a.measure, actor=cast.clerk_a)
    first = measure_acknowledge(measure=cast.a.measure, actor=department_clerk)
    again = measure_acknowledge(measure=cast.a.measure, actor=department_clerk)
    assert first.pk == again.pk and first.department == cast.a.department
    client.force_login(department_clerk)
    page = client.get(reverse("ledger:problem_detail", args=[cast.a.problem.pk])).content.decode()
    assert "甲社区办公室已签收" in page


def test_a_refused_transition_through_the_page_says_why(client, cast):
    client.force_login(cast.leader_a)
    m = cast.a.measure
    response = client.post(
        reverse("ledger:transition", args=[m.pk]),
        {f"t{m.pk}-action": "close", f"t{m.pk}-version": m.version},
        HTTP_HX_REQUEST="true",
    )
    assert "不能" in response.content.decode() or "角色" in response.content.decode()
    m.refresh_from_db()
    assert m.status == MeasureStatus.IN_PROGRESS


def test_a_stale_transition_is_refused(cast):
    m = _ready(cast, cast.a.measure)
    old = m.version
    _step(m, cast.clerk_a, Action.SUBMIT)
    with pytest.raises(LedgerError, match="已被他人修改"):
        measure_transition(measure=m, actor=cast.leader_a, action=Action.CONFIRM, expected_version=old)
    assert Measure.objects.get(pk=m.pk).status == MeasureStatus.SUBMITTED
