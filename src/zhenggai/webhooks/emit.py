"""The one call each service of another app makes to tell the webhooks what happened.

Each runs inside the caller's transaction (see services.event_emit) and costs one query when no
endpoint anywhere listens to its kind of event.
"""

from __future__ import annotations

from zhenggai.webhooks import payloads
from zhenggai.webhooks.models import EventKind
from zhenggai.webhooks.services import event_emit, listening


def measure_status_changed(*, measure, previous: str, action: str, reason: str = "") -> None:
    """From ledger: a measure moved along its state machine (measure_transition, progress_record)."""
    if previous == measure.status or not listening(EventKind.MEASURE_STATUS):
        return  # a recheck keeps it closed (no change to tell), or nobody listens
    event_emit(
        kind=EventKind.MEASURE_STATUS,
        round_=measure.round,
        payload=payloads.status_changed(measure, previous=previous, action=action, reason=reason),
    )


def comment_received(*, comment) -> None:
    """From comments: the public wrote in (comment_submit)."""
    if not listening(EventKind.COMMENT_RECEIVED):
        return
    event_emit(
        kind=EventKind.COMMENT_RECEIVED, round_=comment.call.round, payload=payloads.comment_received(comment)
    )


def report_issued(*, report) -> None:
    """From reports: a report was issued (issuing.issue)."""
    if not listening(EventKind.REPORT_ISSUED):
        return
    event_emit(kind=EventKind.REPORT_ISSUED, round_=report.round, payload=payloads.report_issued(report))
