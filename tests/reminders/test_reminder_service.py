"""run_daily_reminders: retries, policies, who is told, and what is never sent."""

from __future__ import annotations

import datetime

import pytest
from _reminder_support import DEADLINE, WECOM_URL, on
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import measure_create
from zhenggai.orgs.services import person_create
from zhenggai.reminders.ladder import DONE_STATES
from zhenggai.reminders.models import (
    Contact,
    Digest,
    DigestStatus,
    EscalationPolicy,
    GroupRobot,
    Notice,
    ReminderEvent,
    UnitPrincipal,
)
from zhenggai.reminders.services import MAX_ATTEMPTS, run_daily_reminders

DAY = datetime.timedelta(days=1)


def run(day: datetime.date, hour: int = 9):
    with on(day, hour):
        return run_daily_reminders(today=day)


def told(level: str | None = None) -> list[str]:
    """The names told, optionally of one step, as `role:name`."""
    events = ReminderEvent.objects.select_related("person", "user").order_by("pk")
    if level:
        events = events.filter(level=level)
    return [f"{e.role}:{e.person.name if e.person else e.user.username}" for e in events]


def test_a_failing_webhook_is_retried_next_run_but_mail_and_notice_are_not_repeated(ladder, robots):
    day = DEADLINE - 20 * DAY
    robots.failing.add(WECOM_URL)
    summary = run(day)
    assert summary.sent == {"inapp": 1, "email": 1} and summary.failed == {"wecom": 1}
    failed = Digest.objects.get(channel="wecom")
    assert failed.status == DigestStatus.FAILED and "TimeoutError" in failed.last_error

    robots.failing.clear()
    summary = run(day, hour=15)
    assert summary.sent == {"wecom": 1} and summary.events_created == 0
    assert len(robots.calls) == 1 and len(mail.outbox) == 1 and Notice.objects.count() == 1
    failed.refresh_from_db()
    assert failed.status == DigestStatus.SENT and failed.attempts == 2

    run(day + DAY)
    assert len(robots.calls) == 1 and len(mail.outbox) == 1


def test_a_digest_that_keeps_failing_is_given_up_after_a_few_attempts(ladder, robots):
    robots.failing.add(WECOM_URL)
    day = DEADLINE - 20 * DAY
    for n in range(MAX_ATTEMPTS + 2):
        run(day + n * DAY)
    digest = Digest.objects.get(channel="wecom")
    assert digest.status == DigestStatus.FAILED and digest.attempts == MAX_ATTEMPTS


def test_a_robot_switched_off_after_a_failure_is_skipped_not_retried(ladder, robots):
    robots.failing.add(WECOM_URL)
    run(DEADLINE - 20 * DAY)
    GroupRobot.objects.update(active=False)
    robots.failing.clear()
    summary = run(DEADLINE - 19 * DAY)
    assert summary.skipped == 1 and robots.calls == []
    assert Digest.objects.get(channel="wecom").status == DigestStatus.SKIPPED


def test_an_offices_policy_changes_the_ladder(ladder, robots):
    EscalationPolicy.objects.create(
        office=ladder.cast.office, green_days=30, yellow_days=15, notify_office_when_overdue=False
    )
    run(DEADLINE - 31 * DAY)
    assert told() == []
    run(DEADLINE - 25 * DAY)  # inside 30 days: green, which the default ladder would not send yet
    assert told("green") == ["doer:张三"]
    run(DEADLINE - 15 * DAY)
    assert told("yellow") == ["doer:张三", "leader:甲社区分管领导"]
    run(DEADLINE + DAY)
    assert told("red") == ["doer:张三", "leader:甲社区分管领导", "principal:leader_a"]  # not the office
    assert not Notice.objects.filter(user=ladder.cast.officer).exists()


def test_a_parent_offices_policy_covers_its_sub_offices_and_can_switch_reminders_off(ladder, robots):
    EscalationPolicy.objects.create(office=ladder.cast.office, enabled=False)
    round_ = ladder.cast.a.round
    round_.office = ladder.cast.group  # a node under the office that has no policy of its own
    round_.save(update_fields=["office"])
    run(DEADLINE + DAY)
    assert told() == [] and mail.outbox == []


@pytest.mark.parametrize("status", sorted(DONE_STATES))
def test_a_finished_measure_gets_no_reminders(ladder, robots, status):
    Measure.objects.filter(pk=ladder.measure.pk).update(status=status)
    for day in (DEADLINE - 20 * DAY, DEADLINE - 5 * DAY, DEADLINE + 3 * DAY):
        run(day)
    assert told() == [] and mail.outbox == [] and robots.calls == []


def test_a_measure_finished_after_the_green_notice_hears_nothing_more(ladder, robots):
    run(DEADLINE - 20 * DAY)
    Measure.objects.filter(pk=ladder.measure.pk).update(status=sorted(DONE_STATES)[0])
    run(DEADLINE + DAY)
    assert told() == ["doer:张三"] and len(mail.outbox) == 1


def test_an_extended_deadline_starts_the_ladder_again(ladder, robots):
    run(DEADLINE + DAY)
    assert len(told("red")) == 4
    new_deadline = DEADLINE + 30 * DAY
    Measure.objects.filter(pk=ladder.measure.pk).update(deadline=new_deadline)
    run(DEADLINE + 2 * DAY)  # 28 days to go: nothing yet
    assert len(told()) == 4
    run(new_deadline - 20 * DAY)
    assert told("green") == ["doer:张三"]
    assert ReminderEvent.objects.get(level="green").deadline == new_deadline
    run(new_deadline + DAY)
    assert len(told("red")) == 8  # the same four people, for the new deadline


def test_an_overdue_measure_is_reminded_of_again_every_week_until_it_is_done(ladder, robots):
    """So that a slipped deadline does not go quiet after one red notice (逾期不能只提醒一次)."""
    for offset in range(1, 23):  # a run every day for three weeks and a day
        run(DEADLINE + offset * DAY)
    reds = ReminderEvent.objects.filter(level="red", role="doer").order_by("pk")
    assert [((e.created_on - DEADLINE).days, e.repeat, e.days_left) for e in reds] == [
        (1, 0, -1),
        (8, 1, -8),
        (15, 2, -15),
        (22, 3, -22),
    ]
    assert told("red") == ["doer:张三", "leader:甲社区分管领导", "principal:leader_a", "office:officer"] * 4
    doer_mail = [m.body for m in mail.outbox if "张三" in m.body and "红灯" in m.body]
    assert len(doer_mail) == 4 and "已逾期8天" in doer_mail[1] and "已逾期22天" in doer_mail[3]
    Measure.objects.filter(pk=ladder.measure.pk).update(status=sorted(DONE_STATES)[0])
    for offset in range(23, 40):
        run(DEADLINE + offset * DAY)
    assert ReminderEvent.objects.filter(level="red").count() == 16


def test_missed_runs_do_not_bring_a_flood_of_overdue_reminders(ladder, robots):
    for offset in (1, 10, 30):
        run(DEADLINE + offset * DAY)
    reds = ReminderEvent.objects.filter(level="red", role="doer").order_by("pk")
    assert [(e.repeat, e.days_left) for e in reds] == [(0, -1), (1, -10), (4, -30)]


def test_an_office_can_send_the_overdue_reminder_once_or_less_often(ladder, robots):
    policy = EscalationPolicy.objects.create(office=ladder.cast.office, red_repeat_days=0)
    for offset in range(1, 30):
        run(DEADLINE + offset * DAY)
    assert len(told("red")) == 4
    policy.red_repeat_days = 14
    policy.save()
    run(DEADLINE + 30 * DAY)  # (30 - 1) // 14 = 2: a second round of red notices, not a flood
    assert len(told("red")) == 8


def test_a_measure_without_a_doer_reminds_the_units_clerks(cast, robots):
    Measure.objects.filter(pk=cast.a.measure.pk).update(deadline=DEADLINE)
    Measure.objects.filter(pk=cast.b.measure.pk).update(deadline=DEADLINE + 100 * DAY)
    run(DEADLINE - 20 * DAY)
    assert told() == ["clerk:clerk_a"]
    notice = Notice.objects.get()
    assert notice.user == cast.clerk_a and "身份：台账联络员" in notice.body
    assert mail.outbox == []  # clerk_a has no e-mail address


def test_the_configured_principal_leader_is_told_instead_of_every_unit_leader(ladder, robots):
    principal = person_create(name="王书记", organisation=ladder.cast.a.unit, title="党工委书记")
    Contact.objects.create(person=principal, email="wang@a.example.cn")
    UnitPrincipal.objects.create(unit=ladder.cast.a.unit, person=principal)
    run(DEADLINE + DAY)
    assert "principal:王书记" in told("red") and "principal:leader_a" not in told("red")
    assert "wang@a.example.cn" in [m.to[0] for m in mail.outbox]


def test_a_person_who_is_both_doer_and_leader_is_told_once(ladder, robots):
    Measure.objects.filter(pk=ladder.measure.pk).update(responsible_leader=ladder.doer)
    run(DEADLINE - 10 * DAY)
    assert told() == ["doer:张三"]
    assert len(mail.outbox) == 1


def test_inactive_logins_are_not_told(ladder, robots):
    ladder.cast.officer.is_active = False
    ladder.cast.officer.save(update_fields=["is_active"])
    run(DEADLINE + DAY)
    assert "office:officer" not in told()


def test_several_measures_make_one_digest_a_day_with_the_red_first(ladder, robots):
    measure_create(
        problem=ladder.cast.a.problem,
        actor=None,
        text="开展会议记录专项检查。",
        doer=ladder.doer,
        deadline=DEADLINE - 12 * DAY,
        status="in_progress",
    )
    run(DEADLINE - 10 * DAY)
    [message] = [m for m in mail.outbox if m.to == ["zhangsan@a.example.cn"]]
    assert message.subject == "【整改提醒】您有2项整改措施临近时限或已逾期"
    assert message.body.index("红灯：已逾期2天") < message.body.index("黄灯：还剩10天")
    assert Notice.objects.get(user=ladder.cast.clerk_a).events.count() == 2


def test_events_found_after_the_days_digest_wait_for_the_next_days(ladder, robots):
    day = DEADLINE - 20 * DAY
    run(day)
    late = measure_create(
        problem=ladder.cast.a.problem,
        actor=None,
        text="完善会议记录归档。",
        doer=ladder.doer,
        deadline=day + 5 * DAY,
        status="in_progress",
    )
    summary = run(day, hour=18)
    assert summary.events_created == 1 and summary.sent == {}
    mail.outbox.clear()
    run(day + DAY)
    [message] = mail.outbox
    assert "完善会议记录归档" in message.body and "建立会议记录" not in message.body
    assert Notice.objects.filter(user=ladder.cast.clerk_a, day=day + DAY).get().events.get().measure == late


def test_a_digest_claimed_by_another_run_is_not_sent_again_until_the_claim_is_stale(ladder, robots):
    day = DEADLINE - 20 * DAY
    robots.failing.add(WECOM_URL)
    run(day)
    robots.failing.clear()
    with on(day, 10):
        Digest.objects.filter(channel="wecom").update(status=DigestStatus.SENDING, claimed_at=timezone.now())
    run(day, hour=10)  # another run is sending it right now
    assert robots.calls == []
    run(day, hour=11)  # an hour later: that run died mid-send
    assert len(robots.calls) == 1


@pytest.mark.skipif(
    not any(f.name == "next_check_on" for f in Measure._meta.get_fields()), reason="no next_check_on yet"
)
def test_a_long_term_measure_is_rechecked_when_its_check_date_comes(ladder, robots):
    check_on = DEADLINE + 40 * DAY  # unit B's measure is still 60 days off
    Measure.objects.filter(pk=ladder.measure.pk).update(
        status="closed", long_term=True, kind="long_term", next_check_on=check_on
    )
    run(check_on - DAY)
    assert told() == []
    run(check_on)
    # The office checks it again (复查), so it hears of it too.
    assert told("recheck") == ["doer:张三", "leader:甲社区分管领导", "office:officer"]
    assert {m.subject for m in mail.outbox} == {"【整改提醒】您有1项整改措施到了复查日期"}
    run(check_on + DAY)
    assert len(told()) == 3


def test_a_runs_queries_do_not_grow_with_the_measures(ladder, robots):
    day = DEADLINE - 10 * DAY

    def queries_with(extra: int) -> int:
        for model in (Notice, Digest, ReminderEvent):
            model.objects.all().delete()
        for n in range(extra):
            measure_create(
                problem=ladder.cast.a.problem, actor=None, text=f"措施{extra}-{n}", doer=ladder.doer,
                responsible_leader=ladder.leader, deadline=DEADLINE, status="in_progress",
            )  # fmt: skip
        with on(day), CaptureQueriesContext(connection) as ctx:
            run_daily_reminders(today=day)
        return len(ctx.captured_queries)

    assert queries_with(10) == queries_with(2)


def test_a_policy_cannot_tell_the_leader_before_the_first_notice(cast):
    policy = EscalationPolicy(office=cast.office, green_days=5, yellow_days=10)
    with translation.override("en"), pytest.raises(ValidationError, match="use fewer days"):
        policy.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        policy.save()
