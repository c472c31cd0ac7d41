"""Set-up shared by the ledger's tests."""

from __future__ import annotations

from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import measure_create
from zhenggai.ledger.tally import tally_refresh


def measure_in_state(problem, status: str, **fields) -> Measure:
    """A measure put straight into `status`, for tests of what a state looks like or allows.

    `measure_create` makes only measures not started or in progress (a measure is reported done by
    submitting it); set-up that needs a later state writes it here, past the services, on purpose.
    """
    measure = measure_create(problem=problem, actor=None, **fields)
    Measure.objects.filter(pk=measure.pk).update(status=status)
    tally_refresh([measure.round_id])  # as every write past the services must
    measure.refresh_from_db()
    return measure
