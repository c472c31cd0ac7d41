"""The ledger itself answers for every change: `verify` replays the chain and compares every stored
ledger, organisation, membership and account row with the state the chain says it must have.

Hypothesis makes random direct changes (an UPDATE without the service, an admin-style `save()`
through the ORM, a DELETE, an INSERT, a many-to-many row added or removed) to every tracked table.
Each one must be caught and located: the record, and for a changed column the column. Random
histories written through the services alone must never raise an alarm.
"""

from __future__ import annotations

import datetime
import decimal
import io

import pytest
from _history_support import verify_args
from _state_support import PDF, build_rich_ledger
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from zhenggai.accounts.services import user_create, user_set_active
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.history.models import HistoryEntry
from zhenggai.history.report import Kind, VerifyReport
from zhenggai.history.state import Spec, specs
from zhenggai.history.verify import verify
from zhenggai.ledger.models import Measure, MeasureKind, Problem
from zhenggai.ledger.services import (
    evidence_attach,
    measure_create,
    measure_update,
    problem_create,
    progress_record,
    round_update,
)
from zhenggai.orgs.models import Membership, Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, membership_revoke, organisation_create, person_create

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("整改措施台账"),
    min_size=1,
    max_size=6,
)
OPERATIONS = ["update", "orm_save", "delete", "orm_delete", "insert", "many"]


class _Undo(Exception):
    """Raised to roll an example's savepoint back."""


@pytest.fixture
def rich(db, request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ledger = build_rich_ledger(request.getfixturevalue("cast"))
    for label, spec in specs().items():
        assert spec.model._base_manager.exists(), f"the fixture has no {label}"
    report = verify()
    assert report.ok, report.text()
    return ledger


def _located(report: VerifyReport, kind: Kind, label: str, pk, column: str | None = None) -> bool:
    wanted = f"{label} #{pk}"
    for finding in report.record_findings:
        if finding.kind == kind and finding.record.endswith(wanted):
            return column is None or column in finding.fields
    return False


def _field_of(spec: Spec, attname: str) -> models.Field:
    return next(f for f in spec.model._meta.concrete_fields if f.attname == attname)


def _other_value(data, field: models.Field, current):
    """A value of the column's type that differs from `current` once stored."""
    if field.is_relation:
        related = field.related_model._base_manager.exclude(pk=current)
        if field.one_to_one:
            taken = field.model._base_manager.exclude(**{f"{field.attname}__isnull": True})
            related = related.exclude(pk__in=taken.values(field.attname))
        choices = list(related.values_list("pk", flat=True)[:20])
        if field.null and current is not None:
            choices.append(None)
        assume(choices)
        return data.draw(st.sampled_from(choices))
    if isinstance(field, models.BooleanField):
        return not current
    if isinstance(field, models.IntegerField):
        return (current or 0) + data.draw(st.integers(1, 50))
    if isinstance(field, models.DecimalField):
        return (current or decimal.Decimal(0)) + data.draw(st.integers(1, 999))
    if isinstance(field, models.DateTimeField):
        return (current or timezone.now()) + datetime.timedelta(seconds=data.draw(st.integers(1, 10**6)))
    if isinstance(field, models.DateField):
        return (current or datetime.date(2030, 1, 1)) + datetime.timedelta(
            days=data.draw(st.integers(1, 900))
        )
    if isinstance(field, models.JSONField):
        return {**(current or {}), "tampered": data.draw(st.integers(0, 9))}
    if field.choices:
        others = [value for value, _label in field.flatchoices if value != current]
        return data.draw(st.sampled_from(others))
    text = str(current or "")
    suffix = data.draw(TEXT)
    limit = getattr(field, "max_length", None)
    if limit and len(text) + len(suffix) > limit:
        text = text[: max(0, limit - len(suffix))]
    value = text + suffix
    assume(value != str(current or ""))
    return value


def _consistent(spec: Spec, attname: str, value) -> dict:
    """The columns to change for `attname` = `value`: a measure's kind and its long-term flag go
    together (a check constraint refuses one without the other; verify must find either)."""
    if spec.label != "ledger.measure" or attname not in ("kind", "long_term"):
        return {attname: value}
    if attname == "kind":
        return {"kind": value, "long_term": value == "long_term"}
    return {"long_term": value, "kind": "long_term" if value else "time_bound"}


def _spare_copy(spec: Spec, row: models.Model) -> models.Model:
    """A copy of a row with its unique columns changed, to insert behind the application's back."""
    row.pk = None
    row.id = None
    label = spec.label
    if label.endswith(".user"):
        row.username = f"{row.username}-copy"
    elif label == "orgs.person":
        row.user = None
    elif label == "orgs.membership":
        held = set(
            Membership.objects.filter(user=row.user, organisation=row.organisation).values_list(
                "role", flat=True
            )
        )
        free = [role for role in Role.values if role not in held]
        if free:
            row.role = free[0]
        else:
            row.organisation = Organisation.objects.exclude(pk=row.organisation_id).first()
    elif label == "ledger.acknowledgement":
        row.measure = Measure.objects.exclude(acknowledgements__department=row.department).first()
    elif label == "ledger.deadlineextension":
        row.status = "refused"
    return row


def _tamper(data, spec: Spec) -> tuple[Kind, object, str | None, str]:
    """Change one row of `spec`'s table directly; say what `verify` must then find."""
    pks = list(spec.model._base_manager.order_by("pk").values_list("pk", flat=True))
    pk = data.draw(st.sampled_from(pks))
    operation = data.draw(st.sampled_from(OPERATIONS))
    if operation == "many":
        if not spec.many:
            operation = "update"
        else:
            many = spec.many[0]
            through = spec.model._meta.get_field(many.name).remote_field.through
            rows = through._base_manager.filter(**{many.owner_column: pk})
            targets = set(rows.values_list(many.target_column, flat=True))
            if targets and data.draw(st.booleans()):
                rows.filter(**{many.target_column: data.draw(st.sampled_from(sorted(targets)))}).delete()
            else:
                other = Organisation.objects.exclude(pk__in=targets).first()
                through._base_manager.create(**{many.owner_column: pk, many.target_column: other.pk})
            return Kind.RECORD_CHANGED, pk, many.name, f"{spec.label} #{pk}: {many.name} changed"
    if operation in ("update", "orm_save"):
        attname = data.draw(st.sampled_from(spec.columns))
        field = _field_of(spec, attname)
        row = spec.model._base_manager.get(pk=pk)
        value = _other_value(data, field, getattr(row, attname))
        changes = _consistent(spec, attname, value)
        if operation == "update":
            spec.model._base_manager.filter(pk=pk).update(**changes)
        else:
            for name, changed in changes.items():
                setattr(row, name, changed)
            row.save()
        return Kind.RECORD_CHANGED, pk, attname, f"{operation} {spec.label} #{pk}.{attname} = {value!r}"
    if operation == "orm_delete":
        try:
            with transaction.atomic():
                spec.model._base_manager.get(pk=pk).delete()
        except (models.ProtectedError, models.RestrictedError):
            operation = "delete"
        else:
            return Kind.RECORD_MISSING, pk, None, f"admin delete {spec.label} #{pk}"
    if operation == "delete":
        table = connection.ops.quote_name(spec.model._meta.db_table)
        column = connection.ops.quote_name(spec.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [pk])  # noqa: S608 - constant names
        return Kind.RECORD_MISSING, pk, None, f"DELETE {spec.label} #{pk}"
    copy = _spare_copy(spec, spec.model._base_manager.get(pk=pk))
    try:
        with transaction.atomic():
            copy.save(force_insert=True)
    except IntegrityError:
        assume(False)
    return Kind.RECORD_UNRECORDED, copy.pk, None, f"INSERT {spec.label} #{copy.pk}"


@settings(
    max_examples=520,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_every_direct_change_to_a_tracked_table_is_caught_and_located(rich, data):
    label = data.draw(st.sampled_from(sorted(specs())))
    spec = specs()[label]
    try:
        with transaction.atomic():
            kind, pk, column, description = _tamper(data, spec)
            report = verify()
            assert report.chain is None, description
            assert _located(report, kind, label, pk, column), f"{description} → {report.text()}"
            raise _Undo
    except _Undo:
        pass


# --- Untouched histories: services only, never an alarm --------------------------------------------


def _service_step(data, rich, n: int) -> None:
    cast = rich.cast
    step = data.draw(
        st.sampled_from(
            ["measure", "edit", "progress", "evidence", "org", "person", "role", "user", "round", "problem"]
        )
    )
    today = datetime.date.today()
    if step == "measure":
        measure_create(
            problem=cast.b.problem,
            actor=cast.clerk_b,
            text=f"措施{n}" + data.draw(TEXT),
            kind=data.draw(st.sampled_from(MeasureKind.values)),
            deadline=today + datetime.timedelta(days=data.draw(st.integers(1, 90))),
            cooperating_departments=[cast.b.department] if data.draw(st.booleans()) else [],
        )
    elif step == "edit":
        measure = Measure.objects.get(pk=cast.b.measure.pk) if data.draw(st.booleans()) else None
        measure = measure or Measure.objects.filter(problem=cast.b.problem).order_by("-pk").first()
        if measure.status in ("not_started", "in_progress"):
            measure_update(
                measure=measure,
                actor=cast.clerk_b,
                expected_version=measure.version,
                text=measure.text + data.draw(TEXT),
                deadline=today + datetime.timedelta(days=data.draw(st.integers(1, 90))),
                cooperating_departments=data.draw(st.sampled_from([[], [cast.b.department]])),
            )
    elif step == "progress":
        progress_record(measure=cast.b.measure, actor=cast.clerk_b, happened_on=today, text=data.draw(TEXT))
    elif step == "evidence":
        body = PDF + data.draw(st.binary(min_size=1, max_size=20))
        evidence_attach(
            measure=cast.b.measure,
            actor=cast.clerk_b,
            name="材料.pdf",
            size=len(body),
            stream=io.BytesIO(body),
        )
    elif step == "org":
        organisation_create(
            name=data.draw(TEXT), kind=OrgKind.DEPARTMENT, parent=cast.b.unit, actor=cast.clerk_b
        )
    elif step == "person":
        person_create(name=data.draw(TEXT)[:60], organisation=cast.b.unit, actor=cast.clerk_b)
    elif step == "role":
        role = data.draw(st.sampled_from(Role.values))
        membership = membership_grant(user=cast.outsider, organisation=cast.b.unit, role=role)
        if data.draw(st.booleans()):
            membership_revoke(membership=membership)
    elif step == "user":
        user = user_create(username=f"u{n}-{data.draw(st.integers(0, 10**6))}", password=None)
        if data.draw(st.booleans()):
            user_set_active(user=user, active=False)
    elif step == "round":
        round_update(round_=cast.b.round, actor=None, title=f"{cast.b.round.title}{n}")
    else:
        problem_create(
            round_=cast.b.round, actor=None, parent=cast.b.section, label=f"{n}.", title=data.draw(TEXT)
        )


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_histories_written_through_the_services_never_raise_an_alarm(rich, data):
    steps = data.draw(st.integers(1, 6))
    try:
        with transaction.atomic():
            for n in range(steps):
                _service_step(data, rich, n)
            report = verify()
            assert report.ok, report.text()
            raise _Undo
    except _Undo:
        pass


def test_a_changed_measure_names_its_columns(rich):
    measure = rich.measure_closed
    Measure.objects.filter(pk=measure.pk).update(status="in_progress", deadline=datetime.date(2031, 1, 1))
    report = verify()
    [finding] = report.record_findings
    assert finding.kind == Kind.RECORD_CHANGED and finding.fields == ("deadline", "status")
    assert "整改措施" in finding.record or "measure" in finding.record
    assert "数据与变更记录不符" in report.text() and "deadline, status" in report.text()


@pytest.mark.parametrize("table", ["ledger_progressentry", "comments_publiccomment"])
def test_a_row_holding_text_that_is_not_utf8_is_reported_not_fatal(rich, table):
    # SQLite's driver refuses to decode such text: a ledger row, or a comment the public wrote.
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores text that is not UTF-8")
    with transaction.atomic():
        call = call_open(
            round_=rich.cast.a.round, actor=rich.cast.clerk_a, invitation="征求意见", closes_on=None
        )
    comment_submit(call=call, text="意见", name="", contact="", logged_in=False, network="203.0.113.9")
    assert verify().ok
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id) FROM {table}")  # noqa: S608 - a parameter of the test
        (pk,) = cursor.fetchone()
        cursor.execute(f"UPDATE {table} SET text = CAST(X'FFFE41' AS TEXT) WHERE id = %s", [pk])  # noqa: S608
    report = verify()
    assert not report.ok
    assert any(
        f.kind == Kind.RECORD_CHANGED and "not readable" in f.detail for f in report.record_findings
    ), report.text()


def test_a_problem_created_without_the_service_is_unrecorded(rich):
    problem = Problem.objects.create(
        round=rich.cast.a.round, label="2.", number=2, level=2, position=9, title="补造的问题"
    )
    report = verify()
    assert _located(report, Kind.RECORD_UNRECORDED, "ledger.problem", problem.pk)
    assert not report.ok


# --- The attacks tried on a fresh demo, each one now caught by `zhenggai verify` -------------------


def _attack(rich, name: str) -> tuple[str, object, str | None]:
    """Do what an attacker did behind the application's back; say which record must be named."""
    from zhenggai.ledger.models import ClosingDecision, DeadlineExtension
    from zhenggai.ledger.transitions import extension_request

    cast, closed = rich.cast, rich.measure_closed
    if name == "problem statement edited":
        Problem.objects.filter(pk=cast.a.problem.pk).update(statement="会议记录规范。")
        return "ledger.problem", cast.a.problem.pk, "statement"
    if name == "round moved to another unit":
        round_ = cast.a.round
        round_.inspected_unit = cast.b.unit
        round_.save()  # as the admin's change form would
        return "ledger.inspectionround", round_.pk, "inspected_unit_id"
    if name == "progress of a closed measure deleted":
        note = closed.progress_entries.first()
        pk = note.pk
        note.delete()  # as the admin's delete page would
        return "ledger.progressentry", pk, None
    if name == "measure deleted":
        pk = rich.measure_extended.pk
        Measure.objects.filter(pk=pk).delete()
        return "ledger.measure", pk, None
    if name == "status set to closed":
        Measure.objects.filter(pk=cast.b.measure.pk).update(status="closed")
        return "ledger.measure", cast.b.measure.pk, "status"
    if name == "progress text and date rewritten":
        note = closed.progress_entries.first()
        type(note).objects.filter(pk=note.pk).update(text="当场签字", happened_on=datetime.date(2020, 1, 1))
        return "ledger.progressentry", note.pk, "happened_on"
    if name == "closing decision rewritten":
        decision = ClosingDecision.objects.get(measure=closed)
        ClosingDecision.objects.filter(pk=decision.pk).update(reason="同意", snapshot={"text": "改过"})
        return "ledger.closingdecision", decision.pk, "snapshot"
    if name == "extension set to approved":
        measure = Measure.objects.get(pk=rich.measure_extended.pk)
        extension = extension_request(
            measure=measure,
            actor=cast.clerk_b,
            new_deadline=measure.deadline + datetime.timedelta(days=60),
            reason="再延期。",
        )
        DeadlineExtension.objects.filter(pk=extension.pk).update(status="approved")
        return "ledger.deadlineextension", extension.pk, "status"
    membership = Membership.objects.get(user=cast.clerk_b)
    Membership.objects.filter(pk=membership.pk).update(organisation=cast.a.unit)
    return "orgs.membership", membership.pk, "organisation_id"


ATTACKS = [
    "problem statement edited",
    "round moved to another unit",
    "progress of a closed measure deleted",
    "measure deleted",
    "status set to closed",
    "progress text and date rewritten",
    "closing decision rewritten",
    "extension set to approved",
    "membership moved to another unit",
]


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_tried_on_the_demo_is_caught(rich, name, capsys):

    from zhenggai.history import cli_verify

    label, pk, column = _attack(rich, name)
    report = verify()
    kind = Kind.RECORD_MISSING if "deleted" in name else Kind.RECORD_CHANGED
    assert _located(report, kind, label, pk, column), report.text()
    assert cli_verify.run(verify_args()) == 1
    assert "发现篡改" in capsys.readouterr().out


# --- A migration that adds a column to a tracked table ----------------------------------------------


@pytest.fixture
def measures_recorded_without_a_column(monkeypatch, db, request, django_capture_on_commit_callbacks):
    """A ledger recorded while measures had no `claimed_text` column, as before a migration added it."""
    from zhenggai.history import state

    monkeypatch.setitem(state.TRACKED, "ledger.measure", ("claimed_text",))
    state.specs.cache_clear()
    with django_capture_on_commit_callbacks(execute=True):
        rich = build_rich_ledger(request.getfixturevalue("cast"))
    monkeypatch.setitem(state.TRACKED, "ledger.measure", ())
    state.specs.cache_clear()
    yield rich
    state.specs.cache_clear()


def test_after_a_migration_the_new_column_is_recorded_once(measures_recorded_without_a_column, capsys):
    from django.core.management import call_command

    report = verify()
    changed = [f for f in report.findings if f.kind == Kind.RECORD_CHANGED]
    assert changed and all(f.schema_only and f.fields == ("claimed_text",) for f in changed), report.text()
    assert len(changed) == Measure.objects.count()
    call_command("rebase_history_states")
    assert f"recorded the new state of {len(changed)} records" in capsys.readouterr().out
    after = verify()
    assert after.ok, after.text()


def test_a_migration_cannot_launder_a_tampering(measures_recorded_without_a_column):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    measure = measures_recorded_without_a_column.measure_closed
    Measure.objects.filter(pk=measure.pk).update(status="in_progress")
    with pytest.raises(CommandError) as refused:
        call_command("rebase_history_states")
    assert refused.value.returncode == 1
    assert not HistoryEntry.objects.filter(action="state.rebase").exists()
    assert _located(verify(), Kind.RECORD_CHANGED, "ledger.measure", measure.pk, "status")
