"""`measure.overdue`: a measure that passed its deadline, told once per measure and deadline.

Run by the daily reminder run (reminders.services.run_daily_reminders). A measure counts when
its deadline passed within the last `CATCH_UP_DAYS` days (a scheduler stopped for a few days
still catches up) and it is not done; `OverdueMark` makes each (measure, deadline) once only, so
a deadline moved by an extension that passes again is told again. A measure is marked whether or
not an endpoint hears of it then: an endpoint registered later hears of deadlines passed later.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction

from zhenggai.ledger.lights import OPEN
from zhenggai.ledger.models import Measure
from zhenggai.webhooks import payloads
from zhenggai.webhooks.models import EventKind, OverdueMark
from zhenggai.webhooks.services import event_emit, listening

CATCH_UP_DAYS = 7
logger = logging.getLogger(__name__)


def overdue_emit(*, today: datetime.date) -> int:
    """Emit `measure.overdue` for the measures newly past their deadline; returns how many.

    Never raises: the reminder run that calls it must send its digests whatever happens here
    (a measure not marked is tried again by the next run)."""
    try:
        return _emit_new(today)
    except Exception:  # logged with its traceback; the reminders go on
        logger.exception("webhooks: the overdue measures of %s could not be emitted", today)
        return 0


def _emit_new(today: datetime.date) -> int:
    if not listening(EventKind.MEASURE_OVERDUE):
        return 0
    measures = (
        Measure.objects.filter(
            status__in=OPEN,
            deadline__lt=today,
            deadline__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
        )
        .select_related(
            "round__inspected_unit", "round__office", "round__inspecting_group", "lead_department"
        )
        .order_by("pk")
    )
    marked = set(
        OverdueMark.objects.filter(measure__in=measures.values("pk")).values_list("measure_id", "deadline")
    )
    emitted = 0
    for measure in measures:
        deadline = measure.deadline
        if deadline is None or (measure.pk, deadline) in marked:  # None: filtered out above
            continue
        try:
            with transaction.atomic():
                OverdueMark.objects.create(measure=measure, deadline=deadline)
                event_emit(
                    kind=EventKind.MEASURE_OVERDUE,
                    round_=measure.round,
                    payload=payloads.overdue(measure, today=today),
                )
        except IntegrityError:  # another run marked it meanwhile: it was told there
            continue
        emitted += 1
    return emitted
