"""What the API reads and writes, as typed schemas: the OpenAPI description is generated from them."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from zhenggai.api.text import Id, Text
from zhenggai.ledger.workflow import TRANSITION_ACTIONS


class OrgOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    roles: list[RoleOut]


class RoleOut(Schema):
    role: str
    organisation: OrgOut


class RoundOut(Schema):
    id: int
    title: str
    kind: str
    office: OrgOut
    inspecting_group: OrgOut | None
    inspected_unit: OrgOut
    feedback_date: datetime.date | None
    rectification_deadline: datetime.date | None


class PageLinks(Schema):
    next: str | None = Field(None, description="The address of the next page, or null on the last one")
    previous: str | None = Field(None, description="The address of the page before, or null on the first")


class RoundPage(PageLinks):
    items: list[RoundOut]


class PersonOut(Schema):
    id: int
    name: str
    title: str
    organisation: OrgOut


class AssigneesOut(Schema):
    departments: list[OrgOut]
    people: list[PersonOut]


class ProblemOut(Schema):
    id: int
    parent_id: int | None
    label: str
    outline: str
    level: int
    position: int
    title: str
    statement: str
    category: str


class MeasureOut(Schema):
    id: int
    round_id: int
    problem_id: int
    position: int
    text: str
    status: str
    kind: str
    light: str
    deadline: datetime.date | None
    original_deadline: datetime.date | None
    long_term: bool
    completed_on: datetime.date | None
    lead_department: OrgOut | None
    responsible_leader: str | None
    doer: str | None
    evidence_count: int
    version: int


class MeasurePage(PageLinks):
    items: list[MeasureOut]


class ProgressOut(Schema):
    id: int
    happened_on: datetime.date
    text: str
    recorded_at: datetime.datetime
    late_entry: bool
    late_reason: str


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    description: str
    uploaded_at: datetime.datetime
    download: str


class ExtensionOut(Schema):
    id: int
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    status: str
    requested_at: datetime.datetime
    decision_note: str


class MeasureDetailOut(MeasureOut):
    progress: list[ProgressOut]
    evidence: list[EvidenceOut]
    extensions: list[ExtensionOut]
    transitions: list[str] = Field(description="The state changes this user may make now")
    acknowledged: bool = Field(description="Whether the lead department has signed for it")
    may_acknowledge: bool = Field(description="Whether this user may sign for it")


# --- Writes ---------------------------------------------------------------------------------------


class MeasureUpdateIn(Schema):
    """The fields to change (any left out stay as they are) and the version they were read at."""

    version: int = Field(ge=1, le=2_000_000_000)
    text: Text | None = Field(None, min_length=1, max_length=5000)
    kind: Literal["immediate", "time_bound", "long_term"] | None = None
    deadline: datetime.date | None = None
    long_term: bool | None = None
    lead_department: Id | None = Field(None, description="An organisation of the unit, by id")
    responsible_leader: Id | None = Field(None, description="A person of the unit, by id")
    doer: Id | None = Field(None, description="A person of the unit, by id")


class ProgressIn(Schema):
    happened_on: datetime.date
    text: Text = Field(min_length=1, max_length=5000)
    late_reason: Text = Field("", max_length=2000)


TransitionAction = Literal[tuple(sorted(TRANSITION_ACTIONS))]  # type: ignore[valid-type]


class TransitionIn(Schema):
    action: TransitionAction  # type: ignore[valid-type]
    version: int = Field(ge=1, le=2_000_000_000)
    reason: Text = Field("", max_length=2000)
    completed_on: datetime.date | None = None
    late_reason: Text = Field("", max_length=2000)
    follow_up_days: int | None = Field(None, ge=1, le=3650)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: Text = Field(min_length=1, max_length=2000)
    version: int | None = Field(None, ge=1, le=2_000_000_000)


class ExtensionDecisionIn(Schema):
    approve: bool
    note: Text = Field("", max_length=2000)


class AcknowledgementOut(Schema):
    measure_id: int
    department: OrgOut
    acknowledged_at: datetime.datetime


MeOut.model_rebuild()


# --- Imports --------------------------------------------------------------------------------------


class DraftCountsOut(Schema):
    nodes: int
    problems: int
    measures: int


class DraftOut(Schema):
    """An import draft: the document as parsed (`zhenggai.ledger/1`), before it becomes a round."""

    id: int
    status: str = Field(description="draft, committed or discarded")
    version: int
    source_name: str
    source_sha256: str
    office: OrgOut
    inspected_unit: OrgOut
    inspecting_group: OrgOut | None
    counts: DraftCountsOut
    committed_round_id: int | None
    ledger: dict[str, Any] = Field(description="The parsed tree, `zhenggai.ledger/1` (docs/parsing.md)")


# --- What a person follows ------------------------------------------------------------------------


class TodoItemOut(Schema):
    numbering: str
    text: str
    unit: str
    deadline: datetime.date | None
    light: str
    url: str = Field(description="The page that does it")
    reason: str
    detail: str


class TodoGroupOut(Schema):
    key: str
    title: str
    action: str = Field(description="What the link of each item does")
    count: int = Field(description="How many in all (items holds the first ones)")
    more_url: str = Field(description="The ledger filtered to the whole group, or empty")
    items: list[TodoItemOut]


class NoticeOut(Schema):
    id: int
    day: datetime.date
    title: str
    body: str
    read_at: datetime.datetime | None
    created_at: datetime.datetime


class NoticePage(PageLinks):
    items: list[NoticeOut]
    unread_count: int


class NoticesReadOut(Schema):
    marked: int = Field(description="How many of them were unread and are read now")
    unread_count: int


class RoundCountsOut(Schema):
    round_id: int
    total: int
    done: int
    red: int = Field(description="Not done, past the deadline")
    yellow: int = Field(description="Not done, due soon")


class OverviewRowOut(Schema):
    round_id: int
    title: str
    unit: str
    total: int
    done: int
    red: int
    yellow: int
    done_rate: int


class OverviewOut(Schema):
    totals: dict[str, int] = Field(description="rounds, total, done, red, yellow over every round")
    page: int
    rows: list[OverviewRowOut]


class FiguresOut(Schema):
    key: str
    label: str
    detail: str
    scope: dict[str, str] = Field(description="The ledger filter that lists the row's measures")
    problems: int
    measures: int
    done: int
    in_progress: int
    red: int
    yellow: int
    long_term: int
    no_evidence: int
    units: int
    rate: int = Field(description="Percent done")


class FiguresTableOut(Schema):
    rows: list[FiguresOut]
    total: int
    page: int
    pages: int


class DashboardFiltersOut(Schema):
    year: int | None
    kind: str
    group: int | None
    category: str


class OverdueOut(Schema):
    measure_id: int
    text: str
    deadline: datetime.date
    status: str
    days: int
    round_id: int
    problem_id: int
    problem_title: str
    unit: OrgOut


class DashboardOut(Schema):
    filters: DashboardFiltersOut
    today: datetime.date
    totals: FiguresOut
    rounds: FiguresTableOut
    units: FiguresTableOut
    categories: list[FiguresOut]
    departments: list[FiguresOut]
    recurring: list[FiguresOut]
    most_overdue: list[OverdueOut]


# --- Comments and reports -------------------------------------------------------------------------


class CommentCallOut(Schema):
    id: int
    invitation: str
    closes_on: datetime.date | None
    open: bool
    public_url: str = Field(description="The public page where comments are written")
    created_at: datetime.datetime


class CommentOut(Schema):
    id: int
    call_id: int
    text: str
    name: str
    contact: str
    received_at: datetime.datetime
    overdue: bool = Field(description="Not answered within the answering time")
    answer: str
    answer_public: bool
    answered_at: datetime.datetime | None
    answered_by: str | None


class RoundCommentsOut(Schema):
    calls: list[CommentCallOut]
    total: int
    page: int
    items: list[CommentOut]


class ReportFileOut(Schema):
    format: str
    filename: str
    size: int
    download: str


class ReportOut(Schema):
    id: int
    round_id: int
    kind: str
    state: str
    version: int
    title: str
    recipient: str
    issuer: str
    number: int | None
    as_of: datetime.date | None
    created_at: datetime.datetime
    next_step: str = Field(description="What the report waits for")
    files: list[ReportFileOut] = Field(description="An issued version's frozen files")
