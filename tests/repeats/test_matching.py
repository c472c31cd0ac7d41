"""Matching new findings against earlier ones (core.repeats), measured on the labelled pairs of
tests/data/repeats/pairs.json: real statements of tests/data/corpus (not heldout), paired with
another report's statement of the same finding or a 回头看 restatement (same), or with a
different finding of the same category (not the same)."""

from __future__ import annotations

import json
from pathlib import Path

from zhenggai.core import repeats
from zhenggai.core.repeats import match_repeats, statement_core, top_category

PAIRS = json.loads((Path(__file__).parents[1] / "data" / "repeats" / "pairs.json").read_text("utf-8"))[
    "pairs"
]


def test_the_labelled_pairs_are_found_with_the_precision_and_recall_asked():
    tp = fp = fn = 0
    for index, pair in enumerate(PAIRS):
        found = match_repeats(
            [(2 * index, pair["category"], pair["earlier"])],
            [(2 * index + 1, pair["category"], pair["later"])],
        )
        tp += bool(found) and pair["same"]
        fp += bool(found) and not pair["same"]
        fn += (not found) and pair["same"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nrepeats on {len(PAIRS)} labelled pairs: precision {precision:.2f}, recall {recall:.2f}")
    assert sum(p["same"] for p in PAIRS) >= 50 and sum(not p["same"] for p in PAIRS) >= 50
    assert precision >= 0.85
    assert recall >= 0.7


def test_all_the_pairs_at_once_find_the_same_as_one_by_one():
    earlier = [(i, p["category"], p["earlier"]) for i, p in enumerate(PAIRS)]
    new = [(1000 + i, p["category"], p["later"]) for i, p in enumerate(PAIRS)]
    found = {(r.new_id - 1000, r.earlier_id) for r in match_repeats(earlier, new)}
    for i in range(len(PAIRS)):
        alone = bool(match_repeats([earlier[i]], [new[i]]))
        assert ((i, i) in found) is alone


def test_the_words_that_restate_an_old_finding_do_not_count():
    assert statement_core("上轮巡察指出的村级财务白条入账问题仍然存在") == statement_core("村级财务白条入账")


def test_the_unit_s_own_name_is_left_out():
    a = "Y社区党工委财务报销票据审核把关不严，部分报销凭证缺少签字。"
    b = "X街道党工委财务报销票据审核把关不严，部分报销凭证缺少签字。"
    assert (
        match_repeats([(1, "finance", a)], [(2, "finance", b)], ["Y社区党工委", "X街道党工委"])[0].similarity
        == 1.0
    )


def test_categories_compare_by_their_top_level_code():
    a = "财务报销票据审核把关不严，部分报销凭证缺少经办人、审核人签字。"
    b = "财务票据审核不严，部分报销凭证缺少经办人签字。"
    assert top_category("conduct.eight_rules") == "conduct" and top_category("") == "other"
    assert match_repeats([(1, "finance.reimbursement", a)], [(2, "finance", b)])
    assert not match_repeats([(1, "conduct", a)], [(2, "finance", b)])


def test_other_matches_another_category_only_when_very_close():
    a = "财务报销手续不全，部分支出凭证缺少经办人、证明人签字。"
    close = "财务报销手续不全，部分支出凭证缺少经办人签字。"
    loose = "部分费用报销审批手续不全，2022年有46笔报销单据缺少经办人签字。"  # about 0.3 the same
    assert match_repeats([(1, "finance", a)], [(2, "other", close)])
    assert match_repeats([(1, "other", a)], [(2, "finance", close)])
    assert match_repeats([(1, "finance", a)], [(2, "finance", loose)])
    assert not match_repeats([(1, "finance", a)], [(2, "other", loose)])


def test_statements_of_other_categories_are_never_compared(monkeypatch):
    """Bands are looked up, not all pairs compared: 300 × 300 statements of two categories make no
    comparison at all."""
    calls = []
    real = repeats.similarity
    monkeypatch.setattr(repeats, "similarity", lambda a, b: calls.append(1) or real(a, b))
    statements = [p["earlier"] for p in PAIRS] * 3
    earlier = [(i, "finance", s) for i, s in enumerate(statements)]
    new = [(10_000 + i, "conduct", s) for i, s in enumerate(statements)]
    assert match_repeats(earlier, new) == []
    assert calls == []
