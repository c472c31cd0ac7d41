"""One try of one delivery, run by the task worker (tasks.deliver_webhook).

Nothing is sent twice: a try first claims the delivery with an UPDATE guarded by its state
(waiting and due, or claimed so long ago that its worker must have died), so of two workers
only one gets it, and a delivered one is never claimed again. The request is made outside any
transaction; its outcome is then written as an `Attempt`, and the delivery is marked delivered,
given its next try after a back-off, or marked failed when the tries are spent.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhenggai.webhooks import sending
from zhenggai.webhooks.addresses import AddressRefused, vet
from zhenggai.webhooks.models import Attempt, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

# The waits after the 1st, 2nd… failed try; after the last, the delivery has failed.
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim this old with no outcome: its worker died mid-send. The try is made again; only then
# can a receiver get a delivery twice, and its id (X-Zhenggai-Delivery) tells it so.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
USER_AGENT = "Zhenggai-Webhooks/1"


def body_of(delivery: Delivery) -> bytes:
    """The request body: the event's payload as compact UTF-8 JSON, the same bytes for every try."""
    return json.dumps(
        delivery.event.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, under the endpoint's secret, of "<timestamp>.<body>"."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def headers_for(delivery: Delivery, body: bytes, now: datetime.datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Zhenggai-Event": delivery.event.kind,
        "X-Zhenggai-Delivery": str(delivery.uuid),
        "X-Zhenggai-Timestamp": timestamp,
        "X-Zhenggai-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


def _claimable(now: datetime.datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    claimed = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def delivery_attempt(*, delivery_id: int) -> str:
    """Try the delivery once if it is due and unclaimed; returns its status after (or "skipped")."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    if not delivery.endpoint.active:
        outcome = sending.Outcome(None, "", 0, "", error="endpoint paused: not sent")
    else:
        outcome = _send(delivery, now)
    return _conclude(delivery, now, outcome)


def _send(delivery: Delivery, now: datetime.datetime) -> sending.Outcome:
    try:
        target = vet(delivery.endpoint.url)
    except AddressRefused as exc:
        logger.warning("webhook delivery %s refused: %s", delivery.uuid, exc)
        return sending.Outcome(None, "", 0, "", error=f"refused: {exc}")
    body = body_of(delivery)
    timeout = float(settings.ZHENGGAI["WEBHOOK_TIMEOUT"])
    outcome = sending.post(target, body, headers_for(delivery, body, now), timeout=timeout)
    if outcome.error.startswith("refused"):
        logger.warning("webhook delivery %s refused: %s", delivery.uuid, outcome.error)
    return outcome


def _conclude(delivery: Delivery, now: datetime.datetime, outcome: sending.Outcome) -> str:
    number = delivery.attempts
    error = outcome.error or ("" if outcome.ok else f"HTTP {outcome.status_code}")
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=now,
            duration_ms=outcome.duration_ms,
            address=outcome.address,
            status_code=outcome.status_code,
            error=error,
            response_snippet=outcome.snippet,
        )
        fields: dict = {"claimed_at": None, "last_error": error}
        if outcome.ok:
            fields.update(status=DeliveryStatus.SUCCEEDED, delivered_at=timezone.now(), next_attempt_at=None)
        elif number >= MAX_ATTEMPTS or delivery.endpoint.active is False:
            fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        else:
            fields.update(status=DeliveryStatus.PENDING, next_attempt_at=now + BACKOFF[number - 1])
        # Guarded by the claim: a worker whose claim went stale and was taken over writes nothing.
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=now).update(
            **fields
        )
        if fields["status"] == DeliveryStatus.PENDING:
            from zhenggai.webhooks.services import enqueue

            run_after = fields["next_attempt_at"]
            transaction.on_commit(lambda: enqueue([delivery.pk], run_after=run_after))
    return str(fields["status"])


def due_deliveries(now: datetime.datetime | None = None) -> list[int]:
    """The ids of deliveries a worker could take now (for `manage.py webhook_sweep`)."""
    return list(
        Delivery.objects.filter(_claimable(now or timezone.now())).values_list("pk", flat=True)[:1000]
    )
