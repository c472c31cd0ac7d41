"""The office's pages of the taxonomy and its rules, and a problem's category by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.errors import LedgerError
from zhenggai.taxonomy import services
from zhenggai.taxonomy.access import get_problem_to_categorise, require_taxonomy_editor
from zhenggai.taxonomy.forms import CategoryCreateForm, CategoryEditForm, ProblemCategoryForm, RuleForm
from zhenggai.taxonomy.models import Category, ClassificationRule
from zhenggai.taxonomy.selectors import category_name, category_names, category_tree


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_taxonomy_editor(request.user)
    return _index_page(request, CategoryCreateForm())


def _index_page(request, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "taxonomy/index.html",
        {"categories": category_tree(), "form": form},
        status=status,
    )


@login_required
@require_POST
def category_add(request: HttpRequest) -> HttpResponse:
    require_taxonomy_editor(request.user)
    form = CategoryCreateForm(request.POST)
    if not form.is_valid():
        return _index_page(request, form, status=400)
    data = form.cleaned_data
    try:
        services.category_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            parent=data["parent"],
            position=data["position"],
        )
    except LedgerError as exc:
        form.add_error(None, exc.message)
        return _index_page(request, form, status=400)
    messages.success(request, _("Category added."))
    return redirect("taxonomy:index")


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_taxonomy_editor(request.user)
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise Http404
    initial = {"name": category.name, "position": category.position, "active": category.active}
    form = CategoryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.user, category=category, **form.cleaned_data)
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Category saved."))
            return redirect("taxonomy:index")
    status = 400 if request.method == "POST" else 200
    return render(request, "taxonomy/category_form.html", {"category": category, "form": form}, status=status)


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    require_taxonomy_editor(request.user)
    rules = ClassificationRule.objects.select_related("category", "updated_by").order_by("priority", "pk")
    return render(request, "taxonomy/rule_list.html", {"rules": rules})


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest) -> HttpResponse:
    require_taxonomy_editor(request.user)
    last = ClassificationRule.objects.order_by("-priority").values_list("priority", flat=True).first() or 0
    return _rule_page(
        request, None, {"priority": last + 10, "active": True, "apply": True, "kind": "keywords"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_taxonomy_editor(request.user)
    rule = ClassificationRule.objects.select_related("category").filter(pk=pk).first()
    if rule is None:
        raise Http404
    initial = {
        "category": rule.category.code,
        "kind": rule.kind,
        "terms": rule.terms,
        "priority": rule.priority,
        "active": rule.active,
        "note": rule.note,
        "apply": True,
        "version": rule.version,
    }
    return _rule_page(request, rule, initial)


def _rule_page(request, rule: ClassificationRule | None, initial: dict) -> HttpResponse:
    """The rule's form and its test bench: "preview" shows what saving would change, "save" saves
    (and, when asked, applies it) in one transaction."""
    form = RuleForm(request.POST or None, initial=initial)
    effect = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif request.POST.get("action") == "save":
            try:
                _rule, applied = services.rule_save(
                    actor=request.user,
                    draft=form.draft(),
                    rule=rule,
                    version=form.cleaned_data.get("version") if rule is not None else None,
                    apply=form.cleaned_data["apply"],
                )
            except LedgerError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("Rule saved; %(n)s problems moved to another category.") % {"n": len(applied)}
                )
                return redirect("taxonomy:rule_list")
        else:
            effect = services.draft_effect(request.user, form.draft(), rule)
    context = {"form": form, "rule": rule, "effect": effect, "names": category_names()}
    return render(request, "taxonomy/rule_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def problem_category(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem's category set by hand: the office's staff, or the unit's people who edit its ledger."""
    problem, _rights = get_problem_to_categorise(request.user, pk)
    form = ProblemCategoryForm(
        request.POST or None, initial={"category": problem.category, "expected": problem.category}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.problem_category_set(
                    actor=request.user,
                    problem=problem,
                    code=form.cleaned_data["category"],
                    expected=form.cleaned_data["expected"] or None,
                )
            except LedgerError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Category saved."))
                return redirect(problem.get_absolute_url())
        else:
            status = 400
    context = {"problem": problem, "form": form, "current": category_name(problem.category)}
    return render(request, "taxonomy/problem_category.html", context, status=status)
