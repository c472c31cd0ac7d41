"""The ledger interchange format ``zhenggai.ledger/1``: typed shapes, constructors, JSON and a light check.

The full contract is ``ledger-v1.md`` / ``ledger-v1.schema.json`` in the shared folder; this module
keeps the keys in one place so readers and writers agree. Keys beyond the schema's are allowed
(``metadata`` at the top, ``sheet`` on a workbook's sheet nodes, ``column_order`` at the top for
the ledger workbook's columns, ``progress``/``partners``/``doer`` on measures: ``partners`` the
cooperating departments (配合部门) as printed, several names joined by ``、``, ``doer`` the specific
person responsible (具体责任人) as printed) and every consumer must ignore the ones it does not know.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypedDict

SCHEMA = "zhenggai.ledger/1"
STATUSES = ("not_started", "in_progress", "done")
KINDS = ("巡视", "巡察", "审计", "督察", "检查", "其他")
_DEADLINE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Measure(TypedDict, total=False):
    text: str
    status: str | None
    deadline: str | None
    owner: str | None
    department: str | None
    partners: str | None  # 配合部门, beyond the schema's keys
    doer: str | None  # 具体责任人, beyond the schema's keys


class Node(TypedDict, total=False):
    label: str
    number: int
    level: int
    title: str
    problem: str | None
    text: str | None
    measures: list[Measure]
    status: str | None
    long_term: bool
    deadline: str | None
    status_text: str | None
    children: list[Node]


class Round(TypedDict):
    kind: str | None
    inspector: str | None
    target: str | None
    feedback_date: str | None


def new_round() -> Round:
    return {"kind": None, "inspector": None, "target": None, "feedback_date": None}


def new_ledger(*, title: str | None = None) -> dict[str, Any]:
    """An empty ledger with every key the schema requires or the scorer reads."""
    return {
        "schema": SCHEMA,
        "title": title,
        "round": new_round(),
        "preamble": None,
        "sections": [],
        "closing": None,
        "dropped": [],
        "warnings": [],
        "metadata": {},
    }


def new_node(*, label: str, number: int, level: int, title: str) -> Node:
    return {
        "label": label,
        "number": number,
        "level": level,
        "title": title,
        "problem": None,
        "text": None,
        "measures": [],
        "status": None,
        "long_term": False,
        "deadline": None,
        "status_text": None,
        "children": [],
    }


def new_measure(text: str) -> Measure:
    return {"text": text, "status": None, "deadline": None, "owner": None, "department": None}


def walk(nodes: list[Node]):
    """Yield every node of a tree in document order."""
    for node in nodes:
        yield node
        yield from walk(node.get("children") or [])


def to_json(ledger: dict[str, Any], *, indent: int | None = 2) -> str:
    return json.dumps(ledger, ensure_ascii=False, indent=indent)


def from_json(text: str) -> dict[str, Any]:
    """Load a ledger from JSON and check it; raises ``ValueError`` naming the first problem."""
    data = json.loads(text)
    problems = validate(data)
    if problems:
        raise ValueError(problems[0])
    return data


def validate(ledger: Any) -> list[str]:
    """The ways ``ledger`` departs from ledger/1 (empty when it conforms). No jsonschema needed."""
    problems: list[str] = []
    if not isinstance(ledger, dict):
        return ["ledger is not an object"]
    if ledger.get("schema") != SCHEMA:
        problems.append(f"schema must be {SCHEMA!r}")
    if not isinstance(ledger.get("title"), (str, type(None))) or "title" not in ledger:
        problems.append("title must be a string or null")
    rnd = ledger.get("round")
    if not isinstance(rnd, dict):
        problems.append("round must be an object")
    else:
        for key in ("kind", "inspector", "target", "feedback_date"):
            if key not in rnd:
                problems.append(f"round.{key} is missing")
        if rnd.get("kind") not in (*KINDS, None):
            problems.append(f"round.kind {rnd.get('kind')!r} is not allowed")
        date = rnd.get("feedback_date")
        if date is not None and not (isinstance(date, str) and _DATE.match(date)):
            problems.append("round.feedback_date must be YYYY-MM-DD or null")
    for key in ("dropped", "warnings"):
        value = ledger.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{key} must be a list of strings")
    sections = ledger.get("sections")
    if not isinstance(sections, list):
        problems.append("sections must be a list")
    else:
        _check_nodes(sections, "sections", problems)
    return problems


def _check_nodes(nodes: list[Any], where: str, problems: list[str]) -> None:
    for i, node in enumerate(nodes):
        here = f"{where}[{i}]"
        if not isinstance(node, dict):
            problems.append(f"{here} is not an object")
            continue
        if not isinstance(node.get("label"), str) or not node["label"]:
            problems.append(f"{here}.label must be a non-empty string")
        for key in ("number", "level"):
            value = node.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "level" else 0):
                problems.append(f"{here}.{key} must be an integer")
        if not isinstance(node.get("title"), str):
            problems.append(f"{here}.title must be a string")
        if not isinstance(node.get("problem"), (str, type(None))) or "problem" not in node:
            problems.append(f"{here}.problem must be a string or null")
        _check_status(node, here, problems)
        if not isinstance(node.get("long_term"), bool):
            problems.append(f"{here}.long_term must be a boolean")
        measures = node.get("measures")
        if not isinstance(measures, list):
            problems.append(f"{here}.measures must be a list")
        else:
            for j, measure in enumerate(measures):
                mwhere = f"{here}.measures[{j}]"
                if (
                    not isinstance(measure, dict)
                    or not isinstance(measure.get("text"), str)
                    or not measure["text"]
                ):
                    problems.append(f"{mwhere}.text must be a non-empty string")
                    continue
                _check_status(measure, mwhere, problems)
        children = node.get("children")
        if not isinstance(children, list):
            problems.append(f"{here}.children must be a list")
        else:
            _check_nodes(children, f"{here}.children", problems)


def _check_status(item: dict[str, Any], where: str, problems: list[str]) -> None:
    if item.get("status") not in (*STATUSES, None):
        problems.append(f"{where}.status {item.get('status')!r} is not allowed")
    deadline = item.get("deadline")
    if deadline is not None and not (isinstance(deadline, str) and _DEADLINE.match(deadline)):
        problems.append(f"{where}.deadline must be YYYY, YYYY-MM or YYYY-MM-DD")
