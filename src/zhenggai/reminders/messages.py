"""The text of a digest: plain for e-mail and the app, markdown for the 企业微信 and 钉钉 group robots.

The wording is Chinese on purpose whatever the site language: it goes out of the app to people's
mailboxes and work chats, where the reader's language setting is unknown.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from zhenggai.reminders.ladder import Level, Role

LEVEL_ORDER: dict[str, int] = {Level.RED: 0, Level.YELLOW: 1, Level.GREEN: 2, Level.RECHECK: 3}
ROLE_LABELS = {
    Role.DOER: "具体责任人",
    Role.LEADER: "分管领导",
    Role.PRINCIPAL: "主要负责人",
    Role.OFFICE: "巡察办",
    Role.CLERK: "台账联络员",
    Role.DEPARTMENT: "牵头部门",
    Role.REVIEWER: "单位审核人",
    Role.HANDLER: "经办人",
}
# The steps of the cycle told when they happen (reminders/notices.py), after the ladder's.
EVENT_LABELS = {
    "assigned": "分派给您，请签收或落实",
    "returned": "已退回，请整改",
    "submitted": "已申请销号，请审核",
    "confirmed": "单位已审核，请审核销号",
    "closed": "已销号",
    "ext_asked": "申请延期，请审批",
    "ext_done": "延期申请已审批",
    "comment": "收到群众意见，请答复",
}
# 企业微信 allows 4096 bytes of markdown content; 钉钉 is kept to the same budget.
ROBOT_MAX_BYTES = 4000
CHAT_TEXT_CHARS = 40
MAIL_TEXT_CHARS = 60
FOOTER = "请及时推进整改，并在系统中填报进展。此为每日汇总提醒，同一事项不重复提醒。"
# Markdown characters of the robots, replaced by their full-width forms in ledger text, so that a
# measure's wording can neither break the message nor slip a link or a colour into it.
_MARKDOWN_SAFE = str.maketrans({"[": "［", "]": "］", "<": "＜", ">": "＞", "*": "＊", "`": "｀", "#": "＃"})


@dataclass(frozen=True)
class Item:
    """One event as the reader sees it."""

    level: str
    role: str
    unit: str
    numbering: str
    text: str
    deadline: datetime.date | None
    days_left: int
    link: str
    note: str = ""


def item_from_event(event, *, site_url: str = "") -> Item:
    measure = event.measure
    if measure is None:  # a step about the round: a comment from the public
        round_ = event.round
        path = reverse("comments:round_comments", args=[round_.pk])
        unit, numbering, text = round_.inspected_unit, "", round_.title
    else:
        path = reverse("ledger:problem_detail", args=[measure.problem_id]) + f"#measure-{measure.pk}"
        unit = measure.round.inspected_unit
        numbering, text = measure.problem.outline or measure.problem.label, measure.text
    return Item(
        level=event.level,
        role=event.role,
        unit=unit.short_name or unit.name,
        numbering=numbering,
        text=" ".join(text.split()),
        deadline=event.deadline,
        days_left=event.days_left,
        link=site_url.rstrip("/") + path,
        note=event.note,
    )


def sort_items(items: Iterable[Item]) -> list[Item]:
    return sorted(
        items,
        key=lambda i: (LEVEL_ORDER.get(i.level, len(LEVEL_ORDER)), i.deadline or datetime.date.max, i.link),
    )


def state(item: Item) -> str:
    """e.g. 红灯：已逾期3天, or a step of the cycle: 已退回，请整改（原因：…）"""
    if item.level in EVENT_LABELS:
        label = EVENT_LABELS[item.level]
        return f"{label}（{' '.join(item.note.split())}）" if item.note else label
    if item.level == Level.RED:
        return f"红灯：已逾期{-item.days_left}天"
    if item.level == Level.YELLOW:
        return "黄灯：今天到期" if item.days_left == 0 else f"黄灯：还剩{item.days_left}天"
    if item.level == Level.GREEN:
        return f"绿灯：还剩{item.days_left}天"
    return "长期整改：到了复查日期"


def _deadline_label(item: Item) -> str:
    return "复查日期" if item.level == Level.RECHECK else "时限"


def _when(item: Item, label: str) -> str:
    """（时限：2024-06-30；红灯：已逾期3天）, or only the state when there is no date."""
    if item.deadline is None:
        return f"（{label}）"
    return f"（{_deadline_label(item)}：{item.deadline:%Y-%m-%d}；{label}）"


def title(items: Sequence[Item]) -> str:
    """e.g. 【整改提醒】您有3项整改措施临近时限或已逾期"""
    if any(i.level in EVENT_LABELS for i in items):
        if len(items) == 1:
            return f"【整改通知】{EVENT_LABELS[items[0].level]}"
        return f"【整改提醒】您有{len(items)}项整改事项需要关注"
    levels = {Level(i.level) for i in items}
    if levels == {Level.RED}:
        phrase = "已逾期"
    elif levels <= {Level.GREEN, Level.YELLOW}:
        phrase = "临近时限"
    elif levels == {Level.RECHECK}:
        phrase = "到了复查日期"
    elif Level.RECHECK not in levels:
        phrase = "临近时限或已逾期"
    else:
        phrase = "需要跟进"
    return f"【整改提醒】您有{len(items)}项整改措施{phrase}"


def plain_text(name: str, items: Sequence[Item]) -> str:
    """The e-mail and in-app text: every item, with its full link."""
    items = sort_items(items)
    lines = [f"{name}：", "", f"{title(items)}：", ""]
    for n, item in enumerate(items, 1):
        text = Truncator(item.text).chars(MAIL_TEXT_CHARS, truncate="…")
        lines.append(f"{n}. {item.unit} {item.numbering} {text}{_when(item, state(item))}")
        lines.append(f"   身份：{ROLE_LABELS[Role(item.role)]}　查看：{item.link}")
    lines += ["", FOOTER]
    return "\n".join(lines)


def _safe(text: str) -> str:
    return text.translate(_MARKDOWN_SAFE)


def markdown(
    name: str, items: Sequence[Item], *, colour: bool, sep: str = "\n", max_bytes: int = ROBOT_MAX_BYTES
) -> str:
    """The robots' markdown, cut to `max_bytes` of UTF-8 with a count of what was left out."""
    items = sort_items(items)
    head = f"### {_safe(name)}：{title(items)}"
    lines: list[str] = []
    for n, item in enumerate(items, 1):
        label = _safe(state(item))
        if colour:  # 企业微信 colours: warning is red-orange, comment grey, info green
            tone = {Level.RED.value: "warning", Level.YELLOW.value: "comment"}.get(item.level, "info")
            label = f'<font color="{tone}">{label}</font>'
        link = f"[查看]({item.link})" if item.link.startswith(("http://", "https://")) else item.link
        text = _safe(Truncator(item.text).chars(CHAT_TEXT_CHARS, truncate="…"))
        lines.append(f"{n}. **{_safe(item.unit)}** {_safe(item.numbering)} {text}{_when(item, label)}{link}")
    footer = f"> {FOOTER}"
    kept: list[str] = []
    for n, line in enumerate(lines):
        rest = len(lines) - n - 1
        more = f"……另有{rest}项，请登录系统查看。" if rest else ""
        if len(sep.join([head, *kept, line, more, footer]).encode()) > max_bytes:
            kept.append(f"……另有{len(lines) - n}项，请登录系统查看。")
            break
        kept.append(line)
    return sep.join([head, *kept, footer])


def wecom_body(name: str, items: Sequence[Item]) -> dict:
    """企业微信群机器人: {"msgtype": "markdown", "markdown": {"content": ...}}"""
    return {"msgtype": "markdown", "markdown": {"content": markdown(name, items, colour=True)}}


def dingtalk_body(name: str, items: Sequence[Item]) -> dict:
    """钉钉群机器人: {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}

    钉钉's markdown joins single line breaks, so items are separated by an empty line.
    """
    return {
        "msgtype": "markdown",
        "markdown": {"title": title(items), "text": markdown(name, items, colour=False, sep="\n\n")},
    }
