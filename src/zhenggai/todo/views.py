"""我的待办: the home page of every role, what this person must do now."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.todo import selectors


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.todo_groups(request.user)
    total = sum(g.count for g in groups)
    # The navigation's badge reads this instead of counting again (see templatetags/todo_tags.py).
    setattr(request, selectors.COUNT_ATTR, total)
    selectors.remember_count(request.user, total)
    return render(request, "todo/home.html", {"groups": groups, "total": total})
