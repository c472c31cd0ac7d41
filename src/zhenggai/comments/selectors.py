"""What the unit, the office and the public see of the comments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from zhenggai.comments.models import CommentCall, PublicComment
from zhenggai.ledger.access import round_scope
from zhenggai.ledger.models import InspectionRound


def answer_days() -> int:
    return int(settings.ZHENGGAI["COMMENT_ANSWER_DAYS"])


def _answer_due(now: datetime.datetime | None) -> datetime.datetime:
    """A comment received before this and still unanswered is overdue."""
    return (now or timezone.now()) - datetime.timedelta(days=answer_days())


@dataclass(frozen=True)
class CommentRow:
    comment: PublicComment
    overdue: bool  # not answered within COMMENT_ANSWER_DAYS of being received


def round_comments(round_: InspectionRound) -> QuerySet[PublicComment]:
    """Every comment on the round, unanswered first (oldest first), then the answered ones, in
    one ordering the database applies, so that a page of them is one query."""
    return (
        PublicComment.objects.filter(call__round=round_)
        .select_related("call", "answered_by")
        .order_by(F("answered_at").asc(nulls_first=True), "received_at", "pk")
    )


def comment_rows(comments: Iterable[PublicComment], now: datetime.datetime | None = None) -> list[CommentRow]:
    """The comments of a page, each marked overdue when it waited too long for its answer."""
    due = _answer_due(now)
    return [CommentRow(c, c.answered_at is None and c.received_at < due) for c in comments]


def calls_of(round_: InspectionRound) -> QuerySet[CommentCall]:
    return round_.comment_calls.order_by("-created_at", "-pk")


def published_answers(call: CommentCall) -> QuerySet[PublicComment]:
    """What the public page shows: comments whose answer the unit chose to publish, without names."""
    return call.comments.filter(answer_public=True, answered_at__isnull=False).order_by("-answered_at")


@dataclass(frozen=True)
class Unanswered:
    waiting: int  # comments not answered yet
    overdue: int  # of those, received more than COMMENT_ANSWER_DAYS ago


def unanswered_by_round(user, now: datetime.datetime | None = None) -> dict[int, Unanswered]:
    """Per round the user may see, its comments still waiting for an answer: one grouped query."""
    due = _answer_due(now)
    rows = (
        PublicComment.objects.filter(round_scope(user, "call__round__"), answered_at__isnull=True)
        .values("call__round_id")
        .annotate(waiting=Count("pk"), overdue=Count("pk", filter=Q(received_at__lt=due)))
    )
    return {row["call__round_id"]: Unanswered(row["waiting"], row["overdue"]) for row in rows}
