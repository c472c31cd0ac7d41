"""Reads of the API: rounds, problems and measures, each through the same access functions as
the pages (a record outside the caller's reach is the same 404 as one that does not exist)."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from django.db.models import Value
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from zhenggai.api import schemas
from zhenggai.api.errors import COMMON_ERRORS
from zhenggai.api.idempotency import json_response
from zhenggai.api.text import Id, Text
from zhenggai.ledger import selectors
from zhenggai.ledger.access import (
    get_evidence_for_user,
    get_measure_for_user,
    get_round_for_user,
    may_acknowledge,
    memberships_of,
)
from zhenggai.ledger.keyset import Key, keyset_page
from zhenggai.ledger.lights import LIGHTS, light_of, yellow_days
from zhenggai.ledger.models import Acknowledgement, Measure, MeasureStatus, RoundKind
from zhenggai.ledger.transitions import available_actions
from zhenggai.ledger.workflow import Action

router = Router(tags=["ledger"])

# The measures' keyset order: by round, then as entered. Unique (the id last), so a page never
# repeats or skips a row however the rows before it change.
MEASURE_ORDER = (Key("round_id"), Key("id"))
# What a row of the list reads, in its one query (no model instances: 50 rows of four related
# records cost ~5 ms to build, and the answer needs none of their methods).
MEASURE_VALUES = (
    "id",
    "round_id",
    "problem_id",
    "position",
    "text",
    "status",
    "kind",
    "deadline",
    "original_deadline",
    "long_term",
    "completed_on",
    "lead_department_id",
    "lead_department__name",
    "responsible_leader__name",
    "responsible_leader__title",
    "doer__name",
    "doer__title",
    "evidence_count",
    "version",
)
# Status filters as the ledger page names them: a state, or "done", "open", "open_on_time".
StatusFilter = Literal[tuple([*MeasureStatus.values, "done", "open", selectors.OPEN_NOT_OVERDUE])]  # type: ignore[valid-type]
LightFilter = Literal[tuple(LIGHTS)]  # type: ignore[valid-type]
RoundKindFilter = Literal[tuple(RoundKind.values)]  # type: ignore[valid-type]
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def needs(action: str) -> dict[str, Any]:
    """The right an operation needs over the record's round, in its OpenAPI description (the
    scoping matrix of tests/api reads it): an Action, "transition" (any step of the state
    machine), or "none" (no record named)."""
    return {"x-zhenggai-action": action}


# A key as a page's link carries it: numbers a database column holds (18 digits stay under 2**63).
_ID = r"\d{1,18}"


class Cursor(Schema):
    """A round list's keyset page: its links carry the feedback date (or nothing) and the id."""

    after: str = Field(
        "",
        pattern=rf"^((\d{{4}}-\d{{2}}-\d{{2}})?_{_ID})?$",
        description="The key the next page continues after",
    )
    before: str = Field(
        "",
        pattern=rf"^((\d{{4}}-\d{{2}}-\d{{2}})?_{_ID})?$",
        description="The key the previous page ends before",
    )
    limit: int = Field(50, ge=1, le=200, description="Rows a page")


class MeasureFilters(Cursor):
    """The ledger page's filters, by the names its address uses, and a keyset page (round, id)."""

    after: str = Field("", pattern=rf"^({_ID}_{_ID})?$", description="The key the next page continues after")
    before: str = Field("", pattern=rf"^({_ID}_{_ID})?$", description="The key the previous page ends before")
    round: Id | None = Field(None, description="One round's measures (404 if not yours)")
    unit: Id | None = Field(None, description="The inspected unit's measures")
    status: StatusFilter | None = None  # type: ignore[valid-type]
    light: LightFilter | None = None  # type: ignore[valid-type]
    department: Id | None = Field(None, description="Lead or cooperating department")
    category: Text = Field("", max_length=60, description="A problem category code and those under it")
    q: Text = Field("", max_length=200, description="Words in the measure or its problem")
    year: int | None = Field(None, ge=1990, le=2100, description="Year of the round's feedback")
    kind: RoundKindFilter | None = None  # type: ignore[valid-type]
    group: Id | None = Field(None, description="The inspecting group")
    long_term: bool = False
    no_evidence: bool = False


def _links(request: HttpRequest, page) -> dict[str, str | None]:
    def link(query: str | None) -> str | None:
        return f"{request.path}?{query}" if query else None

    return {"next": link(page.next), "previous": link(page.previous)}


def _kept(params: Cursor) -> str:
    """The query parameters a page's links keep (the filters and the limit, not the cursor)."""
    values = params.model_dump(exclude={"after", "before"}, exclude_defaults=True)
    values["limit"] = params.limit
    return urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in values.items()})


@router.get("/me", response={200: schemas.MeOut, **COMMON_ERRORS}, openapi_extra=needs("none"))
def me(request: HttpRequest):
    """Who the token or session acts as, and their roles."""
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "roles": [{"role": m.role, "organisation": m.organisation} for m in memberships_of(user)],
    }


@router.get("/rounds", response={200: schemas.RoundPage, **COMMON_ERRORS}, openapi_extra=needs("none"))
def round_list(request: HttpRequest, params: Query[Cursor]):
    """The rounds the caller may see, newest feedback first, a keyset page at a time."""
    user = request.auth  # type: ignore[attr-defined]
    page = keyset_page(
        selectors.rounds_overview(user),
        selectors.ROUND_LIST_ORDER,
        {"after": params.after, "before": params.before},
        params.limit,
        extra=_kept(params),
    )
    return {"items": page.items, **_links(request, page)}


@router.get(
    "/rounds/{int:round_id}",
    response={200: schemas.RoundOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
)
def round_detail(request: HttpRequest, round_id: int):
    round_, _rights = get_round_for_user(request.auth, round_id)  # type: ignore[attr-defined]
    return round_


@router.get(
    "/rounds/{int:round_id}/problems",
    response={200: list[schemas.ProblemOut], **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
)
def round_problems(request: HttpRequest, round_id: int):
    """The round's problem tree in document order (headings and problems found)."""
    round_, _rights = get_round_for_user(request.auth, round_id)  # type: ignore[attr-defined]
    return list(round_.problems.order_by("position", "pk"))


@router.get(
    "/rounds/{int:round_id}/assignees",
    response={200: schemas.AssigneesOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
)
def round_assignees(request: HttpRequest, round_id: int):
    """Whom the round's measures may be given to: the inspected unit's departments (for
    `lead_department`) and its people (for `responsible_leader` and `doer`), by id, as the
    ledger's assignment forms offer them."""
    round_, _rights = get_round_for_user(request.auth, round_id)  # type: ignore[attr-defined]
    return {
        "departments": [{"id": d.pk, "name": d.name} for d in selectors.unit_departments(round_)],
        "people": [
            {"id": p.pk, "name": p.name, "title": p.title, "organisation": p.organisation}
            for p in selectors.unit_people(round_)
        ],
    }


def measure_rows(user, filters: MeasureFilters):
    """The measures of the filters, scoped as the ledger page scopes them, with what a row shows
    read in the same query (no query a row)."""
    round_ = get_round_for_user(user, filters.round)[0] if filters.round else None
    chosen = selectors.LedgerFilters(
        status=filters.status or "",
        light=filters.light or "",
        department=filters.department,
        category=filters.category.strip(),
        unit=filters.unit,
        search=filters.q.strip(),
        year=filters.year,
        kind=filters.kind or "",
        group=filters.group,
        long_term=filters.long_term,
        no_evidence=filters.no_evidence,
    )
    return selectors.ledger_measures(user, round_=round_, filters=chosen).values(*MEASURE_VALUES)


def _person(name: str | None, title: str | None) -> str | None:
    """A person as the pages name them (orgs.models.Person.__str__)."""
    if name is None:
        return None
    return f"{name}（{title}）" if title else name


def measure_out(row: dict[str, Any], today, days: int) -> dict[str, Any]:
    """A measure as the API shows it, from its `MEASURE_VALUES`."""
    department = row["lead_department_id"]
    return {
        "id": row["id"],
        "round_id": row["round_id"],
        "problem_id": row["problem_id"],
        "position": row["position"],
        "text": row["text"],
        "status": row["status"],
        "kind": row["kind"],
        "light": light_of(row["status"], row["deadline"], today, days),
        "deadline": row["deadline"],
        "original_deadline": row["original_deadline"],
        "long_term": row["long_term"],
        "completed_on": row["completed_on"],
        "lead_department": None
        if department is None
        else {"id": department, "name": row["lead_department__name"]},
        "responsible_leader": _person(row["responsible_leader__name"], row["responsible_leader__title"]),
        "doer": _person(row["doer__name"], row["doer__title"]),
        "evidence_count": row["evidence_count"],
        "version": row["version"],
    }


@router.get("/measures", response={200: schemas.MeasurePage, **COMMON_ERRORS}, openapi_extra=needs("none"))
def measure_list(request: HttpRequest, filters: Query[MeasureFilters]):
    """Measures the caller may see, filtered as on the ledger page, a keyset page at a time."""
    page = keyset_page(
        measure_rows(request.auth, filters),  # type: ignore[attr-defined]
        MEASURE_ORDER,
        {"after": filters.after, "before": filters.before},
        filters.limit,
        extra=_kept(filters),
    )
    today, days = timezone.localdate(), yellow_days()
    # Answered as it is (MeasurePage describes it; tests/api checks the two agree): validating 50
    # rows again through the schema cost more than reading them.
    return json_response(
        200, {"items": [measure_out(row, today, days) for row in page.items], **_links(request, page)}
    )


def measure_detail_out(user, measure: Measure, rights) -> dict[str, Any]:
    """A measure with its progress, evidence, requests for time and the steps the user may take."""
    evidence = list(measure.evidence_files.order_by("uploaded_at", "pk"))
    row = (
        Measure.objects.filter(pk=measure.pk)
        .annotate(evidence_count=Value(len(evidence)))
        .values(*MEASURE_VALUES)
        .get()
    )
    out = measure_out(row, timezone.localdate(), yellow_days())
    department = measure.lead_department
    return {
        **out,
        "evidence_count": len(evidence),
        "progress": list(measure.progress_entries.order_by("recorded_at", "pk")),
        "evidence": [evidence_out(e) for e in evidence],
        "extensions": list(measure.extensions.order_by("requested_at", "pk")),
        "transitions": available_actions(user, measure, rights),
        "acknowledged": department is not None
        and Acknowledgement.objects.filter(measure=measure, department=department).exists(),
        "may_acknowledge": may_acknowledge(user, measure),
    }


def evidence_out(evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "description": evidence.description,
        "uploaded_at": evidence.uploaded_at,
        "download": reverse("api:evidence_download", args=[evidence.pk]),
    }


@router.get(
    "/measures/{int:measure_id}",
    response={200: schemas.MeasureDetailOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
)
def measure_detail(request: HttpRequest, measure_id: int):
    user = request.auth  # type: ignore[attr-defined]
    measure, rights = get_measure_for_user(user, measure_id)
    return measure_detail_out(user, measure, rights)


@router.get(
    "/evidence/{int:evidence_id}",
    response=COMMON_ERRORS,
    openapi_extra={**needs(Action.VIEW), **FILE_RESPONSE},
    url_name="evidence_download",
)
def evidence_download(request: HttpRequest, evidence_id: int):
    """The evidence file's bytes, as uploaded."""
    evidence, _rights = get_evidence_for_user(request.auth, evidence_id)  # type: ignore[attr-defined]
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type="application/octet-stream",
    )
