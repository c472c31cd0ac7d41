"""Ledger tables (整改台账) as offices make them: columns read by meaning, one problem per 序号.

Shared by the .xlsx reader and Word tables. The header is found below any title rows, over one
row or two (责任领导 | 责任单位 under a merged 责任主体); each column is given the field its header
names best — a score over synonyms and partial words (存在问题, 整改举措, 牵头单位, 时间节点…),
helped by the cells below it where the header is weak (dates → deadline, 已完成/整改中 → status,
short names → owner, offices → department, running numbers → 序号) — and the choice is reported
(:meth:`Columns.mapping`, the import preview's 列对应).

A problem's 序号/问题/责任领导/完成时限… cells are usually merged down over its measure rows; a
value whose cell spans all of a problem's rows belongs to the problem, a value per row belongs to
that row's measure. Where every problem is one row, its measures are split from the one cell
(1.…2.… / 一是… / one a line / ；). Rows whose only value is a heading (``一、…``, as
:mod:`zhenggai.core.writers.xlsx_ledger` writes them, or a category's name) nest the problems
below them, the same way numbered paragraphs do; a 问题类别 column does so where 序号 starts again
in each category, and is each problem's ``category`` where 序号 runs on. Totals, sign-off rows
and repeated header rows are notes, not problems.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from zhenggai.core import phrases as ph
from zhenggai.core.lazy_re import LazyPattern, lazy
from zhenggai.core.ledger import Measure, Node, Round, new_measure, new_node, new_round
from zhenggai.core.measures import split_enumeration
from zhenggai.core.noise import is_watermark
from zhenggai.core.numbering import Label, bare_label, cn_number, parse_label, to_cn
from zhenggai.core.readers import Table
from zhenggai.core.structure import split_title

_lazy = lazy  # the column patterns below are compiled when a table is read


# Column roles scored by the header's words: (pattern, score) per role, the best score counts.
# An exact name scores 10, a word that names the role 6–9, a word that only hints at it 3–5.
_ROLE_WORDS: dict[str, list[tuple[LazyPattern, int]]] = {
    "seq": [
        (_lazy(r"^(?:序号|编号|序|问题序号|问题编号|No\.?|NO\.?)$"), 10),
        (_lazy(r"序号|编号"), 6),
    ],
    "category": [
        (_lazy(r"^(?:问题类别|类别|问题类型|问题分类|类型|分类|方面|问题方面|所属方面|领域|板块)$"), 10),
        (_lazy(r"类别|分类|类型|板块"), 7),
    ],
    "problem": [
        (
            _lazy(
                r"^(?:问题|存在问题|具体问题|问题表现|问题描述|反馈问题|主要问题|问题清单|问题内容|"
                r"反馈意见|巡察反馈问题|巡视反馈问题|审计发现问题|问题名称|问题事项)$"
            ),
            10,
        ),
        (_lazy(r"问题|反馈意见|反馈内容|主要表现|表现|巡察发现|巡视发现|审计发现|检查发现"), 6),
    ],
    "measure": [
        (_lazy(r"^(?:整改措施|整改举措|措施|具体措施|整改任务|主要措施|整改内容|整改方案)$"), 10),
        (_lazy(r"措施|举措"), 8),
        (_lazy(r"整改任务|整改内容|整改方案|整改要求|整改目标"), 6),
    ],
    "owner": [
        (_lazy(r"^(?:责任领导|牵头领导|分管领导|包案领导|责任领导人|负责领导|领导)$"), 10),
        # 责任人 alone names the leader; beside a 责任领导 column it is the 具体责任人 (doer, 8)
        (_lazy(r"^(?:责任人|负责人)$"), 9),
        (_lazy(r"领导|责任人|负责人"), 7),
        (_lazy(r"^责任$|^负责$"), 4),
    ],
    "doer": [
        (_lazy(r"^(?:具体责任人|具体负责人|直接责任人|具体承办人|承办人|经办人|具体经办人)$"), 10),
        (_lazy(r"具体责任|具体负责|承办人|经办人"), 9),
        (_lazy(r"^(?:责任人|负责人)$"), 8),
    ],
    "department": [
        (
            _lazy(
                r"责任单位|责任部门|责任科室|牵头单位|牵头部门|责任处室|责任股室|主责单位|承办单位|实施单位|"
                r"责任主体|牵头科室|牵头处室|主办单位|主办部门|承办部门"
            ),
            9,
        ),
        (_lazy(r"单位|部门|科室|处室|股室"), 5),
        (_lazy(r"^责任$|^负责$"), 4),
    ],
    "partners": [
        (
            _lazy(
                r"配合单位|协助单位|配合部门|协同单位|协同部门|参与单位|参与部门|配合科室|协办单位|协办部门|"
                r"配合处室|配合股室|协助部门|协作单位|协作部门"
            ),
            10,
        )
    ],
    "deadline": [
        (_lazy(r"时限|完成时间|完成期限|整改期限|截止时间|完成日期|截止日期"), 9),
        (_lazy(r"节点"), 7),
        (_lazy(r"期限|时间|日期"), 4),
    ],
    "status": [
        (_lazy(r"完成情况|是否完成|整改状态|办结情况|^状态$|是否办结|完成状态|是否销号|销号情况"), 9),
        (_lazy(r"^是否|到位情况|销号"), 8),
        (_lazy(r"状态"), 5),
    ],
    "progress": [
        (_lazy(r"进展|进度|落实情况|整改情况|整改结果|整改成效|办理情况"), 7),
        (_lazy(r"情况"), 3),
    ],
    "evidence": [(_lazy(r"佐证|证明材料|支撑材料|印证材料"), 9)],
    "remark": [(_lazy(r"^(?:备注|说明|附注)$"), 9)],
}
ROLE_NAMES = {
    "seq": "序号",
    "category": "问题类别",
    "problem": "问题",
    "measure": "整改措施",
    "owner": "责任领导",
    "department": "责任部门",
    "partners": "配合部门",
    "doer": "具体责任人",
    "deadline": "整改时限",
    "status": "完成情况",
    "progress": "整改进展",
    "evidence": "佐证材料",
    "remark": "备注",
    "detail": "问题表现",
}
_STRONG = 8  # a header scoring this much is read by its name alone; below it, the cells help
_MIN_SCORE = 4
_HEADER_WIDTH = 20  # a header cell is a short name
_PARENS = _lazy(r"[（(][^（）()]*[）)]")
_ORG_END = _lazy(
    r"(?:局|科|室|办|部|中心|委|组|处|股|队|站|所|院|会|司|厅|公司|单位|支部|党组|街道|镇|乡|村|社区)$"
)
_DATE_CELL = _lazy(
    r"^(?:\d{4}[\s\u3000]*年.{0,12}|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?.{0,6}|长期坚持|长期|立行立改|持续推进|常态化|已完成)$"
)
_NAME_CELL = _lazy(r"^[\u4e00-\u9fff·、，,\s\u3000]{2,24}$")
_ROUND_ROW = _lazy(r"^检查类别[:：]")
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
    columns: Columns | None = None  # the columns read, by role, and what their headers say
    dropped: list[str] = field(default_factory=list)  # watermark rows and rows repeated by a copy


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


_BLANKS = lazy(r"[\s\u3000]+")
_COUNT = lazy(r"\d{1,4}")  # a running number
_NUMERIC = lazy(r"[\d.,，%％\s]+")


def _header_text(value: Any) -> str:
    text = _BLANKS.sub("", cell_text(value))
    bare = _PARENS.sub("", text)
    return bare or text


def header_scores(text: str) -> dict[str, int]:
    """How well the header ``text`` names each role (``完成时限`` → deadline 9), roles it names only.

    Remembered by header while a document is read (a table's header rows are scored when they are
    looked for, again when the columns are chosen, and a text's table rows by tab_tables first);
    the memory is emptied before each document (:func:`forget`). A new dict each time: callers add
    to it."""
    text = _header_text(text)
    if not text or len(text) > _HEADER_WIDTH:
        return {}
    scores = _scores.get(text)
    if scores is None:
        scores = {}
        for role, words in _ROLE_WORDS.items():
            best = max((score for pattern, score in words if pattern.search(text)), default=0)
            if best:
                scores[role] = best
        if len(_scores) >= 1024:
            _scores.clear()
        _scores[text] = scores
    return dict(scores)


_scores: dict[str, dict[str, int]] = {}


def forget() -> None:
    """Empty the header scores remembered: called when a new document is read."""
    _scores.clear()


def content_scores(values: list[Any]) -> dict[str, int]:
    """What the cells under a header look like: dates → deadline, 已完成/整改中 → status, short
    names → owner, names of offices → department, running numbers → seq."""
    cells = [v for v in values if cell_text(v)][:40]
    if len(cells) < 1:
        return {}
    texts = [cell_text(v) for v in cells]
    n = len(cells)

    def share(test) -> float:
        return sum(1 for v, t in zip(cells, texts, strict=True) if test(v, t)) / n

    scores: dict[str, int] = {}
    if share(lambda v, t: isinstance(v, dt.date) or bool(_DATE_CELL.match(t))) >= 0.6:
        scores["deadline"] = 6
    if share(lambda v, t: len(t) <= 15 and ph.status_of(t) is not None) >= 0.6:
        scores["status"] = 6
    if share(lambda v, t: isinstance(v, int | float) or bool(_COUNT.fullmatch(t))) >= 0.8:
        scores["seq"] = 6
    short = [t for t in texts if _NAME_CELL.match(t)]
    if len(short) >= 0.6 * n:
        offices = sum(1 for t in short if _ORG_END.search(t))
        if offices >= 0.5 * len(short):
            scores["department"] = 5
        elif all(len(t) <= 12 for t in short):
            scores["owner"] = 5
    return scores


@dataclass
class Columns:
    """The columns chosen for a table: role → column, and what each header said."""

    roles: dict[str, int]
    headers: dict[int, str]
    top: int = 0  # the header's first row (the row above the last when it spans two)

    def pairs(self) -> list[tuple[str, str]]:
        """(header as printed, role) for each column read, left to right."""
        by_col = {col: role for role, col in self.roles.items()}
        return [(self.headers.get(col) or "（无列名）", by_col[col]) for col in sorted(by_col)]

    def unread(self) -> list[str]:
        """The headers of the columns no field was read from."""
        read = set(self.roles.values())
        return [text for col, text in sorted(self.headers.items()) if col not in read and text]

    def mapping(self) -> str:
        """``问题描述→问题，整改措施→整改措施…；未读取：联系人``, as the preview shows it."""
        pairs = [f"{header}→{ROLE_NAMES[role]}" for header, role in self.pairs()]
        unread = self.unread()
        return "，".join(pairs) + (f"；未读取：{'、'.join(unread)}" if unread else "")

    def as_dict(self) -> dict[str, Any]:
        """The mapping for a program: ``{"columns": [{"header", "field"}…], "unread": […]}``."""
        return {
            "columns": [{"header": header, "field": role} for header, role in self.pairs()],
            "unread": self.unread(),
        }


def choose_columns(headers: list[str], below: list[list[Any]] | None = None) -> Columns:
    """Each role to the column that names it best: the header's words, and where the header is
    weak or missing, what its cells hold. One column a role, one role a column."""
    candidates: list[tuple[int, int, str]] = []
    for col, text in enumerate(headers):
        scores = header_scores(text)
        if below is not None:
            values = [row[col] if col < len(row) else None for row in below]
            if max(scores.values(), default=0) < _STRONG:
                for role, score in content_scores(values).items():
                    scores[role] = scores.get(role, 0) + score
            if _numbers(values):
                # 问题数 | 已整改数: counts of a summary, not problems nor measures
                scores = {role: score for role, score in scores.items() if role not in ("problem", "measure")}
        candidates.extend((score, col, role) for role, score in scores.items() if score >= _MIN_SCORE)
    roles: dict[str, int] = {}
    taken: set[int] = set()
    for _score, col, role in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if role not in roles and col not in taken:
            roles[role] = col
            taken.add(col)
    problem = roles.get("problem")
    if problem is not None and below is not None:
        for score, col, role in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if role == "problem" and col > problem and col not in taken and score >= 6 and _prose(below, col):
                roles["detail"] = col  # 反馈问题 | 具体表现: the second says what the first names
                taken.add(col)
                break
    shown = {col: _header_text(text) for col, text in enumerate(headers) if _header_text(text)}
    return Columns(roles=roles, headers=shown)


def _numbers(values: list[Any]) -> bool:
    """Whether the cells are mostly numbers or shares (5, 80%, 4.7)."""
    texts = [cell_text(v) for v in values if cell_text(v)]
    numeric = [t for t in texts if _NUMERIC.fullmatch(t)]
    return bool(texts) and len(numeric) >= 0.6 * len(texts)


def _prose(rows: list[list[Any]], col: int) -> bool:
    """Whether the cells of column ``col`` are mostly sentences (not numbers, names or dates)."""
    texts = [cell_text(row[col]) for row in rows if col < len(row) and cell_text(row[col])]
    long = [t for t in texts if len(t) >= 8 and not re.fullmatch(r"[\d.,，%\s]+", t)]
    return bool(texts) and len(long) >= 0.6 * len(texts)


def column_roles(row: list[Any]) -> dict[str, int]:
    """The roles a header row names, by its words alone."""
    return choose_columns([cell_text(v) for v in row]).roles


def _is_header(roles: dict[str, int]) -> bool:
    return ("problem" in roles and ("measure" in roles or "seq" in roles)) or (
        "measure" in roles and "seq" in roles
    )


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    found = find_columns(Table(rows=rows))
    return (found[0], found[1].roles) if found else None


def find_columns(table: Table) -> tuple[int, Columns] | None:
    """The header (its last row, when it spans two) and the columns it names, or None."""
    rows = table.rows
    anchors = _merge_anchors(table)
    for r, row in enumerate(rows[:_HEADER_SCAN]):
        roles = column_roles(row)
        if not _is_header(roles):
            continue
        headers = [_spanned(rows, anchors, r, c) for c in range(max(len(row), 1))]
        last = r
        if r + 1 < len(rows) and _continues_header(rows[r + 1], roles):
            below = rows[r + 1]
            width = max(len(row), len(below))
            headers = [
                _header_text(below[c])
                if c < len(below) and _header_text(below[c])
                else (_spanned(rows, anchors, r, c) if c < width else "")
                for c in range(width)
            ]
            last = r + 1
        columns = choose_columns(headers, rows[last + 1 : last + 41])
        columns.top = r
        if _is_header(columns.roles):
            return last, columns
    return None


def _merge_anchors(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in table.merges:
        if r1 > _HEADER_SCAN + 1 or (r2 - r1 + 1) * (c2 - c1 + 1) > 4096:
            continue
        for r in range(r1, min(r2, _HEADER_SCAN + 1) + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    anchors[(r, c)] = (r1, c1)
    return anchors


def _spanned(rows: list[list[Any]], anchors: dict, r: int, c: int) -> str:
    """A header cell's text, or the text of the merged cell that covers it."""
    r0, c0 = anchors.get((r, c), (r, c))
    row = rows[r0] if r0 < len(rows) else []
    return _header_text(row[c0]) if c0 < len(row) else ""


def _continues_header(row: list[Any], roles: dict[str, int]) -> bool:
    """Whether ``row`` is the second row of a header (责任领导 | 责任单位 under a merged 责任主体)."""
    texts = [_header_text(v) for v in row]
    filled = [t for t in texts if t]
    if not filled or any(len(t) > _HEADER_WIDTH for t in filled):
        return False
    seq = roles.get("seq")
    if seq is not None and seq < len(texts) and re.fullmatch(r"\d+", texts[seq]):
        return False
    if len(filled) < 2 or any(parse_label(t) is not None for t in filled):
        return False
    return all(max(header_scores(t).values(), default=0) >= 6 for t in filled)


def read_table(table: Table, found: tuple[int, Columns] | None = None) -> TableLedger | None:
    """The ledger in ``table``, or None when it has no ledger header; ``found``: its header, when
    :func:`find_columns` has already found it."""
    found = found or find_columns(table)
    if found is None:
        return None
    header, columns = found
    reader = _TableReader(table, header, columns)
    return reader.read()


# The columns :mod:`zhenggai.core.writers.xlsx_ledger` writes: one row a measure, never a cell to
# split. Before 具体责任人/配合部门 it wrote exactly OWN_COLUMNS; now those eleven names in the order
# of the office that made it (every order holds 序号, 问题, 整改措施 and the four responsibility columns).
OWN_COLUMNS = (
    "序号",
    "问题",
    "整改措施",
    "责任领导",
    "责任部门",
    "整改时限",
    "整改进展",
    "完成情况",
    "佐证材料",
)
_OWN_NAMES = frozenset({*OWN_COLUMNS, "配合部门", "具体责任人"})
_OWN_REQUIRED = frozenset({"序号", "问题", "整改措施", "责任领导", "责任部门", "配合部门", "具体责任人"})


def _written_by_us(headers: dict[int, str]) -> bool:
    """Whether a header row is one :mod:`zhenggai.core.writers.xlsx_ledger` writes."""
    if tuple(headers.get(c, "") for c in range(len(OWN_COLUMNS))) == OWN_COLUMNS:
        return True  # as written before 具体责任人 and 配合部门
    names = [headers.get(c, "") for c in range(len(headers))]
    return len(names) == len(set(names)) and set(names) <= _OWN_NAMES and _OWN_REQUIRED <= set(names)


# A cell that signs the table off: 填表人：张某, 审核人：李某, 联系电话：…, 制表日期：…
_SIGNED = _lazy(
    r"^(?:填表人|填报人|制表人|审核人|审核|审批人|联系人|联系电话|电话|单位负责人|主要负责人|分管负责人|"
    r"填表日期|填报日期|制表日期|报送日期|日期|签字|签名|盖章|单位（盖章）|填报单位)[:：]"
)
_PROBLEM_LABEL = _lazy(
    r"^[\s\u3000]*(?:问题表现|问题描述|存在问题|反馈问题|具体问题|主要问题|问题)[:：][\s\u3000]*"
)
# A row that sums the table up (合计 | 共15个问题 …): not a problem.
_TOTALS = _lazy(r"^(?:合计|总计|共计|小计|汇总|总数|合\s*计|总\s*计)(?:[:：（(]|$|\s)")


# The fields read from a measure's own row; those a problem's merged cell gives each of its measures.
_MEASURE_ROLES = ("owner", "department", "partners", "doer", "deadline", "status", "progress", "evidence")
_SHARED_ROLES = ("owner", "department", "partners", "doer")


class _TableReader:
    def __init__(self, table: Table, header: int, columns: Columns | dict[str, int]) -> None:
        if isinstance(columns, dict):
            columns = Columns(roles=columns, headers={})
        self.table = table
        self.header = header
        self.columns = columns
        self.roles = columns.roles
        self.rows = table.rows
        self.width = max((len(r) for r in self.rows), default=0)
        self.ours = _written_by_us(columns.headers)
        self.split_cells = False  # one row a problem, its measures in one cell: set in read()
        self.heading_rows: list[Node] = []  # rows that hold only a label and a short statement
        self.category_of: dict[int, str] = {}  # a problem's first row -> its 问题类别
        self.category_headings: list[Node] = []
        self.skipped: set[int] = set()  # rows dropped (watermarks, repeated rows) inside the table
        self.sub_numbers_measures = False  # 1.1 | 1.2 number the measures of problem 1, set in _groups
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

    def category(self, r: int) -> str:
        """The row's 问题类别, from the merged cell above it when it is covered by one."""
        col = self.roles.get("category")
        if col is None:
            return ""
        r0, c0 = self.covered.get((r, col), (r, col))
        row = self.rows[r0] if r0 < len(self.rows) else []
        return cell_text(row[c0]) if c0 < len(row) else ""

    def read(self) -> TableLedger:
        out = TableLedger(title=None, nodes=[], columns=self.columns)
        self._above(out)
        groups, headings = self._groups(out)
        numbers = [label.number for _, (label, _node) in groups]
        if self.category_headings and len(set(numbers)) == len(numbers):
            # 序号 runs on across the categories: the category is each problem's field, not a level.
            dropped = {id(node) for node in self.category_headings}
            headings = [h for h in headings if id(h[1][1]) not in dropped]
            for (row, _), (_label, node) in groups:
                if row in self.category_of:
                    node["category"] = self.category_of[row]  # type: ignore[typeddict-unknown-key]
        items = [payload for _, payload in sorted(headings + groups, key=lambda x: x[0])]
        out.nodes = _nest(items)
        for node in self.heading_rows:
            if node["children"]:
                node["problem"] = (
                    None  # 一、政治建设方面 in the 序号 and 问题 cells, problems below: a heading
                )
        return out

    def _above(self, out: TableLedger) -> None:
        first = min(self.header, self.columns.top) if self.columns.headers else self.header
        title_open = True  # a title may run over the first rows (the unit's name, then the ledger's)
        for r in range(first):
            values = [cell_text(v) for v in self.rows[r] if cell_text(v)]
            if not values:
                continue
            if all(is_watermark(v) for v in values):
                out.dropped.append("　".join(values))  # 仅供学习 禁止外传: a site's watermark row
                continue
            single = len(set(values)) == 1
            if _ROUND_ROW.match(values[0]):
                out.round = parse_round_row(values[0])
                title_open = False
            elif single and out.title is None:
                out.title = values[0]
            elif (
                single
                and title_open
                and not re.search(r"[:：。；;]", values[0])
                and not re.match(r"^[（(【\[].*[）)】\]]$", values[0])  # （截至2024年12月）: a note
                and len(values[0]) <= 40
            ):
                out.title = (out.title or "") + values[0]
            else:
                out.notes.append("　".join(dict.fromkeys(values)))
                title_open = False

    def _is_header_again(self, r: int) -> bool:
        """A header row repeated inside the table (pasted page by page)."""
        headers = self.columns.headers
        same = sum(
            1
            for c, text in headers.items()
            if c < len(self.rows[r]) and _header_text(self.rows[r][c]) == text
        )
        return same >= max(2, len(headers) - 1)

    def _groups(self, out: TableLedger):
        starts: list[int] = []
        notes: list[int] = []  # rows of notes (备注, 审核人…): they end the problem above them
        headings: list[tuple[tuple[int, int], tuple[Any, Node]]] = []
        last = len(self.rows)
        after_heading: Node | None = None  # the heading row just read, whose note row is its text
        category = ""
        categories = 0
        cat_col = self.roles.get("category")
        previous: list[str] | None = None
        for r in range(self.header + 1, last):
            values = list(dict.fromkeys(cell_text(v) for v in self.rows[r] if cell_text(v)))
            if not values:
                continue
            seen = self._seen(r)
            if all(is_watermark(v) for v in values) or seen == previous:
                # a site's watermark row, or a row the copy repeated word for word: not the table's
                out.dropped.append("　".join(values))
                self.skipped.add(r)
                continue
            previous = seen
            if _TOTALS.match(values[0]) or self._is_header_again(r):
                notes.append(r)
                if _TOTALS.match(values[0]):
                    out.notes.append("　".join(values))
                after_heading = None
                continue
            only_category = cat_col is not None and all(
                not cell_text(v) for c, v in enumerate(self.rows[r]) if c != cat_col
            )
            if (
                len(values) == 1
                and not only_category
                and not self.text(r, "measure")
                and not self.text(r, "problem")
            ):
                label = parse_label(values[0])
                if label is not None and label.rest:
                    node = new_node(label=label.label, number=label.number, level=1, title=label.rest)
                    headings.append(((r, 0), (label, node)))
                    after_heading = node
                    continue
                if after_heading is None and self._heads_problems(r, values[0]):
                    # 党的政治建设方面 merged across the table, problems below it: a category row
                    categories += 1
                    label, node = _category_node(values[0], categories)
                    headings.append(((r, 0), (label, node)))
                    self.category_headings.append(node)
                    category = values[0]
                    continue
                if after_heading is not None:
                    after_heading["text"] = values[0]
                else:
                    out.notes.append(values[0])
                    notes.append(r)
                after_heading = None
                continue
            after_heading = None
            here = self.category(r) or category
            if here and here != category:
                categories += 1
                label, node = _category_node(here, categories)
                headings.append(((r, 0), (label, node)))
                self.category_headings.append(node)
                category = here
                if only_category:
                    notes.append(r)
                    continue
            elif only_category:
                continue
            if all(_SIGNED.match(v) for v in values) or not any(
                self.text(r, role) or self._covered(r, role) for role in ("problem", "measure")
            ):
                # 填表人：… 审核人：… 联系电话：…: a row with neither a problem nor a measure
                notes.append(r)
                out.notes.append("　".join(values))
                continue
            if category:
                self.category_of[r] = category
            if (
                (self.is_anchor(r, "problem") and not self._repeats(r, starts))
                or (
                    self.is_anchor(r, "seq")
                    and not self._continues(r, starts)
                    and not self._repeats(r, starts)
                )
                or not starts
                or starts[-1] < (headings[-1][0][0] if headings else -1)
            ):
                starts.append(r)
        boundaries = sorted(set(starts) | set(notes) | {h for (h, _), _ in headings} | {last})
        spans = [(start, boundaries[bisect.bisect_right(boundaries, start)] - 1) for start in starts]
        self.split_cells = not self.ours and all(
            sum(1 for r in range(start, end + 1) if self.is_anchor(r, "measure") and r not in self.skipped)
            <= 1
            for start, end in spans
        )
        self.sub_numbers_measures = any(
            _sub_number(self.text(start, "seq"))
            and any(_sub_number(self.text(r, "seq")) for r in range(start + 1, end + 1))
            for start, end in spans
        )
        groups = []
        for i, (start, end) in enumerate(spans):
            node, label = self._problem(start, end, i + 1)
            groups.append(((start, 1), (label, node)))
        return groups, headings

    def _problem(self, start: int, end: int, position: int) -> tuple[Node, Any]:
        # The rows of this problem: up to the last non-empty row before the next boundary.
        while end > start and (end in self.skipped or not any(cell_text(v) for v in self.rows[end])):
            end -= 1
        seq = self.text(start, "seq")
        statement = self.text(start, "problem")
        sub = _sub_number(seq)
        printed = parse_label(statement) if not seq and statement else None
        label: Label | None
        if sub is not None:
            # 1.1 | 1.2 on the rows of one problem: the problem's number; on problems of their own: theirs
            number = sub[0] if self.sub_numbers_measures else sub[1]
            label = Label(style="bare", number=number, label=str(number), rest="")
        elif printed is not None and printed.rest:
            label, statement = printed, printed.rest  # no 序号: the number printed before the problem
        else:
            label = (bare_label(seq) if seq else None) or coded_label(seq) or bare_label(str(position))
        if re.fullmatch(r"[一二三四五六七八九十]{1,3}", seq) and (value := cn_number(seq)):
            label = Label(style="cn", number=value, label=seq, rest="")  # 一 | 政治建设方面: a heading row
        assert label is not None  # a bare number is always a label
        if not self.ours:
            statement = _PROBLEM_LABEL.sub("", statement)  # 问题表现：… in the 问题 cell
        detail = self.text(start, "detail")
        if detail and statement:
            title, problem = statement, detail  # 反馈问题 | 具体表现: the problem's name, then what it is
        elif "\n" in statement:
            title, _, problem = statement.partition("\n")
            problem = problem.strip() or title
        else:
            title, rest = split_title(statement)
            problem = rest or title
        node = new_node(label=label.label, number=label.number, level=1, title=title.strip())
        node["problem"] = problem or None
        measures: list[Measure] = []
        said: list[str] = []  # what the measures cell says of the status: 整改进展：… / （已完成）
        for r in range(start, end + 1):
            if not self.is_anchor(r, "measure") or r in self.skipped:
                continue
            cell = self.text(r, "measure")
            texts = [cell]
            if self.split_cells:
                cell, told = split_told(cell)
                said.extend(told)
                texts = split_measures(cell)
            elif not self.ours and end == start and len(listed := split_enumeration(cell)) >= 2:
                texts = listed  # one row in a table of one row a measure, its cell numbering several
            for text in texts:
                measure = new_measure(text)
                for role in _MEASURE_ROLES:
                    if self._whole(start, end, role) or not self.is_anchor(r, role):
                        continue
                    self._measure_field(measure, r, role)
                measures.append(measure)
        node["measures"] = measures
        for role in _SHARED_ROLES:
            if self._whole(start, end, role):
                for measure in measures:
                    measure[role] = self.text(start, role)  # type: ignore[literal-required]
        if self._whole(start, end, "deadline"):
            self._node_deadline(node, start)
        if self._whole(start, end, "status"):
            self._node_status(node, self.text(start, "status"), measures)
        elif self._whole(start, end, "progress") and "status" not in self.roles:
            # 整改进展 as the only column of what was done: its opening words give the status.
            self._node_status(node, self.text(start, "progress"), measures)
            if node["status"] is None:
                node["status_text"] = None
        if node["status"] is None and said:
            self._node_status(node, said[0], measures)  # in the measures cell, no column of its own
            if node["deadline"] is None:
                node["deadline"] = ph.deadline_in_phrase(said[0]) if ph.DATE_IN_TEXT.search(said[0]) else None
        if not measures and label.style != "bare" and not self.ours and self._only_statement(start, end):
            self.heading_rows.append(node)
        return node, label

    def _seen(self, r: int) -> list[str]:
        """Row ``r`` as it is seen: a cell covered by a merged range shows the range's value."""
        out = []
        for c in range(self.width):
            r0, c0 = self.covered.get((r, c), (r, c))
            row = self.rows[r0]
            out.append(cell_text(row[c0]) if c0 < len(row) else "")
        while out and not out[-1]:
            out.pop()
        return out

    def _heads_problems(self, r: int, text: str) -> bool:
        """Whether the one cell of row ``r`` is a category's name over the problems below it: short,
        not a sentence nor a note (注：…), and the next row with content holds a problem."""
        if len(text) > 30 or re.search(r"[。；;：:！？]", text) or _TOTALS.match(text):
            return False
        for below in range(r + 1, min(len(self.rows), r + 20)):
            if any(cell_text(v) for v in self.rows[below]):
                return bool(self.text(below, "problem") or self.text(below, "measure"))
        return False

    def _continues(self, r: int, starts: list[int]) -> bool:
        """Whether a row with its own 序号 carries on the problem above it: its 问题 cell is merged
        with the one above, or its 序号 numbers a measure of that problem (1.2 after 1.1)."""
        if not starts or self.text(r, "problem"):
            return False
        if self._covered(r, "problem"):
            return True
        here, first = _sub_number(self.text(r, "seq")), _sub_number(self.text(starts[-1], "seq"))
        return here is not None and first is not None and here[0] == first[0]

    def _repeats(self, r: int, starts: list[int]) -> bool:
        """Whether row ``r`` repeats the problem above it on a row of its own measure: the same
        问题 text (or none) and the same 序号 (or none), the way offices fill every row."""
        if not starts or not self.text(r, "measure"):
            return False
        first = starts[-1]
        problem, seq = self.text(r, "problem"), self.text(r, "seq")
        if not problem and not seq:
            return False
        return problem in ("", self.text(first, "problem")) and seq in ("", self.text(first, "seq"))

    def _covered(self, r: int, role: str) -> bool:
        col = self.roles.get(role)
        return col is not None and (r, col) in self.covered

    def _only_statement(self, start: int, end: int) -> bool:
        """Whether the rows hold nothing but a 序号 and a short statement (a heading's row)."""
        keep = {self.roles.get("seq"), self.roles.get("problem"), self.roles.get("category")}
        for r in range(start, end + 1):
            if any(cell_text(v) for c, v in enumerate(self.rows[r]) if c not in keep):
                return False
        return len(self.text(start, "problem")) <= 40

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
            measure["status"] = cell_status(text)
        elif role == "progress":
            measure["progress"] = text  # type: ignore[typeddict-unknown-key]
            measure["status"] = measure.get("status") or cell_status(text)
        elif role == "evidence":
            measure["evidence"] = text  # type: ignore[typeddict-unknown-key]
        else:
            measure[role] = text  # type: ignore[literal-required]

    def _deadline(self, r: int) -> str | None:
        value = self.value(r, "deadline")
        if isinstance(value, dt.datetime | dt.date):
            fmt = self.table.formats.get((r, self.roles["deadline"]), "")
            return date_with_format(value, fmt)
        return ph.field_deadline(cell_text(value), None)

    def _node_deadline(self, node: Node, r: int) -> None:
        node["deadline"] = self._deadline(r)
        node["long_term"] = node["long_term"] or ph.is_long_term(self.text(r, "deadline"))

    def _node_status(self, node: Node, text: str, measures: list[Measure]) -> None:
        status = cell_status(text)
        if status == "in_progress" and text.strip() in ("否", "未完成") and measures:
            if all(m.get("status") == "not_started" for m in measures):
                status = "not_started"
        node["status"] = status
        node["long_term"] = node["long_term"] or ph.is_long_term(text)
        if text.strip() not in ("是", "否"):
            node["status_text"] = text


_CODE = _lazy(r"^[A-Za-z\u4e00-\u9fff]{1,6}[-_－—.]?(?:\d{2,4}[-_－—.])?0*(\d{1,4})$")


def _sub_number(value: str) -> tuple[int, int] | None:
    """``1.2`` / ``1-2`` → (1, 2): a measure's (or a category's problem's) number under its own."""
    match = re.fullmatch(r"(\d{1,3})[.．\-－—](\d{1,3})", value.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def coded_label(value: str) -> Label | None:
    """A 编号 that prefixes the problem's number with a code (``SJ-01``, ``XC2024-03``, ``问题5``):
    printed as it is, numbered by its last number."""
    match = _CODE.match(value.strip())
    if not match or not int(match.group(1)):
        return None
    return Label(style="coded", number=int(match.group(1)), label=value.strip(), rest="")


# A 完成情况 cell that tells of work still going on (部分完成, 按计划推进, 其余6宗正在处置).
_CELL_IN_PROGRESS = _lazy(r"正在|推进|部分|逐步|陆续|分步|未完成|尚未完成|待")


def cell_status(text: str | None) -> str | None:
    """The status a ledger's status cell states: the report's status words, and the shorter
    phrasing of a cell that says the work is still going on."""
    status = ph.status_of(text)
    if status is None and text and len(text) <= 40 and _CELL_IN_PROGRESS.search(text):
        return "in_progress"
    if status is None and text:
        status = ph.status_of(ph.opening(text))  # 滞后。2处采石场已关闭…: a category, then the detail
    return status


# What a measures cell says after its measures: 整改进展：已完成… / 完成情况：… on a line of its own.
_TOLD = _lazy(r"(?:^|\n)[\s\u3000]*(?:整改进展|完成情况|整改成效|进展情况|目前进展|落实情况|整改情况)[:：]")


def split_told(text: str) -> tuple[str, list[str]]:
    """A measures cell apart from what it says of the status: a paragraph of progress after the
    measures (``整改进展：已完成…``), or a status parenthesis closing the cell (``（已完成）``)."""
    told: list[str] = []
    match = _TOLD.search(text)
    if match and match.start() > 0:
        told.append(text[match.end() :].strip())
        text = text[: match.start()].rstrip()
    paren = ph.STATUS_PAREN.search(text)
    if paren and not text[paren.end() :].strip(" 。；;\u3000"):
        told.append(paren.group(1))
        text = text[: paren.start()].rstrip()
    return text, [t for t in told if t]


def split_measures(text: str) -> list[str]:
    """A 整改措施 cell that holds a problem's measures: ``1.…2.…`` / ``一是…二是…`` / one a line /
    ``；``-separated → one text each. A cell that lists nothing stays one measure."""
    text = ph.MARKER.sub("", text.strip(), count=1).strip()
    if "\n" in text:  # a line printed twice in a row (a copy slip) is one line
        rows = text.split("\n")
        text = "\n".join(row for k, row in enumerate(rows) if k == 0 or row.strip() != rows[k - 1].strip())
    items = split_enumeration(text)
    if len(items) >= 2:
        return items
    lines = [_ENUMERATOR.sub("", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) >= 2:
        return lines
    parts = [_ENUMERATOR.sub("", part).strip() for part in re.split(r"[；;]", text) if part.strip()]
    if len(parts) >= 2 and all(len(part) >= 4 for part in parts):
        return parts
    return [text] if text else []


# What opens one measure of a list: a bullet, （1） 1. 1、 ①, 一是.
_ENUMERATOR = _lazy(
    r"^[\s\u3000]*(?:[-•·●○▪■◆*]|[（(]\d{1,2}[）)][、.．]?|\d{1,2}[.．、）)](?!\d)|[①-⑳]|"
    r"[一二三四五六七八九十]{1,3}是)[\s\u3000]*"
)


def _category_node(text: str, position: int) -> tuple[Label, Node]:
    """A 问题类别 as a heading over its problems: its own label (一、…) or its place in the table."""
    label = parse_label(text)
    if label is None or not label.rest:
        label = Label(style="category", number=position, label=f"{to_cn(position)}、", rest=text)
    return label, new_node(label=label.label, number=label.number, level=1, title=label.rest)


def date_with_format(value: dt.date, number_format: str) -> str:
    """An Excel date with the precision its number format prints (``yyyy"年"m"月"`` → 2024-12)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").lower()
    if "d" in bare or not bare or bare == "general":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if "m" in bare:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


# Labelled round fields in a notes sheet or a note row: 巡察组｜区委第三巡察组, 反馈时间：2024年5月20日.
_KINDS = r"(?:巡视|巡察|检查|审计|督察|督查)"
_LABELLED_ROUND: list[tuple[str, LazyPattern]] = [
    # 反馈时间, 巡察意见反馈日期, 督察意见书送达日期, 审计报告出具日期: when the findings were delivered
    (
        "feedback_date",
        _lazy(r"^反馈$|反馈(?:意见)?(?:时间|日期)$|(?:送达|出具|下达|印发)(?:时间|日期)$"),
    ),
    ("target", _lazy(rf"^(?:被{_KINDS}(?:单位|对象|党组织)|{_KINDS}对象|整改(?:单位|主体))$")),
    ("project", _lazy(rf"^{_KINDS}项目(?:名称)?$")),
    ("inspector", _lazy(rf"^(?:{_KINDS}(?:组|单位|机构|机关)|反馈单位|派出(?:单位|机构)|组别)$")),
    ("kind", _lazy(rf"^(?:{_KINDS}|监督)(?:类型|类别|种类|方式)$|^检查类别$")),
]
_PAIR = _lazy(r"^([^:：]{2,12})[:：][\s\u3000]*(.+)$")


def labelled_round(rows: list[list[Any]]) -> dict[str, str]:
    """Round fields a sheet or a note row names by label (``反馈时间`` | ``2024年5月20日``): the
    label in one cell and the value in the next, or ``label：value`` in one cell."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [v for v in row if cell_text(v)]
        pairs: list[tuple[str, Any]] = []
        if len(cells) >= 2 and len(cell_text(cells[0])) <= 12:
            pairs.append((cell_text(cells[0]).rstrip(":："), cells[1]))
        for cell in cells:
            for part in re.split(r"[\u3000]+|\s{2,}", cell_text(cell)):
                match = _PAIR.match(part.strip())
                if match:
                    pairs.append((match.group(1), match.group(2)))
        for key, value in pairs:
            key = re.sub(r"[\s\u3000]+|[（(][^）)]*[）)]", "", key)
            for name, pattern in _LABELLED_ROUND:
                if name in found or not pattern.search(key):
                    continue
                if name == "feedback_date":
                    date = _full_date(value)
                    if date:
                        found[name] = date
                elif name == "kind":
                    word = ph.KIND_RE.search(cell_text(value))
                    if word:
                        found[name] = ph.KIND_OF[word.group(0)]
                elif name == "project":
                    # 审计项目：某集团公司2024年度财务收支审计 → the body audited is the name before the year
                    match = re.match(
                        r"^([\u4e00-\u9fff（）()]{2,40}?)(?:\d{4}|[一二三四五六七八九十〇]{4})年",
                        cell_text(value),
                    )
                    if match:
                        found.setdefault("target", match.group(1))
                elif cell_text(value):
                    found[name] = cell_text(value).rstrip("。；;")
                    if name == "inspector" and "kind" not in found and (word := ph.KIND_RE.search(key)):
                        found.setdefault("kind", ph.KIND_OF[word.group(0)])
    return found


def _full_date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    iso = ph.deadline_in_phrase(cell_text(value))
    return iso if iso and len(iso) == 10 else None


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
        elif label.style == "category":
            # a category heads problems; it is never under one (problems before the first category)
            while stack and (stack[-1][1]["measures"] or stack[-1][1]["problem"]):
                stack.pop()
        node["level"] = len(stack) + 1
        if stack:
            stack[-1][1]["children"].append(node)
        else:
            roots.append(node)
        stack.append((label.style, node))
    return roots
