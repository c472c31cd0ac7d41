"""A ledger as a readable Markdown outline (``zhenggai parse --format md``)."""

from __future__ import annotations

from typing import Any

_STATUS = {"done": "已完成", "in_progress": "正在整改", "not_started": "未启动"}


def ledger_markdown(ledger: dict[str, Any]) -> str:
    lines = [f"# {ledger.get('title') or '（无标题）'}", ""]
    rnd = ledger.get("round") or {}
    facts = [
        ("类别", rnd.get("kind")),
        ("检查组", rnd.get("inspector")),
        ("被检查单位", rnd.get("target")),
        ("反馈日期", rnd.get("feedback_date")),
    ]
    lines.append("　".join(f"{name}：{value or '—'}" for name, value in facts))
    lines.append("")
    if ledger.get("preamble"):
        lines += [f"> {line}" for line in ledger["preamble"].splitlines()] + [""]
    for node in ledger.get("sections") or []:
        _node(node, lines, 0)
    if ledger.get("closing"):
        lines += [""] + [f"> {line}" for line in ledger["closing"].splitlines()]
    if ledger.get("warnings"):
        lines += ["", "## 提示", ""] + [f"- {w}" for w in ledger["warnings"]]
    if ledger.get("dropped"):
        lines += ["", f"（已去除 {len(ledger['dropped'])} 行水印、广告或页码）"]
    return "\n".join(lines) + "\n"


def _node(node: dict[str, Any], lines: list[str], depth: int) -> None:
    pad = "  " * depth
    flags = []
    if node.get("status"):
        flags.append(_STATUS.get(node["status"], node["status"]))
    if node.get("deadline"):
        flags.append(f"时限 {node['deadline']}")
    if node.get("long_term"):
        flags.append("长期坚持")
    suffix = f"（{'，'.join(flags)}）" if flags else ""
    lines.append(f"{pad}- **{node['label']}{node['title']}**{suffix}")
    problem = node.get("problem")
    if problem and problem != node["title"]:
        lines.append(f"{pad}  - 问题：{problem}")
    if node.get("text"):
        lines.append(f"{pad}  - 说明：{node['text']}")
    for i, measure in enumerate(node.get("measures") or [], start=1):
        extra = [x for x in (measure.get("owner"), measure.get("department")) if x]
        tail = f"（{'；'.join(extra)}）" if extra else ""
        lines.append(f"{pad}  - 措施{i}：{measure['text']}{tail}")
    for child in node.get("children") or []:
        _node(child, lines, depth + 1)
