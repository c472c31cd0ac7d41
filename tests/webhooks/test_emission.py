"""Events emitted by the real services reach the endpoints in scope only, in the same transaction,
and are handed to the worker after the commit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from zhenggai.comments import services as comments
from zhenggai.ledger.models import Measure, MeasureStatus
from zhenggai.ledger.services import measure_create, progress_record
from zhenggai.ledger.transitions import measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.reminders.services import run_daily_reminders
from zhenggai.reports import issuing
from zhenggai.webhooks.delivery import delivery_attempt
from zhenggai.webhooks.models import Delivery, Event, EventKind
from zhenggai.webhooks.overdue import overdue_emit
from zhenggai.webhooks.services import endpoint_create


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch):
    monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)


def _reached(kind: str) -> set[str]:
    return {
        d.endpoint.url.rsplit("/", 1)[1]
        for d in Delivery.objects.filter(event__kind=kind).select_related("endpoint")
    }


def test_a_transition_reaches_its_unit_and_office_not_the_other_unit(
    cast, endpoints, receiver, django_capture_on_commit_callbacks
):
    measure = cast.a.measure
    with django_capture_on_commit_callbacks(execute=True):
        measure_transition(
            measure=measure,
            actor=cast.clerk_a,
            action=Action.SUBMIT,
            expected_version=measure.version,
            reason="材料在档案室",
        )
    assert _reached(EventKind.MEASURE_STATUS) == {"a", "office"}
    event = Event.objects.get(kind=EventKind.MEASURE_STATUS)
    assert event.payload["round"]["id"] == cast.a.round.pk
    data = event.payload["data"]
    assert (data["from"], data["to"], data["action"]) == (
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.SUBMITTED,
        "submit",
    )
    assert data["measure"]["id"] == measure.pk and data["measure"]["status_label"]
    queued = sorted(r.args[0] for r in default_task_backend.results)
    assert queued == sorted(Delivery.objects.values_list("pk", flat=True))
    for pk in queued:
        delivery_attempt(delivery_id=pk)
    assert sorted(r.path for r in receiver.requests) == ["/a", "/office"]


def test_a_refused_transition_leaves_no_delivery(cast, endpoints):
    from zhenggai.ledger.errors import LedgerError

    with pytest.raises(LedgerError):
        measure_transition(
            measure=cast.a.measure,
            actor=cast.clerk_a,
            action=Action.CLOSE,
            expected_version=cast.a.measure.version,
        )
    assert not Delivery.objects.exists() and not Event.objects.exists()


def test_an_endpoint_hears_only_the_events_it_chose(cast, receiver):
    endpoint_create(
        organisation=cast.a.unit,
        actor=cast.leader_a,
        url=receiver.url("/c"),
        events=[EventKind.COMMENT_RECEIVED],
    )
    measure_transition(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        action=Action.SUBMIT,
        expected_version=cast.a.measure.version,
        reason="材料在档案室",
    )
    assert not Event.objects.exists()


def test_a_first_progress_note_that_starts_the_work_is_a_status_change(cast, endpoints):
    measure = measure_create(
        problem=cast.b.problem, actor=None, text="新措施。", status=MeasureStatus.NOT_STARTED
    )
    progress_record(measure=measure, actor=cast.clerk_b, happened_on=timezone.localdate(), text="已开始。")
    assert _reached(EventKind.MEASURE_STATUS) == {"b", "office"}
    data = Event.objects.get().payload["data"]
    assert (data["from"], data["to"]) == (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS)


def test_a_comment_from_the_public_reaches_the_rounds_endpoints_without_who_wrote_it(cast, endpoints):
    call = comments.call_open(round_=cast.b.round, actor=cast.clerk_b, invitation="请提意见", closes_on=None)
    comments.comment_submit(
        call=call, text="路灯还没修。", name="张三", contact="13800000000", logged_in=False, network="n"
    )
    assert _reached(EventKind.COMMENT_RECEIVED) == {"b", "office"}
    payload = Event.objects.get().payload
    assert payload["data"]["comment"]["text"] == "路灯还没修。"
    assert "张三" not in str(payload) and "13800000000" not in str(payload)


def test_an_issued_report_reaches_the_rounds_endpoints(cast, endpoints):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind="progress")
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    assert not Event.objects.exists()  # drafting and signing off are not issuing
    issued = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    assert _reached(EventKind.REPORT_ISSUED) == {"a", "office"}
    data = Event.objects.get().payload["data"]["report"]
    assert (data["id"], data["number"]) == (issued.pk, 1)


def test_a_group_or_a_parent_sees_what_its_subtree_sees(cast, receiver):
    from zhenggai.orgs.models import OrgKind
    from zhenggai.orgs.services import organisation_create

    other_office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    for org, path in ((cast.group, "/group"), (other_office, "/other")):
        endpoint_create(
            organisation=org, actor=None, url=receiver.url(path), events=[EventKind.MEASURE_STATUS]
        )
    measure_transition(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        action=Action.SUBMIT,
        expected_version=cast.a.measure.version,
        reason="材料在档案室",
    )
    assert _reached(EventKind.MEASURE_STATUS) == {"group"}


def test_overdue_is_told_once_per_measure_and_deadline(cast, endpoints):
    today = timezone.localdate()
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=today - datetime.timedelta(days=1))
    run_daily_reminders(today=today)  # the daily run emits it
    assert _reached(EventKind.MEASURE_OVERDUE) == {"a", "office"}
    assert Event.objects.get().payload["data"]["days_overdue"] == 1
    assert overdue_emit(today=today + datetime.timedelta(days=1)) == 0  # the same deadline: once
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=today)  # more time, passed again
    assert overdue_emit(today=today + datetime.timedelta(days=1)) == 1
    assert Event.objects.filter(kind=EventKind.MEASURE_OVERDUE).count() == 2


def test_a_measure_done_or_long_overdue_is_not_told_overdue(cast, endpoints):
    today = timezone.localdate()
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=today - datetime.timedelta(days=60))
    Measure.objects.filter(pk=cast.b.measure.pk).update(
        deadline=today - datetime.timedelta(days=1), status=MeasureStatus.CLOSED
    )
    assert overdue_emit(today=today) == 0


def test_without_endpoints_nothing_is_written(cast):
    measure_transition(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        action=Action.SUBMIT,
        expected_version=cast.a.measure.version,
        reason="材料在档案室",
    )
    assert overdue_emit(today=timezone.localdate()) == 0
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_an_office_above_a_unit_that_does_not_follow_its_round_hears_nothing(cast, receiver):
    from zhenggai.ledger.services import round_create
    from zhenggai.orgs.models import OrgKind
    from zhenggai.orgs.services import organisation_create

    county = organisation_create(name="镇巡察办", kind=OrgKind.INSPECTION_OFFICE)
    parent_unit = organisation_create(name="某街道", kind=OrgKind.UNIT, parent=county)
    unit = organisation_create(name="某社区", kind=OrgKind.UNIT, parent=parent_unit)
    round_ = round_create(
        actor=None,
        title="某社区巡察整改",
        office=cast.office,
        inspected_unit=unit,
        feedback_date=timezone.localdate(),
    )
    for org, path in ((county, "/county"), (parent_unit, "/parent"), (unit, "/unit")):
        endpoint_create(
            organisation=org, actor=None, url=receiver.url(path), events=[EventKind.COMMENT_RECEIVED]
        )
    call = comments.call_open(round_=round_, actor=cast.clerk_a, invitation="请提意见", closes_on=None)
    comments.comment_submit(call=call, text="好", name="", contact="", logged_in=False, network="n")
    assert _reached(EventKind.COMMENT_RECEIVED) == {"parent", "unit"}


def test_a_failure_of_the_overdue_emission_does_not_stop_the_reminders(cast, endpoints, monkeypatch, caplog):
    def broken(today):
        raise RuntimeError("database away")

    monkeypatch.setattr("zhenggai.webhooks.overdue._emit_new", broken)
    today = timezone.localdate()
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=today - datetime.timedelta(days=1))
    summary = run_daily_reminders(today=today)
    assert summary.events_created > 0  # the ladder's steps were still recorded
    assert "could not be emitted" in caplog.text and not Event.objects.exists()
