"""History entries turned into timeline lines people can read: labels, fields, before → after.

Payloads keep foreign keys by id; the names are looked up here, one query per related model for
the whole page, not one per line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from zhenggai.history.models import HistoryEntry

ACTION_LABELS = {
    "round.create": _("Round created"),
    "round.import": _("Round imported"),
    "round.update": _("Round edited"),
    "round.follow_up": _("Follow-up round (回头看) created"),
    "round.follow_up_checklist": _("Follow-up checklist taken from the earlier round"),
    "repeat.confirm": _("Repeated finding confirmed"),
    "repeat.dismiss": _("Repeated finding dismissed"),
    "repeat.add": _("Repeated finding named"),
    "problem.create": _("Problem added"),
    "problem.update": _("Problem edited"),
    "problem.category": _("Problem's category changed"),
    "taxonomy.category.create": _("Problem category added"),
    "taxonomy.category.update": _("Problem category changed"),
    "taxonomy.rule.create": _("Classification rule added"),
    "taxonomy.rule.update": _("Classification rule changed"),
    "measure.create": _("Measure added"),
    "measure.update": _("Measure edited"),
    "measure.transition": _("Status changed"),
    "measure.acknowledge": _("Signed for by the lead department"),
    "progress.record": _("Progress recorded"),
    "evidence.attach": _("Evidence attached"),
    "extension.request": _("More time requested"),
    "extension.decide": _("Request for more time decided"),
    "receipts.issue": _("Receipt slips issued to residents"),
    "receipts.confirm": _("Receipt slip confirmed by a resident"),
    "comments.open": _("Public page for comments opened"),
    "comments.receive": _("Comment received from the public"),
    "comments.answer": _("Comment from the public answered"),
    "report.draft": _("Report drafted"),
    "report.edit": _("Report draft edited"),
    "report.sign_off": _("Report signed off"),
    "report.issue": _("Report issued"),
    "report.withdraw": _("Report withdrawn"),
    "organisation.create": _("Organisation added"),
    "organisation.move": _("Organisation moved"),
    "organisation.update": _("Organisation edited"),
    "person.create": _("Person added"),
    "person.update": _("Person edited"),
    "membership.grant": _("Role given"),
    "membership.revoke": _("Role taken away"),
    "user.create": _("Login created"),
    "user.update": _("Login edited"),
    "user.invite": _("Invitation link issued"),
    "user.invitation_accept": _("Password chosen through the invitation"),
    "user.password_initial": _("Initial password set by an administrator"),
    "user.password_change": _("Password changed"),
    "user.oidc_link": _("Linked to the directory's sign-in"),
    "user.oidc_unlink": _("Link to the directory's sign-in removed"),
    "user.totp_enrol": _("Two-factor sign-in turned on"),
    "user.totp_remove": _("Two-factor sign-in turned off"),
    "round.reimport": _("Round updated from a workbook"),
    "signal.dismiss": _("Quality signal dismissed"),
    "signal.restore": _("Quality signal restored"),
    "reminders.policy": _("Reminder settings changed"),
    "api_token.create": _("API access token created"),
    "api_token.revoke": _("API access token revoked"),
    "webhooks.endpoint.create": _("Webhook endpoint registered"),
    "webhooks.endpoint.active": _("Webhook endpoint paused or resumed"),
    "webhooks.endpoint.delete": _("Webhook endpoint deleted"),
    "webhooks.endpoint.test": _("Test event sent to a webhook endpoint"),
    "webhooks.delivery.redeliver": _("Webhook event sent again"),
    "reminders.robot.save": _("Group robot set"),
    "reminders.robot.delete": _("Group robot removed"),
    "state.rebase": _("State recorded after the table changed"),
}
# Who did it, for the entries whose author has no login by design.
ANONYMOUS_ACTORS = {"receipts.confirm": _("a resident"), "comments.receive": _("a member of the public")}
NOTE_KEYS = ("text", "reason", "note", "name")  # what a person wrote or uploaded, shown as is


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class TimelineItem:
    seq: int
    when: datetime
    who: str
    what: str
    changes: list[Change]
    note: str


def timeline_items(entries: Iterable[HistoryEntry]) -> list[TimelineItem]:
    entries = list(entries)
    pairs = [(entry, _pairs(entry)) for entry in entries]
    names = _related_names(
        [(entry.object_type, pair) for entry, entry_pairs in pairs for pair in entry_pairs]
    )
    return [_item(entry, entry_pairs, names) for entry, entry_pairs in pairs]


def _pairs(entry: HistoryEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for a change, or (field, None, value) for a created record's values."""
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    fields: dict = payload["fields"] if isinstance(payload.get("fields"), dict) else {}
    pairs = [
        (name, pair[0], pair[1]) for name, pair in fields.items() if isinstance(pair, list) and len(pair) == 2
    ]
    values: dict = payload["values"] if isinstance(payload.get("values"), dict) else {}
    pairs += [(name, None, value) for name, value in values.items() if value not in (None, "", [])]
    return pairs


def _item(entry: HistoryEntry, pairs, names) -> TimelineItem:
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    changes = [
        Change(
            _field_label(entry.object_type, name),
            _shown(entry.object_type, name, before, names),
            _shown(entry.object_type, name, after, names),
        )
        for name, before, after in pairs
    ]
    note = next((payload[key] for key in NOTE_KEYS if isinstance(payload.get(key), str) and payload[key]), "")
    return TimelineItem(
        seq=entry.seq,
        when=entry.recorded_at,
        who=entry.actor_name or str(ANONYMOUS_ACTORS.get(entry.action, _("system"))),
        what=str(ACTION_LABELS.get(entry.action, entry.action)),
        changes=changes,
        note=note,
    )


def _field(object_type: str, name: str):
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _related_names(typed_pairs) -> dict[tuple[Any, Any], str]:
    """{(related model, id): its name} for every foreign key value on the page: a query per model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for object_type, (name, before, after) in typed_pairs:
        field = _field(object_type, name)
        if field is not None and field.many_to_one:
            wanted[field.related_model].update(v for v in (before, after) if isinstance(v, int))
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    return names


def _field_label(object_type: str, name: str) -> str:
    field = _field(object_type, name)
    return str(getattr(field, "verbose_name", name))


def _shown(object_type: str, name: str, value: Any, names) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    field = _field(object_type, name)
    if field is not None and field.many_to_one:
        return names.get((field.related_model, value), f"#{value}")
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))
