"""Every stored ledger, organisation and account record against the state the history says it has.

The chain walk hands each accepted entry to `StateReplay.note`, which keeps, for every record an
entry names, the SHA-256 of its recorded state and the entry's number: the last entry wins. Then
`check` reads every row of the tracked tables and compares. Only digests are kept during the walk,
so memory grows with the number of records, not with the length of the history; the columns of a
record that differs are found afterwards, by a second pass over the entries that name it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection

from zhenggai.history.models import HistoryEntry
from zhenggai.history.report import Finding, Kind, VerifyReport
from zhenggai.history.state import (
    SET_KEY,
    STATE_KEY,
    Spec,
    Values,
    digest,
    iter_all_states,
    key,
    read_states,
    specs,
    split_key,
)

# How many differing records get their fields located (one query each); the rest are still listed.
LOCATE_AT_MOST = 200


@dataclass
class StateReplay:
    """ "label:pk" → (sha256 of the recorded state, or None if deleted; seq of the entry)."""

    expected: dict[str, tuple[str | None, int]] = field(default_factory=dict)

    def note(self, row: dict[str, Any]) -> None:
        if "states" in row:  # read by the database (verify._state_notes)
            seq = row["seq"]
            for name, sha in row["states"]:
                self.expected[name] = (sha, seq)
            return
        payload = row["payload"]
        section = payload.get(STATE_KEY) if type(payload) is dict else None
        if not section or type(section) is not dict:
            return
        seq, expected = row["seq"], self.expected
        for name, sha in section.items():
            expected[name] = (sha if type(sha) is str else None, seq)


def check(
    replay: StateReplay,
    report: VerifyReport,
    chain_complete: bool,
    locate_at_most: int | None = LOCATE_AT_MOST,
) -> None:
    """Compare every stored row of the tracked tables with the replayed state.

    Rows no entry names are reported only when the whole chain verified: after a break in the
    chain, the later entries were not read."""
    changed: list[tuple[int, Spec, Any, Values | None]] = []  # (index in the findings, spec, pk, state)
    for label, spec in specs().items():
        prefix = f"{label}:"
        for pk, values in iter_all_states(spec):
            report.records += 1
            held = replay.expected.pop(f"{prefix}{pk}", None)
            finding = _compare(spec, pk, values, held, chain_complete)
            if finding is None:
                continue
            if finding.kind is Kind.RECORD_CHANGED and values is not None and held and held[0]:
                changed.append((len(report.record_findings), spec, pk, values))
            report.record_findings.append(finding)
    tracked = specs()
    for name, (sha, seq) in replay.expected.items():
        label, pk = split_key(name)
        if sha is not None and label in tracked:
            report.record_findings.append(
                Finding(
                    Kind.RECORD_MISSING,
                    seq=seq,
                    record=_where(tracked[label], pk),
                    detail=f"recorded in entry #{seq}, no longer in the database",
                )
            )
    _locate_fields(report, changed[:locate_at_most], report.verified_to)


def _compare(
    spec: Spec, pk: Any, values: Values | None, held: tuple[str | None, int] | None, chain_complete: bool
) -> Finding | None:
    if held is None:
        if not chain_complete:
            return None
        return Finding(
            Kind.RECORD_UNRECORDED, record=_where(spec, pk), detail="no history entry records this row"
        )
    sha, seq = held
    if sha is None:
        detail = f"deleted in entry #{seq}, still in the database"
    elif values is None:
        detail = "stored values are not readable"
    elif digest(values) != sha:
        detail = f"differs from history entry #{seq}"
    else:
        return None
    return Finding(Kind.RECORD_CHANGED, seq=seq, record=_where(spec, pk), detail=detail)


def _locate_fields(
    report: VerifyReport, changed: list[tuple[int, Spec, Any, Values | None]], last: int
) -> None:
    """Name the columns of each changed record that differ from the state its entries build up.

    One more pass over the entries that name those records (entries record only what changed)."""
    if not changed:
        return
    recorded: dict[str, Values] = {key(spec.label, pk): {} for _index, spec, pk, _values in changed}
    for payload in _payloads_naming(list(recorded), last):
        digests = payload.get(STATE_KEY) if isinstance(payload, dict) else None
        sets = payload.get(SET_KEY) if isinstance(payload, dict) else None
        for name, sha in (digests or {}).items():
            if name not in recorded:
                continue
            delta = sets.get(name) if isinstance(sets, dict) else None
            if sha is not None and isinstance(delta, dict):
                recorded[name].update(delta)
            else:
                recorded[name] = {}
    for index, spec, pk, stored in changed:
        values = stored if stored is not None else read_states(spec, [pk]).get(pk) or {}
        old = recorded[key(spec.label, pk)]
        names = sorted(n for n in {*old, *values} if old.get(n, _ABSENT) != values.get(n, _ABSENT))
        finding = report.record_findings[index]
        report.record_findings[index] = Finding(
            finding.kind,
            seq=finding.seq,
            record=finding.record,
            detail=finding.detail,
            fields=tuple(names),
            schema_only=bool(old) and all(n not in old or n not in values for n in names),
        )


_ABSENT = object()
_NAMES_A_QUERY = 100


def _payloads_naming(names: list[str], last: int) -> Iterator[dict[str, Any]]:
    """The payloads, in seq order up to `last`, of the entries whose text names any of `names`
    (a superset: the caller looks for each name in the parsed payload). The payload column is
    text with no JSON lookups (`models.ChainPayloadField`), so the text is searched."""
    table = connection.ops.quote_name(HistoryEntry._meta.db_table)
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(names), _NAMES_A_QUERY):
        part = names[start : start + _NAMES_A_QUERY]
        where = " OR ".join(["payload LIKE %s"] * len(part))
        sql = f"SELECT seq, payload FROM {table} WHERE seq <= %s AND ({where})"  # noqa: S608 - constants
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, *(f'%"{name}"%' for name in part)])
            for seq, text in cursor.fetchall():
                if seq not in found:
                    found[seq] = _parsed(text)
    for seq in sorted(found):
        yield found[seq]


def _parsed(text: Any) -> dict[str, Any]:
    try:
        payload = orjson.loads(text) if isinstance(text, str | bytes) else text
    except orjson.JSONDecodeError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _where(spec: Spec, pk: Any) -> str:
    return f"{spec.model._meta.verbose_name} {spec.label} #{pk}"
