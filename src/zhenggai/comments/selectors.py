"""What the unit, the office and the public see of the comments."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from zhenggai.comments.models import CommentCall, PublicComment
from zhenggai.ledger.access import round_scope
from zhenggai.ledger.models import InspectionRound
from zhenggai.orgs.models import Organisation
from zhenggai.public_pages import fetch_rows, sql_column, sql_table


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


def public_page_shows(token: str, today: datetime.date | None = None) -> tuple | None:
    """Everything the public page of the call `token` prints, for its cache key (None: no such call).

    An answer and its comment never change once given, so the published answers are their ids.
    Asked for on every visit, in one plain SQL query (public_pages.fetch_rows): building the same
    two ORM queries cost more (~1 ms) than everything else a kept page takes."""
    rows = fetch_rows(_public_page_sql(), [True, token])
    if not rows:
        return None
    pk, invitation, closes_on, title, unit, _answer = rows[0]
    answers = tuple(answer for *_call, answer in rows if answer is not None)
    if isinstance(closes_on, str):  # SQLite returns dates as text
        closes_on = datetime.date.fromisoformat(closes_on)
    return (pk, invitation, title, unit, call_is_open(closes_on, today), answers)


@functools.cache
def _public_page_sql() -> str:
    """The call with its round and unit by token, a row for each of its published answers (their
    ids, as published_answers orders them; one row with none when there are none). Names from the
    models, quoted by the database in use."""
    call, round_, unit, comment = CommentCall, InspectionRound, Organisation, PublicComment
    return (
        f"SELECT c.{sql_column(call, 'id')}, c.{sql_column(call, 'invitation')}, c.{sql_column(call, 'closes_on')},"  # noqa: S608 - names from _meta, quoted; the values are parameters
        f" r.{sql_column(round_, 'title')}, u.{sql_column(unit, 'name')}, a.{sql_column(comment, 'id')}"
        f" FROM {sql_table(call)} c"
        f" JOIN {sql_table(round_)} r ON r.{sql_column(round_, 'id')} = c.{sql_column(call, 'round')}"
        f" JOIN {sql_table(unit)} u ON u.{sql_column(unit, 'id')} = r.{sql_column(round_, 'inspected_unit')}"
        f" LEFT JOIN {sql_table(comment)} a ON a.{sql_column(comment, 'call')} = c.{sql_column(call, 'id')}"
        f" AND a.{sql_column(comment, 'answer_public')} = %s AND a.{sql_column(comment, 'answered_at')} IS NOT NULL"
        f" WHERE c.{sql_column(call, 'token')} = %s"
        f" ORDER BY a.{sql_column(comment, 'answered_at')} DESC, a.{sql_column(comment, 'id')} DESC"
    )


def call_is_open(closes_on: datetime.date | None, today: datetime.date | None = None) -> bool:
    return closes_on is None or closes_on >= (today or timezone.localdate())


def published_answers(call: CommentCall | int) -> QuerySet[PublicComment]:
    """What the public page shows: comments whose answer the unit chose to publish, without names."""
    return PublicComment.objects.filter(call=call, answer_public=True, answered_at__isnull=False).order_by(
        "-answered_at", "-pk"
    )


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
