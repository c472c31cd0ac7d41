"""State changes, deadline extensions and receipts of a measure: the review and closing cycle.

Each function checks, in this order and in one transaction: the version the user saw, the
user's rights over the round, the state machine (`workflow.TRANSITIONS`), then the rule of the
field that applies (evidence before closing is asked for, other people for the review and the
closing than those who entered, submitted or confirmed the measure, a reason for a return).
Refusals are `LedgerError`s with a message for the user.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.history import services as history
from zhenggai.history.changes import snapshot
from zhenggai.ledger import workflow
from zhenggai.ledger.access import RoundRights, may_acknowledge, rights_for
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import (
    Acknowledgement,
    ClaimedStatus,
    ClosingDecision,
    DeadlineExtension,
    Decision,
    ExtensionStatus,
    Measure,
    MeasureStatus,
)
from zhenggai.ledger.services import late_entry_check
from zhenggai.ledger.tally import tally_refresh
from zhenggai.ledger.workflow import Action
from zhenggai.reminders import notices
from zhenggai.webhooks import emit as webhooks

# The steps of the cycle someone else must hear of (reminders/notices.py).
NOTIFIED: dict[str, notices.Event] = {
    Action.SUBMIT: notices.Event.SUBMITTED,
    Action.CONFIRM: notices.Event.CONFIRMED,
    Action.SEND_BACK: notices.Event.RETURNED,
    Action.RETURN: notices.Event.RETURNED,
    Action.CLOSE: notices.Event.CLOSED,
}


def _label(value: str, choices) -> str:
    return str(dict(choices.choices).get(value, value))


def _locked(measure: Measure, expected_version: int | None) -> Measure:
    current = (
        Measure.objects.select_for_update(of=("self",))
        .select_related(
            "round__inspected_unit", "round__office", "round__inspecting_group", "lead_department"
        )
        .get(pk=measure.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else changed this measure after you opened it (your version %(mine)s, now %(now)s). "
                "Nothing was changed. Check its current state and try again."
            )
            % {"mine": expected_version, "now": current.version},
            changes=[],
        )
    return current


def _require_right(actor, measure: Measure, action: str) -> None:
    rights = rights_for(actor, measure.round)
    if action not in rights.actions:
        raise LedgerError(
            _("Your role does not allow “%(action)s” on this measure.") % {"action": _label(action, Action)}
        )


def check_transition(measure: Measure, action: str) -> str:
    """The state `action` leads to from the measure's state, or a refusal saying why not."""
    target = workflow.next_state(measure.status, action)
    if target is None:
        raise LedgerError(
            _("A measure that is “%(state)s” cannot be “%(action)s”.")
            % {"state": _label(measure.status, MeasureStatus), "action": _label(action, Action)}
        )
    return target


def available_actions(user, measure: Measure, rights: RoundRights | None = None) -> list[str]:
    """The state changes the user may make on the measure now: what the page offers.

    `rights` are the user's over the measure's round, when the caller holds them already."""
    rights = rights or rights_for(user, measure.round)
    return [
        action
        for (state, action) in workflow.TRANSITIONS
        if state == measure.status and action in rights.actions and _guard_passes(user, measure, action)
    ]


def withheld_reasons(user, measure: Measure, rights: RoundRights | None = None) -> list[str]:
    """Why steps the user's roles allow from this state are not offered to this person: the page
    says so instead of leaving them to wonder where the button went."""
    rights = rights or rights_for(user, measure.round)
    reasons = [
        separation_refusal(user, measure, action)
        for (state, action) in workflow.TRANSITIONS
        if state == measure.status and action in rights.actions
    ]
    return list(dict.fromkeys(r for r in reasons if r))


def _guard_passes(user, measure: Measure, action: str) -> bool:
    if separation_refusal(user, measure, action):
        return False
    if action == Action.RECHECK or (action == Action.RETURN and measure.status == MeasureStatus.CLOSED):
        return measure.long_term
    return True


def separation_refusal(user, measure: Measure, action: str) -> str:
    """Why `user` may not take this step on this measure whatever roles they hold, or "".

    Four eyes: the unit's review is not its submitter's, and the closing (销号) is by someone who
    neither entered or imported the measure, nor asked for the closing, nor confirmed it for the unit.
    A person holding a unit role and an office role is still one person."""
    if user is None or user.pk is None:
        return ""
    if action == Action.CONFIRM and measure.submitted_by_id == user.pk:
        return _(
            "Whoever asked for the closing cannot also confirm it for the unit: "
            "another person of the unit must review it."
        )
    if action != Action.CLOSE:
        return ""
    if measure.submitted_by_id == user.pk:
        return _("Whoever asked for the closing cannot close it: a second person must review it.")
    if measure.confirmed_by_id == user.pk:
        return _("Whoever confirmed it for the unit cannot also close it: a second person must review it.")
    if measure.created_by_id == user.pk:
        return _("Whoever entered or imported this measure cannot close it: a second person must review it.")
    return ""


@transaction.atomic
def measure_transition(
    *,
    measure: Measure,
    actor,
    action: str,
    expected_version: int | None,
    reason: str = "",
    completed_on: datetime.date | None = None,
    late_reason: str = "",
    follow_up_days: int | None = None,
) -> Measure:
    """Move a measure along its life, or refuse with the reason. Returns the measure as saved."""
    current = _locked(measure, expected_version)
    _require_right(actor, current, action)
    target = check_transition(current, action)
    today = timezone.localdate()
    reason = reason.strip()
    if action in workflow.REASON_REQUIRED and not reason:
        raise LedgerError(_("Say why it is sent back: the clerk needs to know what to fix."))
    if action == Action.SUBMIT:
        _check_submission(current, reason)
        completed_on = completed_on or today
        if completed_on > today:
            raise LedgerError(_("The completion date cannot be in the future."))
        current.completion_entered_late, current.completion_late_reason = late_entry_check(
            completed_on, late_reason
        )
        current.completed_on = completed_on
        current.submitted_by = actor
        current.submitted_at = timezone.now()
    refusal = separation_refusal(actor, current, action)
    if refusal:
        raise LedgerError(refusal)
    if action in (Action.RECHECK,) or (action == Action.RETURN and current.status == MeasureStatus.CLOSED):
        if not current.long_term:
            raise LedgerError(_("Only measures kept up long term come back for a check."))
    if action in (Action.CLOSE, Action.RECHECK) and current.long_term:
        follow_up_days = follow_up_days or current.follow_up_days
        if not follow_up_days:
            raise LedgerError(_("A measure kept up long term is closed with a follow-up interval in days."))
        current.follow_up_days = follow_up_days
        current.next_check_on = today + datetime.timedelta(days=follow_up_days)
    submitter = current.submitted_by_id  # forgotten by a return, told of it
    if target == MeasureStatus.IN_PROGRESS and action != Action.START:
        _forget_the_review(current)
    if action == Action.CONFIRM:
        current.confirmed_by = actor
    decision: dict[str, Decision] = {
        Action.CLOSE: Decision.CLOSED,
        Action.RETURN: Decision.RETURNED,
        Action.RECHECK: Decision.RECHECKED,
    }
    frozen = _freeze_decision(current, actor, decision[action], reason) if action in decision else None
    previous = current.status
    current.status = target
    current.version += 1
    current.save()
    _record(actor, current, action, previous, reason, frozen)
    webhooks.measure_status_changed(measure=current, previous=previous, action=action, reason=reason)
    tally_refresh([current.round_id])
    if action in NOTIFIED:
        notices.notify_measure_event(
            measure=current,
            event=NOTIFIED[action],
            actor=actor,
            once_for=f"v{current.version}",
            reason=reason,
            handler_id=submitter,
        )
    return current


def _forget_the_review(measure: Measure) -> None:
    """Back at work: what the submission, the unit's review and a closing said no longer holds."""
    measure.completed_on = None
    measure.completion_entered_late, measure.completion_late_reason = False, ""
    measure.submitted_by = measure.submitted_at = measure.confirmed_by = None
    measure.next_check_on = None


def _check_submission(measure: Measure, reason: str) -> None:
    has_progress = measure.progress_entries.exists()
    has_evidence = measure.evidence_files.exists()
    if not (has_progress and has_evidence) and not reason:
        raise LedgerError(
            _(
                "Before asking for closing, record at least one progress entry and upload at least one "
                "evidence file, or write why there is none."
            )
        )


def snapshot_of(measure: Measure) -> dict:
    """The item as the reviewer saw it: fields, progress, evidence (by content hash), receipts."""
    from zhenggai.receipts.selectors import batches_with_counts

    return {
        "measure": measure.pk,
        "problem": f"{measure.problem.outline or measure.problem.label}{measure.problem.title}",
        "text": measure.text,
        "status": measure.status,
        "kind": measure.kind,
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "original_deadline": measure.original_deadline.isoformat() if measure.original_deadline else None,
        "completed_on": measure.completed_on.isoformat() if measure.completed_on else None,
        "responsible_leader": str(measure.responsible_leader) if measure.responsible_leader_id else None,
        "lead_department": str(measure.lead_department) if measure.lead_department_id else None,
        "version": measure.version,
        "progress": [
            {
                "happened_on": p.happened_on.isoformat(),
                "recorded_at": p.recorded_at.isoformat(),
                "text": p.text,
                "late_entry": p.late_entry,
            }
            for p in measure.progress_entries.order_by("recorded_at", "pk")
        ],
        "evidence": [
            {"name": e.original_name, "sha256": e.sha256, "size": e.size}
            for e in measure.evidence_files.order_by("uploaded_at", "pk")
        ],
        # Residents' receipt slips (群众回执): how many were handed out and how many came back.
        "receipts": [
            {"title": b.title, "issued": b.issued, "confirmed": b.confirmed}  # type: ignore[attr-defined]
            for b in batches_with_counts().filter(measure=measure)
        ],
    }


def _freeze_decision(measure: Measure, actor, decision: str, reason: str) -> ClosingDecision:
    snapshot = snapshot_of(measure)
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ClosingDecision.objects.create(
        measure=measure,
        decision=decision,
        actor=actor,
        reason=reason,
        snapshot=snapshot,
        snapshot_sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


# What else a transition may set, kept with its history entry.
TRANSITION_HISTORY_FIELDS = [
    "completed_on",
    "completion_entered_late",
    "completion_late_reason",
    "submitted_by",
    "submitted_at",
    "confirmed_by",
    "follow_up_days",
    "next_check_on",
]


def _record(
    actor, measure: Measure, action: str, previous: str, reason: str, decision: ClosingDecision | None
) -> None:
    """The transition's entry in the append-only history (see zhenggai.history)."""
    history.record(
        actor=actor,
        action="measure.transition",
        obj=measure,
        payload={
            "transition": action,
            "fields": {"status": [previous, measure.status]},
            "reason": reason,
            "version": measure.version,
            "after": snapshot(measure, TRANSITION_HISTORY_FIELDS),
        },
        also=[decision],
    )


# --- Claims an earlier importer took for submissions ---------------------------------------------


@transaction.atomic
def reopen_unbacked_claims(*, actor=None) -> tuple[list[int], list[int]]:
    """Put back to 整改中 the measures an earlier importer placed in 申请销号 from a document's
    "done", with nobody's submission behind them (`submitted_by` empty: `measure_transition` always
    sets it); the document's word is kept as their claim. Returns (the reopened ids, the ids of
    measures closed without a submission): those the office decided on are left for it to review."""
    unbacked = Measure.objects.select_for_update().filter(submitted_by__isnull=True).order_by("pk")
    closed = list(unbacked.filter(status=MeasureStatus.CLOSED).values_list("pk", flat=True))
    reopened = []
    rounds: set[int] = set()
    for measure in unbacked.filter(status__in=[MeasureStatus.SUBMITTED, MeasureStatus.CONFIRMED]):
        previous, claimed = measure.status, measure.claimed_status
        measure.status = MeasureStatus.IN_PROGRESS
        measure.claimed_status = claimed or ClaimedStatus.DONE
        _forget_the_review(measure)
        measure.version += 1
        measure.save()
        history.record(
            actor=actor,
            action="measure.transition",
            obj=measure,
            payload={
                "transition": "reopen_claim",
                "fields": {
                    "status": [previous, measure.status],
                    "claimed_status": [claimed, measure.claimed_status],
                },
                "reason": "imported as done without a submission",
                "version": measure.version,
                "after": snapshot(measure, TRANSITION_HISTORY_FIELDS),
            },
        )
        reopened.append(measure.pk)
        rounds.add(measure.round_id)
    tally_refresh(rounds)
    return reopened, closed


# --- Deadline extensions (延期) ---------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, measure: Measure, actor, new_deadline: datetime.date, reason: str, expected_version: int | None = None
) -> DeadlineExtension:
    current = _locked(measure, expected_version)
    _require_right(actor, current, Action.REQUEST_EXTENSION)
    if workflow.is_done(current.status):
        raise LedgerError(_("This measure is reported done; it needs no more time."))
    if current.deadline is None:
        raise LedgerError(_("This measure has no deadline to move. Give it one by editing the measure."))
    if not reason.strip():
        raise LedgerError(_("Say why more time is needed."))
    if new_deadline <= current.deadline:
        raise LedgerError(_("The new deadline must be later than the current one."))
    if current.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise LedgerError(_("A request for more time is already waiting for a decision."))
    extension = DeadlineExtension.objects.create(
        measure=current,
        old_deadline=current.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    history.record(
        actor=actor,
        action="extension.request",
        obj=current,
        payload={
            "extension_id": extension.pk,
            "old_deadline": extension.old_deadline,
            "new_deadline": extension.new_deadline,
            "reason": extension.reason,
        },
        also=[extension],
    )
    notices.notify_extension_asked(extension=extension, actor=actor)
    return extension


@transaction.atomic
def extension_decide(
    *, extension: DeadlineExtension, actor, approve: bool, note: str = ""
) -> DeadlineExtension:
    """The inspection office approves or refuses; the original deadline stays on the measure."""
    locked = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    measure = _locked(locked.measure, None)
    _require_right(actor, measure, Action.DECIDE_EXTENSION)
    if locked.status != ExtensionStatus.PENDING:
        raise LedgerError(_("This request was decided already."))
    if not approve and not note.strip():
        raise LedgerError(_("Say why the request is refused."))
    locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save()
    payload = {"extension_id": locked.pk, "decision": locked.status, "note": locked.decision_note}
    if approve:
        if measure.original_deadline is None:
            measure.original_deadline = measure.deadline
        payload["fields"] = {"deadline": [measure.deadline, locked.new_deadline]}
        measure.deadline = locked.new_deadline
        measure.version += 1
        measure.save(update_fields=["deadline", "original_deadline", "version", "updated_at"])
    history.record(actor=actor, action="extension.decide", obj=measure, payload=payload, also=[locked])
    if approve:
        tally_refresh([measure.round_id])
    notices.notify_extension_decided(extension=locked, actor=actor, approved=approve)
    return locked


# --- Receipt by the lead department (签收) ----------------------------------------------------------


@transaction.atomic
def measure_acknowledge(*, measure: Measure, actor) -> Acknowledgement:
    current = _locked(measure, None)
    _require_right(actor, current, Action.ACKNOWLEDGE)
    if not may_acknowledge(actor, current):
        raise LedgerError(_("Only the people of the lead department sign for its measures."))
    receipt, created = Acknowledgement.objects.get_or_create(
        measure=current, department=current.lead_department, defaults={"user": actor}
    )
    if created:
        history.record(
            actor=actor,
            action="measure.acknowledge",
            obj=current,
            payload={"acknowledgement_id": receipt.pk, "department": receipt.department_id},
            also=[receipt],
        )
    return receipt
