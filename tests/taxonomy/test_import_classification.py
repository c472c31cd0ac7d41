"""Problems are classified by the office's rules when a ledger is imported (and in the demo)."""

from __future__ import annotations

from django.core.management import call_command

from zhenggai.ledger.models import Problem
from zhenggai.ledger.services import import_subtree, round_import_ledger
from zhenggai.ledger.tally import tally_differences, tally_rebuild
from zhenggai.taxonomy.models import Category, ClassificationRule

LEDGER = {
    "schema": "zhenggai.ledger/1",
    "title": "甲社区巡察整改",
    "round": {"kind": "巡察", "feedback_date": "2024-05-01"},
    "sections": [
        {
            "label": "一、",
            "number": 1,
            "level": 1,
            "title": "落实全面从严治党主体责任不到位方面",
            "children": [
                {
                    "label": "1.",
                    "number": 1,
                    "level": 2,
                    "title": "公务接待管理不规范",
                    "problem": "部分公务接待未附公函。",
                    "measures": [{"text": "建立公务接待审批制度。"}],
                },
                {
                    "label": "2.",
                    "number": 2,
                    "level": 2,
                    "title": "会议记录不完整",
                    "problem": "会议记录不完整。",
                    "measures": [{"text": "规范会议记录。"}],
                },
            ],
        }
    ],
}


def test_an_imported_ledgers_problems_get_the_rules_categories(cast):
    tally_rebuild()
    round_ = round_import_ledger(
        ledger=LEDGER,
        office=cast.office,
        inspected_unit=cast.a.unit,
        inspecting_group=cast.group,
        actor=cast.clerk_a,
    )
    codes = dict(Problem.objects.filter(round=round_).values_list("title", "category"))
    assert codes["公务接待管理不规范"] == "conduct.eight_rules"  # its own words
    assert codes["会议记录不完整"] == "responsibility.main"  # nothing in its words: the heading decides
    assert codes["落实全面从严治党主体责任不到位方面"] == "responsibility.main"
    assert tally_differences() == []


def test_the_rules_as_edited_classify_the_next_import(cast):
    category = Category.objects.get(code="organisation.party_life")
    ClassificationRule.objects.create(category=category, kind="keywords", terms="会议记录", priority=0)
    round_ = round_import_ledger(
        ledger=LEDGER, office=cast.office, inspected_unit=cast.a.unit, inspecting_group=cast.group, actor=None
    )
    assert Problem.objects.get(round=round_, title="会议记录不完整").category == "organisation.party_life"


def test_nodes_added_to_a_round_later_are_classified_with_the_headings_above_them(cast):
    section = cast.a.section
    section.title = "落实中央八项规定精神方面"
    section.save()
    node = {
        "label": "2.",
        "number": 2,
        "level": 2,
        "title": "问题二",
        "problem": "存在问题。",
        "measures": [],
    }
    import_subtree(nodes=[node], round_=cast.a.round, parent=section, actor=cast.clerk_a)
    assert Problem.objects.get(round=cast.a.round, title="问题二").category == "conduct.eight_rules"


def test_the_demos_problems_are_classified(db):
    call_command("load_demo", verbosity=0)
    findings = Problem.objects.exclude(statement="")
    classified = findings.exclude(category="other").count()
    print(f"\ndemo: {classified} of {findings.count()} problems classified (not other)")
    assert findings.count() > 10
    assert classified >= 0.8 * findings.count()
    tops = {code.split(".")[0] for code in findings.values_list("category", flat=True)}
    assert {"organisation", "finance", "livelihood", "conduct"} <= tops  # the demo's assignments need them


def test_a_tables_own_category_column_is_read_before_the_sections_headings(cast):
    node = {
        "label": "1.",
        "number": 1,
        "level": 1,
        "title": "问题一",
        "problem": "存在问题。",
        "category": "选人用人方面",
    }
    ledger = {**LEDGER, "sections": [{**LEDGER["sections"][0], "children": [node]}]}
    round_ = round_import_ledger(
        ledger=ledger, office=cast.office, inspected_unit=cast.a.unit, inspecting_group=cast.group, actor=None
    )
    assert Problem.objects.get(round=round_, title="问题一").category == "personnel.selection"


def test_a_switched_off_category_and_its_sub_categories_classify_nothing(cast):
    Category.objects.filter(code="conduct").update(active=False)
    round_ = round_import_ledger(
        ledger=LEDGER, office=cast.office, inspected_unit=cast.a.unit, inspecting_group=cast.group, actor=None
    )
    assert not Problem.objects.filter(round=round_, category__startswith="conduct").exists()
