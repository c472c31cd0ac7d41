"""500 random tamperings of one signed chain: every one is caught and located; untouched, it is clean.

Each trial tampers inside a savepoint (with the append-only trigger switched off on PostgreSQL, as
the database owner could), runs `verify`, and rolls back; file tamperings are undone by hand.
Set HISTORY_TAMPER_SEED to replay another sequence of trials.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from _history_support import build_chain, delete_entries, fix_head, owner_rights, rehash_from, swap_seq
from django.contrib.auth import get_user_model
from django.db import transaction

from zhenggai.history.canonical import canonical_json
from zhenggai.history.conf import history_conf
from zhenggai.history.models import HistoryEntry
from zhenggai.history.report import Finding, Kind, VerifyReport
from zhenggai.history.services import record
from zhenggai.history.verify import verify

SEED = int(os.environ.get("HISTORY_TAMPER_SEED", "20260301"))
TRIALS = 500
EDITABLE = [
    "seq",
    "recorded_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "round_id",
    "payload",
    "prev_hash",
    "hash",
]


@dataclass
class Expect:
    """Where a correct verifier must point: an entry (or a range holding it), or a file or line."""

    kinds: set[Kind]
    seq: int | None = None
    evidence_id: int | None = None
    line: int | None = None

    def met_by(self, report: VerifyReport) -> bool:
        first = report.first
        if first is None or first.kind not in self.kinds:
            return False
        if self.evidence_id is not None:
            return first.evidence_id == self.evidence_id
        if self.line is not None:
            return first.line == self.line
        return _covers(first, self.seq)


def _covers(finding: Finding, seq: int | None) -> bool:
    if finding.kind in (Kind.REHASHED, Kind.TRUNCATED) and finding.seq_end is not None:
        return finding.seq <= seq <= finding.seq_end
    return finding.seq == seq


class Tamperer:
    """Picks and applies one random tampering and says what `verify` must then report."""

    def __init__(self, rng: random.Random, files, settings) -> None:
        self.rng, self.files, self.settings = rng, files, settings
        self.last = HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
        self.users = [None, *get_user_model().objects.values_list("pk", flat=True)]
        self.kinds: list[Callable[[], tuple[str, Expect]]] = [
            self.edit_field,
            self.edit_field,
            self.edit_field,  # the widest family: weighted up
            self.delete_entry,
            self.swap_entries,
            self.edit_and_rehash,
            self.truncate_tail,
            self.replace_file,
            self.forge_checkpoint_line,
        ]

    def apply(self) -> tuple[str, Expect]:
        return self.rng.choice(self.kinds)()

    # --- the database ---------------------------------------------------------------------------

    def edit_field(self) -> tuple[str, Expect]:
        seq = self.rng.randint(1, self.last)
        field = self.rng.choice(EDITABLE)
        entry = HistoryEntry.objects.get(seq=seq)
        value = self._new_value(entry, field)
        with owner_rights():
            HistoryEntry.objects.filter(seq=seq).update(**{field: value})
        kinds = {Kind.CHANGED, Kind.MISSING} if field == "seq" else {Kind.CHANGED}
        return f"edit #{seq}.{field} = {value!r}"[:200], Expect(kinds, seq=seq)

    def _new_value(self, entry: HistoryEntry, field: str):
        rng = self.rng
        if field == "seq":
            return rng.choice([0, -rng.randint(1, 10**6), self.last + rng.randint(1, 100)])
        if field == "recorded_at":
            shift = rng.choice([1, rng.randint(1, 10**6), rng.randint(1, 10**12)]) * rng.choice([1, -1])
            return entry.recorded_at + datetime.timedelta(microseconds=shift)
        if field == "actor_id":
            return rng.choice([u for u in self.users if u != entry.actor_id])
        if field == "round_id":
            return rng.choice([v for v in (None, 0, 1, 2, 3, 10**12) if v != entry.round_id])
        if field == "payload":
            return _mutate_payload(rng, entry.payload)
        if field in ("prev_hash", "hash"):
            old = getattr(entry, field)
            position = rng.randrange(64)
            return (
                old[:position]
                + rng.choice([c for c in "0123456789abcdef" if c != old[position]])
                + old[position + 1 :]
            )
        return _mutate_text(rng, getattr(entry, field), limit=None if field == "actor_name" else 64)

    def delete_entry(self) -> tuple[str, Expect]:
        seq = self.rng.randint(1, self.last)
        delete_entries("seq = %s", [seq])
        if self.rng.random() < 0.5:
            fix_head()
        kinds = {Kind.TRUNCATED} if seq == self.last else {Kind.MISSING}
        return f"delete #{seq}", Expect(kinds, seq=seq)

    def swap_entries(self) -> tuple[str, Expect]:
        first, second = sorted(self.rng.sample(range(1, self.last + 1), 2))
        swap_seq(first, second)
        return f"swap #{first} and #{second}", Expect({Kind.REORDERED}, seq=first)

    def edit_and_rehash(self) -> tuple[str, Expect]:
        seq = self.rng.randint(1, self.last)
        field = self.rng.choice(["recorded_at", "actor_id", "actor_name", "action", "object_id", "payload"])
        value = self._new_value(HistoryEntry.objects.get(seq=seq), field)
        with owner_rights():
            HistoryEntry.objects.filter(seq=seq).update(**{field: value})
        rehash_from(seq)
        return f"rehash after editing #{seq}.{field}", Expect({Kind.REHASHED}, seq=seq)

    def truncate_tail(self) -> tuple[str, Expect]:
        keep = self.rng.randint(0, self.last - 1)
        delete_entries("seq > %s", [keep])
        fix_head()
        return f"truncate after #{keep}", Expect({Kind.TRUNCATED}, seq=keep + 1)

    # --- outside the database (undone by `undo`) -------------------------------------------------

    def replace_file(self) -> tuple[str, Expect]:
        evidence = self.rng.choice(self.files)
        path = self.settings.MEDIA_ROOT / evidence.file.name
        self.undo = _restore(path, path.read_bytes())
        if self.rng.random() < 0.8:
            path.write_bytes(b"%PDF-1.4 " + self.rng.randbytes(self.rng.randint(0, 64)))
            return f"replace evidence #{evidence.pk}", Expect({Kind.FILE_SWAPPED}, evidence_id=evidence.pk)
        path.unlink()
        return f"remove evidence #{evidence.pk}", Expect({Kind.FILE_MISSING}, evidence_id=evidence.pk)

    def forge_checkpoint_line(self) -> tuple[str, Expect]:
        path = history_conf().checkpoint_file
        original = path.read_bytes()
        self.undo = _restore(path, original)
        lines = original.decode().splitlines()
        index = self.rng.randrange(len(lines))
        data = json.loads(lines[index])
        key = self.rng.choice(["seq", "head_hash", "created_at", "signature"])
        data[key] = data[key] + 1 if key == "seq" else _mutate_text(self.rng, data[key], limit=None)
        lines[index] = json.dumps(data)
        path.write_text("\n".join(lines) + "\n")
        return f"forge checkpoint line {index + 1}.{key}", Expect({Kind.BAD_SIGNATURE}, line=index + 1)

    undo: Callable[[], None] | None = None


def _restore(path, content: bytes) -> Callable[[], None]:
    def undo() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    return undo


def _mutate_text(rng: random.Random, text: str, *, limit: int | None) -> str:
    if text and rng.random() < 0.5:
        position = rng.randrange(len(text))
        return (
            text[:position] + rng.choice([c for c in "甲乙x0 " if c != text[position]]) + text[position + 1 :]
        )
    if limit is not None and len(text) >= limit:
        return text[:-1]
    return text + rng.choice("甲x0")


def _mutate_payload(rng: random.Random, payload):
    """A payload that differs from `payload` once written as canonical JSON."""
    changed = copy.deepcopy(payload)
    while canonical_json(changed) == canonical_json(payload):
        _mutate_somewhere(rng, changed)
    return changed


def _mutate_somewhere(rng: random.Random, node) -> None:
    if isinstance(node, dict) and node and rng.random() < 0.7:
        key = rng.choice(sorted(node))
        if isinstance(node[key], dict | list) and node[key]:
            return _mutate_somewhere(rng, node[key])
        node[key] = _mutate_leaf(rng, node[key])
    elif isinstance(node, list) and node:
        index = rng.randrange(len(node))
        if isinstance(node[index], dict | list) and node[index]:
            return _mutate_somewhere(rng, node[index])
        node[index] = _mutate_leaf(rng, node[index])
    elif isinstance(node, dict):
        node[rng.choice(["extra", "审核", "n"])] = rng.randint(0, 3)
    else:
        node.append(None)
    return None


def _mutate_leaf(rng: random.Random, value):
    return rng.choice(
        [None, True, 0, 1, -1, "", "1", "done", "完成", value if value is None else str(value) + "x"]
    )


@pytest.fixture
def signed_chain(db, settings, django_capture_on_commit_callbacks, request):
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    with django_capture_on_commit_callbacks(execute=True):
        return build_chain(request.getfixturevalue("cast"), 50, evidence=3)


class _Undo(Exception):
    """Raised to roll a trial's savepoint back."""


def test_500_random_tamperings_are_all_caught_and_located(signed_chain, settings):
    rng = random.Random(SEED)
    assert verify().ok, verify().text()
    missed, kinds = [], {}
    for trial in range(TRIALS):
        tamperer = Tamperer(rng, signed_chain, settings)
        try:
            with transaction.atomic():
                description, expect = tamperer.apply()
                report = verify()
                if not expect.met_by(report):
                    missed.append(
                        f"trial {trial}: {description} → {report.first and report.first.describe()}"
                    )
                raise _Undo
        except _Undo:
            pass
        finally:
            if tamperer.undo:
                tamperer.undo()
        kinds[description.split()[0]] = kinds.get(description.split()[0], 0) + 1
        if trial % 50 == 49:
            assert verify().ok, f"seed {SEED}: a false alarm after trial {trial}: {verify().text()}"
    assert not missed, f"seed {SEED}: {len(missed)} of {TRIALS} missed:\n" + "\n".join(missed[:20])
    assert set(kinds) == {"edit", "delete", "swap", "rehash", "truncate", "replace", "remove", "forge"}, kinds
    assert verify().ok


def test_untouched_random_chains_never_raise_an_alarm(cast, django_capture_on_commit_callbacks):
    rng = random.Random(SEED + 1)
    users = [None, cast.clerk_a, cast.officer, cast.leader_a]
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(300):
            with transaction.atomic():
                record(
                    actor=rng.choice(users),
                    action=rng.choice(["measure.update", "progress.record", "measure.transition"]),
                    obj=rng.choice([cast.a.measure, cast.b.measure, cast.a.round, cast.a.problem]),
                    payload={"v": _random_payload(rng, depth=3)},
                )
            if n % 60 == 0:
                report = verify()
                assert report.ok, report.text()
    report = verify()
    assert report.ok, report.text()


def _random_payload(rng: random.Random, depth: int):
    scalars = [
        lambda: rng.randint(-(2**63), 2**63),
        lambda: rng.random() * 10 ** rng.randint(-30, 30),
        lambda: "".join(rng.choice('整改完成a"\\\n\t é😀\u2028') for _ in range(rng.randint(0, 8))),
        lambda: rng.choice([None, True, False]),
        lambda: datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 4000)),
    ]
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(scalars)()
    if rng.random() < 0.5:
        return [_random_payload(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    keys = ["status", "fields", "中文", "a", "B", "1", " ", "ß", "é"]
    return {rng.choice(keys) + str(i): _random_payload(rng, depth - 1) for i in range(rng.randint(0, 4))}
