"""Bulk assignment (批量分配): one form sets the responsibilities, deadline and kind of many measures.

`bulk_plan` says what would change, measure by measure (old → new), and which measures may not
be changed and why; `bulk_assign` writes the same plan in one transaction, each measure through
`services.measure_update` (one history entry per measure, the notices hooked there included).
A measure changed since the preview (its version moved), or one the user may not edit (reported
done, or no right over the round) refuses the whole batch, listing each with its reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai.ledger import services, workflow
from zhenggai.ledger.access import RoundRights, rights_for
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import InspectionRound, Measure, MeasureKind, MeasureStatus
from zhenggai.ledger.tally import tally_deferred
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Organisation, Person

# The single-valued fields a bulk assignment may set, in the order the preview lists them.
SINGLE_FIELDS = ["responsible_leader", "lead_department", "doer", "deadline", "kind", "long_term"]


@dataclass(frozen=True)
class BulkValues:
    """What to set on every selected measure; None (or "" for the kind) leaves a field as it is."""

    responsible_leader: Person | None = None
    lead_department: Organisation | None = None
    cooperating_departments: tuple[Organisation, ...] | None = None
    doer: Person | None = None
    deadline: datetime.date | None = None
    kind: str = ""

    def fields(self) -> dict[str, Any]:
        """The `measure_update` fields these values set. Kinds are exclusive: setting one sets
        `long_term` with it (长期坚持 is the only kind kept up long term)."""
        chosen: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("responsible_leader", "lead_department", "doer", "deadline")
            if getattr(self, name) is not None
        }
        if self.kind:
            chosen["kind"] = self.kind
            chosen["long_term"] = self.kind == MeasureKind.LONG_TERM
        return chosen

    @property
    def is_empty(self) -> bool:
        return not self.fields() and self.cooperating_departments is None


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class PlannedMeasure:
    """One selected measure: what would change on it, or why it may not be changed."""

    measure: Measure
    version: int  # the version the plan was made from (the preview's, at the write)
    changes: list[FieldChange] = field(default_factory=list)
    refusal: str = ""

    @property
    def label(self) -> str:
        return measure_label(self.measure)


@dataclass
class BulkPlan:
    rows: list[PlannedMeasure]

    @property
    def changed(self) -> list[PlannedMeasure]:
        return [row for row in self.rows if row.changes and not row.refusal]

    @property
    def unchanged(self) -> list[PlannedMeasure]:
        return [row for row in self.rows if not row.changes and not row.refusal]

    @property
    def refused(self) -> list[PlannedMeasure]:
        return [row for row in self.rows if row.refusal]

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(field, new value, how many measures get it), in the order the fields were met."""
        counts: dict[tuple[str, str], int] = {}
        for row in self.changed:
            for change in row.changes:
                counts[(change.label, change.new)] = counts.get((change.label, change.new), 0) + 1
        return [(label, new, n) for (label, new), n in counts.items()]


def form_first(rights: RoundRights) -> bool:
    """Whether a round's ledger opens with the bulk assignment form, as this person's primary action
    there: for whoever may set who answers for the measures but does none of their work, the unit's
    administrator (单位管理员), whose part in a round is just that. The clerk (单位联络员) may assign
    too, but their next step is on the measures themselves (start, record progress, add evidence,
    report done): for them the form is one click away, and the page does not build it."""
    return rights.can_edit_ledger and not rights.can(Action.RECORD_PROGRESS)


class BulkRefused(LedgerError):
    """The whole batch was refused; `refused` lists (measure, reason) for each measure at fault."""

    def __init__(self, message: str, refused: list[PlannedMeasure]):
        super().__init__(message)
        self.refused = refused


def measure_label(measure: Measure) -> str:
    """How a measure is named in a list: its problem's numbering and the start of its text."""
    outline = measure.problem.outline or measure.problem.label
    text = measure.text if len(measure.text) <= 30 else measure.text[:29] + "…"
    return f"{outline} {text}".strip()


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _field_label(name: str) -> str:
    return str(getattr(Measure._meta.get_field(name), "verbose_name", name))


def _changes(measure: Measure, values: BulkValues) -> list[FieldChange]:
    changes = []
    for name, new in values.fields().items():
        old = getattr(measure, name)
        if old == new:
            continue
        if name == "kind":
            changes.append(
                FieldChange(
                    _field_label(name), _shown(measure.get_kind_display()), _shown(MeasureKind(new).label)
                )
            )
        else:
            changes.append(FieldChange(_field_label(name), _shown(old), _shown(new)))
    if values.cooperating_departments is not None:
        old_departments = sorted(measure.cooperating_departments.all(), key=lambda d: d.path)
        new_departments = sorted(values.cooperating_departments, key=lambda d: d.path)
        if [d.pk for d in old_departments] != [d.pk for d in new_departments]:
            changes.append(
                FieldChange(
                    _field_label("cooperating_departments"),
                    "、".join(d.name for d in old_departments) or "—",
                    "、".join(d.name for d in new_departments) or "—",
                )
            )
    return changes


def _refusal(measure: Measure, version: int, may_edit: bool) -> str:
    if not may_edit:
        return _("Your role does not allow editing the measures of this round.")
    if measure.status not in workflow.EDITABLE_STATES:
        return _("It is “%(state)s”: a measure reported done cannot be changed until it is returned.") % {
            "state": MeasureStatus(measure.status).label
        }
    if measure.version != version:
        return _(
            "Someone else changed it after the preview (version %(mine)s, now %(now)s): preview again."
        ) % {"mine": version, "now": measure.version}
    return ""


def bulk_plan(
    *,
    round_: InspectionRound,
    actor,
    measures: list[Measure],
    values: BulkValues,
    versions: dict[int, int] | None = None,
) -> BulkPlan:
    """What `values` would change on each of `measures` (of `round_`), and what refuses the batch.

    `versions` are the versions the user saw (the preview's); without them, the current ones."""
    may_edit = Action.EDIT_MEASURE in rights_for(actor, round_).actions
    rows = []
    for measure in measures:
        version = measure.version if versions is None else versions[measure.pk]
        rows.append(
            PlannedMeasure(
                measure=measure,
                version=version,
                changes=_changes(measure, values),
                refusal=_refusal(measure, version, may_edit),
            )
        )
    return BulkPlan(rows)


def _measures(round_: InspectionRound, ids) -> list[Measure]:
    return list(
        Measure.objects.filter(round=round_, pk__in=list(ids))
        .select_related("problem", "responsible_leader", "lead_department", "doer")
        .prefetch_related("cooperating_departments")
        .order_by("problem__position", "position", "pk")
    )


def bulk_preview(*, round_: InspectionRound, actor, measure_ids, values: BulkValues) -> BulkPlan:
    """The plan for the measures of `round_` named by `measure_ids`, as they are now."""
    return bulk_plan(round_=round_, actor=actor, measures=_measures(round_, measure_ids), values=values)


@transaction.atomic
def bulk_assign(
    *, round_: InspectionRound, actor, versions: dict[int, int], values: BulkValues
) -> list[Measure]:
    """Set `values` on the measures of `round_` keyed in `versions` (id → the version previewed).

    All or nothing: the measures are locked, then a stale, reported-done or forbidden one refuses
    the batch (`BulkRefused`, nothing written). Each measure that changes is written by
    `services.measure_update`, one history entry each; those left as they were get none."""
    if values.is_empty:
        raise LedgerError(_("Choose at least one thing to change."))
    locked = Measure.objects.select_for_update().filter(round=round_, pk__in=list(versions))
    if len(list(locked.values_list("pk", flat=True))) != len(versions):
        raise LedgerError(_("Some of the selected measures are not in this round."))
    plan = bulk_plan(
        round_=round_, actor=actor, measures=_measures(round_, versions), values=values, versions=versions
    )
    if plan.refused:
        raise BulkRefused(
            _("Nothing was changed: %(n)s of the selected measures cannot be changed now.")
            % {"n": len(plan.refused)},
            plan.refused,
        )
    fields = values.fields()
    updated = []
    with tally_deferred():  # the round counted once for the batch
        for row in plan.changed:
            updated.append(
                services.measure_update(
                    measure=row.measure,
                    actor=actor,
                    expected_version=row.version,
                    cooperating_departments=values.cooperating_departments,
                    **fields,
                )
            )
    return updated
