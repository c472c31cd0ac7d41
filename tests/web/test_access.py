"""Unit B's clerk gets a 404 for every URL that names one of unit A's records."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.http import Http404
from django.urls import URLPattern, reverse

from zhenggai.accounts.services import user_create
from zhenggai.comments import urls as comments_urls
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.history import urls as history_urls
from zhenggai.ledger import urls as ledger_urls
from zhenggai.ledger.access import get_problem_for_user, get_round_for_user, visible_measures, visible_rounds
from zhenggai.ledger.services import evidence_attach
from zhenggai.ledger.transitions import extension_request
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.receipts import urls as receipts_urls
from zhenggai.receipts.services import batch_issue
from zhenggai.reports import urls as reports_urls
from zhenggai.reports.issuing import draft_create, issue, sign_off

# Which kind of record each URL with an id names. A new URL with an id must be added here, or
# test_every_url_with_an_id_is_covered fails. (Import drafts and export jobs belong to the person who
# made them: tests/imports and tests/reports check those.)
URL_TARGETS = {
    "ledger:round_ledger": "round",
    "ledger:bulk_form": "round",
    "ledger:bulk_preview": "round",
    "ledger:bulk_apply": "round",
    "ledger:problem_detail": "problem",
    "ledger:problem_copies": "problem",
    "ledger:measure_add": "problem",
    "ledger:measure_edit": "measure",
    "ledger:measure_card": "measure",
    "ledger:progress_add": "measure",
    "ledger:transition": "measure",
    "ledger:extension_request": "measure",
    "ledger:acknowledge": "measure",
    "ledger:extension_decide": "extension",
    "ledger:evidence_upload": "measure",
    "ledger:evidence_download": "evidence",
    "history:round": "round",
    "history:problem": "problem",
    "history:measure": "measure",
    "reports:round_reports": "round",
    "reports:round_versions": "round",
    "reports:draft_create": "round",
    "reports:version": "report",
    "reports:sign_off": "report",
    "reports:issue": "report",
    "reports:withdraw": "report",
    "reports:download": "report",
    "receipts:measure_receipts": "measure",
    "receipts:batch_detail": "batch",
    "receipts:batch_slips": "batch",
    "comments:round_comments": "round",
    "comments:comment_answer": "comment",
}
SCOPED_URLCONFS = {
    "ledger": ledger_urls,
    "history": history_urls,
    "reports": reports_urls,
    "receipts": receipts_urls,
    "comments": comments_urls,
}


def _patterns_with_id() -> list[str]:
    return [
        f"{namespace}:{p.name}"
        for namespace, module in SCOPED_URLCONFS.items()
        for p in module.urlpatterns
        if isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern) and not p.name.startswith("export")
    ]


def _targets(cast, user_of_a):
    evidence = evidence_attach(
        measure=cast.a.measure, actor=user_of_a, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    extension = extension_request(
        measure=cast.a.measure, actor=user_of_a, new_deadline=datetime.date(2099, 1, 1), reason="等待上级批复"
    )
    batch = batch_issue(
        measure=cast.a.measure,
        actor=user_of_a,
        title="甲社区会议记录宣传回执",
        statement="已收到。",
        count=2,
        asks_satisfaction=False,
    )
    call = call_open(
        round_=cast.a.round, actor=user_of_a, invitation="欢迎对甲社区提出意见。", closes_on=None
    )
    comment = comment_submit(
        call=call, text="会议记录要公开", name="", contact="", logged_in=False, network="n"
    )
    report = draft_create(round_=cast.a.round, actor=user_of_a, kind="public")
    report = sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    with mock.patch("zhenggai.core.pdf.find_soffice", return_value=None):  # no PDF: seconds each
        report = issue(report=report, actor=user_of_a, expected_version=report.version).report
    return {
        "report": report.pk,
        "comment": comment.pk,
        "batch": batch.pk,
        "round": cast.a.round.pk,
        "problem": cast.a.problem.pk,
        "measure": cast.a.measure.pk,
        "evidence": evidence.pk,
        "extension": extension.pk,
    }


def test_every_url_with_an_id_is_covered():
    assert sorted(_patterns_with_id()) == sorted(URL_TARGETS)


@pytest.mark.parametrize("name", sorted(URL_TARGETS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_unit_b_gets_404_for_unit_a_records(client, cast, name, method):
    targets = _targets(cast, cast.clerk_a)
    client.force_login(cast.clerk_b)
    url = reverse(name, args=[targets[URL_TARGETS[name]]])
    response = getattr(client, method)(
        url,
        {f"t{targets['measure']}-action": "submit", f"t{targets['measure']}-version": 1, "approve": "yes"},
    )
    if response.status_code == 405:  # the URL does not take this method at all: nothing leaks
        return
    assert response.status_code == 404, url
    content = response.content.decode()
    assert "会议记录" not in content and "甲社区" not in content


@pytest.mark.parametrize("name", sorted(URL_TARGETS))
def test_a_guessed_id_that_does_not_exist_gets_the_same_404(client, cast, name):
    client.force_login(cast.clerk_b)
    response = client.get(reverse(name, args=[987654]))
    assert response.status_code in (404, 405)


def test_unit_b_cannot_change_unit_a_measure_through_any_post(client, cast):
    measure = cast.a.measure
    before = (
        measure.status,
        measure.version,
        measure.progress_entries.count(),
        measure.evidence_files.count(),
    )
    client.force_login(cast.clerk_b)
    pk = measure.pk
    client.post(
        reverse("ledger:progress_add", args=[pk]), {f"p{pk}-happened_on": "2024-01-01", f"p{pk}-text": "x"}
    )
    client.post(
        reverse("ledger:transition", args=[pk]),
        {f"t{pk}-action": "submit", f"t{pk}-version": measure.version, f"t{pk}-reason": "无"},
    )
    client.post(
        reverse("ledger:evidence_upload", args=[pk]),
        {f"e{pk}-file": io.BytesIO(b"%PDF-1.4\n")},
    )
    client.post(
        reverse("ledger:measure_edit", args=[pk]),
        {"text": "改掉", "deadline": "2030-01-01", "kind": "time_bound"},
    )
    measure.refresh_from_db()
    after = (
        measure.status,
        measure.version,
        measure.progress_entries.count(),
        measure.evidence_files.count(),
    )
    assert after == before
    assert measure.text == "建立会议记录当场签字制度。"


def test_unit_b_ledger_lists_show_nothing_of_unit_a(client, cast):
    client.force_login(cast.clerk_b)
    for url in [
        reverse("ledger:round_list"),
        reverse("ledger:all_ledgers"),
        reverse("ledger:all_ledgers") + "?q=会议",
    ]:
        content = client.get(url).content.decode()
        assert "甲社区" not in content, url
        assert "乙社区" in content, url


def test_scopes_by_role(cast):
    assert set(visible_rounds(cast.clerk_a)) == {cast.a.round}
    assert set(visible_rounds(cast.leader_a)) == {cast.a.round}
    assert set(visible_rounds(cast.clerk_b)) == {cast.b.round}
    assert set(visible_rounds(cast.officer)) == {cast.a.round, cast.b.round}
    assert not visible_rounds(cast.outsider).exists()
    assert set(visible_measures(cast.clerk_b)) == {cast.b.measure}


def test_a_lookup_by_id_reaches_what_the_scope_shows(cast):
    """get_round_for_user and get_problem_for_user check the reach in Python (access._reach_or_404);
    the ledger's lists scope in SQL (round_scope). Both must let the same people through."""
    department = cast.a.measure.lead_department
    users = [cast.clerk_a, cast.leader_a, cast.officer, cast.clerk_b, cast.outsider]
    for name, org, role in [
        ("dept_clerk", department, Role.UNIT_STAFF),  # a department's clerk sees the unit's round above
        ("group_officer", cast.group, Role.OFFICE_STAFF),
        ("supervisor", cast.office, Role.SUPERVISOR),
        ("unit_supervisor", cast.b.unit, Role.SUPERVISOR),
        ("unit_admin", cast.a.unit, Role.UNIT_ADMIN),
    ]:
        users.append(user_create(username=name, password="x-test-password-1"))
        membership_grant(user=users[-1], organisation=org, role=role)
    admin = user_create(username="admin", password="x-test-password-1")
    admin.is_superuser = True
    sleeping_admin = user_create(username="sleeping_admin", password="x-test-password-1")
    sleeping_admin.is_superuser, sleeping_admin.is_active = True, False
    users += [admin, sleeping_admin]
    for user in users:
        shown = set(visible_rounds(user))
        for unit in (cast.a, cast.b):
            try:
                found, _rights = get_round_for_user(user, unit.round.pk)
                problem, _rights = get_problem_for_user(user, unit.problem.pk)
            except Http404:
                found = problem = None
            assert (found is not None) == (unit.round in shown), (user.username, unit.round.title)
            assert (problem is not None) == (unit.round in shown), (user.username, unit.round.title)


def test_a_leader_may_read_but_not_keep_the_ledger(client, cast):
    client.force_login(cast.leader_a)
    assert client.get(reverse("ledger:problem_detail", args=[cast.a.problem.pk])).status_code == 200
    pk = cast.a.measure.pk
    response = client.post(
        reverse("ledger:progress_add", args=[pk]), {f"p{pk}-happened_on": "2024-01-01", f"p{pk}-text": "x"}
    )
    assert response.status_code == 403
    assert cast.a.measure.progress_entries.count() == 0


def test_anonymous_users_are_sent_to_log_in(client, cast):
    response = client.get(reverse("ledger:round_ledger", args=[cast.a.round.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
