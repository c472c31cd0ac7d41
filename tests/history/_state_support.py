"""A ledger with a row in every table the history answers for, made only through the services."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from zhenggai.accounts.services import user_create
from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import evidence_attach, measure_update, progress_record
from zhenggai.ledger.transitions import (
    extension_decide,
    extension_request,
    measure_acknowledge,
    measure_transition,
)
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import (
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_move,
    person_create,
    person_update,
)

PDF = b"%PDF-1.4\n"


@dataclass
class RichLedger:
    cast: object
    measure_closed: Measure  # unit A's measure: progress, evidence, submitted, confirmed, closed
    measure_extended: Measure  # unit B's measure: signed for, more time asked and granted


def _fresh(measure: Measure) -> Measure:
    return Measure.objects.get(pk=measure.pk)


def build_rich_ledger(cast) -> RichLedger:
    """Every tracked table gets rows, each written by its service (so `verify` must be clean)."""
    today = datetime.date.today()
    a, b = cast.a, cast.b
    measure = measure_update(
        measure=a.measure,
        actor=cast.clerk_a,
        expected_version=a.measure.version,
        cooperating_departments=[a.department],
        text="建立会议记录当场签字制度，每月抽查一次。",
    )
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=today, text="已印发会议记录签字制度。")
    data = PDF + "签字制度".encode()
    evidence_attach(
        measure=measure, actor=cast.clerk_a, name="制度.pdf", size=len(data), stream=io.BytesIO(data)
    )
    measure = _fresh(measure)
    measure = measure_transition(
        measure=measure, actor=cast.clerk_a, action=Action.SUBMIT, expected_version=measure.version
    )
    measure = measure_transition(
        measure=measure, actor=cast.leader_a, action=Action.CONFIRM, expected_version=measure.version
    )
    measure = measure_transition(
        measure=measure, actor=cast.officer, action=Action.CLOSE, expected_version=measure.version
    )

    signer = user_create(username="b_dept", password="x-test-password-1", first_name="乙社区 办公室干事")
    membership_grant(user=signer, organisation=b.department, role=Role.UNIT_STAFF)
    measure_acknowledge(measure=b.measure, actor=signer)
    extended = extension_request(
        measure=_fresh(b.measure),
        actor=cast.clerk_b,
        new_deadline=b.measure.deadline + datetime.timedelta(days=30),
        reason="需等待上级批复。",
    )
    extension_decide(extension=extended, actor=cast.officer, approve=True, note="同意。")

    hall = organisation_create(name="甲社区便民服务中心", kind=OrgKind.DEPARTMENT, parent=cast.office)
    organisation_move(org=hall, new_parent=a.unit)
    person = person_create(name="甲社区干事", organisation=a.unit, title="干事")
    person_update(person=person, title="党建干事", user=signer)
    spare = membership_grant(user=signer, organisation=a.unit, role=Role.UNIT_LEADER)
    membership_revoke(membership=spare)
    return RichLedger(cast=cast, measure_closed=_fresh(measure), measure_extended=_fresh(b.measure))
