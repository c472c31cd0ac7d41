"""Every write to a ledger goes through these functions: one transaction each.

Views, commands, the importer and tasks all call them, so that a rule holds whichever way a
change comes in.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.core.quality import fingerprint, shingles, sketch
from zhenggai.history import services as history
from zhenggai.history.canonical import json_sha256
from zhenggai.history.changes import field_changes, snapshot
from zhenggai.ledger import rollup, workflow
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.evidence import check_evidence_upload
from zhenggai.ledger.models import (
    DONE_STATES,
    ClaimedStatus,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureSketch,
    MeasureStatus,
    MeasureTally,
    Problem,
    ProgressEntry,
    evidence_upload_path,
)
from zhenggai.ledger.tally import tally_deferred, tally_refresh
from zhenggai.orgs.models import Organisation, OrgKind, Person
from zhenggai.orgs.services import organisation_create, person_create
from zhenggai.reminders import notices
from zhenggai.taxonomy.rules import Classifier
from zhenggai.webhooks import emit as webhooks

# Fields a clerk edits on a measure, in the order the stale-edit message lists them.
MEASURE_FIELDS = [
    "text",
    "responsible_leader",
    "lead_department",
    "doer",
    "kind",
    "deadline",
    "long_term",
]
# At creation a measure may also say whether the work has started, and what a document claimed of
# it (an imported ledger). It is never created done: 申请销号 is reached by submitting, with progress
# and evidence or a written reason (ledger/transitions.py).
CREATE_FIELDS = [*MEASURE_FIELDS, "status", "completed_on", "claimed_status", "claimed_text"]
# What the history keeps of a measure, a problem and a round.
MEASURE_HISTORY_FIELDS = [*MEASURE_FIELDS, "original_deadline"]
PROBLEM_HISTORY_FIELDS = [
    "parent",
    "label",
    "outline",
    "number",
    "level",
    "position",
    "title",
    "statement",
    "category",
]
ROUND_HISTORY_FIELDS = [
    "kind",
    "title",
    "office",
    "inspecting_group",
    "inspected_unit",
    "feedback_date",
    "preamble",
    "closing",
]
ROUND_EXTRA_FIELDS = ["on_site_start", "on_site_end", "rectification_deadline"]


# --- Measures -----------------------------------------------------------------------------------


@transaction.atomic
def measure_create(
    *, problem: Problem, actor, cooperating_departments: Iterable[Organisation] = (), **fields: Any
) -> Measure:
    position = fields.pop("position", None)
    unknown = set(fields) - set(CREATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    _settle_kind(fields, None)
    if position is None:
        position = problem.measures.count() + 1
    measure = Measure(problem=problem, round_id=problem.round_id, position=position, **fields)
    if measure.status not in workflow.EDITABLE_STATES:
        raise LedgerError(
            _("A new measure is not started or in progress; it is reported done by asking for closing.")
        )
    measure.created_by = actor
    measure.original_deadline = measure.deadline
    bands = _check_measure(measure)
    measure.save()
    _store_sketch(measure.pk, bands)
    departments = list(cooperating_departments)
    measure.cooperating_departments.set(departments)
    history.record(
        actor=actor,
        action="measure.create",
        obj=measure,
        payload={
            "values": snapshot(
                measure, ["problem", "position", *CREATE_FIELDS, "original_deadline", "created_by"]
            ),
            "cooperating_departments": sorted(d.pk for d in departments),
        },
    )
    tally_refresh([measure.round_id])
    return measure


def kinds_exclusive() -> str:
    return _(
        "A measure is either fixed at once, fixed by a deadline or kept up long term: choose one of the three."
    )


def _settle_kind(fields: dict[str, Any], current_kind: str | None) -> None:
    """Make `fields` name one kind: `long_term` alone sets the kind, and a `long_term` that
    contradicts the kind given with it is refused (the kinds exclude one another)."""
    if "long_term" not in fields:
        return
    long_term = bool(fields["long_term"])
    if "kind" in fields:
        if long_term != (fields["kind"] == MeasureKind.LONG_TERM):
            raise LedgerError(kinds_exclusive())
        return
    if long_term:
        fields["kind"] = MeasureKind.LONG_TERM
    elif current_kind in (None, MeasureKind.LONG_TERM):
        fields["kind"] = MeasureKind.TIME_BOUND


def _check_measure(measure: Measure) -> list[str]:
    """Check and complete a measure before it is written; return its text's MinHash bands."""
    if not measure.text.strip():
        raise LedgerError(_("A measure needs its text."))
    if measure.status not in DONE_STATES:
        measure.completed_on = None
    # The kind is one of three (立行立改, 限期整改, 长期坚持); `long_term` follows it.
    measure.long_term = measure.kind == MeasureKind.LONG_TERM
    names = unit_names(measure.round_id)
    measure.text_fingerprint = fingerprint(measure.text, names)
    return sketch(shingles(measure.text, names))


def _store_sketch(measure_id: int, bands: list[str]) -> None:
    """Keep a measure's MinHash bands for the near-copy lookup (ledger.quality)."""
    MeasureSketch.objects.filter(measure_id=measure_id).delete()
    MeasureSketch.objects.bulk_create([MeasureSketch(measure_id=measure_id, band=band) for band in bands])


def unit_names(round_id: int) -> list[str]:
    """The inspected unit's own names, which a copied measure changes (see core.quality)."""
    return units_names({round_id}).get(round_id, [])


def units_names(round_ids: set[int]) -> dict[int, list[str]]:
    """`unit_names` of several rounds, in one query."""
    rows = InspectionRound.objects.filter(pk__in=round_ids).values_list(
        "pk", "inspected_unit__name", "inspected_unit__short_name"
    )
    return {pk: [n for n in (name, short) if n] for pk, name, short in rows}


def _display(measure: Measure, field: str) -> str:
    value = getattr(measure, field)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = {"kind": measure.get_kind_display, "status": measure.get_status_display}
    if field in choices:
        return str(choices[field]())
    return str(value)


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    actor,
    expected_version: int,
    cooperating_departments: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Measure:
    """Change a measure, refusing the change if it was read at an older version.

    The version check and the write are one UPDATE … WHERE version = expected, so of two
    concurrent saves from the same version exactly one succeeds.
    """
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    candidate = Measure.objects.get(pk=measure.pk)
    require_editable(candidate)
    _settle_kind(fields, candidate.kind)
    before = snapshot(candidate, MEASURE_HISTORY_FIELDS)
    for name, value in fields.items():
        setattr(candidate, name, value)
    if candidate.original_deadline is None:
        candidate.original_deadline = candidate.deadline
    bands = _check_measure(candidate)
    values = {
        name: getattr(candidate, name) for name in [*MEASURE_FIELDS, "original_deadline", "text_fingerprint"]
    }
    updated = Measure.objects.filter(pk=measure.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise _stale(measure.pk, expected_version, fields)
    _store_sketch(measure.pk, bands)
    payload: dict[str, Any] = {
        "fields": field_changes(before, snapshot(candidate, MEASURE_HISTORY_FIELDS)),
        "version": [expected_version, expected_version + 1],
    }
    if cooperating_departments is not None:
        departments = list(cooperating_departments)
        old = sorted(candidate.cooperating_departments.values_list("pk", flat=True))
        candidate.cooperating_departments.set(departments)
        if old != sorted(d.pk for d in departments):
            payload["cooperating_departments"] = [old, sorted(d.pk for d in departments)]
    history.record(actor=actor, action="measure.update", obj=candidate, payload=payload)
    tally_refresh([candidate.round_id])
    _tell_the_newly_named(candidate, actor, expected_version + 1, payload["fields"])
    return Measure.objects.get(pk=measure.pk)


# Whoever a change of these names is told of the task (分派): the doer, the leader, the department.
ASSIGNING_FIELDS = frozenset({"doer", "responsible_leader", "lead_department"})


def _tell_the_newly_named(measure: Measure, actor, version: int, changed: dict[str, Any]) -> None:
    named = {name for name in ASSIGNING_FIELDS & set(changed) if changed[name][1] is not None}
    if named:
        notices.notify_measure_event(
            measure=measure, event=notices.Event.ASSIGNED, actor=actor, once_for=f"v{version}", assigned=named
        )


def _stale(pk: int, expected_version: int, attempted: dict[str, Any]) -> StaleEdit:
    current = Measure.objects.get(pk=pk)
    changes = []
    for name in attempted:
        now = _display(current, name)
        label = str(getattr(Measure._meta.get_field(name), "verbose_name", name))
        changes.append((label, str(attempted[name] if attempted[name] is not None else "—"), now))
    return StaleEdit(
        _(
            "Someone else saved this measure after you opened it (your version %(mine)s, now %(now)s). "
            "Your changes were not saved. Check the current values and save again."
        )
        % {"mine": expected_version, "now": current.version},
        changes=[c for c in changes if c[1] != c[2]],
    )


def mixed_kind_measures():
    """Measures whose `long_term` flag and kind disagree (立行立改 or 限期整改 marked 长期坚持): written
    before the kinds were made exclusive. The migration that adds the rule refuses while any is left."""
    return Measure.objects.filter(
        Q(long_term=True) & ~Q(kind=MeasureKind.LONG_TERM) | Q(long_term=False, kind=MeasureKind.LONG_TERM)
    ).order_by("pk")


@transaction.atomic
def measure_kinds_mend(*, actor=None) -> list[int]:
    """Give each measure of `mixed_kind_measures` one kind, recorded in the history: a measure marked
    long term becomes 长期坚持 (it keeps its follow-up checks). Returns the ids changed."""
    changed = []
    rounds: set[int] = set()
    for measure in mixed_kind_measures().select_for_update():
        before = snapshot(measure, ["kind", "long_term"])
        measure.kind = MeasureKind.LONG_TERM
        measure.long_term = True
        measure.version += 1
        measure.save(update_fields=["kind", "long_term", "version", "updated_at"])
        history.record(
            actor=actor,
            action="measure.update",
            obj=measure,
            payload={
                "fields": field_changes(before, snapshot(measure, ["kind", "long_term"])),
                "version": [measure.version - 1, measure.version],
                "reason": "kinds made exclusive",
            },
        )
        changed.append(measure.pk)
        rounds.add(measure.round_id)
    # Long-term measures are counted in the tally; the command runs before the migration that makes
    # the kinds exclusive (ledger 0008), when no tally table exists yet (0010 counts them then).
    if changed and MeasureTally._meta.db_table in connection.introspection.table_names():
        tally_refresh(rounds)
    return changed


# --- Progress and evidence ------------------------------------------------------------------------


def late_entry_hours() -> int:
    return int(settings.ZHENGGAI["LATE_ENTRY_HOURS"])


def is_late_entry(claimed: datetime.date, now: datetime.datetime | None = None) -> bool:
    """Whether a record typed now claims a date more than the allowed hours ago (补录)."""
    now = now or timezone.now()
    end_of_claimed_day = timezone.make_aware(datetime.datetime.combine(claimed, datetime.time.max))
    return now - end_of_claimed_day > datetime.timedelta(hours=late_entry_hours())


def late_entry_check(claimed: datetime.date, reason: str) -> tuple[bool, str]:
    """(is it 补录, the reason kept for it); a late entry without a reason is refused."""
    late = is_late_entry(claimed)
    if late and not reason.strip():
        raise LedgerError(
            _(
                "%(date)s is more than %(hours)s hours ago, so this is a late entry (补录). "
                "Say why it is entered only now."
            )
            % {"date": claimed.isoformat(), "hours": late_entry_hours()}
        )
    return late, reason.strip() if late else ""


def require_editable(measure: Measure) -> None:
    """Refuse a change to a measure that was reported done (its content is under review)."""
    if measure.status not in workflow.EDITABLE_STATES:
        raise LedgerError(_("A measure reported done cannot be changed. It must be returned first."))


@transaction.atomic
def progress_record(
    *, measure: Measure, actor, happened_on: datetime.date, text: str, late_reason: str = ""
) -> ProgressEntry:
    """Add a dated progress note; a first note moves a measure that had not started into work.

    The server's clock says when it was recorded; a date typed more than the allowed hours back
    marks the entry 补录 and needs a reason.
    """
    if not text.strip():
        raise LedgerError(_("Describe the progress."))
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    require_editable(measure)
    late, reason = late_entry_check(happened_on, late_reason)
    entry = ProgressEntry.objects.create(
        measure=measure,
        happened_on=happened_on,
        text=text.strip(),
        author=actor,
        late_entry=late,
        late_reason=reason,
    )
    payload: dict[str, Any] = {
        "progress_id": entry.pk,
        "happened_on": entry.happened_on,
        "text": entry.text,
        "late_entry": late,
        "late_reason": reason,
    }
    if measure.status == MeasureStatus.NOT_STARTED:
        # The first progress note starts the work: the START transition of the state machine.
        started = workflow.next_state(measure.status, workflow.Action.START)
        if started is None:  # the table always lets NOT_STARTED start
            raise RuntimeError("the workflow has no START from not_started")
        measure.status = started
        measure.version += 1
        measure.save(update_fields=["status", "version", "updated_at"])
        payload["fields"] = {"status": [MeasureStatus.NOT_STARTED, measure.status]}
        webhooks.measure_status_changed(
            measure=measure, previous=MeasureStatus.NOT_STARTED, action=workflow.Action.START
        )
    history.record(actor=actor, action="progress.record", obj=measure, payload=payload, also=[entry])
    if "fields" in payload:  # started: its status is counted elsewhere now (and its signals looked at)
        tally_refresh([measure.round_id])
    else:
        _signals_refresh([measure.round_id])
    return entry


def _signals_refresh(round_ids: list[int]) -> None:
    """The quality signals of rounds whose progress or evidence changed (zhenggai.signals)."""
    from zhenggai.signals.services import flags_refresh

    flags_refresh(round_ids)


@transaction.atomic
def evidence_attach(
    *, measure: Measure, actor, name: str, size: int, stream: IO[bytes], description: str = ""
) -> EvidenceFile:
    require_editable(measure)
    checked = check_evidence_upload(name, size, stream)
    evidence = EvidenceFile(
        measure=measure,
        original_name=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip()[:200],
        uploaded_by=actor,
    )
    stored_name = evidence_upload_path(evidence, checked.name)
    if evidence.file.storage.exists(stored_name):
        # Same bytes, one stored copy: the name is the content's hash. Reused even when no row
        # points to it (an upload rolled back after the file was written): saving anew would
        # get a suffixed name that is no longer the hash, and `verify` would call that a swap.
        evidence.file.name = stored_name
    else:
        evidence.file.save(checked.sha256, File(stream), save=False)
    evidence.save()
    # The content hash goes into the chain: `verify` checks the stored file against it.
    history.record(
        actor=actor,
        action="evidence.attach",
        obj=measure,
        payload={
            "evidence_id": evidence.pk,
            "sha256": evidence.sha256,
            "name": evidence.original_name,
            "size": evidence.size,
            "description": evidence.description,
        },
        also=[evidence],
    )
    # Done without evidence is counted in the tally (and the quality signals follow its refresh).
    tally_refresh([measure.round_id])
    return evidence


# --- Rounds and the import of a ledger/1 document ------------------------------------------------


def _last_day(precision_date: str | None) -> datetime.date | None:
    """`2020-07-31` → that day; `2020-07` → 31 July; `2020` → 31 December."""
    if not precision_date:
        return None
    parts = [int(p) for p in precision_date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return datetime.date(parts[0], 12, 31)


def find_or_create_department(unit: Organisation, name: str | None, actor) -> Organisation | None:
    if not name:
        return None
    found = find_department(unit, name)
    return found or organisation_create(name=name, kind=OrgKind.DEPARTMENT, parent=unit, actor=actor)


def find_or_create_person(unit: Organisation, name: str | None, actor) -> Person | None:
    if not name:
        return None
    found = find_person(unit, name)
    return found or person_create(name=name, organisation=unit, actor=actor)


@transaction.atomic
def round_create(
    *, actor, action: str = "round.create", payload: dict[str, Any] | None = None, **fields: Any
):
    """A new round (巡察轮次) of one inspected unit, followed by one inspection office."""
    unknown = set(fields) - {*ROUND_HISTORY_FIELDS, *ROUND_EXTRA_FIELDS}
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    round_ = InspectionRound.objects.create(**fields)
    history.record(
        actor=actor,
        action=action,
        obj=round_,
        payload={"values": snapshot(round_, [*ROUND_HISTORY_FIELDS, *ROUND_EXTRA_FIELDS]), **(payload or {})},
    )
    return round_


@transaction.atomic
def round_update(*, round_: InspectionRound, actor, **fields: Any) -> InspectionRound:
    """Change a round's title, dates, kind or the bodies that inspect and follow it."""
    names = [*ROUND_HISTORY_FIELDS, *ROUND_EXTRA_FIELDS]
    # The office rollup counts a round under its office, group, kind, year and unit: a change of
    # one of them moves the round's share (ledger.rollup).
    # The clock's lock first, as every tally refresh takes it before the round's (no deadlock).
    placed = bool(ROLLUP_FIELDS & set(fields)) and rollup.lock()
    before = rollup.places_of([round_.pk]).get(round_.pk) if placed else None
    updated = history.update_recorded(
        InspectionRound, round_.pk, actor=actor, action="round.update", tracked=names, fields=fields
    )
    if before is not None:
        rollup.round_moved(round_.pk, before)
    if "feedback_date" in fields:  # measures due before the feedback (zhenggai.signals)
        _signals_refresh([round_.pk])
    return updated


ROLLUP_FIELDS = frozenset({"office", "inspecting_group", "kind", "feedback_date", "inspected_unit"})


@transaction.atomic
def problem_create(
    *, round_: InspectionRound, actor, parent: Problem | None = None, **fields: Any
) -> Problem:
    """A node of a round's problem tree: a heading, or a problem found (one with a statement)."""
    unknown = set(fields) - {*PROBLEM_HISTORY_FIELDS, "cause_analysis", "amount_involved"}
    if unknown:
        raise TypeError(f"unknown problem fields: {sorted(unknown)}")
    fields.setdefault("outline", ((parent.outline if parent else "") + fields.get("label", ""))[:120])
    fields.setdefault("level", parent.level + 1 if parent else 1)
    if "position" not in fields:
        last = Problem.objects.filter(round=round_).order_by("-position").values_list("position", flat=True)
        fields["position"] = (last.first() or 0) + 1
    fields.setdefault("number", 0)
    problem = Problem.objects.create(round=round_, parent=parent, **fields)
    history.record(
        actor=actor,
        action="problem.create",
        obj=problem,
        payload={"values": snapshot(problem, PROBLEM_HISTORY_FIELDS)},
    )
    if problem.statement:  # a problem found: counted in its round's and category's tally rows
        tally_refresh([round_.pk])
    return problem


@transaction.atomic
def round_import_ledger(
    *,
    ledger: dict[str, Any],
    office: Organisation,
    inspected_unit: Organisation,
    inspecting_group: Organisation | None,
    actor,
    title: str | None = None,
) -> InspectionRound:
    """Create a round and its whole problem tree from a `zhenggai.ledger/1` document, all or nothing."""
    info = ledger.get("round") or {}
    feedback = info.get("feedback_date")
    round_ = round_create(
        actor=actor,
        action="round.import",
        payload={"ledger_sha256": json_sha256(ledger)},
        kind=info.get("kind") or "其他",
        title=title or ledger.get("title") or _("Untitled round"),
        office=office,
        inspecting_group=inspecting_group,
        inspected_unit=inspected_unit,
        feedback_date=datetime.date.fromisoformat(feedback) if feedback else None,
        preamble=ledger.get("preamble") or "",
        closing=ledger.get("closing") or "",
    )
    counter = iter(range(1, 1_000_000))
    importing = _Importing(round_, counter, actor, Classifier.from_database())
    with tally_deferred():  # the round counted once, not once per measure
        _import_nodes(ledger.get("sections") or [], importing, None, [])
    _find_repeats(round_)
    return round_


def _find_repeats(round_: InspectionRound) -> None:
    """Sketch the round's findings and link those an earlier round of its unit found already
    (屡查屡犯, zhenggai.repeats), in this transaction: the round is never seen without its links."""
    from zhenggai.repeats.services import round_repeats_refresh  # the repeats app builds on the ledger

    round_repeats_refresh(round_=round_)


# A document's status is the unit's own word, kept as its claim (`claimed_status`). "Done" (已整改完毕)
# leaves the measure in progress: it reaches 申请销号 only by being submitted with progress and
# evidence, or a written reason, and then the unit's review and the office's closing.
_IMPORTED_STATUS: dict[str, str] = {
    ClaimedStatus.NOT_STARTED: MeasureStatus.NOT_STARTED,
    ClaimedStatus.IN_PROGRESS: MeasureStatus.IN_PROGRESS,
    ClaimedStatus.DONE: MeasureStatus.IN_PROGRESS,
}


def _claim(item: dict[str, Any], node: dict[str, Any]) -> tuple[str, str, str]:
    """(the measure's status, the status the document claimed or "", the document's words)."""
    claimed = item.get("status") or node.get("status") or ""
    if claimed not in _IMPORTED_STATUS:
        return MeasureStatus.NOT_STARTED, "", ""
    words = (node.get("status_text") or "").strip()[:200]
    return _IMPORTED_STATUS[claimed], claimed, words


@dataclass
class _Importing:
    """What every node of one import shares: the round, the positions, who, and the rules."""

    round_: InspectionRound
    counter: Iterator[int]
    actor: Any
    classifier: Classifier


def _import_nodes(nodes, importing: _Importing, parent: Problem | None, headings: list[str]) -> None:
    """Create the nodes, their measures and children; each problem's category is the office's rules'
    (taxonomy.rules), from its own words, then the headings above it (`headings`, nearest first)."""
    for node in nodes:
        statement = node.get("problem") or ""
        title = node.get("title") or ""
        problem = problem_create(
            round_=importing.round_,
            actor=importing.actor,
            parent=parent,
            label=node.get("label") or "",
            outline=((parent.outline if parent else "") + (node.get("label") or ""))[:120],
            number=node.get("number") or 0,
            level=node.get("level") or (parent.level + 1 if parent else 1),
            position=next(importing.counter),
            title=title,
            statement=statement,
            category=importing.classifier.code(title, statement, _with_column(node, headings)),
        )
        for index, item in enumerate(node.get("measures") or [], start=1):
            import_measure(problem=problem, item=item, node=node, position=index, actor=importing.actor)
        _import_nodes(node.get("children") or [], importing, problem, [title, *headings])


def _with_column(node: dict[str, Any], headings: list[str]) -> list[str]:
    """The headings above a node, after the document's own 问题类别 for it when a table gave one
    (core/tables.py: ``党的政治建设方面`` in a category column): the unit's word before the sections'."""
    column = node.get("category")
    return [column, *headings] if isinstance(column, str) and column.strip() else headings


def document_measure(item: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """What a document's measure item (of problem node `node`) says, as measure fields: the people
    and the departments still as names (`owner`, `department`, `doer`; `partners` a list)."""
    status, claimed_status, claimed_text = _claim(item, node)
    long_term = bool(node.get("long_term") or item.get("long_term"))
    # One kind each: a document saying both 立行立改 and 长期坚持 keeps the long-term checks.
    kind = MeasureKind.LONG_TERM if long_term else MeasureKind.TIME_BOUND
    if not long_term and "立行立改" in (node.get("status_text") or ""):
        kind = MeasureKind.IMMEDIATE
    return {
        "text": item.get("text") or "",
        "status": status,
        "claimed_status": claimed_status,
        "claimed_text": claimed_text,
        "long_term": long_term,
        "kind": kind,
        "deadline": _last_day(item.get("deadline") or node.get("deadline")),
        # A cell may hold more than a name ("王强、李明（分别负责）"): kept to what the records hold.
        "department": (item.get("department") or "").strip()[: _max_length(Organisation, "name")],
        "owner": (item.get("owner") or "").strip()[: _max_length(Person, "name")],
        "doer": (item.get("doer") or "").strip()[: _max_length(Person, "name")],
        "partners": partner_names(item.get("partners")),
    }


_PARTNER_SEPARATORS = re.compile(r"[、，,；;／/\s\u3000]+")


def partner_names(value: Any) -> list[str]:
    """The cooperating departments (配合部门) a cell names: ``财务科、人事科`` → both, in order, once
    each, each cut to what the records hold; a list as it is."""
    parts = value if isinstance(value, list) else _PARTNER_SEPARATORS.split(str(value or ""))
    limit = _max_length(Organisation, "name")
    names = [str(part).strip()[:limit] for part in parts]
    return list(dict.fromkeys(name for name in names if name))


def _max_length(model, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", None) or 200)


def find_department(unit: Organisation, name: str) -> Organisation | None:
    """The unit's organisation of that name, if there is one (the importer creates it if not)."""
    return Organisation.objects.filter(path__startswith=unit.path, name=name).first() if name else None


def find_person(unit: Organisation, name: str) -> Person | None:
    """A person of the unit's staff of that name, if there is one (the importer creates them if not)."""
    return (
        Person.objects.filter(organisation__path__startswith=unit.path, name=name).first() if name else None
    )


def import_measure(
    *, problem: Problem, item: dict[str, Any], node: dict[str, Any], position: int, actor
) -> Measure:
    """Create a measure as a document gives it, its departments (lead and cooperating), leader and
    person in charge found or created by name within the unit."""
    fields = document_measure(item, node)
    unit = problem.round.inspected_unit
    department, owner = fields.pop("department"), fields.pop("owner")
    doer, partners = fields.pop("doer"), fields.pop("partners")
    lead = find_or_create_department(unit, department, actor)
    cooperating = [find_or_create_department(unit, name, actor) for name in partners]
    return measure_create(
        problem=problem,
        actor=actor,
        position=position,
        lead_department=lead,
        responsible_leader=find_or_create_person(unit, owner, actor),
        doer=find_or_create_person(unit, doer, actor),
        cooperating_departments=list(dict.fromkeys(d for d in cooperating if d is not None)),
        **fields,
    )


def import_subtree(
    *, nodes: list[dict[str, Any]], round_: InspectionRound, parent: Problem | None, actor
) -> None:
    """Add a document's nodes, their measures and children, under `parent` in an existing round;
    they come after the round's last problem in the document order."""
    last = (
        Problem.objects.filter(round=round_).order_by("-position").values_list("position", flat=True).first()
    )
    counter = iter(range((last or 0) + 1, 1_000_000_000))
    headings = []
    ancestor = parent
    while ancestor is not None:  # the headings above the new nodes, nearest first
        headings.append(ancestor.title)
        ancestor = ancestor.parent
    with tally_deferred():
        _import_nodes(nodes, _Importing(round_, counter, actor, Classifier.from_database()), parent, headings)
    _find_repeats(round_)
