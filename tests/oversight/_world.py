"""A random world for the dashboard: the cast's office follows many rounds (years, kinds, groups),
with problems of top-level and dotted categories, measures in every state and light, long-term
ones, evidence or none, lead and cooperating departments; another office follows rounds of its own."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from zhenggai.accounts.services import user_create
from zhenggai.ledger.models import (
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureStatus,
    Problem,
    RoundKind,
)
from zhenggai.ledger.tally import tally_rebuild
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create

TODAY = datetime.date.today()
CATEGORIES = [
    "conduct",
    "conduct.eight_rules",
    "conduct.formalism",
    "finance",
    "finance.funds",
    "ideology",
    "other",
]


@dataclass
class World:
    cast: object
    office2: Organisation
    officer2: object
    supervisor: object
    groups: list[Organisation]
    rounds: list[InspectionRound] = field(default_factory=list)


def build(cast, *, units: int = 6, problems: int = 3, measures: int = 4, seed: int = 7) -> World:
    rng = random.Random(seed)
    group2 = organisation_create(name="第二巡察组", kind=OrgKind.INSPECTION_GROUP, parent=cast.office)
    office2 = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    officer2 = user_create(username="officer2", password="x-test-password-1")
    membership_grant(user=officer2, organisation=office2, role=Role.OFFICE_STAFF)
    supervisor = user_create(username="supervisor", password="x-test-password-1")
    membership_grant(user=supervisor, organisation=cast.office, role=Role.SUPERVISOR)
    world = World(cast, office2, officer2, supervisor, [cast.group, group2])
    rounds = [cast.a.round, cast.b.round]
    for i in range(units):
        unit = organisation_create(name=f"单位{i}", kind=OrgKind.UNIT)
        for j in range(2):
            organisation_create(
                name="办公室" if j == 0 else f"财务科{i}", kind=OrgKind.DEPARTMENT, parent=unit
            )
        office = office2 if i % 5 == 4 else cast.office
        for r in range(1 + (i % 2)):  # some units inspected twice (a later round, another year)
            rounds.append(
                InspectionRound.objects.create(
                    title=f"单位{i}第{r + 1}轮",
                    office=office,
                    inspecting_group=rng.choice([cast.group, group2, None])
                    if office == cast.office
                    else None,
                    inspected_unit=unit,
                    kind=rng.choice([RoundKind.XUNCHA, RoundKind.XUNSHI]),
                    feedback_date=rng.choice(
                        [None, datetime.date(2025, 5, 1), TODAY - datetime.timedelta(days=30)]
                    ),
                )
            )
    new_measures = []
    for round_ in rounds:
        departments = list(Organisation.objects.filter(parent=round_.inspected_unit))
        for p in range(problems):
            problem = Problem.objects.create(
                round=round_,
                label=f"{p + 1}.",
                number=p + 1,
                level=2,
                position=100 + p,
                title=f"问题{p}",
                statement="" if rng.random() < 0.15 else f"存在问题{p}",
                category=rng.choice(CATEGORIES),
            )
            for m in range(rng.randint(0, measures)):
                long_term = rng.random() < 0.2
                new_measures.append(
                    Measure(
                        problem=problem,
                        round=round_,
                        position=m + 1,
                        text=f"措施{round_.pk}-{p}-{m}",
                        kind=MeasureKind.LONG_TERM if long_term else MeasureKind.TIME_BOUND,
                        long_term=long_term,
                        status=rng.choice(MeasureStatus.values),
                        deadline=rng.choice(
                            [None, *(TODAY + datetime.timedelta(days=d) for d in (-40, -3, 0, 4, 60))]
                        ),
                        lead_department=rng.choice([None, *departments]),
                    )
                )
    Measure.objects.bulk_create(new_measures)
    uploader = user_create(username="uploader", password="x-test-password-1")
    for measure in Measure.objects.filter(round__in=rounds):
        departments = list(Organisation.objects.filter(parent=measure.round.inspected_unit))
        if departments and rng.random() < 0.4:
            measure.cooperating_departments.set(rng.sample(departments, rng.randint(1, len(departments))))
        for k in range(rng.choice([0, 0, 1, 2])):
            EvidenceFile.objects.create(
                measure=measure,
                file=f"evidence/x/{measure.pk}-{k}",
                original_name=f"{k}.pdf",
                size=1,
                sha256=f"{measure.pk:032d}{k:032d}",
                uploaded_by=uploader,
            )
    tally_rebuild(TODAY)
    world.rounds = rounds
    return world
