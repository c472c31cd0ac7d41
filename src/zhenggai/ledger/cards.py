"""What a measure's card offers this person now: the next step first, the others on demand.

The card is built from the same rules the POST endpoints check (`transitions.available_actions`,
the rights table of `workflow.ROLE_ACTIONS`): a step is offered only where its endpoint would let it
through. Which step comes first follows the cycle: 签收, start, record progress, add evidence, ask
for closing, the unit's review, the office's closing; the rest open as a form in the card when asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhenggai.ledger import transitions, workflow
from zhenggai.ledger.access import RoundRights, may_acknowledge
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
