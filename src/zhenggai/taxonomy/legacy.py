"""The problems whose category migration ledger.0014 rewrote (party_leadership → decisions,
main_responsibility → responsibility), recorded in the history afterwards.

A migration cannot write the history (it imports no app code), so after it `verify` finds those
rows changed in `category` behind the history's back. `record_category_codes` records each such
change, once, as the migration's: only a row whose stored category is exactly the mapping of the
category its own history entries last recorded — a category changed any other way stays a finding.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from django.db import transaction

from zhenggai.history import services as history
from zhenggai.history.models import HistoryEntry
from zhenggai.history.state import SET_KEY, key
from zhenggai.ledger.models import Problem

_MIGRATION = "zhenggai.ledger.migrations.0014_problem_category_taxonomy_codes"
MIGRATION_NAME = "ledger.0014_problem_category_taxonomy_codes"
_CHUNK = 500


def legacy_codes() -> dict[str, str]:
    """The migration's mapping: old value → taxonomy code."""
    return dict(importlib.import_module(_MIGRATION).LEGACY_CODES)


def _recorded_categories(ids: list[int]) -> dict[int, str]:
    """The category each problem's own history entries last recorded (their `~set` columns)."""
    last: dict[int, str] = {}
    entries = (
        HistoryEntry.objects.filter(object_type="ledger.problem", object_id__in=[str(pk) for pk in ids])
        .order_by("seq")
        .values_list("object_id", "payload")
    )
    for object_id, payload in entries.iterator(chunk_size=2000):
        changed = (payload or {}).get(SET_KEY, {}).get(key("ledger.problem", object_id)) or {}
        if "category" in changed:
            last[int(object_id)] = changed["category"]
    return last


def migrated_problems() -> Iterator[tuple[int, str, str]]:
    """(problem id, recorded category, stored category) of every problem the migration rewrote."""
    mapping = legacy_codes()
    targets = sorted({new for old, new in mapping.items() if old != new})
    candidates = Problem.objects.filter(category__in=targets).order_by("pk").values_list("pk", "category")
    rows = list(candidates)
    for start in range(0, len(rows), _CHUNK):
        chunk = dict(rows[start : start + _CHUNK])
        for pk, recorded in _recorded_categories(list(chunk)).items():
            stored = chunk[pk]
            if recorded != stored and recorded in mapping and mapping[recorded] == stored:
                yield pk, recorded, stored


@transaction.atomic
def record_category_codes(*, actor=None) -> int:
    """Record, once each, the categories the migration rewrote; returns how many were recorded."""
    done = 0
    for pk, old, new in list(migrated_problems()):
        problem = Problem.objects.select_for_update().get(pk=pk)
        history.record(
            actor=actor,
            action="problem.category",
            obj=problem,
            payload={"fields": {"category": [old, new]}, "by": "migration", "migration": MIGRATION_NAME},
        )
        done += 1
    return done
