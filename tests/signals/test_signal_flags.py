"""Each signal raised (and not raised) on hand-made measures, kept up to date by the ledger's writes."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from zhenggai.ledger.models import Measure, MeasureStatus, ProgressEntry
from zhenggai.ledger.services import evidence_attach, measure_update, progress_record, round_update
from zhenggai.signals.models import SignalFlag, SignalKey
from zhenggai.signals.services import flags_rebuild, flags_refresh

TODAY = datetime.date.today()


def keys(measure: Measure) -> set[str]:
    return set(SignalFlag.objects.filter(measure=measure).values_list("key", flat=True))


def test_a_slogan_is_flagged_and_a_concrete_measure_is_not(cast, add_measure):
    slogan = add_measure(cast.a, "进一步加强会议记录管理，切实提高思想认识。")
    assert SignalKey.SLOGAN in keys(slogan)
    assert SignalKey.SLOGAN not in keys(cast.a.measure)  # 建立会议记录当场签字制度


def test_editing_the_text_clears_the_flag(cast, add_measure):
    slogan = add_measure(cast.a, "进一步加强会议记录管理，切实提高思想认识。")
    measure_update(
        measure=slogan,
        actor=cast.clerk_a,
        expected_version=slogan.version,
        text="每月检查一次会议记录，由办公室专人负责。",
    )
    assert SignalKey.SLOGAN not in keys(slogan)


def test_a_copy_across_two_units_is_flagged_both_ways(cast, add_measure):
    text = "{unit}制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。"
    a = add_measure(cast.a, text.format(unit="甲社区"))
    b = add_measure(cast.b, text.format(unit="乙社区"))
    assert SignalFlag.objects.get(measure=a, key=SignalKey.COPY).partner_round_id == cast.b.round.pk
    assert SignalFlag.objects.get(measure=b, key=SignalKey.COPY).partner_round_id == cast.a.round.pk
    other = add_measure(cast.b, "对2023年以来的村级财务票据逐笔清查，追回违规报销费用。")
    assert SignalKey.COPY not in keys(other)


def test_a_near_copy_is_flagged(cast, add_measure):
    a = add_measure(cast.a, "制定会议记录管理办法，明确会议记录由办公室专人负责，每季度检查一次会议记录。")
    b = add_measure(cast.b, "制定会议记录管理办法，明确会议记录由党政办专人负责，每月检查一次会议记录。")
    assert SignalKey.COPY in keys(a) and SignalKey.COPY in keys(b)


def test_a_copy_flag_goes_when_the_copy_is_rewritten(cast, add_measure):
    text = "制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。"
    a = add_measure(cast.a, text)
    b = add_measure(cast.b, text)
    measure_update(
        measure=b, actor=cast.clerk_b, expected_version=b.version, text="对2023年以来的村级财务票据逐笔清查。"
    )
    assert SignalKey.COPY not in keys(a) and SignalKey.COPY not in keys(b)


def test_done_without_evidence_and_evidence_after_the_claim(cast, add_measure):
    bare = add_measure(cast.a, "建立会议记录当场签字制度，每月抽查。")
    backed = add_measure(cast.a, "建立会议记录归档制度，每月抽查。")
    late = add_measure(cast.a, "建立会议记录审核制度，每月抽查。")
    for m in (backed, late):
        evidence_attach(
            measure=m, actor=cast.clerk_a, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
        )
    now = timezone.now()
    Measure.objects.filter(pk__in=[bare.pk, backed.pk]).update(
        status=MeasureStatus.SUBMITTED, submitted_at=now
    )
    # The claim came a day before its evidence was uploaded.
    Measure.objects.filter(pk=late.pk).update(
        status=MeasureStatus.SUBMITTED, submitted_at=now - datetime.timedelta(days=1)
    )
    flags_refresh([cast.a.round.pk])
    assert SignalKey.NO_EVIDENCE in keys(bare) and SignalKey.EVIDENCE_LATE not in keys(bare)
    assert not keys(backed) & {SignalKey.NO_EVIDENCE, SignalKey.EVIDENCE_LATE}
    assert SignalKey.EVIDENCE_LATE in keys(late) and SignalKey.NO_EVIDENCE not in keys(late)
    # Not done: neither.
    assert not keys(cast.a.measure) & {SignalKey.NO_EVIDENCE, SignalKey.EVIDENCE_LATE}


def test_a_deadline_before_the_feedback(cast, add_measure):
    feedback = cast.a.round.feedback_date
    early = add_measure(cast.a, "建立会议记录归档制度。", deadline=feedback - datetime.timedelta(days=1))
    same_day = add_measure(cast.a, "建立会议记录审核制度。", deadline=feedback)
    assert SignalKey.DEADLINE_EARLY in keys(early)
    assert SignalKey.DEADLINE_EARLY not in keys(same_day)
    # The feedback date moved: the round's signals follow.
    round_update(
        round_=cast.a.round, actor=cast.officer, feedback_date=feedback - datetime.timedelta(days=10)
    )
    assert SignalKey.DEADLINE_EARLY not in keys(early)


def test_a_measure_unrelated_to_its_problem(cast, add_measure):
    unrelated = add_measure(
        cast.a,
        "修订《财务报销管理办法》，每季度抽查一次报销凭证。",
        title="公务用车管理不规范。",
        statement="存在私车公养、公车私用问题。",
    )
    related = add_measure(
        cast.a,
        "清理私车公养费用，修订《公务用车使用管理办法》。",
        title="公务用车管理不规范。",
        statement="存在私车公养、公车私用问题。",
    )
    assert SignalKey.UNRELATED in keys(unrelated)
    assert SignalKey.UNRELATED not in keys(related)
    assert SignalKey.UNRELATED not in keys(cast.a.measure)


def _progress(measure, actor, *recorded: datetime.datetime) -> None:
    for at in recorded:
        entry = progress_record(measure=measure, actor=actor, happened_on=TODAY, text="已推进。")
        ProgressEntry.objects.filter(pk=entry.pk).update(recorded_at=at)


def test_a_burst_of_progress_before_the_deadline(cast, add_measure):
    deadline = TODAY + datetime.timedelta(days=3)
    rushed = add_measure(cast.a, "建立会议记录归档制度，每月抽查。", deadline=deadline)
    steady = add_measure(cast.a, "建立会议记录审核制度，每月抽查。", deadline=deadline)
    near = timezone.now()
    _progress(
        rushed, cast.clerk_a, near - datetime.timedelta(days=2), near - datetime.timedelta(days=1), near
    )
    _progress(steady, cast.clerk_a, *(near - datetime.timedelta(days=30 * k) for k in (1, 2, 3, 0)))
    flags_refresh([cast.a.round.pk])
    assert SignalKey.BURST in keys(rushed)
    assert SignalKey.BURST not in keys(steady)
    detail = SignalFlag.objects.get(measure=rushed, key=SignalKey.BURST).detail
    assert detail["why"] == "deadline" and detail["count"] == 3


def test_one_sitting_on_many_measures_due_soon(cast, add_measure):
    deadline = TODAY + datetime.timedelta(days=2)
    due = [add_measure(cast.a, f"建立会议记录第{i}号制度。", deadline=deadline) for i in range(5)]
    for m in due:
        progress_record(measure=m, actor=cast.clerk_a, happened_on=TODAY, text="已完成。")
    assert all(SignalKey.BURST in keys(m) for m in due)
    assert SignalFlag.objects.get(measure=due[0], key=SignalKey.BURST).detail == {"sitting": 5}
    # The same sitting in unit B, on measures due in two months: nothing.
    later = [add_measure(cast.b, f"建立会议记录第{i}号制度。") for i in range(5)]
    for m in later:
        progress_record(measure=m, actor=cast.clerk_b, happened_on=TODAY, text="已完成。")
    assert not any(SignalKey.BURST in keys(m) for m in later)


def test_rebuild_gives_what_the_writes_gave(cast, add_measure):
    add_measure(cast.a, "进一步加强会议记录管理，切实提高思想认识。")
    text = "制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。"
    add_measure(cast.a, text)
    add_measure(cast.b, text)
    before = sorted(SignalFlag.objects.values_list("measure_id", "key", "partner_round_id"))
    SignalFlag.objects.all().delete()
    assert flags_rebuild() == 2
    assert sorted(SignalFlag.objects.values_list("measure_id", "key", "partner_round_id")) == before


def test_a_rebuild_of_exact_copies_only_leaves_near_copies_to_the_next_write(cast, add_measure):
    """`flags_rebuild(near_copies=False)` (the first count after a bulk load): word-for-word copies
    are flagged, near ones not until a write to their round, and copy flags stored already stay."""
    text = "制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。"
    exact_a, exact_b = add_measure(cast.a, text), add_measure(cast.b, text)
    near_a = add_measure(
        cast.a, "对村级财务票据逐笔清查，追回违规报销费用，建立财务公开台账，每季度公开一次。"
    )
    near_b = add_measure(cast.b, "对村级财务票据逐笔清查，追回违规报销费用，建立财务公开台账，每月公开一次。")
    assert SignalKey.COPY in keys(near_a) and SignalKey.COPY in keys(near_b)

    assert flags_rebuild(near_copies=False) == 2  # stored near copy flags are kept
    assert SignalKey.COPY in keys(near_a) and SignalKey.COPY in keys(near_b)

    SignalFlag.objects.all().delete()
    assert flags_rebuild(near_copies=False) == 2
    assert SignalKey.COPY in keys(exact_a) and SignalKey.COPY in keys(exact_b)
    assert SignalKey.COPY not in keys(near_a) and SignalKey.COPY not in keys(near_b)
    assert SignalKey.SLOGAN not in keys(exact_a)  # the other signals are all computed

    flags_refresh([cast.b.round.pk])  # the round's next write finds its near copies
    assert SignalKey.COPY in keys(near_a) and SignalKey.COPY in keys(near_b)
