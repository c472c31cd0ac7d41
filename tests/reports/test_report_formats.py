"""Every document in every format the report page offers is a file of that format (issue #14:
every format choice × document kind); the public ones are masked in each of them."""

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

USUAL = {"report": "docx", "progress": "docx", "ledger": "xlsx"}
EVERY_FORMAT = [fmt for fmt, _ in FORMATS if fmt]
PAIRS = [(kind, fmt) for kind, _ in KINDS for fmt in EVERY_FORMAT]
ID_NUMBER, PHONE = "230102198001011234", "13912345678"


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


def _text_of(fmt: str, data: bytes) -> str:
    """The words of a file: the XML of a package's parts, a PDF's text, or the text itself."""
    if fmt in ("docx", "xlsx"):
        package = zipfile.ZipFile(io.BytesIO(data))
        return "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    if fmt == "pdf":
        from zhenggai.core.readers.pdf import read_pdf

        return "\n".join(b for b in read_pdf(data).blocks if isinstance(b, str))
    return data.decode("utf-8")


def _post(client, demo, kind: str, fmt: str):
    form = {"kind": kind, "format": fmt, "issuer": "中共X社区工作委员会", "date": "2020-08-03"}
    form.update(as_of="2020-08-01", measures="on", status_phrases="on", redact="on")
    return client.post(reverse("reports:round_reports", args=[demo.pk]), form)


def test_the_form_offers_every_format_of_every_document():
    assert all(set(EXPORTERS[kind].formats) == set(EVERY_FORMAT) for kind, _ in KINDS)
    assert {kind: EXPORTERS[kind].formats[0] for kind, _ in KINDS} == USUAL


@pytest.mark.parametrize(("kind", "fmt"), [*PAIRS, ("report", ""), ("progress", ""), ("ledger", "")])
def test_each_document_downloads_in_the_format_chosen(client, demo, kind, fmt):
    if fmt == "pdf" and not pdf_available():
        pytest.skip("LibreOffice is not installed (make pdf-deps)")
    problem = demo.problems.filter(measures__isnull=False).order_by("position").first()
    measure = problem.measures.order_by("pk").first()
    measure.text = f"{measure.text}联系人身份证号{ID_NUMBER}，电话{PHONE}"
    measure.save(update_fields=["text"])
    response = _post(client, demo, kind, fmt)
    assert response.status_code == 200, response.content[:500]
    expected = fmt or USUAL[kind]  # none chosen: the document's usual format
    assert _is(expected, response.content), response.content[:80]
    assert unquote(response["Content-Disposition"]).endswith(f".{expected}"), response["Content-Disposition"]
    assert not ReportVersion.objects.exists()  # a download records nothing (issuing is an act of its own)
    words = _text_of(expected, response.content)
    if expected != "pdf":  # (a PDF's lines break where the page does)
        assert problem.title[:12] in words  # the round's first problem with measures
    if kind == "report":  # published: masked in every format
        assert ID_NUMBER not in words and PHONE not in words
    elif kind == "ledger" and expected != "pdf":  # internal: as kept
        assert ID_NUMBER in words


def test_an_unknown_format_is_refused_on_the_form(client, demo):
    response = _post(client, demo, "ledger", "doc")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'class="field-error"' in response.content.decode()


def test_the_public_workbook_leaves_out_what_the_public_report_does(demo):
    from zhenggai.reports.exporters import ExportOptions
    from zhenggai.reports.ledger_data import round_to_ledger

    ledger = round_to_ledger(demo)
    first = next(n for n in _problems(ledger["sections"]))
    first["measures"][0].update(doer="张小明", evidence="会议记录.pdf", owner="李书记")
    data = EXPORTERS["report"].render(ledger, ExportOptions(format="xlsx")).data
    words = _text_of("xlsx", data)
    assert "张小明" not in words and "会议记录.pdf" not in words and "李书记" not in words
    data = EXPORTERS["report"].render(ledger, ExportOptions(format="xlsx", responsibility=True)).data
    assert "李书记" in _text_of("xlsx", data) and "张小明" not in _text_of("xlsx", data)


def test_the_progress_workbook_counts_as_the_progress_report_does(demo):
    import datetime

    from zhenggai.core.writers.progress import ledger_as_of, node_status
    from zhenggai.reports.exporters import ExportOptions
    from zhenggai.reports.ledger_data import round_to_ledger

    ledger = round_to_ledger(demo)
    as_of = datetime.date(2020, 8, 1)
    rendered = EXPORTERS["progress"].render(ledger, ExportOptions(format="xlsx", as_of=as_of))
    assert rendered.filename.endswith("（截至2020年08月01日）.xlsx")
    assert "截至2020年8月1日" in _text_of("xlsx", rendered.data)
    dated = ledger_as_of(ledger, as_of)
    for before, after in zip(_problems(ledger["sections"]), _problems(dated["sections"]), strict=True):
        assert after["status"] == node_status(before)


def _problems(nodes):
    for node in nodes:
        if node.get("problem") is not None or node.get("measures"):
            yield node
        yield from _problems(node.get("children") or [])


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


def test_the_command_line_writes_every_format_its_file_name_says(tmp_path, capsys):
    import json

    from zhenggai.cli import main
    from zhenggai.core.ledger import new_ledger

    source = tmp_path / "ledger.json"
    source.write_text(json.dumps(new_ledger(title="关于巡察整改情况的报告"), ensure_ascii=False))
    assert main(["render", str(source), "--as", "report", "--to", str(tmp_path / "r.txt")]) == 0
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("关于巡察整改情况的报告\n")
    for kind, fmt in [(kind, fmt) for kind, _ in KINDS for fmt in EVERY_FORMAT if fmt != "pdf"]:
        target = tmp_path / f"{kind}.{fmt}"
        assert main(["render", str(source), "--as", kind, "--to", str(target)]) == 0
        assert _is(fmt, target.read_bytes()), (kind, fmt)
    assert main(["render", str(source), "--as", "ledger", "--to", str(tmp_path / "l.doc")]) != 0
    assert "只能写出" in capsys.readouterr().err
    assert not (tmp_path / "l.doc").exists()


@pytest.mark.parametrize("kind", [kind for kind, _ in KINDS])
def test_a_pdf_without_libreoffice_says_so_for_every_document(client, demo, monkeypatch, kind):
    monkeypatch.setattr("zhenggai.core.pdf.find_soffice", lambda: None)
    response = _post(client, demo, kind, "pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "LibreOffice" in page and "PDF" in page
