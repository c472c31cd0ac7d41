"""Writes of the quality signals: the stored flags, recomputed for whole rounds, and dismissals.

`flags_refresh` is called by `ledger.tally.tally_refresh` (every write that changes measures:
creation, edits, the closing cycle, an import, once at the end of a batch) and by the ledger
services that add progress or evidence, so that a page never recomputes a signal."""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.core.quality import NEAR_COPY_SIMILARITY, shingles, similarity, slogan_reasons
from zhenggai.core.signals import (
    Entry,
    deadline_before_feedback,
    evidence_after_claim,
    progress_burst,
    shares_key_terms,
    sittings,
)
from zhenggai.history import services as history
from zhenggai.ledger import rollup, tally
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import (
    DONE_STATES,
    ClosingDecision,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureSketch,
    ProgressEntry,
)
from zhenggai.ledger.quality import MAX_NEAR_PER_MEASURE, _stored_bands
from zhenggai.ledger.services import units_names
from zhenggai.signals.models import (
    DismissalAction,
    SignalDismissal,
    SignalFlag,
    SignalKey,
    SignalRollup,
    SignalTally,
)

# A measure copied into very many plans keeps the newest rounds only: enough to tell every office
# that follows one of them, without a row for each of thousands of plans.
MAX_COPY_ROUNDS = 20
# Rounds recomputed at a time by `flags_rebuild` (memory stays bounded on a province's database).
REBUILD_BATCH = 20


# Values of one IN (…) at most: SQLite allows some 32,000 parameters a query, and a rebuild's batch
# of rounds asks for more.
IN_CHUNK = 5000


def _chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _local(at: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(at) if timezone.is_aware(at) else at


def flags_refresh(round_ids: Iterable[int]) -> None:
    """Recompute the stored flags of every measure of `round_ids` (and the copy flags that other
    rounds' measures hold towards them). Within `ledger.tally.tally_deferred` the rounds are only
    noted, and recomputed once when the batch ends."""
    ids = sorted(set(round_ids))
    if not ids:
        return
    pending = tally._pending.get()  # an import's batch: its rounds are counted (and flagged) at its end
    if pending is not None:
        pending.update(ids)
        return
    with transaction.atomic():
        _recompute(ids)


def flags_rebuild(*, near_copies: bool = True) -> int:
    """Recompute the flags of every round, and their counts (after an upgrade, or a bulk load that
    bypassed the services); returns the number of rounds.

    `near_copies=False` leaves out the search for near copies (word-for-word copies are still
    flagged): the search costs about a second a round when the texts are formulaic, an hour for
    a province's 3,000 rounds; each round's near copies are then found by its next refresh (any
    write to it). For a first count after a bulk load, not after an upgrade."""
    ids = list(InspectionRound.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REBUILD_BATCH):
        with transaction.atomic():
            rollup.lock()  # the tally's lock before the rounds', as every refresh takes them
            _recompute(ids[start : start + REBUILD_BATCH], near_copies=near_copies)
    with transaction.atomic():
        rollup.lock()
        signals_rollup_rebuild()
    return len(ids)


def _recompute(ids: list[int], *, near_copies: bool = True) -> None:
    # The rounds locked in id order (as ledger.tally locks them, after its clock): of two writers on
    # one round the second recomputes what the first committed, never beside it.
    list(InspectionRound.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    rows = list(
        Measure.objects.filter(round_id__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "round_id",
            "text",
            "text_fingerprint",
            "status",
            "deadline",
            "submitted_at",
            "completed_on",
            "problem__title",
            "problem__statement",
            "round__feedback_date",
        )
    )
    uploads: dict[int, list[datetime.datetime]] = {}
    for measure_id, at in EvidenceFile.objects.filter(measure__round_id__in=ids).values_list(
        "measure_id", "uploaded_at"
    ):
        uploads.setdefault(measure_id, []).append(_local(at))
    recorded: dict[int, list[datetime.datetime]] = {}
    entries_by_round: dict[int, list[tuple[int, int, datetime.datetime]]] = {}
    for measure_id, round_id, author_id, at in ProgressEntry.objects.filter(
        measure__round_id__in=ids
    ).values_list("measure_id", "measure__round_id", "author_id", "recorded_at"):
        recorded.setdefault(measure_id, []).append(_local(at))
        entries_by_round.setdefault(round_id, []).append((measure_id, author_id, _local(at)))
    reviews: dict[int, list[datetime.datetime]] = {}
    for measure_id, at in ClosingDecision.objects.filter(measure__round_id__in=ids).values_list(
        "measure_id", "decided_at"
    ):
        reviews.setdefault(measure_id, []).append(_local(at))

    deadlines = {pk: deadline for pk, _r, _t, _f, _s, deadline, *_rest in rows}
    sitting: dict[int, int] = {}
    for entries in entries_by_round.values():
        sitting.update(sittings(Entry(m, a, at, deadlines.get(m)) for m, a, at in entries))

    flags: list[SignalFlag] = []
    for (
        pk,
        round_id,
        text,
        _print,
        status,
        deadline,
        submitted_at,
        completed_on,
        title,
        statement,
        feedback,
    ) in rows:

        def flag(key: str, detail: dict | None = None, *, pk=pk, round_id=round_id) -> None:
            flags.append(SignalFlag(measure_id=pk, round_id=round_id, key=key, detail=detail or {}))

        if slogan_reasons(text):
            flag(SignalKey.SLOGAN)
        if statement and not shares_key_terms(f"{title}{statement}", text):  # a finding's measure
            flag(SignalKey.UNRELATED)
        if deadline_before_feedback(deadline, feedback):
            flag(SignalKey.DEADLINE_EARLY)
        if status in DONE_STATES:
            own = uploads.get(pk, [])
            if not own:
                flag(SignalKey.NO_EVIDENCE)
            elif evidence_after_claim(submitted_at, completed_on, own):
                flag(SignalKey.EVIDENCE_LATE)
        burst = progress_burst(sorted(recorded.get(pk, [])), deadline, reviews.get(pk, []))
        if burst is not None:
            flag(
                SignalKey.BURST,
                {
                    "before": burst.before.isoformat(),
                    "why": burst.reason,
                    "count": burst.count,
                    "total": burst.total,
                },
            )
        elif pk in sitting:
            flag(SignalKey.BURST, {"sitting": sitting[pk]})

    flags += _copy_flags(rows, ids, near=near_copies)
    changed = _store(flags, ids, keep_near=not near_copies)
    # Other rounds whose copy flags towards `ids` changed are counted again too (locked after
    # `ids`, in id order, like them).
    others = sorted(changed - set(ids))
    if others:
        list(InspectionRound.objects.select_for_update().filter(pk__in=others).order_by("pk").values("pk"))
    signals_tally(set(ids) | changed)


def _identity(
    measure_id: int, key: str, partner_round_id: int | None, detail: dict, other_office: bool
) -> tuple:
    return (measure_id, key, partner_round_id, json.dumps(detail, sort_keys=True), other_office)


def _store(flags: list[SignalFlag], ids: list[int], *, keep_near: bool = False) -> set[int]:
    """Make the stored flags of `ids` (and the copy flags towards them) `flags`: only the rows
    that changed are deleted or inserted (an edit of one measure changes a few). Returns the
    rounds of the rows deleted or inserted. `keep_near`: `flags` holds the word-for-word copies
    only, so the stored copy flags stay (the near ones among them cannot be told apart)."""
    wanted = {_identity(f.measure_id, f.key, f.partner_round_id, f.detail, f.other_office): f for f in flags}
    stale = []
    changed: set[int] = set()
    for pk, round_id, measure_id, key, partner, detail, other_office in SignalFlag.objects.filter(
        Q(round_id__in=ids) | Q(key=SignalKey.COPY, partner_round_id__in=ids)
    ).values_list("pk", "round_id", "measure_id", "key", "partner_round_id", "detail", "other_office"):
        if wanted.pop(_identity(measure_id, key, partner, detail, other_office), None) is None:
            if keep_near and key == SignalKey.COPY:
                continue
            stale.append(pk)
            changed.add(round_id)
    for chunk in _chunks(stale):
        SignalFlag.objects.filter(pk__in=chunk).delete()
    SignalFlag.objects.bulk_create(list(wanted.values()), batch_size=2000)
    changed.update(f.round_id for f in wanted.values())
    return changed


# --- Counts (SignalTally) -------------------------------------------------------------------------


def signals_recount(round_ids: Iterable[int] | None = None) -> dict[tuple[int, str, str], int]:
    """Counted from the flags: (round, problem category, signal) → measures flagged and not
    dismissed (a copy only with a partner round of its own round's office; see `SignalTally`).
    All rounds when `round_ids` is None. What `SignalTally` must hold."""
    in_force = Exists(
        SignalDismissal.objects.filter(
            measure_id=OuterRef("measure_id"),
            key=OuterRef("key"),
            action=DismissalAction.DISMISS,
            undone_by__isnull=True,
        )
    )
    flags = SignalFlag.objects.filter(~Q(key=SignalKey.COPY) | Q(other_office=False)).exclude(in_force)
    chunks = [None] if round_ids is None else list(_chunks(sorted(set(round_ids))))
    counted: dict[tuple[int, str, str], int] = {}
    for chunk in chunks:
        rows = flags if chunk is None else flags.filter(round_id__in=chunk)
        for round_id, category, key, n in (
            rows.order_by()
            .values_list("round_id", "measure__problem__category", "key")
            .annotate(n=Count("measure_id", distinct=True))
        ):
            counted[(round_id, category, key)] = n
    return counted


def signals_tally(round_ids: Iterable[int]) -> None:
    """Count again the signals of `round_ids` into `SignalTally` (in the caller's transaction, the
    rounds locked by it), and move the office rollup (`SignalRollup`) by the difference."""
    ids = sorted(set(round_ids))
    if not ids:
        return
    rollup.lock()  # the tally's lock, which a refresh holds already and a dismissal takes here
    places = rollup.places_of(ids)
    change = _signal_counts()
    for chunk in _chunks(ids):
        stored = SignalTally.objects.filter(round_id__in=chunk)
        _signal_rollup_of(stored.values_list("round_id", "category", "key", "count"), places, -1, change)
        stored.delete()
        counted = signals_recount(chunk)
        SignalTally.objects.bulk_create(
            [
                SignalTally(round_id=round_id, category=category, key=key, count=n)
                for (round_id, category, key), n in counted.items()
            ],
            batch_size=2000,
        )
        _signal_rollup_of(((*k, n) for k, n in counted.items()), places, 1, change)
    rollup.apply_counts(SignalRollup, SIGNAL_FIELDS, ["count"], change)


# A SignalRollup row's key, field by field (a cell, then the category and the signal).
SIGNAL_FIELDS = (*rollup.CELL_FIELDS, "category", "key")


def _signal_counts() -> dict[tuple, dict[str, int]]:
    return defaultdict(lambda: {"count": 0})


def _signal_rollup_of(
    rows: Iterable[tuple[int, str, str, int]], places, sign: int = 1, into: dict | None = None
) -> dict[tuple, dict[str, int]]:
    """SignalTally rows (round, category, key, count) added (sign -1: taken away) by their rounds'
    cells, into `into` (a new {key: {"count": n}} when not given)."""
    summed = _signal_counts() if into is None else into
    for round_id, category, key, n in rows:
        if round_id in places:
            summed[(*places[round_id][0], category, key)]["count"] += sign * n
    return summed


def signals_moved(round_id: int, before, after) -> None:
    """A round's signal counts moved from the cell of `before` to that of `after` (None: none), as
    `ledger.rollup` moves its measures' (inside its transaction and lock)."""
    rows = list(
        SignalTally.objects.filter(round_id=round_id).values_list("round_id", "category", "key", "count")
    )
    change = _signal_counts()
    for place, sign in ((before, -1), (after, 1)):
        if place is not None:
            _signal_rollup_of(rows, {round_id: place}, sign, change)
    rollup.apply_counts(SignalRollup, SIGNAL_FIELDS, ["count"], change)


def _stored_signal_rollup() -> dict[tuple, dict[str, int]]:
    rows = SignalTally.objects.values_list("round_id", "category", "key", "count")
    return _signal_rollup_of(rows.iterator(chunk_size=5000), rollup.places_of(None))


def signals_rollup_rebuild() -> None:
    """Count `SignalRollup` again from `SignalTally` (after `flags_rebuild`)."""
    SignalRollup.objects.all().delete()
    SignalRollup.objects.bulk_create(
        [
            rollup.row_of(SignalRollup, SIGNAL_FIELDS, k, counts)
            for k, counts in _stored_signal_rollup().items()
            if counts["count"]
        ],
        batch_size=2000,
    )


def signal_rollup_differences() -> list[tuple[tuple, int, int]]:
    """(row, stored, expected) of every `SignalRollup` count that differs from the rollup of the
    stored `SignalTally`."""
    stored = rollup.stored_counts(SignalRollup, SIGNAL_FIELDS, ["count"])
    return [
        (k, mine, theirs)
        for k, _name, mine, theirs in rollup.compared(stored, _stored_signal_rollup(), ["count"])
    ]


def _copy_flags(rows: list[tuple], ids: list[int], *, near: bool = True) -> list[SignalFlag]:
    """Copy flags between the measures of `ids` and those of every other round, both ways: the
    same fingerprint, or (unless not `near`) a shared MinHash band and NEAR_COPY_SIMILARITY of the
    text in common (as `ledger.quality` finds them for a page)."""
    own_round = {pk: round_id for pk, round_id, *_rest in rows}
    partners: dict[int, dict[int, int]] = {}  # measure -> {other round: one of its measures there}

    def pair(a: int, a_round: int, b: int, b_round: int) -> None:
        if a_round != b_round:
            partners.setdefault(a, {}).setdefault(b_round, b)
            partners.setdefault(b, {}).setdefault(a_round, a)

    prints: dict[str, list[int]] = {}
    for pk, _round, _text, text_print, *_rest in rows:
        if text_print:
            prints.setdefault(text_print, []).append(pk)
    other_round: dict[int, int] = {}
    same = [
        row
        for chunk in _chunks(prints)
        for row in Measure.objects.filter(text_fingerprint__in=chunk).values_list(
            "pk", "round_id", "text_fingerprint"
        )
    ]
    if same:
        same.sort(key=lambda row: (-row[1], row[0]))  # the newest rounds first
        for other, round_id, text_print in same:
            other_round[other] = round_id
            for pk in prints[text_print]:
                if other != pk and len(partners.get(pk, {})) < MAX_COPY_ROUNDS:
                    pair(pk, own_round[pk], other, round_id)

    bands: dict[int, frozenset[str]] = {}
    for chunk in _chunks([pk for pk, *_rest in rows] if near else []):
        bands.update(_stored_bands(chunk))
    wanted_bands = set().union(*bands.values()) if bands else set()
    if wanted_bands:
        members: dict[str, list[int]] = {}  # band -> the measures holding it
        round_of: dict[int, int] = {}
        for chunk in _chunks(wanted_bands):
            for other, band, other_round_id in MeasureSketch.objects.filter(band__in=chunk).values_list(
                "measure_id", "band", "measure__round_id"
            ):
                members.setdefault(band, []).append(other)
                round_of[other] = other_round_id
        chosen: dict[int, list[int]] = {}
        for pk, round_id, *_rest in rows:
            shared = Counter(chain.from_iterable(members.get(band, ()) for band in bands.get(pk, ())))
            found = partners.get(pk, {})
            # Its own round's measures are not copies; a round it copies word for word is known.
            ranked = sorted(
                (
                    (n, other)
                    for other, n in shared.items()
                    if round_of[other] != round_id and round_of[other] not in found
                ),
                key=lambda s: (-s[0], s[1]),
            )
            chosen[pk] = [other for _n, other in ranked[:MAX_NEAR_PER_MEASURE]]
        needed = set().union(*chosen.values()) if chosen else set()
        texts = {
            pk: (round_id, text, (name, short))
            for chunk in _chunks(needed)
            for pk, round_id, text, name, short in Measure.objects.filter(pk__in=chunk).values_list(
                "pk", "round_id", "text", "round__inspected_unit__name", "round__inspected_unit__short_name"
            )
        }
        names = units_names(set(ids))
        pieces: dict[int, frozenset[str]] = {}

        def pieces_of(
            pk: int, round_id: int, text: str, unit: tuple[str, str] | None = None
        ) -> frozenset[str]:
            if pk not in pieces:
                own_names = names.get(round_id, []) if unit is None else [n for n in unit if n]
                pieces[pk] = shingles(text, own_names)
            return pieces[pk]

        for pk, round_id, text, *_rest in rows:
            mine = pieces_of(pk, round_id, text)
            for other in chosen.get(pk, []):
                if other not in texts or len(partners.get(pk, {})) >= MAX_COPY_ROUNDS:
                    continue
                o_round, o_text, unit = texts[other]
                if o_round == round_id or o_round in partners.get(pk, {}):
                    continue
                if similarity(mine, pieces_of(other, o_round, o_text, unit)) >= NEAR_COPY_SIMILARITY:
                    pair(pk, round_id, other, o_round)
                    other_round[other] = o_round

    rounds_of = {**other_round, **own_round}
    offices: dict[int, int | None] = {}
    for chunk in _chunks(set(rounds_of.values())):
        offices.update(InspectionRound.objects.filter(pk__in=chunk).values_list("pk", "office_id"))
    flags = []
    for measure, found in partners.items():
        own_office = offices.get(rounds_of[measure])
        for partner_round, partner in found.items():
            flags.append(
                SignalFlag(
                    measure_id=measure,
                    round_id=rounds_of[measure],
                    key=SignalKey.COPY,
                    partner_round_id=partner_round,
                    detail={"measure": partner},
                    other_office=own_office is None or offices.get(partner_round) != own_office,
                )
            )
    return flags


# --- Dismissals ---------------------------------------------------------------------------------


def _lock(measure: Measure) -> None:
    """The measure, then its round (whose counts a dismissal changes), as the ledger's writers
    lock them: of two dismissals in one round the second counts what the first committed."""
    Measure.objects.select_for_update().filter(pk=measure.pk).values_list("pk").first()
    InspectionRound.objects.select_for_update().filter(pk=measure.round_id).values_list("pk").first()


def active_dismissal(measure: Measure, key: str) -> SignalDismissal | None:
    return (
        SignalDismissal.objects.filter(
            measure=measure, key=key, action=DismissalAction.DISMISS, undone_by__isnull=True
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def signal_dismiss(*, measure: Measure, key: str, reason: str, actor) -> SignalDismissal:
    """Record that a signal on `measure` needs no action, and why; recorded in the history."""
    if key not in SignalKey.values:
        raise LedgerError(_("Unknown signal."))
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Say why this signal needs no action."))
    _lock(measure)
    if active_dismissal(measure, key) is not None:
        raise LedgerError(_("This signal was dismissed already."))
    dismissal = SignalDismissal.objects.create(measure=measure, key=key, reason=reason, actor=actor)
    signals_tally([measure.round_id])
    history.record(
        actor=actor,
        action="signal.dismiss",
        obj=measure,
        payload={"signal": key, "reason": reason, "dismissal_id": dismissal.pk},
    )
    return dismissal


@transaction.atomic
def signal_restore(*, measure: Measure, key: str, reason: str, actor) -> SignalDismissal:
    """Withdraw a dismissal: a new row that undoes it (nothing is deleted); the signal shows again."""
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Say why this signal should show again."))
    _lock(measure)
    dismissed = active_dismissal(measure, key)
    if dismissed is None:
        raise LedgerError(_("This signal is not dismissed."))
    undo = SignalDismissal.objects.create(
        measure=measure, key=key, action=DismissalAction.RESTORE, reason=reason, actor=actor, undoes=dismissed
    )
    signals_tally([measure.round_id])
    history.record(
        actor=actor,
        action="signal.restore",
        obj=measure,
        payload={"signal": key, "reason": reason, "dismissal_id": undo.pk, "undoes": dismissed.pk},
    )
    return undo
