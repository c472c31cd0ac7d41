"""Reports and ledgers written from a round: choose, preview (with masking), download, export."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import default_task_backend

from zhenggai.core.parse import parse_document
from zhenggai.core.readers.docx import read_docx
from zhenggai.history.models import Checkpoint, HistoryEntry
from zhenggai.ledger.models import InspectionRound
from zhenggai.ledger.services import measure_create
from zhenggai.reports.models import ExportJob, ExportStatus, ReportVersion
from zhenggai.reports.services import export_run

REPO = Path(__file__).parents[2]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return InspectionRound.objects.get(inspected_unit__name="X社区党工委")


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def _docx_text(data: bytes) -> str:
    return "\n".join(block for block in read_docx(data).blocks if isinstance(block, str))


def test_the_public_report_reads_back_as_the_same_tree(client, demo):
    _login(client, "x_clerk")
    url = reverse("reports:round_reports", args=[demo.pk])
    response = client.post(
        url,
        {
            "kind": "report",
            "format": "docx",
            "issuer": "中共X社区工作委员会",
            "redact": "on",
            "measures": "on",
            "status_phrases": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    ledger = parse_document(response.content, "report.docx")
    problems = [n for n in _walk(ledger["sections"]) if n.get("problem")]
    assert len(ledger["sections"]) == 3 and len(problems) == 22
    assert sum(len(n["measures"]) for n in problems) == 50
    assert not ReportVersion.objects.exists()  # a download is not an issue: nothing is recorded
    head = Checkpoint.objects.order_by("-seq").first()  # signed when issued: the anchor covers it all
    assert head.seq == HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert f"变更记录锚点 #{head.seq} {head.head_hash[:16]}" in _docx_text(response.content)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


def test_personal_data_is_masked_and_shown_in_the_preview(client, demo):
    problem = demo.problems.exclude(statement="").first()
    measure_create(
        problem=problem, actor=None, text="已电话回访居民张建国（13912345678，身份证110101199003071234）。"
    )
    _login(client, "x_clerk")
    url = reverse("reports:round_reports", args=[demo.pk])
    preview = client.get(
        url, {"kind": "report", "format": "docx", "redact": "on", "measures": "on", "redact_names": "张建国"}
    ).content.decode()
    shown = preview[preview.index('class="card preview"') :]
    assert "13912345678" not in shown and "110101199003071234" not in shown and "张建国" not in shown
    assert 'data-testid="findings"' in preview and "139****5678" in preview
    response = client.post(
        url, {"kind": "report", "format": "docx", "redact": "on", "measures": "on", "redact_names": "张建国"}
    )
    text = _docx_text(response.content)
    assert "13912345678" not in text and "110101199003071234" not in text and "张建国" not in text
    assert "已电话回访居民" in text


def test_the_contact_lines_close_the_report_and_their_numbers_stay_unmasked(client, demo):
    problem = demo.problems.exclude(statement="").first()
    measure_create(problem=problem, actor=None, text="已公开服务电话（0451）82345678，回访居民13912345678。")
    _login(client, "x_clerk")
    url = reverse("reports:round_reports", args=[demo.pk])
    form = {
        "kind": "report",
        "format": "docx",
        "redact": "on",
        "measures": "on",
        "contact_lines": "联系电话：0451-82345678\r\n电子邮箱：xcb@example.gov.cn\r\n",
    }
    preview = client.get(url, form).content.decode()
    shown = preview[preview.index('class="card preview"') :]
    assert "（0451）82345678" in shown and "139****5678" in shown and "13912345678" not in shown
    findings = shown[shown.index('data-testid="findings"') : shown.index("gongwen-preview")]
    assert "手机号码" in findings and "固定电话" not in findings  # only the resident's number
    text = _docx_text(client.post(url, form).content)
    assert "已公开服务电话（0451）82345678" in text and "13912345678" not in text
    closing = text[text.index("欢迎") :]
    assert "联系电话：0451-82345678" in closing and "电子邮箱：xcb@example.gov.cn" in closing


def test_a_downloaded_progress_report_compares_with_nothing_downloaded(client, demo):
    _login(client, "x_clerk")
    url = reverse("reports:round_reports", args=[demo.pk])
    form = {"kind": "progress", "format": "docx", "as_of": "2020-07-13", "measures": "on"}
    first = client.post(url, form)
    assert first.status_code == 200
    measure_create(problem=demo.problems.exclude(statement="").last(), actor=None, text="新增一项长效机制。")
    second = client.post(url, {**form, "as_of": "2020-09-13"})
    assert not ReportVersion.objects.exists()
    # Nothing was issued: both downloads are a first report, whatever was downloaded before.
    assert "首次整改进展情况报告" in _docx_text(first.content)
    assert "首次整改进展情况报告" in _docx_text(second.content)
    assert "新增一项长效机制" in _docx_text(second.content)


def test_the_ledger_workbook_downloads(client, demo):
    _login(client, "xunchaban")
    response = client.post(
        reverse("reports:round_reports", args=[demo.pk]), {"kind": "ledger", "format": "xlsx"}
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[3]][:3] == ["序号", "问题", "整改措施"]
    assert sheet.freeze_panes == "A4"
    head = Checkpoint.objects.order_by("-seq").first()
    assert f"seq={head.seq} head={head.head_hash}" in book.properties.description
    assert sheet.cell(sheet.max_row, 1).value.startswith(f"变更记录锚点 #{head.seq} ")


def test_pdf_without_libreoffice_says_so_in_chinese(client, demo, monkeypatch):
    monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)
    _login(client, "x_clerk")
    response = client.post(
        reverse("reports:round_reports", args=[demo.pk]), {"kind": "report", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "LibreOffice" in response.content.decode() and "PDF" in response.content.decode()


def test_another_unit_cannot_reach_the_reports(client, demo):
    _login(client, "y_clerk")
    assert client.get(reverse("reports:round_reports", args=[demo.pk])).status_code == 404
    assert (
        client.post(reverse("reports:round_reports", args=[demo.pk]), {"kind": "ledger"}).status_code == 404
    )


def test_a_large_export_runs_in_the_background_and_is_downloaded(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _login(client, "xunchaban")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_start"))
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reports:export_status", args=[job.pk])
    enqueued = default_task_backend.results
    assert [(r.task.name, r.args) for r in enqueued] == [("export_ledgers", [job.pk])]
    queued = client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    assert 'data-status="queued"' in queued and "every 2s" in queued  # the page polls until done
    export_run(job.pk)  # what the database worker does with the enqueued task
    job.refresh_from_db()
    # The demo's three rounds: X社区's, and Y社区's two (inspected twice).
    assert job.status == ExportStatus.DONE and job.total == 3 and job.done == 3
    status = client.get(
        reverse("reports:export_status", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="done"' in status and "hx-trigger" not in status
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(book.worksheets) == 3
    _login(client, "y_clerk")
    assert client.get(reverse("reports:export_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_zhenggai_render_writes_from_a_json_file_without_a_database(tmp_path):
    sample = REPO / "src/zhenggai/demo/data/x_community_2020_report.txt"
    ledger = tmp_path / "demo.json"
    ledger.write_text(json.dumps(parse_document(sample.read_bytes(), sample.name), ensure_ascii=False))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for kind, name in [("report", "r.docx"), ("ledger", "l.xlsx"), ("progress", "p.docx")]:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "zhenggai.cli",
                "render",
                str(ledger),
                "--as",
                kind,
                "--to",
                str(tmp_path / name),
                "--contact",
                "联系电话：0451-82345678",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 1000
    assert "联系电话：0451-82345678" in _docx_text((tmp_path / "r.docx").read_bytes())
    assert "变更记录锚点" not in _docx_text((tmp_path / "r.docx").read_bytes())  # no database, no anchor
    assert not (tmp_path / "var").exists()  # no database was set up


def test_a_supervisor_previews_but_issues_nothing(client, demo):
    _login(client, "jiwei")
    url = reverse("reports:round_reports", args=[demo.pk])
    form = {
        "kind": "progress",
        "format": "docx",
        "issuer": "X社区",
        "date": "2020-08-13",
        "as_of": "2020-08-13",
    }
    page = client.get(url, {**form, "kind": "report"}).content.decode()
    assert 'data-action="download"' not in page and "台账管理员出具" in page
    response = client.post(url, form)
    assert response.status_code == 403 and "无权操作" in response.content.decode()
    assert client.post(reverse("reports:export_start")).status_code == 403
    assert not ReportVersion.objects.exists() and not ExportJob.objects.exists()


def test_the_office_downloads_the_ledger_but_issues_no_report_of_the_unit(client, demo):
    _login(client, "xunchaban")
    url = reverse("reports:round_reports", args=[demo.pk])
    for kind in ("report", "progress"):
        response = client.post(url, {"kind": kind, "format": "docx", "issuer": "X社区"})
        assert response.status_code == 403, kind
    assert client.post(url, {"kind": "ledger", "format": "xlsx"}).status_code == 200
    assert not ReportVersion.objects.exists()
