"""Thin views of a round's reports as acts: the list, a draft with its preview, sign-off, issue,
withdrawal, and the download of an issued version's frozen file.

Every view starts from `get_round_for_user` or `get_report_for_user` (the same 404 for another
unit's report as for none), checks the right in the rights table, then calls `reports.issuing`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.core.pdf import pdf_available
from zhenggai.ledger.access import RoundRights, get_report_for_user, get_round_for_user, require
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.workflow import Action
from zhenggai.reports import issuing, selectors
from zhenggai.reports.forms import DraftCreateForm, DraftForm, VersionForm, WithdrawForm
from zhenggai.reports.models import ReportState, ReportVersion


@login_required
@require_GET
def round_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's drafts and issued reports, newest first; a clerk starts a draft here."""
    round_, rights = get_round_for_user(request.user, pk)
    return _list(request, round_, rights, DraftCreateForm())


def _list(request, round_, rights: RoundRights, form, status: int = 200) -> HttpResponse:
    context = {
        "round": round_,
        "reports": selectors.round_report_versions(round_),
        "form": form,
        "can_draft": rights.can(Action.ISSUE_REPORT),
    }
    return render(request, "reports/round_versions.html", context, status=status)


@login_required
@require_POST
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_, rights = get_round_for_user(request.user, pk)
    require(rights, Action.ISSUE_REPORT)
    form = DraftCreateForm(request.POST)
    if form.is_valid():
        try:
            report = issuing.draft_create(round_=round_, actor=request.user, **form.cleaned_data)
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("reports:version", pk=report.pk)
    return _list(request, round_, rights, form, status=400)


def _page(
    request: HttpRequest,
    report: ReportVersion,
    rights: RoundRights,
    *,
    draft_form: DraftForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    editable = report.state in (ReportState.DRAFT, ReportState.SIGNED_OFF)
    can_edit = editable and rights.can(Action.ISSUE_REPORT)
    initial = {name: getattr(report, name) for name in issuing.DRAFT_FIELDS}
    context = {
        "round": report.round,
        "report": report,
        "error": error,
        "draft_form": draft_form or DraftForm(initial={**initial, "version": report.version}),
        "withdraw_form": withdraw_form or WithdrawForm(initial={"version": report.version}),
        "can_edit": can_edit,
        "can_sign_off": report.state == ReportState.DRAFT and rights.can(Action.SIGN_OFF_REPORT),
        "can_issue": report.state == ReportState.SIGNED_OFF and rights.can(Action.ISSUE_REPORT),
        "can_withdraw": report.state == ReportState.ISSUED and rights.can(Action.SIGN_OFF_REPORT),
        "pdf_available": pdf_available(),
    }
    if editable:
        context["preview"] = issuing.draft_preview(report=report)
    else:
        context["files"] = selectors.report_files(report)
    return render(request, "reports/report_version.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft (its wording, a preview as it would be issued now, its next step) or an issued
    version (its frozen files). A POST saves the draft's wording."""
    report, rights = get_report_for_user(request.user, pk)
    if request.method == "GET":
        return _page(request, report, rights)
    require(rights, Action.ISSUE_REPORT)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _page(request, report, rights, draft_form=form, status=400)
    fields = {name: form.cleaned_data[name] for name in issuing.DRAFT_FIELDS}
    was_signed_off = report.state == ReportState.SIGNED_OFF
    try:
        report = issuing.draft_update(
            report=report, actor=request.user, expected_version=form.cleaned_data["version"], **fields
        )
    except LedgerError as exc:
        return _page(
            request, report, rights, error=exc.message, status=409 if isinstance(exc, StaleEdit) else 400
        )
    if was_signed_off and report.state == ReportState.DRAFT:
        messages.warning(request, _("Saved. The wording changed, so a leader must sign it off again."))
    else:
        messages.success(request, _("Saved."))
    return redirect("reports:version", pk=report.pk)


def _step(request: HttpRequest, pk: int, action: str, form_class=VersionForm):
    """The report, the user's rights and the bound form of a step; the right checked first."""
    report, rights = get_report_for_user(request.user, pk)
    require(rights, action)
    return report, rights, form_class(request.POST)


def _refused(request, report, rights, exc: LedgerError, **forms) -> HttpResponse:
    return _page(
        request, report, rights, error=exc.message, status=409 if isinstance(exc, StaleEdit) else 400, **forms
    )


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    report, rights, form = _step(request, pk, Action.SIGN_OFF_REPORT)
    if not form.is_valid():
        return _page(request, report, rights, status=400)
    try:
        issuing.sign_off(report=report, actor=request.user, expected_version=form.cleaned_data["version"])
    except LedgerError as exc:
        return _refused(request, report, rights, exc)
    messages.success(request, _("Signed off. The clerk may issue it now."))
    return redirect("reports:version", pk=report.pk)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    report, rights, form = _step(request, pk, Action.ISSUE_REPORT)
    if not form.is_valid():
        return _page(request, report, rights, status=400)
    try:
        issued = issuing.issue(
            report=report, actor=request.user, expected_version=form.cleaned_data["version"]
        )
    except LedgerError as exc:
        return _refused(request, report, rights, exc)
    messages.success(
        request, _("Issued as No. %(n)s. Its files are kept as issued.") % {"n": issued.report.number}
    )
    if issued.pdf_missing:
        messages.warning(request, issued.pdf_missing)
    return redirect("reports:version", pk=report.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report, rights, form = _step(request, pk, Action.SIGN_OFF_REPORT, WithdrawForm)
    if not form.is_valid():
        return _page(request, report, rights, withdraw_form=form, status=400)
    try:
        issuing.withdraw(
            report=report,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except LedgerError as exc:
        return _refused(request, report, rights, exc, withdraw_form=form)
    messages.success(request, _("Withdrawn. It stays listed, marked withdrawn."))
    return redirect("reports:version", pk=report.pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen file of an issued version (`?format=pdf`, else the .docx), byte for byte as
    issued: a download changes nothing."""
    report, _rights = get_report_for_user(request.user, pk)
    fmt = request.GET.get("format") or "docx"
    found = report.files.filter(format=fmt).first() if report.is_issued else None
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=found.mimetype)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=found.filename)
    return response
