"""A first guess at a problem's category from its words; the clerk corrects it where wrong."""

from __future__ import annotations

from zhenggai.ledger.models import ProblemCategory

# Checked in order: the first rule whose word appears wins. Finance and ideology words are
# specific, so they come before the broad "party building" words.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    (ProblemCategory.FINANCE, ("财务", "资金", "经费", "票据", "预算", "现金", "固定资产", "账", "资产")),
    (ProblemCategory.IDEOLOGY, ("意识形态", "阵地", "公众号", "舆论", "网络安全")),
    (
        ProblemCategory.MAIN_RESPONSIBILITY,
        ("主体责任", "两个责任", "从严治党", "一岗双责", "党风廉政", "廉政"),
    ),
    (ProblemCategory.CONDUCT, ("作风", "纪律", "迟到", "早退", "形式主义", "官僚主义", "四风")),
    (ProblemCategory.ORGANISATION, ("党员", "支部", "组织生活", "三会一课", "党建", "学习", "民主评议")),
    (ProblemCategory.PEOPLES_LIVELIHOOD, ("低保", "救助", "居民", "群众", "民生", "信访", "服务")),
    (ProblemCategory.PARTY_LEADERSHIP, ("决策部署", "贯彻落实", "上级", "重点工作", "政治")),
]


def guess_category(*texts: str) -> str:
    joined = "".join(t for t in texts if t)
    for category, words in _RULES:
        if any(word in joined for word in words):
            return category
    return ProblemCategory.OTHER
