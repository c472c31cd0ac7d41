"""What a person follows through the API, read by the same selectors as their pages: 我的待办
(todo.selectors), their notices (reminders), the counts of the overview (ledger.selectors) and the
office's dashboard (oversight.selectors)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from zhenggai.api import reads, schemas
from zhenggai.api.errors import COMMON_ERRORS
from zhenggai.api.idempotency import idempotent, json_response
from zhenggai.api.reads import _ID, _links, needs
from zhenggai.api.text import Id, Text
from zhenggai.api.writes import IdempotencyKey
from zhenggai.ledger import selectors as ledger_selectors
from zhenggai.ledger.access import get_round_for_user
from zhenggai.ledger.keyset import keyset_page
from zhenggai.ledger.models import RoundKind
from zhenggai.ledger.workflow import Action
from zhenggai.oversight import selectors as oversight
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.reminders import selectors as reminder_selectors
from zhenggai.reminders import services as reminder_services
from zhenggai.reminders.views import NOTICE_ORDER
from zhenggai.todo import selectors as todo_selectors

router = reads.router
RoundKindFilter = Literal[tuple(RoundKind.values)]  # type: ignore[valid-type]


@router.get(
    "/todo",
    response={200: list[schemas.TodoGroupOut], **COMMON_ERRORS},
    openapi_extra=needs("none"),
    tags=["follow"],
)
def todo(request: HttpRequest):
    """我的待办: what this person must do now, group by group as the home page shows them (the
    empty groups too), each item with the page that does it."""
    groups = todo_selectors.todo_groups(request.auth)  # type: ignore[attr-defined]
    return [
        {
            "key": g.key,
            "title": str(g.title),
            "action": str(g.action),
            "count": g.count,
            "more_url": g.more_url,
            "items": [
                {
                    "numbering": i.numbering,
                    "text": i.text,
                    "unit": i.unit,
                    "deadline": i.deadline,
                    "light": i.light,
                    "url": i.url,
                    "reason": i.reason,
                    "detail": i.detail,
                }
                for i in g.items
            ],
        }
        for g in groups
    ]


class NoticeCursor(Schema):
    after: str = Field(
        "",
        pattern=rf"^(\d{{4}}-\d{{2}}-\d{{2}}_{_ID})?$",
        description="The key the next page continues after",
    )
    before: str = Field(
        "",
        pattern=rf"^(\d{{4}}-\d{{2}}-\d{{2}}_{_ID})?$",
        description="The key the previous page ends before",
    )
    limit: int = Field(20, ge=1, le=200, description="Notices a page")
    unread: bool = Field(False, description="Only those not read yet")


@router.get(
    "/notices",
    response={200: schemas.NoticePage, **COMMON_ERRORS},
    openapi_extra=needs("none"),
    tags=["follow"],
)
def notice_list(request: HttpRequest, params: Query[NoticeCursor]):
    """The person's notices (reminder digests), newest first. Reading them here does not mark them
    read (the reminders page does, as opening a letter): `POST /api/notices/read` does."""
    notices = reminder_selectors.notices_for(request.auth)  # type: ignore[attr-defined]
    if params.unread:
        notices = notices.filter(read_at__isnull=True)
    extra = f"limit={params.limit}" + ("&unread=true" if params.unread else "")
    page = keyset_page(
        notices, NOTICE_ORDER, {"after": params.after, "before": params.before}, params.limit, extra=extra
    )
    items = [
        {
            "id": n.pk,
            "day": n.day,
            "title": n.title,
            "body": n.body,
            "read_at": n.read_at,
            "created_at": n.created_at,
        }
        for n in page.items
    ]
    unread = reminder_selectors.unread_count(request.auth)  # type: ignore[attr-defined]
    return {"items": items, "unread_count": unread, **_links(request, page)}


class NoticesReadIn(Schema):
    ids: list[Id] = Field(
        min_length=1, max_length=500, description="The notices to mark read (the caller's own)"
    )


@router.post(
    "/notices/read",
    response={200: schemas.NoticesReadOut, **COMMON_ERRORS},
    openapi_extra=needs("none"),
    tags=["follow"],
)
def notices_read(request: HttpRequest, payload: NoticesReadIn, idempotency_key: IdempotencyKey = None):
    """Mark notices read. Another person's notice, or one read already, is left as it is (and not
    counted): nobody's notice but the caller's is touched. Repeating it changes nothing."""
    user = request.auth  # type: ignore[attr-defined]

    def run():
        marked = reminder_services.notices_mark_read(user=user, notice_ids=sorted(set(payload.ids)))
        return 200, {"marked": marked, "unread_count": reminder_selectors.unread_count(user)}

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.get(
    "/rounds/{int:round_id}/counts",
    response={200: schemas.RoundCountsOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
    tags=["follow"],
)
def round_counts(request: HttpRequest, round_id: int):
    """A round's measures in all, done, overdue (red) and due soon (yellow): the overview's figures."""
    user = request.auth  # type: ignore[attr-defined]
    round_, _rights = get_round_for_user(user, round_id)
    found = ledger_selectors.round_counts(user, round_ids=[round_.pk]).get(
        round_.pk, ledger_selectors.NO_MEASURES
    )
    return {"round_id": round_.pk, **found}


class OverviewParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="The page of rows, 1 first")
    limit: int = Field(50, ge=1, le=200, description="Rows a page")


@router.get(
    "/overview",
    response={200: schemas.OverviewOut, **COMMON_ERRORS},
    openapi_extra=needs("none"),
    tags=["follow"],
)
def overview(request: HttpRequest, params: Query[OverviewParams]):
    """Every round the caller may see, most overdue first then least done, with the totals of all:
    the overview page's figures (`/overview/`)."""
    found = ledger_selectors.office_overview(request.auth)  # type: ignore[attr-defined]
    start = (params.page - 1) * params.limit
    rows = found.rows[start : start + params.limit]
    return {
        "totals": found.totals,
        "page": params.page,
        "rows": [
            {
                "round_id": r.round_id,
                "title": r.title,
                "unit": r.unit,
                "total": r.total,
                "done": r.done,
                "red": r.red,
                "yellow": r.yellow,
                "done_rate": r.done_rate,
            }
            for r in rows
        ],
    }


class DashboardParams(Schema):
    """The dashboard's filters, by the names of its address (`/oversight/?year=…&kind=…`)."""

    year: int | None = Field(None, ge=1990, le=2100, description="Year of the round's feedback")
    kind: RoundKindFilter | None = None  # type: ignore[valid-type]
    group: Id | None = Field(None, description="The inspecting group")
    category: Text = Field("", max_length=60, description="A problem category code and those under it")
    rounds_page: int = Field(1, ge=1, le=100_000, description="The page of the rounds table")
    units_page: int = Field(1, ge=1, le=100_000, description="The page of the units table")


def _figures(row: oversight.Figures) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "detail": row.detail,
        "scope": {k: str(v) for k, v in row.scope.items()},
        "problems": row.problems,
        "measures": row.measures,
        "done": row.done,
        "in_progress": row.in_progress,
        "red": row.red,
        "yellow": row.yellow,
        "long_term": row.long_term,
        "no_evidence": row.no_evidence,
        "units": row.units,
        "rate": row.rate,
    }


def _table(ranked: oversight.Ranked) -> dict[str, Any]:
    return {
        "rows": [_figures(r) for r in ranked.rows],
        "total": ranked.total,
        "page": ranked.number,
        "pages": ranked.pages,
    }


@router.get(
    "/oversight/dashboard",
    response={200: schemas.DashboardOut, **COMMON_ERRORS},
    openapi_extra=needs("none"),
    tags=["follow"],
)
def dashboard(request: HttpRequest, params: Query[DashboardParams]):
    """The inspection office's dashboard (督查看板): the totals and tables of `/oversight/` for the
    same filters. Office staff and supervisors only (403 for the others, as the page)."""
    user = request.auth  # type: ignore[attr-defined]
    oversight.require_dashboard(user)
    filters = DashboardFilters(
        year=params.year, kind=params.kind or "", group=params.group, category=params.category.strip()
    )
    board = oversight.dashboard(
        user,
        filters,
        table_rows=oversight.TABLE_ROWS,
        rounds_page=params.rounds_page,
        units_page=params.units_page,
    )
    return json_response(
        200,
        {
            "filters": {
                "year": filters.year,
                "kind": filters.kind,
                "group": filters.group,
                "category": filters.category,
            },
            "today": board.today,
            "totals": _figures(board.totals),
            "rounds": _table(board.rounds_table),
            "units": _table(board.units_table),
            "categories": [_figures(c) for c in board.categories],
            "departments": [_figures(d) for d in board.departments],
            "recurring": [_figures(c) for c in board.recurring],
            "most_overdue": [
                {
                    "measure_id": row["pk"],
                    "text": row["text"],
                    "deadline": row["deadline"],
                    "status": row["status"],
                    "days": row["days"],
                    "round_id": row["round_id"],
                    "problem_id": row["problem_id"],
                    "problem_title": row["problem_title"],
                    "unit": {"id": row["unit_id"], "name": row["unit_name"]},
                }
                for row in board.most_overdue
            ],
        },
    )
