"""Anchors: every issued document names the signed head; `verify --against` checks it later."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from io import StringIO

import docx
import openpyxl
import pytest
from _history_support import build_chain, delete_entries, fix_head, rehash_from, set_column, verify_args
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from zhenggai.core.pdf import pdf_available
from zhenggai.core.writers.anchor import find_anchor
from zhenggai.history import cli_verify
from zhenggai.history.anchors import anchor_now
from zhenggai.history.models import Checkpoint, HistoryEntry
from zhenggai.history.services import record
from zhenggai.reports.exporters import ExportOptions
from zhenggai.reports.models import ExportJob
from zhenggai.reports.services import export_run, report_render


@pytest.fixture
def chain(cast, settings, django_capture_on_commit_callbacks):
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    with django_capture_on_commit_callbacks(execute=True):
        build_chain(cast, 25)
    return cast


def _issue(cast, tmp_path, django_capture_on_commit_callbacks, kind="report", pdf=False):
    with transaction.atomic():  # something new since the last checkpoint: issuing signs it
        record(actor=cast.clerk_a, action="round.note", obj=cast.a.round, payload={"n": "issue"})
    options = ExportOptions(issuer="中共甲社区委员会", date=datetime.date(2026, 3, 1), pdf=pdf)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = report_render(round_=cast.a.round, kind=kind, options=options)
    path = tmp_path / rendered.filename
    path.write_bytes(rendered.data)
    return path


def _against(path) -> tuple[int, dict, str]:
    out = StringIO()
    try:
        call_command("verify_history", "--against", str(path), "--json", stdout=out)
        code, message = 0, ""
    except CommandError as exc:
        code, message = exc.returncode, str(exc)
    return code, (json.loads(out.getvalue()) if out.getvalue() else {}), message


def _last_seq() -> int:
    return HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()


def test_issuing_signs_the_head_and_prints_it(chain, tmp_path, django_capture_on_commit_callbacks):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks)
    head = Checkpoint.objects.get(seq=_last_seq())  # signed by the issue, covering everything
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"变更记录锚点 #{head.seq} {head.head_hash[:16]}… 签名密钥 {head.key_id}" in text
    assert text.index("2026年3月1日") < text.index("变更记录锚点")  # under the signature block
    found = find_anchor(document.core_properties.comments)
    assert (found.seq, found.head_hash, found.signature) == (head.seq, head.head_hash, head.signature)


def test_an_untouched_chain_matches_the_issued_report(chain, tmp_path, django_capture_on_commit_callbacks):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks)
    code, data, _ = _against(path)
    assert code == 0 and data["anchor_findings"] == []
    assert any("matches the chain" in note for note in data["notes"])


def test_a_chain_rehashed_after_the_report_fails_against_it(
    chain, tmp_path, django_capture_on_commit_callbacks
):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks, kind="progress")
    set_column(5, "actor_name", "别人")
    rehash_from(5)
    code, data, message = _against(path)
    assert code == 1 and "history verification failed" in message
    [finding] = data["anchor_findings"]
    assert finding["kind"] == "anchor_mismatch" and finding["seq"] == _last_seq()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_history", "--against", str(path), stdout=out)
    assert "变更记录在文件发布后被改写" in out.getvalue() and "rewritten after the document" in out.getvalue()


def test_a_chain_cut_below_the_anchor_fails_against_the_ledger(
    chain, tmp_path, django_capture_on_commit_callbacks
):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks, kind="ledger")
    book = openpyxl.load_workbook(path)
    anchor = find_anchor(book.properties.description)
    sheet = book.worksheets[0]
    assert sheet.cell(sheet.max_row, 1).value.startswith(f"变更记录锚点 #{anchor.seq} ")
    assert _against(path)[0] == 0
    delete_entries("seq > %s", [anchor.seq - 3])
    fix_head()
    code, data, _ = _against(path)
    assert code == 1
    finding = data["anchor_findings"][0]
    assert (
        finding["kind"] == "anchor_mismatch" and f"the chain ends at #{anchor.seq - 3}" in finding["detail"]
    )


def test_a_forged_anchor_fails_on_its_signature(chain, tmp_path, django_capture_on_commit_callbacks):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks)
    document = docx.Document(str(path))
    stored = HistoryEntry.objects.get(seq=3).hash
    comments = document.core_properties.comments
    found = find_anchor(comments)
    document.core_properties.comments = comments.replace(
        f"seq={found.seq} head={found.head_hash}", f"seq=3 head={stored}"
    )
    document.save(str(path))
    code, data, _ = _against(path)
    assert code == 1
    assert [(f["kind"], f["seq"]) for f in data["anchor_findings"]] == [("bad_signature", 3)]


def test_a_document_without_an_anchor_is_said_clearly(chain, tmp_path, capsys):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    code, _, message = _against(plain)
    assert code == cli_verify.EXIT_UNREADABLE == 2
    assert "没有变更记录锚点" in message and "plain.docx" in message
    assert cli_verify.run(verify_args(against=str(tmp_path / "gone.xlsx"))) == 2
    assert "无法读取文件" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not a workbook")
    assert "无法读取文件 broken.xlsx" in _against(broken)[2]
    other = tmp_path / "notes.txt"
    other.write_text("变更记录")
    assert "不支持的文件类型" in _against(other)[2]


def test_the_background_export_carries_the_anchor(chain, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(requested_by=chain.officer, filters={})
    with django_capture_on_commit_callbacks(execute=True):
        export_run(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as stream, zipfile.ZipFile(io.BytesIO(stream.read())) as package:
        found = find_anchor(package.read("docProps/core.xml").decode())
    assert found is not None and found.seq == _last_seq()


def test_anchor_now_is_none_for_an_empty_history(db):
    assert anchor_now() is None


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed (make pdf-deps)")
def test_a_pdf_is_checked_through_its_printed_line(chain, tmp_path, django_capture_on_commit_callbacks):
    path = _issue(chain, tmp_path, django_capture_on_commit_callbacks, pdf=True)
    code, data, _ = _against(path)
    assert code == 0, data
    assert any("the signed line" in note for note in data["notes"])
    set_column(2, "actor_name", "别人")
    rehash_from(2)
    code, data, _ = _against(path)
    assert code == 1 and data["anchor_findings"][0]["kind"] == "anchor_mismatch"
