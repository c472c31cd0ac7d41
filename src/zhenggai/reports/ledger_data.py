"""A round as a `zhenggai.ledger/1` document: what every renderer and exporter reads.

The inverse of the importer. Callers hold access to the round (see `ledger.access`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch

from zhenggai.ledger.models import DONE_STATES, InspectionRound, Measure, MeasureStatus, ProgressEntry

SCHEMA = "zhenggai.ledger/1"


def _status(state: str) -> str:
    """The three statuses a document knows; the review stages all read as done (已完成)."""
    if state in DONE_STATES:
        return "done"
    return "in_progress" if state == MeasureStatus.IN_PROGRESS else "not_started"


def _measure_item(measure: Measure) -> dict[str, Any]:
    progress = list(measure.progress_entries.all())
    evidence = list(measure.evidence_files.all())
    extension = next(iter(measure.extensions.all()), None)
    return {
        "text": measure.text,
        "status": _status(measure.status),
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "owner": measure.responsible_leader.name if measure.responsible_leader else None,
        "department": measure.lead_department.name if measure.lead_department else None,
        "long_term": measure.long_term,
        "progress": progress[0].text if progress else None,
        "evidence": "、".join(e.original_name for e in evidence) or None,
        "delay_reason": extension.reason if extension else None,
        "completed_on": measure.completed_on.isoformat() if measure.completed_on else None,
        "state": measure.status,
    }


def _node_status(items: list[dict[str, Any]]) -> str | None:
    if not items:
        return None
    statuses = {item["status"] for item in items}
    if statuses == {"done"}:
        return "done"
    if statuses == {"not_started"}:
        return "not_started"
    return "in_progress"


def _node_deadline(items: list[dict[str, Any]]) -> str | None:
    open_deadlines = [item["deadline"] for item in items if item["status"] != "done" and item["deadline"]]
    return max(open_deadlines) if open_deadlines else None


def round_to_ledger(round_: InspectionRound, *, problem_ids: Collection[int] | None = None) -> dict[str, Any]:
    """The round's tree with its measures, progress and evidence; `problem_ids` keeps only those
    problems (with their headings above them)."""
    measures = (
        Measure.objects.filter(round=round_)
        .select_related("responsible_leader", "lead_department")
        .prefetch_related(
            Prefetch(
                "progress_entries", queryset=ProgressEntry.objects.order_by("-happened_on", "-recorded_at")
            ),
            "evidence_files",
            "extensions",
        )
        .order_by("position", "pk")
    )
    by_problem: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for measure in measures:
        by_problem[measure.problem_id].append(_measure_item(measure))
    problems = list(round_.problems.order_by("position"))
    keep = _with_ancestors(problems, problem_ids) if problem_ids is not None else None
    children: dict[int | None, list] = defaultdict(list)
    for problem in problems:
        if keep is None or problem.pk in keep:
            children[problem.parent_id].append(problem)

    def node(problem) -> dict[str, Any]:
        items = by_problem.get(problem.pk, [])
        return {
            "label": problem.label,
            "number": problem.number,
            "level": problem.level,
            "title": problem.title,
            "problem": problem.statement or None,
            "text": None,
            "measures": items,
            "status": _node_status(items),
            "long_term": any(item["long_term"] for item in items),
            "deadline": _node_deadline(items),
            "status_text": None,
            "children": [node(child) for child in children.get(problem.pk, [])],
            "category": problem.get_category_display(),
        }

    return {
        "schema": SCHEMA,
        "title": round_.title,
        "round": {
            "kind": round_.kind,
            "inspector": round_.inspecting_group.name if round_.inspecting_group else None,
            "target": round_.inspected_unit.name,
            "feedback_date": round_.feedback_date.isoformat() if round_.feedback_date else None,
        },
        "preamble": round_.preamble or None,
        "closing": round_.closing or None,
        "sections": [node(p) for p in children.get(None, [])],
        "dropped": [],
        "warnings": [],
        "exported_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
    }


def _with_ancestors(problems, problem_ids: Collection[int]) -> set[int]:
    parents = {p.pk: p.parent_id for p in problems}
    keep: set[int] = set()
    below: dict[int | None, list[int]] = defaultdict(list)
    for p in problems:
        below[p.parent_id].append(p.pk)
    stack = [pk for pk in problem_ids if pk in parents]
    while stack:  # a chosen problem brings everything under it
        pk = stack.pop()
        if pk not in keep:
            keep.add(pk)
            stack.extend(below.get(pk, []))
    for pk in list(keep):  # and the headings above it
        parent = parents.get(pk)
        while parent is not None and parent not in keep:
            keep.add(parent)
            parent = parents.get(parent)
    return keep
