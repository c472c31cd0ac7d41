"""`Idempotency-Key` on POST: a repeat of the same request within a day gets the first answer.

The key's row is written in the same transaction as the write it guards: of two identical
requests at once, one writes and stores its answer, the other is refused (409) and rolled back.
A refusal (4xx) is not stored: nothing was written, so the client may simply try again.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

import orjson
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel

from zhenggai.api.errors import ApiError
from zhenggai.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEPT_FOR = datetime.timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"


def json_response(status: int, data: Any) -> HttpResponse:
    if isinstance(data, BaseModel):  # a response schema: what the OpenAPI description promises
        data = data.model_dump(mode="json")
    body = orjson.dumps(data, default=str)  # dates and times as ISO 8601, as pydantic writes them
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def fingerprint(request: HttpRequest, body: Any) -> str:
    """What makes two requests the same: method, path and the body as parsed."""
    canonical = json.dumps(
        [request.method, request.path, body],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(request: HttpRequest, user, body: Any, run: Callable[[], tuple[int, Any]]) -> HttpResponse:
    """Answer a POST by `run()` (status, data), once per Idempotency-Key when the request has one."""
    key = request.headers.get(HEADER, "")
    if not key:
        return json_response(*run())
    if len(key) > 255 or not key.isprintable():
        raise ApiError(422, "bad_idempotency_key", _("An Idempotency-Key is 1 to 255 printable characters."))
    signed = fingerprint(request, body)
    with transaction.atomic():
        stored = IdempotencyKey.objects.select_for_update().filter(user=user, key=key).first()
        if stored is not None and stored.created_at < timezone.now() - KEPT_FOR:
            stored.delete()
            stored = None
        if stored is not None:
            return _replay(stored, signed)
        status, data = run()
        response = json_response(status, data)
        if 200 <= status < 300:
            _store(user, key, signed, response)
        return response


def _store(user, key: str, signed: str, response: HttpResponse) -> None:
    # The user's keys older than a day are forgotten as a new one is kept: the table stays small.
    IdempotencyKey.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                user=user,
                key=key,
                fingerprint=signed,
                status=response.status_code,
                content_type=response["Content-Type"],
                body=response.content,
            )
    except IntegrityError:  # the same key, stored by a request running beside this one: undo ours
        raise ApiError(
            409,
            "idempotency_key_in_use",
            _("A request with this Idempotency-Key is being handled. Try again."),
        ) from None


def _replay(stored: IdempotencyKey, signed: str) -> HttpResponse:
    if stored.fingerprint != signed:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was used for a different request. Use a new key for a new request."),
        )
    response = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type)
    response[REPLAYED] = "true"
    return response
