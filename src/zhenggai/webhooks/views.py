"""The webhooks pages: an organisation's endpoints, their deliveries, and its chat group robots.

Every view calls webhooks.access first: the same 404 for another organisation's record as for one
that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.errors import LedgerError
from zhenggai.webhooks import access, robots, selectors, services
from zhenggai.webhooks.forms import EndpointForm, RobotForm
from zhenggai.webhooks.models import DeliveryStatus


def _index_url(org_pk: int) -> str:
    return f"{reverse('webhooks:index')}?org={org_pk}"


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The endpoints and robots of one organisation the user manages (the first, or ?org=)."""
    orgs = access.require_integrator(request.user)
    chosen = request.GET.get("org") or str(orgs[0].pk)
    org = next((o for o in orgs if str(o.pk) == chosen), None)
    if org is None:
        raise Http404
    context = {
        "orgs": orgs,
        "org": org,
        "endpoints": list(selectors.endpoints_of(org)),
        # A robot's address carries its key in the query: shown without it.
        "robots": [(robot, services.url_shown(robot.webhook_url)) for robot in selectors.robots_of(org)],
        "robot_form": RobotForm(),
    }
    return render(request, "webhooks/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Register an address; the page that follows shows its secret, once."""
    org = access.get_org_to_integrate(request.user, org_pk)
    form = EndpointForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(
                organisation=org,
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                name=form.cleaned_data["name"],
            )
        except LedgerError as exc:
            error = exc.message
        else:
            return render(request, "webhooks/created.html", {"org": org, "endpoint": endpoint}, status=201)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "webhooks/endpoint_form.html", {"org": org, "form": form, "error": error}, status=status
    )


@login_required
@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = access.get_endpoint_for_user(request.user, pk)
    context = {
        "endpoint": endpoint,
        "org": endpoint.organisation,
        "deliveries": selectors.recent_deliveries(endpoint),
        "done": DeliveryStatus.SUCCEEDED,
    }
    return render(request, "webhooks/endpoint_detail.html", context)


@login_required
@require_POST
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = access.get_endpoint_for_user(request.user, pk)
    if not endpoint.active:
        messages.error(request, _("This endpoint is paused. Resume it before sending a test event."))
    else:
        services.endpoint_test(endpoint=endpoint, actor=request.user)
        messages.success(request, _("A test event is on its way. Its delivery shows below."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@login_required
@require_POST
def endpoint_active(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = access.get_endpoint_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    services.endpoint_set_active(endpoint=endpoint, actor=request.user, active=active)
    messages.success(request, _("The endpoint is resumed.") if active else _("The endpoint is paused."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = access.get_endpoint_for_user(request.user, pk)
    org_pk = endpoint.organisation_id
    services.endpoint_delete(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The endpoint is deleted."))
    return redirect(_index_url(org_pk))


@login_required
@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = access.get_delivery_for_user(request.user, pk)
    try:
        services.delivery_redeliver(delivery=delivery, actor=request.user)
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The event is sent again, as a new delivery."))
    return redirect("webhooks:endpoint_detail", pk=delivery.endpoint_id)


@login_required
@require_POST
def robot_save(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_org_to_integrate(request.user, org_pk)
    form = RobotForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label}：{error}" if field in form.fields else str(error)
                )
        return redirect(_index_url(org.pk))
    try:
        robots.robot_save(organisation=org, actor=request.user, **form.cleaned_data)
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The group robot is saved."))
    return redirect(_index_url(org.pk))


@login_required
@require_POST
def robot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    robot = access.get_robot_for_user(request.user, pk)
    org_pk = robot.organisation_id
    robots.robot_delete(robot=robot, actor=request.user)
    messages.success(request, _("The group robot is removed."))
    return redirect(_index_url(org_pk))
