"""The phrases of rectification reports: measure markers, field names, statuses and deadlines.

Statuses are read only where reports state them — a parenthesis such as ``（正在整改，2020年7月完成）``,
a paragraph that opens with ``已整改到位。``, a ``完成情况：`` field, a ledger cell — so that problem
text such as ``至今仍未进行整改`` or ``长期闲置`` is never mistaken for a status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from zhenggai.core.lazy_re import lazy
from zhenggai.core.numbering import cn_number

# A status phrase's deadline is asked again of the same phrase (an item's status, its measures'):
# the answers are kept, each the phrase's alone.
_KEPT = 1024


def _one_of(words: Iterable[str]) -> str:
    """The alternation ``words[0]|words[1]|…`` written a first character at a time
    (``问(?:题表现|题描述|题)|责(?:任领导|任单位)…``): the engine checks a position's character once
    for each first character, not once for each word, and tries the words that start with it in
    their order (so the same word wins as in the plain alternation)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(
        re.escape(first) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in by_first.items()
    )


# ---- markers that open the measures of the item above them -------------------------------------------
# A marker that reports what was achieved (整改进展：… 整改成效：… 落实情况：…), not what will be done
# (no 措施 or 举措 in it).
PROGRESS_MARKER = lazy(r"^(?!.*[措举]).*(?:进展|成效|结果|情况)[^:：]*[:：]$")
MARKER = lazy(
    r"^[\s\u3000]*(?:"
    r"(?:具体|主要|(?:处理|查处)[和及与]?)?(?:整改|落实)(?:落实|完成|进展|推进|工作|措施)?"
    r"(?:情况|措施|举措|进展|结果|成效|落实情况)(?:及(?:成效|进展|情况|结果))?"
    r"|(?:具体|主要|采取的?|已采取的?)(?:措施|举措)(?:及(?:成效|进展|情况|结果))?"
    r"|(?:目前|当前|工作|取得的?)?(?:进展情况|进展|成效)"
    r")[\s\u3000]*[:：]"
)


# The characters a marker opens with (past white space; tests/core/test_opening_chars.py reads them
# off the pattern).
MARKER_FIRST = frozenset("具主处查整落采已目当工取进成")


def marker(line: str) -> re.Match[str] | None:
    """``MARKER.match(line)``: a marker ends in a colon, which most paragraphs do not hold, and
    opens with one of MARKER_FIRST (tested first, they cost a fraction of a failed match)."""
    if "：" not in line and ":" not in line:
        return None
    return MARKER.match(line) if line.lstrip()[:1] in MARKER_FIRST else None


# A paragraph that opens the measures without a marker: 针对该问题，局党组一是…；二是… / 对此，…
MEASURES_OPENER = lazy(r"^[\s\u3000]*(?:针对|对此|为此|整改中|整改过程中)[^。；;]{0,30}?[，,：:]")

# A marker that names progress outright (整改进展：/整改成效：/完成情况：), not 整改情况： alone.
REPORTS_PROGRESS = lazy(r"进展|成效|完成|结果|进度")

# ---- labelled fields (问题表现：… 责任领导：…) ---------------------------------------------------------------
FIELD_PROBLEM = ("问题表现", "问题描述", "存在问题", "反馈问题", "具体问题", "问题")
FIELD_CAUSE = ("原因分析", "问题原因", "产生原因", "原因")
FIELD_OWNER = (
    "责任领导",
    "牵头领导",
    "分管领导",
    "责任人",
    "包案领导",
    "整改责任人",
    "督办领导",
    "具体责任人",
)
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
FIELD_DEADLINE = (
    "完成时限",
    "整改时限",
    "时限要求",
    "完成时间",
    "整改期限",
    "完成期限",
    "时间节点",
    "整改时间",
    "整改完成时限",
    "计划完成时限",
    "计划完成时间",
    "预计完成时间",
    "办结时限",
    "整改截止时间",
    "整改截止日期",
    "截止时间",
    # a ledger's short label: 时限：2025年10月
    "时限",
)
FIELD_STATUS = (
    "完成情况",
    "整改状态",
    "是否完成",
    "办结情况",
    "完成进度",
    "整改进度",
    "办理状态",
    "办理情况",
    "办理进度",
    "办理结果",
    "销号情况",
    "是否销号",
    "是否办结",
)
FIELD_TARGET = ("整改目标", "目标要求", "整改要求", "整改任务")
FIELD_TEXT = ("整改目标", "整改要求", "目标要求", "配合单位", "整改任务", "佐证材料", "备注")
_ALL_FIELDS = sorted(
    FIELD_PROBLEM + FIELD_CAUSE + FIELD_OWNER + FIELD_DEPARTMENT + FIELD_DEADLINE + FIELD_STATUS + FIELD_TEXT,
    key=len,
    reverse=True,
)
FIELD = lazy(r"^[\s\u3000]*(" + _one_of(_ALL_FIELDS) + r")[\s\u3000]*[:：][\s\u3000]*")
FIELD_FIRST = frozenset(name[0] for name in _ALL_FIELDS)  # what a field opens with, past white space
# A field may follow another on the same line: 问题整改责任单位:市科技馆 整改时限:3天
# … after a space or a semicolon: 责任领导：王明；责任单位：办公室
_INLINE_FIELD = lazy(r"(?:[\s\u3000]+|(?<=[；;]))(" + _one_of(_ALL_FIELDS) + r")[\s\u3000]*[:：][\s\u3000]*")


_SHORT_FIELDS_NAMES = sorted(
    FIELD_OWNER + FIELD_DEPARTMENT + FIELD_DEADLINE + FIELD_STATUS, key=len, reverse=True
)


# A field glued to the end of a sentence: …定期研判。整改时限：2022年12月 (group 1: the spaces before
# it; the pattern opens with the full stop, not a look-behind, so that the engine skips to one)
_TRAILING_FIELD = lazy(r"[。；;！!]([\s\u3000]*)(?=(?:" + _one_of(_ALL_FIELDS) + r")[\s\u3000]*[:：])")


# A label that starts a new field or marker inside a paragraph, after a sentence: …不紧。整改措施：…
# (group 1: the spaces before it, as in _TRAILING_FIELD)
_GLUED_LABEL = lazy(
    r"[。；;]([\s\u3000]*)(?=(?:"
    + _one_of(_ALL_FIELDS)
    + r"|(?:具体|主要)?(?:整改|落实)(?:落实|完成|进展|推进|工作)?(?:措施|举措|情况|进展|成效|结果)"
    + r")[\s\u3000]*[:：])"
)


# A field or marker name in square brackets at the start of a line, as web ledgers print them:
# 【整改措施】一是… / 【整改期限】2025年1月 / ［整改结果］已整改 (read as 整改措施：… and so on).
_BRACKETED_NAME = lazy(r"^([\s\u3000]*)[【［\[〔]([^】］\]〕\s]{2,10})[】］\]〕][\s\u3000]*[:：]?[\s\u3000]*")


def holds_bracket(text: str) -> bool:
    """Whether ``text`` holds an opening square bracket (else no line of it is :func:`unbracketed`).
    (Four substring tests: ``in`` finds a character several times faster than the engine scans for
    a class.)"""
    return "【" in text or "［" in text or "[" in text or "〔" in text


def unbracketed(line: str) -> str:
    """``line`` with a bracketed field or marker name at its start read as the name and a colon
    (``【整改措施】一是…`` → ``整改措施：一是…``); any other line as it is (``【打印】``)."""
    if line[:1] not in "【［[〔" and not line[:4].lstrip().startswith(("【", "［", "[", "〔")):
        return line
    match = _BRACKETED_NAME.match(line)
    if not match:
        return line
    named = match.group(2) + "："
    if not (FIELD.match(named) or MARKER.match(named)):
        return line
    return match.group(1) + named + line[match.end() :]


def split_labelled(line: str) -> list[str]:
    """A paragraph of several labelled parts glued together (``问题：…。原因分析：…。整改措施：…``)
    cut into one paragraph a label; a paragraph with one label or none comes back whole."""
    if ("：" not in line and ":" not in line) or ("。" not in line and "；" not in line and ";" not in line):
        return [line]  # (substring tests first: each method call with positions costs several)
    colon = max(line.rfind("："), line.rfind(":"))
    # … and each label stands after a sentence's end, its colon after it: the first end must come
    # before the last colon (a paragraph that opens with its only label has none before it)
    ends = [
        at
        for at in (line.find("。", 0, colon), line.find("；", 0, colon), line.find(";", 0, colon))
        if at >= 0
    ]
    if not ends:
        return [line]
    cuts = [m.start(1) for m in _GLUED_LABEL.finditer(line, min(ends))]
    if not cuts:
        return [line]
    starts = [0, *cuts]
    parts = [line[a:b].strip() for a, b in zip(starts, [*cuts, len(line)], strict=True)]
    return [part for part in parts if part]


def split_trailing_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``(text, fields)``: labelled fields that follow the last sentence of ``line`` taken off it."""
    if "：" not in line and ":" not in line:
        return line, []
    match = _TRAILING_FIELD.search(line)
    if not match:
        return line, []
    fields = split_fields(line[match.end(1) :])
    if not fields:
        return line, []
    return line[: match.start(1)].strip(), fields


# Labelled fields in brackets that close a line: …二是修订制度。（责任领导：张某；整改时限：2024年12月） /
# （一）某某问题（整改时限：2024年12月底前） / 整改进展：正在推进。（整改时限：2024年12月）
_BRACKETED_FIELDS = lazy(
    r"[（(]([\s\u3000]*(?:"
    + _one_of(_SHORT_FIELDS_NAMES)
    + r")[\s\u3000]*[:：][^（）()]*)[）)][\s\u3000。；;]*$"
)


def split_bracketed_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``(text, fields)``: labelled fields in brackets at the end of ``line`` (owner, department, time
    limit, status) taken off it; ``(line, [])`` when there are none."""
    if ("：" not in line and ":" not in line) or not _closes_bracket(line):
        return line, []
    match = _BRACKETED_FIELDS.search(line)
    if not match:
        return line, []
    fields = split_fields(match.group(1).strip())
    if not fields:
        return line, []
    return line[: match.start()].rstrip(), fields


def _closes_bracket(line: str) -> bool:
    """Whether ``line`` ends in a closing bracket, white space and full stops after it, as a match of
    _BRACKETED_FIELDS does (tested first: most lines end otherwise, and the pattern would try each
    opening bracket of the line; ``\\s`` is what str.isspace tells)."""
    end = len(line)
    while end and (line[end - 1] in "。；;" or line[end - 1].isspace()):
        end -= 1
    return end > 0 and line[end - 1] in "）)"


_SHORT_FIELDS = frozenset(FIELD_OWNER + FIELD_DEPARTMENT + FIELD_DEADLINE + FIELD_STATUS)


def _field_value(name: str, value: str) -> str:
    """A name or a date loses the full stop after it; a statement keeps its punctuation."""
    value = value.strip()
    return value.rstrip("。；;，,") if name in _SHORT_FIELDS else value


def status_after_field(name: str, value: str) -> tuple[str, str | None]:
    """``(value, status sentence)``: a short field's value is one sentence; a sentence after it that
    states a status (``2025年11月。目前已完成梳理，内控制度正在制定。``) is split off; else
    ``(value, None)``."""
    if name not in _SHORT_FIELDS or "。" not in value:
        return value, None
    head, _, tail = value.partition("。")
    tail = tail.strip()
    if not head.strip() or not tail or not status_of(opening(tail)):
        return value, None
    return head.strip(), tail


def split_fields(line: str) -> list[tuple[str, str]] | None:
    """``[(name, value), …]`` when ``line`` is made of labelled fields, else None."""
    if "：" not in line and ":" not in line:
        return None  # a field's name is followed by its colon
    if line.lstrip()[:1] not in FIELD_FIRST:
        return None
    first = FIELD.match(line)
    if not first:
        return None
    out: list[tuple[str, str]] = []
    name, pos = first.group(1), first.end()
    # another field's name is followed by its colon: a line with none after the first field has one
    more = line.find("：", pos) >= 0 or line.find(":", pos) >= 0
    for match in _INLINE_FIELD.finditer(line, pos) if more else ():
        out.append((name, _field_value(name, line[pos : match.start()])))
        name, pos = match.group(1), match.end()
    out.append((name, _field_value(name, line[pos:])))
    return out


# ---- statuses -----------------------------------------------------------------------------------------
# One table of the wordings reports use for a status; matched longest first, so 已完成阶段性目标 is
# in progress although it begins with 已完成, and 未整改完成 is in progress although it begins with 未整改.
STATUS_PHRASES: dict[str, tuple[str, ...]] = {
    "not_started": ("尚未整改", "未整改", "尚未启动", "未启动", "尚未开始", "未开始", "暂未整改", "暂未启动"),
    "done": (
        "已整改完毕",
        "已整改完成",
        "已整改到位",
        "已完成整改",
        "已经完成",
        "已完成",
        "整改完成",
        "整改完毕",
        "完成整改",
        "已办结",
        "已销号",
        "已整改",
        "立行立改",
        "已全部完成",
        "已全部整改",
        "已全部办结",
        "全部办结",
        "均已办结",
        "已全部销号",
        "全部整改完成",
        "全部完成整改",
        "均已完成",
        "均已整改",
        "已整改落实",
        "已落实到位",
        "已全面完成",
        "已按期完成",
        "已解决",
        "整改到位",
        "已清零",
    ),
    "in_progress": (
        "正在整改",
        "正在推进",
        "正在落实",
        "正在进行",
        "整改中",
        "推进中",
        "进行中",
        "落实中",
        "序时推进",
        "按序时推进",
        "按时序推进",
        "达到序时进度",
        "符合序时进度",
        "滞后序时进度",
        "落后序时进度",
        "慢于序时进度",
        "超序时进度",
        "按计划推进",
        "有序推进",
        "部分整改",
        "部分完成",
        "阶段性完成",
        "阶段性办结",
        "已阶段性办结",
        "基本办结",
        "已完成阶段性",
        "取得阶段性",
        "已取得阶段性成效",
        "取得阶段性成效",
        "初步完成",
        "初见成效",
        "基本完成",
        "基本整改",
        "持续整改",
        "持续推进",
        "未完成",
        "尚未完成",
        "未整改完成",
        "尚未整改完成",
        "未完成整改",
        "尚未完成整改",
        "未整改到位",
        "尚未整改到位",
        "未全部完成",
        "未按期完成",
        "未办结",
        "尚未办结",
        "未销号",
        "未完全整改到位",
        "未全部整改到位",
        # 正 + how + what: 正积极推进 / 正在加快推进 / 正在实施
        "正积极推进",
        "正在积极推进",
        "正加快推进",
        "正在加快推进",
        "正全力推进",
        "正在全力推进",
        "加快推进中",
        "正在实施",
        "正在办理",
        # 正在 + the work under way, as status lines name it: 内控制度正在制定 / 剩余1处正在施工
        "正在制定",
        "正在完善",
        "正在建设",
        "正在施工",
        "正在开展",
        "正在清理",
        "正在编制",
        "正在修订",
        "正在追缴",
        "正在核查",
        "正在调处",
        "正在升级",
        "正在调试",
        "正在改造",
        "正在推进中",
        # a long-term measure under way: 已建立学习小组，持续开展
        "持续开展",
        # a part done is the whole in progress: 部分已整改 / 已取得阶段性成效但需继续整改
        "部分已整改",
        "部分已完成",
        "部分已办结",
        "需继续整改",
        "长期坚持",
    ),
}
_STATUS_OF_PHRASE = {phrase: status for status, phrases in STATUS_PHRASES.items() for phrase in phrases}
# 已于2024年5月完成整改: a completion with its date.
# 已于2024年3月完成 / 已于2024年1月15日完成整改
_DONE_ON = r"已于[^，,。；;（）()]{2,16}?(?:完成(?:整改)?|办结|销号|整改到位|整改完成|整改完毕)"
_ALTERNATIVES = _one_of(sorted(_STATUS_OF_PHRASE, key=len, reverse=True))
_ANY_STATUS = rf"(?:{_DONE_ON}|{_ALTERNATIVES})"
# One alternation of words that each open with a character, so that the engine skips to where one
# of them may start (a group first would have it try every word at every position); a match that is
# no phrase of the table is a completion with its date (no phrase opens with 已于).
_STATUS_WORD = lazy(rf"{_DONE_ON}|{_ALTERNATIVES}")
# A plan, not a status: 计划2025年底前整改完成 / 确保整改完成.
_PLANNED = lazy(r"(?:计划|预计|力争|争取|确保|将|拟|要|尽快|推动|督促|待)[^，,。；;]{0,14}$")
LONG_TERM = lazy(
    r"长期坚持|持续推进|持续整改|常态化|长效推进|长期推进|久久为功|长期整改|长期执行|长期任务"
    r"|^[\s\u3000]*长期[\s\u3000]*$"
)
# Long term said in so many words, anywhere in a progress report: …；跟踪审计长期坚持。
LONG_TERM_STATED = lazy(r"长期坚持")
# Status parenthesis or bracket: （已完成） （正在整改，2020年7月完成，长期坚持） 【整改完成并长期坚持】
STATUS_PAREN = lazy(rf"[（(【\[]({_ANY_STATUS}[^（）()【】\[\]]{{0,40}}?)[）)】\]]")
# The words before a status sentence: a time (目前，/截至目前，/截至2024年底，) and a subject (该问题).
_STATUS_TIME = r"(?:(?:目前|当前|现阶段|截至目前|截止目前|截至[^，,。；;]{2,14}?|经整改|经过整改)[，,]?)?"
_STATUS_SUBJECT = (
    r"(?:(?:该|此|本|这一|上述|以上)(?:项|个|条)?(?:问题|任务|整改任务|事项|整改事项|项|条)?[，,]?|问题)?"
)
_LEAD_PHRASES = sorted(
    (p for p in _STATUS_OF_PHRASE if p not in ("长期坚持", "持续推进", "持续开展", "有序推进", "按计划推进")),
    key=len,
    reverse=True,
)
_LEAD_WORDS = _one_of(_LEAD_PHRASES)
# A paragraph that opens with its status: 已整改到位。… 部分整改。… 该问题已完成整改。… 目前，正在整改中。…
STATUS_LEAD = lazy(
    # … its clause may go on after a comma or a conjunction: 已取得阶段性成效但需继续整改。
    # (what kind of matter it is may stand between: 该问题属长期整改事项，正在持续整改。; and an
    # adverb before the status words: 该问题已基本完成整改。 / 正在持续整改。)
    rf"^[\s\u3000]*({_STATUS_TIME}{_STATUS_SUBJECT}(?:(?:属于?|系)[^，,。；;]{{1,10}}?[，,])?"
    rf"(?:已经|已|仍在|正在)?(?:{_DONE_ON}|{_LEAD_WORDS})(?:整改)?(?:中)?"
    rf"(?:(?:[，,]|但|并|且)[^。；;]{{0,30}}?)?)[。；;]"
)
_NOT_WORDS = _one_of(sorted(STATUS_PHRASES["not_started"], key=len, reverse=True))
STATUS_LEAD_COMMA = lazy(rf"^[\s\u3000]*({_NOT_WORDS})[，,]")
# The characters a paragraph past its white space opens with when STATUS_LEAD, STATUS_LEAD_COMMA
# (their time, subject and status words) or CLOSING match it: tested before the patterns, which a
# paragraph seldom opens as (a failed match costs some ten times the test).
STATUS_LEAD_FIRST = frozenset("目当现截经该此本这上以问已仍属系") | frozenset(p[0] for p in _LEAD_PHRASES)
STATUS_LEAD_COMMA_FIRST = frozenset(p[0] for p in STATUS_PHRASES["not_started"])


def status_lead(line: str) -> re.Match[str] | None:
    """``STATUS_LEAD.match(line)``, tested first by the character the line opens with."""
    return STATUS_LEAD.match(line) if line.lstrip()[:1] in STATUS_LEAD_FIRST else None


def status_lead_comma(line: str) -> re.Match[str] | None:
    """``STATUS_LEAD_COMMA.match(line)``, tested first by the character the line opens with."""
    return STATUS_LEAD_COMMA.match(line) if line.lstrip()[:1] in STATUS_LEAD_COMMA_FIRST else None


# A status sentence at the end of a paragraph, after what was done: …。目前，该问题正在整改中，计划…完成。
_TRAILING_STATUS = lazy(
    r"(?:^|(?<=[。；;]))[\s\u3000]*((?:(?:目前|当前|现阶段|截至目前|截止目前|截至[^，,。；;]{2,14}?|经整改|经过整改)[，,]?"
    r"|(?:该|此|本|上述)(?:项|个|条)?(?:问题|任务|事项))[^。；;]{0,60}[。；;]?)[\s\u3000]*$"
)
# … or after a comma, with its time word: …二是开展研讨，目前，该问题正在整改中，计划…完成。
_COMMA_TRAILING_STATUS = lazy(
    r"(?<=[，,])[\s\u3000]*((?:目前|当前|现阶段|截至目前|截止目前)[，,][^。；;]{0,60}[。；;]?)[\s\u3000]*$"
)
_BARE_TRAILING_STATUS = lazy(
    rf"(?<=[。；;])[\s\u3000]*((?:{_LEAD_WORDS}|(?:持续|有序|按计划)推进(?=[，,。；;]|$))(?:中)?"
    rf"(?:[，,][^。；;]{{0,30}}?)?[。；;]?)[\s\u3000]*$"
)


def trailing_status(text: str) -> tuple[str, str | None]:
    """``(text, status sentence)``: a status sentence that ends ``text`` after what was done taken off
    it (``…建立制度。目前，该问题正在整改中，计划2025年底前完成。``), or ``(text, None)``.

    A status sentence holds no full stop but the one it may end with: it starts after the last but
    one of the text, and the patterns (anchored at the end) are searched from there, not from the
    text's start."""
    last = max(text.rfind("。"), text.rfind("；"), text.rfind(";"))
    start = max(text.rfind("。", 0, last), text.rfind("；", 0, last), text.rfind(";", 0, last)) + 1
    if not _STATUS_WORD.search(text, start):
        return text, None  # what each pattern finds must state a status (status_of), with its words
    for pattern in (_TRAILING_STATUS, _COMMA_TRAILING_STATUS, _BARE_TRAILING_STATUS):
        match = pattern.search(text, start)
        if match and status_of(match.group(1)):
            return text[: match.start()].rstrip(), match.group(1).strip()
    return text, None


_STATUS_ONLY_MAX = 16
# A marker that names measures (整改措施：/ 主要举措：), not how far they came.
MEASURES_WORD = lazy(r"[措举]")
_CLAUSE = lazy(r"[，,。；;]")
# … and the clauses of a status sentence, also after 但/并/且: 已取得阶段性成效但需继续整改
_STATUS_SENTENCE_CLAUSE = lazy(r"[，,。；;]|但|并|且")
# What a status sentence adds to its status: 已完成整改并建立长效机制 / 已整改完成，建议销号
_STATUS_TAIL = lazy(r"^(?:建立(?:健全)?(?:了)?长效机制|建议销号|待销号|待验收|申请销号)$")


def status_clauses(text: str, first: bool = False) -> list[str]:
    """The clauses of ``text`` that state a status (``已制定办法，正在加快推进，…`` → ``正在加快推进``);
    with ``first``, the first of them only."""
    if not _STATUS_WORD.search(text):
        # no status word in any clause: only a clause that is a whole 是 / 否 / 完成 states one
        # (one that holds none of their characters cannot be one: the text is not cut then)
        if not any(char in text for char in _YES_NO_CHARS):
            return []
        found = [clause for clause in _CLAUSE.split(text) if clause and clause.strip() in _SAID_WHOLE]
    elif first:
        found = next(([clause] for clause in _CLAUSE.split(text) if clause and status_of(clause)), [])
    else:
        found = [clause for clause in _CLAUSE.split(text) if clause and status_of(clause)]
    return found[:1] if first else found


def _status_clause(clause: str) -> bool:
    """A clause of a status sentence: a status, a long-term flag or a date to be met."""
    return bool(
        status_of(clause) or is_long_term(clause) or deadlines_in_text(clause) or _STATUS_TAIL.match(clause)
    )


@lru_cache(maxsize=_KEPT)
def is_status_only(text: str) -> bool:
    """Whether ``text`` is one short sentence that states a status, perhaps with its date, and nothing
    done (``已经完成，长期坚持。`` / ``正在推进，2025年底前完成。``), not ``已拨付资金3200万元。``."""
    text = text.strip()
    sentence = opening(text)
    undated = DATE_IN_TEXT.sub("", sentence)
    return (
        len(undated) <= _STATUS_ONLY_MAX
        and text.rstrip("。；;") == sentence
        and not re.search(r"\d", undated)
        and all(_status_clause(clause) for clause in _STATUS_SENTENCE_CLAUSE.split(sentence) if clause)
    )


# Measure text that says the measure itself is finished (财务资料不够完整已整改完毕).
MEASURE_DONE = lazy(r"已整改完毕|已整改完成|已整改到位|已完成整改")
LITERAL_IN_PROGRESS = lazy(r"正在整改")
# A status said in a word or two, as a ledger's 完成情况 cell or a progress field says it (whole: in
# running text the same words say what was done to something, 已落实资金…, 加快推进项目…).
_YES = {
    "是",
    "已完成",
    "完成",
    "全部完成",
    "已落实",
    "已纠正",
    "已办结",
    "办结",
    "已完结",
    "完结",
    "已结案",
    "已验收",
    "已验收销号",
    "√",
    "✓",
    "Y",
    "y",
    "yes",
    "Yes",
}
# (滞后: behind the schedule, the third of a progress report's categories, 已完成 / 达到序时进度 / 滞后)
_NO = {
    "否",
    "未完成",
    "滞后",
    "进度滞后",
    "滞后于序时进度",
    "稳步推进",
    "加快推进",
    "积极推进",
    "持续推进中",
    "×",
    "N",
    "n",
    "no",
    "No",
}
_NOT_YET = {"未开展", "尚未开展", "暂未开展", "未实施", "尚未实施"}
_SAID_WHOLE = frozenset(_YES | _NO | _NOT_YET)
_YES_NO_CHARS = frozenset("".join(_SAID_WHOLE))


def status_of(text: str | None) -> str | None:
    """The status a status phrase states (``正在整改，2020年7月完成`` → ``in_progress``), or None.

    A completion that is planned (``计划2025年底前整改完成``) states no status; ``未``/``没有`` before a
    completion (``没有完成整改``) makes it in progress.

    Remembered by text while a document is read (the structure reader asks about an item's status
    phrases two or three times: its status, whether a date is when it was done…); the memory is
    emptied before each document (:func:`forget`), as numbering's labels are.
    """
    if not text:
        return None
    known = _statuses.get(text, _UNREAD)  # (a miss is no KeyError raised and caught)
    if known is not _UNREAD:
        return known  # type: ignore[return-value]
    status = _status_of(text)
    if len(_statuses) >= _REMEMBERED:
        _statuses.clear()
    _statuses[text] = status
    return status


_REMEMBERED = 4096
_statuses: dict[str, str | None] = {}
_UNREAD = object()  # what the memory holds for a text not read yet


def forget() -> None:
    """Empty what is remembered of the texts read: called when a new document is read."""
    _statuses.clear()


def _status_of(text: str) -> str | None:
    """:func:`status_of` of a text not remembered."""
    stripped = text.strip()
    if stripped in _YES:
        return "done"
    if stripped in _NO:
        return "in_progress"
    if stripped in _NOT_YET:
        return "not_started"
    for match in _STATUS_WORD.finditer(text):
        before = text[: match.start()]
        word = match.group(0)
        status = _STATUS_OF_PHRASE.get(word)
        if status is None:
            return "done"  # 已于2024年5月完成
        if word == "长期坚持":
            continue
        if word in _SHORTFALL and _NOT_STARTED.search(text, match.end()):
            return "not_started"  # 未完成，尚未启动: the more telling word
        if status == "done":
            if before.endswith(("未", "尚未", "没有", "没")):
                return "in_progress"
            if _PLANNED.search(before[-24:]):
                continue
            # 已完成整改1398个，其余28个正在整改 / 第一阶段已完成，正在推进中: part done, the rest
            # states the status; a long-term clause (持续推进) after a completion does not.
            counted = bool(_COUNTED.match(text, match.end()))
            if counted and _THE_REST.search(text, match.end()):
                return "in_progress"  # 目前已完成9处，其余5处待合同到期后实施: the rest still to do
            return _weaker_in(text[match.end() :], long_term=counted) or status
        return status
    return None


# The rest of what a count leaves (其余5处…, 剩余2个…, 尚有1项…), after a clause's end.
_THE_REST = lazy(r"[，,；;]\s*(?:其余|剩余|尚有|还有|另有)[^，,；;。]{0,6}?\d")
_SHORTFALL = frozenset(("未完成", "尚未完成", "未按期完成", "未全部完成"))
_NOT_STARTED = lazy(_one_of(STATUS_PHRASES["not_started"]))


@lru_cache(maxsize=_KEPT)
def _weaker_in(text: str, *, long_term: bool) -> str | None:
    """The first status short of done that ``text`` states (其余28个正在整改), if any; 持续推进 and
    the like count only when ``long_term``."""
    for match in _STATUS_WORD.finditer(text):
        word = match.group(0)
        if word not in _STATUS_OF_PHRASE or word == "长期坚持" or _STATUS_OF_PHRASE[word] == "done":
            continue
        if not long_term and (LONG_TERM.search(word) or word == "持续开展"):
            continue  # 已完成整改，持续开展督查: work kept up after the item was done
        return _STATUS_OF_PHRASE[word]
    return None


# A completion counted (已完成整改1398个 / 已完成整治87%): the part done, not the whole.
_COUNTED = lazy(r"[^，,。；;]{0,8}?\d+(?:\.\d+)?[\s\u3000]*(?:个|家|项|条|件|处|座|户|%|％)")


@lru_cache(maxsize=_KEPT)
def is_long_term(text: str | None) -> bool:
    return bool(text and LONG_TERM.search(text))


# ---- deadlines ----------------------------------------------------------------------------------------
# (``\d\d\d\d``, not ``\d{4}``: a pattern whose group opens with a class lets the engine skip to a
# digit, one that opens with a repeat has it try every position.)
_DATE = (
    r"(\d\d\d\d)[\s\u3000]*年(?:[\s\u3000]*(\d{1,2})[\s\u3000]*月(?:[\s\u3000]*(\d{1,2})[\s\u3000]*[日号])?)?"
)
# A part of a year after a bare year: 2025年底 → 2025-12, 2025年上半年 → 2025-06.
_YEAR_PART = (
    r"年底|年末|底|末|内|上半年|年中|下半年|一季度|二季度|三季度|四季度|第一季度|第二季度|第三季度|第四季度"
    r"|1季度|2季度|3季度|4季度|第1季度|第2季度|第3季度|第4季度"
)
_MONTH_OF_PART = {
    "底": 12,
    "年底": 12,
    "年末": 12,
    "末": 12,
    "内": 12,
    "下半年": 12,
    "四季度": 12,
    "第四季度": 12,
    "上半年": 6,
    "年中": 6,
    "二季度": 6,
    "第二季度": 6,
    "一季度": 3,
    "第一季度": 3,
    "三季度": 9,
    "第三季度": 9,
    # a ledger's quarter in figures: 2025年1季度 / 2024年第3季度
    **{f"{prefix}{q}季度": 3 * q for q in range(1, 5) for prefix in ("", "第")},
}
DATE_IN_TEXT = lazy(_DATE + rf"({_YEAR_PART}|年底|中旬|上旬|下旬)?")
# What is finished by a date: 2020年7月完成 / 2025年底前全部完工 / 2024年下半年全部追回.
_RESULT_VERB = (
    r"(?:全部|基本|全面|彻底)?(?:完成|完毕|完工|到位|办结|销号|整改|化解|清理|清退|清零|建成|解决|收回|追回"
    r"|追缴|缴库|上缴|退还|归还|拆除|关停|搬迁|投用|投运|上线|实现|达到|达标|出台|印发|制定|修订|建立|补齐|提交|报送)"
)
# 计划于2025年12月底前完成 / 2026年6月底前化解完毕 / 2020年7月完成 / 2025年底前全部完工
DEADLINE_PHRASE = lazy(
    _DATE + rf"({_YEAR_PART}|中旬|上旬|下旬)?[\s\u3000]*(前|之前|以前)?[\s\u3000]*(?:全部|基本|全面|彻底)?"
    r"(?:完成|完毕|完工|到位|办结|销号|整改|化解|清理|建成|解决)(?!了)"
)
# A date before 前 names a deadline whatever is to be done by then (2025年12月底前实现全覆盖 /
# 2025年6月底前出台办法 / 2022年12月底前全部清退 / 年底前将报表压减30% / 2024年6月底前，完成…); without 前 only a completion
# verb does (2024年实现营收… is a result). Not a past reference: 2023年底前形成的欠款 / 2023年以前的 /
# 2024年6月前该单位未建立制度. A date before 前 that closes a parenthesis is the time limit of what stands
# before it, a ledger's 时限 column flattened into the text: 制定学习计划（2023年9月底前）.
DEADLINE_BEFORE_PHRASE = lazy(
    _DATE + rf"({_YEAR_PART}|中旬|上旬|下旬)?[\s\u3000]*(前|之前)[，,]?(?![\s\u3000]*[已未没的])"
    r"(?=[\s\u3000]*[\u4e00-\u9fff）)])(?![^，,。；;：:]{0,5}的)(?![^，,。；;：:]{0,8}[未没已])"
)
# A planned date, whatever is to be done by then: 计划2025年6月底前缴库 / 力争2024年下半年全部追回 /
# 计划2025年完成建设 (not 预计2024年完成投资42亿元, an amount).
DEADLINE_PLANNED = lazy(
    r"(?:计划|预计|力争|确保|争取|将|拟|要求|务必|需|须)[于在]?[\s\u3000]*"
    + _DATE
    + rf"({_YEAR_PART}|中旬|上旬|下旬)?[\s\u3000]*(前|之前|以前)?"
    rf"(?=[\u4e00-\u9fff])(?(5)|(?={_RESULT_VERB}(?![^，,。；;]{{0,6}}\d)))"
)
# A deadline's field written into running text (…后实施，计划完成时间：2026年6月。 / 整改时限：2026年12月):
# the labels that name a deadline and nothing else (完成时间： may date what was done).
DEADLINE_FIELD = lazy(
    r"(?:整改完成时限|计划完成时限|计划完成时间|预计完成时间|整改截止时间|整改截止日期|完成时限|整改时限|"
    r"时限要求|整改期限|完成期限|时间节点|办结时限|截止时间|时限)[\s\u3000]*[：:][\s\u3000]*"
    + _DATE
    + rf"({_YEAR_PART}|中旬|上旬|下旬)?[\s\u3000]*(前|之前|以前)?"
)
# A date that is no deadline however it is phrased: a completion (已于2024年5月完成), a progress date
# (截至2024年6月底，…), the start of a period (自2024年3月以来).
_NOT_A_DEADLINE_BEFORE = lazy(r"(?:已(?:经)?(?:于|在)?|截至|截止|自|从)[\s\u3000]*$")
_ISO = lazy(r"(\d\d\d\d)[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")


def _iso(year: str, month: str | None, day: str | None, part: str | None = None) -> str | None:
    y = int(year)
    if not 1949 <= y <= 2100:
        return None
    if not month:
        if part in _MONTH_OF_PART:
            return f"{y:04d}-{_MONTH_OF_PART[part]:02d}"
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


def _past(text: str, start: int) -> bool:
    """Whether the date at ``start`` is stated as done or as a point of progress (已于… / 截至…)."""
    return bool(_NOT_A_DEADLINE_BEFORE.search(text, max(0, start - 4), start))


# A date stated as one still to be met: 2024年12月底前 / 计划2025年6月 / 力争2024年完成.
_AHEAD = lazy(r"前|计划|预计|力争|争取|确保|拟|将于|将在")


@lru_cache(maxsize=_KEPT)
def completion_date_only(text: str) -> bool:
    """Whether the dates of a status phrase that says the work is done are when it was done, not by when
    it was due: ``已完成整改（2024年3月）`` / ``已完成，2024年3月`` (not ``已完成（2024年12月底前）``)."""
    return status_of(text) == "done" and not _AHEAD.search(text)


@lru_cache(maxsize=_KEPT)
def deadline_in_phrase(text: str | None) -> str | None:
    """A date stated as a deadline inside a status phrase or a 完成时限 value, with its printed precision
    (``2025年底前`` is the year's last month, ``2025-12``). A date the work was done on (``已于2024年5月
    完成``) or a point of progress (``截至2024年6月底``) is none; of several dates the latest is the
    deadline (``2021年10月底前完成应急处理，2022年6月底前完成提标改造`` → ``2022-06``)."""
    if not text:
        return None
    if "年" in text:
        found = []
        for match in DATE_IN_TEXT.finditer(text):
            if _past(text, match.start()):
                continue
            end = _RANGE_END.match(text, match.end())
            if end:  # 2024年6月—12月 / 2024年3月至2024年6月: the range ends by its last date
                iso = _iso(end.group(1) or match.group(1), end.group(2), end.group(3), end.group(4))
            else:
                iso = _iso(match.group(1), match.group(2), match.group(3), match.group(4))
            if iso:
                found.append(iso)
        if found:
            return max(found)
        if DATE_IN_TEXT.search(text):
            return None
    dotted = _ISO.search(text)
    if dotted:
        return _iso(dotted.group(1), dotted.group(2), dotted.group(3))
    return None


# The end of a range of dates after its first date: 至12月 / —2024年6月底 / -12月
_RANGE_END = lazy(
    r"[\s\u3000]*(?:至|到|—+|–|-|~|～)[\s\u3000]*(?:(\d{4})[\s\u3000]*年)?[\s\u3000]*(\d{1,2})[\s\u3000]*月"
    r"(?:[\s\u3000]*(\d{1,2})[\s\u3000]*日)?(底|末)?"
)
_RELATIVE_YEAR = lazy(
    r"(今年|本年|当年|明年)(?=[\s\u3000]*(?:\d{1,2}[\s\u3000]*月|年?底|年?末|内|上半年|下半年))"
)


# 年底前 with no year before it (not 每年年底前, 2024年年底前): the report's year's end.
# (The 年 is matched first and looked behind from after it, so that the engine skips from one 年 to
# the next; the same for the digits of a month below. The year is written before what is matched.)
_BARE_YEAR_END = lazy(r"年(?<![\d年]年)(?=底前)")
# A month with no year before a deadline word (6月底前 / 12月10日前, not 每年12月底前 or 2024年6月底前):
# the report's year.
_BARE_MONTH = lazy(
    r"\d(?<![\d年至到—–~～\-]\d)(?=\d?[\s\u3000]*月(?:[\s\u3000]*\d{1,2}[\s\u3000]*日)?[\s\u3000]*"
    r"(?:底|末|中旬|上旬|下旬)?[\s\u3000]*(?:前|之前))"
)


# A month with no year after a plan word (计划10月提交 / 力争于11月完成): the report's year.
_PLANNED_MONTH = lazy(
    r"((?:计划|预计|力争|争取|确保|拟)[于在]?[\s\u3000]*)(?=\d{1,2}[\s\u3000]*月(?![\s\u3000]*份?以来))"
)
# A range of dates (2024年7月—12月 / 2023年10月至2024年3月): what is to be done in it is done by its end.
_DATE_RANGE = lazy(
    r"(\d\d\d\d)[\s\u3000]*年[\s\u3000]*\d{1,2}[\s\u3000]*月(?:[\s\u3000]*\d{1,2}[\s\u3000]*日)?"
    + _RANGE_END.pattern
)


_RANGE_MARK = lazy(r"月[\s\u3000]*(?:\d{1,2}[\s\u3000]*日[\s\u3000]*)?[至到—–\-~～]")


def _range_end(match: re.Match[str]) -> str:
    year, month, day, part = match.group(2) or match.group(1), match.group(3), match.group(4), match.group(5)
    return f"{year}年{month}月" + (f"{day}日" if day else "") + (part or "")


def with_year(text: str, year: int | None) -> str:
    """``text`` with a year named relative to the report's (今年年底前, 明年6月, 年底前, 6月底前) written
    out, when the report's year is known."""
    if year is None:
        return text
    if "年" in text:
        if "今年" in text or "本年" in text or "当年" in text or "明年" in text:  # (_RELATIVE_YEAR's words)
            text = _RELATIVE_YEAR.sub(lambda m: f"{year + (m.group(1) == '明年')}年", text)
        if "年底前" in text:
            text = _BARE_YEAR_END.sub(rf"{year}年\g<0>", text)
    if "月" in text and "前" in text:
        text = _BARE_MONTH.sub(rf"{year}年\g<0>", text)
    if "月" in text and (
        "计" in text or "预" in text or "力" in text or "争" in text or "确" in text or "拟" in text
    ):
        text = _PLANNED_MONTH.sub(rf"\g<1>{year}年", text)
    return text


# A month with no year in a time-limit field (整改时限：12月底 / 10月): a deadline, in the report's year.
_FIELD_MONTH = lazy(r"\d(?<![\d年]\d)(?=\d?[\s\u3000]*月)")  # (see _BARE_MONTH)
# The year's end with no year in a time-limit field: 年底 / 年内 / 本年度内 / 年度内.
_FIELD_YEAR_END = lazy(r"^[\s\u3000]*(?:本|今)?(?:年度?)(?:底|末|内)")
# A date written in Chinese numerals (二〇二四年十二月底前), as official documents print it.
_CN_DATE = lazy(
    r"([〇零○一二三四五六七八九]{4})年(?:([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?)?"
)
_CN_DIGIT = str.maketrans("〇零○一二三四五六七八九", "001123456789")


def _cn_date(match: re.Match[str]) -> str:
    year, month, day = match.group(1), match.group(2), match.group(3)
    out = year.translate(_CN_DIGIT) + "年"
    if month and (m := cn_number(month)):
        out += f"{m}月"
        if day and (d := cn_number(day)):
            out += f"{d}日"
    return out


def arabic_dates(text: str) -> str:
    """``text`` with each date in Chinese numerals written in figures (二〇二四年六月十四日 →
    2024年6月14日), and each date in figures parted by dots, slashes or dashes (2024.6.14,
    2024/06/14, 2024-06-14) written with 年月日, as official documents print a date and the readers
    of dates expect it."""
    if "年" in text and _CN_DATE.search(text):
        text = _CN_DATE.sub(_cn_date, text)
    if ("." in text or "/" in text or "-" in text) and _FIGURE_DATE.search(text):
        text = _FIGURE_DATE.sub(_figure_date, text)
    return text


# A whole date in figures with one separator throughout: 2024.6.14 / 2024/06/14 / 2024-06-14 (not
# part of a longer figure, a version or a file's name: no digit, dot or Latin letter around it).
_FIGURE_DATE = lazy(
    r"(?<![\d.A-Za-z/\-])((?:19|20)\d\d)([./\-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?![\d.A-Za-z/\-]|:\d)"
)


def _figure_date(found: re.Match[str]) -> str:
    return f"{found.group(1)}年{int(found.group(3))}月{int(found.group(4))}日"


@lru_cache(maxsize=_KEPT)
def field_deadline(value: str, year: int | None) -> str | None:
    """The deadline a time-limit field states (整改时限：…): :func:`deadline_in_phrase` of the value,
    its relative year written out (:func:`with_year`); a month alone (``12月底``) or the year's end
    alone (``年内``) is the report's year's, and a date in Chinese numerals is read as one."""
    text = arabic_dates(with_year(value, year))
    if year is not None and "年" not in text and "月" in text:
        text = _FIELD_MONTH.sub(rf"{year}年\g<0>", text, count=1)
    if year is not None and _FIELD_YEAR_END.match(text) and not re.search(r"\d", text):
        return f"{year:04d}-12"
    return deadline_in_phrase(text)


def deadlines_in_text(text: str | None, report_year: int | None = None) -> list[str]:
    """Deadlines stated in running text: a date followed by 前/完成 (``计划于2025年9月底前完成``).

    A year alone counts only with 底/前 (``2025年底前完成``) or a plan to finish (``计划2025年完成建设``):
    ``2024年完成投资42.6亿元`` is a result, ``已于2024年5月完成`` a completion. ``report_year`` reads
    今年年底前 and 6月底前 as that year's.
    """
    if not text or ("年" not in text and (report_year is None or "月" not in text)):
        return []
    text = with_year(text, report_year)
    if "年" not in text:
        return []
    if "月" in text and _RANGE_MARK.search(text):
        text = _DATE_RANGE.sub(_range_end, text)
    found = {}
    for pattern in (DEADLINE_PHRASE, DEADLINE_BEFORE_PHRASE, DEADLINE_PLANNED, DEADLINE_FIELD):
        for match in pattern.finditer(text):
            year, month, day, end, before = match.group(1, 2, 3, 4, 5)
            planned = pattern is DEADLINE_PLANNED or pattern is DEADLINE_FIELD
            if not month and not (end or before or planned):
                continue
            if match.start(1) in found or _past(text, match.start(1)):
                continue
            iso = _iso(year, month, day, end)
            if iso:
                found[match.start(1)] = iso
    return [found[start] for start in sorted(found)]


_FIRST_SENTENCE = lazy(r"(?<=[。；;])")


def opening(text: str) -> str:
    """The first sentence of ``text``, without its full stop."""
    return _FIRST_SENTENCE.split(text, maxsplit=1)[0].rstrip("。；;")


# ---- summaries: statuses by ordinal, counts ------------------------------------------------------------
_ORDINAL = lazy(
    r"第([一二三四五六七八九十\d]{1,3})((?:[、，,和及与][\s\u3000]*(?:第)?[一二三四五六七八九十\d]{1,3})*)[\s\u3000]*(?:项|个|条|类)"
)
_ORDINAL_MORE = lazy(r"[一二三四五六七八九十\d]{1,3}")
# 问题一、问题三已整改完成 (not 问题12个, a count)
_NAMED_ORDINAL = lazy(
    r"问题([一二三四五六七八九十\d]{1,3})(?![\d个项条件类：:])"
    r"((?:[、，,和及与][\s\u3000]*(?:问题)?[一二三四五六七八九十\d]{1,3}(?![\d个项条件类]))*)"
)


_CLAUSES_AND_SENTENCES = lazy(r"(?<=。)|[，,；;]")
_COUNT_CLAUSES = lazy(r"[，,；;。：:]")


def ordinal_statuses(text: str) -> list[tuple[int, str, str]]:
    """``[(n, status, clause), …]`` for a summary that gives statuses by ordinal reference:
    ``第一项、第二项问题已整改完成，第三项正在整改`` → (1, done), (2, done), (3, in_progress).

    The ordinals of a clause wait for the next clause that states a status; the clauses after a
    status that name no ordinal belong to it (``第三项正在整改，预计2025年7月底前完成``).
    """
    if not (("第" in text and _ORDINAL.search(text)) or ("问题" in text and _NAMED_ORDINAL.search(text))):
        # (a clause's ordinal is one of the whole text: a clause ends at a mark neither reads; each
        # pattern opens with its word, which the engine skips to, where one pattern of both would
        # test every character against a class of their first characters)
        return []
    out: list[tuple[int, str, str]] = []
    pending: list[int] = []
    last: list[int] = []  # the entries of ``out`` the clauses that follow belong to
    for clause in _CLAUSES_AND_SENTENCES.split(text):
        if clause.endswith("。"):
            clause = clause[:-1]
            ends = True
        else:
            ends = False
        ordinals = list(_ORDINAL.finditer(clause)) or list(_NAMED_ORDINAL.finditer(clause))
        for match in ordinals:
            numbers = [match.group(1), *_ORDINAL_MORE.findall(match.group(2) or "")]
            pending.extend(n for n in (cn_number(x) for x in numbers) if n)
        if pending:
            status = status_of(clause[clause.rfind("项") + 1 :] if "项" in clause else clause)
            if status:
                last = list(range(len(out), len(out) + len(pending)))
                out.extend((n, status, clause) for n in pending)
                pending = []
        elif not ordinals and clause.strip() and last:
            for index in last:
                n, status, said = out[index]
                out[index] = (n, status, f"{said}，{clause}")
        if ends:  # a sentence's ordinals wait for no status beyond it
            pending, last = [], []
    return out


# 共反馈问题12个，已完成10个，整改完成率83%: counts of problems and of their rectification.
_COUNT_CLAUSE = lazy(
    r"(?:\d+|[一二三四五六七八九十百两]+)[\s\u3000]*(?:个|项|条|类|件|起|笔|家|处|人次|人|%|％)"
)
# … and the sums they involve: 涉及金额237054.47万元 / 追缴资金7.6亿元
_AMOUNT_CLAUSE = lazy(r"\d+(?:\.\d+)?[\s\u3000]*(?:万元|亿元|元)")
_COUNT_SUBJECT = lazy(r"问题|整改|完成|销号|办结|任务|措施|完成率|整改率")
# 整改情况已在村务公开栏公示 / 已向社会公开: the counted rectification made public.
_MADE_PUBLIC = lazy(
    r"^[\s\u3000]*(?:整改(?:情况|结果))?[^，,；;。]{0,14}?(?:公示|公开|公布)[\s\u3000。；;]*$"
)
_CONNECTOR = lazy(r"^[\s\u3000]*(?:其中|目前|截至目前|截止目前|截至.{2,12}|共|合计|总计)?[\s\u3000]*$")


@lru_cache(maxsize=_KEPT)
def is_count_summary(text: str) -> bool:
    """Whether ``text`` only counts problems and their rectification (``共反馈问题12个，已完成10个。``),
    with the sums involved; a copy cut inside its last clause still counts."""
    return count_clauses(text) > 0


# 部门预算执行审计查出问题的整改情况，审计了6家单位，…: the category a count summary is about.
_COUNT_TOPIC = lazy(r"^[^\d]{2,40}?(?:整改情况|整改进展|情况|方面)$")


@lru_cache(maxsize=_KEPT)
def count_clauses(text: str) -> int:
    """How many clauses of ``text`` count problems or their rectification, when that is all it does
    (0 when it does anything else): the sums involved, how far they came and connectors may stand
    between them, and a first clause may name the category counted (…查出问题的整改情况，…)."""
    text = text.strip()
    if not text or len(text) > 400:
        return 0
    clauses = [c for c in _COUNT_CLAUSES.split(text) if c.strip()]
    if not text.endswith(("。", "；", ";", "！", "!")) and len(clauses) > 1:
        clauses = clauses[:-1]  # the copy ends inside this clause
    topic = len(clauses) > 1 and bool(_COUNT_TOPIC.match(clauses[0].strip()))
    if topic:  # … then what was done to find them may be counted first: 审计了6家单位，指出16个问题
        clauses = clauses[1:]
    counted = 0
    for clause in clauses:
        if _COUNT_CLAUSE.search(clause) and (counted or topic or _COUNT_SUBJECT.search(clause)):
            counted += 1
        elif counted and (
            _AMOUNT_CLAUSE.search(clause)
            or (len(clause) <= 12 and status_of(clause))
            or _MADE_PUBLIC.search(clause)
        ):
            continue  # the sums involved, how far they came (已全部办结), where it was made public
        elif not _CONNECTOR.match(clause):
            return 0
    return counted if _COUNT_SUBJECT.search(text) else 0


# A count that says how far the rectification came (已完成整改 / 正在整改中), not that it fell short.
_COUNT_PROGRESS = lazy(
    r"(?<![未没])(?:已(?:全部)?(?:完成|整改|办结|销号)|完成整改|整改完成|正在整改|办结|销号)"
)


@lru_cache(maxsize=_KEPT)
def is_count_sentence(text: str) -> bool:
    """A numbered item printed as one sentence that counts problems and how far their rectification
    came (1、审计报告指出14个问题，要求立行立改的12个问题已完成整改，2个…正在整改中。): two counts
    or more and a word of progress (or a lead naming the rectification counted: …的整改情况，); "2个问题
    整改不到位，3项措施未落实" is a finding, not a count."""
    if count_clauses(text) < 2:
        return False
    return bool(_COUNT_PROGRESS.search(text) or _RECTIFICATION_TOPIC.match(text))


# …查出问题的整改情况，…: a sentence about the rectification of a category, its progress maybe cut off.
_RECTIFICATION_TOPIC = lazy(r"^[^，,；;。：:\d]{2,40}?整改(?:情况|进展)[，,：:]")


# ---- the report's closing --------------------------------------------------------------------------------
# A paragraph that closes the report: an invitation to supervise, a contact, an attachment.
CLOSING_FIRST = frozenset("欢特如以联监举公邮通电来广对就附主感")  # (past white space: see STATUS_LEAD_FIRST)
CLOSING = lazy(
    r"^[\s\u3000]*(?:欢迎|特此|如有意见|如对|(?:以上[^，,。；;]{0,12}?)?如有(?:意见|异议)|联系电话|联系人|联系方式|监督电话|举报电话|公示时间|公示期|"
    r"邮政信箱|通信地址|通讯地址|电子邮箱|来信请寄|来信来访|广大干部群众(?:如|若|对)|"
    r"(?:对|就)[^。，,]{0,24}(?:有|提出)(?:任何)?(?:意见|建议)|"
    r"附件[:：\d１-９一二三]|附表|主任、|感谢)"
)
# Prose that looks ahead after the report's last item: 下一步，我们将… / 今后，… / 接下来，…
OUTLOOK_OPENING = lazy(
    r"^[\s\u3000]*(?:(?:在)?(?:下一步|下步|今后|接下来|下阶段|下一阶段)(?:的?工作中)?|总之|综上|总的来看|总体来看)[，,：:]?"
)
# … or that reports what someone said of the work (a news item's close: 何建明对…整改工作给予肯定，…
# 他要求，… / 周文涛表示，…): a person by name or pronoun, not a body (该局要求各站… is what it did).
REPORTED_SPEECH = lazy(
    r"^[\s\u3000]*(?:他|她|[\u4e00-\u9fff]{1,3}[^\W\d_局委办院部组校司党厅所站会镇乡村区县市省处科室队府位业门])"
    r"(?:同志)?(?:对[^。；;]{1,40}?给予[^。；;]{0,4}肯定|(?:在讲话中)?(?:指出|强调|要求|表示|希望)[，,：:])"
)
# … or that sums up the problems not listed (其余5个问题已于审计期间立行立改，整改完毕。 / 其余问题均已
# 整改完成): it speaks of no item above it.
REST_SUMMARY = lazy(
    r"^[\s\u3000]*(?:其余|其他|另有)(?:[\d一二三四五六七八九十]{1,3}(?:个|项|条))?(?:问题|事项|整改任务)"
)
# … or that says what the body will go on doing: 局党组将以此次巡察整改为契机，…
RESOLVE_OPENING = lazy(
    r"^[\s\u3000]*(?![一二三四五六七八九十]{1,2}是|同时)[^，,。；;：:]{1,14}?将(?:继续|持续|进一步|始终|坚持|以此次|以这次|以本次|认真|切实|把)"
)


# ---- round ---------------------------------------------------------------------------------------------
KIND_WORDS = (
    ("巡视", "巡视"),
    ("巡察", "巡察"),
    ("审计", "审计"),
    ("督察", "督察"),
    ("督查", "检查"),
    ("检查", "检查"),
)
KIND_RE = lazy("巡视|巡察|审计|督察|督查|检查")
KIND_OF = dict(KIND_WORDS)


@dataclass
class StatusInfo:
    status: str | None = None
    deadline: str | None = None
    long_term: bool = False
    text: str | None = None
