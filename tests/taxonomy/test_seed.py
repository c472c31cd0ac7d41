"""The seeded taxonomy and rules, and how many real problems they classify."""

from __future__ import annotations

import glob
from pathlib import Path

from zhenggai.core.classify import compile_rules, pattern_error
from zhenggai.core.parse import parse_path
from zhenggai.taxonomy.models import Category, ClassificationRule
from zhenggai.taxonomy.rules import Classifier, stored_rules
from zhenggai.taxonomy.seed import ensure_seeded

CODES = {
    "politics": ["political_awareness", "discipline", "theory_study"],
    "decisions": ["major_policies", "core_business", "risk"],
    "responsibility": ["main", "supervision", "integrity", "power"],
    "conduct": ["eight_rules", "formalism", "work_discipline"],
    "organisation": ["branches", "party_life", "members", "dues"],
    "ideology": ["responsibility", "positions"],
    "finance": ["funds", "assets", "procurement", "reimbursement"],
    "livelihood": ["services", "benefits", "petitions"],
    "personnel": ["selection", "supervision", "talent"],
    "rectification": ["previous", "audit"],
    "other": [],
}
ROOT = Path(__file__).resolve().parents[2]


def test_the_usual_headings_and_their_sub_categories_are_seeded(db):
    rows = {c.code: c for c in Category.objects.select_related("parent")}
    expected = set(CODES) | {f"{top}.{sub}" for top, subs in CODES.items() for sub in subs}
    assert set(rows) == expected
    for code, category in rows.items():
        assert category.active
        assert (category.parent.code if category.parent else None) == (
            code.split(".")[0] if "." in code else None
        )
    assert rows["conduct.eight_rules"].name == "中央八项规定精神"
    assert rows["decisions"].name == "落实上级决策部署"


def test_every_seeded_rule_is_valid_and_names_a_category(db):
    rules = list(ClassificationRule.objects.select_related("category"))
    assert len(rules) >= 30
    assert all(r.kind != "pattern" or pattern_error(r.terms) is None for r in rules)
    assert len(compile_rules(stored_rules())) == len(rules)
    assert {r.category.code.split(".")[0] for r in rules} >= set(CODES) - {"other"}


def _corpus_problems() -> list[tuple[str, str, list[str]]]:
    files = sorted(glob.glob(str(ROOT / "tests/data/corpus/*.txt")))
    found = []
    for name in files:
        ledger = parse_path(name)

        def walk(nodes, headings):
            for node in nodes:
                title = node.get("title") or ""
                if node.get("problem"):
                    found.append((title, node["problem"], headings))
                walk(node.get("children") or [], [title, *headings])

        walk(ledger.get("sections") or [], [])
    return found


def test_the_seeded_rules_classify_most_problems_of_real_reports(db):
    classifier = Classifier.from_database()
    problems = _corpus_problems()
    codes = [classifier.code(title, statement, headings) for title, statement, headings in problems]
    classified = sum(code != "other" for code in codes)
    print(f"\ncorpus: {classified} of {len(problems)} problems classified (not other)")
    assert len(problems) > 200
    assert classified >= 0.9 * len(problems)
    # Not one category for everything: the real reports spread over most headings.
    assert len({code.split(".")[0] for code in codes}) >= 9


def test_some_real_problems_land_where_a_reader_would_put_them(db):
    classifier = Classifier.from_database()
    assert classifier.code("公务接待管理不规范", "部分公务接待未附公函和接待清单") == "conduct.eight_rules"
    assert classifier.code("“三重一大”决策制度执行不严格", "") == "responsibility.power"
    assert classifier.code("上轮巡察指出的村级财务“白条入账”问题仍有反弹。", "") == "rectification.previous"
    assert classifier.code("发展党员程序不规范", "档案资料不完整") == "organisation.members"
    assert (
        classifier.code("选人用人工作不规范", "个别中层干部提拔未按规定进行考察公示") == "personnel.selection"
    )
    assert classifier.code("阵地建设缓慢滞后。", "社区工作站微信公众号建设不够完善") == "ideology.positions"


def test_an_emptied_taxonomy_is_seeded_again_before_classifying(db):
    ClassificationRule.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()
    assert Classifier.from_database().code("公务接待超标", "") == "conduct.eight_rules"
    assert Category.objects.count() == sum(1 + len(subs) for subs in CODES.values())
    assert not ensure_seeded()  # once
