"""Update a round from its edited workbook (从台账更新): match, show the changes, apply.

Rows are matched by numbering path: a document node by its labels from the root (一、1.（2）, the
problem's `outline`), a measure by its place under its problem. What differs is shown old | new
per field and applied through the ledger's services, one history entry per change, in one
transaction. A document's status stays a claim (see `ClaimedStatus`): it never closes, reopens or
moves a measure back. A row that would (a document calling a measure less done than it is, or
changing one reported done) is listed and refused; the others are applied. New problems and
measures are created; what the round holds and the workbook does not is listed, never deleted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai.history import services as history
from zhenggai.history.canonical import json_sha256
from zhenggai.ledger import services, workflow
from zhenggai.ledger.bulk import FieldChange
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import (
    DONE_STATES,
    ClaimedStatus,
    InspectionRound,
    Measure,
    MeasureStatus,
    Problem,
)
from zhenggai.ledger.tally import tally_deferred

# How far along a status is, the document's three and the measure's five on one scale.
_CLAIM_RANK = {ClaimedStatus.NOT_STARTED: 0, ClaimedStatus.IN_PROGRESS: 1, ClaimedStatus.DONE: 2}
_CLAIM_WORDS = {
    ClaimedStatus.NOT_STARTED: "未启动",
    ClaimedStatus.IN_PROGRESS: "整改中",
    ClaimedStatus.DONE: "已完成",
}


def _rank(status: str) -> int:
    if status in DONE_STATES:
        return 2
    return 1 if status == MeasureStatus.IN_PROGRESS else 0


@dataclass
class RowPlan:
    """One measure of the workbook matched with the round's: what changes, or why it may not."""

    label: str  # the problem's numbering and the measure's place, e.g. "一、1. 第2项措施"
    measure: Measure
    changes: list[FieldChange] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # for measure_update; people still as names
    refusal: str = ""
    note: str = ""  # a claim shown, not applied


@dataclass
class NewRow:
    path: str
    text: str
    node: dict[str, Any]
    item: dict[str, Any] | None  # None: a whole new problem (node), with its measures and children
    problem: Problem | None  # where it goes: the problem of a new measure, the parent of a new node
    position: int = 0


@dataclass
class ReimportPlan:
    rows: list[RowPlan]
    new: list[NewRow]
    missing: list[str]  # what the round holds and the workbook does not: kept
    versions: dict[int, int]  # the measures' versions the plan was made from

    @property
    def changed(self) -> list[RowPlan]:
        return [r for r in self.rows if r.changes and not r.refusal]

    @property
    def refused(self) -> list[RowPlan]:
        return [r for r in self.rows if r.refusal]

    @property
    def notes(self) -> list[RowPlan]:
        return [r for r in self.rows if r.note and not r.refusal]

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if not r.changes and not r.refusal)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _label(name: str) -> str:
    return str(getattr(Measure._meta.get_field(name), "verbose_name", name))


def _compare(measure: Measure, given: dict[str, Any]) -> tuple[list[FieldChange], dict[str, Any]]:
    """The fields a document row changes on a measure. A blank cell changes nothing."""
    changes, fields = [], {}
    text = given["text"].strip()
    if text and text != measure.text.strip():
        changes.append(FieldChange(_label("text"), measure.text, text))
        fields["text"] = text
    for name, key in (("responsible_leader", "owner"), ("lead_department", "department"), ("doer", "doer")):
        current = getattr(measure, name)
        if given[key] and given[key] != (current.name if current else ""):
            changes.append(FieldChange(_label(name), _text(current and current.name), given[key]))
            fields[name] = given[key]
    if given["deadline"] and given["deadline"] != measure.deadline:
        changes.append(FieldChange(_label("deadline"), _text(measure.deadline), _text(given["deadline"])))
        fields["deadline"] = given["deadline"]
    partners = given["partners"]
    current_partners = [d.name for d in measure.cooperating_departments.all()]
    if partners and sorted(partners) != sorted(current_partners):
        changes.append(
            FieldChange(
                _label("cooperating_departments"), _text("、".join(current_partners)), "、".join(partners)
            )
        )
        fields["cooperating_departments"] = partners
    return changes, fields


def _judge(row: RowPlan, given: dict[str, Any]) -> None:
    """Refuse what would move a status back or change a measure reported done; note a claim."""
    measure = row.measure
    state = MeasureStatus(measure.status).label
    claimed = given["claimed_status"]
    if claimed and _CLAIM_RANK[claimed] < _rank(measure.status):
        row.refusal = _(
            "The workbook says “%(claim)s” but the measure is “%(state)s”: a document never moves a "
            "status back. Return the measure in the app if it must be reopened."
        ) % {"claim": _CLAIM_WORDS[claimed], "state": state}
    elif row.changes and measure.status not in workflow.EDITABLE_STATES:
        row.refusal = _(
            "The measure is “%(state)s”: a measure reported done is not changed by a workbook. "
            "Return it in the app first."
        ) % {"state": state}
    elif claimed and _CLAIM_RANK[claimed] > _rank(measure.status):
        row.note = _(
            "The workbook says “%(claim)s”; the measure stays “%(state)s”: a status moves on only "
            "through progress, submission and review in the app."
        ) % {"claim": _CLAIM_WORDS[claimed], "state": state}


def _without_blank_measures(node: dict[str, Any]) -> dict[str, Any]:
    """A new node as it will be created: the empty rows of its measures left out, at every level."""
    return {
        **node,
        "measures": [m for m in node.get("measures") or [] if (m.get("text") or "").strip()],
        "children": [_without_blank_measures(child) for child in node.get("children") or []],
    }


def _outline(parent: str, node: dict[str, Any]) -> str:
    return (parent + (node.get("label") or ""))[:120]


class _Planner:
    def __init__(self, round_: InspectionRound):
        self.round = round_
        problems = list(round_.problems.order_by("position"))
        self.by_outline = {p.outline or p.label: p for p in problems}
        self.measures: dict[int, list[Measure]] = defaultdict(list)
        for m in (
            Measure.objects.filter(round=round_)
            .select_related("responsible_leader", "lead_department", "doer", "problem")
            .prefetch_related("cooperating_departments")
            .order_by("problem__position", "position", "pk")
        ):
            self.measures[m.problem_id].append(m)
        self.seen_problems: set[int] = set()
        self.seen_measures: set[int] = set()
        self.rows: list[RowPlan] = []
        self.new: list[NewRow] = []

    def walk(self, nodes: list[dict[str, Any]], parent: Problem | None, parent_outline: str) -> None:
        for node in nodes:
            outline = _outline(parent_outline, node)
            problem = self.by_outline.get(outline)
            if problem is None:
                title = node.get("title") or node.get("problem") or ""
                self.new.append(NewRow(outline, title, _without_blank_measures(node), None, parent))
                continue  # its measures and children come with it
            self.seen_problems.add(problem.pk)
            self._measures(problem, node)
            self.walk(node.get("children") or [], problem, outline)

    def _measures(self, problem: Problem, node: dict[str, Any]) -> None:
        existing = self.measures.get(problem.pk, [])
        items = node.get("measures") or []
        if len(items) > 1:
            # The 完成情况 cell of a problem is merged over its measures: it speaks of them together
            # (one open, one closed read as "in progress"), so a measure's claim is its own row's only.
            node = {**node, "status": None}
        for index, item in enumerate(items):
            path = _("%(outline)s measure %(n)s") % {
                "outline": problem.outline or problem.label,
                "n": index + 1,
            }
            given = services.document_measure(item, node)
            if index >= len(existing):
                if not given["text"].strip():
                    continue  # an empty row of the sheet, not a measure
                self.new.append(NewRow(path, given["text"], node, item, problem, index + 1))
                continue
            measure = existing[index]
            self.seen_measures.add(measure.pk)
            changes, fields = _compare(measure, given)
            row = RowPlan(path, measure, changes, fields)
            _judge(row, given)
            self.rows.append(row)

    def missing(self) -> list[str]:
        gone = []
        for outline, problem in self.by_outline.items():
            if problem.pk not in self.seen_problems:
                gone.append(f"{outline} {problem.title[:40]}")
                continue
            for index, m in enumerate(self.measures.get(problem.pk, []), start=1):
                if m.pk not in self.seen_measures:
                    gone.append(
                        _("%(outline)s measure %(n)s") % {"outline": outline, "n": index} + f" {m.text[:40]}"
                    )
        return gone


def reimport_plan(*, round_: InspectionRound, ledger: dict[str, Any]) -> ReimportPlan:
    """What updating `round_` from the document `ledger` (a `zhenggai.ledger/1` dict) would do."""
    planner = _Planner(round_)
    planner.walk(ledger.get("sections") or [], None, "")
    versions = {m.pk: m.version for ms in planner.measures.values() for m in ms}
    return ReimportPlan(planner.rows, planner.new, planner.missing(), versions)


def _resolved(fields: dict[str, Any], round_: InspectionRound, actor) -> dict[str, Any]:
    """The plan's fields with the people and departments found or created by name, as the importer does."""
    unit = round_.inspected_unit
    resolved = dict(fields)
    if "responsible_leader" in fields:
        resolved["responsible_leader"] = services.find_or_create_person(
            unit, fields["responsible_leader"], actor
        )
    if "lead_department" in fields:
        resolved["lead_department"] = services.find_or_create_department(
            unit, fields["lead_department"], actor
        )
    if "doer" in fields:
        resolved["doer"] = services.find_or_create_person(unit, fields["doer"], actor)
    if "cooperating_departments" in fields:
        found = [
            services.find_or_create_department(unit, name, actor)
            for name in fields["cooperating_departments"]
        ]
        resolved["cooperating_departments"] = [d for d in found if d is not None]
    return resolved


def _apply(plan: ReimportPlan, round_: InspectionRound, actor) -> None:
    for row in plan.changed:
        services.measure_update(
            measure=row.measure,
            actor=actor,
            expected_version=row.measure.version,
            **_resolved(row.fields, round_, actor),
        )
    for new in plan.new:
        if new.item is None:
            services.import_subtree(nodes=[new.node], round_=round_, parent=new.problem, actor=actor)
        elif new.problem is not None:
            services.import_measure(
                problem=new.problem, item=new.item, node=new.node, position=new.position, actor=actor
            )


@transaction.atomic
def round_update_from_ledger(
    *, round_: InspectionRound, ledger: dict[str, Any], actor, expected_versions: dict[int, int]
) -> ReimportPlan:
    """Apply `reimport_plan` to the round: the refused rows are left, the rest written, all at once.

    `expected_versions` are the measures' versions the preview was made from: if any changed
    meanwhile, nothing is written (`StaleEdit`) and the preview must be made again."""
    list(Measure.objects.select_for_update().filter(round=round_).values_list("pk", flat=True))
    plan = reimport_plan(round_=round_, ledger=ledger)
    if plan.versions != expected_versions:
        raise StaleEdit(
            _("The round was changed after the preview. Nothing was changed; look at the changes again."),
            [],
        )
    if not (plan.changed or plan.new):
        raise LedgerError(_("The workbook holds no change to apply."))
    with tally_deferred():  # the round counted once, at the end
        _apply(plan, round_, actor)
    history.record(
        actor=actor,
        action="round.reimport",
        obj=round_,
        payload={
            "ledger_sha256": json_sha256(ledger),
            "changed": sorted(r.measure.pk for r in plan.changed),
            "refused": sorted(r.measure.pk for r in plan.refused),
            "new": len(plan.new),
            "missing": len(plan.missing),
        },
    )
    return plan
