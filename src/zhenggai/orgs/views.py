"""人员与机构: a unit's administrator keeps its departments, people, logins and roles; the inspection
office its groups and the units it inspects. Thin views: orgs.access decides who reaches what (403
for whoever manages nothing, 404 outside their part of the tree), orgs.services writes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.accounts import services as account_services
from zhenggai.orgs import access, pickers, selectors, services
from zhenggai.orgs.forms import (
    AccountForm,
    ActiveForm,
    ChildOrganisationForm,
    GrantForm,
    LedgerColumnsForm,
    LoginResetForm,
    MoveForm,
    PersonEditForm,
    PersonForm,
    RenameForm,
    UnitForm,
)
from zhenggai.orgs.models import Organisation, OrgKind


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The parts of the tree the user keeps: their unit's tree, or their office's groups and units."""
    access.require_manager(request.user)
    q = request.GET.get("q", "").strip()[:100]
    offices = []
    for office in access.managed_offices(request.user):
        units = selectors.search_units(access.units_of_office(office), q)
        page = Paginator(units, settings.ZHENGGAI["LEDGER_PAGE_SIZE"]).get_page(request.GET.get("page"))
        offices.append({"office": office, "groups": selectors.subtree(office), "units": page})
    trees = [
        {"root": root, "tree": selectors.subtree(root)} for root in access.managed_unit_roots(request.user)
    ]
    query = urlencode({"q": q}) if q else ""
    context = {"offices": offices, "unit_trees": trees, "q": q, "query": query, "unit_form": UnitForm()}
    return render(request, "orgs/index.html", context)


@login_required
@require_GET
def unit_picker(request: HttpRequest, scope: str) -> HttpResponse:
    """The units matching what is typed in a unit picker (?field=<its name>&<name>=<text>), among
    those the picker's scope lets the user choose: at most PICKER_LIMIT, as an HTMX fragment."""
    units_of = pickers.SCOPES.get(scope)
    if units_of is None:
        raise Http404
    term = request.GET.get(request.GET.get("field", "unit"), "")[:200]
    picks, more = pickers.unit_picks(units_of(request.user, request.GET), term)
    context = {"picks": picks, "more": more, "term": term.strip()}
    return render(request, "orgs/_unit_picker.html#unit_options", context)


def _side(org: Organisation) -> str:
    return "office" if access.home_of(org).kind in access.OFFICE_KINDS else "unit"


def _org_page(request: HttpRequest, org: Organisation, status: int = 200, **bound) -> HttpResponse:
    home = access.home_of(org)
    may_move = org.kind == OrgKind.UNIT and access.office_managing(request.user, org) is not None
    forms = {
        "child_form": ChildOrganisationForm(side=_side(org)),
        "person_form": PersonForm(),
        # One login form per person without one: no ids, so that they do not repeat on the page.
        "account_form": AccountForm(auto_id=False),
        "blank_account_form": AccountForm(auto_id=False),
        "account_for": None,
        "reset_form": LoginResetForm(auto_id=False),
        "blank_reset_form": LoginResetForm(auto_id=False),
        "reset_for": None,
        "grant_form": GrantForm(
            candidates=selectors.grant_candidates(home), roles=access.grantable_roles(org)
        ),
        "move_form": MoveForm(targets=access.move_targets(request.user, org), org=org) if may_move else None,
        "rename_form": RenameForm(initial={"name": org.name, "short_name": org.short_name}),
        "columns_form": LedgerColumnsForm(
            initial={"columns": LedgerColumnsForm.initial_text(org.ledger_columns)}
        )
        if org.kind == OrgKind.INSPECTION_OFFICE
        else None,
    }
    edited = bound.pop("person_edit", None)
    forms.update(bound)
    context = {
        "org": org,
        "children": org.children.order_by("-active", "path"),
        "people": _people_rows(request.user, org, edited),
        "roles": selectors.roles_in(org),
        "may_close": _may_close(request.user, org),
        **forms,
    }
    return render(request, "orgs/organisation.html", context, status=status)


def _people_rows(user, org: Organisation, edited: tuple[int, PersonEditForm] | None) -> list[dict]:
    """Each person of `org` with the form that corrects them (the one just refused, if any)."""
    places = list(access.person_places(user, org))
    rows = []
    for person in selectors.people_in(org):
        if edited and edited[0] == person.pk:
            form = edited[1]
        else:
            initial = {"name": person.name, "title": person.title, "organisation": person.organisation_id}
            form = PersonEditForm(initial=initial, places=places, auto_id=False)
        rows.append({"person": person, "edit_form": form})
    return rows


def _may_close(user, org: Organisation) -> bool:
    """Units are closed by their office; nobody closes the organisation their own role is in."""
    if any(org.pk == m.pk for m in [*access.managed_unit_roots(user), *access.managed_offices(user)]):
        return False
    return org.kind != OrgKind.UNIT or access.office_managing(user, org) is not None


def _back(org: Organisation, anchor: str = "") -> HttpResponse:
    return redirect(reverse("orgs:organisation", args=[org.pk]) + anchor)


@login_required
@require_GET
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    return _org_page(request, access.get_org_to_manage(request.user, pk))


@login_required
@require_POST
def child_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _create_under(
        request,
        pk,
        "child_form",
        lambda org: ChildOrganisationForm(request.POST, side=_side(org)),
        lambda org, data: services.organisation_create(parent=org, actor=request.user, **data),
        "#children",
    )


def _create_under(request: HttpRequest, pk: int, form_name: str, make_form, create, anchor: str):
    """Add a department or a person under an organisation the user manages."""
    org = access.get_org_to_manage(request.user, pk)
    form = make_form(org)
    if not form.is_valid():
        return _org_page(request, org, status=400, **{form_name: form})
    made = create(org, form.cleaned_data)
    messages.success(request, _("%(name)s added.") % {"name": made.name})
    return _back(org, anchor)


@login_required
@require_POST
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new unit for the office to inspect, beside the others under the office's parent."""
    office = access.get_org_to_manage(request.user, pk)
    if office not in access.managed_offices(request.user):
        raise Http404
    form = UnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the unit's name."))
        return redirect("orgs:index")
    unit = services.organisation_create(
        kind=OrgKind.UNIT, parent=office.parent, actor=request.user, **form.cleaned_data
    )
    messages.success(request, _("%(name)s added.") % {"name": unit.name})
    return _back(unit)


@login_required
@require_POST
def organisation_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_to_manage(request.user, pk)
    if org.kind != OrgKind.UNIT or access.office_managing(request.user, org) is None:
        raise PermissionDenied
    form = MoveForm(request.POST, targets=access.move_targets(request.user, org), org=org)
    if not form.is_valid():
        return _org_page(request, org, status=400, move_form=form)
    services.organisation_move(org=org, new_parent=form.cleaned_data["parent"], actor=request.user)
    messages.success(request, _("Moved."))
    return _back(org)


@login_required
@require_POST
def organisation_rename(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_to_manage(request.user, pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _org_page(request, org, status=400, rename_form=form)
    services.organisation_rename(org=org, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Saved."))
    return _back(org)


@login_required
@require_POST
def organisation_ledger_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspection office sets the order of its ledger workbook's columns (its units' too)."""
    org = access.get_org_to_manage(request.user, pk)
    if org.kind != OrgKind.INSPECTION_OFFICE:
        raise Http404
    form = LedgerColumnsForm(request.POST)
    if not form.is_valid():
        return _org_page(request, org, status=400, columns_form=form)
    services.office_ledger_columns_set(office=org, columns=form.cleaned_data["columns"], actor=request.user)
    messages.success(request, _("Saved."))
    return _back(org)


@login_required
@require_POST
def organisation_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_to_manage(request.user, pk)
    if not _may_close(request.user, org):
        raise PermissionDenied
    form = ActiveForm(request.POST)
    if not form.is_valid():
        return _back(org)
    services.organisation_set_active(org=org, active=form.cleaned_data["active"], actor=request.user)
    if form.cleaned_data["active"]:
        messages.success(request, _("%(name)s is open again.") % {"name": org.name})
    else:
        messages.success(
            request, _("%(name)s is closed; the records that name it keep it.") % {"name": org.name}
        )
    return _back(org)


@login_required
@require_POST
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _create_under(
        request,
        pk,
        "person_form",
        lambda _org: PersonForm(request.POST),
        lambda org, data: services.person_create(organisation=org, actor=request.user, **data),
        "#people",
    )


@login_required
@require_POST
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a person a login: an invitation link shown once, or an initial password."""
    person = access.get_person_to_manage(request.user, pk)
    if person.user_id is not None or not person.active:
        messages.error(request, _("%(name)s cannot be given a login.") % {"name": person.name})
        return _back(person.organisation, "#people")
    form = AccountForm(request.POST, auto_id=False)
    if not form.is_valid():
        return _org_page(request, person.organisation, status=400, account_form=form, account_for=person.pk)
    password = (
        form.cleaned_data["initial_password"] if form.cleaned_data["method"] == AccountForm.PASSWORD else None
    )
    try:
        user, token = services.person_account_create(
            person=person,
            username=form.cleaned_data["username"],
            initial_password=password,
            actor=request.user,
        )
    except IntegrityError:  # the name was taken between the check and the write
        form.add_error("username", _("This user name is taken."))
        return _org_page(request, person.organisation, status=400, account_form=form, account_for=person.pk)
    return _login_ready(request, person, user, token)


def _login_ready(request: HttpRequest, person, user, token: str | None) -> HttpResponse:
    """The page that shows an invitation link, once (only its hash is kept)."""
    link = request.build_absolute_uri(reverse("accounts:invitation", args=[token])) if token else ""
    context = {"person": person, "account": user, "link": link}
    return render(request, "orgs/account_created.html", context)


@login_required
@require_POST
def person_login_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A forgotten password: a new invitation link, or a new initial password to change at once."""
    person = access.get_person_to_manage(request.user, pk)
    if person.user is None or not person.active or not access.may_manage_login(request.user, person.user):
        raise PermissionDenied
    form = LoginResetForm(request.POST, auto_id=False)
    if not form.is_valid():
        return _org_page(request, person.organisation, status=400, reset_form=form, reset_for=person.pk)
    password = form.cleaned_data["initial_password"] if form.cleaned_data["method"] == form.PASSWORD else None
    token = account_services.login_open(user=person.user, initial_password=password, actor=request.user)
    return _login_ready(request, person, person.user, token)


@login_required
@require_POST
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a person's name or post, or move them to another department of the unit."""
    person = access.get_person_to_manage(request.user, pk)
    places = list(access.person_places(request.user, person.organisation))
    form = PersonEditForm(request.POST, places=places, auto_id=False)
    if not form.is_valid():
        return _org_page(request, person.organisation, status=400, person_edit=(person.pk, form))
    services.person_update(person=person, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Saved."))
    return _back(person.organisation, "#people")


@login_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_to_manage(request.user, pk)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        return _back(person.organisation, "#people")
    if person.user_id is not None and not access.may_manage_login(request.user, person.user):
        messages.error(
            request,
            _(
                "%(name)s's login has roles outside what you manage (or is your own): ask the administrator above."
            )
            % {"name": person.name},
        )
        return _back(person.organisation, "#people")
    services.person_set_active(person=person, active=form.cleaned_data["active"], actor=request.user)
    if form.cleaned_data["active"]:
        messages.success(request, _("%(name)s is active again.") % {"name": person.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated; the records that name them keep them.") % {"name": person.name},
        )
    return _back(person.organisation, "#people")


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_to_manage(request.user, pk)
    form = GrantForm(
        request.POST,
        candidates=selectors.grant_candidates(access.home_of(org)),
        roles=access.grantable_roles(org),
    )
    if not form.is_valid():
        return _org_page(request, org, status=400, grant_form=form)
    person = form.cleaned_data["person"]
    services.membership_grant(
        user=person.user, organisation=org, role=form.cleaned_data["role"], actor=request.user
    )
    messages.success(request, _("Role given to %(name)s.") % {"name": person.name})
    return _back(org, "#roles")


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_to_manage(request.user, pk)
    org = membership.organisation
    if membership.user_id == request.user.pk:
        messages.error(request, _("You cannot take away your own role; ask another administrator."))
        return _back(org, "#roles")
    services.membership_revoke(membership=membership, actor=request.user)
    messages.success(request, _("Role taken away."))
    return _back(org, "#roles")
