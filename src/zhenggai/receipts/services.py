"""Every write to receipts: a unit issues a batch of slips; a resident confirms one slip.

Both run in one transaction with their history entry. There is no function that lets anyone but
the resident fill a slip in: not a form, not the back office (its admin is read-only), not an import.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai import public_visitors
from zhenggai.history import services as history
from zhenggai.history.canonical import json_sha256
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import require_editable
from zhenggai.receipts.models import Receipt, ReceiptBatch

TOKEN_BYTES = 16  # 128 random bits: a slip's link cannot be guessed from another's


ONE_PER_PHONE = gettext_lazy(
    "This phone has already confirmed a slip of this batch. "
    "Each household confirms its own slip on its own phone."
)
STAFF_REFUSAL = gettext_lazy(
    "Staff logged in to Zhenggai cannot fill in a receipt. The resident confirms it on their own phone."
)


class ReceiptRefused(LedgerError):
    """The answer is not taken: the message says why, in the resident's words."""


def max_slips() -> int:
    return int(settings.ZHENGGAI["RECEIPT_MAX_SLIPS"])


@transaction.atomic
def batch_issue(
    *, measure: Measure, actor, title: str, statement: str, count: int, asks_satisfaction: bool
) -> ReceiptBatch:
    """Make `count` slips for a measure still being worked on, each with its own link."""
    require_editable(measure)
    if not 1 <= count <= max_slips():
        raise LedgerError(_("A batch has from 1 to %(max)d slips.") % {"max": max_slips()})
    title, statement = title.strip(), statement.strip()
    if not title or not statement:
        raise LedgerError(_("Give the batch a title and say what the resident confirms."))
    batch = ReceiptBatch.objects.create(
        measure=measure,
        title=title,
        statement=statement,
        asks_satisfaction=asks_satisfaction,
        created_by=actor,
    )
    Receipt.objects.bulk_create(
        [
            Receipt(batch=batch, number=number, token=secrets.token_urlsafe(TOKEN_BYTES))
            for number in range(1, count + 1)
        ]
    )
    history.record(
        actor=actor,
        action="receipts.issue",
        obj=measure,
        payload={
            "batch_id": batch.pk,
            "title": title,
            "statement": statement,
            "slips": count,
            "asks_satisfaction": asks_satisfaction,
        },
    )
    return batch


@dataclass(frozen=True)
class Answer:
    household: str = ""
    phone: str = ""
    satisfaction: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Sender:
    """Where an answer came from, as the request tells it. Only keyed hashes of it are kept."""

    logged_in: bool
    device_id: str  # the random id the slip page put in this browser's signed cookie ('' if none)
    network: str  # public_visitors.request_network: a keyed hash of address and browser kind


ANSWER_FIELDS = ("household", "phone", "satisfaction", "comment")


def answer_sha256(values: dict) -> str:
    """The hash the history keeps of a resident's answer; `zhenggai verify` recomputes it."""
    return json_sha256({name: values[name] for name in ANSWER_FIELDS})


def receipt_confirm(*, receipt: Receipt, answer: Answer, sender: Sender) -> Receipt:
    """The resident confirms their slip. Refused for a logged-in user, a second answer, or a
    browser that has already answered another slip of the same batch."""
    if sender.logged_in:
        raise ReceiptRefused(str(STAFF_REFUSAL))
    if not sender.device_id:
        raise ReceiptRefused(_("Allow this browser to keep cookies, then open the link on the slip again."))
    if receipt.batch.asks_satisfaction and not answer.satisfaction:
        raise ReceiptRefused(_("Say how satisfied you are."))
    device = public_visitors.device_hash(sender.device_id)
    fields = {
        "household": answer.household.strip(),
        "phone": answer.phone.strip(),
        "satisfaction": answer.satisfaction if receipt.batch.asks_satisfaction else "",
        "comment": answer.comment.strip(),
    }
    with transaction.atomic():
        # Only a slip nobody has answered yet: two answers at once cannot both win. And only one
        # slip per browser and batch: the unique constraint on (batch, device) refuses the second
        # even when both come at the same moment (on PostgreSQL the second waits for the first).
        try:
            with transaction.atomic():
                taken = Receipt.objects.filter(pk=receipt.pk, confirmed_at__isnull=True).update(
                    confirmed_at=timezone.now(), device=device, network=sender.network, **fields
                )
        except IntegrityError as exc:
            raise ReceiptRefused(str(ONE_PER_PHONE)) from exc
        if not taken:
            raise ReceiptRefused(_("This slip has already been confirmed. It cannot be filled in again."))
        history.record(
            actor=None,
            action="receipts.confirm",
            obj=receipt.batch.measure,
            payload={
                "receipt_id": receipt.pk,
                "batch_id": receipt.batch_id,
                "slip": receipt.number,
                # The answer itself stays out of the chain (a telephone number is personal);
                # its hash makes any later change of the stored answer show.
                "answer_sha256": answer_sha256(fields),
            },
        )
    receipt.refresh_from_db()
    return receipt
