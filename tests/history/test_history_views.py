"""The timeline pages: each item shows its history; outsiders get the same 404 as for nothing."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.history.services import record


@pytest.fixture
def measure_history(cast):
    measure = cast.a.measure
    with transaction.atomic():
        record(
            actor=cast.clerk_a,
            action="measure.transition",
            obj=measure,
            payload={
                "fields": {"status": ["in_progress", "submitted"], "completed_on": [None, "2030-01-02"]}
            },
        )
        record(actor=cast.clerk_a, action="progress.record", obj=measure, payload={"text": "召开专题会议"})
    return measure


def test_a_measure_shows_its_history_as_a_timeline(client, cast, measure_history):
    client.force_login(cast.clerk_a)
    response = client.get(reverse("history:measure", args=[measure_history.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "变更整改状态" in content and "整改中 → 已完成，申请销号" in content
    assert "记录整改进展" in content and "召开专题会议" in content and "clerk_a" in content


def test_the_timeline_fragment_answers_htmx(client, cast, measure_history):
    client.force_login(cast.officer)
    response = client.get(reverse("history:measure", args=[measure_history.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<ol class="timeline history-timeline"')


def test_rounds_and_problems_have_timelines_too(client, cast, measure_history):
    client.force_login(cast.leader_a)
    round_page = client.get(reverse("history:round", args=[cast.a.round.pk])).content.decode()
    assert "变更整改状态" in round_page
    problem_page = client.get(reverse("history:problem", args=[cast.a.problem.pk]))
    assert problem_page.status_code == 200


@pytest.mark.parametrize("name", ["history:measure", "history:problem", "history:round"])
def test_another_units_history_is_not_found(client, cast, measure_history, name):
    client.force_login(cast.clerk_b)
    pk = {"history:measure": measure_history.pk, "history:problem": cast.a.problem.pk}.get(
        name, cast.a.round.pk
    )
    assert client.get(reverse(name, args=[pk])).status_code == 404


def test_a_long_timeline_costs_the_same_few_queries(client, cast, django_assert_max_num_queries):
    measure = cast.a.measure
    departments = [cast.a.department, cast.b.department, None]
    with transaction.atomic():
        for n in range(60):
            record(
                actor=cast.clerk_a,
                action="measure.update",
                obj=measure,
                payload={"fields": {"lead_department": [getattr(departments[n % 3], "pk", None), None]}},
            )
    client.force_login(cast.clerk_a)
    # 12, and one for the to-do badge of the navigation (all of its groups in one query).
    with django_assert_max_num_queries(13):
        content = client.get(reverse("history:measure", args=[measure.pk])).content.decode()
    # The first page of 50: the measure's creation, then n = 0…48, every third of them unit A's.
    assert content.count("甲社区办公室 → —") == 17 and 'rel="next"' in content


def test_a_long_timeline_comes_in_keyset_pages_without_gap_or_repeat(client, cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "LEDGER_PAGE_SIZE": 3}
    with transaction.atomic():
        for i in range(8):
            record(
                actor=cast.clerk_a, action="progress.record", obj=cast.a.measure, payload={"text": f"第{i}次"}
            )
    client.force_login(cast.clerk_a)
    url = reverse("history:round", args=[cast.a.round.pk])
    seen, html = [], client.get(url).content.decode()
    while True:
        seen.append([int(seq) for seq in re.findall(r'data-seq="(\d+)"', html)])
        later = re.search(r'href="([^"]+)" rel="next"', html)
        if later is None:
            break
        assert later.group(1).startswith(url + "?after=")  # also from the fragment a card shows
        html = client.get(later.group(1).replace("&amp;", "&")).content.decode()
    everything = list(
        HistoryEntry.objects.filter(round_id=cast.a.round.pk).order_by("seq").values_list("seq", flat=True)
    )
    assert len(everything) > 9 and all(len(page) == 3 for page in seen[:-1])
    assert [seq for page in seen for seq in page] == everything
