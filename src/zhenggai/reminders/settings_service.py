"""An inspection office sets its own reminder ladder (提醒梯度) in the app, not only in the back office."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhenggai.history import services as history
from zhenggai.history.changes import field_changes, snapshot
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.orgs.models import Organisation
from zhenggai.reminders.models import EscalationPolicy

POLICY_FIELDS = ["green_days", "yellow_days", "red_repeat_days", "notify_office_when_overdue", "enabled"]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def policy_for_office(office: Organisation) -> EscalationPolicy:
    """The office's own policy, or an unsaved one with the defaults (what the ladder then uses)."""
    return EscalationPolicy.objects.filter(office=office).first() or EscalationPolicy(office=office)


@transaction.atomic
def policy_update(*, office: Organisation, actor, expected_version: int, **fields: Any) -> EscalationPolicy:
    """Set the office's ladder, refusing an edit made from an older version of it."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    current = EscalationPolicy.objects.select_for_update().filter(office=office).first()
    before = snapshot(current, POLICY_FIELDS) if current else {}
    policy = current or EscalationPolicy(office=office)
    if policy.version != expected_version:
        changes = [
            (
                str(getattr(EscalationPolicy._meta.get_field(name), "verbose_name", name)),
                _shown(value),
                _shown(getattr(policy, name)),
            )
            for name, value in fields.items()
            if value != getattr(policy, name)
        ]
        raise StaleEdit(
            _(
                "Someone else changed these settings after you opened them. Your changes were not saved."
                " Check the current values and save again."
            ),
            changes=changes,
        )
    for name, value in fields.items():
        setattr(policy, name, value)
    try:
        policy.full_clean()
    except ValidationError as exc:
        raise LedgerError(" ".join(exc.messages)) from exc
    if current is None:
        policy.version = expected_version + 1  # so a page opened on the defaults is stale now too
        policy.save()
    else:
        updated = EscalationPolicy.objects.filter(pk=policy.pk, version=expected_version).update(
            **{name: getattr(policy, name) for name in POLICY_FIELDS}, version=F("version") + 1
        )
        if updated != 1:  # pragma: no cover - the row is locked above
            raise StaleEdit(_("These settings changed meanwhile. Check them and save again."), changes=[])
        policy.refresh_from_db()
    history.record(
        actor=actor,
        action="reminders.policy",
        obj=policy,
        payload={"office": office.pk, "fields": field_changes(before, snapshot(policy, POLICY_FIELDS))},
    )
    return policy
