"""The ledger's category filter: a top-level code selects its sub-categories, a sub-category itself."""

from __future__ import annotations

import datetime

from django.urls import reverse

from zhenggai.ledger.models import Problem
from zhenggai.ledger.selectors import LedgerFilters, ledger_counts
from zhenggai.ledger.services import measure_create, problem_create
from zhenggai.ledger.tally import tally_rebuild


def _categorised(cast):
    Problem.objects.filter(pk=cast.a.problem.pk).update(category="conduct.eight_rules")
    Problem.objects.filter(pk=cast.b.problem.pk).update(category="conduct")
    extra = problem_create(
        round_=cast.a.round,
        actor=None,
        parent=cast.a.section,
        label="2.",
        number=2,
        level=2,
        title="资金",
        statement="资金",
    )
    Problem.objects.filter(pk=extra.pk).update(category="finance.funds")
    measure_create(problem=extra, actor=None, text="规范资金使用。", deadline=datetime.date.today())
    tally_rebuild()


def test_a_top_level_code_takes_its_sub_categories_and_a_sub_category_only_itself(cast):
    _categorised(cast)
    counts = {
        code: ledger_counts(cast.officer, filters=LedgerFilters(category=code)).total
        for code in ("conduct", "conduct.eight_rules", "finance", "finance.funds", "ideology")
    }
    assert counts == {"conduct": 2, "conduct.eight_rules": 1, "finance": 1, "finance.funds": 1, "ideology": 0}


def test_the_ledger_page_filters_by_the_code_in_the_url(client, cast):
    _categorised(cast)
    client.force_login(cast.officer)
    page = client.get(reverse("ledger:all_ledgers") + "?category=conduct")
    assert page.status_code == 200
    assert page.context["form"].cleaned_data["category"] == "conduct"
    html = page.content.decode()
    assert cast.a.measure.text in html and cast.b.measure.text in html
    assert "规范资金使用。" not in html
    choices = dict(page.context["form"].fields["category"].choices)
    assert choices["conduct"] == "作风建设" and choices["conduct.eight_rules"].endswith("中央八项规定精神")
