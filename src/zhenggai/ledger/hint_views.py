"""The copy and near-copy hints of a problem's measures (照抄照搬), loaded after the problem page.

They are the page's dearest part (they look through every plan the user may see) and the least
urgent: the page shows each card's next step at once and asks for the hints as a fragment when it
has loaded (HTMX), which puts each measure's hints into its card. Without JavaScript the page links
here, and this answers with a page of its own.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.ledger import quality
from zhenggai.ledger.access import get_problem_for_user
from zhenggai.ledger.links import IdUrl

TEMPLATE = "ledger/problem_copies.html"


@login_required
@require_GET
def problem_copies(request: HttpRequest, pk: int) -> HttpResponse:
    """The hints of each measure of the problem, scoped to the rounds the user may see (a problem of
    a round the user may not see: 404): for HTMX, each card's hints swapped into its card."""
    problem, _rights = get_problem_for_user(request.user, pk)
    measures = list(
        problem.measures.order_by("position", "pk").only("pk", "problem", "round", "text", "text_fingerprint")
    )
    hints = quality.measures_quality(request.user, measures)
    problem_url = IdUrl("ledger:problem_detail")
    items = [
        {
            "measure": m,
            "quality": hints[m.pk],
            "copies": [(c, problem_url(c.problem_id)) for c in hints[m.pk].copies],
            "near": [(n, problem_url(n.copy.problem_id)) for n in hints[m.pk].near],
        }
        for m in measures
    ]
    is_htmx = request.headers.get("HX-Request") == "true"
    template = f"{TEMPLATE}#card_hints" if is_htmx else TEMPLATE
    return render(request, template, {"problem": problem, "round": problem.round, "items": items})
