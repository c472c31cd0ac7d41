"""The in-app reminders: a user's own notices, newest first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhenggai.ledger.access import offices_to_configure
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.keyset import Key, keyset_page
from zhenggai.reminders import selectors, services, settings_service
from zhenggai.reminders.forms import PolicyForm
from zhenggai.reminders.messages import item_from_event, sort_items, state

PAGE_SIZE = 20
NOTICE_ORDER = (Key("day", descending=True), Key("pk", descending=True))  # notices_for's order


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Shows a page of notices and marks them read, as opening a letter does.

    Links are site-relative here; e-mails and chat messages carry `SITE_URL` in front.
    """
    # Keyset pages (newer / older from the day shown): a notice a day, for years.
    page = keyset_page(selectors.notices_for(request.user), NOTICE_ORDER, request.GET, PAGE_SIZE)
    unread = {n.pk for n in page.items if n.read_at is None}
    rows = [
        {
            "notice": n,
            "unread": n.pk in unread,
            "items": [
                {"item": i, "state": state(i)} for i in sort_items(item_from_event(e) for e in n.events.all())
            ],
        }
        for n in page.items
    ]
    services.notices_mark_read(user=request.user, notice_ids=sorted(unread))
    can_configure = offices_to_configure(request.user).exists()
    return render(
        request, "reminders/notice_list.html", {"page": page, "rows": rows, "can_configure": can_configure}
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """An inspection office's own reminder ladder; 403 for whoever may set none (ROLE_ACTIONS), 404
    for an office that is not the user's."""
    offices = list(offices_to_configure(request.user))
    if not offices:
        raise PermissionDenied
    chosen = request.GET.get("office") or request.POST.get("office") or str(offices[0].pk)
    office = next((o for o in offices if str(o.pk) == chosen), None)
    if office is None:
        raise Http404
    current = settings_service.policy_for_office(office)
    context = {"offices": offices, "office": office, "policy": current, "error": "", "stale": None}
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST, instance=current)  # the service rereads it, locked
        if form.is_valid():
            data = form.cleaned_data
            try:
                settings_service.policy_update(
                    office=office,
                    actor=request.user,
                    expected_version=data["version"],
                    **{name: data[name] for name in settings_service.POLICY_FIELDS},
                )
            except StaleEdit as exc:
                context.update(error=exc.message, stale=exc.changes)
                status = 409
            except LedgerError as exc:
                context["error"] = exc.message
                status = 400
            else:
                messages.success(
                    request, _("The reminder settings of %(office)s are saved.") % {"office": office}
                )
                return redirect(f"{request.path}?office={office.pk}")
        else:
            status = 400
    else:
        form = PolicyForm(instance=current, initial={"version": current.version})
    context["form"] = form
    return render(request, "reminders/policy.html", context, status=status)
