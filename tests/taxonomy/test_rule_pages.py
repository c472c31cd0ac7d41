"""The rules' pages: the test bench shows exactly what saving changes, saving applies it and records
every change, and only the office's staff reach them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.ledger.models import Problem
from zhenggai.ledger.tally import tally_differences, tally_rebuild
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create
from zhenggai.taxonomy.models import Category, ClassificationRule

RULE = {
    "category": "organisation.party_life",
    "kind": "keywords",
    "terms": "会议记录\n会后补记",
    "priority": 5,
}


def _post(client, url, data, action):
    return client.post(url, {**data, "action": action, "active": "on", "apply": "on"})


def _state():
    return (
        dict(Problem.objects.values_list("pk", "category")),
        ClassificationRule.objects.count(),
        HistoryEntry.objects.count(),
    )


@pytest.fixture
def elsewhere(cast, unit_ledger):
    """A unit followed by another office: none of the cast's officer's problems."""
    office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    return unit_ledger("丙社区", office, None, datetime.date.today())


def test_the_bench_shows_the_moves_and_changes_nothing_until_saved(client, cast, elsewhere):
    tally_rebuild()
    client.force_login(cast.officer)
    before = _state()
    page = _post(client, reverse("taxonomy:rule_add"), RULE, "preview")
    assert page.status_code == 200
    effect = page.context["effect"]
    assert {m.problem_id for m in effect.moves} == {cast.a.problem.pk, cast.b.problem.pk}
    assert {(m.old, m.new) for m in effect.moves} == {("other", "organisation.party_life")}
    html = page.content.decode()
    for problem in (cast.a.problem, cast.b.problem):
        assert reverse("ledger:problem_detail", args=[problem.pk]) in html
    assert reverse("ledger:problem_detail", args=[elsewhere.problem.pk]) not in html
    assert "甲社区 · 会议记录不规范。" in html and "乙社区 · 会议记录不规范。" in html  # told apart by unit
    assert _state() == before  # a preview writes nothing

    saved = _post(client, reverse("taxonomy:rule_add"), RULE, "save")
    assert saved.status_code == 302
    categories = dict(Problem.objects.values_list("pk", "category"))
    moved = {pk for pk, code in categories.items() if code != before[0][pk]}
    assert moved == {m.problem_id for m in effect.moves}  # exactly what the bench showed
    assert categories[elsewhere.problem.pk] == "other"  # not the officer's to see, not moved
    rule = ClassificationRule.objects.get(terms=RULE["terms"])
    assert rule.created_by == cast.officer
    entries = HistoryEntry.objects.filter(seq__gt=before[2])
    assert (
        entries.filter(action="taxonomy.rule.create", object_id=str(rule.pk), actor=cast.officer).count() == 1
    )
    recorded = entries.filter(action="problem.category", actor=cast.officer)
    assert {int(e.object_id) for e in recorded} == moved
    assert all(e.payload["fields"]["category"] == ["other", "organisation.party_life"] for e in recorded)
    assert tally_differences() == []
    report = verify()  # every problem's stored row is the state its last entry recorded
    assert report.ok, report.text()


def test_saving_without_apply_keeps_the_problems_as_they_are(client, cast):
    client.force_login(cast.officer)
    before = dict(Problem.objects.values_list("pk", "category"))
    response = client.post(reverse("taxonomy:rule_add"), {**RULE, "action": "save", "active": "on"})
    assert response.status_code == 302
    assert ClassificationRule.objects.filter(terms=RULE["terms"]).exists()
    assert dict(Problem.objects.values_list("pk", "category")) == before


def test_switching_a_rule_off_shows_and_applies_the_way_back(client, cast):
    tally_rebuild()
    client.force_login(cast.officer)
    _post(client, reverse("taxonomy:rule_add"), RULE, "save")
    rule = ClassificationRule.objects.get(terms=RULE["terms"])
    url = reverse("taxonomy:rule_edit", args=[rule.pk])
    off = {**RULE, "version": rule.version, "apply": "on", "action": "preview"}  # "active" not ticked
    page = client.post(url, off)
    assert {(m.old, m.new) for m in page.context["effect"].moves} == {("organisation.party_life", "other")}
    assert Problem.objects.get(pk=cast.a.problem.pk).category == "organisation.party_life"
    assert client.post(url, {**off, "action": "save"}).status_code == 302
    assert Problem.objects.get(pk=cast.a.problem.pk).category == "other"
    rule.refresh_from_db()
    assert not rule.active and rule.version == 2
    assert HistoryEntry.objects.filter(action="taxonomy.rule.update", object_id=str(rule.pk)).count() == 1
    assert tally_differences() == []


def test_a_stale_rule_edit_is_refused(client, cast):
    client.force_login(cast.officer)
    _post(client, reverse("taxonomy:rule_add"), RULE, "save")
    rule = ClassificationRule.objects.get(terms=RULE["terms"])
    url = reverse("taxonomy:rule_edit", args=[rule.pk])
    assert _post(client, url, {**RULE, "priority": 6, "version": rule.version}, "save").status_code == 302
    stale = _post(client, url, {**RULE, "priority": 7, "version": rule.version}, "save")
    assert stale.status_code == 409
    rule.refresh_from_db()
    assert rule.priority == 6


@pytest.mark.parametrize("pattern", ["(会议+)+记录", "会议.*记录", "(会议", "(会)\\1"])
def test_a_bad_pattern_is_refused_on_the_page_not_with_a_500(client, cast, pattern):
    client.force_login(cast.officer)
    before = _state()
    for action in ("preview", "save"):
        response = _post(
            client, reverse("taxonomy:rule_add"), {**RULE, "kind": "pattern", "terms": pattern}, action
        )
        assert response.status_code == 400
        assert response.context["form"].errors["terms"]
        assert response.context["effect"] is None
    assert _state() == before


def test_a_pattern_rule_moves_what_it_matches(client, cast):
    client.force_login(cast.officer)
    data = {**RULE, "kind": "pattern", "terms": "会议记录.{0,4}规范"}
    page = _post(client, reverse("taxonomy:rule_add"), data, "preview")
    assert page.status_code == 200
    assert {m.problem_id for m in page.context["effect"].moves} == {cast.a.problem.pk, cast.b.problem.pk}


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "clerk_b", "outsider"])
def test_only_the_offices_staff_reach_the_taxonomy_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    rule = ClassificationRule.objects.first()
    for name, args in [("taxonomy:index", []), ("taxonomy:rule_list", []), ("taxonomy:rule_add", [])]:
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.get(reverse("taxonomy:rule_edit", args=[rule.pk])).status_code == 403
    before = _state()
    assert _post(client, reverse("taxonomy:rule_add"), RULE, "save").status_code == 403
    assert (
        client.post(reverse("taxonomy:category_add"), {"code": "x", "name": "x", "position": 1}).status_code
        == 403
    )
    assert _state() == before


def test_the_office_adds_renames_and_switches_off_a_category(client, cast):
    client.force_login(cast.officer)
    added = client.post(
        reverse("taxonomy:category_add"),
        {"parent": "conduct", "code": "gifts", "name": "收受礼品", "position": 9},
    )
    assert added.status_code == 302
    category = Category.objects.get(code="conduct.gifts")
    assert category.parent.code == "conduct"
    url = reverse("taxonomy:category_edit", args=[category.pk])
    assert client.post(url, {"name": "违规收受礼品", "position": 9}).status_code == 302  # active unticked
    category.refresh_from_db()
    assert category.name == "违规收受礼品" and not category.active
    actions = list(
        HistoryEntry.objects.filter(object_type="taxonomy.category", object_id=str(category.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["taxonomy.category.create", "taxonomy.category.update"]
    assert "conduct.gifts" not in dict(
        client.get(reverse("ledger:all_ledgers")).context["form"].fields["category"].choices
    )


@pytest.mark.parametrize("name", ["taxonomy:index", "taxonomy:rule_list"])
def test_the_lists_take_as_many_queries_whatever_their_length(client, cast, name):
    client.force_login(cast.officer)
    client.get(reverse(name))  # the session and the user's roles read once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    category = ClassificationRule.objects.first().category
    for n in range(20):
        ClassificationRule.objects.create(
            category=category, kind="keywords", terms=f"词{n}", priority=1000 + n
        )
        Category.objects.create(code=f"extra{n}", name=f"类别{n}", parent=None if n % 2 else category.parent)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(few)
