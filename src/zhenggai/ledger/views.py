"""Thin views: parse with a form, check access, call a service, render a page or a fragment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import selectors, services
from zhenggai.ledger.access import (
    RoundRights,
    get_evidence_for_user,
    get_measure_for_user,
    get_problem_for_user,
    get_round_for_user,
    require_edit,
    round_scope,
)
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.forms import EvidenceForm, LedgerFilterForm, MeasureForm, ProgressForm, StatusForm
from zhenggai.ledger.lights import LIGHT_LABELS, LIGHTS
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus, Problem
from zhenggai.orgs.models import Organisation


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_overview(request.user)
    return render(request, "ledger/round_list.html", {"rounds": rounds})


def _ledger_page(request: HttpRequest, round_: InspectionRound | None, departments, units) -> HttpResponse:
    """The ledger table of one round (with a department filter) or of all rounds (with a unit filter)."""
    form = LedgerFilterForm(request.GET or None, departments=departments, units=units)
    filters = selectors.LedgerFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LedgerFilters(
            status=data["status"],
            light=data["light"],
            department=data["department"].pk if data.get("department") else None,
            category=data["category"],
            unit=data["unit"].pk if data.get("unit") else None,
            search=data["q"],
        )
    rows = selectors.ledger_measures(request.user, round_=round_, filters=filters)
    page = Paginator(rows, settings.ZHENGGAI["LEDGER_PAGE_SIZE"]).get_page(request.GET.get("page"))
    counts = selectors.ledger_counts(request.user, round_=round_, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": round_,
        "form": form,
        "page": page,
        "counts": counts,
        "statuses": MeasureStatus.choices,
        "lights": [(key, LIGHT_LABELS[key]) for key in LIGHTS],
        "query": query.urlencode(),
    }
    template = "ledger/ledger.html#ledger_results" if _is_htmx(request) else "ledger/ledger.html"
    return render(request, template, context)


@login_required
@require_GET
def round_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    round_, _rights = get_round_for_user(request.user, pk)
    departments = Organisation.objects.filter(path__startswith=round_.inspected_unit.path)
    return _ledger_page(request, round_, departments, units=None)


@login_required
@require_GET
def all_ledgers(request: HttpRequest) -> HttpResponse:
    """The ledger across every round the user may see: how an inspection office follows its units."""
    units = Organisation.objects.filter(
        pk__in=InspectionRound.objects.filter(round_scope(request.user)).values("inspected_unit")
    )
    return _ledger_page(request, None, departments=None, units=units)


def _measure_context(measure: Measure, rights: RoundRights, forms: dict | None = None) -> dict:
    forms = forms or {}
    return {
        "measure": measure,
        "rights": rights,
        "progress_form": forms.get("progress") or ProgressForm(prefix=f"p{measure.pk}"),
        "status_form": forms.get("status")
        or StatusForm(
            prefix=f"s{measure.pk}",
            initial={
                "status": measure.status,
                "version": measure.version,
                "completed_on": measure.completed_on,
            },
        ),
        "evidence_form": forms.get("evidence") or EvidenceForm(prefix=f"e{measure.pk}"),
        "stale": forms.get("stale"),
    }


def _problem_page(
    request: HttpRequest, problem: Problem, rights: RoundRights, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    measures = [_measure_context(m, rights, bound.get(m.pk)) for m in selectors.problem_measures(problem)]
    ancestors = []
    node = problem.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    context = {
        "problem": problem,
        "round": problem.round,
        "rights": rights,
        "ancestors": ancestors,
        "children": problem.children.order_by("position"),
        "measures": measures,
        "counts": selectors.ledger_counts(
            request.user, round_=problem.round, filters=selectors.LedgerFilters()
        ),
    }
    return render(request, "ledger/problem_detail.html", context, status=status)


@login_required
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem, rights = get_problem_for_user(request.user, pk)
    return _problem_page(request, problem, rights)


def _after_measure_action(
    request, measure: Measure, rights: RoundRights, forms: dict | None = None, ok: str = ""
):
    """Answer an action on a measure: its card for HTMX, else the problem page (or a redirect)."""
    failed = bool(forms)
    if _is_htmx(request):
        fresh = selectors.problem_measures(measure.problem).get(pk=measure.pk)
        context = _measure_context(fresh, rights, forms)
        context["ok_message"] = ok
        response = render(request, "ledger/problem_detail.html#measure_card", context)
        response["HX-Trigger"] = "ledger-changed"
        return response
    if failed:
        return _problem_page(request, measure.problem, rights, bound={measure.pk: forms}, status=400)
    if ok:
        messages.success(request, ok)
    return redirect(f"{measure.problem.get_absolute_url()}#measure-{measure.pk}")


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require_edit(rights)
    form = ProgressForm(request.POST, prefix=f"p{measure.pk}")
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"progress": form})
    try:
        services.progress_record(measure=measure, actor=request.user, **form.cleaned_data)
    except LedgerError as exc:
        form.add_error(None, exc.message)
        return _after_measure_action(request, measure, rights, {"progress": form})
    return _after_measure_action(request, measure, rights, ok=_("Progress recorded."))


@login_required
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require_edit(rights)
    form = StatusForm(request.POST, prefix=f"s{measure.pk}")
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"status": form})
    try:
        services.measure_set_status(
            measure=measure,
            actor=request.user,
            status=form.cleaned_data["status"],
            completed_on=form.cleaned_data.get("completed_on"),
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as exc:
        form.add_error(None, exc.message)
        return _after_measure_action(request, measure, rights, {"status": form, "stale": exc.changes})
    except LedgerError as exc:
        form.add_error(None, exc.message)
        return _after_measure_action(request, measure, rights, {"status": form})
    return _after_measure_action(request, measure, rights, ok=_("Status changed."))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require_edit(rights)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{measure.pk}")
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"evidence": form})
    upload = form.cleaned_data["file"]
    try:
        services.evidence_attach(
            measure=measure,
            actor=request.user,
            name=upload.name,
            size=upload.size,
            stream=upload,
            description=form.cleaned_data["description"],
        )
    except LedgerError as exc:
        form.add_error("file", exc.message)
        return _after_measure_action(request, measure, rights, {"evidence": form})
    return _after_measure_action(request, measure, rights, ok=_("Evidence file uploaded."))


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence, _rights = get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


def _measure_form_page(
    request, problem: Problem, rights: RoundRights, measure: Measure | None
) -> HttpResponse:
    round_ = problem.round
    if request.method == "POST":
        form = MeasureForm(request.POST, round_=round_)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            cooperating = data.pop("cooperating_departments")
            try:
                if measure is None:
                    services.measure_create(
                        problem=problem, actor=request.user, cooperating_departments=cooperating, **data
                    )
                    messages.success(request, _("Measure added."))
                else:
                    services.measure_update(
                        measure=measure,
                        actor=request.user,
                        expected_version=version or 0,
                        cooperating_departments=cooperating,
                        **data,
                    )
                    messages.success(request, _("Measure saved."))
                return redirect(problem.get_absolute_url())
            except StaleEdit as exc:
                form.add_error(None, exc.message)
                return render(
                    request,
                    "ledger/measure_form.html",
                    {
                        "form": form,
                        "problem": problem,
                        "measure": measure,
                        "stale": exc.changes,
                        "round": round_,
                    },
                    status=409,
                )
            except LedgerError as exc:
                form.add_error(None, exc.message)
        status = 400
    else:
        initial = MeasureForm.initial_for(measure) if measure else {}
        form = MeasureForm(initial=initial, round_=round_)
        status = 200
    context = {"form": form, "problem": problem, "measure": measure, "round": round_}
    return render(request, "ledger/measure_form.html", context, status=status)


@login_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    problem, rights = get_problem_for_user(request.user, pk)
    require_edit(rights)
    return _measure_form_page(request, problem, rights, None)


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require_edit(rights)
    return _measure_form_page(request, measure.problem, rights, measure)
