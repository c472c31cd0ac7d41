"""The pages of issued reports, through the HTTP client: the cycle, downloads, staleness and scope."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from zhenggai.core.readers.docx import read_docx
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.services import measure_create
from zhenggai.reports import issuing
from zhenggai.reports.models import ReportFile, ReportKind, ReportState, ReportVersion

OFFICE = "县委巡察办"


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch):
    monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)


def _text(data: bytes) -> str:
    return "\n".join(block for block in read_docx(data).blocks if isinstance(block, str))


def _issued(cast, kind=ReportKind.PROGRESS, recipient="") -> ReportVersion:
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=kind, recipient=recipient)
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    return issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report


def _primary(page: str) -> list[str]:
    """The data-action of each primary button of the page."""
    return [
        chunk.split('data-action="', 1)[1].split('"', 1)[0]
        for chunk in page.split("<button")[1:]
        if 'class="primary"' in chunk.split(">", 1)[0] and 'data-action="' in chunk.split(">", 1)[0]
    ]


def test_a_clerk_drafts_a_leader_signs_off_and_the_clerk_issues(client, cast):
    client.force_login(cast.clerk_a)
    listing = reverse("reports:round_versions", args=[cast.a.round.pk])
    assert 'data-testid="draft-create"' in client.get(listing).content.decode()
    response = client.post(reverse("reports:draft_create", args=[cast.a.round.pk]), {"kind": "public"})
    report = ReportVersion.objects.get()
    page_url = reverse("reports:version", args=[report.pk])
    assert response["Location"] == page_url
    page = client.get(page_url).content.decode()
    assert 'data-testid="preview"' in page and "关于巡察整改情况的报告" in page
    assert "等待本单位领导签发" in page and _primary(page) == ["save"]
    form = {
        "version": report.version,
        "title": "甲社区巡察整改情况的通报",
        "recipient": "",
        "issuer": "中共甲社区委员会",
    }
    assert client.post(page_url, form).status_code == 302
    assert "甲社区巡察整改情况的通报" in client.get(page_url).content.decode()

    client.force_login(cast.leader_a)
    page = client.get(page_url).content.decode()
    assert _primary(page) == ["sign-off"] and 'data-action="save"' not in page
    report.refresh_from_db()
    assert (
        client.post(reverse("reports:sign_off", args=[report.pk]), {"version": report.version}).status_code
        == 302
    )

    client.force_login(cast.clerk_a)
    page = client.get(page_url).content.decode()
    assert _primary(page) == ["issue"]
    report.refresh_from_db()
    response = client.post(
        reverse("reports:issue", args=[report.pk]), {"version": report.version}, follow=True
    )
    page = response.content.decode()
    assert "已出具，序号为第 1 号" in page and "未安装 LibreOffice" in page  # the PDF's absence is said
    assert 'data-testid="files"' in page and 'data-format="docx"' in page and 'data-format="pdf"' not in page
    listing_page = client.get(listing).content.decode()
    assert f'data-report="{report.pk}" data-state="issued"' in listing_page and "已出具" in listing_page
    timeline = client.get(reverse("history:round", args=[cast.a.round.pk])).content.decode()
    assert all(act in timeline for act in ("起草报告", "修改报告草稿", "签发报告", "出具报告"))


def test_a_clerk_cannot_sign_off_and_a_leader_cannot_issue_through_the_pages(client, cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    client.force_login(cast.clerk_a)
    assert client.post(reverse("reports:sign_off", args=[report.pk]), {"version": 1}).status_code == 403
    client.force_login(cast.leader_a)
    assert (
        client.post(reverse("reports:draft_create", args=[cast.a.round.pk]), {"kind": "public"}).status_code
        == 403
    )
    assert (
        client.post(reverse("reports:version", args=[report.pk]), {"version": 1, "title": "x"}).status_code
        == 403
    )
    client.post(reverse("reports:sign_off", args=[report.pk]), {"version": 1})
    assert client.post(reverse("reports:issue", args=[report.pk]), {"version": 2}).status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED_OFF and ReportVersion.objects.count() == 1


def test_a_stale_form_is_refused_with_a_chinese_message(client, cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    issuing.draft_update(report=report, actor=cast.clerk_a, expected_version=1, title="别人改过的标题")
    client.force_login(cast.clerk_a)
    response = client.post(reverse("reports:version", args=[report.pk]), {"version": 1, "title": "我的标题"})
    assert response.status_code == 409
    assert "已被其他人修改" in response.content.decode() and "未作任何更改" in response.content.decode()
    client.force_login(cast.leader_a)
    response = client.post(reverse("reports:sign_off", args=[report.pk]), {"version": 1})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.title == "别人改过的标题" and report.state == ReportState.DRAFT


def test_downloading_an_issued_version_serves_its_frozen_file_and_changes_nothing(client, cast):
    report = _issued(cast, recipient=OFFICE)
    frozen = report.files.get(format="docx")
    measure_create(problem=cast.a.problem, actor=None, text="新增一项长效机制。")
    before = (HistoryEntry.objects.count(), ReportVersion.objects.count(), ReportFile.objects.count())
    client.force_login(cast.officer)  # the office reads what was issued to it
    response = client.get(reverse("reports:download", args=[report.pk]) + "?format=docx")
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == frozen.sha256
    assert "新增一项长效机制" not in _text(response.content)
    assert "%E7%AC%AC1%E5%8F%B7" in response["Content-Disposition"]  # （第1号） in the file name
    assert client.get(reverse("reports:download", args=[report.pk]) + "?format=pdf").status_code == 404
    assert (HistoryEntry.objects.count(), ReportVersion.objects.count(), ReportFile.objects.count()) == before


def test_a_download_never_changes_the_baseline_of_the_next_progress_report(client, cast):
    first = _issued(cast, recipient=OFFICE)
    measure_create(problem=cast.a.problem, actor=None, text="新增一项长效机制。")
    url = reverse("reports:round_reports", args=[cast.a.round.pk])
    for who in (cast.clerk_a, cast.officer):  # a clerk's download of the report, the office's of the ledger
        client.force_login(who)
        kind = "progress" if who == cast.clerk_a else "ledger"
        for fmt in ("docx", "xlsx"):
            client.post(url, {"kind": kind, "format": fmt, "addressee": OFFICE, "measures": "on"})
    assert ReportVersion.objects.count() == 1
    client.force_login(cast.clerk_a)
    download = client.post(url, {"kind": "progress", "format": "docx", "addressee": OFFICE, "measures": "on"})
    assert "新增一项长效机制" in _text(download.content)  # compared with the issued report, not a download
    assert "均无变化" not in _text(download.content)
    unaddressed = client.post(url, {"kind": "progress", "format": "docx", "measures": "on"})
    assert "县委巡察办：" in _text(unaddressed.content)  # by default to the round's office, as issued
    assert "新增一项长效机制" in _text(unaddressed.content)
    draft = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PROGRESS)
    page = client.get(reverse("reports:version", args=[draft.pk])).content.decode()
    assert "第 1 号报告" in page and issuing.draft_preview(report=draft).baseline == first


def test_a_leader_withdraws_with_a_reason_and_the_list_marks_it(client, cast):
    report = _issued(cast, kind=ReportKind.PUBLIC)
    client.force_login(cast.leader_a)
    page_url = reverse("reports:version", args=[report.pk])
    assert 'data-testid="withdraw"' in client.get(page_url).content.decode()
    url = reverse("reports:withdraw", args=[report.pk])
    refused = client.post(url, {"version": report.version, "reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"version": report.version, "reason": "数据有误，重新出具"}).status_code == 302
    listing = client.get(reverse("reports:round_versions", args=[cast.a.round.pk])).content.decode()
    assert 'data-state="withdrawn"' in listing and "数据有误，重新出具" in listing and "已撤回" in listing
    assert client.get(reverse("reports:download", args=[report.pk]) + "?format=docx").status_code == 200


def test_the_list_reads_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    for _ in range(3):
        _issued(cast)
    issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    client.force_login(cast.clerk_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:round_versions", args=[cast.a.round.pk]))
    assert response.content.decode().count("data-report=") == 4


def test_another_unit_reaches_no_report_of_unit_a_through_any_url(client, cast):
    draft = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    issued = _issued(cast)
    round_pk = cast.a.round.pk
    gets = [
        reverse("reports:round_versions", args=[round_pk]),
        reverse("reports:version", args=[draft.pk]),
        reverse("reports:version", args=[issued.pk]),
        reverse("reports:download", args=[issued.pk]) + "?format=docx",
    ]
    posts = [
        (reverse("reports:draft_create", args=[round_pk]), {"kind": "public"}),
        (reverse("reports:version", args=[draft.pk]), {"version": draft.version, "title": "乙改甲"}),
        (reverse("reports:sign_off", args=[draft.pk]), {"version": draft.version}),
        (reverse("reports:issue", args=[draft.pk]), {"version": draft.version}),
        (reverse("reports:withdraw", args=[issued.pk]), {"version": issued.version, "reason": "乙撤甲"}),
    ]
    before = list(ReportVersion.objects.order_by("pk").values_list("state", "version", "title"))
    entries = HistoryEntry.objects.count()
    for outsider in (cast.clerk_b, cast.outsider):
        client.force_login(outsider)
        for url in gets:
            assert client.get(url).status_code == 404, (outsider, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (outsider, url)
    assert list(ReportVersion.objects.order_by("pk").values_list("state", "version", "title")) == before
    assert HistoryEntry.objects.count() == entries
    assert client.get(reverse("reports:version", args=[999999])).status_code == 404  # none: the same 404
