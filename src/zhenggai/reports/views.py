from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from zhenggai.core.errors import DocumentError
from zhenggai.core.pdf import pdf_available
from zhenggai.core.writers.weekly import WeeklyRow, WeeklySummary, render_weekly_summary
from zhenggai.ledger.access import get_round_for_user, office_of, require, require_any, require_anywhere
from zhenggai.ledger.lights import yellow_days
from zhenggai.ledger.workflow import Action
from zhenggai.oversight import selectors as oversight_selectors
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.reports import services
from zhenggai.reports.exporters import DOCX, ExportOptions, PublicReport
from zhenggai.reports.forms import ReportForm
from zhenggai.reports.ledger_data import round_to_ledger
from zhenggai.reports.models import ExportJob, ExportStatus

# The right a download needs, by the document chosen (ReportForm's kinds).
DOWNLOAD_ACTIONS = {"report": Action.ISSUE_REPORT, "progress": Action.ISSUE_REPORT, "ledger": Action.EXPORT}


def _options(data) -> ExportOptions:
    return ExportOptions(
        issuer=data["issuer"],
        date=data["date"],
        as_of=data["as_of"],
        status_phrases=data["status_phrases"],
        measures=data["measures"],
        responsibility=data["responsibility"],
        redact=data["redact"],
        redact_names=_lines(data["redact_names"]),
        contact_lines=_lines(data["contact_lines"]),
        format=data["format"],
        title=data["title"] or None,
        # 主送机关 heads the progress report to the office; a public report is addressed to no one.
        addressee=(data["addressee"] or None) if data["kind"] == "progress" else None,
        copy_to=_lines(data["copy_to"]),
        printer=data["printer"],
        printed=data["printed"],
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@login_required
def round_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a document, see what it will say (and what is masked), then download it.

    A download records nothing and changes no baseline: issuing is done on the round's report
    versions (`version_views`). The unit's reports are downloaded by the unit's ledger keepers, the
    ledger workbook by whoever may export ledgers; everyone who sees the round may preview."""
    round_, rights = get_round_for_user(request.user, pk)
    if request.method == "POST":  # refused before the form is read, to whoever may download nothing
        require_any(rights, frozenset(DOWNLOAD_ACTIONS.values()))
    problems = round_.problems.order_by("position")
    initial = {
        "issuer": round_.inspected_unit.name,
        "date": services.today(),
        "as_of": services.today(),
        "addressee": round_.office.name,  # the office that follows the round receives its progress reports
    }
    data = request.POST if request.method == "POST" else (request.GET if "kind" in request.GET else None)
    form = ReportForm(data, problems=problems, initial=initial)
    context = {
        "round": round_,
        "form": form,
        "pdf_available": pdf_available(),
        "can_issue": rights.can(Action.ISSUE_REPORT),
        "can_export": rights.can(Action.EXPORT),
    }
    if form.is_valid():
        chosen = [int(pk) for pk in form.cleaned_data["problems"]] or None
        options = _options(form.cleaned_data)
        if request.method == "POST":
            require(rights, DOWNLOAD_ACTIONS[form.cleaned_data["kind"]])
            try:
                rendered = services.report_render(
                    round_=round_,
                    kind=form.cleaned_data["kind"],
                    options=options,
                    problem_ids=chosen,
                )
            except DocumentError as exc:
                context["error"] = exc.message
                return render(request, "reports/round_reports.html", context, status=400)
            response = HttpResponse(rendered.data, content_type=rendered.mimetype)
            response["Content-Disposition"] = _attachment(rendered.filename)
            return response
        if form.cleaned_data["kind"] == "report":
            ledger = round_to_ledger(round_, problem_ids=chosen)
            context["preview"] = PublicReport().preview(ledger, options)
            if options.redact:
                context["findings"] = options.findings
    return render(request, "reports/round_reports.html", context)


@login_required
@require_GET
def weekly_summary(request: HttpRequest) -> HttpResponse:
    """The office's weekly summary (整改工作周报) as a .docx: the oversight dashboard's figures of
    every round the user follows (narrowed by the dashboard's filters, when given), signed by their
    office. Office staff only."""
    office = office_of(request.user)
    today = services.today()
    # The dashboard's figures of every round followed, with its filters when given (?year=2026…).
    filters = DashboardFilters.from_query(request.GET)
    rows = [
        WeeklyRow(unit=r.detail, round=r.label, total=r.measures, done=r.done, red=r.red, yellow=r.yellow)
        for r in oversight_selectors.by_round(request.user, filters, today, every_round=True)
    ]
    summary = WeeklySummary(office=office.name, as_of=today, rows=rows, yellow_days=yellow_days())
    response = HttpResponse(render_weekly_summary(summary), content_type=DOCX)
    response["Content-Disposition"] = _attachment(f"{office.name}整改工作周报（{today:%Y%m%d}）.docx")
    return response


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    require_anywhere(request.user, Action.EXPORT)
    unit = request.POST.get("unit") or None
    job = services.export_request(
        actor=request.user, filters={"unit": int(unit) if unit and unit.isdigit() else None}
    )
    return redirect("reports:export_status", pk=job.pk)


def _job_for_user(user, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_user(request.user, pk)
    template = "reports/export_status.html"
    if request.headers.get("HX-Request") == "true":
        template += "#job_status"
    return render(
        request, template, {"job": job, "finished": job.status in (ExportStatus.DONE, ExportStatus.FAILED)}
    )


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for_user(request.user, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
