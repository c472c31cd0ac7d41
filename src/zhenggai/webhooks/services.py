"""Every write of the webhooks app: emitting events, and an organisation's endpoints and robots.

`event_emit` is called by the services of the ledger, comments and reports apps, inside their
transaction: the deliveries exist exactly when the change they tell of was committed, and are
handed to the task worker only after the commit (`transaction.on_commit`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.history import services as history
from zhenggai.ledger.errors import LedgerError
from zhenggai.orgs.models import Organisation, OrgKind
from zhenggai.webhooks import payloads
from zhenggai.webhooks.addresses import AddressRefused, vet
from zhenggai.webhooks.models import SUBSCRIBABLE, Delivery, DeliveryStatus, Endpoint, Event, EventKind

logger = logging.getLogger(__name__)

SECRET_BYTES = 32


# --- emitting --------------------------------------------------------------------------------------


def sees(org: Organisation, round_) -> bool:
    """Whether an endpoint of `org` may hear of `round_`: ledger.access's `_reaches` for the roles
    that manage it. An office or a group hears of the rounds it (or an office or group under it)
    follows; a unit of the rounds of itself and of the units under it."""
    if org.kind in (OrgKind.INSPECTION_OFFICE, OrgKind.INSPECTION_GROUP):
        followers = (round_.office, round_.inspecting_group)
        return any(o is not None and o.path.startswith(org.path) for o in followers)
    return round_.inspected_unit.path.startswith(org.path)


def listening(kind: str) -> bool:
    """Whether any active endpoint anywhere subscribed to `kind`: one query, asked before a payload
    is built (which reads the measure's round and department)."""
    return any(e.wants(kind) for e in Endpoint.objects.filter(active=True).only("events"))


def endpoints_in_scope(*, kind: str, round_) -> list[Endpoint]:
    """The active endpoints subscribed to `kind` whose organisation sees `round_` (`sees`)."""
    if round_ is None:
        return []
    active = Endpoint.objects.filter(active=True).select_related("organisation")
    return [e for e in active if e.wants(kind) and sees(e.organisation, round_)]


def event_emit(
    *, kind: str, round_, payload: dict[str, Any], endpoints: Iterable[Endpoint] | None = None
) -> Event | None:
    """Record an event of `round_` and one delivery per endpoint in scope; enqueue them on commit.

    `payload` is the event's `data` (see payloads.py). `endpoints`, when given, replaces the scope
    (a test event goes to its one endpoint). Returns the event, or None when nobody listens."""
    targets = list(endpoints) if endpoints is not None else endpoints_in_scope(kind=kind, round_=round_)
    if not targets:
        return None
    with transaction.atomic():
        event = Event.objects.create(kind=kind, round=round_)
        event.payload = {
            "event": kind,
            "event_id": event.pk,
            "occurred_at": timezone.now().isoformat(),
            "round": payloads.round_data(round_) if round_ is not None else None,
            "data": payload,
        }
        event.save(update_fields=["payload"])
        now = timezone.now()
        deliveries = Delivery.objects.bulk_create(
            [Delivery(event=event, endpoint=e, next_attempt_at=now) for e in targets]
        )
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: enqueue(ids))
    return event


def enqueue(delivery_ids: list[int], run_after=None) -> None:
    """Hand deliveries to the task worker. A queue that cannot be reached leaves them waiting:
    `manage.py webhook_sweep` enqueues whatever is due and not queued."""
    from zhenggai.webhooks.tasks import deliver_webhook

    task = deliver_webhook if run_after is None else deliver_webhook.using(run_after=run_after)
    for pk in delivery_ids:
        try:
            task.enqueue(pk)
        except Exception as exc:  # a broken queue must not undo the ledger's committed change
            logger.warning("webhook delivery %s could not be enqueued: %s", pk, exc)


# --- an organisation's endpoints -------------------------------------------------------------------


def _check_events(events: list[str]) -> list[str]:
    chosen = [e for e in SUBSCRIBABLE if e in set(events)]
    if not chosen:
        raise LedgerError(_("Choose at least one event to send."))
    return [str(e) for e in chosen]


def check_url(url: str) -> str:
    """The address as given, if it may be sent to (addresses.vet), else a refusal saying why."""
    url = url.strip()
    try:
        vet(url)
    except AddressRefused as exc:
        raise LedgerError(str(exc)) from exc
    return url


def url_shown(url: str) -> str:
    """An address without its query, which often carries a key (a robot's access_token)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _shown(endpoint: Endpoint) -> dict[str, Any]:
    """What the history keeps of an endpoint: never its secret, nor its address's query."""
    return {
        "organisation": endpoint.organisation_id,
        "name": endpoint.name,
        "url": url_shown(endpoint.url),
        "events": endpoint.events,
        "active": endpoint.active,
    }


@transaction.atomic
def endpoint_create(
    *, organisation: Organisation, actor, url: str, events: list[str], name: str = ""
) -> Endpoint:
    """Register an address; its signing secret is made here and shown to the registrar once."""
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        name=name.strip(),
        url=check_url(url),
        events=_check_events(events),
        secret=secrets.token_urlsafe(SECRET_BYTES),
        created_by=actor,
    )
    history.record(actor=actor, action="webhooks.endpoint.create", obj=endpoint, payload=_shown(endpoint))
    return endpoint


@transaction.atomic
def endpoint_set_active(*, endpoint: Endpoint, actor, active: bool) -> Endpoint:
    """Pause (nothing new is sent there) or resume an endpoint."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.active != active:
        locked.active = active
        locked.save(update_fields=["active"])
        history.record(
            actor=actor,
            action="webhooks.endpoint.active",
            obj=locked,
            payload={"fields": {"active": [not active, active]}},
        )
    return locked


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor) -> None:
    """Remove an endpoint with its deliveries and their log."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    history.record(
        actor=actor,
        action="webhooks.endpoint.delete",
        object_type="webhooks.endpoint",
        object_id=locked.pk,
        payload=_shown(locked),
    )
    locked.delete()


def endpoint_test(*, endpoint: Endpoint, actor) -> Event:
    """Send a test event (`ping`) to this endpoint alone."""
    with transaction.atomic():
        event = event_emit(
            kind=EventKind.PING,
            round_=None,
            payload={
                "message": "Zhenggai test event",
                "endpoint_id": endpoint.pk,
                "sent_by": actor.get_username(),
            },
            endpoints=[endpoint],
        )
        assert event is not None  # one endpoint given
        history.record(
            actor=actor, action="webhooks.endpoint.test", obj=endpoint, payload={"event_id": event.pk}
        )
    return event


def delivery_redeliver(*, delivery: Delivery, actor) -> Delivery:
    """Send a delivery's event again to its endpoint, as a new delivery (a new id): a delivery is
    never sent twice, and the receiver sees the same `event_id` to recognise the event."""
    with transaction.atomic():
        if not delivery.endpoint.active:
            raise LedgerError(_("This endpoint is paused. Resume it before sending again."))
        again = Delivery.objects.create(
            event=delivery.event,
            endpoint=delivery.endpoint,
            redelivery_of=delivery,
            next_attempt_at=timezone.now(),
            status=DeliveryStatus.PENDING,
        )
        history.record(
            actor=actor,
            action="webhooks.delivery.redeliver",
            obj=delivery.endpoint,
            payload={"delivery": str(delivery.uuid), "again": str(again.uuid)},
        )
        transaction.on_commit(lambda: enqueue([again.pk]))
    return again
