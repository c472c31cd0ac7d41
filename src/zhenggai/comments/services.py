"""Every write to comments: a unit opens a call, the public writes in, the unit answers once."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.comments import selectors
from zhenggai.comments.models import CommentCall, CommentQuota, PublicComment
from zhenggai.history import services as history
from zhenggai.history.canonical import json_sha256
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import InspectionRound
from zhenggai.reminders.notices import notify_comment
from zhenggai.webhooks import emit as webhooks

TOKEN_BYTES = 16


PUBLIC_ONLY = gettext_lazy("This page is for the public. Log out of Zhenggai to write a comment.")


class CommentRefused(LedgerError):
    """The comment is not taken: the message says why, to the person who wrote it."""


class TooManyComments(CommentRefused):
    """One network wrote more than the hourly limit: try later (HTTP 429)."""


def text_sha256(text: str) -> str:
    """The hash the history keeps of a comment's text; `zhenggai verify` recomputes it."""
    return json_sha256(text)


def hourly_limit() -> int:
    return int(settings.ZHENGGAI["COMMENT_HOURLY_LIMIT"])


@transaction.atomic
def call_open(
    *, round_: InspectionRound, actor, invitation: str, closes_on: datetime.date | None
) -> CommentCall:
    invitation = invitation.strip()
    if not invitation:
        raise LedgerError(_("Say what the public is asked to comment on."))
    if closes_on is not None and closes_on < timezone.localdate():
        raise LedgerError(_("The closing date has passed already."))
    call = CommentCall.objects.create(
        round=round_,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        invitation=invitation,
        closes_on=closes_on,
        created_by=actor,
    )
    history.record(
        actor=actor,
        action="comments.open",
        obj=round_,
        payload={"call_id": call.pk, "invitation": invitation, "closes_on": closes_on},
    )
    return call


def is_open(call: CommentCall, today: datetime.date | None = None) -> bool:
    return selectors.call_is_open(call.closes_on, today)


def comment_submit(
    *, call: CommentCall, text: str, name: str, contact: str, logged_in: bool, network: str
) -> PublicComment:
    """Take a comment from the public page. Refused when the call has closed, for a logged-in
    user (staff do not write the public's comments), and past the hourly limit of one network.

    ``network`` is public_visitors.network_key: one IPv4 address or IPv6 /64, whatever browser.
    """
    if logged_in:
        raise CommentRefused(str(PUBLIC_ONLY))
    if not is_open(call):
        raise CommentRefused(_("This call for comments has closed."))
    text = text.strip()
    if not text:
        raise CommentRefused(_("Write your comment."))
    window = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        # The counter is taken in the same transaction as the comment: a comment that fails
        # later (its history entry, say) gives its place back.
        if not _take_quota(network, window):
            raise TooManyComments(_("Too many comments from this network in the last hour. Try again later."))
        comment = PublicComment.objects.create(
            call=call, text=text, name=name.strip(), contact=contact.strip(), network=network
        )
        history.record(
            actor=None,
            action="comments.receive",
            obj=call.round,
            # What the public wrote may name people: the chain keeps its hash, not the text.
            payload={"comment_id": comment.pk, "call_id": call.pk, "text_sha256": text_sha256(comment.text)},
        )
        notify_comment(round_=call.round, comment_id=comment.pk)
        webhooks.comment_received(comment=comment)
    return comment


def _take_quota(network: str, window: datetime.datetime) -> bool:
    """One place in this hour's quota of the network, or False when it is full.

    The conditional UPDATE is atomic: on PostgreSQL a second writer waits for the first's row
    lock and re-checks ``count < limit`` against the committed count, so twenty posts at once
    take exactly the places there are. When nothing was updated, the row is missing or full: the
    INSERT of a first post of the hour succeeds, or meets the unique constraint (a full row, or
    another first post just before), and the UPDATE is tried once more against the row now there.
    """
    limit = hourly_limit()
    if limit <= 0:
        return False
    slot = CommentQuota.objects.filter(network=network, window=window, count__lt=limit)
    if slot.update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():  # a savepoint: a lost race must not spoil the outer transaction
            CommentQuota.objects.create(network=network, window=window, count=1)
    except IntegrityError:
        return bool(slot.update(count=F("count") + 1))
    # A network's first comment of the hour: the counters of hours gone by, of every network, are
    # of no more use, and keeping them would only keep who wrote when.
    CommentQuota.objects.filter(window__lt=window).delete()
    return True


def comment_answer(*, comment: PublicComment, actor, answer: str, public: bool) -> PublicComment:
    """The unit's answer: once, with the server's time. It cannot be rewritten afterwards."""
    answer = answer.strip()
    if not answer:
        raise LedgerError(_("Write the answer."))
    with transaction.atomic():
        now = timezone.now()
        taken = PublicComment.objects.filter(pk=comment.pk, answered_at__isnull=True).update(
            answer=answer, answer_public=public, answered_by=actor, answered_at=now
        )
        if not taken:
            raise LedgerError(_("This comment has been answered already. An answer cannot be changed."))
        history.record(
            actor=actor,
            action="comments.answer",
            obj=comment.call.round,
            payload={"comment_id": comment.pk, "text": answer, "public": public},
        )
    comment.refresh_from_db()
    return comment
