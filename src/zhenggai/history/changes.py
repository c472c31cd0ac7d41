"""Payload helpers for the services that call `record`: what a record holds, what a change changed.

Foreign keys are kept by id (the column's value), so a payload costs no extra query; the
timeline looks the names up when it shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zhenggai.history.canonical import to_json_native


def snapshot(obj, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of `names` on a model instance: `{"deadline": "2030-01-31", "doer": 4, …}`."""
    return {name: to_json_native(getattr(obj, obj._meta.get_field(name).attname)) for name in names}


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{"status": ["in_progress", "submitted"]}` for each field whose value differs; two snapshots in."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
