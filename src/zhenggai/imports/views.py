from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhenggai.core.errors import DocumentError
from zhenggai.imports import services, tree_edit
from zhenggai.imports.forms import NodeEditForm, RoundInfoForm, UploadForm
from zhenggai.imports.models import DraftStatus, ImportDraft
from zhenggai.ledger import quality
from zhenggai.ledger.access import (
    get_draft_for_user,
    get_draft_to_change,
    groups_for_import,
    may_import_somewhere,
    offices_for_import,
    rounds_to_edit,
    units_for_import,
)
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import CLAIM_LABELS


def _upload_form(request: HttpRequest, data=None, files=None) -> UploadForm:
    units, offices = units_for_import(request.user), offices_for_import(request.user)
    # Most clerks keep the ledger of one unit, followed by one office: choose those for them.
    initial: dict = {
        name: only[0].name if name == "inspected_unit" else only[0].pk  # the unit picker takes a name
        for name, qs in (("inspected_unit", units), ("office", offices))
        if len(only := qs[:2]) == 1
    }
    rounds = rounds_to_edit(request.user)
    if (chosen := request.GET.get("update_round", "")).isdigit():  # the ledger page's link to it
        initial["update_round"] = int(chosen)
    form = UploadForm(
        data,
        files,
        units=units,
        offices=offices,
        groups=groups_for_import(request.user),
        rounds=rounds,
        initial=initial,
    )
    if not rounds.exists():  # an office imports new rounds only: no choice to offer
        del form.fields["update_round"]
    return form


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not may_import_somewhere(request.user):  # no role that imports (ROLE_ACTIONS) for any unit
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = _upload_form(request, request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > services.MAX_IMPORT_BYTES:
                form.add_error("file", _("The file is larger than 20 MB."))
            else:
                target = form.cleaned_data.get("update_round")
                try:
                    draft = services.draft_create(
                        actor=request.user,
                        name=upload.name,
                        data=upload.read(),
                        office=target.office if target else form.cleaned_data["office"],
                        inspected_unit=target.inspected_unit
                        if target
                        else form.cleaned_data["inspected_unit"],
                        inspecting_group=target.inspecting_group
                        if target
                        else form.cleaned_data["inspecting_group"],
                        update_round=target,
                    )
                    return redirect("imports:draft_update" if target else "imports:draft", pk=draft.pk)
                except DocumentError as exc:
                    form.add_error("file", exc.message)
        status = 400
    else:
        form = _upload_form(request)
    drafts = ImportDraft.objects.filter(created_by_id=request.user.pk, status=DraftStatus.DRAFT)[:20]
    return render(request, "imports/upload.html", {"form": form, "drafts": drafts}, status=status)


def _nodes_for_display(nodes, open_paths: frozenset[str] = frozenset(), prefix=()) -> list[dict]:
    """The tree for the template, nested: each node with its path, depth, whether its form is open
    (the selected items), and its children. A branch that holds an open item is shown expanded."""
    items = []
    for index, node in enumerate(nodes):
        path = (*prefix, index)
        key = ".".join(map(str, path))
        children = _nodes_for_display(node.get("children") or [], open_paths, path)
        item = _item(key, node, key in open_paths)
        item["children"] = children
        item["expanded"] = len(path) == 1 or any(c["open"] or c["expanded"] for c in children)
        items.append(item)
    return items


def _item(path: str, node: dict, is_open: bool, measures_text: str | None = None) -> dict:
    """One node for the template: where it is, what it says, and whether its form is open."""
    return {
        "path": path,
        "anchor": "node-" + path.replace(".", "-"),
        "depth": path.count(".") + 1,
        "node": node,
        "measures_text": "\n".join(m.get("text", "") for m in node.get("measures") or [])
        if measures_text is None
        else measures_text,
        "open": is_open,
        "duties": _duties(node),
    }


_DUTY_ROLES = ("owner", "department", "partners", "doer")


def _duties(node: dict) -> list[dict]:
    """Who answers for each measure, as read (责任领导, 责任部门, 配合部门, 具体责任人): the measures
    that name anyone, numbered as in the list."""
    out = []
    for number, measure in enumerate(node.get("measures") or [], start=1):
        fields = [
            (_COLUMN_FIELDS[role], str(measure.get(role)))
            for role in _DUTY_ROLES
            if isinstance(measure, dict) and measure.get(role)
        ]
        if fields:
            out.append({"number": number, "fields": fields})
    return out


# The fields a table's columns are read as (the roles of zhenggai.core.tables), for the preview.
_COLUMN_FIELDS = {
    "seq": pgettext_lazy("ledger column", "No."),
    "category": pgettext_lazy("ledger column", "Category"),
    "problem": pgettext_lazy("ledger column", "Problem"),
    "detail": pgettext_lazy("ledger column", "Problem details"),
    "measure": pgettext_lazy("ledger column", "Measures"),
    "owner": pgettext_lazy("ledger column", "Leader responsible"),
    "department": pgettext_lazy("ledger column", "Department responsible"),
    "partners": pgettext_lazy("ledger column", "Partner units"),
    "doer": pgettext_lazy("ledger column", "Person in charge"),
    "deadline": pgettext_lazy("ledger column", "Deadline"),
    "status": pgettext_lazy("ledger column", "Status"),
    "progress": pgettext_lazy("ledger column", "Progress"),
    "evidence": pgettext_lazy("ledger column", "Evidence"),
    "remark": pgettext_lazy("ledger column", "Remarks"),
}


def _columns_read(ledger: dict) -> list[dict]:
    """How the document's tables were read, from the parser's ``columns``: per table, its name when
    there are several, each column's printed name and the field it was read as (in the reader's
    language), and the columns not read. Tables read alike share one line, as in ``列对应``."""
    tables = [t for t in ledger.get("columns") or [] if isinstance(t, dict)]
    out: list[dict] = []
    for table in tables:
        pairs = [
            (str(c.get("header", "")), _COLUMN_FIELDS.get(str(c.get("field")), c.get("field")))
            for c in table.get("columns") or []
            if isinstance(c, dict)
        ]
        unread = [str(text) for text in table.get("unread") or []]
        name = str(table.get("table") or "") if len(tables) > 1 else ""
        if out and out[-1]["key"] == (pairs, unread):
            out[-1]["names"].append(name)
            continue
        out.append({"key": (pairs, unread), "names": [name], "pairs": pairs, "unread": unread})
    for line in out:
        names = line.pop("names")
        line["name"] = names[0] if len(names) == 1 else f"{names[0]}—{names[-1]}"
    return out


def _node_item(draft: ImportDraft, path: str, is_open: bool) -> dict:
    """One node of the draft (its children left out: they are not re-rendered)."""
    return _item(path, tree_edit.node_at(draft.ledger, tree_edit.parse_path(path)), is_open)


def _draft_page(
    request, draft: ImportDraft, status: int = 200, error: str = "", round_form=None
) -> HttpResponse:
    ledger = draft.ledger
    info = ledger.get("round") or {}
    selected = request.GET.get("item", "")
    context = {
        "draft": draft,
        "nodes": _nodes_for_display(ledger.get("sections") or [], frozenset({selected})),
        "counts": tree_edit.counts(ledger),
        "hints": quality.plan_hints(
            request.user,
            ledger,
            [n for n in (draft.inspected_unit.name, draft.inspected_unit.short_name) if n],
        ),
        "ledger": ledger,
        "columns_read": _columns_read(ledger),
        "info": info,
        "error": error,
        "round_form": round_form
        or RoundInfoForm(
            initial={
                "version": draft.version,
                "title": ledger.get("title") or "",
                "kind": info.get("kind") or "其他",
                "feedback_date": info.get("feedback_date"),
            }
        ),
        "operations": services.OPERATIONS,
        "claim_labels": CLAIM_LABELS,
    }
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "imports/draft.html#draft_tree" if is_htmx else "imports/draft.html"
    return render(request, template, context, status=status if not is_htmx else 200)


@login_required
@require_GET
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    if draft.status == DraftStatus.COMMITTED and draft.committed_round_id:
        return redirect(draft.committed_round)
    if draft.update_round_id:  # it updates a round: its page is the differences
        return redirect("imports:draft_update", pk=draft.pk)
    return _draft_page(request, draft)


@login_required
@require_POST
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_change(request.user, pk)
    form = NodeEditForm(request.POST)
    if not form.is_valid():
        return _draft_page(
            request, draft, status=400, error=_("The correction could not be read. Reload the page.")
        )
    operation = form.cleaned_data["operation"]
    if operation == "edit" and _is_htmx(request):
        return _item_saved(request, draft, form)
    try:
        services.draft_apply(
            draft=draft,
            actor=request.user,
            operation=operation,
            path=form.cleaned_data["path"],
            fields=form.edit_fields() if operation == "edit" else {},
            expected_version=form.cleaned_data["version"],
        )
    except LedgerError as exc:
        draft.refresh_from_db()
        return _draft_page(request, draft, status=409, error=exc.message)
    if _is_htmx(request):
        draft.refresh_from_db()
        return _draft_page(request, draft)
    return redirect("imports:draft", pk=draft.pk)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _item_saved(request: HttpRequest, draft: ImportDraft, form: NodeEditForm) -> HttpResponse:
    """Save one item's edits and answer with that item alone (closed, saved), the draft's new version
    and counts: the other items, and whatever is typed in them and not saved yet, stay as they are.
    A refusal (a stale version, a bad path) keeps the item open with what was typed in it."""
    path = form.cleaned_data["path"]
    try:
        draft = services.draft_apply(
            draft=draft,
            actor=request.user,
            operation="edit",
            path=path,
            fields=form.edit_fields(),
            expected_version=form.cleaned_data["version"],
        )
    except LedgerError as exc:
        draft.refresh_from_db()
        typed_node = {key: form.cleaned_data[key] for key in ("label", "title", "problem")}
        typed = _item(path, typed_node, True, measures_text=form.cleaned_data["measures"])
        context = {"draft": draft, "item": typed, "item_error": exc.message, "claim_labels": CLAIM_LABELS}
        return render(request, "imports/draft.html#node_body", context)
    context = {
        "draft": draft,
        "item": _node_item(draft, path, is_open=False),
        "saved": True,
        "counts": tree_edit.counts(draft.ledger),
        "claim_labels": CLAIM_LABELS,
    }
    return render(request, "imports/draft.html#item_saved", context)


@login_required
@require_GET
def draft_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item of the draft, its form open (?open=1: the item selected) or closed: what the preview's
    items load when they are clicked. Without JavaScript the page itself opens it (?item=<path>)."""
    draft = get_draft_for_user(request.user, pk)
    path = request.GET.get("path", "")
    is_open = request.GET.get("open") == "1"
    if not _is_htmx(request):
        query = "?" + urlencode({"item": path}) if is_open else ""
        return redirect(reverse("imports:draft", args=[draft.pk]) + query + "#node-" + path.replace(".", "-"))
    try:
        item = _node_item(draft, path, is_open)
    except tree_edit.TreeEditError as exc:
        return _draft_page(request, draft, error=exc.message)
    return render(
        request, "imports/draft.html#node_body", {"draft": draft, "item": item, "claim_labels": CLAIM_LABELS}
    )


@login_required
@require_POST
def draft_round_info(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_change(request.user, pk)
    form = RoundInfoForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, draft, status=400, round_form=form)
    feedback = form.cleaned_data["feedback_date"]
    try:
        services.draft_set_round_info(
            draft=draft,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            feedback_date=feedback.isoformat() if feedback else None,
        )
    except LedgerError as exc:
        return _draft_page(request, draft, status=409, error=exc.message)
    return redirect("imports:draft", pk=draft.pk)


@login_required
@require_POST
def draft_commit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_change(request.user, pk)
    try:
        round_ = services.draft_commit(draft=draft, actor=request.user)
    except LedgerError as exc:
        return _draft_page(request, draft, status=409, error=exc.message)
    messages.success(request, _("Imported. The round is in the ledger now."))
    return redirect(round_)


@login_required
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_change(request.user, pk)
    services.draft_discard(draft=draft, actor=request.user)
    messages.info(request, _("The draft was discarded."))
    return redirect("imports:upload")
