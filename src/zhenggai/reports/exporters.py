"""Every document out of Zhenggai goes through one interface: `render(ledger, options) -> Rendered`.

The exporters are thin: the document core writes the files (`zhenggai.core.writers`), these
choose what goes in and name the result.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol

from zhenggai.core.errors import DocumentError
from zhenggai.core.pdf import docx_to_pdf
from zhenggai.core.redact import public_numbers, redact_ledger
from zhenggai.core.writers.gongwen import Fonts, Para
from zhenggai.core.writers.ledger_docx import ledger_text, render_ledger_docx
from zhenggai.core.writers.progress import ledger_as_of, progress_text, render_progress_report
from zhenggai.core.writers.report_docx import ReportOptions, render_report, report_paragraphs, report_text
from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
TEXT = "text/plain; charset=utf-8"
FORMATS = ("docx", "pdf", "txt", "xlsx")  # every document is written in each of them


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
    # The file format: one of FORMATS, or "" for the document's usual one (the exporter's first).
    # `pdf` and `text` are the older way to ask for PDF or plain text, still understood.
    format: str = ""
    pdf: bool = False
    text: bool = False
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


def format_of(options: ExportOptions, usual: str = "docx") -> str:
    """The file format the options ask for (one of FORMATS); ``usual`` when they ask for none."""
    wanted = options.format or ("pdf" if options.pdf else "txt" if options.text else usual)
    if wanted not in FORMATS:
        raise DocumentError(f"不支持的文件格式：{wanted}（可用：{'、'.join(FORMATS)}）")
    return wanted


def _name(ledger: dict[str, Any], what: str, extension: str) -> str:
    target = (ledger.get("round") or {}).get("target") or "整改"
    return f"{target}{what}.{extension}"


def _docx_or_pdf(ledger: dict[str, Any], what: str, data: bytes, pdf: bool) -> Rendered:
    if pdf:
        return Rendered(_name(ledger, what, "pdf"), PDF, docx_to_pdf(data))
    return Rendered(_name(ledger, what, "docx"), DOCX, data)


def _text(ledger: dict[str, Any], what: str, text: str) -> Rendered:
    return Rendered(_name(ledger, what, "txt"), TEXT, text.encode("utf-8"))


def _workbook(ledger: dict[str, Any], what: str, options: ExportOptions) -> Rendered:
    return Rendered(_name(ledger, what, "xlsx"), XLSX, ledger_xlsx_bytes(ledger, anchor=options.anchor))


def _public_workbook_ledger(ledger: dict[str, Any], options: ExportOptions) -> dict[str, Any]:
    """The masked ledger as a public workbook shows it: what the public report leaves out is left
    out here too — the responsible leaders and departments unless the report prints them, and
    always the clerk in charge (具体责任人) and the evidence files (佐证材料), which no public report
    names; the measures' text unless the report gives the measures."""
    out = copy.deepcopy(ledger)
    stack = list(out.get("sections") or [])
    while stack:
        node = stack.pop()
        for measure in node.get("measures") or []:
            for key in ("doer", "evidence"):
                measure.pop(key, None)
            if not options.responsibility:
                for key in ("owner", "department", "partners"):
                    measure.pop(key, None)
        if not options.measures and node.get("measures"):
            node["measures"] = [{} for _ in node["measures"]]
        stack.extend(node.get("children") or [])
    return out


class PublicReport:
    """整改情况的报告, for publication (党务公开): personal data masked unless the user says otherwise."""

    kind = "report"
    formats: tuple[str, ...] = FORMATS

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
        wanted = format_of(options, self.formats[0])
        ledger = self.public_ledger(ledger, options)
        if wanted == "txt":
            return _text(ledger, "整改情况的报告", report_text(ledger, report_options(options)))
        if wanted == "xlsx":  # the report's data: the masked ledger, as the report shows it
            return _workbook(_public_workbook_ledger(ledger, options), "整改情况（公开）", options)
        data = render_report(ledger, report_options(options))
        return _docx_or_pdf(ledger, "整改情况的报告", data, wanted == "pdf")


class ProgressReport:
    """整改进展情况的报告 for the inspection office, as of a date, compared with the previous one."""

    kind = "progress"
    # Handed in as a 公文: Word to edit and sign, PDF as it will print, text to paste; the workbook is
    # the ledger as the report counts it on its date.
    formats: tuple[str, ...] = FORMATS

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered:
        wanted = format_of(options, self.formats[0])
        as_of = options.as_of or datetime.date.today()
        what = f"整改进展情况报告（截至{as_of:%Y年%m月%d日}）"
        if wanted == "txt":
            return _text(
                ledger, what, progress_text(ledger, report_options(options), as_of, options.previous)
            )
        if wanted == "xlsx":
            return _workbook(ledger_as_of(ledger, as_of), f"整改台账（截至{as_of:%Y年%m月%d日}）", options)
        data = render_progress_report(ledger, report_options(options), as_of, options.previous)
        return _docx_or_pdf(ledger, what, data, wanted == "pdf")


class LedgerWorkbook:
    """整改台账 as an Excel workbook in the columns offices use."""

    kind = "ledger"
    # A table offices fill in and sort: a workbook first; Word (landscape table) and its PDF to print
    # or attach; plain text to read or paste.
    formats: tuple[str, ...] = ("xlsx", "docx", "pdf", "txt")

    def render(self, ledger: dict[str, Any], options: ExportOptions) -> Rendered:
        wanted = format_of(options, self.formats[0])
        if wanted == "xlsx":
            return _workbook(ledger, "整改台账", options)
        if wanted == "txt":
            return _text(ledger, "整改台账", ledger_text(ledger))
        fonts = Fonts.free() if options.free_fonts else Fonts()
        data = render_ledger_docx(ledger, anchor=options.anchor, fonts=fonts)
        return _docx_or_pdf(ledger, "整改台账", data, wanted == "pdf")


EXPORTERS: dict[str, Exporter] = {e.kind: e for e in (PublicReport(), ProgressReport(), LedgerWorkbook())}
