"""Notices of the steps of the cycle, told to exactly the people concerned as the step happens.

The services call `notify_measure_event` (or `notify_comment`) inside their own transaction, after
the change is written: the notice is part of the change, and goes if the change rolls back.

Each recipient gets one `ReminderEvent` with a `key` that says what it is once for (the step, the
measure and its version, or the request or the comment; and the recipient): calling twice for
the same step tells no one twice. A recipient with an active login finds it at once in the day's
in-app `Notice` of steps (one notice gathers the day's steps until it is read); e-mail and the 企业微信 / 钉钉 robots carry the event in the next daily digest
(`services.run_daily_reminders`), once per channel like the ladder's reminders, and the daily run
never repeats the in-app notice.

Who is told (the actor never is, of their own step):

    assigned    the newly named 具体责任人, 分管领导 and the new lead department's staff (签收)
    returned    the person doing it (else the unit's clerks) and whoever asked for the closing
    submitted   the unit's leaders, who confirm it
    confirmed   the inspection office, which closes it
    closed      the person doing it (else the unit's clerks) and whoever asked for the closing
    ext_asked   the inspection office, which decides
    ext_done    whoever asked, and the person doing it (else the unit's clerks)
    comment     the unit's clerks, who answer
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils import timezone

from zhenggai.ledger.models import InspectionRound, Measure
from zhenggai.orgs.models import Membership, Organisation, OrgKind
from zhenggai.orgs.models import Role as MemberRole
from zhenggai.reminders import messages
from zhenggai.reminders.ladder import Role
from zhenggai.reminders.models import Notice, ReminderEvent
from zhenggai.reminders.recipients import Directory, Recipient

__all__ = [
    "Event",
    "notify_comment",
    "notify_extension_asked",
    "notify_extension_decided",
    "notify_measure_event",
]


class Event(StrEnum):
    ASSIGNED = "assigned"
    RETURNED = "returned"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    EXTENSION_ASKED = "ext_asked"
    EXTENSION_DECIDED = "ext_done"
    COMMENT = "comment"


def notify_measure_event(
    *,
    measure: Measure,
    event: Event | str,
    actor=None,
    once_for: str,
    reason: str = "",
    handler_id: int | None = None,
    assigned: Iterable[str] = (),
) -> list[ReminderEvent]:
    """Tell the people concerned that `event` happened to `measure`; returns the events made.

    `once_for` names this occurrence (e.g. the measure's version after the step, or the
    extension's id): the same occurrence is told once. `handler_id` is the login that asked for
    the closing or for more time. For `assigned`, `assigned` lists the fields newly set
    ("doer", "responsible_leader", "lead_department"): only the people they name are told.
    """
    event = Event(event)
    directory = Directory()
    measure = (
        Measure.objects.select_related("round__inspected_unit", "problem", "lead_department")
        .filter(pk=measure.pk)
        .get()
    )
    told = _concerned(directory, measure, event, handler_id, set(assigned))
    return _tell(directory, told, actor, event, f"{event}:m{measure.pk}:{once_for}", reason, measure=measure)


def notify_comment(*, round_: InspectionRound, comment_id: int) -> list[ReminderEvent]:
    """Tell the unit's clerks that the public wrote a comment to answer."""
    directory = Directory()
    told = [(Role.CLERK, r) for r in directory.members(round_.inspected_unit_id, MemberRole.UNIT_STAFF)]
    return _tell(directory, told, None, Event.COMMENT, f"comment:c{comment_id}", "", round_=round_)


def _concerned(
    directory: Directory, measure: Measure, event: Event, handler_id: int | None, assigned: set[str]
) -> list[tuple[Role, Recipient]]:
    unit_id = measure.round.inspected_unit_id
    doer = directory.recipients_for(measure, [Role.DOER])
    handler = [(Role.HANDLER, directory.of_user(handler_id))] if handler_id else []
    if event == Event.ASSIGNED:
        told: list[tuple[Role, Recipient]] = []
        if "doer" in assigned and measure.doer_id:
            told.append((Role.DOER, Recipient(person_id=measure.doer_id)))
        if "responsible_leader" in assigned and measure.responsible_leader_id:
            told.append((Role.LEADER, Recipient(person_id=measure.responsible_leader_id)))
        if "lead_department" in assigned and measure.lead_department is not None:
            told += [(Role.DEPARTMENT, r) for r in _department_staff(directory, measure.lead_department)]
        return told
    if event in (Event.RETURNED, Event.CLOSED, Event.EXTENSION_DECIDED):
        return handler + doer
    if event == Event.SUBMITTED:
        return [(Role.REVIEWER, r) for r in directory.members(unit_id, MemberRole.UNIT_LEADER)]
    if event in (Event.CONFIRMED, Event.EXTENSION_ASKED):
        return [(Role.OFFICE, r) for r in directory.members(measure.round.office_id, MemberRole.OFFICE_STAFF)]
    raise ValueError(f"not a step of a measure: {event!r}")


def _department_staff(directory: Directory, department: Organisation) -> list[Recipient]:
    """Whoever may sign for the department's measures: its staff, or a department's above it."""
    step = Organisation.PATH_STEP
    paths = [department.path[:end] for end in range(step, len(department.path) + 1, step)]
    holders = Membership.objects.filter(
        organisation__path__in=paths,
        organisation__kind=OrgKind.DEPARTMENT,
        role=MemberRole.UNIT_STAFF,
        user__is_active=True,
    ).values_list("organisation_id", flat=True)
    found: list[Recipient] = []
    for org_id in sorted(set(holders)):
        found += directory.members(org_id, MemberRole.UNIT_STAFF)
    return found


def _tell(
    directory: Directory,
    told: list[tuple[Role, Recipient]],
    actor,
    event: Event,
    key: str,
    reason: str,
    *,
    measure: Measure | None = None,
    round_: InspectionRound | None = None,
) -> list[ReminderEvent]:
    skip = {directory.of_user(actor.pk)} if getattr(actor, "pk", None) else set()
    today = timezone.localdate()
    made: list[ReminderEvent] = []
    for role, recipient in told:
        if recipient in skip:
            continue
        skip.add(recipient)  # one notice a person, under the first role that names them
        who = f"p{recipient.person_id}" if recipient.person_id else f"u{recipient.user_id}"
        row, created = ReminderEvent.objects.get_or_create(
            key=f"{key}:{who}"[:120],
            defaults={
                "measure": measure,
                "round": round_ if measure is None else measure.round,
                "level": event.value,
                "role": role.value,
                "person_id": recipient.person_id,
                "user_id": recipient.user_id,
                "deadline": measure.deadline if measure is not None else None,
                "days_left": (measure.deadline - today).days if measure and measure.deadline else 0,
                "note": reason.strip(),
                "created_on": today,
            },
        )
        if created:
            _in_app(directory, recipient, row)
            made.append(row)
    return made


def _in_app(directory: Directory, recipient: Recipient, event: ReminderEvent) -> None:
    """The step in the recipient's in-app notices: added to the day's unread notice of steps, so
    that fifty measures assigned at once make one notice of fifty items, not fifty notices."""
    user = directory.login(recipient)
    if user is None:
        return
    notice = (
        Notice.objects.filter(user=user, day=event.created_on, digest__isnull=True, read_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if notice is None:
        notice = Notice.objects.create(user=user, day=event.created_on, title="", body="")
    notice.events.add(event)
    events = notice.events.select_related(
        "measure__problem", "measure__round__inspected_unit", "round__inspected_unit"
    ).order_by("pk")
    items = [messages.item_from_event(e) for e in events]
    notice.title = messages.title(items)[:200]
    notice.body = messages.plain_text(directory.name(recipient), items)
    notice.save(update_fields=["title", "body"])


def notify_extension_asked(*, extension, actor) -> list[ReminderEvent]:
    """A request for more time (申请延期) waits for the office's decision."""
    reason = f"申请延期至{extension.new_deadline:%Y-%m-%d}：{extension.reason}"
    return notify_measure_event(
        measure=extension.measure,
        event=Event.EXTENSION_ASKED,
        actor=actor,
        once_for=f"x{extension.pk}",
        reason=reason,
    )


def notify_extension_decided(*, extension, actor, approved: bool) -> list[ReminderEvent]:
    """The office decided a request for more time: whoever asked hears the answer."""
    if approved:
        reason = f"同意延期至{extension.new_deadline:%Y-%m-%d}"
    else:
        reason = "不同意延期"
    if extension.decision_note:
        reason += f"：{extension.decision_note}"
    return notify_measure_event(
        measure=extension.measure,
        event=Event.EXTENSION_DECIDED,
        actor=actor,
        once_for=f"x{extension.pk}",
        reason=reason,
        handler_id=extension.requested_by_id,
    )
