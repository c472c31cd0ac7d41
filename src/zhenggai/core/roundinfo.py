"""The inspection round a report answers: kind, inspector, target and feedback date.

Read from the title and the preamble's two standard sentences — ``X巡察组对Y进行了巡察`` (on site)
and ``Z年M月D日，X巡察组向Y反馈了巡察意见`` (feedback) — and, for audit reports, from the
audit office that signs or is named. What is not stated stays None: the reader never guesses.
"""

from __future__ import annotations

import re

from zhenggai.core.ledger import Round, new_round
from zhenggai.core.phrases import KIND_OF, KIND_RE

_ORDINAL = r"第[一二三四五六七八九十\d]{1,3}(?:轮)?"
_GROUP = r"(?:巡视|巡察|督察|督查|检查|审计)组"
# 县委第三巡察组, 省委第五巡视组, 中央第二生态环境保护督察组, 区委巡察组, 集团党委第一巡察组
INSPECTOR = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(?:中共)?[\u4e00-\u9fff]{2,8}?[省市州县区旗]委|[省市州县区旗]委|中央|"
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,10}?(?:党委|党组))?"
    + _ORDINAL
    + r"[\u4e00-\u9fff]{0,8}?"
    + _GROUP
    + r"|(?:中央|[省市州县区旗]委)"
    + _GROUP
)
_BARE_GROUP = re.compile(r"(?:巡视|巡察)组")
_PRONOUN = re.compile(r"^(?:我|本)[\u4e00-\u9fff]{0,3}$")
_ON_SITE = re.compile(
    r"对([^，。,；;：:“”\"《》\s]{2,30}?)(?:进行了|开展了|开展|进行)[\u4e00-\u9fff]{0,8}?(?:巡视|巡察|督察|督查|检查|审计)"
)
_AUDIT_TARGET = re.compile(
    r"对([\u4e00-\u9fff]{2,20}?)(?:\d{4}年度?[^。；;]{0,40}?)?(?:进行了|开展了)[\u4e00-\u9fff]{0,6}?审计"
)
_FEEDBACK = re.compile(r"向([^，。,；;：:“”\"《》\s]{2,30}?)(?:集中)?反馈了?")
_DATE_MD = re.compile(
    r"(?:(\d{4})[\s\u3000]*年[\s\u3000]*)?(\d{1,2})[\s\u3000]*月[\s\u3000]*(\d{1,2})[\s\u3000]*日"
)
_YEAR = re.compile(r"(\d{4})[\s\u3000]*年")
# An office that signs or is named: 宁波市审计局, 青岚市审计局局长, 审计署
_AUDIT_OFFICE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|州|自治区|盟|旗))?审计(?:厅|局)|审计署"
)
_PUBLISHER = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,12}?(?:办公室|领导小组|委员会|办|委|局|厅|部|中心))(?:发布|通报|印发|公布)"
)
_TITLE_TARGET = re.compile(
    r"^(?:中共)?([\u4e00-\u9fff]{2,30}?(?:党组|党委|党工委|委员会|党总支|党支部))(?:关于)?落实"
)
_LEAD_JUNK = re.compile(r"^[年月日至和及由经对向于在]+")


def read_round(title: str | None, preamble: str | None) -> Round:
    """Round fields from the title and the preamble text."""
    rnd = new_round()
    rnd["kind"] = _kind(title, preamble)
    sentences = re.split(r"[。！!？?\n]", preamble or "")
    on_site = next((s for s in sentences if _ON_SITE.search(s) and INSPECTOR.search(s)), None)
    feedback = next(
        (
            s
            for s in sentences
            if "反馈" in s and (_FEEDBACK.search(s) or _DATE_MD.search(s, 0, s.find("反馈")))
        ),
        None,
    )
    inspector = None
    for source in (on_site, feedback, title):
        if source and (found := INSPECTOR.search(source)):
            inspector = _LEAD_JUNK.sub("", found.group(0))
            break
    if inspector is None and rnd["kind"] == "审计":
        found = _AUDIT_OFFICE.search(title or "") or _AUDIT_OFFICE.search(preamble or "")
        inspector = found.group(0) if found else None
    if inspector is None and rnd["kind"] in ("检查", "督察"):
        first = sentences[0] if sentences else ""
        found = _PUBLISHER.search(first)
        inspector = found.group(1) if found else None
    rnd["inspector"] = inspector
    rnd["target"] = _target(title, preamble, on_site, feedback, rnd["kind"])
    rnd["feedback_date"] = _feedback_date(feedback, preamble or "")
    return rnd


def _kind(title: str | None, preamble: str | None) -> str | None:
    for source in (title, preamble):
        if source and (found := KIND_RE.search(source)):
            return KIND_OF[found.group(0)]
    return None


def _target(title, preamble, on_site, feedback, kind) -> str | None:
    if on_site:
        found = _ON_SITE.search(on_site)
        if found and not _PRONOUN.match(found.group(1)):
            return found.group(1)
    if feedback and (on_site or INSPECTOR.search(feedback) or _BARE_GROUP.search(feedback)):
        found = _FEEDBACK.search(feedback)
        if found and not _PRONOUN.match(found.group(1)):
            return found.group(1)
    if kind == "审计" and preamble:
        found = _AUDIT_TARGET.search(preamble)
        if found and not _PRONOUN.match(found.group(1)):
            return found.group(1)
    if title and INSPECTOR.search(title):
        found = _TITLE_TARGET.match(title.strip())
        if found:
            return title.strip()[: found.end(1)]
    return None


def _feedback_date(feedback: str | None, preamble: str) -> str | None:
    if not feedback:
        return None
    cut = feedback.find("反馈")
    dates = list(_DATE_MD.finditer(feedback, 0, cut if cut >= 0 else len(feedback)))
    if not dates:
        return None
    year, month, day = dates[-1].group(1, 2, 3)
    if not year:
        # 10月24日，巡察组向…反馈: the year is the last one printed before it (the on-site period's).
        before = preamble[: preamble.find(feedback)] if feedback in preamble else ""
        years = _YEAR.findall(before + feedback[: dates[-1].start()])
        if not years:
            return None
        year = years[-1]
    m, d = int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{int(year):04d}-{m:02d}-{d:02d}"
