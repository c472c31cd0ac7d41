"""Thin views: parse with a form, check access, call a service, render a page or a fragment."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.comments import selectors as comment_selectors
from zhenggai.core.quality import slogan_reasons
from zhenggai.ledger import bulk, cards, selectors, services, transitions, workflow
from zhenggai.ledger.access import (
    RoundRights,
    actions_anywhere,
    get_evidence_for_user,
    get_extension_for_user,
    get_measure_for_user,
    get_problem_for_user,
    get_round_for_user,
    offices_staffed,
    require,
    require_any,
    require_edit,
    roles_for,
)
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.forms import (
    BulkAssignForm,
    EvidenceForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    LedgerFilterForm,
    MeasureForm,
    ProgressForm,
    TransitionForm,
)
from zhenggai.ledger.keyset import keyset_page
from zhenggai.ledger.lights import LIGHT_LABELS, LIGHTS
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus, Problem
from zhenggai.ledger.workflow import Action
from zhenggai.orgs import pickers
from zhenggai.orgs.models import Organisation, Role
from zhenggai.oversight.charts import distinct_labels
from zhenggai.repeats.selectors import problem_repeats

# The query parameter that opens a round ledger's bulk assignment form (?bulk=open).
BULK_OPEN = "bulk"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    # Keyset pages ("newer / older"): an office's thousands of rounds, read from the key on.
    size = settings.ZHENGGAI["LEDGER_PAGE_SIZE"]
    page = keyset_page(selectors.rounds_overview(request.user), selectors.ROUND_LIST_ORDER, request.GET, size)
    rounds = selectors.with_counts(request.user, page.items)
    return render(request, "ledger/round_list.html", {"rounds": rounds, "page": page})


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """How every round the user may see is doing, most overdue first, a page of them at a time,
    with the totals of all and a chart of the worst."""
    overview = selectors.office_overview(request.user)
    page = Paginator(overview.rows, settings.ZHENGGAI["LEDGER_PAGE_SIZE"]).get_page(request.GET.get("page"))
    # The chart of the worst rounds is drawn on the first page, from its rows when they are enough
    # (no second sort of every round).
    worst: list[selectors.OverviewRow] = []
    if page.number == 1:
        n = settings.ZHENGGAI["OVERVIEW_CHART_ROUNDS"]
        worst = list(page.object_list)[:n] if n <= page.paginator.per_page else list(overview.rows[:n])
    # One bar a round, keyed by its id: two rounds of one unit are two bars with two labels.
    labels = distinct_labels([r.unit for r in worst], [str(r.round_id) for r in worst])
    chart = [
        {"id": r.round_id, "unit": label, "done": r.done, "red": r.red, "open": r.total - r.done - r.red}
        for r, label in zip(worst, labels, strict=True)
    ]
    totals = dict(overview.totals)
    # Comments from the public the units have not answered: part of what an office follows.
    unanswered = comment_selectors.unanswered_by_round(request.user)
    totals["comments_waiting"] = sum(u.waiting for u in unanswered.values())
    totals["comments_overdue"] = sum(u.overdue for u in unanswered.values())
    context = {
        "page": page,
        "rows": page.object_list,
        "chart": chart,
        "totals": totals,
        "unanswered": unanswered,
        "office": offices_staffed(request.user),  # office staff download the weekly summary
    }
    return render(request, "ledger/overview.html", context)


def _is_partial(request: HttpRequest) -> bool:
    """An HTMX request for a fragment; not the page's own reload when Back finds no cached copy."""
    return _is_htmx(request) and request.headers.get("HX-History-Restore-Request") != "true"


def _ledger_page(
    request: HttpRequest,
    round_: InspectionRound | None,
    departments,
    units,
    can_export: bool = False,
    can_assign: bool = False,
    bulk_form: BulkAssignForm | None = None,
    department_choices: list[tuple[int, str]] | None = None,
    can_follow_up: bool = False,
) -> HttpResponse:
    """The ledger table of one round (with a department filter) or of all rounds (with a unit filter).
    `can_assign`: the rows can be ticked for a bulk assignment, whose form is `bulk_form` when open."""
    form = LedgerFilterForm(
        request.GET or None, departments=departments, units=units, department_choices=department_choices
    )
    filters = form.filters()
    # A round's whole ledger, as it opens (the round the user's: get_round_for_user checked it):
    # its pages are read by a query compiled once a process, with no queryset to build here.
    whole = (
        round_ is not None and filters == selectors.LedgerFilters() and bool(roles_for(request.user, round_))
    )
    rows = None if whole else selectors.ledger_measures(request.user, round_=round_, filters=filters)
    if form.unit_unresolved:  # a unit not the user's, or a name that names none or several: no rows
        rows, counts = Measure.objects.none(), selectors.LedgerCounts()
    else:
        counts = selectors.ledger_counts(request.user, round_=round_, filters=filters)
    paginator: Paginator[selectors.LedgerRow] = Paginator(
        selectors.LedgerRows(  # type: ignore[arg-type]
            rows,
            counts.by_round,
            with_unit=round_ is None,
            whole_round=round_.pk if whole and round_ is not None else None,
        ),
        settings.ZHENGGAI["LEDGER_PAGE_SIZE"],
    )  # LedgerRows is sliced only, as Paginator does: it has no int indexing for the protocol
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(BULK_OPEN, None)
    without_unit = query.copy()
    without_unit.pop("unit", None)
    context = {
        "unit_choice_query": without_unit.urlencode(),  # the candidates' links add `unit=`
        "round": round_,
        "form": form,
        "page": page,
        "counts": counts,
        "statuses": MeasureStatus.choices,
        "lights": [(key, LIGHT_LABELS[key]) for key in LIGHTS],
        "query": query.urlencode(),
        "can_export": can_export,
        "can_assign": can_assign,
        "bulk_form": bulk_form,
        "can_follow_up": can_follow_up,  # 回头看 from this round (repeats.views.follow_up_create)
    }
    template = "ledger/ledger.html#ledger_results" if _is_partial(request) else "ledger/ledger.html"
    return render(request, template, context)


@login_required
@require_GET
def round_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    round_, rights = get_round_for_user(request.user, pk)
    departments = round_filter_departments(round_)
    # The unit and its departments, read once for the filter and the assignment form.
    choices = list(departments.order_by("path").values_list("pk", "name"))
    # 批量分配: whoever may edit the round can tick its rows. The form is open on the page where it
    # is this person's first task (bulk.form_first), else it comes when asked for (?bulk=open, or
    # bulk_views.bulk_form for HTMX); results swapped by the filters never carry it.
    bulk_form = None
    wanted = bulk.form_first(rights) or request.GET.get(BULK_OPEN) == "open"
    if rights.can_edit_ledger and wanted and not _is_partial(request):
        bulk_form = BulkAssignForm.for_round(round_, department_rows=choices)
    return _ledger_page(
        request,
        round_,
        departments,
        units=None,
        can_assign=rights.can_edit_ledger,
        bulk_form=bulk_form,
        department_choices=choices,
        can_follow_up=Role.OFFICE_STAFF in rights.roles,
    )


def round_filter_departments(round_: InspectionRound):
    """The organisations a round's ledger filters by (the unit and its departments)."""
    return Organisation.objects.filter(path__startswith=round_.inspected_unit.path)


@login_required
@require_GET
def all_ledgers(request: HttpRequest) -> HttpResponse:
    """The ledger across every round the user may see: how an inspection office follows its units."""
    return _ledger_page(
        request,
        None,
        departments=None,
        units=pickers.ledger_units(request.user),
        can_export=Action.EXPORT in actions_anywhere(request.user),
    )


def _measure_context(
    request: HttpRequest,
    measure: Measure,
    rights: RoundRights,
    forms: dict | None = None,
    open_panel: str = "",
    links: cards.CardLinks | None = None,
) -> dict:
    """The context of one measure card: what it shows, and the steps this person may take now.
    `links`: the page's links, reversed once for all its cards (else for this card alone). Its copies
    in other plans are not looked for here: the page asks for them afterwards (`hint_views`)."""
    forms = forms or {}
    links = links or cards.CardLinks()
    steps = cards.steps_for(request.user, measure, rights)
    keys = {step.key for step in steps}
    panel = cards.panel_of(forms, measure) or open_panel
    panel = panel if panel in keys else ""
    progress = list(measure.progress_entries.all())
    pending = cards.pending_extension(measure)
    return {
        "measure": measure,
        "rights": rights,
        "slogan": slogan_reasons(measure.text),
        "evidence": [(f, links.evidence_file(f.pk)) for f in measure.evidence_files.all()],
        "links": links.of(measure, pending),
        "primary": steps[0] if steps else None,
        "secondary": steps[1:],
        "panel": panel,
        "panel_label": cards.LABELS.get(panel, ""),
        "pending_extension": pending,
        "can_edit": rights.can_edit_ledger and measure.status in workflow.EDITABLE_STATES,
        "withheld": transitions.withheld_reasons(request.user, measure, rights),
        "recent": progress[: cards.TIMELINE_SHOWN],
        "earlier": progress[cards.TIMELINE_SHOWN :],
        # Only the open panel shows a form: the closed card builds none (four forms a card, each page).
        **_panel_form(measure, panel, forms),
        "error": forms.get("error"),
        "stale": forms.get("stale"),
        "ok_message": "",
    }


def _panel_form(measure: Measure, panel: str, forms: dict) -> dict:
    """The form of the card's open panel, as the template names it: the one a failed POST bound,
    or a fresh one."""
    if panel == "progress":
        return {"progress_form": forms.get("progress") or ProgressForm(prefix=f"p{measure.pk}")}
    if panel == "evidence":
        return {"evidence_form": forms.get("evidence") or EvidenceForm(prefix=f"e{measure.pk}")}
    if panel == "extension":
        initial = {"version": measure.version}
        return {
            "extension_form": forms.get("extension")
            or ExtensionRequestForm(prefix=f"x{measure.pk}", initial=initial)
        }
    if panel in cards.TRANSITION_STEPS:
        initial = {"version": measure.version}
        return {
            "transition_form": forms.get("transition")
            or TransitionForm(prefix=f"t{measure.pk}", initial=initial)
        }
    return {}


def _problem_page(
    request: HttpRequest,
    problem: Problem,
    rights: RoundRights,
    bound: dict | None = None,
    status: int = 200,
    opened: tuple[int, str] | None = None,
) -> HttpResponse:
    bound = bound or {}
    # Each card is rendered as HTMX gets it alone (cards.render_card), their links reversed once.
    measures = selectors.problem_cards(problem)
    links = cards.CardLinks()
    measure_cards = [
        _measure_context(
            request,
            m,
            rights,
            bound.get(m.pk),
            open_panel=opened[1] if opened and opened[0] == m.pk else "",
            links=links,
        )
        for m in measures
    ]
    ancestors: list[Problem] = []
    node = problem.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    context = {
        "problem": problem,
        "round": problem.round,
        "rights": rights,
        "ancestors": ancestors,
        "children": selectors.PROBLEM_CHILDREN.objects(problem.pk),
        "cards": [cards.render_card(request, card) for card in measure_cards],
        "counts": selectors.ledger_counts(
            request.user, round_=problem.round, filters=selectors.LedgerFilters()
        ),
        # 屡查屡犯: the earlier findings this one repeats and the later ones repeating it, as seen.
        "repeats": problem_repeats(request.user, problem),
        "may_decide_repeats": Role.OFFICE_STAFF in rights.roles,
    }
    return render(request, "ledger/problem_detail.html", context, status=status)


@login_required
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem, rights = get_problem_for_user(request.user, pk)
    # ?measure=<id>&open=<step>: a card's form opened without JavaScript (the link behind the button).
    measure_id = request.GET.get("measure", "")
    opened = (int(measure_id), request.GET.get("open", "")) if measure_id.isdigit() else None
    return _problem_page(request, problem, rights, opened=opened)


@login_required
@require_GET
def measure_card(request: HttpRequest, pk: int) -> HttpResponse:
    """One measure's card, with the form of a step open (?open=<step>) or none: what the card's
    buttons load. Only a step the person may take now opens; any other shows the card alone."""
    measure, rights = get_measure_for_user(request.user, pk)
    open_panel = request.GET.get("open", "")
    if not _is_htmx(request):
        query = "?" + urlencode({"measure": measure.pk, "open": open_panel}) if open_panel else ""
        return redirect(f"{measure.problem.get_absolute_url()}{query}#measure-{measure.pk}")
    (fresh,) = selectors.problem_cards(measure.problem, pk=measure.pk)
    return HttpResponse(
        cards.render_card(request, _measure_context(request, fresh, rights, open_panel=open_panel))
    )


def _after_measure_action(
    request, measure: Measure, rights: RoundRights, forms: dict | None = None, ok: str = ""
):
    """Answer an action on a measure: its card for HTMX, else the problem page (or a redirect)."""
    failed = bool(forms)
    if _is_htmx(request):
        (fresh,) = selectors.problem_cards(measure.problem, pk=measure.pk)
        context = _measure_context(request, fresh, rights, forms)
        context["ok_message"] = ok
        response = HttpResponse(cards.render_card(request, context))
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
    require(rights, Action.RECORD_PROGRESS)
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
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the closing cycle (申请销号, 审核, 销号, 退回…), checked by the state machine."""
    measure, rights = get_measure_for_user(request.user, pk)
    # Whoever may take no step at all is refused outright; a step the role allows but the state or
    # the rules refuse is said on the card.
    require_any(rights, workflow.TRANSITION_ACTIONS)
    form = TransitionForm(request.POST, prefix=f"t{measure.pk}")
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"transition": form})
    data = form.cleaned_data
    try:
        transitions.measure_transition(
            measure=measure,
            actor=request.user,
            action=data["action"],
            expected_version=data["version"],
            reason=data["reason"],
            completed_on=data["completed_on"],
            late_reason=data["late_reason"],
            follow_up_days=data["follow_up_days"],
        )
    except LedgerError as exc:  # a refusal, a stale version included: said on the card
        return _after_measure_action(request, measure, rights, {"transition": form, "error": exc.message})
    return _after_measure_action(
        request, measure, rights, ok=_("Done: %(action)s.") % {"action": Action(data["action"]).label}
    )


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require(rights, Action.REQUEST_EXTENSION)
    form = ExtensionRequestForm(request.POST, prefix=f"x{measure.pk}")
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"extension": form})
    try:
        transitions.extension_request(
            measure=measure,
            actor=request.user,
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except LedgerError as exc:
        form.add_error(None, exc.message)
        return _after_measure_action(request, measure, rights, {"extension": form})
    return _after_measure_action(
        request, measure, rights, ok=_("The request for more time was sent to the inspection office.")
    )


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension, rights = get_extension_for_user(request.user, pk)
    require(rights, Action.DECIDE_EXTENSION)
    form = ExtensionDecisionForm(request.POST)
    measure = extension.measure
    if not form.is_valid():
        return _after_measure_action(request, measure, rights, {"error": _("Choose approve or refuse.")})
    try:
        transitions.extension_decide(
            extension=extension,
            actor=request.user,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except LedgerError as exc:
        return _after_measure_action(request, measure, rights, {"error": exc.message})
    return _after_measure_action(request, measure, rights, ok=_("The request for more time was decided."))


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require(rights, Action.ACKNOWLEDGE)
    try:
        transitions.measure_acknowledge(measure=measure, actor=request.user)
    except LedgerError as exc:
        return _after_measure_action(request, measure, rights, {"error": exc.message})
    return _after_measure_action(request, measure, rights, ok=_("Signed for."))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    measure, rights = get_measure_for_user(request.user, pk)
    require(rights, Action.ATTACH_EVIDENCE)
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
        form = MeasureForm(request.POST, round_=round_, measure=measure)
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
        form = MeasureForm(initial=initial, round_=round_, measure=measure)
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
