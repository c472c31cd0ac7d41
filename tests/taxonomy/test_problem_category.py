"""A problem's category corrected by hand, from the problem's page: recorded, scoped, kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.ledger.models import MeasureTally, Problem, TallyKind
from zhenggai.ledger.tally import tally_differences, tally_rebuild
from zhenggai.taxonomy.models import ClassificationRule


def _correct(client, problem, code, expected="other"):
    return client.post(
        reverse("taxonomy:problem_category", args=[problem.pk]), {"category": code, "expected": expected}
    )


def test_the_units_clerk_corrects_their_problems_category_and_it_is_recorded(client, cast):
    tally_rebuild()
    client.force_login(cast.clerk_a)
    page = client.get(cast.a.problem.get_absolute_url())
    assert reverse("taxonomy:problem_category", args=[cast.a.problem.pk]) in page.content.decode()
    response = _correct(client, cast.a.problem, "finance.funds")
    assert response.status_code == 302
    problem = Problem.objects.get(pk=cast.a.problem.pk)
    assert problem.category == "finance.funds" and problem.category_by_hand
    entry = HistoryEntry.objects.filter(action="problem.category", object_id=str(problem.pk)).get()
    assert entry.actor == cast.clerk_a
    assert entry.payload["fields"]["category"] == ["other", "finance.funds"]
    assert entry.payload["by"] == "hand"
    # The tally's category rows follow: the measure now counts under its new code.
    keys = set(
        MeasureTally.objects.filter(round=cast.a.round, kind=TallyKind.CATEGORY).values_list("key", flat=True)
    )
    assert keys == {"finance.funds"}
    assert tally_differences() == []
    report = verify()
    assert report.ok, report.text()


def test_the_office_corrects_any_problem_of_its_rounds(client, cast):
    client.force_login(cast.officer)
    assert _correct(client, cast.b.problem, "conduct.formalism").status_code == 302
    assert Problem.objects.get(pk=cast.b.problem.pk).category == "conduct.formalism"


def test_another_units_problem_is_not_there_and_a_leader_may_not_correct(client, cast):
    client.force_login(cast.clerk_a)
    assert client.get(reverse("taxonomy:problem_category", args=[cast.b.problem.pk])).status_code == 404
    assert _correct(client, cast.b.problem, "finance.funds").status_code == 404
    client.force_login(cast.leader_a)
    assert _correct(client, cast.a.problem, "finance.funds").status_code == 403
    page = client.get(cast.a.problem.get_absolute_url())
    assert reverse("taxonomy:problem_category", args=[cast.a.problem.pk]) not in page.content.decode()
    client.force_login(cast.outsider)
    assert _correct(client, cast.a.problem, "finance.funds").status_code == 404
    assert set(Problem.objects.values_list("category", flat=True)) == {"other"}
    assert not HistoryEntry.objects.filter(action="problem.category").exists()


def test_a_stale_correction_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    assert _correct(client, cast.a.problem, "finance.funds").status_code == 302
    stale = _correct(client, cast.a.problem, "conduct.formalism", expected="other")
    assert stale.status_code == 409
    assert Problem.objects.get(pk=cast.a.problem.pk).category == "finance.funds"


def test_an_unknown_or_inactive_category_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    assert _correct(client, cast.a.problem, "no.such").status_code == 400
    from zhenggai.taxonomy.models import Category

    Category.objects.filter(code="finance.funds").update(active=False)
    assert _correct(client, cast.a.problem, "finance.funds").status_code == 400
    assert Problem.objects.get(pk=cast.a.problem.pk).category == "other"


@pytest.mark.parametrize("apply", [True])
def test_a_rule_leaves_a_problem_set_by_hand_alone(client, cast, apply):
    client.force_login(cast.clerk_a)
    _correct(client, cast.a.problem, "finance.funds")
    client.force_login(cast.officer)
    data = {"category": "organisation.party_life", "kind": "keywords", "terms": "会议记录", "priority": 1}
    page = client.post(
        reverse("taxonomy:rule_add"), {**data, "action": "preview", "active": "on", "apply": "on"}
    )
    assert {m.problem_id for m in page.context["effect"].moves} == {cast.b.problem.pk}
    client.post(reverse("taxonomy:rule_add"), {**data, "action": "save", "active": "on", "apply": "on"})
    assert Problem.objects.get(pk=cast.a.problem.pk).category == "finance.funds"
    assert Problem.objects.get(pk=cast.b.problem.pk).category == "organisation.party_life"
    assert ClassificationRule.objects.filter(terms="会议记录").exists()
