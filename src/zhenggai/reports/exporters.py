"""Every document out of Zhenggai goes through one interface: `render(ledger, options) -> Rendered`.

The exporters are thin: the document core writes the files (`zhenggai.core.writers`), these
choose what goes in and name the result.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol

from zhenggai.core.errors import DocumentError
from zhenggai.core.pdf import docx_to_pdf
from zhenggai.core.redact import public_numbers, redact_ledger
from zhenggai.core.writers.gongwen import Fonts, Para
from zhenggai.core.writers.progress import render_progress_report
from zhenggai.core.writers.report_docx import ReportOptions, render_report, report_paragraphs, report_text
from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Rendered:
    filename: str
    mimetype: str
    data: bytes


@dataclass
class ExportOptions:
    """What the user chose on the report page (or on the command line)."""

    issuer: str = ""
    date: datetime.date | None = None
    as_of: datetime.date | None = None
    previous: dict[str, Any] | None = None  # the ledger as of the last progress report
    status_phrases: bool = True
    measures: bool = True
    responsibility: bool = False
    redact: bool = True
    redact_names: tuple[str, ...] = ()
    pdf: bool = False
    text: bool = False  # plain text (the public report only; see each exporter's `formats`)
    free_fonts: bool = False
    contact_lines: tuple[str, ...] = ()
    title: str | None = None  # None: the document's usual title, built from the round
    addressee: str | None = None  # 主送机关
    copy_to: tuple[str, ...] = ()  # 版记: 抄送机关
    printer: str = ""  # 版记: 印发机关
    printed: datetime.date | None = None  # 版记: 印发日期
    opening: str | None = None  # None: the ledger's preamble, or one written from its round
    closing: str | None = None  # None: the standard closing
    findings: list[dict[str, Any]] = field(default_factory=list)  # filled by the public report
    # The history's signed head when the document is issued (zhenggai.history.anchors.anchor_now);
    # None for a document made without the database (`zhenggai render` of a JSON file).
    anchor: dict[str, Any] | None = None


class Exporter(Protocol):
    kind: str
    formats: tuple[str, ...]  # the file formats it writes, the usual one first

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered: ...


def report_options(options: ExportOptions) -> ReportOptions:
    return ReportOptions(
        issuer=options.issuer,
        date=options.date,
        status_phrases=options.status_phrases,
        measures=options.measures,
        responsibility=options.responsibility,
        contact_lines=options.contact_lines,
        title=options.title or None,
        addressee=options.addressee or None,
        preamble=options.opening,
        closing=options.closing,
        fonts=Fonts.free() if options.free_fonts else Fonts(),
        anchor=options.anchor,
        copy_to=options.copy_to,
        printer=options.printer,
        printed=options.printed,
    )


def format_of(options: ExportOptions) -> str:
    """The file format the options ask for: pdf, txt or docx."""
    return "pdf" if options.pdf else "txt" if options.text else "docx"


def _name(ledger: dict[str, Any], what: str, extension: str) -> str:
    target = (ledger.get("round") or {}).get("target") or "整改"
    return f"{target}{what}.{extension}"


def _docx_or_pdf(ledger: dict[str, Any], what: str, data: bytes, pdf: bool) -> Rendered:
    if pdf:
        return Rendered(_name(ledger, what, "pdf"), PDF, docx_to_pdf(data))
    return Rendered(_name(ledger, what, "docx"), DOCX, data)


class PublicReport:
    """整改情况的报告, for publication (党务公开): personal data masked unless the user says otherwise."""

    kind = "report"
    formats: tuple[str, ...] = ("docx", "pdf", "txt")

    def public_ledger(self, ledger: dict[str, Any], options: ExportOptions) -> dict[str, Any]:
        """The ledger as it will be published; what was masked is left in `options.findings`.

        The numbers of the contact lines (the body's own, given for comments) stay wherever the
        text repeats them."""
        if options.redact:
            keep = public_numbers(options.contact_lines)
            ledger, options.findings = redact_ledger(ledger, options.redact_names, keep)
        return ledger

    def preview(self, ledger: dict[str, Any], options: ExportOptions) -> list[Para]:
        """The paragraphs the document will hold, for showing before it is downloaded."""
        return report_paragraphs(self.public_ledger(ledger, options), report_options(options))

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered:
        ledger = self.public_ledger(ledger, options)
        if format_of(options) == "txt":
            text = report_text(ledger, report_options(options))
            return Rendered(_name(ledger, "整改情况的报告", "txt"), TEXT, text.encode("utf-8"))
        data = render_report(ledger, report_options(options))
        return _docx_or_pdf(ledger, "整改情况的报告", data, options.pdf)


class ProgressReport:
    """整改进展情况的报告 for the inspection office, as of a date, compared with the previous one."""

    kind = "progress"
    formats: tuple[str, ...] = (
        "docx",
        "pdf",
    )  # handed in as a 公文: Word to edit and sign, or PDF as it will print

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered:
        _refuse_other_formats(self, options)
        as_of = options.as_of or datetime.date.today()
        data = render_progress_report(ledger, report_options(options), as_of, options.previous)
        return _docx_or_pdf(ledger, f"整改进展情况报告（截至{as_of:%Y年%m月%d日}）", data, options.pdf)


class LedgerWorkbook:
    """整改台账 as an Excel workbook in the columns offices use."""

    kind = "ledger"
    formats: tuple[str, ...] = ("xlsx",)  # a table offices fill in and sort: a workbook only

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered:
        _refuse_other_formats(self, options)
        return Rendered(
            _name(ledger, "整改台账", "xlsx"), XLSX, ledger_xlsx_bytes(ledger, anchor=options.anchor)
        )


def _refuse_other_formats(exporter: Exporter, options: ExportOptions) -> None:
    """A format the exporter does not write is refused, never answered with another format."""
    wanted = format_of(options)
    if wanted != "docx" and wanted not in exporter.formats:
        raise DocumentError(f"该文档不能生成 {wanted.upper()} 格式")


EXPORTERS: dict[str, Exporter] = {e.kind: e for e in (PublicReport(), ProgressReport(), LedgerWorkbook())}
