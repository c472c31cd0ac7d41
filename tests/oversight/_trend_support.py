"""Random ledgers for the snapshot and trend tests: two offices, their groups, rounds of several
kinds and years, problems of dotted categories, measures in every state; and a recount of what a
week's trend must say, from the measures themselves."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from zhenggai.accounts.services import user_create
from zhenggai.ledger.lights import DONE, OPEN, RED, light_of
from zhenggai.ledger.models import InspectionRound, Measure, MeasureKind, MeasureStatus, Problem, RoundKind
from zhenggai.ledger.tally import tally_rebuild
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create
from zhenggai.oversight.filters import DashboardFilters

CATEGORIES = [
    "conduct",
    "conduct.eight_rules",
    "conduct.formalism",
    "finance",
    "finance.assets",
    "ideology",
    "",
]


@dataclass
class Province:
    offices: list[Organisation]
    groups: list[Organisation]
    units: list[Organisation]
    rounds: list[InspectionRound]
    users: dict[str, object] = field(default_factory=dict)


def _kinds() -> list[str]:
    return list(RoundKind.values)[:3]


def build(rng: random.Random, today: datetime.date, n_rounds: int = 10, per_round: int = 8) -> Province:
    offices = [organisation_create(name=f"巡察办{i}", kind=OrgKind.INSPECTION_OFFICE) for i in range(2)]
    groups = [
        organisation_create(name=f"巡察组{i}", kind=OrgKind.INSPECTION_GROUP, parent=offices[i % 2])
        for i in range(4)
    ]
    units, rounds = [], []
    for r in range(n_rounds):
        unit = organisation_create(name=f"单位{r}", kind=OrgKind.UNIT)
        group = groups[r % len(groups)]
        office = offices[r % 2]
        round_ = InspectionRound.objects.create(
            title=f"单位{r}整改",
            kind=rng.choice(_kinds()),
            office=office,
            inspecting_group=group if rng.random() < 0.8 else None,
            inspected_unit=unit,
            feedback_date=rng.choice([datetime.date(2025, 11, 3), datetime.date(2026, 3, 9), None]),
        )
        units.append(unit)
        rounds.append(round_)
        problems = [
            Problem.objects.create(
                round=round_,
                label=f"{p + 1}.",
                number=p + 1,
                level=2,
                position=p + 1,
                title="问题",
                category=rng.choice(CATEGORIES),
            )
            for p in range(3)
        ]
        Measure.objects.bulk_create(
            [
                Measure(
                    problem=rng.choice(problems),
                    round=round_,
                    position=m,
                    text=f"措施{m}",
                    status=rng.choice(list(MeasureStatus.values)),
                    deadline=None
                    if rng.random() < 0.1
                    else today + datetime.timedelta(days=rng.randint(-40, 60)),
                    **_kind(rng),
                )
                for m in range(per_round)
            ]
        )
    tally_rebuild(today)
    province = Province(offices, groups, units, rounds)
    province.users = {
        "officer0": _user("officer0", offices[0], Role.OFFICE_STAFF),
        "officer1": _user("officer1", offices[1], Role.OFFICE_STAFF),
        "group_officer": _user("group_officer", groups[1], Role.OFFICE_STAFF),
        "supervisor": _user("supervisor", offices[0], Role.SUPERVISOR),
        "clerk0": _user("clerk0", units[0], Role.UNIT_STAFF),
        "clerk1": _user("clerk1", units[1], Role.UNIT_STAFF),
        "outsider": user_create(username="outsider", password="x-test-password-1"),
        # A department's people see the rounds of the unit above them.
        "department_staff": _user(
            "department_staff",
            organisation_create(name="单位2办公室", kind=OrgKind.DEPARTMENT, parent=units[2]),
            Role.UNIT_STAFF,
        ),
        "leader3": _user("leader3", units[3], Role.UNIT_LEADER),
        "superuser": user_create(username="superuser", password="x-test-password-1"),
    }
    province.users["superuser"].is_superuser = True
    province.users["superuser"].save(update_fields=["is_superuser"])
    # A supervisor who also holds a unit of the other office: both parts of round_scope.
    membership_grant(user=province.users["supervisor"], organisation=units[1], role=Role.SUPERVISOR)
    return province


def _kind(rng: random.Random) -> dict:
    long_term = rng.random() < 0.3
    return {"long_term": long_term, "kind": MeasureKind.LONG_TERM if long_term else MeasureKind.TIME_BOUND}


def _user(name: str, organisation: Organisation, role: str):
    user = user_create(username=name, password="x-test-password-1")
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def drift(rng: random.Random, today: datetime.date) -> None:
    """A week's work: some measures move on, a few deadlines move, a category is corrected; the
    tally counted again as the services would leave it."""
    measures = list(Measure.objects.select_related("problem"))
    for measure in rng.sample(measures, len(measures) // 3):
        order = [MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS, *sorted(DONE)]
        at = order.index(measure.status)
        measure.status = order[min(len(order) - 1, at + rng.choice([0, 1, 1, 2]))]
        if rng.random() < 0.2:
            measure.deadline = today + datetime.timedelta(days=rng.randint(-20, 40))
        measure.save(update_fields=["status", "deadline"])
    problem = rng.choice(list(Problem.objects.all()))
    problem.category = rng.choice(CATEGORIES)
    problem.save(update_fields=["category"])
    tally_rebuild(today)


def filter_sets(province: Province) -> list[DashboardFilters]:
    group = province.groups[1].pk
    return [
        DashboardFilters(),
        DashboardFilters(year=2026),
        DashboardFilters(year=2025),
        DashboardFilters(kind=_kinds()[0]),
        DashboardFilters(group=group),
        DashboardFilters(category="conduct"),
        DashboardFilters(category="conduct.eight_rules"),
        DashboardFilters(category="finance.assets"),
        DashboardFilters(category="conduct.eight"),  # a prefix that is no code: nothing
        DashboardFilters(year=2026, kind=_kinds()[0], group=group, category="conduct"),
    ]


def recount(user, filters: DashboardFilters, today: datetime.date) -> dict[str, int] | None:
    """What the trend must say for `today`'s week: the measures of the rounds the user may see
    (ledger.access), as they are, filtered; None when there is none."""
    from zhenggai.ledger.access import visible_rounds

    rounds = visible_rounds(user)
    if filters.year:
        rounds = rounds.filter(feedback_date__year=filters.year)
    if filters.kind:
        rounds = rounds.filter(kind=filters.kind)
    if filters.group:
        rounds = rounds.filter(inspecting_group_id=filters.group)
    measures = Measure.objects.filter(round__in=list(rounds.values_list("pk", flat=True))).select_related(
        "problem"
    )
    if filters.category:
        code = filters.category
        measures = [
            m for m in measures if m.problem.category == code or m.problem.category.startswith(code + ".")
        ]
    measures = list(measures)
    if not measures:
        return None
    return {
        "measures": len(measures),
        "done": sum(m.status in DONE for m in measures),
        "in_progress": sum(m.status == MeasureStatus.IN_PROGRESS for m in measures),
        "long_term": sum(m.long_term and m.status in OPEN for m in measures),
        "overdue": sum(light_of(m.status, m.deadline, today) == RED for m in measures),
    }
