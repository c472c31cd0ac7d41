"""The `data` of each event, as plain JSON: what the receiving system is told.

No personal data of the public (a commenter's name, contact or network) leaves in a payload; the
text of a comment does, as the organisations in scope read it in the app.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhenggai.reminders.conf import setting


def link(path: str) -> str:
    """A page's address: with ZHENGGAI_SITE_URL in front when it is set, else site-relative."""
    return str(setting("SITE_URL")).rstrip("/") + path


def _org(org) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def round_data(round_) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "title": round_.title,
        "inspected_unit": _org(round_.inspected_unit),
        "office": _org(round_.office),
        "inspecting_group": _org(round_.inspecting_group),
        "url": link(reverse("ledger:round_ledger", args=[round_.pk])),
    }


def measure_data(measure) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "problem_id": measure.problem_id,
        "text": measure.text,
        "status": measure.status,
        "status_label": str(measure.get_status_display()),
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "lead_department": _org(measure.lead_department) if measure.lead_department_id else None,
        "version": measure.version,
        "url": link(reverse("ledger:problem_detail", args=[measure.problem_id]) + f"#measure-{measure.pk}"),
    }


def status_changed(measure, *, previous: str, action: str, reason: str = "") -> dict[str, Any]:
    return {
        "measure": measure_data(measure),
        "from": previous,
        "to": measure.status,
        "action": action,
        "reason": reason,
    }


def overdue(measure, *, today) -> dict[str, Any]:
    return {"measure": measure_data(measure), "days_overdue": (today - measure.deadline).days}


def comment_received(comment) -> dict[str, Any]:
    return {
        "comment": {
            "id": comment.pk,
            "call_id": comment.call_id,
            "text": comment.text,
            "received_at": comment.received_at.isoformat(),
        },
        "url": link(reverse("comments:round_comments", args=[comment.call.round_id])),
    }


def report_issued(report) -> dict[str, Any]:
    return {
        "report": {
            "id": report.pk,
            "kind": report.kind,
            "number": report.number,
            "title": report.title,
            "recipient": report.recipient,
            "as_of": report.as_of.isoformat() if report.as_of else None,
            "issued_at": report.issued_at.isoformat() if report.issued_at else None,
            "ledger_sha256": report.ledger_sha256,
        }
    }
