"""The in-app reminders: a user's own notices, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.reminders import selectors, services
from zhenggai.reminders.messages import item_from_event, sort_items, state

PAGE_SIZE = 20


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Shows a page of notices and marks them read, as opening a letter does.

    Links are site-relative here; e-mails and chat messages carry `SITE_URL` in front.
    """
    page = Paginator(selectors.notices_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = {n.pk for n in page if n.read_at is None}
    rows = [
        {
            "notice": n,
            "unread": n.pk in unread,
            "items": [
                {"item": i, "state": state(i)} for i in sort_items(item_from_event(e) for e in n.events.all())
            ],
        }
        for n in page
    ]
    services.notices_mark_read(user=request.user, notice_ids=sorted(unread))
    return render(request, "reminders/notice_list.html", {"page": page, "rows": rows})
