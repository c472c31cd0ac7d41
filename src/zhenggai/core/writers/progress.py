"""The progress report to the inspection office (整改进展情况的报告), as of a chosen date.

The first one is due two months after the feedback (:func:`first_report_due`). The body gives the
statistics (:func:`progress_statistics`: problems and measures in total, done, in progress, not
started, long-term, overdue, completion rate), what is late and why (:func:`late_items`, reasons
from an optional ``delay_reason`` key on nodes and measures), and what changed since the previous
report (:func:`changes_since`, against the ledger dict of that report); the item list, as in the
public report, follows as the attachment (附件), which keeps the items' own numbering.

The statistics cover the whole ledger; ``options.paths`` narrows only the attached item list.
"""

from __future__ import annotations

import calendar
import copy
import datetime
from typing import Any

from zhenggai.core.numbering import to_cn
from zhenggai.core.writers.gongwen import GongwenDocument, Para, cn_date, heading
from zhenggai.core.writers.report_docx import (
    ReportOptions,
    deadline_text,
    item_paragraphs,
    kind_of,
    node_paths,
)

Path = tuple[int, ...]
STATUS_WORDS = {
    "done": "已整改完成",
    "in_progress": "正在整改",
    "not_started": "尚未整改",
    None: "未标明进展",
}


# ---- dates ----------------------------------------------------------------------------------------
def first_report_due(feedback: datetime.date) -> datetime.date:
    """Two months after the feedback (the same day of the month, or the month's last day)."""
    month = feedback.month + 2
    year = feedback.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, min(feedback.day, calendar.monthrange(year, month)[1]))


def deadline_end(deadline: str | None) -> datetime.date | None:
    """The last day a deadline allows: ``2020-07`` → 2020-07-31, ``2020`` → 2020-12-31."""
    if not deadline:
        return None
    try:
        parts = [int(p) for p in deadline.split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 12, 31)
        if len(parts) == 2:
            return datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return datetime.date(parts[0], parts[1], parts[2])
    except (ValueError, IndexError):
        return None


# ---- statistics -----------------------------------------------------------------------------------
def _problems(ledger: dict[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    return [(path, node) for path, node in node_paths(ledger.get("sections") or []) if node.get("problem")]


def node_status(node: dict[str, Any]) -> str | None:
    """A problem's status: as stated, else from its measures (all done → done; any begun → in
    progress; all not started → not started); None when nothing says."""
    if node.get("status"):
        return node["status"]
    statuses = [m.get("status") for m in node.get("measures") or []]
    if statuses and all(s == "done" for s in statuses):
        return "done"
    if any(s in ("done", "in_progress") for s in statuses):
        return "in_progress"
    if statuses and all(s == "not_started" for s in statuses):
        return "not_started"
    return None


def node_deadline(node: dict[str, Any]) -> str | None:
    """A problem's deadline: as stated, else the latest of its measures'."""
    if node.get("deadline"):
        return node["deadline"]
    found = [m["deadline"] for m in node.get("measures") or [] if m.get("deadline")]
    return max(found, key=lambda d: deadline_end(d) or datetime.date.max) if found else None


def _overdue(status: str | None, deadline: str | None, as_of: datetime.date) -> bool:
    end = deadline_end(deadline)
    return bool(end and end < as_of and status != "done")


def _counts(items: list[tuple[str | None, bool, bool]]) -> dict[str, Any]:
    """items: (status, long_term, overdue) each."""
    total = len(items)
    done = sum(1 for s, _, _ in items if s == "done")
    return {
        "total": total,
        "done": done,
        "in_progress": sum(1 for s, _, _ in items if s == "in_progress"),
        "not_started": sum(1 for s, _, _ in items if s == "not_started"),
        "unknown": sum(1 for s, _, _ in items if s is None),
        "long_term": sum(1 for _, lt, _ in items if lt),
        "overdue": sum(1 for _, _, od in items if od),
        "completion_rate": round(done / total, 4) if total else None,
    }


def progress_statistics(ledger: dict[str, Any], as_of: datetime.date) -> dict[str, Any]:
    """Counts of problems and of measures as of ``as_of``: total, done, in_progress, not_started,
    unknown (no status stated), long_term, overdue (deadline passed before ``as_of``, not done) and
    completion_rate (done / total, None when there are none). A measure without a status or
    deadline of its own takes its problem's."""
    problems, measures = [], []
    for _, node in _problems(ledger):
        status, deadline = node_status(node), node_deadline(node)
        long_term = bool(node.get("long_term"))
        problems.append((status, long_term, _overdue(status, deadline, as_of)))
        for measure in node.get("measures") or []:
            m_status = measure.get("status") or node.get("status")
            m_deadline = measure.get("deadline") or node.get("deadline")
            m_long = bool(measure.get("long_term")) or long_term
            measures.append((m_status, m_long, _overdue(m_status, m_deadline, as_of)))
    return {"as_of": as_of.isoformat(), "problems": _counts(problems), "measures": _counts(measures)}


def cite(ledger: dict[str, Any], path: Path) -> str:
    """The full numbering of the node at ``path``, as offices cite it: ``一、1.（3）``."""
    labels, nodes = [], ledger.get("sections") or []
    for number in path:
        node = next((n for n in nodes if int(n.get("number") or 0) == number), None)
        if node is None:
            break
        labels.append(node.get("label") or "")
        nodes = node.get("children") or []
    return "".join(labels)


def late_items(ledger: dict[str, Any], as_of: datetime.date) -> list[dict[str, Any]]:
    """Problems past their deadline and not done, with the reasons stated (``delay_reason`` on the
    problem or its unfinished measures), and measures past a deadline of their own under problems
    that are not late themselves."""
    out = []
    for path, node in _problems(ledger):
        status, deadline = node_status(node), node_deadline(node)
        if _overdue(status, deadline, as_of):
            reasons = [node.get("delay_reason")] + [
                m.get("delay_reason") for m in node.get("measures") or [] if m.get("status") != "done"
            ]
            out.append(
                {
                    "kind": "problem",
                    "path": path,
                    "cite": cite(ledger, path),
                    "title": node.get("title") or "",
                    "deadline": deadline,
                    "status": status,
                    "reasons": list(dict.fromkeys(r.strip() for r in reasons if r and r.strip())),
                }
            )
            continue
        for i, measure in enumerate(node.get("measures") or []):
            m_status = measure.get("status") or node.get("status")
            if measure.get("deadline") and _overdue(m_status, measure["deadline"], as_of):
                reason = (measure.get("delay_reason") or "").strip()
                out.append(
                    {
                        "kind": "measure",
                        "path": path,
                        "index": i,
                        "cite": cite(ledger, path),
                        "title": node.get("title") or "",
                        "text": measure.get("text") or "",
                        "deadline": measure["deadline"],
                        "status": m_status,
                        "reasons": [reason] if reason else [],
                    }
                )
    return out


def changes_since(previous: dict[str, Any], ledger: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed from ``previous`` to ``ledger``: problems matched by numbering path, measures
    by text. Kinds: ``new_problem``, ``status`` (problem or measure), ``deadline`` (problem or
    measure), ``new_measure``; each with ``path``, ``cite``, ``title`` and ``old``/``new``."""
    before = dict(_problems(previous))
    out: list[dict[str, Any]] = []
    for path, node in _problems(ledger):
        base = {"path": path, "cite": cite(ledger, path), "title": node.get("title") or ""}
        old = before.get(path)
        if old is None:
            out.append({**base, "kind": "new_problem", "old": None, "new": None})
            continue
        if node_status(old) != node_status(node):
            out.append({**base, "kind": "status", "old": node_status(old), "new": node_status(node)})
        if node_deadline(old) != node_deadline(node):
            out.append({**base, "kind": "deadline", "old": node_deadline(old), "new": node_deadline(node)})
        old_measures = {m.get("text"): m for m in old.get("measures") or []}
        for measure in node.get("measures") or []:
            text = measure.get("text") or ""
            was = old_measures.get(text)
            if was is None:
                out.append(
                    {**base, "kind": "new_measure", "text": text, "old": None, "new": measure.get("status")}
                )
                continue
            if (was.get("status") or None) != (measure.get("status") or None):
                out.append(
                    {
                        **base,
                        "kind": "status",
                        "text": text,
                        "old": was.get("status"),
                        "new": measure.get("status"),
                    }
                )
            if (was.get("deadline") or None) != (measure.get("deadline") or None):
                out.append(
                    {
                        **base,
                        "kind": "deadline",
                        "text": text,
                        "old": was.get("deadline"),
                        "new": measure.get("deadline"),
                    }
                )
    return out


# ---- the report ---------------------------------------------------------------------------------
def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _short(text: str, limit: int = 30) -> str:
    """``text`` cut to ``limit`` characters, to be quoted: inner “” become ‘’."""
    text = text.strip().rstrip("。；;，,").replace("“", "‘").replace("”", "’")
    return text if len(text) <= limit else text[:limit] + "……"


def _count_sentence(c: dict[str, Any], unit: str, noun: str, words: tuple[str, str, str]) -> str:
    """已整改完成4个，正在整改3个；… — categories with none are left out, done always stated."""
    done, doing, not_yet = words
    parts = [f"{done}{c['done']}{unit}"]
    if c["in_progress"]:
        parts.append(f"{doing}{c['in_progress']}{unit}")
    if c["not_started"]:
        parts.append(f"{not_yet}{c['not_started']}{unit}")
    if c["unknown"]:
        parts.append(f"未标明进展{c['unknown']}{unit}")
    extra = []
    if c["long_term"]:
        extra.append(f"需长期坚持的{c['long_term']}{unit}")
    extra.append(
        f"超过整改时限尚未完成的{c['overdue']}{unit}" if c["overdue"] else f"没有超过整改时限尚未完成的{noun}"
    )
    return "，".join(parts) + "；" + "，".join(extra) + "。"


def _statistics_paragraphs(stats: dict[str, Any], kind: str, as_of: datetime.date) -> list[Para]:
    p, m = stats["problems"], stats["measures"]
    return [
        heading("一、", "整改总体进展情况"),
        Para(
            "body",
            f"截至{cn_date(as_of)}，{kind}反馈的{p['total']}个问题中，"
            + _count_sentence(p, "个", "问题", ("已整改完成", "正在整改", "尚未整改"))
            + f"问题整改完成率为{_rate(p['completion_rate'])}。",
        ),
        Para(
            "body",
            f"制定的{m['total']}条整改措施中，"
            + _count_sentence(m, "条", "措施", ("已完成", "正在推进", "尚未启动"))
            + f"整改措施完成率为{_rate(m['completion_rate'])}。",
        ),
    ]


def _late_paragraphs(late: list[dict[str, Any]], as_of: datetime.date) -> list[Para]:
    out = [heading("二、", "超期未完成事项及原因")]
    if not late:
        out.append(Para("body", f"截至{cn_date(as_of)}，没有超过整改时限尚未完成的事项。"))
        return out
    for i, item in enumerate(late, start=1):
        when = deadline_text(item["deadline"])
        what = f"问题{item['cite']}“{_short(item['title'])}”"
        if item["kind"] == "measure":
            what += f"中的整改措施“{_short(item['text'])}”"
        reason = "；".join(r.rstrip("。") for r in item["reasons"])
        why = f"原因：{reason}。" if reason else "未说明未按期完成的原因。"
        out.append(Para("body", f"{i}.{what}，整改时限为{when}，目前{STATUS_WORDS[item['status']]}。{why}"))
    return out


def _change_paragraphs(changes: list[dict[str, Any]] | None) -> list[Para]:
    out = [heading("三、", "与上次报告相比的变化")]
    if changes is None:
        out.append(Para("body", "本报告为反馈意见后的首次整改进展情况报告。"))
        return out
    if not changes:
        out.append(Para("body", "与上次报告相比，各问题的整改状态、整改措施和整改时限均无变化。"))
        return out
    groups = (
        ("status", "整改状态变化。"),
        ("new_measure", "新增整改措施。"),
        ("deadline", "整改时限调整。"),
        ("new_problem", "新增问题。"),
    )
    n = 0
    for kind, title in groups:
        found = [c for c in changes if c["kind"] == kind]
        if not found:
            continue
        n += 1
        out.append(heading(f"（{to_cn(n)}）", title))
        for i, change in enumerate(found, start=1):
            out.append(Para("body", f"{i}.{_change_text(change)}"))
    return out


def _change_text(change: dict[str, Any]) -> str:
    what = f"问题{change['cite']}“{_short(change['title'])}”"
    if change.get("text") and change["kind"] != "new_measure":
        what += f"中的整改措施“{_short(change['text'])}”"
    kind = change["kind"]
    if kind == "status":
        return f"{what}：由“{STATUS_WORDS[change['old']]}”变为“{STATUS_WORDS[change['new']]}”。"
    if kind == "deadline":
        old, new = deadline_text(change["old"]), deadline_text(change["new"])
        if not old:
            return f"{what}：明确整改时限为{new}。"
        if not new:
            return f"{what}：不再注明整改时限（原为{old}）。"
        return f"{what}：整改时限由{old}调整为{new}。"
    if kind == "new_measure":
        return f"{what}：新增整改措施“{_short(change['text'], 60)}”。"
    return f"{what}：为本次新列入的问题。"


def progress_paragraphs(
    ledger: dict[str, Any],
    options: ReportOptions,
    as_of: datetime.date,
    previous: dict[str, Any] | None = None,
) -> tuple[list[Para], list[Para]]:
    """(body, attachment) of the progress report, without the signature block."""
    kind = kind_of(ledger)
    rnd = ledger.get("round") or {}
    body = [Para("title", options.title or f"关于{kind}整改进展情况的报告"), Para("blank")]
    if options.addressee:
        body.append(Para("plain", options.addressee.rstrip("：:") + "："))
    lead = ""
    try:
        feedback = datetime.date.fromisoformat(rnd.get("feedback_date") or "")
    except ValueError:
        feedback = None
    if feedback and rnd.get("inspector") and rnd.get("target"):
        lead = f"{cn_date(feedback)}，{rnd['inspector']}向{rnd['target']}反馈了{kind}意见。"
    opening = options.preamble or f"{lead}现将截至{cn_date(as_of)}的{kind}整改进展情况报告如下。"
    body.extend(Para("body", line.strip()) for line in opening.split("\n") if line.strip())
    body.extend(_statistics_paragraphs(progress_statistics(ledger, as_of), kind, as_of))
    body.extend(_late_paragraphs(late_items(ledger, as_of), as_of))
    body.extend(_change_paragraphs(changes_since(previous, ledger) if previous is not None else None))
    body.extend(Para("body", line.strip()) for line in (options.closing or "").split("\n") if line.strip())
    name = f"{rnd.get('target') or ''}{kind}反馈问题整改进展情况"
    body.append(Para("blank"))
    body.append(Para("body", f"附件：{name}"))
    attachment = [
        Para("plain", "附件", head=2, face="hei", page_break_before=True),
        Para("blank"),
        Para("title", name),
        Para("blank"),
        *item_paragraphs(ledger.get("sections") or [], options),
    ]
    return body, attachment


def render_progress_report(
    ledger: dict[str, Any],
    options: ReportOptions | None,
    as_of: datetime.date,
    previous: dict[str, Any] | None = None,
) -> bytes:
    """The progress report as .docx bytes: statistics, late items and changes since ``previous``
    (the ledger of the last report, or None for the first), with the item list attached."""
    options = options or ReportOptions()
    document = GongwenDocument(options.fonts)
    body, attachment = progress_paragraphs(ledger, options, as_of, previous)
    document.extend(body)
    if options.issuer or options.date:
        document.signature(options.issuer, options.date, seal=options.seal)
    document.anchor(options.anchor)
    document.extend(attachment)
    document.imprint(options.copy_to, options.printer, options.printed)
    return document.to_bytes()


def progress_text(
    ledger: dict[str, Any],
    options: ReportOptions | None,
    as_of: datetime.date,
    previous: dict[str, Any] | None = None,
) -> str:
    """The progress report as plain text (UTF-8), as :func:`report_text` writes the public one:
    the body's paragraphs, the issuer and the date, then the attachment after a blank line."""
    options = options or ReportOptions()
    body, attachment = progress_paragraphs(ledger, options, as_of, previous)

    def lines(paras: list[Para]) -> list[str]:
        return ["\u3000\u3000" + p.text if p.role == "body" else p.text for p in paras]

    out = lines(body)
    tail = [t for t in (options.issuer, cn_date(options.date) if options.date else "") if t]
    if tail:
        out += ["", *tail]
    out += ["", *lines(attachment)]
    return "\n".join(out) + "\n"


def ledger_as_of(ledger: dict[str, Any], as_of: datetime.date) -> dict[str, Any]:
    """A copy of ``ledger`` whose problems carry their status as the progress report of ``as_of``
    counts it (:func:`node_status`: stated, else from the measures), flagged ``overdue`` when past
    their deadline (:func:`node_deadline`) on that date and not done; titled 截至 that date. The
    statuses are the ledger's as given: the report and this copy are made of the same ledger."""
    result = copy.deepcopy(ledger)
    for _, node in _problems(result):
        status, deadline = node_status(node), node_deadline(node)
        node["status"] = status
        node["overdue"] = _overdue(status, deadline, as_of)
    title = result.get("title") or f"{(result.get('round') or {}).get('target') or ''}整改台账"
    result["title"] = f"{title}（截至{cn_date(as_of)}）"
    return result
