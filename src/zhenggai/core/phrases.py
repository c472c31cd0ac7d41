"""The phrases of rectification reports: measure markers, field names, statuses and deadlines.

Statuses are read only where reports state them — a parenthesis such as ``（正在整改，2020年7月完成）``,
a paragraph that opens with ``已整改到位。``, a ``完成情况：`` field, a ledger cell — so that problem
text such as ``至今仍未进行整改`` or ``长期闲置`` is never mistaken for a status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---- markers that open the measures of the item above them -------------------------------------------
# A marker that reports what was achieved (整改进展：… 整改成效：… 落实情况：…), not what will be done
# (no 措施 or 举措 in it).
PROGRESS_MARKER = re.compile(r"^(?!.*[措举]).*(?:进展|成效|结果|情况)[^:：]*[:：]$")
MARKER = re.compile(
    r"^[\s\u3000]*(?:具体|主要)?(?:整改|落实)(?:落实|完成|进展|推进|工作|措施)?"
    r"(?:情况|措施|举措|进展|结果|成效|落实情况)(?:及(?:成效|进展|情况|结果))?[\s\u3000]*[:：]"
)

# ---- labelled fields (问题表现：… 责任领导：…) ---------------------------------------------------------------
FIELD_PROBLEM = ("问题表现", "问题描述", "存在问题", "反馈问题", "具体问题", "问题")
FIELD_OWNER = ("责任领导", "牵头领导", "分管领导", "责任人", "包案领导")
FIELD_DEPARTMENT = (
    "责任单位",
    "责任部门",
    "责任科室",
    "责任处室",
    "牵头单位",
    "牵头部门",
    "责任股室",
    "问题整改责任单位",
)
FIELD_DEADLINE = ("完成时限", "整改时限", "时限要求", "完成时间", "整改期限")
FIELD_STATUS = ("完成情况", "整改状态", "是否完成", "办结情况")
FIELD_TEXT = ("整改目标", "整改要求", "目标要求", "配合单位", "整改任务", "佐证材料", "备注")
_ALL_FIELDS = sorted(
    FIELD_PROBLEM + FIELD_OWNER + FIELD_DEPARTMENT + FIELD_DEADLINE + FIELD_STATUS + FIELD_TEXT,
    key=len,
    reverse=True,
)
FIELD = re.compile(r"^[\s\u3000]*(" + "|".join(_ALL_FIELDS) + r")[\s\u3000]*[:：][\s\u3000]*")
# A field may follow another on the same line: 问题整改责任单位:市科技馆 整改时限:3天
_INLINE_FIELD = re.compile(r"[\s\u3000]+(" + "|".join(_ALL_FIELDS) + r")[\s\u3000]*[:：][\s\u3000]*")


# A field glued to the end of a sentence: …定期研判。整改时限：2022年12月
_TRAILING_FIELD = re.compile(
    r"(?<=[。；;！!])[\s\u3000]*(?=(?:" + "|".join(_ALL_FIELDS) + r")[\s\u3000]*[:：])"
)


def split_trailing_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``(text, fields)``: labelled fields that follow the last sentence of ``line`` taken off it."""
    match = _TRAILING_FIELD.search(line)
    if not match:
        return line, []
    fields = split_fields(line[match.end() :])
    if not fields:
        return line, []
    return line[: match.start()].strip(), fields


_SHORT_FIELDS = frozenset(FIELD_OWNER + FIELD_DEPARTMENT + FIELD_DEADLINE + FIELD_STATUS)


def _field_value(name: str, value: str) -> str:
    """A name or a date loses the full stop after it; a statement keeps its punctuation."""
    value = value.strip()
    return value.rstrip("。；;，,") if name in _SHORT_FIELDS else value


def split_fields(line: str) -> list[tuple[str, str]] | None:
    """``[(name, value), …]`` when ``line`` is made of labelled fields, else None."""
    first = FIELD.match(line)
    if not first:
        return None
    out: list[tuple[str, str]] = []
    name, pos = first.group(1), first.end()
    for match in _INLINE_FIELD.finditer(line, pos):
        out.append((name, _field_value(name, line[pos : match.start()])))
        name, pos = match.group(1), match.end()
    out.append((name, _field_value(name, line[pos:])))
    return out


# ---- statuses -----------------------------------------------------------------------------------------
_DONE = r"已整改完毕|已整改完成|已整改到位|已完成整改|已经完成|已完成|整改完成|整改完毕|完成整改|已办结|已销号|已整改|立行立改"
_PROGRESS = (
    r"正在整改|正在推进|正在落实|整改中|推进中|进行中|序时推进|部分整改|阶段性完成|基本完成|持续整改|持续推进|"
    r"未完成|正在进行|长期坚持"
)
_NOT = r"尚未整改|未整改|尚未启动|未启动|尚未开始|未开始"
_STATUS_WORD = re.compile(rf"({_NOT})|({_DONE})|({_PROGRESS})")
LONG_TERM = re.compile(r"长期坚持|持续推进|持续整改|常态化|长效推进|长期推进|久久为功")
# Status parenthesis: （已完成） （正在整改，2020年7月完成，长期坚持） （整改完成并长期坚持）
STATUS_PAREN = re.compile(rf"[（(]((?:{_NOT}|{_DONE}|{_PROGRESS})[^（）()]{{0,40}}?)[）)]")
# A paragraph that opens with its status: 已整改到位。… 部分整改。… 未整改，原因是…
STATUS_LEAD = re.compile(
    rf"^[\s\u3000]*((?:{_NOT}|已整改到位|已整改完毕|已完成整改|已完成|整改完成|部分整改|基本整改|"
    rf"正在整改|正在推进|持续整改|阶段性完成|立行立改)(?:[，,][^。；;]{{0,20}}?)?)[。；;]"
)
STATUS_LEAD_COMMA = re.compile(rf"^[\s\u3000]*({_NOT})[，,]")
# Measure text that says the measure itself is finished (财务资料不够完整已整改完毕).
MEASURE_DONE = re.compile(r"已整改完毕|已整改完成|已整改到位|已完成整改")
LITERAL_IN_PROGRESS = re.compile(r"正在整改")
_YES = {"是", "已完成", "完成", "√", "✓", "Y", "y", "yes", "Yes"}
_NO = {"否", "未完成", "×", "N", "n", "no", "No"}


def status_of(text: str | None) -> str | None:
    """The status a status phrase states (``正在整改，2020年7月完成`` → ``in_progress``), or None."""
    if not text:
        return None
    stripped = text.strip()
    if stripped in _YES:
        return "done"
    if stripped in _NO:
        return "in_progress"
    match = _STATUS_WORD.search(text)
    if not match:
        return None
    if match.group(1):
        return "not_started"
    if match.group(2):
        word = match.group(2)
        # 已完成… followed by a long-term clause is still done; 整改完成 inside 未整改完成 is not.
        return "done" if not text[: match.start()].endswith(("未", "尚未", "没有")) else "in_progress"
    word = match.group(3)
    if word == "长期坚持":
        return None
    return "in_progress"


def is_long_term(text: str | None) -> bool:
    return bool(text and LONG_TERM.search(text))


# ---- deadlines ----------------------------------------------------------------------------------------
_DATE = r"(\d{4})[\s\u3000]*年(?:[\s\u3000]*(\d{1,2})[\s\u3000]*月(?:[\s\u3000]*(\d{1,2})[\s\u3000]*日)?)?"
DATE_IN_TEXT = re.compile(_DATE + r"(底|末|年底|中旬|上旬|下旬)?")
# 计划于2025年12月底前完成 / 2026年6月底前化解完毕 / 2020年7月完成 / 2025年底前全部完工
DEADLINE_PHRASE = re.compile(
    _DATE + r"(底|末|中旬|上旬|下旬)?[\s\u3000]*(前|之前|以前)?[\s\u3000]*(?:全部|基本|全面|彻底)?"
    r"(?:完成|完毕|完工|到位|办结|销号|整改|化解|清理|建成|解决)(?!了)"
)
# 2025年12月底前实现全覆盖: 实现 names a deadline only after 前 (2024年实现营收… is a result).
DEADLINE_BEFORE_PHRASE = re.compile(
    _DATE
    + r"(底|末|中旬|上旬|下旬)?[\s\u3000]*(前|之前|以前)[\s\u3000]*(?:全部|基本|全面|彻底)?(?:实现|达到|达成)"
)
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    y = int(year)
    if not 1949 <= y <= 2100:
        return None
    if not month:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if not day:
        return f"{y:04d}-{m:02d}"
    d = int(day)
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def deadline_in_phrase(text: str | None) -> str | None:
    """A date stated as a deadline inside a status phrase or a 完成时限 value, with its printed precision."""
    if not text:
        return None
    match = DATE_IN_TEXT.search(text)
    if match:
        return _iso(match.group(1), match.group(2), match.group(3))
    match = _ISO.search(text)
    if match:
        return _iso(match.group(1), match.group(2), match.group(3))
    return None


def deadlines_in_text(text: str | None) -> list[str]:
    """Deadlines stated in running text: a date followed by 前/完成 (``计划于2025年9月底前完成``).

    A year alone counts only with 底/前 (``2025年底前完成``): ``2024年完成投资42.6亿元`` is a result.
    """
    if not text or "年" not in text:
        return []
    found = []
    for pattern in (DEADLINE_PHRASE, DEADLINE_BEFORE_PHRASE):
        for match in pattern.finditer(text):
            year, month, day, end, before = match.group(1, 2, 3, 4, 5)
            if not month and not (end or before):
                continue
            iso = _iso(year, month, day)
            if iso:
                found.append((match.start(), iso))
    return [iso for _start, iso in sorted(found)]


# ---- round ---------------------------------------------------------------------------------------------
KIND_WORDS = (
    ("巡视", "巡视"),
    ("巡察", "巡察"),
    ("审计", "审计"),
    ("督察", "督察"),
    ("督查", "检查"),
    ("检查", "检查"),
)
KIND_RE = re.compile("巡视|巡察|审计|督察|督查|检查")
KIND_OF = dict(KIND_WORDS)


@dataclass
class StatusInfo:
    status: str | None = None
    deadline: str | None = None
    long_term: bool = False
    text: str | None = None
