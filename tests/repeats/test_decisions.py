"""A person confirms or dismisses a suggested link, with a reason, recorded in the history; only
the inspection office's staff may."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.models import InspectionRound
from zhenggai.repeats.models import LinkStatus, RepeatLink
from zhenggai.repeats.services import round_repeats_refresh


def _user(name):
    return get_user_model().objects.get(username=name)


def _links():
    later = InspectionRound.objects.filter(inspected_unit__name="Y社区党工委").order_by("-feedback_date")[0]
    return list(RepeatLink.objects.filter(newer__round=later).order_by("pk"))


def test_the_office_confirms_and_dismisses_with_a_reason_recorded(demo, client):
    confirmed, dismissed = _links()
    officer = _user("xunchaban")
    client.force_login(officer)
    url = reverse("repeats:link_decide", args=[confirmed.pk])
    response = client.post(url, {"decision": "confirm", "reason": "同一问题，整改未到位"})
    assert response.status_code == 302
    client.post(
        reverse("repeats:link_decide", args=[dismissed.pk]), {"decision": "dismiss", "reason": "不同事项"}
    )
    confirmed.refresh_from_db()
    dismissed.refresh_from_db()
    assert (confirmed.status, confirmed.decided_by, confirmed.reason) == (
        LinkStatus.CONFIRMED,
        officer,
        "同一问题，整改未到位",
    )
    assert dismissed.status == LinkStatus.DISMISSED and dismissed.decided_at is not None
    entries = {e.action: e for e in HistoryEntry.objects.filter(action__startswith="repeat.")}
    assert set(entries) == {"repeat.confirm", "repeat.dismiss"}
    assert entries["repeat.dismiss"].object_id == str(dismissed.pk)
    assert entries["repeat.dismiss"].actor_id == officer.pk
    assert entries["repeat.dismiss"].round_id == dismissed.newer.round_id
    assert "不同事项" in str(entries["repeat.dismiss"].payload)
    # A dismissed link no longer marks the finding repeated, and the rule does not bring it back.
    page = client.get(reverse("ledger:problem_detail", args=[dismissed.newer_id])).content.decode()
    assert 'data-testid="repeated-badge"' not in page
    assert round_repeats_refresh(round_=dismissed.newer.round) == []
    dismissed.refresh_from_db()
    assert dismissed.status == LinkStatus.DISMISSED


def test_dismissing_needs_a_reason(demo, client):
    link = _links()[0]
    client.force_login(_user("xunchaban"))
    client.post(reverse("repeats:link_decide", args=[link.pk]), {"decision": "dismiss", "reason": " "})
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED
    assert not HistoryEntry.objects.filter(action__startswith="repeat.").exists()


def test_only_the_office_decides(demo, client):
    link = _links()[0]
    url = reverse("repeats:link_decide", args=[link.pk])
    for name, status in (("y_clerk", 403), ("jiwei", 403), ("x_clerk", 404)):
        client.force_login(_user(name))
        assert client.post(url, {"decision": "confirm"}).status_code == status
    client.force_login(_user("y_clerk"))
    page = client.get(reverse("ledger:problem_detail", args=[link.newer_id])).content.decode()
    assert reverse("repeats:link_decide", args=[link.pk]) not in page
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED


def test_the_office_names_an_earlier_finding_the_rule_did_not_find(demo, client):
    later = InspectionRound.objects.filter(inspected_unit__name="Y社区党工委").order_by("-feedback_date")[0]
    earlier = InspectionRound.objects.filter(inspected_unit__name="Y社区党工委").order_by("feedback_date")[0]
    new = later.problems.get(statement__contains="12345")
    old = earlier.problems.get(statement__contains="三会一课")
    url = reverse("repeats:link_add", args=[new.pk])
    client.force_login(_user("y_clerk"))
    assert client.get(url).status_code == 403
    assert 'data-testid="repeat-link-add"' not in client.get(new.get_absolute_url()).content.decode()
    officer = _user("xunchaban")
    client.force_login(officer)
    assert 'data-testid="repeat-link-add"' in client.get(new.get_absolute_url()).content.decode()
    chooser = client.get(url).content.decode()
    assert f'value="{old.pk}"' in chooser
    x_problem = InspectionRound.objects.get(inspected_unit__name="X社区党工委").problems.exclude(
        statement=""
    )[0]
    assert f'value="{x_problem.pk}"' not in chooser  # another unit's findings are not offered
    assert client.post(url, {"earlier": x_problem.pk, "reason": "x"}).status_code == 400
    response = client.post(url, {"earlier": old.pk, "reason": "同属群众工作不到位"})
    assert response.status_code == 302
    link = RepeatLink.objects.get(newer=new, earlier=old)
    assert (link.found_by, link.status, link.decided_by) == ("person", LinkStatus.CONFIRMED, officer)
    entry = HistoryEntry.objects.get(action="repeat.add")
    assert entry.actor_id == officer.pk and entry.round_id == later.pk
    page = client.get(new.get_absolute_url()).content.decode()
    assert 'data-testid="repeated-badge"' in page and old.get_absolute_url() in page
