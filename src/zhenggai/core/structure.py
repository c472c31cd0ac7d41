"""From a report's paragraphs to the ledger tree: numbered items, problems, measures and statuses.

The reader walks the paragraphs once. A paragraph that opens with a numbering label opens an item;
items nest by the order in which label styles first appear (一、 above （一） above 1. …), so
numbering that runs on across sections (items 1–11 under 一、二、三、) keeps its printed numbers.
Every other paragraph belongs to the open item: its problem statement, a measures paragraph
(after 整改情况：, or one that opens with a status such as 已整改到位。 or with 一是), a labelled field
(责任领导：, 完成时限：, 完成情况：), or prose. Sections that tell how the work was organised
(落实整改组织情况, 下一步工作打算) hold prose in ``text`` and state no problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhenggai.core import phrases as ph
from zhenggai.core.ledger import Measure, Node, new_measure, new_node
from zhenggai.core.measures import split_enumeration
from zhenggai.core.numbering import Label, parse_label

CLOSING = re.compile(
    r"^[\s\u3000]*(?:欢迎|特此|如有意见|联系电话|联系人|联系方式|监督电话|举报电话|公示时间|公示期|"
    r"附件[:：\d１-９一二三]|附表|主任、|感谢)"
)
_OUTLOOK = re.compile(r"下一步|打算|今后|努力方向|工作展望|工作计划")
_PROBLEM_WORDS = re.compile(
    r"问题|不到位|不够|不足|不严|不力|不实|不强|不高|不深|不细|不优|不规范|不完善|不健全|不彻底|不及时|不精准|"
    r"不积极|薄弱|缺失|缺位|滞后|差距|短板|欠缺|松散|弱化|偏差|隐患|方面"
)
_ORG_WORDS = re.compile(
    r"组织|总体|部署|推进情况|主体责任|基本情况|评价|处理情况|建议|主要做法|工作措施|成效|体会|经验|工作开展|工作情况"
)
_RECTIFICATION_TITLE = re.compile(r"整改(?:落实)?(?:情况|结果|进展)$")
_ABOUT_PROBLEM = re.compile(r"^关于.{2,}问题(?:的整改(?:情况)?)?$")
_SENTENCE_END = "。！？!?"
_SPACE_TITLE = re.compile(r"^([\u4e00-\u9fff“”‘’《》、]{4,30})[\s\u3000]+(\S.{9,})$", re.S)


def is_organisational(title: str) -> bool:
    """A top-level heading about how the rectification was organised, or what comes next."""
    if _OUTLOOK.search(title):
        return True
    if _PROBLEM_WORDS.search(title):
        return False
    return bool(_ORG_WORDS.search(title))


def split_title(text: str) -> tuple[str, str]:
    """A run-in heading's title and the rest: ``重点工作推进不力。社区平时…`` → (title, rest)."""
    text = text.strip()
    spaced = _SPACE_TITLE.match(text)
    if spaced:
        return spaced.group(1), spaced.group(2).strip()
    for i, ch in enumerate(text[:61]):
        if ch in _SENTENCE_END:
            if i + 1 < len(text) and text[i + 1 :].strip():
                return text[: i + 1], text[i + 1 :].strip()
            break
    return text, ""


@dataclass
class _Open:
    """An item being read."""

    node: Node
    style: str
    org: bool
    listed: bool = False  # an item of a measures list with no item above it
    body: list[str] = field(default_factory=list)
    measures: list[tuple[str, bool]] = field(default_factory=list)  # (paragraph, may hold an enumeration)
    in_measures: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    progress: list[tuple[str, str]] = field(
        default_factory=list
    )  # (整改进展, what it says), after the measures
    status_texts: list[str] = field(default_factory=list)


@dataclass
class _List:
    """A measures list opened by an empty marker (整改措施：) whose items are labelled lines."""

    owner: _Open | None
    style: str | None = None
    expected: int = 1


@dataclass
class Structure:
    sections: list[Node]
    preamble: list[str]
    closing: list[str]
    warnings: list[str]


# A report's closing prose after its last numbered item: 下一步，我们将… / 今后，… / 接下来，…
_CLOSING_PROSE = re.compile(r"^[\s\u3000]*(?:下一步|下步|今后|接下来|下阶段|下一阶段)[，,：:]?")


def build(paragraphs: list[str]) -> Structure:
    """Read ``paragraphs`` (noise already removed, title excluded) into the ledger tree."""
    reader = _Reader()
    closing_from = _closing_prose(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if index == closing_from:
            reader.close(paragraph)
            continue
        reader.feed(paragraph)
    return reader.finish()


def _closing_prose(paragraphs: list[str]) -> int | None:
    """Where the closing prose begins: an unnumbered paragraph that looks ahead (下一步…) after the
    report's last numbered line. It belongs to no item, however it reads."""
    last = max((i for i, line in enumerate(paragraphs) if parse_label(line) is not None), default=None)
    if last is None:
        return None
    for index in range(last + 1, len(paragraphs)):
        if _CLOSING_PROSE.match(paragraphs[index]):
            return index
    return None


class _Reader:
    def __init__(self) -> None:
        self.sections: list[Node] = []
        self.stack: list[_Open] = []
        self.preamble: list[str] = []
        self.closing: list[str] = []
        self.warnings: list[str] = []
        self.listing: _List | None = None
        self.in_closing = False

    # ---- the walk ------------------------------------------------------------------------------
    def close(self, line: str) -> None:
        """From `line` on, the report's closing: no more items or measures."""
        self.in_closing = True
        self.listing = None
        self.closing.append(line)

    def feed(self, line: str) -> None:
        if self.in_closing:
            self.closing.append(line)
            return
        if (self.stack or self.sections) and CLOSING.match(line):
            self.in_closing = True
            self.listing = None
            self.closing.append(line)
            return
        label = parse_label(line)
        if label is not None and self.listing is not None and self._list_takes(label):
            return
        self.listing = None
        if label is not None:
            self._open(label)
            return
        if not self.stack:
            self.preamble.append(line)
            marker = ph.MARKER.match(line)
            if marker and not line[marker.end() :].strip():
                self.listing = _List(owner=None)
            return
        self._paragraph(self.stack[-1], line)

    def _list_takes(self, label: Label) -> bool:
        listing = self.listing
        assert listing is not None
        styles = [item.style for item in self.stack]
        if listing.style is None:
            if label.number != 1:
                return False
            if label.style in styles and listing.owner is None:
                return False
        elif label.style != listing.style or label.number != listing.expected:
            return False
        listing.style = label.style
        listing.expected += 1
        if listing.owner is not None:
            listing.owner.measures.append((label.rest, False))
            listing.owner.in_measures = True
            return True
        # No item to hold the list: keep each entry as an item of its own, and say so.
        title = label.rest
        node = new_node(label=label.label, number=label.number, level=1, title=title)
        self.sections.append(node)
        self.stack = [_Open(node=node, style=label.style, org=False, listed=True)]
        self.listing = listing
        self.warnings.append(
            f"第{label.label}项“{title[:20]}”列在整改情况之下，未能归入具体问题，按编号条目保留"
        )
        return True

    def _open(self, label: Label) -> None:
        styles = [item.style for item in self.stack]
        if label.style in styles:
            while self.stack:
                item = self.stack.pop()
                self._close(item)
                if item.style == label.style:
                    break
        parent = self.stack[-1] if self.stack else None
        rest = label.rest
        fields = ph.split_fields(rest)
        if fields and fields[0][0] in ph.FIELD_PROBLEM and len(fields) == 1:
            rest = fields[0][1]
        title, body = split_title(rest)
        status_texts = []
        found = ph.STATUS_PAREN.search(title)
        if found and not title[found.end() :].strip("。；; "):
            status_texts.append(found.group(1))
            # 会议记录不规范（已整改）。 → 会议记录不规范。: the sentence keeps its full stop.
            ended = "。" in title[found.end() :] and not title[: found.start()].rstrip().endswith(
                tuple(_SENTENCE_END)
            )
            title = title[: found.start()].rstrip() + ("。" if ended else "")
        node = new_node(label=label.label, number=label.number, level=len(self.stack) + 1, title=title)
        org = parent.org if parent is not None else is_organisational(title)
        item = _Open(node=node, style=label.style, org=org, status_texts=status_texts)
        if body:
            self._paragraph(item, body, first=True)
        if parent is None:
            self.sections.append(node)
        else:
            parent.node["children"].append(node)
        self.stack.append(item)

    def _paragraph(self, item: _Open, line: str, *, first: bool = False) -> None:
        marker = ph.MARKER.match(line)
        if marker and item.measures and ph.PROGRESS_MARKER.search(marker.group(0).strip()):
            # 整改措施：一是…二是… then 整改进展：已完成。…: the second paragraph tells how far the
            # work has come (its status, what was achieved); it is no further measure.
            value = line[marker.end() :].strip()
            if value:
                item.progress.append((marker.group(0).strip().rstrip(":："), value))
            return
        if marker:
            content, trailing = ph.split_trailing_fields(line[marker.end() :].strip())
            item.fields.extend(trailing)
            item.in_measures = True
            if content:
                item.measures.append((content, True))
            else:
                self.listing = _List(owner=item)
            return
        fields = ph.split_fields(line)
        if fields and not (first and fields[0][0] in ph.FIELD_PROBLEM):
            item.fields.extend(fields)
            return
        line, trailing = ph.split_trailing_fields(line)
        item.fields.extend(trailing)
        if not line:
            return
        if item.org or item.listed:
            item.body.append(line)
            return
        if ph.STATUS_LEAD.match(line) or ph.STATUS_LEAD_COMMA.match(line) or line.startswith("一是"):
            item.in_measures = True
            item.measures.append((line, True))
            return
        if item.in_measures or (not first and not item.body and _ABOUT_PROBLEM.match(item.node["title"])):
            item.in_measures = True
            item.measures.append((line, True))
            return
        item.body.append(line)

    def finish(self) -> Structure:
        while self.stack:
            self._close(self.stack.pop())
        if not self.sections:
            self.warnings.append("未识别出编号结构，全文作为前言保留")
        return Structure(self.sections, self.preamble, self.closing, self.warnings)

    # ---- closing an item: problem, measures, status ------------------------------------------------
    def _close(self, item: _Open) -> None:
        node = item.node
        status_texts = list(item.status_texts)
        lead_status: str | None = None
        measures: list[Measure] = []
        deadlines: list[str] = []
        for paragraph, splittable in item.measures:
            text = paragraph
            lead = ph.STATUS_LEAD.match(text)
            if lead and not measures:
                lead_status = lead.group(1)
                rest = text[lead.end() :].strip()
                # 已整改到位。… : the status sentence is not a measure; 未整改，原因是…。 alone is one.
                if rest or len(lead.group(1)) > 12:
                    text = rest or text
            elif (comma_lead := ph.STATUS_LEAD_COMMA.match(text)) and not measures:
                lead_status = comma_lead.group(1)
            parts = split_enumeration(text) if splittable else [text.strip().rstrip("；;，,、")]
            for part in parts:
                part, found = _take_status_parens(part)
                status_texts.extend(found)
                if not part:
                    continue
                measure = new_measure(part)
                if ph.MEASURE_DONE.search(part):
                    measure["status"] = "done"
                deadlines.extend(ph.deadlines_in_text(part))
                measures.append(measure)
        body = []
        for paragraph in item.body:
            paragraph, found = _take_status_parens(paragraph)
            status_texts.extend(found)
            if paragraph:
                body.append(paragraph)
        self._apply_fields(item, node, measures)
        for name, value in item.progress:
            opening = re.split(r"(?<=[。；;])", value, maxsplit=1)[0].rstrip("。；;")
            if ph.status_of(opening):
                status_texts.append(opening)
            item.notes.append(f"{name}：{value}")
        node["measures"] = measures
        self._set_status(item, node, status_texts, lead_status, deadlines, body)
        self._set_problem(item, node, body)

    def _apply_fields(self, item: _Open, node: Node, measures: list[Measure]) -> None:
        notes = []
        for name, value in item.fields:
            if not value:
                continue
            if name in ph.FIELD_OWNER:
                for measure in measures:
                    measure["owner"] = measure.get("owner") or value
                if not measures:
                    notes.append(f"{name}：{value}")
            elif name in ph.FIELD_DEPARTMENT:
                for measure in measures:
                    measure["department"] = measure.get("department") or value
                if not measures:
                    notes.append(f"{name}：{value}")
            elif name in ph.FIELD_DEADLINE:
                node["deadline"] = node["deadline"] or ph.deadline_in_phrase(value)
                node["long_term"] = node["long_term"] or ph.is_long_term(value)
            elif name in ph.FIELD_STATUS:
                node["status"] = node["status"] or ph.status_of(value)
                node["status_text"] = node["status_text"] or value
                node["long_term"] = node["long_term"] or ph.is_long_term(value)
            else:
                notes.append(f"{name}：{value}")
        item.notes.extend(notes)

    def _set_status(self, item, node, status_texts, lead_status, deadlines, body) -> None:
        for text in status_texts:
            node["status"] = node["status"] or ph.status_of(text)
            node["deadline"] = node["deadline"] or ph.deadline_in_phrase(text)
            node["long_term"] = node["long_term"] or ph.is_long_term(text)
            node["status_text"] = node["status_text"] or text
        if lead_status:
            node["status"] = node["status"] or ph.status_of(lead_status)
            node["status_text"] = node["status_text"] or lead_status
            node["long_term"] = node["long_term"] or ph.is_long_term(lead_status)
        if deadlines and not node["deadline"]:
            node["deadline"] = max(deadlines)
        if any("长期坚持" in m["text"] for m in node["measures"]):
            node["long_term"] = True
        if not node["status"] and not node["children"] and not item.org:
            if ph.LITERAL_IN_PROGRESS.search(node["title"]) or any(
                ph.LITERAL_IN_PROGRESS.search(b) for b in body
            ):
                node["status"] = "in_progress"

    def _set_problem(self, item: _Open, node: Node, body: list[str]) -> None:
        prose = "\n".join(body) or None
        notes = "\n".join(item.notes) or None
        if item.org or item.listed or (node["children"] and not node["measures"]):
            node["problem"] = None
            node["text"] = "\n".join(x for x in (prose, notes) if x) or None
            return
        node["problem"] = prose or node["title"]
        node["text"] = notes
        if not node["measures"] and body and _RECTIFICATION_TITLE.search(node["title"]):
            # 五、审计发现问题的整改情况 followed by prose: the prose is the rectification itself.
            node["measures"] = [new_measure(paragraph) for paragraph in body]


def _take_status_parens(text: str) -> tuple[str, list[str]]:
    """Remove status parentheses from ``text``; return the text and their contents."""
    if "（" not in text and "(" not in text:
        return text.strip(), []
    found = [m.group(1) for m in ph.STATUS_PAREN.finditer(text)]
    if not found:
        return text.strip(), []
    cleaned = ph.STATUS_PAREN.sub("", text).strip()
    return cleaned, found
