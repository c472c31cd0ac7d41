"""Hints on a measure's quality for whoever writes or reviews it: slogans (喊口号) and copies
(照抄照搬), word for word or near, from `core.quality`. Copies are looked for among the measures
the user may see, so a hint never tells of a round the user could not open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from zhenggai.core.quality import (
    NEAR_COPY_SIMILARITY,
    fingerprint,
    shingles,
    similarity,
    sketch,
    slogan_reasons,
)
from zhenggai.ledger.access import round_scope, visible_measures
from zhenggai.ledger.models import InspectionRound, Measure, MeasureSketch
from zhenggai.ledger.services import units_names

MAX_COPIES_SHOWN = 5
# Measures sharing a MinHash band that are compared in full, at most: the cost of one page stays
# bounded where many plans of a county share their wording (those are found as exact copies).
MAX_NEAR_CANDIDATES = 300
# The candidates of one measure compared in full, at most: those sharing the most bands with it
# (a near copy at 70 % shares about 3 of the 10 bands, an unrelated measure rarely more than 1).
MAX_NEAR_PER_MEASURE = 20
# A band found in more measures than this is no evidence of copying: it is wording that a great
# many plans share (a slogan, boilerplate), and those plans are exact copies or slogans anyway.
# Its band is skipped, so that one such measure does not make the page read thousands of rows.
MAX_BAND_MEASURES = 200


@dataclass(frozen=True)
class Copy:
    """The same measure in another plan."""

    measure_id: int
    problem_id: int
    round_title: str
    unit: str


@dataclass(frozen=True)
class NearCopy:
    """Much the same measure in another plan, with a few words changed."""

    copy: Copy
    percent: int  # how much of the two texts is the same (Jaccard of their two-character pieces)


@dataclass(frozen=True)
class MeasureQuality:
    slogan: tuple[str, ...] = ()
    copies: list[Copy] = field(default_factory=list)
    copies_total: int = 0
    near: list[NearCopy] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.slogan or self.copies_total or self.near)


@dataclass(frozen=True)
class _Wanted:
    """A measure whose near copies are looked for."""

    key: Any
    round_id: int | None  # its own round's measures are not copies of it
    pieces: frozenset[str]
    fingerprint: str  # word-for-word copies are told apart already
    bands: frozenset[str]  # its MinHash bands, those shared by too many measures left out


def _stored_bands(measure_ids: list[int]) -> dict[int, frozenset[str]]:
    """The stored MinHash bands of measures, without the crowded ones (see MAX_BAND_MEASURES), in
    one query: whether a band is crowded is asked of the band index alone, by looking for its
    (MAX_BAND_MEASURES + 1)th row, so that a band of 50,000 measures costs no more than one of 200."""
    # measure_id, not pk: PostgreSQL then reads the (band, measure) index alone, not the table.
    beyond_cap = MeasureSketch.objects.filter(band=OuterRef("band")).values("measure_id")[
        MAX_BAND_MEASURES : MAX_BAND_MEASURES + 1
    ]
    rows = (
        MeasureSketch.objects.filter(measure_id__in=measure_ids)
        .annotate(beyond_cap=Subquery(beyond_cap))
        .values_list("measure_id", "band", "beyond_cap")
    )
    bands: dict[int, set[str]] = {pk: set() for pk in measure_ids}
    for measure_id, band, crowded in rows:
        if crowded is None:
            bands[measure_id].add(band)
    return {pk: frozenset(found) for pk, found in bands.items()}


def _uncrowded(bands: set[str]) -> set[str]:
    """`bands` without those shared by more than MAX_BAND_MEASURES measures, in one query (for
    texts not stored yet, whose bands are in no row to start from: each band's rows are counted)."""
    if not bands:
        return set()
    crowded = (
        MeasureSketch.objects.filter(band__in=bands)
        .values("band")
        .annotate(n=Count("pk"))
        .filter(n__gt=MAX_BAND_MEASURES)
        .values_list("band", flat=True)
    )
    return bands - set(crowded)


def _near_copies(user, wanted: list[_Wanted]) -> dict[Any, list[NearCopy]]:
    """For each wanted measure, the measures the user may see in other rounds that share a MinHash
    band with it and most of its text, but are not word for word the same: two queries.

    The lookup starts from the band index, joined to the rounds the user may see: at most
    MAX_BAND_MEASURES rows a band, then the MAX_NEAR_PER_MEASURE candidates sharing the most bands
    with each wanted measure are compared in full."""
    all_bands = set().union(*(w.bands for w in wanted)) if wanted else set()
    if not all_bands:
        return {}
    visible_rounds = InspectionRound.objects.filter(round_scope(user)).values("pk")
    rows = MeasureSketch.objects.filter(band__in=all_bands, measure__round_id__in=visible_rounds)
    own_rounds = {w.round_id for w in wanted if w.round_id}
    if own_rounds:
        rows = rows.exclude(measure__round_id__in=own_rounds)
    prints = {w.fingerprint for w in wanted if w.fingerprint}
    if prints:
        rows = rows.exclude(measure__text_fingerprint__in=prints)
    hits: dict[int, set[str]] = {}
    for measure_id, band in rows.values_list("measure_id", "band"):
        hits.setdefault(measure_id, set()).add(band)
    chosen: set[int] = set()
    for w in wanted:
        shared = [(len(found & w.bands), pk) for pk, found in hits.items() if found & w.bands]
        chosen.update(pk for _n, pk in sorted(shared, key=lambda s: (-s[0], s[1]))[:MAX_NEAR_PER_MEASURE])
    if not chosen:
        return {}
    candidates = (
        Measure.objects.filter(pk__in=chosen)
        .order_by("-round__feedback_date", "pk")
        .values_list(
            "pk",
            "problem_id",
            "round_id",
            "round__title",
            "round__inspected_unit__name",
            "round__inspected_unit__short_name",
            "text",
        )[:MAX_NEAR_CANDIDATES]
    )
    compared = [
        (pk, round_id, Copy(pk, problem_id, title, unit), shingles(text, [n for n in (unit, short) if n]))
        for pk, problem_id, round_id, title, unit, short, text in candidates
    ]
    found: dict[Any, list[NearCopy]] = {}
    for w in wanted:
        near = []
        for pk, round_id, copy, pieces in compared:
            if round_id == w.round_id or not hits[pk] & w.bands:
                continue
            share = similarity(w.pieces, pieces)
            if share >= NEAR_COPY_SIMILARITY:
                near.append(NearCopy(copy, round(100 * share)))
        found[w.key] = sorted(near, key=lambda n: -n.percent)[:MAX_COPIES_SHOWN]
    return found


def _copies(user, prints: set[str], own_round: int | None) -> dict[str, tuple[int, list[Copy]]]:
    """For each fingerprint, how many measures the user may see have it (outside `own_round`), and
    the newest MAX_COPIES_SHOWN of them (newest round first), in two queries whatever their number.

    The database numbers the copies of each fingerprint (ROW_NUMBER) and counts them (COUNT OVER)
    from the (fingerprint, round) index and the rounds alone; only the first few of each come to
    Python, and only those are read in full."""
    if not prints:
        return {}
    copies = visible_measures(user).filter(text_fingerprint__in=prints)
    if own_round is not None:
        copies = copies.exclude(round_id=own_round)
    same_print = F("text_fingerprint")
    newest_first = [F("round__feedback_date").desc(), F("pk").asc()]
    ranked = (
        copies.order_by()  # not the model's order: it would join every copy's problem
        .annotate(
            rank=Window(RowNumber(), partition_by=same_print, order_by=newest_first),
            total=Window(Count("pk"), partition_by=same_print),
        )
        .filter(rank__lte=MAX_COPIES_SHOWN)
        .values_list("pk", "text_fingerprint", "total", "rank")
    )
    kept = {pk: (key, total, rank) for pk, key, total, rank in ranked}
    if not kept:
        return {}
    rows = Measure.objects.filter(pk__in=kept).values_list(
        "pk", "problem_id", "round__title", "round__inspected_unit__name"
    )
    same: dict[str, tuple[int, list[Copy]]] = {}
    for pk, problem_id, round_title, unit in sorted(rows, key=lambda row: kept[row[0]][2]):
        key, total, _rank = kept[pk]
        same.setdefault(key, (total, []))[1].append(Copy(pk, problem_id, round_title, unit))
    return same


def measures_quality(user, measures: list[Measure]) -> dict[int, MeasureQuality]:
    """For each measure, why it may be a slogan, and the same text, word for word or near, in the
    user's other rounds (not its own round): a fixed number of queries, each bounded whatever the
    number of copies (see `_copies` and `_near_copies`)."""
    same: dict[tuple[int, str], tuple[int, list[Copy]]] = {}
    for round_id in {m.round_id for m in measures}:
        prints = {m.text_fingerprint for m in measures if m.text_fingerprint and m.round_id == round_id}
        for key, found in _copies(user, prints, round_id).items():
            same[round_id, key] = found
    names = units_names({m.round_id for m in measures})
    bands = _stored_bands([m.pk for m in measures])
    near = _near_copies(
        user,
        [
            _Wanted(
                m.pk,
                m.round_id,
                shingles(m.text, names.get(m.round_id, [])),
                m.text_fingerprint,
                bands.get(m.pk, frozenset()),
            )
            for m in measures
        ],
    )
    result = {}
    for measure in measures:
        total, copies = same.get((measure.round_id, measure.text_fingerprint), (0, []))
        result[measure.pk] = MeasureQuality(
            slogan=slogan_reasons(measure.text),
            copies=copies,
            copies_total=total,
            near=near.get(measure.pk, []),
        )
    return result


@dataclass(frozen=True)
class PlanHint:
    """A measure of a plan being imported that reads like a slogan or copies one the user may see."""

    cite: str  # the item's numbering, e.g. 一、1.（2）
    number: int  # the measure's place under its item, from 1
    text: str
    slogan: tuple[str, ...]
    copies: list[Copy]
    near: list[NearCopy] = field(default_factory=list)


def _measures_of(nodes: list[dict[str, Any]], cite: str = "") -> Iterator[tuple[str, int, str]]:
    for node in nodes:
        here = cite + (node.get("label") or "")
        for number, measure in enumerate(node.get("measures") or [], start=1):
            yield here, number, measure.get("text") or ""
        yield from _measures_of(node.get("children") or [], here)


def plan_hints(user, ledger: dict[str, Any], unit_names: list[str]) -> list[PlanHint]:
    """The measures of a `zhenggai.ledger/1` plan worth a second look before it is saved.

    Copies are looked for, in one query, among the measures the user may see; `unit_names` are
    the inspected unit's own names, which a copy would have changed."""
    measures = [
        (cite, number, text, fingerprint(text, unit_names))
        for cite, number, text in _measures_of(ledger.get("sections") or [])
    ]
    found = _copies(user, {key for *_rest, key in measures if key}, None)
    pieces = [shingles(text, unit_names) for _c, _n, text, _k in measures]
    memo: dict[str, tuple[int, ...]] = {}  # one import's measures share most of their pieces
    sketches = [set(sketch(p, memo)) for p in pieces]
    usable = _uncrowded(set().union(*sketches)) if sketches else set()
    near = _near_copies(
        user,
        [
            _Wanted(index, None, pieces[index], key, frozenset(sketches[index] & usable))
            for index, (_c, _n, _text, key) in enumerate(measures)
        ],
    )
    hints = []
    for index, (cite, number, text, key) in enumerate(measures):
        slogan = slogan_reasons(text)
        copies = found[key][1] if key in found else []
        close = near.get(index, [])
        if slogan or copies or close:
            hints.append(
                PlanHint(cite=cite, number=number, text=text, slogan=slogan, copies=copies, near=close)
            )
    return hints
