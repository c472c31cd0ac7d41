"""What a measure's card offers this person now: the next step first, the others on demand.

The card is built from the same rules the POST endpoints check (`transitions.available_actions`,
the rights table of `workflow.ROLE_ACTIONS`): a step is offered only where its endpoint would let it
through. Which step comes first follows the cycle: 签收, start, record progress, add evidence, ask
for closing, the unit's review, the office's closing; the rest open as a form in the card when asked.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup, escape

from zhenggai.ledger import transitions, workflow
from zhenggai.ledger.access import RoundRights, may_acknowledge
from zhenggai.ledger.lights import LIGHT_LABELS
from zhenggai.ledger.links import IdUrl
from zhenggai.ledger.models import ExtensionStatus, Measure
from zhenggai.ledger.workflow import Action

# How many progress entries the card shows; earlier ones open on demand.
TIMELINE_SHOWN = 3

LABELS = {
    "acknowledge": _("Sign for it"),
    "start": _("Start the work"),
    "progress": _("Record progress"),
    "evidence": _("Upload evidence"),
    "submit": _("Report done, ask for closing"),
    "confirm": _("Confirm for the unit"),
    "send_back": _("Send back to the clerk"),
    "close": _("Close"),
    "return": _("Return"),
    "recheck": _("Checked again: keep closed"),
    "extension": _("Ask for more time"),
    "decide": _("Decide on more time"),
}
# Steps taken with one click, without a field to fill: the button itself posts when it is the
# primary step. The others open their form in the card.
ONE_CLICK = frozenset({"acknowledge", "start", "confirm"})
# Which step leads, when several are open to the person: the order of the cycle.
CYCLE = ["acknowledge", "start", "confirm", "close", "recheck", "decide", "submit", "progress", "evidence"]
TRANSITION_STEPS = frozenset(workflow.TRANSITION_ACTIONS)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    one_click: bool


def _has(measure: Measure, related: str) -> bool:
    return bool(getattr(measure, related).all())


def pending_extension(measure: Measure):
    return next((x for x in measure.extensions.all() if x.status == ExtensionStatus.PENDING), None)


def steps_for(user, measure: Measure, rights: RoundRights) -> list[Step]:
    """Every step this person may take on the measure now, the primary one first."""
    keys: list[str] = []
    acknowledged = any(a.department_id == measure.lead_department_id for a in measure.acknowledgements.all())
    if rights.can(Action.ACKNOWLEDGE) and may_acknowledge(user, measure) and not acknowledged:
        keys.append("acknowledge")
    keys += transitions.available_actions(user, measure, rights)
    editable = measure.status in workflow.EDITABLE_STATES
    if editable and rights.can(Action.RECORD_PROGRESS):
        keys.append("progress")
    if editable and rights.can(Action.ATTACH_EVIDENCE):
        keys.append("evidence")
    pending = pending_extension(measure)
    if pending is not None and rights.can(Action.DECIDE_EXTENSION):
        keys.append("decide")
    # More time is asked for a deadline there is: a measure without one has nothing to move.
    if (
        measure.deadline is not None
        and pending is None
        and rights.can(Action.REQUEST_EXTENSION)
        and not workflow.is_done(measure.status)
    ):
        keys.append("extension")
    keys.sort(key=lambda k: _rank(k, measure))
    return [Step(k, str(LABELS[k]), k in ONE_CLICK) for k in keys]


def _rank(key: str, measure: Measure) -> int:
    """Place in the cycle; while the work goes on, what is missing for the closing comes first."""
    order = list(CYCLE)
    if not _has(measure, "progress_entries"):
        order.remove("progress")
        order.insert(order.index("submit"), "progress")
    elif not _has(measure, "evidence_files"):
        order.remove("evidence")
        order.insert(order.index("submit"), "evidence")
    return order.index(key) if key in order else len(order)


def panel_of(forms: dict, measure: Measure) -> str:
    """Which form of the card a failed POST came from, so that it is shown open with its errors."""
    for key in ("progress", "evidence", "extension"):
        if key in forms:
            return key
    if "transition" in forms:
        return forms["transition"].data.get(f"t{measure.pk}-action", "")
    return ""


# --- The card's links, reversed once a page -----------------------------------------------------

# Link name in the card's template (links.<name>) → URL name; each takes the measure's id.
MEASURE_LINKS = {
    "card": "ledger:measure_card",
    "history": "history:measure",
    "receipts": "receipts:measure_receipts",
    "edit": "ledger:measure_edit",
    "acknowledge": "ledger:acknowledge",
    "transition": "ledger:transition",
    "progress": "ledger:progress_add",
    "evidence": "ledger:evidence_upload",
    "extension": "ledger:extension_request",
}


class CardLinks:
    """Every link of the measure cards of one page, each URL reversed once for all of them."""

    def __init__(self) -> None:
        self.measure = {key: IdUrl(name) for key, name in MEASURE_LINKS.items()}
        self.problem = IdUrl("ledger:problem_detail")
        self.evidence_file = IdUrl("ledger:evidence_download")
        self.decide = IdUrl("ledger:extension_decide")

    def of(self, measure: Measure, pending=None) -> dict[str, str]:
        """The links of one card: links.<name> in the template (see MEASURE_LINKS), `problem` (the
        measure's problem page) and `decide` (its pending request for more time, if any)."""
        links = {key: url(measure.pk) for key, url in self.measure.items()}
        links["problem"] = self.problem(measure.problem_id)
        links["decide"] = self.decide(pending.pk) if pending is not None else ""
        return links


# --- The card's HTML ---------------------------------------------------------------------------------

CARD_TEMPLATE = "ledger/measure_card.jinja"
PANEL_TEMPLATE = "ledger/_measure_panel.html"


@functools.cache
def _card_labels(language: str | None) -> dict:
    """The card's words in `language` (the active one), translated and escaped once a process. The
    ones with a %(name)s are filled in by the template (`|format`, which escapes what it puts in)."""
    labels = {
        "slogan": gettext("Reads like a slogan (喊口号)"),
        "signed_for": gettext("Signed for by %(dept)s"),
        "deadline": gettext("Deadline"),
        "originally": gettext("originally"),
        "leader": gettext("Responsible leader"),
        "lead": gettext("Lead department"),
        "with": gettext("with"),
        "doer": gettext("Person in charge"),
        "completed_on": gettext("Completed on"),
        "late_entry": gettext("late entry"),
        "reported_at": gettext("reported at %(when)s"),
        "claim": gettext("Imported document"),
        "claim_note": gettext(
            "The unit's own word, not a review: the measure is closed only after it is submitted with "
            "progress and evidence, confirmed by the unit and closed by the inspection office."
        ),
        "next_check": gettext("Next check"),
        "evidence": gettext("Evidence"),
        "no_evidence": gettext("No evidence yet."),
        "receipts_confirmed": gettext("%(title)s: %(confirmed)s of %(issued)s confirmed by residents"),
        "more_time_asked": gettext("More time asked for"),
        "progress": gettext("Progress"),
        "no_progress": gettext("No progress recorded yet."),
        "frozen_copy": gettext("frozen copy with %(n)s evidence files"),
        "requests_for_time": gettext("Requests for more time"),
        "history": gettext("History"),
        "receipts": gettext("Receipts from residents"),
        "edit": gettext("Edit this measure"),
        "recorded_by": gettext("recorded by %(who)s at %(when)s"),
        "reason": gettext("reason"),
        "acknowledge_note": gettext(
            "Your department leads this measure. Signing records that the task reached you."
        ),
    }
    escaped: dict[str, Markup | dict[str, Markup]] = {key: escape(text) for key, text in labels.items()}
    escaped["lights"] = {key: escape(str(label)) for key, label in LIGHT_LABELS.items()}
    return escaped


def render_card(request, card: dict) -> SafeString:
    """The HTML of one measure card from its context (views._measure_context), rendered by Jinja2:
    the problem page's cards cost ~1.3 ms each in Django's templates. The form of an open step
    stays a Django template (PANEL_TEMPLATE), rendered only when a step is open."""
    earlier = card["earlier"]
    context = {
        **card,
        "l": _card_labels(get_language()),
        "csrf_token": get_token(request),
        "earlier_label": ngettext("%(n)s earlier entry", "%(n)s earlier entries", len(earlier))
        % {"n": len(earlier)},
        "panel_html": render_to_string(PANEL_TEMPLATE, card, request) if card["panel"] else "",
    }
    return mark_safe(get_template(CARD_TEMPLATE, using="jinja2").render(context))  # noqa: S308 - Jinja2 escaped every value
