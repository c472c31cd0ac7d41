"""Ledger tables (整改台账): a header row found by its column names, one problem per 序号.

Shared by the .xlsx reader and Word tables. A problem's 序号/问题/责任领导/完成时限… cells are
usually merged down over its measure rows; a value whose cell spans all of a problem's rows
belongs to the problem, a value per row belongs to that row's measure. Rows whose only value is
a numbered heading (``一、…``, as :mod:`zhenggai.core.writers.xlsx_ledger` writes them) nest the
problems below them, the same way numbered paragraphs do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from zhenggai.core import phrases as ph
from zhenggai.core.ledger import Measure, Node, Round, new_measure, new_node, new_round
from zhenggai.core.numbering import bare_label, parse_label
from zhenggai.core.readers import Table
from zhenggai.core.structure import split_title

# Column roles, tried in this order on the header text with spaces removed.
_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"^(?:序号|编号|序|问题序号|问题编号|No\.?|NO\.?)$")),
    ("status", re.compile(r"完成情况|是否完成|整改状态|办结情况|^状态$|是否办结|完成状态")),
    ("deadline", re.compile(r"时限|完成时间|完成期限|整改期限|截止时间")),
    ("owner", re.compile(r"责任领导|牵头领导|分管领导|责任人|包案领导|责任领导人")),
    ("department", re.compile(r"责任单位|责任部门|责任科室|牵头单位|牵头部门|责任处室|责任股室|主责单位")),
    ("partners", re.compile(r"配合单位|协助单位|配合部门|协同单位")),
    ("measure", re.compile(r"措施|举措|整改任务|整改内容|整改方案")),
    ("progress", re.compile(r"进展|进度|落实情况|整改情况|完成进度")),
    ("evidence", re.compile(r"佐证|证明材料|支撑材料")),
    ("problem", re.compile(r"问题|反馈意见|主要表现")),
]
_ROUND_ROW = re.compile(r"^检查类别[:：]")
_ROUND_FIELDS = {
    "检查类别": "kind",
    "检查组": "inspector",
    "被检查单位": "target",
    "反馈日期": "feedback_date",
}
_NONE = "—"
_HEADER_SCAN = 25


@dataclass
class TableLedger:
    """One ledger table read: its problems (nested under heading rows where there are any)."""

    title: str | None
    nodes: list[Node]
    round: Round | None = None  # from a round row as the writer writes it
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def column_roles(row: list[Any]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, value in enumerate(row):
        text = re.sub(r"[\s\u3000]+", "", cell_text(value))
        if not text or len(text) > 12:
            continue
        for role, pattern in _ROLES:
            if pattern.search(text):
                roles.setdefault(role, col)
                break
    return roles


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(rows[:_HEADER_SCAN]):
        roles = column_roles(row)
        if ("problem" in roles and ("measure" in roles or "seq" in roles)) or (
            "measure" in roles and "seq" in roles
        ):
            return r, roles
    return None


def read_table(table: Table) -> TableLedger | None:
    """The ledger in ``table``, or None when it has no ledger header."""
    found = find_header(table.rows)
    if found is None:
        return None
    header, roles = found
    reader = _TableReader(table, header, roles)
    return reader.read()


class _TableReader:
    def __init__(self, table: Table, header: int, roles: dict[str, int]) -> None:
        self.table = table
        self.header = header
        self.roles = roles
        self.rows = table.rows
        self.width = max((len(r) for r in self.rows), default=0)
        # (row, col) -> last row of the merge that starts there; covered cells -> their anchor
        self.span: dict[tuple[int, int], int] = {}
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in table.merges:
            self.span[(r1, c1)] = r2
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 200_000:
                continue  # a range no ledger has; its anchor still counts, its cover is ignored
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.covered[(r, c)] = (r1, c1)

    def value(self, r: int, role: str) -> Any:
        col = self.roles.get(role)
        if col is None or r >= len(self.rows) or col >= len(self.rows[r]):
            return None
        return self.rows[r][col]

    def text(self, r: int, role: str) -> str:
        return cell_text(self.value(r, role))

    def is_anchor(self, r: int, role: str) -> bool:
        col = self.roles.get(role)
        return col is not None and (r, col) not in self.covered and bool(self.text(r, role))

    def read(self) -> TableLedger:
        out = TableLedger(title=None, nodes=[])
        self._above(out)
        groups, headings = self._groups(out)
        items: list[tuple[Any, Node]] = []
        for _, payload in sorted(headings + groups, key=lambda x: x[0]):
            items.append(payload)
        out.nodes = _nest(items)
        return out

    def _above(self, out: TableLedger) -> None:
        for r in range(self.header):
            values = [cell_text(v) for v in self.rows[r] if cell_text(v)]
            if not values:
                continue
            if _ROUND_ROW.match(values[0]):
                out.round = parse_round_row(values[0])
            elif out.title is None and len(set(values)) == 1:
                out.title = values[0]
            else:
                out.notes.append("　".join(dict.fromkeys(values)))

    def _groups(self, out: TableLedger):
        starts: list[int] = []
        notes: list[int] = []  # rows of notes (备注, 审核人…): they end the problem above them
        headings: list[tuple[int, tuple[Any, Node]]] = []
        last = len(self.rows)
        after_heading: Node | None = None  # the heading row just read, whose note row is its text
        for r in range(self.header + 1, last):
            values = list(dict.fromkeys(cell_text(v) for v in self.rows[r] if cell_text(v)))
            if not values:
                continue
            if len(values) == 1 and not self.text(r, "measure") and not self.text(r, "problem"):
                label = parse_label(values[0])
                if label is not None and label.rest:
                    node = new_node(label=label.label, number=label.number, level=1, title=label.rest)
                    headings.append((r, (label, node)))
                    after_heading = node
                    continue
                if after_heading is not None:
                    after_heading["text"] = values[0]
                else:
                    out.notes.append(values[0])
                    notes.append(r)
                after_heading = None
                continue
            after_heading = None
            if (
                self.is_anchor(r, "seq")
                or self.is_anchor(r, "problem")
                or not starts
                or starts[-1] < max((h for h, _ in headings), default=-1)
            ):
                starts.append(r)
        groups = []
        boundaries = sorted(set(starts) | set(notes) | {h for h, _ in headings} | {last})
        for i, start in enumerate(starts):
            end = next(b for b in boundaries if b > start) - 1
            node, label = self._problem(start, end, i + 1)
            groups.append((start, (label, node)))
        return groups, headings

    def _problem(self, start: int, end: int, position: int) -> tuple[Node, Any]:
        # The rows of this problem: up to the last non-empty row before the next boundary.
        while end > start and not any(cell_text(v) for v in self.rows[end]):
            end -= 1
        seq = self.text(start, "seq")
        label = (bare_label(seq) if seq else None) or bare_label(str(position))
        assert label is not None  # a bare number is always a label
        statement = self.text(start, "problem")
        if "\n" in statement:
            title, _, problem = statement.partition("\n")
            problem = problem.strip() or title
        else:
            title, rest = split_title(statement)
            problem = rest or title
        node = new_node(label=label.label, number=label.number, level=1, title=title.strip())
        node["problem"] = problem or None
        measures: list[Measure] = []
        for r in range(start, end + 1):
            if not self.is_anchor(r, "measure"):
                continue
            measure = new_measure(self.text(r, "measure"))
            for role in ("owner", "department", "deadline", "status", "progress", "partners", "evidence"):
                if self._whole(start, end, role) or not self.is_anchor(r, role):
                    continue
                self._measure_field(measure, r, role)
            measures.append(measure)
        node["measures"] = measures
        for role in ("owner", "department"):
            if self._whole(start, end, role):
                for measure in measures:
                    measure[role] = self.text(start, role)  # type: ignore[literal-required]
        if self._whole(start, end, "deadline"):
            self._node_deadline(node, start)
        if self._whole(start, end, "status"):
            self._node_status(node, self.text(start, "status"), measures)
        return node, label

    def _whole(self, start: int, end: int, role: str) -> bool:
        """Whether the ``role`` cell of the first row covers the whole problem (merged or one row)."""
        col = self.roles.get(role)
        if col is None or not self.text(start, role) or (start, col) in self.covered:
            return False
        return end == start or self.span.get((start, col), start) >= end

    def _measure_field(self, measure: Measure, r: int, role: str) -> None:
        text = self.text(r, role)
        if role == "deadline":
            measure["deadline"] = self._deadline(r)
        elif role == "status":
            measure["status"] = ph.status_of(text)
        elif role == "progress":
            measure["progress"] = text  # type: ignore[typeddict-unknown-key]
            measure["status"] = measure.get("status") or ph.status_of(text)
        elif role == "partners":
            measure["partners"] = text  # type: ignore[typeddict-unknown-key]
        elif role == "evidence":
            measure["evidence"] = text  # type: ignore[typeddict-unknown-key]
        else:
            measure[role] = text  # type: ignore[literal-required]

    def _deadline(self, r: int) -> str | None:
        value = self.value(r, "deadline")
        if isinstance(value, dt.datetime | dt.date):
            fmt = self.table.formats.get((r, self.roles["deadline"]), "")
            return date_with_format(value, fmt)
        return ph.deadline_in_phrase(cell_text(value))

    def _node_deadline(self, node: Node, r: int) -> None:
        node["deadline"] = self._deadline(r)
        node["long_term"] = node["long_term"] or ph.is_long_term(self.text(r, "deadline"))

    def _node_status(self, node: Node, text: str, measures: list[Measure]) -> None:
        status = ph.status_of(text)
        if status == "in_progress" and text.strip() in ("否", "未完成") and measures:
            if all(m.get("status") == "not_started" for m in measures):
                status = "not_started"
        node["status"] = status
        node["long_term"] = node["long_term"] or ph.is_long_term(text)
        if text.strip() not in ("是", "否"):
            node["status_text"] = text


def date_with_format(value: dt.date, number_format: str) -> str:
    """An Excel date with the precision its number format prints (``yyyy"年"m"月"`` → 2024-12)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").lower()
    if "d" in bare or not bare or bare == "general":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if "m" in bare:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def parse_round_row(text: str) -> Round:
    """The round as :func:`round_row` writes it (``检查类别：巡察　检查组：…　被检查单位：…　反馈日期：…``)."""
    rnd = new_round()
    for part in re.split(r"\u3000+", text.strip()):
        match = re.match(r"^([^:：]+)[:：](.*)$", part)
        if match and match.group(1).strip() in _ROUND_FIELDS:
            value = match.group(2).strip()
            rnd[_ROUND_FIELDS[match.group(1).strip()]] = None if value in ("", _NONE) else value  # type: ignore[literal-required]
    if rnd["kind"] not in ("巡视", "巡察", "审计", "督察", "检查", "其他"):
        rnd["kind"] = None
    return rnd


def round_row(rnd: Round) -> str:
    parts = [f"{name}：{rnd.get(key) or _NONE}" for name, key in _ROUND_FIELDS.items()]  # type: ignore[misc]
    return "\u3000".join(parts)


def _nest(items: list[tuple[Any, Node]]) -> list[Node]:
    """Nest nodes by their labels' styles, as numbered paragraphs nest."""
    roots: list[Node] = []
    stack: list[tuple[str, Node]] = []
    for label, node in items:
        styles = [style for style, _ in stack]
        if label.style in styles:
            while stack:
                style, _ = stack.pop()
                if style == label.style:
                    break
        node["level"] = len(stack) + 1
        if stack:
            stack[-1][1]["children"].append(node)
        else:
            roots.append(node)
        stack.append((label.style, node))
    return roots
