"""The public rectification report (整改情况的报告 / 整改进展情况的通报) as a 公文 .docx.

The text follows the habits of published reports: a preamble saying who inspected whom and when
the feedback came; the numbered problems as printed (``一、`` ``1.`` ``（1）``), each followed by
its status in parentheses (``（正在整改，2020年7月完成，长期坚持）``) and a paragraph
``整改情况：一是……。二是……。`` built from its measures; the invitation to the public; the issuer
and the date. :func:`report_paragraphs` gives the text as :class:`~zhenggai.core.writers.gongwen.Para`
(for a preview); :func:`render_report` lays it out as GB/T 9704 asks
(:mod:`zhenggai.core.writers.gongwen`).

:func:`zhenggai.core.parse.parse_document` reads the file back into the same tree: numbering,
titles, problem statements, measure counts, statuses and deadlines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from zhenggai.core.numbering import parse_label, to_cn
from zhenggai.core.structure import split_title
from zhenggai.core.writers.gongwen import Fonts, GongwenDocument, Para, cn_date, heading

__all__ = [
    "Fonts",
    "ReportOptions",
    "closing_sentence",
    "deadline_text",
    "default_preamble",
    "item_paragraphs",
    "kind_of",
    "node_paths",
    "printed_label",
    "render_report",
    "report_paragraphs",
    "report_text",
    "status_phrase",
]

Path = tuple[int, ...]
_SENTENCE_END = ("。", "！", "？", "!", "?")
_TRAIL = "；;，,、 \u3000"
_SUPERIOR = re.compile(r"^(.*?(?:[省市州县区旗]委|党委|党组|中央|集团党委))(?:第[一二三四五六七八九十\d]+)?")


@dataclass
class ReportOptions:
    """What goes into a report, and how it is signed.

    ``paths`` selects items by their numbering path (the ``number`` of each node from the top, e.g.
    ``(1, 1, 3)`` for 一、1.（3）): a selected item comes with everything below it, and its headings
    above come along as headings only. None takes every item.
    """

    issuer: str = ""  # 发文机关署名, e.g. 中共X社区工作委员会
    date: datetime.date | None = None  # 成文日期; None leaves the date out
    title: str | None = None  # None: the ledger's title, or 关于巡察整改情况的报告
    preamble: str | None = None  # None: the ledger's preamble, or one written from its round
    closing: str | None = None  # None: the standard invitation to the public
    contact_lines: tuple[str, ...] = ()  # 联系电话：…, 电子邮箱：… after the invitation
    addressee: str | None = None  # 主送机关, e.g. 县委巡察办 (progress reports)
    status_phrases: bool = True
    measures: bool = True
    responsibility: bool = False  # 责任领导 / 责任单位 of the measures
    deadlines: bool = False  # 完成时限 where the status phrase does not state it (done items)
    paths: Collection[Path] | None = None
    fonts: Fonts = field(default_factory=Fonts)
    seal: bool = False  # 加盖印章: the date four characters from the right, the issuer centred over it
    # 版记, where the office wants one: 抄送机关, 印发机关 and 印发日期 (none of them: no 版记)
    copy_to: tuple[str, ...] = ()
    printer: str = ""
    printed: datetime.date | None = None
    anchor: dict[str, Any] | None = None  # the history's signed head when issued (core.writers.anchor)


# ---- wording -------------------------------------------------------------------------------------
def kind_of(ledger: dict[str, Any]) -> str:
    """The inspection's kind as reports name it (巡视, 巡察, 审计, …); 巡察 when not stated."""
    kind = (ledger.get("round") or {}).get("kind")
    return kind if kind and kind != "其他" else "巡察"


def deadline_text(deadline: str | None) -> str | None:
    """``2020-07`` → ``2020年7月``; ``2020-07-31`` → ``2020年7月31日``; ``2020`` → ``2020年底``."""
    if not deadline:
        return None
    parts = deadline.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return deadline
    if len(numbers) == 1:
        return f"{numbers[0]}年底"
    if len(numbers) == 2:
        return f"{numbers[0]}年{numbers[1]}月"
    return f"{numbers[0]}年{numbers[1]}月{numbers[2]}日"


def status_phrase(item: dict[str, Any]) -> str | None:
    """The status as reports print it, without parentheses, from status, long_term and deadline.

    done + long_term → 整改完成并长期坚持; done → 已整改完成; in_progress → 正在整改[，2020年7月完成]
    [，长期坚持]; not_started → 尚未整改[，计划2020年7月完成]; long_term alone → 长期坚持."""
    status = item.get("status")
    long_term = bool(item.get("long_term"))
    when = deadline_text(item.get("deadline"))
    if status == "done":
        return "整改完成并长期坚持" if long_term else "已整改完成"
    if status == "in_progress":
        parts = ["正在整改"]
        if when:
            parts.append(f"{when}前完成" if when.endswith("年底") else f"{when}完成")
    elif status == "not_started":
        parts = ["尚未整改"]
        if when:
            parts.append(f"计划{when}前完成" if when.endswith("年底") else f"计划{when}完成")
    else:
        return "长期坚持" if long_term else None
    if long_term:
        parts.append("长期坚持")
    return "，".join(parts)


def default_preamble(ledger: dict[str, Any]) -> str | None:
    """The preamble of a published report, written from the round: who inspected whom, when the
    feedback came, and why the report is published. Sentences whose facts are missing are left out."""
    rnd = ledger.get("round") or {}
    kind = kind_of(ledger)
    inspector, target = rnd.get("inspector"), rnd.get("target")
    sentences = []
    if inspector and target:
        superior = _SUPERIOR.match(inspector)
        lead = f"按照{superior.group(1)}统一部署，" if superior and superior.group(1) != inspector else ""
        period = _period(rnd.get("on_site_start"), rnd.get("on_site_end"))
        sentences.append(f"{lead}{period}{inspector}对{target}进行了{kind}。")
        feedback = _iso_date(rnd.get("feedback_date"))
        if feedback:
            sentences.append(f"{cn_date(feedback)}，{inspector}向{target}反馈了{kind}意见。")
    sentences.append(f"按照党务公开原则和{kind}工作有关要求，现将{kind}整改进展情况予以公布。")
    return "".join(sentences)


def closing_sentence(kind: str) -> str:
    return f"欢迎广大干部群众对{kind}整改落实情况进行监督，如有意见建议，请及时向我们反映。"


def _period(start: str | None, end: str | None) -> str:
    first, last = _iso_date(start), _iso_date(end)
    if not first:
        return ""
    if not last:
        return f"{cn_date(first)}起，"
    if last.year == first.year:
        return f"{cn_date(first)}至{last.month}月{last.day}日，"
    return f"{cn_date(first)}至{cn_date(last)}，"


def _iso_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# ---- the items ----------------------------------------------------------------------------------
def node_paths(nodes: list[dict[str, Any]], prefix: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(numbering path, node) for every node in document order."""
    for node in nodes:
        path = (*prefix, int(node.get("number") or 0))
        yield path, node
        yield from node_paths(node.get("children") or [], path)


def item_paragraphs(nodes: list[dict[str, Any]], options: ReportOptions) -> list[Para]:
    """The numbered items as paragraphs, filtered by ``options.paths``."""
    out: list[Para] = []
    selected = [tuple(p) for p in options.paths] if options.paths is not None else None
    _items(nodes, (), selected, options, _styles(_depth(nodes)), out)
    return out


def _depth(nodes: list[dict[str, Any]]) -> int:
    return max((1 + _depth(n.get("children") or []) for n in nodes), default=0)


# Labels for items that have none a report can print (a workbook's 序号 ``1``, ``2``): by the tree's
# depth, as reports number them — a flat list 1. 2.; two levels 一、 1.; then 一、（一）1.（1）.
_LABEL_STYLES = {1: ("{n}.",), 2: ("{cn}、", "{n}."), 3: ("{cn}、", "（{cn}）", "{n}.")}
_DEEP_STYLES = ("{cn}、", "（{cn}）", "{n}.", "（{n}）")


def _styles(depth: int) -> tuple[str, ...]:
    return _LABEL_STYLES.get(depth, _DEEP_STYLES)


def printed_label(node: dict[str, Any], depth: int, styles: tuple[str, ...] = _DEEP_STYLES) -> str:
    """The node's label as printed; one made from its number and depth when it has none a report
    reader would take for a label."""
    label = (node.get("label") or "").strip()
    if label and parse_label(label + "题") is not None:
        return label
    number = int(node.get("number") or 0) or 1
    style = styles[min(depth, len(styles)) - 1]
    return style.format(n=number, cn=to_cn(number))


def _items(
    nodes, prefix: Path, selected: list[Path] | None, options: ReportOptions, styles, out: list[Para]
) -> None:
    for node in nodes:
        path = (*prefix, int(node.get("number") or 0))
        label = printed_label(node, len(path), styles)
        if selected is None or any(path[: len(q)] == q for q in selected):
            out.extend(_node(node, label, options))
            _items(node.get("children") or [], path, None, options, styles, out)
        elif any(q[: len(path)] == path for q in selected):
            out.append(heading(label, node.get("title") or ""))
            _items(node.get("children") or [], path, selected, options, styles, out)


def _node(node: dict[str, Any], label: str, options: ReportOptions) -> list[Para]:
    title = node.get("title") or ""
    problem = node.get("problem")
    phrase = status_phrase(node) if options.status_phrases else None
    status = f"（{phrase}）" if phrase else ""
    out: list[Para] = []
    if problem is None or problem == title:
        out.append(heading(label, title, status))
    elif problem.startswith(title):
        out.append(heading(label, title, problem[len(title) :] + status))
    elif split_title(title + problem) == (title, problem):
        out.append(heading(label, title, problem + status))
    else:
        # A title the reader would not split off the problem by itself: the problem on its own line.
        out.append(heading(label, title))
        out.append(Para("body", problem + status))
    for line in (node.get("text") or "").split("\n"):
        if line.strip():
            out.append(Para("body", line.strip()))
    measures = [m for m in node.get("measures") or [] if (m.get("text") or "").strip()]
    if options.measures and measures:
        out.append(_measures(measures, options))
    fields = _fields(node, measures, options, phrase)
    if fields:
        out.append(Para("body", "\u3000".join(fields)))
    return out


def _shared_responsibility(measures: list[dict[str, Any]], options: ReportOptions) -> tuple[str, str] | None:
    """(owner, department) when every measure has the same ones and they are to be printed."""
    owners = {(m.get("owner") or "", m.get("department") or "") for m in measures}
    return next(iter(owners)) if options.responsibility and len(owners) == 1 else None


def _fields(
    node: dict[str, Any], measures: list[dict[str, Any]], options: ReportOptions, phrase: str | None
) -> list[str]:
    """The field line after the measures: 责任领导：…　责任单位：…　完成时限：…"""
    fields = []
    shared = _shared_responsibility(measures, options) if options.measures else None
    if shared:
        owner, department = shared
        fields += [f"责任领导：{owner}"] if owner else []
        fields += [f"责任单位：{department}"] if department else []
    when = deadline_text(node.get("deadline"))
    if options.deadlines and when and not (phrase and when.removesuffix("底") in phrase):
        fields.append(f"完成时限：{when}")
    return fields


def _measures(measures: list[dict[str, Any]], options: ReportOptions) -> Para:
    """``整改情况：一是……。二是……。``; one measure goes in without an enumerator."""
    each = options.responsibility and _shared_responsibility(measures, options) is None
    parts = []
    for i, measure in enumerate(measures):
        text = measure["text"].strip().rstrip(_TRAIL)
        if each:
            text = _with_responsibility(text, measure)
        if not text.endswith(_SENTENCE_END):
            text += "；" if i + 1 < len(measures) else "。"
        parts.append(f"{to_cn(i + 1)}是{text}" if len(measures) > 1 else text)
    return Para("body", "整改情况：" + "".join(parts))


def _with_responsibility(text: str, measure: dict[str, Any]) -> str:
    fields = []
    if measure.get("owner"):
        fields.append(f"责任领导：{measure['owner']}")
    if measure.get("department"):
        fields.append(f"责任单位：{measure['department']}")
    if not fields:
        return text
    body, end = (text[:-1], text[-1]) if text.endswith(_SENTENCE_END) else (text, "")
    return f"{body}（{'；'.join(fields)}）{end}"


# ---- the report ---------------------------------------------------------------------------------
def report_paragraphs(ledger: dict[str, Any], options: ReportOptions) -> list[Para]:
    """The public report's text, paragraph by paragraph, without the signature block."""
    kind = kind_of(ledger)
    title = options.title or ledger.get("title") or f"关于{kind}整改情况的报告"
    out = [Para("title", title), Para("blank")]
    if options.addressee:
        out.append(Para("plain", options.addressee.rstrip("：:") + "："))
    preamble = options.preamble if options.preamble is not None else ledger.get("preamble")
    if preamble is None:
        preamble = default_preamble(ledger)
    out.extend(Para("body", line.strip()) for line in (preamble or "").split("\n") if line.strip())
    out.extend(item_paragraphs(ledger.get("sections") or [], options))
    closing = options.closing if options.closing is not None else closing_sentence(kind)
    out.extend(Para("body", line.strip()) for line in closing.split("\n") if line.strip())
    out.extend(Para("body", line.strip()) for line in options.contact_lines if line.strip())
    return out


def render_report(ledger: dict[str, Any], options: ReportOptions | None = None) -> bytes:
    """The public rectification report of ``ledger`` (``zhenggai.ledger/1``) as .docx bytes."""
    options = options or ReportOptions()
    document = GongwenDocument(options.fonts)
    document.extend(report_paragraphs(ledger, options))
    if options.issuer or options.date:
        document.signature(options.issuer, options.date, seal=options.seal)
    document.anchor(options.anchor)
    document.imprint(options.copy_to, options.printer, options.printed)
    return document.to_bytes()


def report_text(ledger: dict[str, Any], options: ReportOptions | None = None) -> str:
    """The public report as plain text (UTF-8, for a website's editor): the title on the first
    line, paragraphs indented two full-width spaces, the issuer and the date at the end."""
    options = options or ReportOptions()
    lines = [
        "\u3000\u3000" + para.text if para.role == "body" else para.text
        for para in report_paragraphs(ledger, options)
    ]
    tail = [t for t in (options.issuer, cn_date(options.date) if options.date else "") if t]
    if tail:
        lines += ["", *tail]
    return "\n".join(lines) + "\n"
