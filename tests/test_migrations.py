from io import StringIO

from django.core.management import call_command


def test_every_model_change_has_a_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_existing_measures_learn_who_entered_and_confirmed_them_from_the_history(transactional_db):
    """ledger.0007 fills created_by and confirmed_by from the chain, which says who did it."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "ledger"]
    before = [*leaves, ("ledger", "0005_measure_sketch")]
    after = [*leaves, ("ledger", "0007_measure_people_from_history")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="clerk")
    leader = old.get_model("auth", "User").objects.create(username="leader")
    org = old.get_model("orgs", "Organisation")
    unit = org.objects.create(name="甲", kind="unit", path="0001")
    office = org.objects.create(name="办", kind="inspection_office", path="0002")
    round_ = old.get_model("ledger", "InspectionRound").objects.create(
        title="轮", office=office, inspected_unit=unit
    )
    problem = old.get_model("ledger", "Problem").objects.create(
        round=round_, label="1.", number=1, level=1, position=1, title="问题"
    )
    measures = old.get_model("ledger", "Measure").objects
    confirmed = measures.create(problem=problem, round=round_, text="甲", status="confirmed")
    returned = measures.create(problem=problem, round=round_, text="乙", status="in_progress")
    entries = old.get_model("history", "HistoryEntry").objects
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    log = [
        (confirmed, user, "measure.create", {}),
        (returned, user, "measure.create", {}),
        (confirmed, leader, "measure.transition", {"transition": "confirm"}),
        (returned, leader, "measure.transition", {"transition": "confirm"}),
        (returned, leader, "measure.transition", {"transition": "return"}),
    ]
    for seq, (measure, actor, action, payload) in enumerate(log, start=1):
        entries.create(
            seq=seq,
            recorded_at=now,
            actor=actor,
            action=action,
            object_type="ledger.measure",
            object_id=str(measure.pk),
            payload=payload,
            prev_hash="0" * 64,
            hash=f"{seq:064d}",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("ledger", "Measure").objects
    assert new.filter(created_by_id=user.pk).count() == 2
    assert new.get(pk=confirmed.pk).confirmed_by_id == leader.pk
    assert new.get(pk=returned.pk).confirmed_by_id is None  # returned since: no longer confirmed
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_kinds_become_exclusive_once_mixed_measures_are_mended_through_the_history(transactional_db):
    """ledger.0008 refuses to add its check while a measure is both 立行立改 and 长期坚持; the
    mend command's service gives it one kind, with a history entry, and the migration then runs."""
    import pytest
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from zhenggai.history.models import HistoryEntry
    from zhenggai.ledger.models import Measure
    from zhenggai.ledger.services import measure_kinds_mend, mixed_kind_measures

    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "ledger"]
    before = [*leaves, ("ledger", "0007_measure_people_from_history")]
    after = [*leaves, ("ledger", "0008_measure_kind_exclusive")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    org = old.get_model("orgs", "Organisation")
    unit = org.objects.create(name="甲", kind="unit", path="0001")
    office = org.objects.create(name="办", kind="inspection_office", path="0002")
    round_ = old.get_model("ledger", "InspectionRound").objects.create(
        title="轮", office=office, inspected_unit=unit
    )
    problem = old.get_model("ledger", "Problem").objects.create(
        round=round_, label="1.", number=1, level=1, position=1, title="问题"
    )
    measures = old.get_model("ledger", "Measure").objects
    mixed = measures.create(
        problem=problem, round=round_, text="立行立改、长期坚持", kind="immediate", long_term=True
    )
    plain = measures.create(
        problem=problem, round=round_, text="限期整改", kind="time_bound", long_term=False
    )

    with pytest.raises(RuntimeError, match="mend_measure_kinds"):
        MigrationExecutor(connection).migrate(after)
    assert list(mixed_kind_measures().values_list("pk", flat=True)) == [mixed.pk]
    assert measure_kinds_mend(actor=None) == [mixed.pk]
    mended = Measure.objects.get(pk=mixed.pk)
    assert (mended.kind, mended.long_term, mended.version) == ("long_term", True, 2)
    assert HistoryEntry.objects.filter(object_type="ledger.measure", object_id=str(mixed.pk)).count() == 1
    assert Measure.objects.get(pk=plain.pk).version == 1
    MigrationExecutor(connection).migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_measures_are_counted_into_the_tally(transactional_db):
    """ledger.0010 counts the measures already there as ledger.tally would, as of the day it runs;
    ledger.0015 and 0016 add the counts and rows that came later, as a recount gives them."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from zhenggai.ledger.models import MeasureTally, TallyClock
    from zhenggai.ledger.tally import tally_differences

    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "ledger"]
    before = [*leaves, ("ledger", "0010_measure_tally")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    org = old.get_model("orgs", "Organisation")
    unit = org.objects.create(name="甲", kind="unit", path="0001")
    office = org.objects.create(name="办", kind="inspection_office", path="0002")
    lead = org.objects.create(name="办公室", kind="department", path="00010001", parent=unit)
    other = org.objects.create(name="财务室", kind="department", path="00010002", parent=unit)
    round_ = old.get_model("ledger", "InspectionRound").objects.create(
        title="轮", office=office, inspected_unit=unit
    )
    problem = old.get_model("ledger", "Problem").objects.create(
        round=round_, label="1.", number=1, level=1, position=1, title="问题", category="finance"
    )
    measures = old.get_model("ledger", "Measure").objects
    today = datetime.date.today()
    for status, days in [("in_progress", -2), ("not_started", 3), ("closed", -9), ("in_progress", None)]:
        deadline = today + datetime.timedelta(days=days) if days is not None else None
        measure = measures.create(
            problem=problem, round=round_, text=status, status=status, deadline=deadline, lead_department=lead
        )
        measure.cooperating_departments.set([lead, other])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert TallyClock.objects.get().as_of == today
    # The round, its category, two departments and (ledger.0016) each with the category.
    assert MeasureTally.objects.count() == 6
    assert MeasureTally.objects.filter(kind="dept_cat").count() == 2
    assert tally_differences() == []
