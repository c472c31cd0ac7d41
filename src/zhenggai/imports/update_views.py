"""Update a round from its edited workbook: the differences side by side, then one confirmation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhenggai.imports import services
from zhenggai.imports.models import DraftStatus
from zhenggai.ledger.access import get_update_draft_for_user
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.reimport import reimport_plan


def _versions(raw: str) -> dict[int, int] | None:
    """The measures' versions the page was made from, as the hidden field carries them."""
    try:
        loaded = json.loads(raw)
        return {int(pk): int(version) for pk, version in loaded.items()}
    except (ValueError, TypeError, AttributeError):
        return None


@login_required
def draft_update(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the workbook changes in the round. POST: apply it (the refused rows left out)."""
    draft, round_ = get_update_draft_for_user(request.user, pk)
    if draft.status != DraftStatus.DRAFT:  # applied or discarded already: the round is what there is
        return redirect(round_)
    error, status = "", 200
    if request.method == "POST":
        versions = _versions(request.POST.get("versions", ""))
        if versions is None:
            error, status = _("The page could not be read. Reload it and try again."), 400
        else:
            try:
                plan = services.draft_update_round(
                    draft=draft, actor=request.user, expected_versions=versions
                )
            except LedgerError as exc:
                error, status = exc.message, 409
            else:
                messages.success(
                    request,
                    _(
                        "The round was updated: %(changed)s measures changed, %(new)s items added, %(refused)s refused."
                    )
                    % {"changed": len(plan.changed), "new": len(plan.new), "refused": len(plan.refused)},
                )
                return redirect(round_)
    plan = reimport_plan(round_=round_, ledger=draft.ledger)
    context = {
        "draft": draft,
        "round": round_,
        "plan": plan,
        "versions": json.dumps({str(k): v for k, v in plan.versions.items()}),
        "error": error,
    }
    return render(request, "imports/update.html", context, status=status)
