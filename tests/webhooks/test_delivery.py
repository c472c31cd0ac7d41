"""Delivering: signed requests, retries with back-off, every try logged, nothing sent twice."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import default_task_backend

from zhenggai.webhooks.delivery import BACKOFF, CLAIM_TIMEOUT, MAX_ATTEMPTS, delivery_attempt
from zhenggai.webhooks.models import Delivery, DeliveryStatus, EventKind
from zhenggai.webhooks.services import endpoint_create, endpoint_set_active, endpoint_test


def _ping(cast, receiver, django_capture_on_commit_callbacks, path="/hook") -> Delivery:
    endpoint = endpoint_create(
        organisation=cast.a.unit,
        actor=cast.leader_a,
        url=receiver.url(path),
        events=[EventKind.MEASURE_STATUS],
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = endpoint_test(endpoint=endpoint, actor=cast.leader_a)
    return Delivery.objects.get(event=event)


def _verified(secret: str, request) -> dict:
    """What a receiver does: check the timestamp is recent and the signature is right."""
    timestamp = request.headers["x-zhenggai-timestamp"]
    assert abs(time.time() - int(timestamp)) < 300
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-zhenggai-signature"], f"sha256={expected}")
    return json.loads(request.body)


def test_a_delivery_is_signed_and_the_receiver_verifies_it(
    cast, receiver, django_capture_on_commit_callbacks
):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    enqueued = default_task_backend.results
    assert [(r.task.name, r.args) for r in enqueued] == [("deliver_webhook", [delivery.pk])]

    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED

    [request] = receiver.requests
    body = _verified(delivery.endpoint.secret, request)
    assert request.headers["x-zhenggai-event"] == "ping"
    assert request.headers["x-zhenggai-delivery"] == str(delivery.uuid)
    assert request.headers["content-type"].startswith("application/json")
    assert body["event"] == "ping" and body["event_id"] == delivery.event_id
    assert body["data"]["endpoint_id"] == delivery.endpoint_id
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.delivered_at is not None
    [attempt] = delivery.attempt_log.all()
    assert (attempt.number, attempt.status_code, attempt.error, attempt.address) == (1, 200, "", "127.0.0.1")
    assert '"ok"' in attempt.response_snippet


def test_a_signature_made_with_another_secret_does_not_verify(
    cast, receiver, django_capture_on_commit_callbacks
):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    delivery_attempt(delivery_id=delivery.pk)
    with pytest.raises(AssertionError):
        _verified("not-the-secret", receiver.requests[0])


def test_a_failure_is_logged_retried_after_the_back_off_and_then_succeeds(
    cast, receiver, django_capture_on_commit_callbacks
):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    receiver.statuses = [500]
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    first_try = delivery.attempt_log.get().started_at
    assert delivery.next_attempt_at == first_try + BACKOFF[0]
    [again] = default_task_backend.results
    assert again.args == [delivery.pk] and again.task.run_after == delivery.next_attempt_at
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED

    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["x-zhenggai-delivery"] == second.headers["x-zhenggai-delivery"]
    attempts = list(delivery.attempt_log.values_list("number", "status_code", "error"))
    assert attempts == [(1, 500, "HTTP 500"), (2, 200, "")]
    assert "internal error" in delivery.attempt_log.get(number=1).response_snippet
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2


def test_a_delivery_that_keeps_failing_is_given_up_after_the_last_try(
    cast, receiver, django_capture_on_commit_callbacks
):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    receiver.statuses = [503] * MAX_ATTEMPTS
    now = timezone.now()
    for number in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(now):
            status = delivery_attempt(delivery_id=delivery.pk)
        if number < MAX_ATTEMPTS:
            assert status == DeliveryStatus.PENDING
            now += BACKOFF[number - 1] + datetime.timedelta(seconds=1)
    assert status == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None and delivery.attempt_log.count() == MAX_ATTEMPTS
    with time_machine.travel(now + datetime.timedelta(days=2)):
        assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_running_the_task_twice_sends_once(cast, receiver, django_capture_on_commit_callbacks):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == 1
    assert delivery.attempt_log.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_during_the_send_finds_it_claimed(cast, receiver, django_capture_on_commit_callbacks):
    """Two workers at once: the second runs while the first is in the middle of its request."""
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    outcomes = []

    def second_worker():
        try:
            outcomes.append(delivery_attempt(delivery_id=delivery.pk))
        finally:
            connection.close()  # the receiver's thread has its own connection

    receiver.during = second_worker
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert outcomes == ["skipped"]
    assert len(receiver.requests) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempt_log.count() == 1


def test_a_paused_endpoint_gets_nothing(cast, receiver, django_capture_on_commit_callbacks):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    endpoint_set_active(endpoint=delivery.endpoint, actor=cast.leader_a, active=False)
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    assert receiver.requests == []
    assert "paused" in delivery.attempt_log.get().error


def test_a_claim_left_by_a_dead_worker_is_taken_over_only_when_stale(
    cast, receiver, django_capture_on_commit_callbacks
):
    delivery = _ping(cast, receiver, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now())
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - CLAIM_TIMEOUT * 2)
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


def test_the_sweep_enqueues_what_is_due_and_nothing_delivered(
    cast, receiver, django_capture_on_commit_callbacks
):
    due = _ping(cast, receiver, django_capture_on_commit_callbacks)
    done = _ping(cast, receiver, django_capture_on_commit_callbacks, path="/done")
    delivery_attempt(delivery_id=done.pk)
    default_task_backend.clear()
    out = StringIO()
    call_command("webhook_sweep", stdout=out)
    assert [r.args for r in default_task_backend.results] == [[due.pk]]
    assert "1 webhook deliveries enqueued" in out.getvalue()
