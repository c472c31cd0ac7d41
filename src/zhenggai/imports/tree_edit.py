"""Corrections a person makes to a parsed ledger tree before it is committed.

Plain functions on a `zhenggai.ledger/1` dict (no Django): each takes the ledger and a node's
path (indices from the root, e.g. (0, 2, 1)), changes the ledger in place and keeps `level`
consistent with depth. A bad path raises TreeEditError with a Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from zhenggai.core.ledger import new_measure, new_node
from zhenggai.core.numbering import bare_label

Path = tuple[int, ...]


class TreeEditError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_path(text: str) -> Path:
    if not re.fullmatch(r"\d+(\.\d+)*", text or ""):
        raise TreeEditError("节点位置无效")
    return tuple(int(part) for part in text.split("."))


def _siblings(ledger: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    nodes = ledger.setdefault("sections", [])
    for index in path[:-1]:
        if not 0 <= index < len(nodes):
            raise TreeEditError("找不到该节点，可能已被移动或删除，请刷新后重试")
        nodes = nodes[index].setdefault("children", [])
    if not path or not 0 <= path[-1] < len(nodes):
        raise TreeEditError("找不到该节点，可能已被移动或删除，请刷新后重试")
    return nodes


def node_at(ledger: dict[str, Any], path: Path) -> dict[str, Any]:
    return _siblings(ledger, path)[path[-1]]


def _relevel(nodes: list[dict[str, Any]], level: int) -> None:
    for node in nodes:
        node["level"] = level
        _relevel(node.setdefault("children", []), level + 1)


def relevel(ledger: dict[str, Any]) -> None:
    _relevel(ledger.setdefault("sections", []), 1)


def edit(
    ledger: dict[str, Any],
    path: Path,
    *,
    label: str | None = None,
    title: str | None = None,
    problem: str | None = None,
    measures: Sequence[str] | None = None,
) -> None:
    """Change a node's label, heading, problem text or measures (one measure per entry)."""
    node = node_at(ledger, path)
    if label is not None:
        node["label"] = label.strip()
        number = _label_number(label)
        if number is not None:
            node["number"] = number
    if title is not None:
        node["title"] = title.strip()
    if problem is not None:
        node["problem"] = problem.strip() or None
    if measures is not None:
        old = {m.get("text"): m for m in node.get("measures") or []}
        node["measures"] = [
            {**old.get(text.strip(), {}), "text": text.strip()} if text.strip() in old else _measure(text)
            for text in measures
            if text.strip()
        ]


def _measure(text: str) -> dict[str, Any]:
    return dict(new_measure(text.strip()))


def _label_number(label: str) -> int | None:
    found = bare_label(label)
    return found.number if found else None


def move(ledger: dict[str, Any], path: Path, offset: int) -> Path:
    """Move a node up (-1) or down (+1) among its siblings; returns its new path."""
    siblings = _siblings(ledger, path)
    index = path[-1]
    target = index + offset
    if not 0 <= target < len(siblings):
        raise TreeEditError("已经到头了，不能再移动")
    siblings[index], siblings[target] = siblings[target], siblings[index]
    return (*path[:-1], target)


def indent(ledger: dict[str, Any], path: Path) -> Path:
    """Make a node the last child of the sibling before it."""
    siblings = _siblings(ledger, path)
    index = path[-1]
    if index == 0:
        raise TreeEditError("第一个节点前面没有可以归入的上级节点")
    node = siblings.pop(index)
    parent = siblings[index - 1]
    parent.setdefault("children", []).append(node)
    relevel(ledger)
    return (*path[:-1], index - 1, len(parent["children"]) - 1)


def outdent(ledger: dict[str, Any], path: Path) -> Path:
    """Move a node out of its parent, to just after the parent."""
    if len(path) < 2:
        raise TreeEditError("已经是最上一级")
    siblings = _siblings(ledger, path)
    node = siblings.pop(path[-1])
    parent_siblings = _siblings(ledger, path[:-1])
    parent_siblings.insert(path[-2] + 1, node)
    relevel(ledger)
    return (*path[:-2], path[-2] + 1)


def merge_with_next(ledger: dict[str, Any], path: Path) -> None:
    """Join the next sibling into this node: its text, measures and children follow this node's."""
    siblings = _siblings(ledger, path)
    index = path[-1]
    if index + 1 >= len(siblings):
        raise TreeEditError("后面没有可以合并的同级节点")
    node, following = siblings[index], siblings.pop(index + 1)
    extra = "".join(part for part in [following.get("label"), following.get("title")] if part)
    if following.get("problem") and following.get("problem") != following.get("title"):
        extra += following["problem"]
    node["problem"] = ((node.get("problem") or node.get("title") or "") + extra) or None
    node.setdefault("measures", []).extend(following.get("measures") or [])
    node.setdefault("children", []).extend(following.get("children") or [])
    relevel(ledger)


def split(ledger: dict[str, Any], path: Path) -> Path:
    """Split a node's problem text at its first blank line: the rest becomes a new node after it.

    The new node takes the measures after the first blank line of the measures too, if there is one;
    otherwise it starts with none. Its label continues the numbering.
    """
    siblings = _siblings(ledger, path)
    index = path[-1]
    node = siblings[index]
    text = node.get("problem") or ""
    parts = re.split(r"\n\s*\n", text, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        raise TreeEditError("请先在问题内容中要拆开的位置插入一个空行，再点“拆分”")
    node["problem"] = parts[0].strip()
    rest = parts[1].strip()
    first_sentence = re.match(r"^(.+?[。；;])", rest)
    number = (_label_number(node.get("label") or "") or node.get("number") or 0) + 1
    label = (
        re.sub(r"\d+", str(number), node.get("label") or "", count=1)
        if re.search(r"\d", node.get("label") or "")
        else ""
    )
    new = new_node(
        label=label,
        number=number,
        level=node.get("level") or len(path),
        title=first_sentence.group(1) if first_sentence else rest,
    )
    new["problem"] = rest
    siblings.insert(index + 1, dict(new))
    return (*path[:-1], index + 1)


def delete(ledger: dict[str, Any], path: Path) -> dict[str, Any]:
    """Remove a node and what is under it (for a heading the parser took from noise)."""
    return _siblings(ledger, path).pop(path[-1])


def counts(ledger: dict[str, Any]) -> dict[str, int]:
    """How many headings, problems and measures the tree holds: shown before committing."""
    result = {"nodes": 0, "problems": 0, "measures": 0}

    def visit(nodes):
        for node in nodes:
            result["nodes"] += 1
            if node.get("problem"):
                result["problems"] += 1
            result["measures"] += len(node.get("measures") or [])
            visit(node.get("children") or [])

    visit(ledger.get("sections") or [])
    return result
