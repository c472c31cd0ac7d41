"""The kinds of section a rectification report is made of, told from a heading and its content.

A report (整改情况的报告/通报) runs: a preamble (who inspected whom, when); an overall situation
(整改工作总体情况); how the rectification was organised (加强领导、压实责任 / 整改工作开展情况); the
findings with their measures (巡察反馈问题整改落实情况); a summary of progress (整改进展总体情况,
整改成效); what comes next (下一步工作打算); and a contact (联系电话、邮政信箱). Only the findings
section states problems: every other kind holds prose, and its numbered items are headings.

A top-level section's kind is read from its heading first (:func:`heading_kind`) and then from what
its items hold (:func:`section_kind`): items with no problem statement and no measures, only an
account of what was done, make an organisation section whatever its heading says; a heading that
promises an overall situation, organisation or progress gives way when its items state problems or
carry measures markers, statuses and fields. Below a section of findings, a part with children or a
slogan title is read the same way (structure.py), and an item whose text only counts problems is a
heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from zhenggai.core import phrases as ph
from zhenggai.core.lazy_re import lazy

# The kind of a heading and whether a title names a problem are asked again of the same titles
# (a section's, then a part's, then an item's): the answers are kept, each a title's alone.
_KEPT = 1024

PREAMBLE = "preamble"
OVERALL = "overall"
ORGANISATION = "organisation"
FINDINGS = "findings"
PROGRESS = "progress"
OUTLOOK = "outlook"
CONTACT = "contact"
# Kinds whose items are headings and hold prose, not problems.
PROSE_KINDS = frozenset({PREAMBLE, OVERALL, ORGANISATION, PROGRESS, OUTLOOK, CONTACT})

_OUTLOOK = lazy(r"下一步|下步工作|今后|打算|努力方向|工作展望|工作计划|下阶段|下一阶段|后续工作|后续安排")
_CONTACT = lazy(r"联系电话|联系方式|邮政信箱|通信地址|通讯地址|电子邮箱|来信来访|监督电话|举报电话")
# 总体情况 even with 问题 before it: 巡察反馈问题整改工作总体情况 / 审计查出问题整改的总体情况.
_OVERALL = lazy(r"总体(?:整改)?情况|总体部署|总体推进|整体情况|基本情况|概况|工作开展情况|整改工作情况$")
_PROGRESS = lazy(r"成效|进展总体|总体进展|完成总体|整改进度|完成情况$|进展情况$|取得的?成果")
# Words a heading about how the work was organised uses.
_ORGANISATION = lazy(
    r"(?<!无)组织|部署|推进情况|主体责任|责任落实|落实责任|评价|处理情况|建议|主要做法|工作措施|体会|经验|工作开展|领导|机制"
)
# Words a problem's title or a category of problems uses.
PROBLEM_WORDS = lazy(
    r"问题|不到位|不够|不足|不严|不力|不实|不强|不高|不深|不细|不优|不规范|不完善|不健全|不彻底|不及时|不精准|"
    r"不积极|不落实|不严格|不扎实|不充分|不明显|不准确|薄弱|缺失|缺位|缺乏|滞后|差距|短板|欠缺|松散|弱化|偏差|"
    r"隐患|方面|较差|较弱|较低|未按|未能|未经|违规|违反|失职|偏少|偏低|流于形式|走过场|打折扣|"
    r"混乱|老化|随意|宽松|虚化|空转|失衡|不当|超标|超支|挪用|挤占|截留|闲置|浪费|违纪|违法|虚报|冒领|套取|缺少|"
    r"欠账|乏力|淡化|低下|脱节|形式主义|官僚主义|漏洞|未(?!来)[\u4e00-\u9fff]|"
    r"缓慢|迟缓|拖欠|拖延|超出|超概算|偏慢|偏高|偏大|过高|过多|"
    # a clause that ends in a negated predicate: 基层治理不均衡。 / 作用发挥不明显，
    r"不(?![懈断止息移渝怠忘折])[\u4e00-\u9fff]{1,2}(?=[。，,；;、）)”\s]|$)"
)
# The verbs that open an organisational slogan: 加强领导、压实责任 / 提高政治站位，扛牢整改责任.
_SLOGAN_VERB = lazy(
    # after the body that acts, if it is named first: 党委高度重视 / 我局迅速部署
    r"^(?:[^\s，,、。]{0,6}?(?:党委|党组|党支部|支部|总支|班子|局|委|院|公司|集团|镇|街道|社区|学校|医院|中心|部门|单位)"
    r"|我们|我局|我委|我院|我镇|我单位)?"
    # … and the exhortation of a meeting's requirements: 要压实整改责任 / 必须坚持问题导向
    r"(?:要|必须|务必)?"
    r"(?:立即|及时|第一时间|多措并举|加强|强化|提高|提升|压实|扛牢|扛起|担起|坚持|突出|聚焦|健全|完善|注重|狠抓|严格|建立|深化|巩固|"
    r"落实|推动|夯实|统筹|抓实|抓好|抓牢|细化|明确|高位|从严|立足|坚决|切实|全面|持续|着力|对照|主动|认真|"
    r"迅速|精心|周密|凝聚|层层|形成|做好|做实|用好|把|以|树牢|增强|筑牢|织密|贯通|构建|靠前|带头|"
    r"高度重视|提高站位|站位)"
)
_CLAUSE = lazy(r"[，,、；;。：:\s\u3000]+")


# 尚未完成整改的问题及原因 / 尚未整改到位问题的原因及后续安排 / 未完成整改事项的原因: why some is left.
_UNFINISHED_REASONS = lazy(r"(?:尚未|未能?|没有)(?:完成|整改|全部)[\u4e00-\u9fff]{0,14}?原因")


@lru_cache(maxsize=_KEPT)
def heading_kind(title: str) -> str | None:
    """The kind a top-level heading announces, or None when its words leave it open.

    What a heading says of the problems decides over the bare word 问题: 审计反映问题整改责任落实情况
    is about organisation, 审计反馈问题整改完成情况 a progress summary, 巡察反馈问题整改落实情况 (no aspect
    named) the findings. A situation (预算执行情况) is an overall account, not a problem.
    """
    title = title.strip().rstrip("。；;")
    if _OUTLOOK.search(title):
        return OUTLOOK
    if _CONTACT.search(title):
        return CONTACT
    if _OVERALL.search(title):
        return OVERALL
    if _UNFINISHED_REASONS.search(title):
        return PROGRESS  # 尚未完成整改的问题及原因: an account of what is left, not a finding
    negative = [w for w in PROBLEM_WORDS.findall(title) if w not in ("问题", "方面")]
    if negative or title.endswith("方面"):
        return FINDINGS
    if _ORGANISATION.search(title) or is_slogan(title):
        return ORGANISATION
    if _PROGRESS.search(title):
        return PROGRESS
    if "问题" in title:
        return FINDINGS
    if title.endswith("情况") and "整改" not in title:
        return OVERALL
    return None


@lru_cache(maxsize=_KEPT)
def is_slogan(title: str) -> bool:
    """A heading made of short verb phrases that say what was done (加强领导、压实责任), no problem."""
    title = title.strip().rstrip("。；;！!")
    if not title or len(title) > 40:
        return False
    if title.startswith("关于") or title.endswith(("问题", "方面", "情况")):
        return False  # (tested first: a string's ends cost less than the patterns below)
    clauses = [c for c in _CLAUSE.split(title) if c]
    if not clauses or any(len(c) > 16 for c in clauses):
        return False
    negative = PROBLEM_WORDS.search(title)
    if negative and negative.group(0) not in ("问题", "方面"):
        return False
    return bool(_SLOGAN_VERB.match(clauses[0]))


# The verbs that open a numbered action under a problem: 1.深入学习贯彻…。省委常委会…
_ACTION_VERB = lazy(
    r"^(?:深入|开展|制定|组织|召开|修订|出台|印发|规范|加大|推进|实施|整治|清理|查处|督促|配齐|调整|优化|举办|"
    r"培训|梳理|排查|集中|专题|逐项|狠抓|扎实|大力|积极|不断|进一步|着眼|围绕|紧扣|针对|严肃|严查|建设|开设|"
    r"设立|成立|推行|探索|加快|完成|压紧|抓紧|全力|从严|落细|守牢|严把|严控|强力|"
    # … and those that open what was done by a date or a rhythm: 将…纳入… / 每月调度… / 编制…计划
    r"将|把|编制|建立|健全|完善|明确|定期|每月|每季度|每半年|每年|全面|逐一|及时|重新|追回|收回|退还|拨付|约谈)"
)


@lru_cache(maxsize=_KEPT)
def states_problem(title: str) -> bool:
    """A title that names a problem (关于…的问题 / 制度执行不严), not a category (…方面) or a slogan,
    nor one it says was resolved (基层治理短板有效补齐 / 群众反映的问题得到解决: an achievement)."""
    words = [w for w in _unresolved(title) if w != "方面"]
    return bool(words) and not is_slogan(title)


def _unresolved(title: str) -> list[str]:
    """The problem words of ``title`` that it does not say were made good (_RESOLVED)."""
    return [m.group(0) for m in PROBLEM_WORDS.finditer(title) if _RESOLVED.match(title, m.end()) is None]


# What says a shortcoming was made good: 短板有效补齐, 漏洞得到堵塞, 问题得到解决, 差距逐步缩小.
# (the thing may be named between: 违法用地得到有效遏制)
_RESOLVED = lazy(
    r"[\u4e00-\u9fff]{0,4}?(?:得到|得以|有效|进一步|逐步|全面|基本|已经|已|明显|切实|不断|有序)*"
    r"(?:补齐|补上|堵塞|堵住|解决|扭转|纠正|消除|改善|化解|弥补|清零|缩小|根治|遏制|杜绝)"
)


def opens_with_action(title: str) -> bool:
    """Whether ``title`` opens with a verb of what was done (建立…, 开展…, 督促…), whatever it names."""
    title = title.strip()
    return bool(title) and bool(_SLOGAN_VERB.match(title) or _ACTION_VERB.match(title))


def is_action(title: str) -> bool:
    """A numbered line that says what was done (深入学习贯彻…。/ 加强制度建设。), no problem in it."""
    title = title.strip()
    if not title or states_problem(title):
        return False
    return bool(_SLOGAN_VERB.match(title) or _ACTION_VERB.match(title))


@dataclass(slots=True)
class ItemView:
    """What the kind of a section is told from, for one of its numbered items (or itself)."""

    title: str
    prose: list[str]  # paragraphs of running text under the item
    marked: bool  # a measures marker, a status, a labelled field: the shape of a finding
    leaf: bool


def looks_like_finding(item: ItemView) -> bool:
    """An item that states a problem or carries the fields of one."""
    if item.marked:
        return True
    title = item.title.strip()
    return bool(_unresolved(title)) and not is_slogan(title)


def is_summary(item: ItemView) -> bool:
    """An item whose running text only counts problems or gives statuses by ordinal; an item with no
    running text, when its title is one sentence that counts problems and their progress."""
    if item.marked:
        return False
    if not item.prose:
        return ph.is_count_sentence(item.title)
    return all(ph.is_count_summary(p) or ph.ordinal_statuses(p) for p in item.prose)


def section_kind(title: str, items: list[ItemView]) -> str:
    """The kind of a top-level section: its heading (``title``) and its items, the section itself first.

    - outlook and contact headings hold prose, whatever follows them;
    - an overall-situation, organisation or progress heading holds prose unless its items state
      problems or carry measures markers, statuses or fields (the shape of findings);
    - otherwise, items that state no problem and carry no fields, under a slogan heading or with
      slogan titles, are an account of how the work was organised;
    - a section whose text only counts problems or gives statuses by ordinal is a progress summary;
    - what is left holds findings if an item carries a finding's fields, and prose otherwise.
    """
    announced = heading_kind(title)
    if announced in (OUTLOOK, CONTACT):
        return announced
    leaves = [item for item in items if item.leaf]
    below = [item for item in leaves if item is not items[0]]
    if announced in (OVERALL, ORGANISATION, PROGRESS):
        # Items that state problems, at any depth, make findings whatever the heading promised; so
        # does a section that is one item, when it states a problem and carries a finding's fields.
        if any(looks_like_finding(item) for item in items[1:]):
            return FINDINGS
        alone = items[0] if len(items) == 1 else None
        return FINDINGS if alone and alone.marked and states_problem(alone.title) else announced
    if leaves and all(is_summary(item) for item in leaves):
        return PROGRESS
    if announced == FINDINGS or any(looks_like_finding(item) for item in leaves):
        return FINDINGS
    if is_slogan(title) or (below and all(is_slogan(item.title) or is_action(item.title) for item in below)):
        return ORGANISATION
    # A finding states a problem or carries a finding's fields: a section with neither is an account.
    return FINDINGS if any(item.marked for item in items) else ORGANISATION
