"""回头看: a follow-up round whose checklist is an earlier round's open and long-term measures."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.ledger.models import DONE_STATES, InspectionRound, Measure, MeasureKind
from zhenggai.repeats.models import FollowUp, FollowUpItem, FoundBy, LinkStatus, RepeatLink
from zhenggai.repeats.selectors import follow_up_of


def _user(name):
    return get_user_model().objects.get(username=name)


def test_the_office_creates_a_follow_up_round_from_the_open_and_long_term_measures(demo, client):
    earlier = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    expected = [
        m.pk
        for m in Measure.objects.filter(round=earlier).order_by("problem__position", "position", "pk")
        if m.status not in DONE_STATES or m.kind == MeasureKind.LONG_TERM
    ]
    assert 0 < len(expected) < earlier.measures.count()  # some of X's measures are done already
    officer = _user("xunchaban")
    client.force_login(officer)
    url = reverse("repeats:follow_up_create", args=[earlier.pk])
    form = client.get(url).content.decode()
    assert form.count("<tr>") == len(expected) + 1  # the checklist, with its header row
    response = client.post(url, {"title": "X社区巡察回头看", "feedback_date": "2026-11-30"})
    new_round = InspectionRound.objects.get(title="X社区巡察回头看")
    assert response.status_code == 302 and response["Location"] == new_round.get_absolute_url()
    assert (new_round.inspected_unit, new_round.office, new_round.feedback_date) == (
        earlier.inspected_unit,
        earlier.office,
        datetime.date(2026, 11, 30),
    )
    assert follow_up_of(new_round).follows == earlier
    items = FollowUpItem.objects.filter(follow_up__round=new_round).select_related("measure", "origin")
    assert sorted(i.origin_id for i in items) == sorted(expected)
    for item in items:
        assert item.measure.round_id == new_round.pk
        assert (item.measure.text, item.measure.kind) == (item.origin.text, item.origin.kind)
        link = RepeatLink.objects.get(newer=item.measure.problem)
        assert link.earlier_id == item.origin.problem_id
        assert (link.found_by, link.status) == (FoundBy.FOLLOW_UP, LinkStatus.CONFIRMED)
    assert new_round.problems.count() == len({i.origin.problem_id for i in items})
    recorded = HistoryEntry.objects.filter(actor=officer)
    assert recorded.filter(action="round.follow_up", object_id=str(new_round.pk)).exists()
    assert recorded.filter(action="round.follow_up_checklist", round_id=new_round.pk).exists()
    assert recorded.filter(action="measure.create", round_id=new_round.pk).count() == len(expected)
    # The new round's problems are shown as repeats, with links back to the round looked back on.
    problem = items[0].measure.problem
    page = client.get(reverse("ledger:problem_detail", args=[problem.pk])).content.decode()
    assert 'data-testid="repeated-badge"' in page
    assert f'href="{items[0].origin.problem.get_absolute_url()}"' in page
    ledger = client.get(earlier.get_absolute_url()).content.decode()
    assert 'data-testid="follow-up-link"' in ledger
    report = verify()  # every record the follow-up wrote is one the history answers for
    assert report.ok, report.text()


def test_only_the_office_looks_back(demo, client):
    earlier = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    url = reverse("repeats:follow_up_create", args=[earlier.pk])
    for name, status in (("x_clerk", 403), ("x_leader", 403), ("jiwei", 403), ("y_clerk", 404)):
        client.force_login(_user(name))
        assert client.post(url, {"title": "回头看"}).status_code == status
        assert 'data-testid="follow-up-link"' not in client.get(earlier.get_absolute_url()).content.decode()
    assert not FollowUp.objects.exists()


def test_a_round_with_nothing_open_gives_no_follow_up(demo, client):
    earlier = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    Measure.objects.filter(round=earlier).update(
        status="closed", kind=MeasureKind.TIME_BOUND, long_term=False
    )
    client.force_login(_user("xunchaban"))
    response = client.post(reverse("repeats:follow_up_create", args=[earlier.pk]), {"title": ""})
    assert response.status_code == 400
    assert not FollowUp.objects.exists()
