"""Bulk assignment (批量分配) from the ledger: preview, apply all or nothing, scoped to the round."""

from __future__ import annotations

import datetime
import re

import pytest
from _ledger_support import measure_in_state
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.accounts.services import user_create
from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.ledger import bulk
from zhenggai.ledger.models import Measure, MeasureKind, MeasureStatus
from zhenggai.ledger.services import measure_create, measure_update
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create, person_create

DEADLINE = datetime.date(2031, 6, 30)


@pytest.fixture
def unit_a(cast):
    """Unit A's round with four measures more, a second department and two of its people."""
    problem = cast.a.problem
    for i in range(4):
        measure_create(problem=problem, actor=None, text=f"第{i}项补充措施", deadline=None)
    finance = organisation_create(name="甲社区财务科", kind=OrgKind.DEPARTMENT, parent=cast.a.unit)
    cast.finance = finance
    cast.officer_in_finance = person_create(name="王会计", title="科员", organisation=finance)
    cast.deputy = person_create(name="李副书记", title="副书记", organisation=cast.a.unit)
    return cast


def _ids(cast) -> list[int]:
    return list(Measure.objects.filter(round=cast.a.round).order_by("pk").values_list("pk", flat=True))


def _values(cast) -> dict:
    return {
        "responsible_leader": cast.deputy.pk,
        "lead_department": cast.finance.pk,
        "cooperating_departments": [cast.a.department.pk],
        "doer": cast.officer_in_finance.pk,
        "deadline": DEADLINE.isoformat(),
        "kind": MeasureKind.IMMEDIATE,
    }


def _preview(client, cast, **data):
    return client.post(reverse("ledger:bulk_preview", args=[cast.a.round.pk]), data)


def _apply(client, cast, items, **data):
    return client.post(reverse("ledger:bulk_apply", args=[cast.a.round.pk]), {"measure": items, **data})


def _items(measures) -> list[str]:
    return [f"{m.pk}:{m.version}" for m in measures]


def _state(cast) -> list[tuple]:
    return list(
        Measure.objects.filter(round=cast.a.round)
        .order_by("pk")
        .values_list("pk", "version", "lead_department", "doer", "deadline", "kind", "responsible_leader")
    )


def _ledger(client, cast, query: str = "", **headers) -> str:
    return client.get(
        reverse("ledger:round_ledger", args=[cast.a.round.pk]) + query, **headers
    ).content.decode()


def _form(client, cast, **headers):
    return client.get(reverse("ledger:bulk_form", args=[cast.a.round.pk]), **headers)


def test_the_clerk_ticks_rows_at_once_and_gets_the_form_with_the_units_whole_staff_on_demand(client, unit_a):
    client.force_login(unit_a.clerk_a)
    page = _ledger(client, unit_a)
    assert 'name="measure"' in page and 'data-testid="bulk-open"' in page and 'id="bulk-form"' not in page
    form = _form(client, unit_a, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in form and 'id="bulk-form"' in form and "autofocus" in form
    # The department's officer, named with the department; the unit's leader; never unit B's people.
    assert "王会计（科员） · 甲社区财务科" in form and "李副书记" in form and "乙社区" not in form
    # Without JavaScript, the button's link opens the ledger with the form, its filters kept.
    opened = _ledger(client, unit_a, "?status=open&bulk=open")
    assert 'id="bulk-form"' in opened and "王会计（科员） · 甲社区财务科" in opened
    assert 'name="filter" value="status=open"' in opened
    redirect = _form(client, unit_a)
    assert redirect.status_code == 302 and redirect["Location"].endswith("?bulk=open")
    # The results the filters swap in carry rows to tick, never the form.
    results = _ledger(client, unit_a, "?status=open&bulk=open", HTTP_HX_REQUEST="true")
    assert 'name="measure"' in results and 'id="bulk-form"' not in results


def test_the_clerks_ledger_reads_no_staff_until_the_form_is_asked_for(client, unit_a):
    client.force_login(unit_a.clerk_a)
    _ledger(client, unit_a)  # the to-do badge, counted once a minute
    with CaptureQueriesContext(connection) as closed:
        _ledger(client, unit_a)
    with CaptureQueriesContext(connection) as opened:
        _ledger(client, unit_a, "?bulk=open")
    # (the rows name each measure's leader by a lookup of one person, `WHERE U0."id" = …`: no list)
    staff_lists = [q for q in closed.captured_queries if re.search(r'FROM "orgs_person"(?! U\d)', q["sql"])]
    assert staff_lists == []
    assert len(opened) == len(closed) + 1


def test_the_unit_administrator_finds_the_form_open(client, unit_a):
    """Setting who answers for each measure is what the unit's administrator does in a round."""
    admin = user_create(username="admin_a", password="x-test-password-1")
    membership_grant(user=admin, organisation=unit_a.a.unit, role=Role.UNIT_ADMIN)
    client.force_login(admin)
    page = _ledger(client, unit_a)
    assert 'id="bulk-form"' in page and 'data-testid="bulk-open"' not in page
    assert "王会计（科员） · 甲社区财务科" in page and 'name="measure"' in page


def test_whoever_may_not_edit_gets_neither_form_nor_rows_to_tick(client, unit_a):
    client.force_login(unit_a.officer)  # the office follows the round, and edits no measure
    for query in ("", "?bulk=open"):
        page = _ledger(client, unit_a, query)
        assert 'id="bulk-form"' not in page and 'name="measure"' not in page and "bulk-open" not in page
    assert _form(client, unit_a, HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(unit_a.clerk_b)
    assert _form(client, unit_a, HTTP_HX_REQUEST="true").status_code == 404


def test_the_preview_shows_old_and_new_values_and_writes_nothing(client, unit_a):
    client.force_login(unit_a.clerk_a)
    before, entries = _state(unit_a), HistoryEntry.objects.count()
    response = _preview(client, unit_a, measure=_ids(unit_a)[:2], **_values(unit_a))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="bulk-changes"' in page
    assert "<del>甲社区办公室</del>" in page and "<ins>甲社区财务科</ins>" in page
    assert f"<ins>{DEADLINE.isoformat()}</ins>" in page and "<ins>立行立改</ins>" in page
    assert page.count('name="measure" value="') == 2
    assert _state(unit_a) == before and HistoryEntry.objects.count() == entries


def test_an_htmx_preview_is_a_fragment(client, unit_a):
    client.force_login(unit_a.clerk_a)
    response = client.post(
        reverse("ledger:bulk_preview", args=[unit_a.a.round.pk]),
        {"measure": _ids(unit_a)[:1], "kind": MeasureKind.LONG_TERM},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and 'data-testid="bulk-preview"' in content


def test_applying_writes_one_history_entry_per_measure_and_verifies(client, unit_a):
    client.force_login(unit_a.clerk_a)
    measures = list(Measure.objects.filter(round=unit_a.a.round).order_by("pk"))
    entries = HistoryEntry.objects.count()
    response = _apply(client, unit_a, _items(measures), filter="light=red", **_values(unit_a))
    # Back to the ledger where the clerk was: its filter, the form open.
    assert response.status_code == 302 and response["Location"].endswith("?light=red&bulk=open")
    for measure in Measure.objects.filter(round=unit_a.a.round).prefetch_related("cooperating_departments"):
        assert (measure.lead_department, measure.doer, measure.responsible_leader) == (
            unit_a.finance,
            unit_a.officer_in_finance,
            unit_a.deputy,
        )
        assert (measure.deadline, measure.kind, measure.long_term) == (DEADLINE, MeasureKind.IMMEDIATE, False)
        assert list(measure.cooperating_departments.all()) == [unit_a.a.department]
    new = HistoryEntry.objects.filter(seq__gt=0).order_by("-seq")[: len(measures)]
    assert HistoryEntry.objects.count() == entries + len(measures)
    assert sorted(int(e.object_id) for e in new) == [m.pk for m in measures]
    assert {e.action for e in new} == {"measure.update"}
    report = verify()
    assert report.ok, report.text()


def test_kinds_are_exclusive_a_long_term_measure_set_to_a_deadline_stops_being_long_term(client, unit_a):
    client.force_login(unit_a.clerk_a)
    measure = unit_a.a.measure
    measure = measure_update(
        measure=measure, actor=None, expected_version=measure.version, kind=MeasureKind.LONG_TERM
    )
    assert measure.long_term
    _apply(client, unit_a, _items([measure]), kind=MeasureKind.TIME_BOUND)
    measure.refresh_from_db()
    assert (measure.kind, measure.long_term) == (MeasureKind.TIME_BOUND, False)


def test_a_measure_already_as_asked_gets_no_entry(client, unit_a):
    client.force_login(unit_a.clerk_a)
    measure = unit_a.a.measure  # already led by 甲社区办公室
    entries = HistoryEntry.objects.count()
    response = _preview(client, unit_a, measure=[measure.pk], lead_department=unit_a.a.department.pk)
    assert "没有需要修改" in response.content.decode()
    _apply(client, unit_a, _items([measure]), lead_department=unit_a.a.department.pk)
    assert (
        HistoryEntry.objects.count() == entries
        and Measure.objects.get(pk=measure.pk).version == measure.version
    )


def test_a_stale_measure_refuses_the_whole_batch(client, unit_a):
    client.force_login(unit_a.clerk_a)
    measures = list(Measure.objects.filter(round=unit_a.a.round).order_by("pk"))
    items = _items(measures)
    # Someone saves the third measure after the preview.
    measure_update(
        measure=measures[2], actor=unit_a.clerk_a, expected_version=measures[2].version, text="改过"
    )
    before, entries = _state(unit_a), HistoryEntry.objects.count()
    response = _apply(client, unit_a, items, **_values(unit_a))
    page = response.content.decode()
    assert response.status_code == 409 and 'data-testid="bulk-refused"' in page
    assert "改过" in page and page.count("<li>") == 1
    assert _state(unit_a) == before and HistoryEntry.objects.count() == entries


def test_a_measure_reported_done_refuses_the_whole_batch_listing_it(client, unit_a):
    client.force_login(unit_a.clerk_a)
    closed = measure_in_state(unit_a.a.problem, MeasureStatus.CLOSED, text="已销号的措施")
    measures = list(Measure.objects.filter(round=unit_a.a.round).order_by("pk"))
    preview = _preview(client, unit_a, measure=[m.pk for m in measures], **_values(unit_a)).content.decode()
    assert "已销号的措施" in preview and 'data-testid="bulk-apply"' not in preview
    before, entries = _state(unit_a), HistoryEntry.objects.count()
    response = _apply(client, unit_a, _items(measures), **_values(unit_a))
    assert response.status_code == 409 and "已销号的措施" in response.content.decode()
    assert _state(unit_a) == before and HistoryEntry.objects.count() == entries
    assert Measure.objects.get(pk=closed.pk).status == MeasureStatus.CLOSED


def test_another_units_measure_in_the_selection_is_a_404_and_nothing_is_written(client, unit_a):
    client.force_login(unit_a.clerk_a)
    mine = list(Measure.objects.filter(round=unit_a.a.round).order_by("pk"))
    theirs = unit_a.b.measure
    before, entries = _state(unit_a), HistoryEntry.objects.count()
    b_version = Measure.objects.get(pk=theirs.pk).version
    assert _preview(client, unit_a, measure=[mine[0].pk, theirs.pk], **_values(unit_a)).status_code == 404
    assert _apply(client, unit_a, _items([*mine, theirs]), **_values(unit_a)).status_code == 404
    assert _state(unit_a) == before and HistoryEntry.objects.count() == entries
    assert Measure.objects.get(pk=theirs.pk).version == b_version


def test_unit_bs_clerk_cannot_reach_unit_as_round(client, unit_a):
    client.force_login(unit_a.clerk_b)
    assert _apply(client, unit_a, _items([unit_a.a.measure]), kind=MeasureKind.IMMEDIATE).status_code == 404


def test_people_of_another_unit_are_not_offered_nor_taken(client, unit_a):
    client.force_login(unit_a.clerk_a)
    stranger = person_create(name="乙社区某人", organisation=unit_a.b.unit)
    response = _apply(client, unit_a, _items([unit_a.a.measure]), doer=stranger.pk)
    assert response.status_code == 400 and Measure.objects.get(pk=unit_a.a.measure.pk).doer is None


def test_all_that_match_the_filter_takes_the_pages_filter(client, unit_a):
    client.force_login(unit_a.clerk_a)
    today = datetime.date.today()
    measure_in_state(
        unit_a.a.problem,
        MeasureStatus.IN_PROGRESS,
        text="逾期的措施",
        deadline=today - datetime.timedelta(days=3),
    )
    query = "light=red&q=%E9%80%BE%E6%9C%9F"  # light=red&q=逾期
    page = client.get(reverse("ledger:round_ledger", args=[unit_a.a.round.pk]) + "?" + query).content.decode()
    shown = {int(pk) for pk in re.findall(r'name="measure" value="(\d+)"', page)}
    response = _preview(client, unit_a, all_matching="on", filter=query, kind=MeasureKind.LONG_TERM)
    previewed = {
        int(pk.split(":")[0])
        for pk in re.findall(r'name="measure" value="([\d:]+)"', response.content.decode())
    }
    assert shown == previewed and len(previewed) == 1
    assert Measure.objects.get(pk=previewed.pop()).text == "逾期的措施"


def test_a_preview_without_selection_or_values_says_what_is_missing(client, unit_a):
    client.force_login(unit_a.clerk_a)
    no_rows = _preview(client, unit_a, kind=MeasureKind.IMMEDIATE)
    no_values = _preview(client, unit_a, measure=_ids(unit_a)[:1])
    assert no_rows.status_code == 400 and no_values.status_code == 400
    bad = _apply(client, unit_a, ["x:1"], kind=MeasureKind.IMMEDIATE)
    assert bad.status_code == 400


def test_read_only_roles_are_refused(client, unit_a):
    client.force_login(unit_a.leader_a)
    response = _apply(client, unit_a, _items([unit_a.a.measure]), kind=MeasureKind.IMMEDIATE)
    assert response.status_code == 403


def test_the_service_refuses_a_user_without_the_right_to_edit_listing_every_measure(unit_a):
    measures = list(Measure.objects.filter(round=unit_a.a.round).order_by("pk"))
    entries = HistoryEntry.objects.count()
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.bulk_assign(
            round_=unit_a.a.round,
            actor=unit_a.leader_a,
            versions={m.pk: m.version for m in measures},
            values=bulk.BulkValues(kind=MeasureKind.IMMEDIATE),
        )
    assert [row.measure.pk for row in refused.value.refused] == [m.pk for m in measures]
    assert "无权" in refused.value.refused[0].refusal and HistoryEntry.objects.count() == entries


def test_back_to_a_filtered_ledger_gets_the_whole_page(client, unit_a):
    """When Back finds no copy (the results are kept out of htmx's history cache), htmx asks the
    server for the URL with HX-History-Restore-Request: it needs the page, filters filled in."""
    client.force_login(unit_a.clerk_a)
    url = reverse("ledger:round_ledger", args=[unit_a.a.round.pk]) + "?light=red&status=open"
    page = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in page and 'hx-push-url="true"' in page and 'hx-history="false"' in page
    assert re.search(r'<option value="red" selected>', page) and re.search(
        r'<option value="open" selected>', page
    )
