"""Imported statuses are claims, and nobody closes what they entered, submitted or confirmed."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from _ledger_support import measure_in_state
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Measure, MeasureStatus
from zhenggai.ledger.services import evidence_attach, measure_create, progress_record, round_import_ledger
from zhenggai.ledger.transitions import available_actions, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant

TODAY = datetime.date.today


def _ledger(*measures: dict, status_text: str | None = None) -> dict:
    return {
        "schema": "zhenggai.ledger/1",
        "title": "甲社区整改台账",
        "round": {"kind": "巡察"},
        "sections": [
            {
                "label": "一、",
                "number": 1,
                "level": 1,
                "title": "党的建设方面",
                "problem": "会议记录不规范。",
                "status": None,
                "status_text": status_text,
                "measures": list(measures),
                "children": [],
            }
        ],
    }


def _import(cast, actor, *measures: dict, status_text: str | None = None) -> list[Measure]:
    round_ = round_import_ledger(
        ledger=_ledger(*measures, status_text=status_text),
        office=cast.office,
        inspected_unit=cast.a.unit,
        inspecting_group=cast.group,
        actor=actor,
    )
    return list(round_.measures.order_by("position"))


def _user(name, *grants):
    user = get_user_model().objects.create_user(name, password="x-test-password-1")
    for org, role in grants:
        membership_grant(user=user, organisation=org, role=role)
    return user


def _step(measure, actor, action, **kwargs):
    measure.refresh_from_db()
    return measure_transition(
        measure=measure, actor=actor, action=action, expected_version=measure.version, **kwargs
    )


def _ready(measure, clerk):
    progress_record(measure=measure, actor=clerk, happened_on=TODAY(), text="制度已印发")
    evidence_attach(measure=measure, actor=clerk, name="制度.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n"))


# --- Imported statuses are claims ------------------------------------------------------------------


def test_a_document_saying_done_makes_a_measure_in_progress_that_claims_it(cast):
    done, going, waiting, silent = _import(
        cast,
        cast.clerk_a,
        {"text": "建立会议记录当场签字制度。", "status": "done"},
        {"text": "逐本核查会议记录。", "status": "in_progress"},
        {"text": "开展专题培训。", "status": "not_started"},
        {"text": "定期抽查。", "status": None},
        status_text="已整改完毕",
    )
    assert (done.status, done.claimed_status, done.claimed_text) == ("in_progress", "done", "已整改完毕")
    assert (going.status, going.claimed_status) == ("in_progress", "in_progress")
    assert (waiting.status, waiting.claimed_status) == ("not_started", "not_started")
    assert (silent.status, silent.claimed_status, silent.claimed_text) == ("not_started", "", "")
    assert done.submitted_by_id is None and done.completed_on is None
    assert {m.created_by_id for m in (done, going, waiting, silent)} == {cast.clerk_a.pk}


def test_the_import_confirm_close_path_that_skips_evidence_is_refused(cast):
    (measure,) = _import(cast, cast.clerk_a, {"text": "建立会议记录当场签字制度。", "status": "done"})
    with pytest.raises(LedgerError, match="状态"):  # not submitted: nothing to confirm
        _step(measure, cast.leader_a, Action.CONFIRM)
    with pytest.raises(LedgerError, match="状态"):
        _step(measure, cast.officer, Action.CLOSE)
    with pytest.raises(LedgerError, match="佐证材料"):  # submitting needs progress and evidence, or a reason
        _step(measure, cast.clerk_a, Action.SUBMIT)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS and measure.version == 1
    _ready(measure, cast.clerk_a)
    _step(measure, cast.clerk_a, Action.SUBMIT)
    _step(measure, cast.leader_a, Action.CONFIRM)
    assert _step(measure, cast.officer, Action.CLOSE).status == MeasureStatus.CLOSED


def test_a_measure_is_never_created_done(cast):
    for status in (MeasureStatus.SUBMITTED, MeasureStatus.CONFIRMED, MeasureStatus.CLOSED):
        with pytest.raises(LedgerError, match="申请销号"):
            measure_create(problem=cast.a.problem, actor=cast.clerk_a, text="已完成", status=status)
    assert not Measure.objects.filter(text="已完成").exists()


def test_the_claim_shows_on_the_card_and_in_the_ledger_while_open(client, cast):
    done, _going = _import(
        cast,
        cast.clerk_a,
        {"text": "建立会议记录当场签字制度。", "status": "done"},
        {"text": "逐本核查会议记录。", "status": "in_progress"},
        status_text="已整改完毕",
    )
    client.force_login(cast.officer)
    card = client.get(reverse("ledger:problem_detail", args=[done.problem_id])).content.decode()
    assert "报告称已完成" in card and "“已整改完毕”" in card and "报告称整改中" in card
    ledger = client.get(reverse("ledger:round_ledger", args=[done.round_id])).content.decode()
    claims = dict(re.findall(r'data-claim="(\w+)"[^>]*>([^<]+)<', ledger))
    assert claims == {"done": "报告称已完成", "in_progress": "报告称整改中"}
    assert 'class="badge claim" data-claim="done" title="导入文件中的说法，尚未经审核确认。"' in ledger
    # Once submitted, the ledger shows the state; the claim stays on the card.
    _ready(done, cast.clerk_a)
    _step(done, cast.clerk_a, Action.SUBMIT)
    ledger = client.get(reverse("ledger:round_ledger", args=[done.round_id])).content.decode()
    assert 'data-claim="done"' not in ledger
    card = client.get(reverse("ledger:problem_detail", args=[done.problem_id])).content.decode()
    assert "报告称已完成" in card


# --- Separation of duties on the person ------------------------------------------------------------


@pytest.fixture
def both(cast):
    """One person with a unit role and an office role over unit A."""
    return _user("both", (cast.a.unit, Role.UNIT_STAFF), (cast.office, Role.OFFICE_STAFF))


def test_nobody_closes_their_own_import(cast, both):
    (measure,) = _import(cast, both, {"text": "建立会议记录当场签字制度。", "status": "done"})
    _ready(measure, cast.clerk_a)
    _step(measure, cast.clerk_a, Action.SUBMIT)
    _step(measure, cast.leader_a, Action.CONFIRM)
    measure.refresh_from_db()
    assert measure.created_by == both and Action.CLOSE not in available_actions(both, measure)
    with pytest.raises(LedgerError, match="录入或导入"):
        _step(measure, both, Action.CLOSE)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CONFIRMED
    assert Action.CLOSE in available_actions(cast.officer, measure)
    assert _step(measure, cast.officer, Action.CLOSE).status == MeasureStatus.CLOSED


def test_nobody_closes_their_own_submission(cast, both):
    measure = cast.a.measure
    _ready(measure, both)
    _step(measure, both, Action.SUBMIT)
    _step(measure, cast.leader_a, Action.CONFIRM)
    measure.refresh_from_db()
    assert Action.CLOSE not in available_actions(both, measure)
    with pytest.raises(LedgerError, match="申请销号的人"):
        _step(measure, both, Action.CLOSE)


def test_nobody_closes_what_they_confirmed(cast):
    leader_and_officer = _user("lo", (cast.a.unit, Role.UNIT_LEADER), (cast.office, Role.OFFICE_STAFF))
    measure = cast.a.measure
    _ready(measure, cast.clerk_a)
    _step(measure, cast.clerk_a, Action.SUBMIT)
    _step(measure, leader_and_officer, Action.CONFIRM)
    measure.refresh_from_db()
    assert measure.confirmed_by == leader_and_officer
    assert Action.CLOSE not in available_actions(leader_and_officer, measure)
    with pytest.raises(LedgerError, match="审核"):
        _step(measure, leader_and_officer, Action.CLOSE)
    assert _step(measure, cast.officer, Action.CLOSE).status == MeasureStatus.CLOSED


def test_the_submitter_does_not_confirm_for_the_unit(cast):
    clerk_and_leader = _user("cl", (cast.a.unit, Role.UNIT_STAFF), (cast.a.unit, Role.UNIT_LEADER))
    measure = cast.a.measure
    _ready(measure, clerk_and_leader)
    _step(measure, clerk_and_leader, Action.SUBMIT)
    measure.refresh_from_db()
    assert available_actions(clerk_and_leader, measure) == [Action.SEND_BACK]
    with pytest.raises(LedgerError, match="本单位另一人"):
        _step(measure, clerk_and_leader, Action.CONFIRM)
    assert _step(measure, cast.leader_a, Action.CONFIRM).status == MeasureStatus.CONFIRMED


def test_a_return_forgets_who_confirmed(cast):
    measure = cast.a.measure
    _ready(measure, cast.clerk_a)
    _step(measure, cast.clerk_a, Action.SUBMIT)
    _step(measure, cast.leader_a, Action.CONFIRM)
    measure = _step(measure, cast.officer, Action.RETURN, reason="佐证材料不足")
    assert (measure.confirmed_by, measure.submitted_by) == (None, None)


def test_the_card_says_why_closing_is_not_offered(client, cast, both):
    measure = cast.a.measure
    _ready(measure, both)
    _step(measure, both, Action.SUBMIT)
    _step(measure, cast.leader_a, Action.CONFIRM)
    client.force_login(both)
    page = client.get(reverse("ledger:problem_detail", args=[measure.problem_id])).content.decode()
    assert 'data-testid="withheld"' in page and "申请销号的人不能自己销号" in page
    assert 'data-action="close"' not in page
    response = client.post(
        reverse("ledger:transition", args=[measure.pk]),
        {f"t{measure.pk}-action": "close", f"t{measure.pk}-version": measure.version + 2},
        HTTP_HX_REQUEST="true",
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CONFIRMED and response.status_code == 200


def test_claims_an_earlier_import_took_for_submissions_are_reopened_once(client, cast):
    from django.core.management import call_command

    submitted = measure_in_state(cast.a.problem, MeasureStatus.SUBMITTED, text="旧导入甲")
    confirmed = measure_in_state(cast.a.problem, MeasureStatus.CONFIRMED, text="旧导入乙")
    closed = measure_in_state(cast.a.problem, MeasureStatus.CLOSED, text="旧导入丙")
    backed = cast.a.measure
    _ready(backed, cast.clerk_a)
    _step(backed, cast.clerk_a, Action.SUBMIT)
    out = io.StringIO()
    call_command("reopen_imported_claims", stdout=out)
    for measure in (submitted, confirmed):
        measure.refresh_from_db()
        assert (measure.status, measure.claimed_status, measure.version) == ("in_progress", "done", 2)
    closed.refresh_from_db()
    backed.refresh_from_db()
    assert (closed.status, backed.status) == ("closed", "submitted")
    entries = _reopened_claims()
    assert sorted(int(e.object_id) for e in entries) == sorted([submitted.pk, confirmed.pk])
    assert str(closed.pk) in out.getvalue().split("review:")[1]
    client.force_login(cast.officer)
    timeline = client.get(reverse("history:measure", args=[submitted.pk])).content.decode()
    assert "报告所称状态" in timeline and "已完成，申请销号 → 整改中" in timeline
    call_command("reopen_imported_claims", stdout=io.StringIO())  # a second run changes nothing
    assert len(_reopened_claims()) == 2


def _reopened_claims() -> list:
    from zhenggai.history.models import HistoryEntry

    # The payload column is canonical text, with no JSON lookups (history.models.ChainPayloadField).
    return [e for e in HistoryEntry.objects.all() if e.payload.get("transition") == "reopen_claim"]
