"""Who is told about a measure, and where each recipient can be reached.

Roles are resolved so (see docs/reminders.md):
- doer (具体责任人): `Measure.doer`; when the ledger names none, the logins with the unit-staff
  role in the inspected unit itself (台账联络员), so that no measure goes unreminded;
- leader (分管领导): `Measure.responsible_leader`;
- principal (主要负责人): the `UnitPrincipal` of the inspected unit; without one, the logins with
  the unit-leader role in the unit itself;
- office (巡察办): the logins with the office-staff role in the round's office itself.

A login that has a `Person` is recorded as that person. Inactive logins are not told.
One `Directory` lives for one run: it loads what a run needs in a few queries and caches it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Membership, Organisation, Person
from zhenggai.orgs.models import Role as MemberRole
from zhenggai.reminders.conf import setting
from zhenggai.reminders.ladder import Role
from zhenggai.reminders.models import Channel, GroupRobot, UnitPrincipal


@dataclass(frozen=True)
class Recipient:
    """A person, or a login that has no person. Exactly one of the two ids is set."""

    person_id: int | None = None
    user_id: int | None = None

    def sort_key(self) -> tuple[int, int]:
        return (self.person_id or 0, self.user_id or 0)


def recipient_of(row) -> Recipient:
    """The recipient of an event or a digest row."""
    return Recipient(person_id=row.person_id, user_id=row.user_id)


class Directory:
    def __init__(self) -> None:
        self._people: dict[int, Person] = {}
        self._users: dict[int, object] = {}
        self._members: dict[tuple[int, str], list[Recipient]] = {}
        self._principals: dict[int, Recipient | None] = {}
        self._user_orgs: dict[int, list[Organisation]] = {}
        self._robots: list[GroupRobot] | None = None

    # --- loading --------------------------------------------------------------------------------

    def prime(self, measures: Iterable[Measure]) -> None:
        """Load everyone the ladder can name for these measures, in a handful of queries."""
        measures = list(measures)
        for m in measures:
            for p in (m.doer, m.responsible_leader):
                if p is not None:
                    self._people[p.pk] = p
        units = {m.round.inspected_unit_id for m in measures}
        offices = {m.round.office_id for m in measures}
        memberships = Membership.objects.filter(
            organisation_id__in=units | offices,
            role__in=[MemberRole.UNIT_STAFF, MemberRole.UNIT_LEADER, MemberRole.OFFICE_STAFF],
            user__is_active=True,
        ).select_related("user__person__organisation")
        for key in [(u, MemberRole.UNIT_STAFF) for u in units] + [(u, MemberRole.UNIT_LEADER) for u in units]:
            self._members.setdefault(key, [])
        for key in [(o, MemberRole.OFFICE_STAFF) for o in offices]:
            self._members.setdefault(key, [])
        for membership in memberships.order_by("user__username", "pk"):
            group = (membership.organisation_id, membership.role)
            self._members.setdefault(group, []).append(self._from_user(membership.user))
        principals = UnitPrincipal.objects.filter(unit_id__in=units).select_related("person__user")
        found = {up.unit_id: up for up in principals}
        for unit in units:
            up = found.get(unit)
            if up is not None:
                self._people[up.person.pk] = up.person
            self._principals[unit] = Recipient(person_id=up.person_id) if up else None

    def _from_user(self, user) -> Recipient:
        person = getattr(user, "person", None)
        if person is not None:
            self._people[person.pk] = person
            return Recipient(person_id=person.pk)
        self._users[user.pk] = user
        return Recipient(user_id=user.pk)

    def members(self, org_id: int, role: str) -> list[Recipient]:
        """The active logins holding `role` in the organisation itself, each as a recipient."""
        return self._members_of(org_id, role)

    def of_user(self, user_id: int) -> Recipient:
        """A login as a recipient: its person when it has one, so that one human is one recipient."""
        user = get_user_model().objects.select_related("person").get(pk=user_id)
        return self._from_user(user)

    def _members_of(self, org_id: int, role: str) -> list[Recipient]:
        key = (org_id, role)
        if key not in self._members:
            users = Membership.objects.filter(
                organisation_id=org_id, role=role, user__is_active=True
            ).select_related("user__person")
            self._members[key] = [self._from_user(m.user) for m in users.order_by("user__username", "pk")]
        return self._members[key]

    # --- who ----------------------------------------------------------------------------------

    def recipients_for(self, measure: Measure, roles: Iterable[Role]) -> list[tuple[Role, Recipient]]:
        """Each recipient once, under the first of `roles` that names them."""
        seen: set[Recipient] = set()
        out: list[tuple[Role, Recipient]] = []
        for role in roles:
            for r in self._resolve(measure, role):
                if r not in seen:
                    seen.add(r)
                    out.append((Role.CLERK if role == Role.DOER and measure.doer_id is None else role, r))
        return out

    def _resolve(self, measure: Measure, role: Role) -> list[Recipient]:
        unit_id = measure.round.inspected_unit_id
        if role == Role.DOER:
            if measure.doer_id is not None:
                return [Recipient(person_id=measure.doer_id)]
            return self._members_of(unit_id, MemberRole.UNIT_STAFF)
        if role == Role.LEADER:
            return (
                [Recipient(person_id=measure.responsible_leader_id)] if measure.responsible_leader_id else []
            )
        if role == Role.PRINCIPAL:
            if unit_id not in self._principals:
                up = UnitPrincipal.objects.filter(unit_id=unit_id).first()
                self._principals[unit_id] = Recipient(person_id=up.person_id) if up else None
            principal = self._principals[unit_id]
            return [principal] if principal else self._members_of(unit_id, MemberRole.UNIT_LEADER)
        if role == Role.OFFICE:
            return self._members_of(measure.round.office_id, MemberRole.OFFICE_STAFF)
        raise ValueError(f"unknown role {role!r}")

    # --- where --------------------------------------------------------------------------------

    def person(self, person_id: int) -> Person:
        if person_id not in self._people:
            self._people[person_id] = Person.objects.select_related("user", "organisation").get(pk=person_id)
        return self._people[person_id]

    def _user(self, user_id: int | None):
        if user_id is None:
            raise ValueError("a recipient has a person or a login")
        if user_id not in self._users:
            self._users[user_id] = get_user_model().objects.get(pk=user_id)
        return self._users[user_id]

    def name(self, r: Recipient) -> str:
        if r.person_id is not None:
            return self.person(r.person_id).name
        user = self._user(r.user_id)
        return user.get_full_name() or user.get_username()

    def login(self, r: Recipient):
        """The active login that sees in-app notices, if any."""
        user = self.person(r.person_id).user if r.person_id is not None else self._user(r.user_id)
        return user if user is not None and user.is_active else None

    def email(self, r: Recipient) -> str:
        if r.person_id is not None:
            person = self.person(r.person_id)
            contact = getattr(person, "reminder_contact", None)
            if contact is not None and contact.email:
                return contact.email
            return person.user.email if person.user is not None and person.user.is_active else ""
        return self._user(r.user_id).email

    def organisations(self, r: Recipient) -> list[Organisation]:
        """Where a recipient works: the person's organisation, or a login's role organisations."""
        if r.person_id is not None:
            return [self.person(r.person_id).organisation]
        user_id = self._user(r.user_id).pk
        if user_id not in self._user_orgs:
            orgs = Organisation.objects.filter(memberships__user_id=user_id).distinct().order_by("path")
            self._user_orgs[user_id] = list(orgs)
        return self._user_orgs[user_id]

    def robot(self, r: Recipient, kind: str) -> GroupRobot | None:
        """The active robot of this kind nearest above (or at) the recipient's organisation."""
        if self._robots is None:
            robots = GroupRobot.objects.filter(active=True).select_related("organisation")
            self._robots = sorted(robots, key=lambda rb: len(rb.organisation.path), reverse=True)
        for org in self.organisations(r):
            for robot in self._robots:
                if robot.kind == kind and org.path.startswith(robot.organisation.path):
                    return robot
        return None

    def channels(self, r: Recipient) -> list[str]:
        """The channels this recipient can be reached on today, among those switched on."""
        enabled = set(setting("REMINDER_CHANNELS"))
        reachable = {
            Channel.INAPP: self.login(r) is not None,
            Channel.EMAIL: bool(self.email(r)),
            Channel.WECOM: self.robot(r, Channel.WECOM) is not None,
            Channel.DINGTALK: self.robot(r, Channel.DINGTALK) is not None,
        }
        return [c.value for c, ok in reachable.items() if ok and c.value in enabled]


def group_by_recipient(rows: Iterable) -> dict[Recipient, list]:
    grouped: dict[Recipient, list] = defaultdict(list)
    for row in rows:
        grouped[recipient_of(row)].append(row)
    return grouped
