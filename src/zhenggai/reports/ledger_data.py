"""A round as a `zhenggai.ledger/1` document: what every renderer and exporter reads.

The inverse of the importer. Callers hold access to the round (see `ledger.access`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from itertools import islice
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import OuterRef, Subquery

from zhenggai.ledger.models import (
    DONE_STATES,
    DeadlineExtension,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureStatus,
    Problem,
    ProgressEntry,
)
from zhenggai.orgs.selectors import ledger_column_orders
from zhenggai.taxonomy.selectors import category_names

SCHEMA = "zhenggai.ledger/1"


def _status(state: str) -> str:
    """The three statuses a document knows; the review stages all read as done (已完成)."""
    if state in DONE_STATES:
        return "done"
    return "in_progress" if state == MeasureStatus.IN_PROGRESS else "not_started"


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


# How many rounds are read together: a few queries a batch, whatever the number of rounds. The
# batch's measures are held as tuples (about 130 a round at 30 problems × 4 measures).
ROUND_BATCH = 200


def round_to_ledger(round_: InspectionRound, *, problem_ids: Collection[int] | None = None) -> dict[str, Any]:
    """The round's tree with its measures, progress and evidence; `problem_ids` keeps only those
    problems (with their headings above them)."""
    return next(round_ledgers([round_], problem_ids=problem_ids))


def round_ledgers(
    rounds: Iterable[InspectionRound],
    *,
    problem_ids: Collection[int] | None = None,
    batch: int = ROUND_BATCH,
    read_ahead: bool = False,
) -> Iterator[dict[str, Any]]:
    """The ledgers of `rounds`, in their order, read `batch` rounds at a time.

    Each batch is a few queries (problems; measures with their newest progress note; evidence
    names; cooperating departments; extension reasons; the offices' column orders), read as
    tuples, not model instances; a round's ledger is built as
    it is yielded, so memory holds a batch of rows and one ledger. A round's own fields are read
    from the instance given (select_related its units for a large export).

    `read_ahead`: the next batch is read in a thread of its own, on its own database connection,
    while the caller works through this one (the database's time hidden behind the writer's).
    Only outside a transaction: that connection does not see what this one has not committed.
    """
    todo = iter(rounds)
    with ExitStack() as stack:
        pool: ThreadPoolExecutor | _Inline = _Inline()
        if read_ahead:
            pool = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="ledger-read"))
            stack.callback(pool.submit, _close_connection)
        chunk = list(islice(todo, batch))
        pending = pool.submit(_read, *_keys(chunk))
        while chunk:
            rows = pending.result()
            following = list(islice(todo, batch))
            if following:
                pending = pool.submit(_read, *_keys(following))
            yield from _ledgers(chunk, rows, problem_ids)
            chunk = following


def _keys(chunk: list[InspectionRound]) -> tuple[list[int], set[int]]:
    return [round_.pk for round_ in chunk], {round_.office_id for round_ in chunk}


def _close_connection() -> None:
    connection.close()  # this thread's own: `connection` is looked up in the thread that runs this


class _Inline:
    """An executor that runs what it is given at once, in this thread."""

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        future.set_result(function(*args))
        return future


class _Rows(NamedTuple):
    """A batch of rounds as read: rows by round; evidence names, cooperating departments and
    extension reasons by measure; the column order of the ledger workbook by office."""

    problems: dict[int, list[tuple]]
    measures: dict[int, list[tuple]]
    evidence: dict[int, list[str]]
    reasons: dict[int, str]
    partners: dict[int, list[str]]
    orders: dict[int, list[str]]


def _read(ids: list[int], office_ids: set[int]) -> _Rows:
    problems: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Problem.objects.filter(round_id__in=ids)
        .order_by("round_id", "position", "pk")
        .values_list(
            "round_id", "pk", "parent_id", "label", "number", "level", "title", "statement", "category"
        )
    ):
        problems[row[0]].append(row)
    newest_progress = (
        ProgressEntry.objects.filter(measure_id=OuterRef("pk"))
        .order_by("-happened_on", "-recorded_at", "-pk")
        .values("text")[:1]
    )
    measures: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Measure.objects.filter(round_id__in=ids)
        .order_by("round_id", "position", "pk")
        .values_list(
            "round_id",
            "pk",
            "problem_id",
            "text",
            "status",
            "deadline",
            "responsible_leader__name",
            "lead_department__name",
            "doer__name",
            "long_term",
            "completed_on",
            Subquery(newest_progress),
        )
    ):
        measures[row[0]].append(row)
    evidence: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in (
        EvidenceFile.objects.filter(measure__round_id__in=ids)
        .order_by("measure_id", "uploaded_at", "pk")
        .values_list("measure_id", "original_name")
    ):
        evidence[measure_id].append(name)
    partners: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in (
        Measure.cooperating_departments.through.objects.filter(measure__round_id__in=ids)
        .order_by("measure_id", "organisation__path")  # in the tree's order
        .values_list("measure_id", "organisation__name")
    ):
        partners[measure_id].append(name)
    reasons: dict[int, str] = {}
    for measure_id, reason in (
        DeadlineExtension.objects.filter(measure__round_id__in=ids)
        .order_by("measure_id", "-requested_at", "-pk")
        .values_list("measure_id", "reason")
    ):
        reasons.setdefault(measure_id, reason)  # the newest request
    return _Rows(problems, measures, evidence, reasons, partners, ledger_column_orders(office_ids))


def _ledgers(
    chunk: list[InspectionRound], rows: _Rows, problem_ids: Collection[int] | None
) -> Iterator[dict[str, Any]]:
    categories = category_names()
    for round_ in chunk:
        by_problem: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows.measures.pop(round_.pk, ()):
            item = _measure_item(
                row,
                rows.evidence.pop(row[1], None),
                rows.reasons.get(row[1]),
                rows.partners.pop(row[1], None),
            )
            by_problem[row[2]].append(item)
        ledger = _round_ledger(round_, rows.problems.pop(round_.pk, []), by_problem, problem_ids, categories)
        ledger["column_order"] = rows.orders.get(round_.office_id)  # the office's, or None: the default
        yield ledger


def _measure_item(
    row: tuple, evidence: list[str] | None, delay_reason: str | None, partners: list[str] | None
) -> dict[str, Any]:
    _round, _pk, _problem, text, state, deadline, owner, department, doer, long_term, completed, progress = (
        row
    )
    return {
        "text": text,
        "status": _status(state),
        "deadline": deadline.isoformat() if deadline else None,
        "owner": owner,
        "department": department,
        "partners": "、".join(partners or ()) or None,  # 配合部门: beyond ledger/1's keys
        "doer": doer,  # 具体责任人: beyond ledger/1's keys
        "long_term": long_term,
        "progress": progress,
        "evidence": "、".join(evidence or ()) or None,
        "delay_reason": delay_reason,
        "completed_on": completed.isoformat() if completed else None,
        "state": state,
    }


def _round_ledger(
    round_: InspectionRound,
    problems: list[tuple],
    by_problem: dict[int, list[dict[str, Any]]],
    problem_ids: Collection[int] | None,
    categories: dict[str, str],
) -> dict[str, Any]:
    keep = _with_ancestors([(p[1], p[2]) for p in problems], problem_ids) if problem_ids is not None else None
    children: dict[int | None, list[tuple]] = defaultdict(list)
    for problem in problems:
        if keep is None or problem[1] in keep:
            children[problem[2]].append(problem)

    def node(problem: tuple) -> dict[str, Any]:
        _r, pk, _parent, label, number, level, title, statement, category = problem
        items = by_problem.get(pk, [])
        return {
            "label": label,
            "number": number,
            "level": level,
            "title": title,
            "problem": statement or None,
            "text": None,
            "measures": items,
            "status": _node_status(items),
            "long_term": any(item["long_term"] for item in items),
            "deadline": _node_deadline(items),
            "status_text": None,
            "children": [node(child) for child in children.get(pk, [])],
            "category": categories.get(category, category),
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


def _with_ancestors(problems: list[tuple[int, int | None]], problem_ids: Collection[int]) -> set[int]:
    """The problems to keep of (pk, parent_id) pairs: the chosen, all under them, the headings above."""
    parents = dict(problems)
    keep: set[int] = set()
    below: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in problems:
        below[parent_id].append(pk)
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
