"""From a report's paragraphs to the ledger tree: numbered items, problems, measures and statuses.

The reader walks the paragraphs once. A paragraph that opens with a numbering label opens an item;
items nest by the order in which label styles first appear (一、 above （一） above 1. …), so
numbering that runs on across sections (items 1–11 under 一、二、三、) keeps its printed numbers.
Every other paragraph belongs to the open item: its problem statement, a measures paragraph
(after 整改情况：, or one that opens with a status such as 已整改到位。 or with 一是), a labelled field
(责任领导：, 完成时限：, 完成情况：), a paragraph of progress after the measures, or prose.

A top-level section is settled when it closes: its kind (core.sections) is read from its heading and
what its items hold, and a section that is not one of findings (the overall situation, how the work
was organised, a progress summary, what comes next) holds prose in ``text`` and states no problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhenggai.core import phrases as ph
from zhenggai.core import sections as sk
from zhenggai.core.lazy_re import lazy
from zhenggai.core.ledger import Measure, Node, new_measure, new_node
from zhenggai.core.measures import split_enumeration
from zhenggai.core.numbering import Label, parse_label

CLOSING = ph.CLOSING
_RECTIFICATION_TITLE = lazy(r"整改(?:落实)?(?:情况|结果|进展)$")
# A heading that names a category of problems or a part of the report, not one problem: 关于…方面
# (的问题), 立行立改类问题（共3项）, 审计查出问题的整改情况, 反馈问题及整改措施.
_CATEGORY_TITLE = lazy(
    r"(?:方面|类)(?:的?问题)?(?:[（(][^（()）]*[)）])?$|问题(?:的|及)?整改(?:落实)?(?:情况|措施|结果|进展)$"
)
_ABOUT_PROBLEM = lazy(r"^关于.{2,}问题(?:的整改(?:情况)?)?$")
_SENTENCE_END = "。！？!?"
_FIRST_SENTENCE_END = lazy(f"[{_SENTENCE_END}]")
_SPACE_TITLE = lazy(r"^([\u4e00-\u9fff“”‘’《》、]{4,30})[\s\u3000]+(\S.{9,})$", re.S)


def is_organisational(title: str) -> bool:
    """A top-level heading that announces prose, not findings (core.sections.heading_kind)."""
    return sk.heading_kind(title) in sk.PROSE_KINDS


_ENUMERATION_HEAD = lazy(r"^[\s\u3000]*([^。；;！？]{0,30}?)一是")
_PROBLEM_HEAD = lazy(r"表现|存在|主要有|体现|问题")


_SEQUENCE_OPENING = lazy(
    r"^[\s\u3000]*(?:首先[，,、：:].*其次[，,、：:]|第一[，,、：:].*第二[，,、：:]|其一[，,、：:].*其二[，,、：:])"
)


def opens_measures(line: str) -> bool:
    """A paragraph below a problem that starts its measures although no marker stands before it."""
    if line.lstrip().startswith("一是") or ph.MEASURES_OPENER.match(line):
        return True
    if ("首先" in line or "第一" in line or "其一" in line) and _SEQUENCE_OPENING.match(line):
        return True  # 首先，…；其次，… / 第一，…第二，…
    if "二是" not in line:  # (tested first: the pattern's 一是 needs its 二是)
        return False
    head = _ENUMERATION_HEAD.match(line)
    return bool(head and not _PROBLEM_HEAD.search(head.group(1)))


def split_title(text: str) -> tuple[str, str]:
    """A run-in heading's title and the rest: ``重点工作推进不力。社区平时…`` → (title, rest)."""
    text = text.strip()
    # (the title and the rest are parted by white space from the title's fifth character to its
    # 31st: a line that holds none there, as str.split tells, cannot match)
    head = text[4:31]
    spaced = _SPACE_TITLE.match(text) if len(text) >= 15 and head.split(None, 1) != [head] else None
    if spaced:
        return spaced.group(1), spaced.group(2).strip()
    end = _FIRST_SENTENCE_END.search(text, 0, 61)  # a sentence's end in the first 61 characters
    if end is not None:
        i = end.start()
        if i + 1 < len(text) and text[i + 1 :].strip():
            return text[: i + 1], text[i + 1 :].strip()
    return text, ""


class _Open:
    """An item being read. (A class of its own, not a dataclass: the reader makes one for every
    numbered line, and a dataclass's keyword call with ten list factories costs some ten times
    these assignments.)"""

    __slots__ = (
        "body",
        "children",
        "fallback_status",
        "fields",
        "in_measures",
        "listed",
        "marked",
        "measures",
        "node",
        "notes",
        "paragraphs",
        "parent",
        "progress",
        "status_texts",
        "style",
        "summaries",
        "summary_lines",
    )

    def __init__(
        self,
        node: Node,
        style: str,
        parent: _Open | None = None,
        listed: bool = False,
        status_texts: list[str] | None = None,
    ) -> None:
        self.node = node
        self.style = style
        self.parent = parent
        self.children: list[_Open] = []
        self.listed = listed  # an item of a measures list with no item above it
        self.paragraphs: list[str] = []  # as printed, for a section of prose
        self.marked = False  # a marker, a field, a status: the shape of a finding
        self.summaries: list[tuple[int, str, str]] = []  # statuses by ordinal
        self.summary_lines: list[str] = []  # the paragraphs that gave them
        self.body: list[str] = []
        self.measures: list[tuple[str, bool]] = []  # (paragraph, may hold an enumeration)
        self.in_measures = False
        self.fields: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.progress: list[tuple[str, str]] = []  # (整改进展 or "", what it says), after the measures
        self.status_texts: list[str] = [] if status_texts is None else status_texts
        # a status clause inside a 整改情况 paragraph (…，正在加快推进，…): read when nothing else states one
        self.fallback_status: list[str] = []


@dataclass(slots=True)
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


def build(paragraphs: list[str], dated: int | None = None) -> Structure:
    """Read ``paragraphs`` (noise already removed, title excluded) into the ledger tree. ``dated``:
    the year of the page or file the report came in (its 发布时间), when the report prints none."""
    if ph.holds_bracket("".join(paragraphs)):
        paragraphs = [ph.unbracketed(paragraph) for paragraph in paragraphs]
    reader = _Reader()
    reader.year = _report_year(paragraphs) or dated
    closing_from = _closing_prose(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if index == closing_from:
            reader.close(paragraph)
            continue
        reader.feed(paragraph)
    return reader.finish()


# ——2025年11月26日在省人大常委会会议上: the day a report was given.
_SUBTITLE_DATE = lazy(r"^[\s\u3000]*[—–-]{1,2}[\s\u3000]*(\d{4})[\s\u3000]*年[\s\u3000]*\d{1,2}[\s\u3000]*月")


def _report_year(paragraphs: list[str]) -> int | None:
    """The report's year from a dated subtitle before its first item, if there is one."""
    for line in paragraphs[:8]:
        if parse_label(line) is not None:
            break
        match = _SUBTITLE_DATE.match(line)
        if match:
            return int(match.group(1))
    return None


def _closing_prose(paragraphs: list[str]) -> int | None:
    """Where the closing prose begins: an unnumbered paragraph that looks ahead (下一步…), reports
    what someone said (何建明指出，… / 他要求，…) or sums up the problems not listed (其余5个问题…) after the
    report's last numbered line, or one that says what the body will go on doing (局党组将继续…)
    once the last item has a paragraph of its own. It belongs to no item, however it reads."""
    last = next(  # the last numbered line, looked for from the end
        (i for i in range(len(paragraphs) - 1, -1, -1) if parse_label(paragraphs[i]) is not None), None
    )
    if last is None:
        return None
    for index in range(last + 1, len(paragraphs)):
        line = paragraphs[index]
        if ph.OUTLOOK_OPENING.match(line) or ph.REPORTED_SPEECH.match(line) or ph.REST_SUMMARY.match(line):
            return index
        if index > last + 1 and ph.RESOLVE_OPENING.match(line) and not ph.MARKER.match(line):
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
        self.last_findings: list[Node] = []  # of the last settled section that had findings
        self.ahead: list[tuple[int, str, str]] = []  # statuses by ordinal before any item
        self.year: int | None = None  # the report's, when a subtitle dates it
        # The preamble's last line when it announces a list (取得了以下成效： / 主要做法：), and the
        # label style of the top-level items it announces; each such item's lead, by id, until settled.
        self.lead: str | None = None
        self.lead_style: str | None = None
        self.leads: dict[int, str] = {}
        self.cut_off: _Open | None = None  # the last item, a heading whose content the copy lost

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
        if (self.stack or self.sections) and line.lstrip()[:1] in ph.CLOSING_FIRST and CLOSING.match(line):
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
            self.lead = line if line.rstrip().endswith(("：", ":")) else None
            self.lead_style = None
            # 反馈的5个问题中，第一、二项已整改完成…: for the findings that follow.
            self.ahead.extend(ph.ordinal_statuses(line))
            marker = ph.marker(line)
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
        self.stack = [_Open(node, label.style, listed=True)]
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
        title, bracketed = ph.split_bracketed_fields(title)  # 某某问题（整改时限：2024年12月底前）
        status_texts = []
        found = ph.STATUS_PAREN.search(title) if _holds_paren(title) else None
        if found and not title[found.end() :].strip("。；; "):
            status_texts.append(found.group(1))
            # 会议记录不规范（已整改）。 → 会议记录不规范。: the sentence keeps its full stop.
            ended = "。" in title[found.end() :] and not title[: found.start()].rstrip().endswith(
                tuple(_SENTENCE_END)
            )
            title = title[: found.start()].rstrip() + ("。" if ended else "")
        node = new_node(label=label.label, number=label.number, level=len(self.stack) + 1, title=title)
        item = _Open(node, label.style, parent, status_texts=status_texts)
        item.marked = bool(status_texts)
        if bracketed:
            self._take_fields(item, bracketed)
            item.marked = True
        if body:
            self._paragraph(item, body, first=True)
        if parent is None:
            self.sections.append(node)
            if self.lead is not None:
                self.lead_style = self.lead_style or label.style
                if label.style == self.lead_style:
                    self.leads[id(item)] = self.lead
                else:
                    self.lead = None
        else:
            parent.node["children"].append(node)
            parent.children.append(item)
        self.stack.append(item)

    def _paragraph(self, item: _Open, line: str, *, first: bool = False) -> None:
        # Every field, marker and label is followed by its colon: a paragraph that holds none (most
        # paragraphs) is not asked for them, one test instead of five calls that each make it.
        colon = "：" in line or ":" in line
        if colon:
            # …二是修订制度。（责任领导：张某；整改时限：…）
            line, bracketed = ph.split_bracketed_fields(line)
            if bracketed:
                self._take_fields(item, bracketed)
                item.marked = True
                if not line:
                    return
            parts = ph.split_labelled(line)
            if len(parts) > 1:
                # 原因分析：…。整改措施：…。整改时限：…: one paragraph a label.
                for index, part in enumerate(parts):
                    self._paragraph(item, part, first=first and index == 0)
                return
        item.paragraphs.append(line)
        if not first and (found := ph.ordinal_statuses(line)):
            # 第一项、第二项问题已整改完成，第三项正在整改: statuses of the section's findings by order.
            self._top(item).summaries.extend(found)
            item.summary_lines.append(line)
            item.notes.append(line)
            return
        if not first and ph.REST_SUMMARY.match(line):
            # 其余6个问题已在集中整改期内完成整改，不再逐项列出。 after the last item listed: it speaks
            # of the problems not listed, and is no measure of this one.
            item.notes.append(line)
            return
        marker = ph.marker(line) if colon else None
        if marker and item.measures and ph.PROGRESS_MARKER.search(marker.group(0).strip()):
            # 整改措施：一是…二是… then 整改进展：已完成。…: the second paragraph tells how far the
            # work has come (its status, what was achieved); it is no further measure.
            value = line[marker.end() :].strip()
            if value:
                item.progress.append((marker.group(0).strip().rstrip(":："), value))
            item.marked = True
            return
        if marker:
            content, trailing = ph.split_trailing_fields(line[marker.end() :].strip())
            self._take_fields(item, trailing)
            item.in_measures = True
            item.marked = True
            if not ph.REPORTS_PROGRESS.search(marker.group(0)) and not ph.MEASURES_WORD.search(
                marker.group(0)
            ):
                item.fallback_status.extend(ph.status_clauses(content, first=True))
            if not item.measures and ph.REPORTS_PROGRESS.search(marker.group(0)):
                # 整改进展：已完成搬迁19家，其余4家正在实施。: what was achieved states the status.
                opening = ph.opening(content)
                if ph.status_of(opening) and not ph.status_lead(content):
                    item.status_texts.append(opening)
                    if ph.is_status_only(content):
                        # 整改进展：已达到序时进度要求。: a status and nothing done, no measure.
                        content = ""
                        self.listing = None
                        return
            if content:
                item.measures.append((content, True))
                self.listing = self._list_run_on(item, content)
            else:
                self.listing = _List(owner=item)
            return
        if colon:
            fields = ph.split_fields(line)
            if fields and not (first and fields[0][0] in ph.FIELD_PROBLEM):
                self._take_fields(item, fields)
                item.marked = True
                return
            line, trailing = ph.split_trailing_fields(line)
            self._take_fields(item, trailing)
            item.marked = item.marked or bool(trailing)
        if not line:
            return
        if item.listed:
            item.body.append(line)
            return
        status_lead = ph.status_lead(line) or ph.status_lead_comma(line)
        if status_lead and item.measures and not first:
            # 整改措施：… then 目前，该问题已整改完成。…: a paragraph of progress, no further measure.
            item.progress.append(("", line))
            item.marked = True
            return
        if not status_lead and (
            (first and _enumerates_problems(line))
            or (not (item.measures or item.in_measures or item.marked) and _problem_point(line))
        ):
            # 1.学习不深入。一是应知应会掌握不全面；二是学习方法单一。: the problem, point by point (in
            # paragraphs of their own too, 一是…问题； / 二是…； before 整改措施：…).
            item.body.append(line)
            return
        if status_lead or (opens_measures(line) and (not first or line.lstrip().startswith("一是"))):
            item.marked = item.marked or bool(status_lead)
            item.in_measures = True
            item.measures.append((line, True))
            return
        if item.in_measures or (
            not first
            and not item.body
            and _ABOUT_PROBLEM.match(item.node["title"])
            # (关于…方面的问题 / 该方面共反馈问题5项，已完成整改3项。: a category's count, no measure)
            and not ph.is_count_summary(line)
        ):
            item.in_measures = True
            item.measures.append((line, True))
            return
        item.body.append(line)

    def _list_run_on(self, item: _Open, content: str) -> _List | None:
        """The list a marker's line opens with its first items (整改措施：（1）…；（2）…；), whose next
        items may stand on lines of their own (（3）…): a label in the style of no item above, going
        on from the last number the line holds, adds a measure, not an item."""
        label = parse_label(content)
        if label is None or label.number != 1 or label.style in {open_.style for open_ in self.stack}:
            return None
        return _List(owner=item, style=label.style, expected=len(split_enumeration(content)) + 1)

    @staticmethod
    def _take_fields(item: _Open, fields: list[tuple[str, str]]) -> None:
        """``fields`` kept for ``item``; a status sentence after the last one's short value (整改时限：
        2025年11月。目前正在整改。) is no part of the value: it tells how far the work has come."""
        if fields:
            value, status = ph.status_after_field(*fields[-1])
            if status:
                fields = [*fields[:-1], (fields[-1][0], value)]
                item.progress.append(("", status))
                item.marked = True
        item.fields.extend(fields)

    @staticmethod
    def _top(item: _Open) -> _Open:
        while item.parent is not None:
            item = item.parent
        return item

    def finish(self) -> Structure:
        if self.stack and not self.closing and self._heading_cut_off(self.stack[-1]):
            self.cut_off = self.stack[-1]
        while self.stack:
            self._close(self.stack.pop())
        if not self.sections:
            self.warnings.append("未识别出编号结构，全文作为前言保留")
        return Structure(self.sections, self.preamble, self.closing, self.warnings)

    def _heading_cut_off(self, item: _Open) -> bool:
        """Whether ``item``, the text's last, is a heading whose content the copy lost: a page that
        keeps a report's opening breaks off after （二）某某方面 / 二、审计查出问题的整改情况. Nothing
        stands under it, and it names a category or a part of the report, or the items before it at
        its level hold findings of their own (it is one of their categories). A category's line that
        counts its problems (共发现问题16个，已完成整改14个) may stand under it."""
        if item.children or item.listed or item.marked or item.fields or item.status_texts:
            return False
        if _CATEGORY_TITLE.search(item.node["title"].rstrip("。；;：: ")):
            return all(ph.is_count_summary(paragraph) for paragraph in item.paragraphs)
        if item.paragraphs:
            return False
        if item.parent is not None:
            return any(
                any(c.measures or c.marked for c in sibling.children) for sibling in item.parent.children
            )
        return any(
            any(child["problem"] or child["measures"] for child in node["children"])
            for node in self.sections[:-1]
        )

    # ---- settling a section: its kind, then each item's problem, measures, status ----------------------
    def _close(self, item: _Open) -> None:
        """An item is settled with the top-level section it belongs to, once that section's kind is known."""
        if item.parent is None:
            self._settle(item)

    def _settle(self, top: _Open) -> None:
        items = _subtree(top)
        views = [_view(item) for item in items]
        prose = sk.section_kind(top.node["title"], views) in sk.PROSE_KINDS and not top.listed
        lead = self.leads.pop(id(top), None)
        if lead is not None and not prose and sk.heading_kind(lead) in sk.PROSE_KINDS:
            # 通过整改，取得了以下成效：1.思想认识进一步提高。…: items the line before them announces as
            # achievements, ways of working or next steps are prose, unless they state problems
            prose = not any(sk.looks_like_finding(view) for view in views)
        if not prose and _fold_actions(top):
            items = _subtree(top)
            views = [_view(item) for item in items]
        # Below a section of findings, a part may still tell how the work was organised (一、整改情况
        # （一）加强组织领导。… （二）问题整改情况 1.…): its kind is read as a section's is.
        prose_parts: set[int] = set()
        if not prose:
            view_of = {id(item): view for item, view in zip(items, views, strict=True)}
            for child in top.children:
                if not child.children and not sk.is_slogan(child.node["title"]):
                    continue  # a single item reads as a finding unless its title is a slogan
                part = _subtree(child)
                if (
                    sk.section_kind(child.node["title"], [view_of[id(item)] for item in part])
                    in sk.PROSE_KINDS
                ):
                    prose_parts.update(id(item) for item in part)
        for item, view in zip(items, views, strict=True):
            if (
                prose
                or id(item) in prose_parts
                or item is self.cut_off
                or (
                    view.leaf
                    and not view.marked
                    and sk.is_summary(view)
                    and (_neutral(view.title) or not view.prose)  # (a counting title names problems)
                )
            ):
                _as_prose(item)
            else:
                self._finish(item)
        findings = [item.node for item in items if item.node["problem"] or item.node["measures"]]
        if findings:
            self.last_findings = findings
            _apply_summaries(self.ahead, findings, self.year)
            self.ahead = []
        _apply_summaries(top.summaries, findings or self.last_findings, self.year)
        # A settled section's items are read no more: their links up are cut, so that each item and
        # its lists are freed as soon as the reader lets them go, not left in cycles (parent ↔
        # children) for the garbage collector to find (some 8,000 objects a pass of the corpus).
        for item in items:
            item.parent = None

    def _finish(self, item: _Open) -> None:
        node = item.node
        if (
            not item.children
            and not item.listed
            and item.body
            and all(ph.is_status_only(paragraph) for paragraph, _ in item.measures)
        ):
            # 1.非税收入未及时缴库问题。某局代收的…未缴入国库。某局已将上述资金全额缴库，…。目前，
            # 该问题已整改完成。: the rectification told in the problem's own paragraph, perhaps with
            # a progress field after it that states a status alone (整改进展：部分完成，计划…).
            told = _told_rectification(item.body, sk.states_problem(node["title"]))
            if told is not None:
                item.body, rectification = told
                item.status_texts.extend(paragraph for paragraph, _ in item.measures)
                item.measures = [(rectification, True)]
        else:
            told = None
        status_texts = list(item.status_texts)
        lead_status: str | None = None
        measures: list[Measure] = []
        deadlines: list[str] = []
        for index, (paragraph, splittable) in enumerate(item.measures):
            text = paragraph
            if index == len(item.measures) - 1:
                # …二是建立制度。目前，该问题正在整改中，计划2025年底前完成。: the status is no measure.
                text, said = ph.trailing_status(text)
                if said:
                    status_texts.append(said)
                if said and not text and index:
                    # …三是…。 / 目前，集体备课已完成70%，遴选正在进行。: a paragraph of its own after the
                    # measures that states how far they came is no measure.
                    continue
                text = text or paragraph
            if (
                not measures
                and index < len(item.measures) - 1
                and _BRACKETED_TAIL.search(text)
                and ph.is_status_only(_BRACKETED_TAIL.sub("", text))
            ):
                # 达到序时进度（截污管网工程计划2026年6月底前全部完工）。 before the measures: the status
                # and its detail, no measure (the date it names is the deadline)
                status_texts.append(_BRACKETED_TAIL.sub("", text))
                deadlines.extend(ph.deadlines_in_text(text, self.year))
                continue
            lead = ph.status_lead(text)
            if lead and not measures:
                lead_status = lead.group(1)
                rest = text[lead.end() :].strip()
                # 已整改到位。… : the status sentence is not a measure; 未整改，原因是…。 alone is one.
                if not rest and ph.is_status_only(text):
                    continue  # 整改进展：已经完成，长期坚持。: a status alone, no measure

                if rest or len(lead.group(1)) > 12:
                    text = rest or text
            elif (comma_lead := ph.status_lead_comma(text)) and not measures:
                lead_status = comma_lead.group(1)
            parts = split_enumeration(text) if splittable else [text.strip().rstrip("；;，,、")]
            for part in parts:
                part, found = _take_status_parens(part)
                status_texts.extend(found)
                for said in found:  # （正在推进，预计10月底前完成）: the status's date is the deadline
                    deadlines.extend(ph.deadlines_in_text(said, self.year))
                if not part:
                    continue
                measure = new_measure(part)
                if "已" in part and ph.MEASURE_DONE.search(part):
                    measure["status"] = "done"
                deadlines.extend(ph.deadlines_in_text(part, self.year))
                measures.append(measure)
        body = []
        for paragraph in item.body:
            paragraph, found = _take_status_parens(paragraph)
            status_texts.extend(found)
            if paragraph:
                body.append(paragraph)
        deadlines.extend(self._apply_fields(item, node, measures))
        planned = None
        for name, value in item.progress:
            opening = ph.opening(value)
            status = ph.status_of(opening)
            if status:
                status_texts.append(opening)
            elif said := ph.trailing_status(value)[1]:
                # 整改成效：全院87门课程…融入思政元素。目前已完成整改，将长期坚持。: what was achieved,
                # then how far it came
                status_texts.append(said)
            if status != "done":  # 正在整改。剩余7项计划2025年5月底前整改完毕。
                ahead = ph.deadlines_in_text(value, self.year)
                deadlines.extend(ahead)
                if ahead and not status:  # 方案已提交审议。下一步，…计划10月印发。: under way
                    planned = planned or opening
            # 正在整改，…2024年底前完成；跟踪审计长期坚持。: a part kept up for good, in a later clause
            node["long_term"] = node["long_term"] or ph.LONG_TERM_STATED.search(value) is not None
            item.notes.append(f"{name}：{value}" if name else value)
        node["measures"] = measures
        self._set_status(item, node, status_texts, lead_status, deadlines, body)
        if item.measures and not node["status"] and not node["children"]:
            # …已清退403万元；剩余33万元…，已在网站公告，正在整改中。: no status sentence of its own; the
            # rectification's last clause states it (a plan alone, …计划于2025年9月底前完成竣工决算, states
            # none)
            last = item.measures[-1][0]
            clauses = [c.strip() for c in _CLAUSES.split(last) if c.strip()]
            final = clauses[-1] if clauses else ""
            # (a short clause, or one that opens with its status: not 对未整改的17个问题实行挂牌督办,
            # which names what was acted on)
            if final and (len(final) <= 8 or _STATUS_OPENING.match(final)) and ph.status_of(final):
                node["status"] = ph.status_of(final)
                node["status_text"] = final
            elif final and _REST_UNDER_WAY.match(final):
                node["status"] = "in_progress"  # …已收回812.4万元，其余正在通过法律途径追收。
                node["status_text"] = final
            elif under_way := next(
                (c for c in clauses if "正在" in c and ph.status_of(c) == "in_progress"), None
            ) or (_REST_PLANNED.search(last) and node["deadline"] and last):
                # …；报废设备核销手续正在办理，预计2026年8月底前完成。 / 已收回1940.2万元，剩余374.4万元
                # 涉及在建工程尾款，计划2026年9月底前完成清算后收回。: the rest under way or planned
                node["status"] = "in_progress"
                node["status_text"] = under_way if isinstance(under_way, str) else None
        if planned and not node["status"] and not node["children"]:
            node["status"] = "in_progress"
            node["status_text"] = node["status_text"] or planned
        if not measures and not node["deadline"] and not node["children"] and node["status"] != "done":
            # 5.公租房分配不规范。…已清退29户；其余14户…2025年3月底前全部清退。（部分整改）: an item
            # told in one paragraph names no measure, but still says by when the rest is done.
            node["deadline"] = max(
                (d for text in body for d in ph.deadlines_in_text(text, self.year)), default=None
            )
        self._set_problem(item, node, body)

    def _apply_fields(self, item: _Open, node: Node, measures: list[Measure]) -> list[str]:
        """Owner, department, deadline and status from labelled fields; the deadlines a target states
        (整改目标：2020年底前…达到90%) are returned, to count as the measures' do."""
        notes = []
        targets: list[str] = []
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
            elif name in ph.FIELD_DEADLINE:  # 整改时限：6月底前 is the report's year's June
                node["deadline"] = node["deadline"] or ph.field_deadline(value, self.year)
                node["long_term"] = node["long_term"] or ph.is_long_term(value)
            elif name in ph.FIELD_STATUS:
                status = ph.status_of(value)
                node["status"] = node["status"] or status
                node["status_text"] = node["status_text"] or value
                node["long_term"] = node["long_term"] or ph.is_long_term(value)
                if status != "done":  # 序时推进，2024年12月底前完成: the date still ahead
                    targets.extend(ph.deadlines_in_text(value, self.year))
            else:
                if name in ph.FIELD_TARGET:
                    targets.extend(ph.deadlines_in_text(value, self.year))
                notes.append(f"{name}：{value}")
        item.notes.extend(notes)
        return targets

    def _set_status(self, item, node, status_texts, lead_status, deadlines, body) -> None:
        for text in status_texts:
            node["status"] = node["status"] or ph.status_of(text)
            if not node["deadline"] and not ph.completion_date_only(
                text
            ):  # 已完成整改（2024年3月）: when done
                node["deadline"] = ph.deadline_in_phrase(text)
            node["long_term"] = node["long_term"] or ph.is_long_term(text)
            node["status_text"] = node["status_text"] or text
        if lead_status:
            node["status"] = node["status"] or ph.status_of(lead_status)
            node["status_text"] = node["status_text"] or lead_status
            node["deadline"] = node["deadline"] or ph.deadline_in_phrase(lead_status)
            node["long_term"] = node["long_term"] or ph.is_long_term(lead_status)
        for text in item.fallback_status if not node["status"] else ():
            node["status"] = ph.status_of(text)
            node["status_text"] = node["status_text"] or text
            node["long_term"] = node["long_term"] or ph.is_long_term(text)
        if deadlines and not node["deadline"]:
            node["deadline"] = max(deadlines)
        if any("长期坚持" in m["text"] for m in node["measures"]):
            node["long_term"] = True
        if not node["status"] and not node["children"]:
            if ph.LITERAL_IN_PROGRESS.search(node["title"]) or any(
                ph.LITERAL_IN_PROGRESS.search(b) for b in body
            ):
                node["status"] = "in_progress"

    def _set_problem(self, item: _Open, node: Node, body: list[str]) -> None:
        prose = "\n".join(body) or None
        notes = "\n".join(item.notes) or None
        if item.listed or (node["children"] and not node["measures"]):
            node["problem"] = None
            node["text"] = "\n".join(x for x in (prose, notes) if x) or None
            return
        node["problem"] = prose or node["title"]
        node["text"] = notes
        if not node["measures"] and body and _RECTIFICATION_TITLE.search(node["title"]):
            # 五、审计发现问题的整改情况 followed by prose: the prose is the rectification itself.
            node["measures"] = [new_measure(paragraph) for paragraph in body]


# A sentence in which the responsible unit reports what it did (某局已将…, 该局已全额追回…, 某局一是…,
# 县民政局追回…, 区住房城乡建设局已清退…), or that opens the rectification (针对该问题，… / 对此，…).
# A unit by its name: 市财政局, 区住房城乡建设局, 某某公司, 青石镇.
_UNIT_NAMED = (
    r"[\u4e00-\u9fff]{1,16}?(?:局|委|办|中心|院|公司|集团|政府|街道|镇|乡|部门|单位|学校|医院|厅|署)"
)
_UNIT_ACTS = lazy(
    r"^(?:该(?:局|单位|委|办|中心|公司|集团|院|校|镇|乡|街道|部门)|(?:有关|相关)(?:单位|部门)|"
    + _UNIT_NAMED
    # (several units named, or counted: 市教育局、市民政局等5个单位已将…)
    + r"(?:[、和及]"
    + _UNIT_NAMED
    + r")*(?:等\d{1,3}个(?:单位|部门|县区|县市区|乡镇|街道))?"
    + ")"
    + r"(?:已|正在|积极|立即|及时|一是|会同|牵头|督促|追回|收回|清退|通过|对照|针对|按照|现已|均已"
    # (a verb of what was done: 某局修订《…》 / 某局对…开展全面清查, see _unit_acts)
    + r"|修订|制定|建立|出台|印发|完善|组织|开展|(?P<to>对))"
)


def _unit_reports(sentence: str) -> bool:
    """Whether a unit reports what it did in ``sentence`` (_UNIT_ACTS): 某局对… counts when its clause
    goes on to what was done to it (某局对违规享受住房的27户予以清退 / 某局对…开展清查) or names no
    problem (某局对结转资金全部收回), not 某局对申报材料审核不严."""
    found = _UNIT_ACTS.match(sentence)
    if found is None:
        return False
    if found.group("to") is None:
        return True
    clause = _CLAUSES.split(sentence[found.end() :], 1)[0]
    return _DONE_TO.search(clause) is not None or sk.PROBLEM_WORDS.search(clause) is None


# What was done to what 对 names: 对…进行梳理 / 开展清查 / 予以清退 / 实行… / 全部追回.
_DONE_TO = lazy(r"进行|开展|予以|实行|实施|停发|清退|追回|收回|核实|整改|处理|清理|查处|约谈|问责")
_SENTENCES = lazy(r"[^。！？!?]+[。！？!?]?")
_CLAUSES = lazy(r"[，,。；;]")
_STATUS_OPENING = lazy(r"^(?:目前|现|仍|尚)?(?:正在|已经|均已|已)")
# The rest still being dealt with: 其余正在通过法律途径追收 / 剩余部分仍在推进 / 其余待合同到期后实施.
_REST_UNDER_WAY = lazy(r"^(?:其余|剩余|尚余|另有)[^，,。；;]{0,12}?(?:正在|仍在|待)")
# … or planned for a date: 剩余374.4万元涉及在建工程尾款，计划2026年9月底前完成清算后收回.
_REST_PLANNED = lazy(r"(?:其余|剩余|尚余)[^。；;]{0,30}?(?:计划|预计|力争)")


def _told_rectification(body: list[str], titled: bool = False) -> tuple[list[str], str] | None:
    """A finding told in one paragraph with no marker (the problem's sentences, then what the
    responsible unit did, then how far it came: 目前，该问题已整改完成。 / （已整改）): the problem's
    paragraphs and the rectification's text, from the first sentence after the problem's first that
    a unit's report of its actions opens (_UNIT_ACTS), a measures opener (对此，) or a status
    (已整改到位。) opens. None when no such sentence follows the problem. ``titled``: the item's
    title states the problem (1.非税收入未及时缴库。市财政局会同…): the paragraph may open with the
    rectification."""
    for index, paragraph in enumerate(body):
        sentences = _SENTENCES.findall(paragraph)
        start = 1 if index == 0 and not titled else 0
        for at in range(start, len(sentences)):
            sentence = sentences[at].lstrip()
            if (
                _unit_reports(sentence)
                or ph.MEASURES_OPENER.match(sentence)
                or ph.status_lead(sentence)
                or ph.status_lead_comma(sentence)
            ):
                problem = "".join(sentences[:at]).strip()
                rest = "".join(sentences[at:]).strip()
                if not problem and index == 0 and not titled:
                    return None
                kept = [*body[:index], problem] if problem else body[:index]
                return kept, "\n".join([rest, *body[index + 1 :]])
    return None


def _subtree(item: _Open) -> list[_Open]:
    """``item`` and the items below it, in document order."""
    out: list[_Open] = []
    stack = [item]
    while stack:
        item = stack.pop()
        out.append(item)
        if item.children:
            stack.extend(reversed(item.children))
    return out


# A verb of what is done to a problem, anywhere in a point: no point of the problem holds one. Negated,
# it names the shortcoming (不规范, 未落实, 不够严格, 没开展).
_DOING = lazy(
    r"(?<![不未没够])(?:建立|制定|开展|完善|修订|加强|组织|推进|实施|落实|清理|清退|印发|出台|召开|整治|督促|规范"
    r"|严格)"
)


def _problem_point(line: str) -> bool:
    """A paragraph that opens a problem printed a point a line (一是个别股室存在以会代训问题；), before its
    measures: its first point or first few (一是…；二是…； where a copy's line breaks joined two), ending
    in a semicolon, each stating a shortcoming and nothing done."""
    if not line.lstrip().startswith("一是") or not line.rstrip().endswith(("；", ";")):
        return False
    points = split_enumeration(line)
    return bool(points) and all(sk.states_problem(point) and _DOING.search(point) is None for point in points)


def _enumerates_problems(line: str) -> bool:
    """An enumeration whose first point states a shortcoming (一是…掌握不全面), not an action."""
    if not line.lstrip().startswith("一是"):
        return False
    points = split_enumeration(line)
    if not points:
        return False  # 一是 and nothing after it (a copy cut there)
    return sk.states_problem(points[0]) and not sk.is_action(points[0])


def _view(item: _Open) -> sk.ItemView:
    # Running text matters only where it may be a summary: an unmarked leaf.
    leaf = not item.children
    return sk.ItemView(  # (title, prose, marked, leaf)
        item.node["title"],
        item.body + [text for text, _ in item.measures] + item.summary_lines
        if leaf and not item.marked
        else [],
        item.marked,
        leaf,
    )


def _fold_actions(item: _Open) -> bool:
    """A problem whose numbered items only say what was done (（一）关于…不够的问题 / 1.深入学习…。
    2.建立…。) holds them as its measures, one an item: they are no findings of their own.
    Whether any item was folded."""
    folded = False
    for child in item.children:
        folded = _fold_actions(child) or folded
    children = item.children
    if not children:
        return folded
    # … a progress field that only states the status (整改进展：已完成。) may come first; the items
    # after it then say what was done whatever verb opens them, unless they name a problem.
    # (达到序时进度（截污管网工程计划2026年6月底前全部完工）。: a status and its bracketed detail)
    status_first = bool(item.measures) and all(
        ph.is_status_only(p) or ph.is_status_only(_BRACKETED_TAIL.sub("", p)) for p, _ in item.measures
    )
    # (（1）制定…；（2）推动…；（3）建立…。: items that end in semicolons, the last in a full stop, are
    # one list's points, as an enumeration run into one paragraph is)
    listed = len(children) >= 2 and all(_ends_point(_whole(c)) for c in children[:-1])
    if (
        (status_first or not item.measures)
        and sk.states_problem(item.node["title"])
        and all(
            not c.children
            and (not c.marked or (c is children[-1] and _status_after_points(c)))
            and (
                sk.is_action(c.node["title"])
                or (status_first and not sk.states_problem(c.node["title"]))
                or _acted_on(c.node["title"])
                or (listed and not sk.states_problem(c.node["title"]))
                or _unit_acts(c.node["title"])
                or (status_first and _opens_an_action(c.node["title"]))
            )
            for c in children
        )
    ):
        item.measures = [*item.measures, *((_whole(child), False) for child in children)]
        if len(children) == 1:
            # 整改情况：已完成。 | （1）制定…；（2）建立…；（3）开展…: one line, the whole list run in
            run_in = children[0].node["label"] + item.measures[-1][0]
            if len(split_enumeration(run_in)) > 1:
                item.measures[-1] = (run_in, True)
        item.in_measures = True
        item.children = []
        item.node["children"] = []
        return True
    return folded


# What an item says was done to a problem it names: 对3家违规贮存危险废物的企业立案查处 / 追回违规资金.
_ACTED = lazy(
    r"查处|处罚|罚款|问责|追回|收回|清退|建成|整改到位|立案|责令|约谈|停工|停产|办理|补办|调整|返工|处置|纠正|清理"
)


_BRACKETED_TAIL = lazy(r"[（(][^（）()]*[）)][。；;]?$")
# A negated predicate ending a line: …开展专项整治不到位 is a problem, 建立隐患排查制度 an action.
_SHORTFALL_END = lazy(
    r"(?:不到位|不够|不足|不严|不力|不实|不规范|不完善|不健全|不及时|滞后|缺失|缺位|不高|不强)[。；;，,]?$"
)


def _opens_an_action(title: str) -> bool:
    """A line that opens with what was done (建立园区环境风险隐患月排查制度) whatever problem it names as
    its object, unless it ends in a shortfall (开展专项整治不到位)."""
    return sk.opens_with_action(title) and _SHORTFALL_END.search(title) is None


def _status_after_points(item: _Open) -> bool:
    """Whether the last point of a list is marked only by the status sentence after it (（3）建立…。
    该问题正在整改中，计划…完成。): the problem's status, not the point's."""
    return (
        not item.fields
        and not item.progress
        and bool(item.measures or item.body)
        and all(
            ph.status_lead(text) or ph.status_lead_comma(text) or _status_parens_only(text)
            for text in [*(t for t, _ in item.measures), *item.body]
        )
    )


def _status_parens_only(text: str) -> bool:
    """A paragraph that is a status parenthesis and nothing else: （已整改） / （部分整改，持续推进）."""
    rest, found = _take_status_parens(text)
    return bool(found) and not rest


# A line in which a named unit acts: 市住房城乡建设局印发… / 各区对9个项目补充开展… / 市财政局已将….
_UNIT_ACTING = lazy(
    r"^(?:各[区县市镇乡]|"
    + _UNIT_NAMED
    + ")"
    + r"(?:已|正在|对|将|把|印发|制定|出台|修订|建立|开展|组织|召开|完成|推行|实施|会同|牵头|督促|追回|收回|清退)"
)


# … or one that opens with what was done or to whom: 已暂扣… / 对2家施工单位予以信用扣分 / 责令施工单位….
# (截至2025年10月底，已支出1.13亿元…: how far it came by a date)
_ACTS_OPENING = lazy(r"^(?:已|对|责令|向|通过|按照|每年|每月|每季度|截至|截止|市级财政|县级财政|区级财政)")


def _unit_acts(title: str) -> bool:
    """Whether a numbered line says what was done (under a problem): a named unit acting (市住房城乡
    建设局印发《…》，明确“改不改”由居民决定 quotes a negation, no problem of its own), or a line
    that opens with what was done or to whom and names no shortcoming (对全市项目开展检查，发现并
    整改质量问题46处 counts the problems it fixed)."""
    if _UNIT_ACTING.match(title) is not None or _UNIT_ACTS.match(title) is not None:
        return True
    if _ACTS_OPENING.match(title) is None:
        return False
    return all(word in ("问题", "方面") for word in sk.PROBLEM_WORDS.findall(title)) or _acted_on(title)


def _ends_point(text: str) -> bool:
    """Whether ``text`` ends as a point of a list does, in a semicolon."""
    return text.rstrip().endswith(("；", ";"))


def _acted_on(title: str) -> bool:
    """Whether a line that names a problem says what was done to it, after naming it: 对扬尘管控不力的
    37个工地实施约谈 (not 涉企保证金清退不到位问题, where the verb is part of the problem)."""
    acts = [m.start() for m in _ACTED.finditer(title)]
    if not acts:
        return False
    problems = [m.end() for m in sk.PROBLEM_WORDS.finditer(title)]
    return not problems or problems[-1] <= acts[-1]


def _whole(item: _Open) -> str:
    """An item's printed text: its title and every paragraph under it."""
    title = item.node["title"]
    rest = "".join(item.paragraphs)
    return title + rest if rest else title


def _neutral(title: str) -> bool:
    """A title that names a category (…方面) or nothing, not a problem."""
    return all(word in ("方面", "问题") for word in sk.PROBLEM_WORDS.findall(title))


def _as_prose(item: _Open) -> None:
    """An item of a section that states no problem: its paragraphs, as printed, are its text."""
    node = item.node
    node["problem"] = None
    node["measures"] = []
    node["text"] = "\n".join(item.paragraphs) or None
    node["status"] = None
    node["status_text"] = None
    node["deadline"] = None
    node["long_term"] = False


def _apply_summaries(summaries: list[tuple[int, str, str]], findings: list[Node], year: int | None) -> None:
    """Statuses given by ordinal (第一项、第二项…已整改完成) to the findings they count, by order."""
    for number, status, clause in summaries:
        if 1 <= number <= len(findings):
            node = findings[number - 1]
            if not node["status"]:
                node["status"] = status
                node["status_text"] = node["status_text"] or clause
                if status != "done" and not node["deadline"]:
                    node["deadline"] = max(ph.deadlines_in_text(clause, year), default=None)


def _holds_paren(text: str) -> bool:
    """Whether ``text`` holds an opening bracket of a status parenthesis (ph.STATUS_PAREN)."""
    return "（" in text or "(" in text or "【" in text or "[" in text


def _take_status_parens(text: str) -> tuple[str, list[str]]:
    """Remove status parentheses from ``text``; return the text and their contents."""
    if not _holds_paren(text):
        return text.strip(), []
    found = [m.group(1) for m in ph.STATUS_PAREN.finditer(text)]
    if not found:
        return text.strip(), []
    cleaned = ph.STATUS_PAREN.sub("", text).strip()
    return cleaned, found
