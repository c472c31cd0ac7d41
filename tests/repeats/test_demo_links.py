"""Repeated findings across the two rounds of the demo's Y社区: links both ways, shown only to whom
may see both ends, and the problem page's badge."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.accounts.services import user_create
from zhenggai.ledger.models import InspectionRound, Problem
from zhenggai.ledger.services import round_update
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create
from zhenggai.repeats.models import FoundBy, LinkStatus, RepeatLink


def _user(name):
    return get_user_model().objects.get(username=name)


def _y_rounds():
    earlier, later = InspectionRound.objects.filter(inspected_unit__name="Y社区党工委").order_by(
        "feedback_date"
    )
    return earlier, later


def test_the_import_links_the_later_round_s_findings_to_the_earlier_ones(demo):
    earlier, later = _y_rounds()
    links = RepeatLink.objects.filter(newer__round=later)
    pairs = {(link.newer.statement[:6], link.earlier.statement[:6]) for link in links}
    assert pairs == {("党风廉政建设", "党风廉政建设"), ("财务票据审核", "财务报销票据")}
    assert all(link.earlier.round_id == earlier.pk for link in links)
    assert {link.found_by for link in links} == {FoundBy.RULE}
    assert {link.status for link in links} == {LinkStatus.SUGGESTED}
    # The new finding (12345工单) repeats nothing; X社区's round is another unit's.
    assert not RepeatLink.objects.filter(newer__statement__contains="12345").exists()
    assert not RepeatLink.objects.filter(newer__round__inspected_unit__name="X社区党工委").exists()


def test_the_problem_pages_link_both_ways(demo, client):
    _earlier, later = _y_rounds()
    link = RepeatLink.objects.filter(newer__round=later).select_related("newer", "earlier").first()
    for name in ("xunchaban", "y_clerk", "jiwei"):
        client.force_login(_user(name))
        page = client.get(reverse("ledger:problem_detail", args=[link.newer_id])).content.decode()
        assert 'data-testid="repeated-badge"' in page
        assert f'href="{link.earlier.get_absolute_url()}"' in page
        back = client.get(reverse("ledger:problem_detail", args=[link.earlier_id])).content.decode()
        assert 'data-testid="repeated-badge"' not in back
        assert f'href="{link.newer.get_absolute_url()}"' in back and 'data-direction="later"' in back


def test_another_unit_s_people_never_see_the_links(demo, client):
    _earlier, later = _y_rounds()
    link = RepeatLink.objects.filter(newer__round=later).first()
    client.force_login(_user("x_clerk"))
    assert client.get(reverse("ledger:problem_detail", args=[link.newer_id])).status_code == 404
    assert client.get(reverse("ledger:problem_detail", args=[link.earlier_id])).status_code == 404
    listing = client.get(reverse("repeats:list")).content.decode()
    assert 'data-repeat="' not in listing
    x_round = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    x_problem = Problem.objects.filter(round=x_round).exclude(statement="").first()
    page = client.get(reverse("ledger:problem_detail", args=[x_problem.pk])).content.decode()
    assert 'data-testid="repeats"' not in page


def test_a_link_to_a_problem_the_user_may_not_see_is_hidden(demo, client):
    """The later round moved to another office: that office's staff see the later finding, not the
    earlier one, nor the link to it."""
    _earlier, later = _y_rounds()
    admin = _user("admin")
    county = Organisation.objects.get(short_name="县委")
    city = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE, parent=county, actor=admin)
    round_update(round_=later, actor=admin, office=city, inspecting_group=None)
    staff = user_create(username="city_staff", password="x-long-password-1", actor=admin)
    membership_grant(user=staff, organisation=city, role=Role.OFFICE_STAFF, actor=admin)
    link = RepeatLink.objects.filter(newer__round=later).first()
    client.force_login(staff)
    page = client.get(reverse("ledger:problem_detail", args=[link.newer_id])).content.decode()
    assert 'data-testid="repeated-badge"' not in page and 'data-direction="earlier"' not in page
    assert link.earlier.get_absolute_url() not in page
    # Nor is it offered as the earlier finding a person could name.
    chooser = client.get(reverse("repeats:link_add", args=[link.newer_id])).content.decode()
    assert f'value="{link.earlier_id}"' not in chooser
    assert client.get(reverse("ledger:problem_detail", args=[link.earlier_id])).status_code == 404
    assert 'data-repeat="' not in client.get(reverse("repeats:list")).content.decode()


def test_the_list_shows_a_unit_s_repeats_with_the_filters(demo, client):
    _earlier, later = _y_rounds()
    client.force_login(_user("xunchaban"))
    url = reverse("repeats:list")
    unit = later.inspected_unit_id
    page = client.get(url, {"unit": unit}).content.decode()
    assert page.count('data-repeat="') == 2
    year = later.feedback_date.year
    assert client.get(url, {"unit": unit, "year": year}).content.decode().count('data-repeat="') == 2
    assert 'data-repeat="' not in client.get(url, {"unit": unit, "year": year - 5}).content.decode()
    assert 'data-repeat="' not in client.get(url, {"unit": unit, "kind": "审计"}).content.decode()
    finance = client.get(url, {"unit": unit, "category": "finance"}).content.decode()
    assert finance.count('data-repeat="') == 1
    office = later.office_id
    assert client.get(url, {"office": office}).content.decode().count('data-repeat="') == 2


def test_the_list_reads_a_fixed_number_of_queries(demo, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenggai.repeats.services import follow_up_create

    officer = _user("xunchaban")
    client.force_login(officer)
    url = reverse("repeats:list")
    client.get(url)  # the page's frame (the to-do badge…) is read once and kept: not what is counted
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('data-repeat="') == 2
    x_round = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    follow_up_create(earlier=x_round, actor=officer)  # a score more links
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('data-repeat="') > 10
    assert len(many) == len(few)
