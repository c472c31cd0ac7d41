"""Reads of the history for the timeline pages.

Callers check access first (`get_measure_for_user` and friends), then ask for the timeline of
what the user may see; these functions only shape the query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhenggai.history.models import HistoryEntry


def timeline(object_type: str, object_id: Any) -> QuerySet[HistoryEntry]:
    """The entries about one item (e.g. `"ledger.measure", 12`), oldest first."""
    return HistoryEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("seq")


def round_timeline(round_id: int) -> QuerySet[HistoryEntry]:
    """Every entry of one round: the round itself, its problems, measures, progress and evidence."""
    return HistoryEntry.objects.filter(round_id=round_id).order_by("seq")
