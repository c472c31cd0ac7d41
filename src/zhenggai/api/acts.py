"""Comments from the public (意见建议) and reports (整改报告) through the API, by the same access
functions, rights and services as their pages (comments.views, reports.version_views): the
comments of a round and the unit's answer; a round's reports, a draft, its sign-off, its issue, and
an issued version's frozen file."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Query, Schema
from pydantic import Field

from zhenggai.api import reads, schemas
from zhenggai.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError
from zhenggai.api.idempotency import idempotent
from zhenggai.api.reads import needs
from zhenggai.api.text import Text
from zhenggai.api.writes import IdempotencyKey
from zhenggai.comments import selectors as comment_selectors
from zhenggai.comments import services as comment_services
from zhenggai.ledger.access import get_comment_for_user, get_report_for_user, get_round_for_user, require
from zhenggai.ledger.errors import StaleEdit
from zhenggai.ledger.workflow import Action
from zhenggai.reports import issuing
from zhenggai.reports import selectors as report_selectors
from zhenggai.reports.models import ReportKind, ReportVersion

router = reads.router


# --- Comments ---------------------------------------------------------------------------------------


def comment_out(row) -> dict[str, Any]:
    c = row.comment
    return {
        "id": c.pk,
        "call_id": c.call_id,
        "text": c.text,
        "name": c.name,
        "contact": c.contact,
        "received_at": c.received_at,
        "overdue": row.overdue,
        "answer": c.answer,
        "answer_public": c.answer_public,
        "answered_at": c.answered_at,
        "answered_by": None if c.answered_by is None else c.answered_by.get_username(),
    }


class CommentPage(Schema):
    page: int = Field(1, ge=1, le=100_000, description="The page, 1 first (unanswered comments come first)")
    limit: int = Field(50, ge=1, le=200, description="Comments a page")


@router.get(
    "/rounds/{int:round_id}/comments",
    response={200: schemas.RoundCommentsOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
    tags=["comments"],
)
def round_comments(request: HttpRequest, round_id: int, params: Query[CommentPage]):
    """The round's calls for comments and the comments received, as its staff see them on the
    comments page: unanswered first (oldest first, marked `overdue` past the answering time)."""
    round_, _rights = get_round_for_user(request.auth, round_id)  # type: ignore[attr-defined]
    comments = comment_selectors.round_comments(round_)
    start = (params.page - 1) * params.limit
    rows = comment_selectors.comment_rows(comments[start : start + params.limit])
    calls = [
        {
            "id": call.pk,
            "invitation": call.invitation,
            "closes_on": call.closes_on,
            "open": comment_services.is_open(call),
            "public_url": reverse("comments:public", args=[call.token]),
            "created_at": call.created_at,
        }
        for call in comment_selectors.calls_of(round_)
    ]
    return {
        "calls": calls,
        "total": comments.count(),
        "page": params.page,
        "items": [comment_out(r) for r in rows],
    }


class AnswerIn(Schema):
    answer: Text = Field(min_length=1, max_length=2000)
    public: bool = Field(False, description="Publish the comment and this answer on the public page")


@router.post(
    "/comments/{int:comment_id}/answer",
    response={200: schemas.CommentOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.ANSWER_COMMENTS),
    tags=["comments"],
)
def comment_answer(
    request: HttpRequest, comment_id: int, payload: AnswerIn, idempotency_key: IdempotencyKey = None
):
    """The unit's answer to a comment: once (an answered comment is refused, 422)."""
    user = request.auth  # type: ignore[attr-defined]
    comment, rights = get_comment_for_user(user, comment_id)
    require(rights, Action.ANSWER_COMMENTS)

    def run():
        answered = comment_services.comment_answer(
            comment=comment, actor=user, answer=payload.answer, public=payload.public
        )
        row = comment_selectors.comment_rows([answered])[0]
        return 200, schemas.CommentOut.model_validate(comment_out(row))

    return idempotent(request, user, payload.model_dump(mode="json"), run)


# --- Reports ----------------------------------------------------------------------------------------


def report_out(report: ReportVersion) -> dict[str, Any]:
    files = report_selectors.report_files(report) if report.is_issued else []
    return {
        "id": report.pk,
        "round_id": report.round_id,
        "kind": report.kind,
        "state": report.state,
        "version": report.version,
        "title": report.title,
        "recipient": report.recipient,
        "issuer": report.issuer,
        "number": report.number,
        "as_of": report.as_of,
        "created_at": report.created_at,
        "next_step": str(issuing.next_step(report)),
        "files": [
            {
                "format": f.format,
                "filename": f.filename,
                "size": f.size,
                "download": reverse("api:report_file", args=[report.pk]) + f"?format={f.format}",
            }
            for f in files
        ],
    }


def _stale(report_id: int, exc: StaleEdit) -> ApiError:
    version = ReportVersion.objects.filter(pk=report_id).values_list("version", flat=True).first() or 0
    return ApiError(409, "stale_version", exc.message, version=version, changes=[])


@router.get(
    "/rounds/{int:round_id}/reports",
    response={200: list[schemas.ReportOut], **COMMON_ERRORS},
    openapi_extra=needs(Action.VIEW),
    tags=["reports"],
)
def round_reports(request: HttpRequest, round_id: int):
    """The round's reports, drafts and issued versions, newest first (the reports page's list)."""
    round_, _rights = get_round_for_user(request.auth, round_id)  # type: ignore[attr-defined]
    return [report_out(r) for r in report_selectors.round_report_versions(round_)]


class ReportDraftIn(Schema):
    kind: Literal[tuple(ReportKind.values)]  # type: ignore[valid-type]
    recipient: Text = Field("", max_length=100, description="A progress report: empty is the round's office")


@router.post(
    "/rounds/{int:round_id}/reports",
    response={201: schemas.ReportOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.ISSUE_REPORT),
    tags=["reports"],
)
def report_draft(
    request: HttpRequest, round_id: int, payload: ReportDraftIn, idempotency_key: IdempotencyKey = None
):
    """Start a draft of the round's public or progress report (the first step of issuing one)."""
    user = request.auth  # type: ignore[attr-defined]
    round_, rights = get_round_for_user(user, round_id)
    require(rights, Action.ISSUE_REPORT)

    def run():
        report = issuing.draft_create(
            round_=round_, actor=user, kind=payload.kind, recipient=payload.recipient
        )
        return 201, schemas.ReportOut.model_validate(report_out(report))

    return idempotent(request, user, payload.model_dump(mode="json"), run)


class ReportVersionIn(Schema):
    version: int = Field(ge=1, le=2_000_000_000, description="The report's version, as read")


def _report_step(request: HttpRequest, report_id: int, action: str, payload: ReportVersionIn, step):
    user = request.auth  # type: ignore[attr-defined]
    report, rights = get_report_for_user(user, report_id)
    require(rights, action)

    def run():
        try:
            step(report=report, actor=user, expected_version=payload.version)
        except StaleEdit as exc:
            raise _stale(report.pk, exc) from None
        fresh, _rights = get_report_for_user(user, report_id)
        return 200, schemas.ReportOut.model_validate(report_out(fresh))

    return idempotent(request, user, payload.model_dump(mode="json"), run)


@router.post(
    "/reports/{int:report_id}/sign-off",
    response={200: schemas.ReportOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.SIGN_OFF_REPORT),
    tags=["reports"],
)
def report_sign_off(
    request: HttpRequest, report_id: int, payload: ReportVersionIn, idempotency_key: IdempotencyKey = None
):
    """A leader signs the draft off (领导签发); whoever drafted it cannot."""
    return _report_step(request, report_id, Action.SIGN_OFF_REPORT, payload, issuing.sign_off)


@router.post(
    "/reports/{int:report_id}/issue",
    response={200: schemas.ReportOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.ISSUE_REPORT),
    tags=["reports"],
)
def report_issue(
    request: HttpRequest, report_id: int, payload: ReportVersionIn, idempotency_key: IdempotencyKey = None
):
    """Issue a signed-off report: it is numbered and its files are written and kept as issued."""
    return _report_step(request, report_id, Action.ISSUE_REPORT, payload, issuing.issue)


class FileFormat(Schema):
    format: Literal["docx", "pdf"] = "docx"


@router.get(
    "/reports/{int:report_id}/file",
    response=COMMON_ERRORS,
    openapi_extra={**needs(Action.VIEW), **reads.FILE_RESPONSE},
    url_name="report_file",
    tags=["reports"],
)
def report_file(request: HttpRequest, report_id: int, params: Query[FileFormat]):
    """An issued report's frozen file (`format`: docx or pdf), byte for byte as issued; a draft has
    none (404)."""
    report, _rights = get_report_for_user(request.auth, report_id)  # type: ignore[attr-defined]
    found = report.files.filter(format=params.format).first() if report.is_issued else None
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=found.filename)
    return response
