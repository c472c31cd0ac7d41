"""The inspection office's weekly summary (整改工作周报) of the units it follows, as a 公文 .docx.

Written from the figures of the office's overview (rounds, measures, done, overdue 红灯, due soon
黄灯, completion rate), handed over as plain data (:class:`WeeklySummary`): the web app reads them
with ``zhenggai.ledger.selectors.office_overview``, a script may fill them from anywhere. The
layout is GB/T 9704's (:mod:`zhenggai.core.writers.gongwen`): title, 主送机关 when given, the
overall figures, the units that need pressing (overdue first), every unit's figures, then the
office's signature and the date kept with the end of the text.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from zhenggai.core.writers.gongwen import Fonts, GongwenDocument, Para, cn_date, heading

DEFAULT_TITLE = "整改工作周报"


@dataclass(frozen=True)
class WeeklyRow:
    """One round of one unit: its measures, how many are done, overdue (red) and due soon (yellow)."""

    unit: str
    round: str
    total: int
    done: int
    red: int
    yellow: int

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class WeeklySummary:
    office: str  # 发文机关署名: the inspection office writing the summary
    as_of: datetime.date
    rows: Sequence[WeeklyRow]  # most overdue first, as the overview orders them
    yellow_days: int = 10  # how many days ahead a deadline lights yellow
    title: str | None = None  # None: 整改工作周报
    addressee: str | None = None  # 主送机关, e.g. 县委巡察工作领导小组
    date: datetime.date | None = None  # 成文日期; None: as_of
    fonts: Fonts = field(default_factory=Fonts)


def _rate(done: int, total: int) -> str:
    return f"{done * 100 / total:.1f}%" if total else "—"


def _row_text(row: WeeklyRow) -> str:
    parts = [f"整改措施{row.total}条，已完成{row.done}条，完成率{_rate(row.done, row.total)}"]
    if row.red:
        parts.append(f"超期未完成{row.red}条")
    if row.yellow:
        parts.append(f"临近时限{row.yellow}条")
    return f"{row.unit}（{row.round}）：" + "，".join(parts) + "。"


def weekly_paragraphs(summary: WeeklySummary) -> list[Para]:
    """The summary's text, paragraph by paragraph, without the signature block."""
    rows = list(summary.rows)
    total = sum(r.total for r in rows)
    done = sum(r.done for r in rows)
    red = sum(r.red for r in rows)
    yellow = sum(r.yellow for r in rows)
    units = len({r.unit for r in rows})
    out = [Para("title", summary.title or DEFAULT_TITLE), Para("blank")]
    if summary.addressee:
        out.append(Para("plain", summary.addressee.rstrip("：:") + "："))
    week_start = summary.as_of - datetime.timedelta(days=6)
    out.append(
        Para(
            "body",
            f"现将{cn_date(week_start)}至{cn_date(summary.as_of)}本周"
            f"{summary.office}跟踪的各单位整改工作情况报告如下。",
        )
    )
    out.append(heading("一、", "总体情况"))
    out.append(
        Para(
            "body",
            f"截至{cn_date(summary.as_of)}，共跟踪{units}个单位的{len(rows)}轮整改，"
            f"整改措施{total}条，已完成{done}条，完成率{_rate(done, total)}；"
            f"超过整改时限尚未完成的{red}条，{summary.yellow_days}日内到期的{yellow}条。",
        )
    )
    out.append(heading("二、", "需要督促的单位"))
    pressing = [r for r in rows if r.red or r.yellow]
    if not pressing:
        out.append(Para("body", "本周没有超过整改时限或临近时限的整改措施。"))
    for i, row in enumerate(pressing, start=1):
        out.append(Para("body", f"{i}.{_row_text(row)}"))
    out.append(heading("三、", "各单位整改进展"))
    if not rows:
        out.append(Para("body", "本周没有跟踪的整改轮次。"))
    for i, row in enumerate(rows, start=1):
        out.append(Para("body", f"{i}.{_row_text(row)}"))
    return out


def render_weekly_summary(summary: WeeklySummary) -> bytes:
    """The weekly summary as .docx bytes, signed by the office and dated."""
    document = GongwenDocument(summary.fonts)
    document.extend(weekly_paragraphs(summary))
    document.signature(summary.office, summary.date or summary.as_of)
    return document.to_bytes()
