"""The office's tally (ledger/tally.py): always equal to a recount, whatever the services do, and
the pages that read it give what a live count gives, on any day."""

from __future__ import annotations

import datetime
import io
import threading
from contextlib import contextmanager
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.sql import Query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.ledger import selectors, tally
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.lights import DONE, OPEN
from zhenggai.ledger.models import (
    InspectionRound,
    Measure,
    MeasureStatus,
    MeasureTally,
    OfficeTally,
    Problem,
    RoundKind,
    TallyClock,
    TallyKind,
)
from zhenggai.ledger.selectors import LedgerFilters
from zhenggai.ledger.services import (
    evidence_attach,
    import_subtree,
    measure_create,
    measure_update,
    problem_create,
    progress_record,
    round_update,
)
from zhenggai.ledger.tasks import roll_tally_over
from zhenggai.ledger.transitions import extension_decide, extension_request, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create
from zhenggai.signals.services import signal_rollup_differences
from zhenggai.taxonomy.services import problem_category_set

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
# Categories of the taxonomy's seed: two top-level ones and a sub-category of one of them.
CODES = ["finance", "finance.funds", "conduct"]


class _Undo(Exception):
    """Rolls an example back: hypothesis runs many in one test's database."""


@contextmanager
def live():
    """The selectors as they count without the tally."""
    with mock.patch.object(tally, "usable_clock", return_value=None):
        yield


def _filters(cast) -> list[LedgerFilters]:
    return [
        LedgerFilters(),
        LedgerFilters(light="red"),
        LedgerFilters(light="yellow", status="open"),
        LedgerFilters(status="done"),
        LedgerFilters(status=MeasureStatus.IN_PROGRESS, light="green"),
        LedgerFilters(category="finance"),
        LedgerFilters(department=cast.a.department.pk),
        LedgerFilters(department=cast.a.department.pk, light="red"),
        LedgerFilters(unit=cast.b.unit.pk, light="none"),
    ]


def _pages(cast, today: datetime.date, users: tuple = ()) -> list:
    """What the office's pages read, for each user of the cast (or `users`), as plain values."""
    seen = []
    for user in users or (cast.officer, cast.clerk_a, cast.clerk_b):
        for filters in _filters(cast):
            counts = selectors.ledger_counts(user, filters=filters, today=today)
            one = selectors.ledger_counts(user, round_=cast.a.round, filters=filters, today=today)
            seen.append((counts.total, counts.by_status, counts.by_light, counts.by_round))
            seen.append((one.total, one.by_status, one.by_light, one.by_round))
        seen.append(selectors.round_counts(user, today))
        overview = selectors.office_overview(user, today)
        seen.append((list(overview.rows[0:50]), overview.totals))
    return seen


def _assert_pages_equal_live(cast, today: datetime.date, users: tuple = ()) -> None:
    kept = _pages(cast, today, users)
    with live():
        counted = _pages(cast, today, users)
    assert kept == counted
    _assert_readers_equal_live(cast, today)


def _scalar(expression) -> int:
    """The value of an SQL expression that names no outer column (as 我的待办 reads it)."""
    query = Query(Measure)
    sql, params = query.get_compiler(connection=connection).compile(expression.resolve_expression(query))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


def _overdue_by_round(rounds, today: datetime.date) -> dict[int, int]:
    sql, params = tally.overdue_by_round_sql(rounds, today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {round_id: n for round_id, n in cursor.fetchall()}


def _assert_readers_equal_live(cast, today: datetime.date) -> None:
    """The tally as 我的待办 reads it inside its queries equals a count of the measures: every round,
    and each round alone."""
    everyone = InspectionRound.objects.order_by().values("pk")
    scopes = [everyone, *(everyone.filter(pk=pk) for pk in (cast.a.round.pk, cast.b.round.pk))]
    for rounds in scopes:
        measures = Measure.objects.filter(round_id__in=rounds)
        for status in DONE:
            assert _scalar(tally.done_count_sql(rounds, status)) == measures.filter(status=status).count()
        red = measures.filter(status__in=OPEN, deadline__lt=today).values("round_id").annotate(n=Count("pk"))
        assert _overdue_by_round(rounds, today) == {row["round_id"]: row["n"] for row in red}


# --- Random sequences of the services --------------------------------------------------------------


def _deadline(offset: int | None) -> datetime.date | None:
    return None if offset is None else TODAY + offset * DAY


def _departments(cast, choice: int):
    second = cast.a.unit.children.exclude(pk=cast.a.department.pk).first()
    return [[], [cast.a.department], [second], [cast.a.department, second]][choice]


def _step(cast, data) -> None:
    """One call of a service, chosen and filled by hypothesis; a refusal is a step too."""
    measures = list(Measure.objects.order_by("pk"))
    operation = data.draw(
        st.sampled_from(
            [
                "create",
                "transition",
                "deadline",
                "departments",
                "extension",
                "import",
                "progress",
                "evidence",
                "problem",
                "category",
                "long_term",
                "round",
            ]
        )
    )
    offsets = st.one_of(st.none(), st.integers(-15, 25))
    measure = data.draw(st.sampled_from(measures))
    if operation == "create":
        problem = data.draw(st.sampled_from([cast.a.problem, cast.b.problem, cast.a.section]))
        measure_create(
            problem=problem,
            actor=None,
            text="新增措施",
            deadline=_deadline(data.draw(offsets)),
            status=data.draw(st.sampled_from([MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS])),
            lead_department=data.draw(st.sampled_from([None, cast.a.department, cast.b.department])),
            cooperating_departments=_departments(cast, data.draw(st.integers(0, 3))),
        )
    elif operation == "transition":
        action, actor = data.draw(
            st.sampled_from(
                [
                    (Action.SUBMIT, cast.clerk_a),
                    (Action.CONFIRM, cast.leader_a),
                    (Action.SEND_BACK, cast.leader_a),
                    (Action.CLOSE, cast.officer),
                    (Action.RETURN, cast.officer),
                    (Action.START, cast.clerk_a),
                ]
            )
        )
        measure_transition(
            measure=measure, actor=actor, action=action, expected_version=None, reason="书面说明：已整改。"
        )
    elif operation == "deadline":
        measure_update(
            measure=measure,
            actor=None,
            expected_version=measure.version,
            deadline=_deadline(data.draw(offsets)),
        )
    elif operation == "departments":
        measure_update(
            measure=measure,
            actor=None,
            expected_version=measure.version,
            lead_department=data.draw(st.sampled_from([None, cast.a.department])),
            cooperating_departments=_departments(cast, data.draw(st.integers(0, 3))),
        )
    elif operation == "extension":
        asked = extension_request(
            measure=measure,
            actor=cast.clerk_a,
            new_deadline=(measure.deadline or TODAY) + data.draw(st.integers(1, 20)) * DAY,
            reason="需要更多时间",
        )
        extension_decide(extension=asked, actor=cast.officer, approve=True)
    elif operation == "import":
        node = {
            "label": "二、",
            "title": "财务管理方面",
            "problem": "财务票据管理不规范。",
            "measures": [
                {
                    "text": "规范票据管理。",
                    "deadline": (TODAY + data.draw(st.integers(-15, 25)) * DAY).isoformat(),
                },
                {"text": "开展财务自查。", "department": "财务室"},
            ],
        }
        import_subtree(
            nodes=[node],
            round_=data.draw(st.sampled_from([cast.a.round, cast.b.round])),
            parent=None,
            actor=None,
        )
    elif operation == "evidence":
        content = b"%PDF-1.4\n" + str(measure.pk).encode()
        evidence_attach(
            measure=measure,
            actor=cast.clerk_a,
            name="会议记录.pdf",
            size=len(content),
            stream=io.BytesIO(content),
        )
    elif operation == "problem":  # a problem found (a statement) or a heading, with no measure yet
        problem_create(
            round_=data.draw(st.sampled_from([cast.a.round, cast.b.round])),
            actor=None,
            parent=cast.a.section if data.draw(st.booleans()) else None,
            label="2.",
            title="新发现问题",
            statement=data.draw(st.sampled_from(["", "公务接待超标准。"])),
            category=data.draw(st.sampled_from(CODES)),
        )
    elif operation == "category":
        problem = data.draw(st.sampled_from(list(Problem.objects.order_by("pk"))))
        problem_category_set(actor=cast.officer, problem=problem, code=data.draw(st.sampled_from(CODES)))
    elif operation == "long_term":
        measure_update(
            measure=measure, actor=None, expected_version=measure.version, long_term=data.draw(st.booleans())
        )
    elif operation == "round":  # the round moves to another year, kind or group (the office rollup)
        round_ = data.draw(st.sampled_from([cast.a.round, cast.b.round]))
        change = data.draw(st.sampled_from(["feedback_date", "kind", "inspecting_group"]))
        value = {
            "feedback_date": data.draw(st.sampled_from([None, TODAY, TODAY - 400 * DAY])),
            "kind": data.draw(st.sampled_from([RoundKind.XUNCHA, RoundKind.XUNSHI])),
            "inspecting_group": data.draw(st.sampled_from([None, cast.group])),
        }[change]
        round_update(round_=round_, actor=None, **{change: value})
    else:
        progress_record(measure=measure, actor=cast.clerk_a, happened_on=TODAY, text="召开专题会议。")


@pytest.fixture
def more(cast):
    organisation_create(name="甲社区财务室", kind=OrgKind.DEPARTMENT, parent=cast.a.unit)
    return cast


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_the_tally_equals_a_recount_after_any_sequence_of_service_calls(more, data):
    try:
        with transaction.atomic():
            for _ in range(data.draw(st.integers(1, 6))):
                try:
                    with transaction.atomic():
                        _step(more, data)
                except LedgerError:
                    pass  # refused, and rolled back with its own savepoint
                # After each step: a later step's refresh of the same round would hide a missed one.
                assert tally.tally_differences() == []
            _assert_pages_equal_live(more, TODAY, (more.officer,))
            raise _Undo
    except _Undo:
        pass


def test_a_deleted_round_takes_its_tally_along(cast):
    assert MeasureTally.objects.filter(round=cast.b.round).exists()
    InspectionRound.objects.filter(pk=cast.b.round.pk).delete()
    assert not MeasureTally.objects.filter(round_id=cast.b.round.pk).exists()
    assert tally.tally_differences() == [] and signal_rollup_differences() == []


def test_a_measure_counts_once_for_a_department_that_leads_and_cooperates(cast):
    measure_create(
        problem=cast.a.problem,
        actor=None,
        text="双重责任",
        lead_department=cast.a.department,
        cooperating_departments=[cast.a.department],
    )
    row = MeasureTally.objects.get(
        round=cast.a.round, kind=TallyKind.DEPARTMENT, key=str(cast.a.department.pk)
    )
    assert sum(getattr(row, name) for name in tally.CELLS) == 2  # the cast's measure and this one
    assert tally.tally_differences() == []


# --- The calendar ----------------------------------------------------------------------------------


def _overdue_soon(cast) -> None:
    """Measures whose lights change from one day to the next, and from one week to the next."""
    for offset in (-1, 0, 1, 9, 10, 11, 30):
        measure_create(
            problem=cast.a.problem, actor=None, text=f"时限{offset}", deadline=TODAY + offset * DAY
        )


def test_read_before_the_rollover_the_pages_correct_the_tally_of_yesterday(cast):
    _overdue_soon(cast)
    tally.tally_rebuild(TODAY - DAY)  # as if the day turned and the task has not run yet
    assert TallyClock.objects.get().as_of == TODAY - DAY
    _assert_pages_equal_live(cast, TODAY)
    roll_tally_over.call(TODAY.isoformat())  # what the scheduler enqueues when the day turns
    assert TallyClock.objects.get().as_of == TODAY
    assert tally.tally_differences() == []
    _assert_pages_equal_live(cast, TODAY)


@pytest.mark.parametrize("shift", [-40, -31, -12, -3, -1, 1, 2, 11, 20, 31, 45])
def test_the_pages_equal_a_live_count_on_any_day(cast, shift):
    _overdue_soon(cast)
    _assert_pages_equal_live(cast, TODAY + shift * DAY)


def _done_and_late(cast) -> None:
    """A measure in each done state, and one under way past its deadline, in round B."""
    steps = [(Action.SUBMIT, cast.clerk_a), (Action.CONFIRM, cast.leader_a), (Action.CLOSE, cast.officer)]
    for n in range(1, 4):
        measure = measure_create(
            problem=cast.a.problem, actor=None, text=f"已完成{n}", status=MeasureStatus.IN_PROGRESS
        )
        for action, actor in steps[:n]:
            measure = measure_transition(
                measure=measure,
                actor=actor,
                action=action,
                expected_version=None,
                reason="书面说明：已整改。",
            )
    measure_create(
        problem=cast.b.problem,
        actor=None,
        text="乙逾期",
        status=MeasureStatus.IN_PROGRESS,
        deadline=TODAY - 3 * DAY,
    )


@pytest.mark.parametrize("stored", [-400, -40, -1, 0, 2, 45])
def test_what_the_to_do_page_reads_equals_a_count_whatever_day_the_tally_was_counted(cast, stored):
    _overdue_soon(cast)
    _done_and_late(cast)
    tally.tally_rebuild(TODAY + stored * DAY)
    for shift in (-12, -1, 0, 1, 11):
        _assert_readers_equal_live(cast, TODAY + shift * DAY)


def test_with_no_tally_kept_the_to_do_page_counts_the_measures(cast):
    _overdue_soon(cast)
    _done_and_late(cast)
    TallyClock.objects.all().delete()  # as if never counted: the rows say nothing for any day
    MeasureTally.objects.filter(round=cast.a.round).update(not_started_red=99, submitted=7)
    _assert_readers_equal_live(cast, TODAY)


def test_the_to_do_page_reads_only_done_states_from_the_tally(cast):
    with pytest.raises(ValueError, match="done state"):
        tally.done_count_sql(InspectionRound.objects.values("pk"), MeasureStatus.IN_PROGRESS)


def test_changed_yellow_days_count_live_until_the_rollover_recounts(cast, settings):
    _overdue_soon(cast)
    settings.ZHENGGAI = {**settings.ZHENGGAI, "YELLOW_LIGHT_DAYS": 3}
    assert tally.usable_clock(TODAY) is None
    _assert_pages_equal_live(cast, TODAY)
    tally.tally_rollover(TODAY)
    assert TallyClock.objects.get().yellow_days == 3 and tally.usable_clock(TODAY) is not None
    assert tally.tally_differences() == []


# --- verify --counts -------------------------------------------------------------------------------


def test_verify_counts_finds_a_tampered_row_and_repair_mends_it(cast):
    out = StringIO()
    call_command("verify_history", counts=True, stdout=out)
    assert "统计表与重新计数一致" in out.getvalue()
    row = MeasureTally.objects.get(round=cast.a.round, kind=TallyKind.ROUND)
    MeasureTally.objects.filter(pk=row.pk).update(in_progress_green=row.in_progress_green + 5)
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("verify_history", counts=True, stdout=out)
    assert refused.value.returncode == 1
    stored = row.in_progress_green + 5
    assert (
        f"{cast.a.round.pk} · round · — · in_progress_green: {stored} → {row.in_progress_green}"
        in out.getvalue()
    )
    call_command("verify_history", counts=True, repair=True, stdout=StringIO())
    assert tally.tally_differences() == []


# --- Scoping ---------------------------------------------------------------------------------------


def test_a_unit_never_counts_another_units_rounds(cast):
    measure_create(problem=cast.b.problem, actor=None, text="乙的逾期措施", deadline=TODAY - DAY)
    counts = selectors.ledger_counts(cast.clerk_a, filters=LedgerFilters())
    assert [round_id for round_id, _n in counts.by_round] == [cast.a.round.pk]
    assert counts.by_light["red"] == 0
    assert selectors.ledger_counts(cast.clerk_a, round_=cast.b.round, filters=LedgerFilters()).total == 0
    assert set(selectors.round_counts(cast.clerk_a)) == {cast.a.round.pk}
    overview = selectors.office_overview(cast.clerk_a)
    assert [row.round_id for row in overview.rows[0:50]] == [cast.a.round.pk]
    assert overview.totals["red"] == 0 and overview.totals["rounds"] == 1
    assert selectors.office_overview(cast.outsider).totals == {
        "rounds": 0,
        "total": 0,
        "done": 0,
        "red": 0,
        "yellow": 0,
    }


# --- Concurrent writers ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_round_leave_no_stale_recount(cast):
    """Each writer recounts the round after locking it: the last to commit counts everyone's work."""
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            measure = measure_create(
                problem=cast.a.problem, actor=None, text=f"并发措施{i}", deadline=TODAY + (i - 4) * DAY
            )
            measure_update(measure=measure, actor=None, expected_version=1, deadline=TODAY + (4 - i) * DAY)
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=write, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Measure.objects.filter(round=cast.a.round).count() == 1 + threads_n
    assert tally.tally_differences() == []


def test_the_roll_tally_command_moves_the_day(cast):
    _overdue_soon(cast)
    tally.tally_rebuild(TODAY - 3 * DAY)
    out = StringIO()
    call_command("roll_tally", stdout=out)
    assert TallyClock.objects.get().as_of == TODAY and "重新计数 1 个轮次" in out.getvalue()  # round A only
    assert tally.tally_differences() == []


def test_problems_found_without_measures_are_counted_on_their_rows_alone(cast):
    """A problem found with no measure yet: its round's and category's rows count it (a category row
    with no measure), and the ledger still reads the tally for the category above it."""
    found = problem_create(
        round_=cast.a.round,
        actor=None,
        label="2.",
        title="新问题",
        statement="资金拨付滞后。",
        category="finance.funds",
    )
    row = MeasureTally.objects.get(round=cast.a.round, kind=TallyKind.CATEGORY, key="finance.funds")
    assert (row.problems, sum(getattr(row, name) for name in tally.CELLS)) == (1, 0)
    assert MeasureTally.objects.get(round=cast.a.round, kind=TallyKind.ROUND).problems == 2
    assert selectors._is_leaf_category("finance")  # a row of problems alone: no measure below it
    measure_create(problem=found, actor=None, text="加快拨付。")
    assert not selectors._is_leaf_category("finance")
    problem_create(round_=cast.a.round, actor=None, label="三、", title="标题")  # a heading: not counted
    assert MeasureTally.objects.get(round=cast.a.round, kind=TallyKind.ROUND).problems == 2
    assert tally.tally_differences() == []


def _rolled_up(round_) -> dict[tuple, int]:
    """The office rollup's measures on round rows, by cell."""
    return {
        (r.office_id, r.inspecting_group_id, r.round_kind, r.year): r.not_started_red
        + r.not_started_yellow
        + r.not_started_green
        + r.not_started_none
        + r.in_progress_red
        + r.in_progress_yellow
        + r.in_progress_green
        + r.in_progress_none
        + r.submitted
        + r.confirmed
        + r.closed
        for r in OfficeTally.objects.filter(kind=TallyKind.ROUND)
    }


def test_a_round_moved_to_another_year_kind_group_or_office_moves_its_share_of_the_rollup(cast):
    round_ = cast.b.round
    measures = Measure.objects.filter(round=round_).count()
    other_office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    assert measures and tally.tally_differences() == []
    for change in (
        {"feedback_date": TODAY - 400 * DAY},
        {"kind": RoundKind.XUNSHI},
        {"inspecting_group": None},
        {"office": other_office},
        {"feedback_date": None},
    ):
        round_update(round_=round_, actor=None, **change)
        round_.refresh_from_db()
        cell = (
            round_.office_id,
            round_.inspecting_group_id,
            round_.kind,
            round_.feedback_date.year if round_.feedback_date else None,
        )
        assert tally.tally_differences() == [] and signal_rollup_differences() == [], change
        assert _rolled_up(round_)[cell] == measures, change
    # Back where it was: the round's own cell empties, no row of nothing is left behind.
    round_update(round_=round_, actor=None, office=cast.office, inspecting_group=cast.group)
    assert tally.tally_differences() == []
    assert all(_rolled_up(round_).values())


def test_verify_reports_a_rollup_row_that_drifted(cast):
    row = OfficeTally.objects.filter(kind=TallyKind.ROUND).first()
    row.closed += 3
    row.save()
    (difference,) = tally.tally_differences()
    assert (difference.round_id, difference.kind, difference.cell) == (0, "rollup", "closed")
    assert difference.stored == difference.recounted + 3
    tally.tally_rebuild(TODAY)
    assert tally.tally_differences() == []
