"""The public pages of issued public reports: the list, a version's page, its files."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from zhenggai.comments import services as comments
from zhenggai.ledger.models import InspectionRound, Measure, RoundKind
from zhenggai.ledger.services import measure_create
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create
from zhenggai.reports import issuing
from zhenggai.reports.models import ReportKind, ReportVersion

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch):
    monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)


def _draft(cast, round_=None, clerk=None) -> ReportVersion:
    return issuing.draft_create(
        round_=round_ or cast.a.round, actor=clerk or cast.clerk_a, kind=ReportKind.PUBLIC
    )


def _signed(cast, **kwargs) -> ReportVersion:
    report = _draft(cast, **kwargs)
    return issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)


def _issued(cast, **kwargs) -> ReportVersion:
    report = _signed(cast, **kwargs)
    return issuing.issue(
        report=report, actor=kwargs.get("clerk") or cast.clerk_a, expected_version=report.version
    ).report


def _page(token: str) -> str:
    return reverse("reports:public_report", args=[token])


def _get(url: str, **query):
    return Client().get(url, query)


def test_an_issued_public_report_is_read_without_logging_in(cast):
    report = _issued(cast)
    response = _get(_page(report.public_token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲社区" in page and "public-report-facts" in page
    assert report.title in page
    assert 'data-format="docx"' in page
    download = _get(reverse("reports:public_download", args=[report.public_token, "docx"]))
    assert download.status_code == 200
    assert bytes(download.content) == bytes(report.files.get(format="docx").data)


def test_drafts_and_signed_off_reports_are_not_reachable(cast):
    for report in (_draft(cast), _signed(cast)):
        assert _get(_page(report.public_token)).status_code == 404
        assert _get(reverse("reports:public_download", args=[report.public_token, "docx"])).status_code == 404
    assert "public-report-link" not in _get(reverse("reports:public_list")).content.decode()


def test_a_progress_report_is_not_public(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PROGRESS)
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    report = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    assert _get(_page(report.public_token)).status_code == 404
    assert _get(reverse("reports:public_download", args=[report.public_token, "docx"])).status_code == 404


def test_a_withdrawn_version_says_so_and_offers_neither_text_nor_files(cast):
    Measure.objects.filter(pk=cast.a.measure.pk).update(text="在幸福路开展专项整治。")
    report = _issued(cast)
    before = _get(_page(report.public_token)).content.decode()
    assert "幸福路" in before
    issuing.withdraw(report=report, actor=cast.leader_a, expected_version=report.version, reason="数据有误")
    response = _get(_page(report.public_token))
    assert response.status_code == 200  # the address printed on paper still leads somewhere
    page = response.content.decode()
    assert 'data-testid="public-withdrawn"' in page
    assert "幸福路" not in page and "data-format" not in page
    assert _get(reverse("reports:public_download", args=[report.public_token, "docx"])).status_code == 404
    assert report.public_token not in _get(reverse("reports:public_list")).content.decode()


def test_the_next_version_lists_the_withdrawn_one_marked(cast):
    first = _issued(cast)
    issuing.withdraw(report=first, actor=cast.leader_a, expected_version=first.version, reason="数据有误")
    second = _issued(cast)
    page = _get(_page(second.public_token)).content.decode()
    assert first.public_token in page and 'data-testid="public-versions"' in page
    assert "已撤回" in page or "withdrawn" in page


def test_no_unmasked_personal_data_on_the_page_or_in_the_list(cast):
    Measure.objects.filter(pk=cast.a.measure.pk).update(
        text=f"走访群众张三（身份证号{ID_NUMBER}，电话{PHONE}）并整改。"
    )
    report = _draft(cast)
    report = issuing.draft_update(
        report=report,
        actor=cast.clerk_a,
        expected_version=report.version,
        redact_names="张三",
        opening=f"联系人电话{PHONE}。",
    )
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    report = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    page = _get(_page(report.public_token)).content.decode()
    listing = _get(reverse("reports:public_list"), q="甲").content.decode()
    assert "138****5678" in page and "走访群众" in page
    for text in (page, listing):
        assert ID_NUMBER not in text and PHONE not in text and "张三" not in text


def test_the_page_shows_the_issued_text_not_the_ledger_as_it_is_now(cast):
    Measure.objects.filter(pk=cast.a.measure.pk).update(text="建立台账制度。")
    report = _issued(cast)
    before = _get(_page(report.public_token)).content.decode()
    Measure.objects.filter(pk=cast.a.measure.pk).update(text="后来改写的措施。")
    measure_create(problem=cast.a.problem, actor=None, text="新增一项长效机制。")
    from django.core.cache import cache

    cache.clear()  # not a kept page: rendered again from the database
    after = _get(_page(report.public_token)).content.decode()
    assert "建立台账制度" in after and "后来改写" not in after and "长效机制" not in after
    assert _text(before) == _text(after)


def _text(page: str) -> str:
    found = re.search(r'data-testid="public-report-text">(.*?)</div>', page, re.S)
    assert found
    return found.group(1)


def test_the_list_filters_by_unit_year_kind_office_and_search(cast, django_user_model):
    from zhenggai.orgs.models import Role
    from zhenggai.orgs.services import membership_grant

    leader_b = django_user_model.objects.create_user("leader_b", password="x-test-password-1")
    membership_grant(user=leader_b, organisation=cast.b.unit, role=Role.UNIT_LEADER)
    other_office = organisation_create(name="市审计局", kind=OrgKind.INSPECTION_OFFICE)
    InspectionRound.objects.filter(pk=cast.a.round.pk).update(
        kind=RoundKind.XUNCHA, feedback_date="2025-03-01"
    )
    InspectionRound.objects.filter(pk=cast.b.round.pk).update(
        kind=RoundKind.SHENJI, feedback_date="2026-03-01", office=other_office
    )
    cast.a.round.refresh_from_db()
    cast.b.round.refresh_from_db()
    a = _issued(cast)
    b = issuing.draft_create(round_=cast.b.round, actor=cast.clerk_b, kind=ReportKind.PUBLIC)
    issuing.draft_update(
        report=b, actor=cast.clerk_b, expected_version=b.version, title="关于审计整改情况的报告"
    )
    b.refresh_from_db()
    b = issuing.sign_off(report=b, actor=leader_b, expected_version=b.version)
    b = issuing.issue(report=b, actor=cast.clerk_b, expected_version=b.version).report
    url = reverse("reports:public_list")

    def found(**query) -> set[str]:
        page = _get(url, **query).content.decode()
        return {token for token in (a.public_token, b.public_token) if token in page}

    assert found() == {a.public_token, b.public_token}
    assert found(unit="甲社区") == {a.public_token}
    assert found(unit="乙") == {b.public_token}
    assert found(year="2025") == {a.public_token}
    assert found(kind="审计") == {b.public_token}
    assert found(office="市审计局") == {b.public_token}
    assert found(q="审计整改") == {b.public_token}
    assert found(q="甲社区") == {a.public_token}
    assert found(unit="甲社区", year="2026") == set()
    assert found(year="not a year", unit="甲社区") == {a.public_token}  # a bad field is ignored
    assert _get(url, page="999999").status_code == 200


def test_public_urls_carry_no_sequential_id(cast):
    report = _issued(cast)
    comments.call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提出意见。", closes_on=None)
    listing = _get(reverse("reports:public_list")).content.decode()
    page = _get(_page(report.public_token)).content.decode()
    assert len(report.public_token) >= 40
    for html in (listing, page):
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith(("/r/", "/y/", "http")):
                assert not re.search(rf"/{report.pk}(/|$)", href), href
                assert not re.search(r"/\d+/", href.split("?")[0]), href
    assert _get(f"/r/{report.pk}/").status_code == 404


def test_the_comment_page_and_published_answers_sit_under_the_report(cast):
    report = _issued(cast)
    call = comments.call_open(
        round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提出意见。", closes_on=None
    )
    Client(REMOTE_ADDR="10.3.3.3").post(
        reverse("comments:public", args=[call.token]), {"text": "楼道灯坏了。"}
    )
    Client(REMOTE_ADDR="10.3.3.4").post(
        reverse("comments:public", args=[call.token]), {"text": "私下的意见。"}
    )
    page = _get(_page(report.public_token)).content.decode()
    assert f"/y/{call.token}/" in page and "<svg" in page
    assert "楼道灯" not in page  # not answered yet
    first, second = call.comments.order_by("pk")
    comments.comment_answer(comment=first, actor=cast.clerk_a, answer="已修好。", public=True)
    comments.comment_answer(comment=second, actor=cast.clerk_a, answer="已联系。", public=False)
    page = _get(_page(report.public_token)).content.decode()  # a new key: the answer shows at once
    assert "楼道灯" in page and "已修好" in page
    assert "私下的意见" not in page and "已联系" not in page


def test_a_kept_page_is_served_until_a_withdrawal_changes_its_key(cast, django_assert_max_num_queries):
    report = _issued(cast)
    _get(_page(report.public_token))
    with django_assert_max_num_queries(1):
        assert _get(_page(report.public_token)).status_code == 200
    issuing.withdraw(report=report, actor=cast.leader_a, expected_version=report.version, reason="有误")
    assert 'data-testid="public-withdrawn"' in _get(_page(report.public_token)).content.decode()


def test_a_logged_in_visitor_sees_the_same_page_not_kept(client, cast):
    report = _issued(cast)
    client.force_login(cast.officer)
    assert client.get(_page(report.public_token)).status_code == 200


def test_the_list_asks_the_same_few_queries_for_one_report_or_many(cast, django_assert_max_num_queries):
    for _ in range(3):
        report = _issued(cast)
    assert report.number == 3
    with django_assert_max_num_queries(7):  # rows, count, the four filters' values, the session
        page = _get(reverse("reports:public_list")).content.decode()
    assert page.count('data-testid="public-report-link"') == 3


def test_the_staff_page_of_an_issued_public_report_gives_its_public_address(client, cast):
    report = _issued(cast)
    client.force_login(cast.clerk_a)
    page = client.get(reverse("reports:version", args=[report.pk])).content.decode()
    assert f"/r/{report.public_token}/" in page
