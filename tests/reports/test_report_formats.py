"""Every document in every format the report page offers is a file of that format; a format a
document is not written in is refused on the form, never answered with another format."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhenggai.core.pdf import pdf_available
from zhenggai.ledger.models import InspectionRound
from zhenggai.reports.exporters import EXPORTERS
from zhenggai.reports.forms import FORMATS, KINDS
from zhenggai.reports.models import ReportVersion

OFFERED = {"report": ("docx", "pdf", "txt"), "progress": ("docx", "pdf"), "ledger": ("xlsx",)}
VALID = [(kind, fmt) for kind, formats in OFFERED.items() for fmt in formats]
INVALID = [(kind, fmt) for kind, _ in KINDS for fmt, _ in FORMATS if fmt and fmt not in OFFERED[kind]]


@pytest.fixture
def demo(db, client):
    from django.contrib.auth import get_user_model

    call_command("load_demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username="x_clerk"))
    return InspectionRound.objects.get(inspected_unit__name="X社区党工委")


def _is(fmt: str, data: bytes) -> bool:
    if fmt in ("docx", "xlsx"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        return ("word/document.xml" if fmt == "docx" else "xl/workbook.xml") in names
    if fmt == "pdf":
        return data.startswith(b"%PDF-")
    text = data.decode("utf-8")  # plain text: UTF-8, neither a zip nor a PDF
    return not data.startswith((b"PK", b"%PDF")) and "整改" in text


def _post(client, demo, kind: str, fmt: str):
    form = {"kind": kind, "format": fmt, "issuer": "中共X社区工作委员会", "date": "2020-08-03"}
    form.update(as_of="2020-08-01", measures="on", status_phrases="on", redact="on")
    return client.post(reverse("reports:round_reports", args=[demo.pk]), form)


def test_the_form_offers_what_the_exporters_write():
    assert {kind: EXPORTERS[kind].formats for kind, _ in KINDS} == OFFERED


@pytest.mark.parametrize(("kind", "fmt"), [*VALID, ("report", ""), ("progress", ""), ("ledger", "")])
def test_each_document_downloads_in_the_format_chosen(client, demo, kind, fmt):
    if fmt == "pdf" and not pdf_available():
        pytest.skip("LibreOffice is not installed (make pdf-deps)")
    response = _post(client, demo, kind, fmt)
    assert response.status_code == 200, response.content[:500]
    expected = fmt or OFFERED[kind][0]  # none chosen: the document's usual format
    assert _is(expected, response.content), response.content[:80]
    assert unquote(response["Content-Disposition"]).endswith(f".{expected}"), response["Content-Disposition"]
    assert not ReportVersion.objects.exists()  # a download records nothing (issuing is an act of its own)


@pytest.mark.parametrize(("kind", "fmt"), INVALID)
def test_a_format_the_document_is_not_written_in_is_refused_on_the_form(client, demo, kind, fmt):
    response = _post(client, demo, kind, fmt)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'class="field-error"' in page
    assert not ReportVersion.objects.exists()


def test_the_plain_text_report_reads_like_the_word_one(client, demo):
    text = _post(client, demo, "report", "txt").content.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == demo.title or lines[0].startswith("关于")
    assert lines[-2:] == ["中共X社区工作委员会", "2020年8月3日"]
    assert "\u3000\u3000整改情况：" in text


def test_the_progress_report_is_addressed_and_titled_from_the_form(client, demo):
    url = reverse("reports:round_reports", args=[demo.pk])
    page = client.get(url).content.decode()
    assert f'value="{demo.office.name}"' in page  # the office that follows the round, to begin with
    form = {"kind": "progress", "format": "docx", "as_of": "2020-08-01", "issuer": "中共X社区工作委员会"}
    form.update(date="2020-08-03", addressee="县委巡察办", title="关于X社区党工委巡察整改进展情况的报告")
    from zhenggai.core.readers.docx import read_docx

    blocks = [b for b in read_docx(client.post(url, form).content).blocks if isinstance(b, str) and b]
    assert blocks[:2] == ["关于X社区党工委巡察整改进展情况的报告", "县委巡察办："]
    # The public report is addressed to no one, whatever the field holds.
    public = client.post(url, {**form, "kind": "report"}).content
    assert "县委巡察办：" not in [b for b in read_docx(public).blocks if isinstance(b, str)]


def test_the_command_line_writes_the_format_its_file_name_says_or_refuses(tmp_path, capsys):
    import json

    from zhenggai.cli import main
    from zhenggai.core.ledger import new_ledger

    source = tmp_path / "ledger.json"
    source.write_text(json.dumps(new_ledger(title="关于巡察整改情况的报告"), ensure_ascii=False))
    assert main(["render", str(source), "--as", "report", "--to", str(tmp_path / "r.txt")]) == 0
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("关于巡察整改情况的报告\n")
    for kind, name in [("ledger", "l.docx"), ("progress", "p.txt"), ("report", "r.xlsx")]:
        assert main(["render", str(source), "--as", kind, "--to", str(tmp_path / name)]) != 0
        assert "只能写出" in capsys.readouterr().err
        assert not (tmp_path / name).exists()
