"""Issuing a report as an act: the state machine, its rights, the frozen version and the baseline."""

from __future__ import annotations

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.core.pdf import pdf_available
from zhenggai.core.readers.docx import read_docx
from zhenggai.history.canonical import json_sha256
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.services import measure_create
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.reports import issuing
from zhenggai.reports.models import ReportKind, ReportState, ReportVersion
from zhenggai.reports.selectors import issued_public_reports, last_issued_progress

OFFICE = "县委巡察办"


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch, request):
    """PDFs take seconds each: only a test that asks for `real_pdf` makes them."""
    if "real_pdf" not in request.fixturenames:
        monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)


@pytest.fixture
def real_pdf():
    if not pdf_available():
        pytest.skip("LibreOffice is not installed")


def _text(data: bytes) -> str:
    return "\n".join(block for block in read_docx(data).blocks if isinstance(block, str))


def _signed(cast, kind=ReportKind.PROGRESS, recipient="", round_=None, clerk=None, leader=None):
    report = issuing.draft_create(
        round_=round_ or cast.a.round, actor=clerk or cast.clerk_a, kind=kind, recipient=recipient
    )
    return issuing.sign_off(report=report, actor=leader or cast.leader_a, expected_version=report.version)


def _issued(cast, **kwargs) -> ReportVersion:
    report = _signed(cast, **kwargs)
    return issuing.issue(
        report=report, actor=kwargs.get("clerk") or cast.clerk_a, expected_version=report.version
    ).report


def _docx(report: ReportVersion) -> bytes:
    return bytes(report.files.get(format="docx").data)


def test_a_report_goes_from_draft_to_signed_off_to_issued_to_withdrawn(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PROGRESS)
    assert (report.state, report.recipient, report.issuer) == (ReportState.DRAFT, OFFICE, "甲社区")
    assert report.title == "关于巡察整改进展情况的报告" and report.number is None
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    assert report.state == ReportState.SIGNED_OFF and report.signed_off_by == cast.leader_a
    report = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    assert report.state == ReportState.ISSUED and report.number == 1 and report.issued_by == cast.clerk_a
    assert report.issued_at >= report.signed_off_at >= report.created_at
    report = issuing.withdraw(
        report=report, actor=cast.leader_a, expected_version=report.version, reason="数据有误"
    )
    assert report.state == ReportState.WITHDRAWN and report.withdrawal_reason == "数据有误"
    assert report.withdrawn_by == cast.leader_a and report.number == 1 and report.files.count() == 1
    actions = HistoryEntry.objects.filter(object_type="reports.reportversion", object_id=str(report.pk))
    assert list(actions.values_list("action", flat=True)) == [
        "report.draft",
        "report.sign_off",
        "report.issue",
        "report.withdraw",
    ]
    assert set(actions.values_list("round_id", flat=True)) == {cast.a.round.pk}


def test_a_clerk_cannot_sign_off_nor_withdraw_and_a_leader_cannot_draft_nor_issue(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    with pytest.raises(LedgerError, match="单位领导"):
        issuing.sign_off(report=report, actor=cast.clerk_a, expected_version=report.version)
    with pytest.raises(LedgerError, match="台账管理员"):
        issuing.draft_create(round_=cast.a.round, actor=cast.leader_a, kind=ReportKind.PUBLIC)
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    with pytest.raises(LedgerError, match="台账管理员"):
        issuing.issue(report=report, actor=cast.leader_a, expected_version=report.version)
    for outsider in (cast.officer, cast.clerk_b, cast.outsider):
        with pytest.raises(LedgerError):
            issuing.issue(report=report, actor=outsider, expected_version=report.version)
    report = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    with pytest.raises(LedgerError, match="单位领导"):
        issuing.withdraw(report=report, actor=cast.clerk_a, expected_version=report.version, reason="错")
    assert ReportVersion.objects.get().state == ReportState.ISSUED


def test_whoever_drafted_a_report_cannot_also_sign_it_off(cast):
    membership_grant(user=cast.clerk_a, organisation=cast.a.unit, role=Role.UNIT_LEADER)
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    with pytest.raises(LedgerError, match="起草"):
        issuing.sign_off(report=report, actor=cast.clerk_a, expected_version=report.version)


def test_steps_out_of_order_are_refused(cast):
    draft = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    with pytest.raises(LedgerError, match="草稿"):
        issuing.issue(report=draft, actor=cast.clerk_a, expected_version=draft.version)
    with pytest.raises(LedgerError, match="草稿"):
        issuing.withdraw(report=draft, actor=cast.leader_a, expected_version=draft.version, reason="x")
    issued = _issued(cast, kind=ReportKind.PUBLIC)
    with pytest.raises(LedgerError, match="已出具"):
        issuing.draft_update(report=issued, actor=cast.clerk_a, expected_version=issued.version, title="改")
    with pytest.raises(LedgerError, match="已出具"):
        issuing.sign_off(report=issued, actor=cast.leader_a, expected_version=issued.version)
    with pytest.raises(LedgerError, match="理由"):
        issuing.withdraw(report=issued, actor=cast.leader_a, expected_version=issued.version, reason=" ")


def test_a_stale_edit_is_refused_and_changes_nothing(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    seen = report.version
    issuing.draft_update(
        report=report, actor=cast.clerk_a, expected_version=seen, title="甲社区整改情况的报告"
    )
    with pytest.raises(StaleEdit, match="其他人") as refused:
        issuing.draft_update(report=report, actor=cast.clerk_a, expected_version=seen, title="旧标题")
    assert "未作任何更改" in refused.value.message
    with pytest.raises(StaleEdit):
        issuing.sign_off(report=report, actor=cast.leader_a, expected_version=seen)
    report.refresh_from_db()
    assert report.title == "甲社区整改情况的报告" and report.state == ReportState.DRAFT


def test_editing_a_signed_off_draft_sends_it_back_for_sign_off(cast):
    report = _signed(cast, kind=ReportKind.PUBLIC)
    report = issuing.draft_update(
        report=report, actor=cast.clerk_a, expected_version=report.version, opening="根据县委巡察工作安排，"
    )
    assert report.state == ReportState.DRAFT and report.signed_off_by is None
    with pytest.raises(LedgerError):
        issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version)


def test_an_issued_version_does_not_change_when_the_ledger_changes(cast):
    report = _issued(cast, kind=ReportKind.PUBLIC)
    frozen_ledger, frozen_file = report.ledger, _docx(report)
    measure_create(problem=cast.a.problem, actor=None, text="新增一项长效机制。")
    report.refresh_from_db()
    assert report.ledger == frozen_ledger and _docx(report) == frozen_file
    assert "新增一项长效机制" not in _text(frozen_file)
    later = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    preview = issuing.draft_preview(report=later)
    assert any("新增一项长效机制" in p.text for p in preview.paragraphs)


def test_issuing_records_the_hashes_of_the_ledger_and_files(cast):
    report = _issued(cast, kind=ReportKind.PROGRESS)
    [file] = report.files.all()
    assert file.sha256 == hashlib.sha256(bytes(file.data)).hexdigest() and file.size == len(bytes(file.data))
    assert report.ledger_sha256 == json_sha256(report.ledger)
    entry = HistoryEntry.objects.get(action="report.issue")
    assert entry.payload["ledger_sha256"] == report.ledger_sha256
    assert entry.payload["files"]["docx"]["sha256"] == file.sha256
    assert entry.payload["number"] == 1 and "（第1号）" in file.filename


def test_numbers_run_per_round_and_kind_from_one(cast):
    numbers = [
        _issued(cast, kind=ReportKind.PROGRESS).number,
        _issued(cast, kind=ReportKind.PROGRESS).number,
        _issued(cast, kind=ReportKind.PUBLIC).number,
    ]
    clerk_b_leader = cast.clerk_b  # unit B's own cycle: a leader of B signs off
    from django.contrib.auth import get_user_model

    leader_b = get_user_model().objects.create_user("leader_b", password="x-test-password-1")
    membership_grant(user=leader_b, organisation=cast.b.unit, role=Role.UNIT_LEADER)
    other = _issued(
        cast, kind=ReportKind.PROGRESS, round_=cast.b.round, clerk=clerk_b_leader, leader=leader_b
    )
    assert numbers == [1, 2, 1] and other.number == 1


def test_changes_since_compare_with_the_last_report_issued_to_the_same_recipient(cast):
    first = _issued(cast, recipient=OFFICE)
    assert "首次整改进展情况报告" in _text(_docx(first)) and first.baseline is None
    measure_create(problem=cast.a.problem, actor=None, text="新增一项长效机制。")
    elsewhere = _issued(cast, recipient="县委组织部")  # another recipient: its own first report
    assert elsewhere.baseline is None and "首次整改进展情况报告" in _text(_docx(elsewhere))
    second = _issued(cast, recipient=OFFICE)
    assert second.baseline == first and "新增一项长效机制" in _text(_docx(second))
    issuing.withdraw(report=second, actor=cast.leader_a, expected_version=second.version, reason="有误")
    third = _issued(cast, recipient=OFFICE)  # the withdrawn one is not the last report
    assert third.baseline == first and "新增一项长效机制" in _text(_docx(third))
    assert last_issued_progress(cast.a.round, OFFICE) == third


def test_a_draft_preview_names_its_baseline_and_records_nothing(cast):
    first = _issued(cast, recipient=OFFICE)
    draft = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PROGRESS)
    before = (HistoryEntry.objects.count(), ReportVersion.objects.count())
    preview = issuing.draft_preview(report=draft)
    assert preview.baseline == first
    assert any("均无变化" in p.text for p in preview.paragraphs)
    assert (HistoryEntry.objects.count(), ReportVersion.objects.count()) == before


def test_the_public_report_carries_its_own_title_addressee_opening_and_closing(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PUBLIC)
    report = issuing.draft_update(
        report=report,
        actor=cast.clerk_a,
        expected_version=report.version,
        title="中共甲社区委员会关于巡察整改进展情况的通报",
        opening="根据县委巡察工作统一部署，现将整改情况予以公布。",
        closing="欢迎广大群众监督。",
    )
    report = issuing.sign_off(report=report, actor=cast.leader_a, expected_version=report.version)
    report = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version).report
    text = _text(_docx(report))
    assert text.startswith("中共甲社区委员会关于巡察整改进展情况的通报")
    assert "甲社区巡察整改" not in text  # not the round's name
    assert "根据县委巡察工作统一部署" in text and "欢迎广大群众监督。" in text


def test_the_progress_report_carries_its_opening_and_closing(cast):
    report = issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind=ReportKind.PROGRESS)
    preview = issuing.draft_preview(
        report=issuing.draft_update(
            report=report,
            actor=cast.clerk_a,
            expected_version=report.version,
            opening="现将整改进展报告如下。",
            closing="特此报告。",
        )
    )
    texts = [p.text for p in preview.paragraphs]
    assert "现将整改进展报告如下。" in texts and "特此报告。" in texts
    assert "县委巡察办：" in texts


def test_without_libreoffice_only_the_word_file_is_kept_and_it_says_so(cast):
    report = _signed(cast, kind=ReportKind.PUBLIC)
    issued = issuing.issue(report=report, actor=cast.clerk_a, expected_version=report.version)
    assert "LibreOffice" in issued.pdf_missing and "PDF" in issued.pdf_missing
    assert list(issued.report.files.values_list("format", flat=True)) == ["docx"]


def test_with_libreoffice_the_pdf_is_frozen_too(cast, real_pdf):
    report = _issued(cast, kind=ReportKind.PUBLIC)
    formats = dict(report.files.values_list("format", "sha256"))
    assert set(formats) == {"docx", "pdf"}
    pdf = report.files.get(format="pdf")
    assert bytes(pdf.data).startswith(b"%PDF") and pdf.sha256 == formats["pdf"]
    entry = HistoryEntry.objects.get(action="report.issue")
    assert entry.payload["files"]["pdf"]["sha256"] == formats["pdf"]


def test_issued_public_reports_are_the_issued_public_ones_not_withdrawn(cast):
    kept = _issued(cast, kind=ReportKind.PUBLIC)
    gone = _issued(cast, kind=ReportKind.PUBLIC)
    issuing.withdraw(report=gone, actor=cast.leader_a, expected_version=gone.version, reason="重发")
    _issued(cast, kind=ReportKind.PROGRESS)
    _signed(cast, kind=ReportKind.PUBLIC)
    with CaptureQueriesContext(connection) as queries:
        found = list(issued_public_reports())
        described = [(r.round.inspected_unit.name, r.round_kind, r.year) for r in found]
    assert found == [kept] and len(queries) == 1
    assert described == [("甲社区", "巡察", cast.a.round.feedback_date.year)]


def test_the_history_verifies_after_the_cycle_and_the_issued_file_matches_it(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _issued(cast, kind=ReportKind.PUBLIC)
        issuing.withdraw(report=report, actor=cast.leader_a, expected_version=report.version, reason="重发")
    file = report.files.get(format="docx")
    path = tmp_path / file.filename
    path.write_bytes(bytes(file.data))
    out = StringIO()
    call_command("verify_history", "--against", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["anchor_findings"] == [] and any("matches the chain" in n for n in result["notes"])


def test_an_issue_that_raced_another_to_the_same_recipient_is_refused(cast, monkeypatch):
    mine, theirs = _signed(cast, recipient=OFFICE), _signed(cast, recipient=OFFICE)
    racing: list[ReportVersion] = []

    def meanwhile() -> bool:  # while `mine` is being written, `theirs` is issued
        if not racing:
            racing.append(theirs)
            issuing.issue(report=theirs, actor=cast.clerk_a, expected_version=theirs.version)
        return False

    monkeypatch.setattr(issuing, "pdf_available", meanwhile)
    with pytest.raises(StaleEdit, match="同一主送机关"):
        issuing.issue(report=mine, actor=cast.clerk_a, expected_version=mine.version)
    mine.refresh_from_db()
    assert mine.state == ReportState.SIGNED_OFF and mine.number is None and not mine.files.exists()
    again = issuing.issue(report=mine, actor=cast.clerk_a, expected_version=mine.version).report
    assert again.baseline == theirs and again.number == 2
