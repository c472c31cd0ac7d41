"""Writes of the API: each through the service the pages call, after the same access check and
the same right (ledger.access.require), so that a rule holds whichever door a change comes in by.
Every POST takes an `Idempotency-Key` (api.idempotency)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Header
from ninja.files import UploadedFile

from zhenggai.api import reads, schemas
from zhenggai.api.errors import WRITE_ERRORS, ApiError, record_of
from zhenggai.api.idempotency import idempotent, json_response
from zhenggai.api.reads import evidence_out, measure_detail_out, needs
from zhenggai.api.text import Text
from zhenggai.ledger import services, transitions, workflow
from zhenggai.ledger.access import (
    get_extension_for_user,
    get_measure_for_user,
    require,
    require_any,
    require_edit,
)
from zhenggai.ledger.errors import StaleEdit
from zhenggai.ledger.models import Measure
from zhenggai.ledger.selectors import unit_departments, unit_people
from zhenggai.ledger.workflow import Action

# The reads' router: an address answers all its methods in one place (GET and PATCH of a measure).
router = reads.router

# Described on every POST; read by api.idempotency from the request itself.
IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="The same key with the same body within 24 hours returns the first answer, without writing again",
    ),
]


def stale(measure_id: int, exc: StaleEdit) -> ApiError:
    """A 409 with the version stored now and what changed since the caller's, as the page shows it."""
    version = Measure.objects.filter(pk=measure_id).values_list("version", flat=True).first() or 0
    changes = [{"field": f, "yours": yours, "now": now} for f, yours, now in exc.changes]
    return ApiError(409, "stale_version", exc.message, version=version, changes=changes)


def _unit_record(queryset, pk: int | None, field: str):
    if pk is None:
        return None
    return record_of(
        queryset,
        pk,
        loc=["body", field],
        code="not_of_the_unit",
        detail=_("%(field)s: no such record in this unit.") % {"field": field},
        msg=_("Not a record of this unit."),
    )


@router.patch(
    "/measures/{int:measure_id}",
    response={200: schemas.MeasureDetailOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.EDIT_MEASURE),
)
def measure_update(request: HttpRequest, measure_id: int, payload: schemas.MeasureUpdateIn):
    """Change a measure's fields; `version` is the one read. An older version is refused (409)."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require_edit(rights)
    fields: dict[str, Any] = payload.model_dump(exclude_unset=True)
    version = fields.pop("version")
    for name in ("text", "kind", "long_term"):  # not nullable: null is "leave as it is"
        if fields.get(name, 0) is None:
            del fields[name]
    round_ = measure.round
    if "lead_department" in fields:
        fields["lead_department"] = _unit_record(
            unit_departments(round_), fields["lead_department"], "lead_department"
        )
    for name in ("responsible_leader", "doer"):
        if name in fields:
            fields[name] = _unit_record(unit_people(round_), fields[name], name)
    try:
        services.measure_update(measure=measure, actor=user, expected_version=version, **fields)
    except StaleEdit as exc:
        raise stale(measure.pk, exc) from None
    measure, rights = get_measure_for_user(user, measure_id)
    return json_response(
        200, schemas.MeasureDetailOut.model_validate(measure_detail_out(user, measure, rights))
    )


@router.post(
    "/measures/{int:measure_id}/progress",
    response={201: schemas.ProgressOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.RECORD_PROGRESS),
)
def progress_record(
    request: HttpRequest, measure_id: int, payload: schemas.ProgressIn, idempotency_key: IdempotencyKey = None
):
    """Record dated progress (a first note starts the work)."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require(rights, Action.RECORD_PROGRESS)

    def run():
        entry = services.progress_record(measure=measure, actor=user, **payload.model_dump())
        return 201, schemas.ProgressOut.from_orm(entry)

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.post(
    "/measures/{int:measure_id}/evidence",
    response={201: schemas.EvidenceOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.ATTACH_EVIDENCE),
)
def evidence_upload(
    request: HttpRequest,
    measure_id: int,
    file: File[UploadedFile],
    description: Text = Form("", max_length=200),  # noqa: B008 - how django-ninja reads an optional form field
    idempotency_key: IdempotencyKey = None,
):
    """Upload an evidence file (multipart/form-data, field `file`)."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require(rights, Action.ATTACH_EVIDENCE)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)

    def run():
        evidence = services.evidence_attach(
            measure=measure,
            actor=user,
            name=file.name or "",
            size=file.size or 0,
            stream=file,
            description=description[:200],
        )
        return 201, schemas.EvidenceOut.model_validate(evidence_out(evidence))

    body = {"file": [file.name, digest.hexdigest()], "description": description}
    return idempotent(request, user, body, run)


@router.post(
    "/measures/{int:measure_id}/transitions",
    response={200: schemas.MeasureDetailOut, **WRITE_ERRORS},
    openapi_extra=needs("transition"),
)
def measure_transition(
    request: HttpRequest,
    measure_id: int,
    payload: schemas.TransitionIn,
    idempotency_key: IdempotencyKey = None,
):
    """One step of the closing cycle (申请销号, 审核, 销号, 退回…), checked by the state machine;
    `transitions` of the measure's detail lists those the caller may take now."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require_any(rights, workflow.TRANSITION_ACTIONS)

    def run():
        try:
            transitions.measure_transition(
                measure=measure,
                actor=user,
                action=payload.action,
                expected_version=payload.version,
                reason=payload.reason,
                completed_on=payload.completed_on,
                late_reason=payload.late_reason,
                follow_up_days=payload.follow_up_days,
            )
        except StaleEdit as exc:
            raise stale(measure.pk, exc) from None
        fresh, fresh_rights = get_measure_for_user(user, measure_id)
        return 200, schemas.MeasureDetailOut.model_validate(measure_detail_out(user, fresh, fresh_rights))

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.post(
    "/measures/{int:measure_id}/extensions",
    response={201: schemas.ExtensionOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.REQUEST_EXTENSION),
)
def extension_request(
    request: HttpRequest,
    measure_id: int,
    payload: schemas.ExtensionIn,
    idempotency_key: IdempotencyKey = None,
):
    """Ask the inspection office for a later deadline (申请延期)."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require(rights, Action.REQUEST_EXTENSION)

    def run():
        try:
            extension = transitions.extension_request(
                measure=measure,
                actor=user,
                new_deadline=payload.new_deadline,
                reason=payload.reason,
                expected_version=payload.version,
            )
        except StaleEdit as exc:
            raise stale(measure.pk, exc) from None
        return 201, schemas.ExtensionOut.from_orm(extension)

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.post(
    "/extensions/{int:extension_id}/decision",
    response={200: schemas.ExtensionOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.DECIDE_EXTENSION),
)
def extension_decide(
    request: HttpRequest,
    extension_id: int,
    payload: schemas.ExtensionDecisionIn,
    idempotency_key: IdempotencyKey = None,
):
    """Approve or refuse a request for more time (审批延期); a refusal says why."""
    user = request.auth  # type: ignore[attr-defined]
    extension, rights = get_extension_for_user(user, extension_id)
    require(rights, Action.DECIDE_EXTENSION)

    def run():
        decided = transitions.extension_decide(
            extension=extension, actor=user, approve=payload.approve, note=payload.note
        )
        return 200, schemas.ExtensionOut.from_orm(decided)

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.post(
    "/measures/{int:measure_id}/acknowledgement",
    response={200: schemas.AcknowledgementOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.ACKNOWLEDGE),
)
def measure_acknowledge(request: HttpRequest, measure_id: int, idempotency_key: IdempotencyKey = None):
    """The lead department signs for the measure (签收); signing twice changes nothing."""
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    require(rights, Action.ACKNOWLEDGE)

    def run():
        receipt = transitions.measure_acknowledge(measure=measure, actor=user)
        return 200, schemas.AcknowledgementOut.from_orm(receipt)

    return idempotent(request, user, {}, run)
