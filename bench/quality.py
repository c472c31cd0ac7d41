"""Quality signals: how well they tell, and what copy detection costs at a province's scale (issue #15).

Run as ``.venv/bin/python bench/quality.py [--sizes 100000,200000,400000] [--seed 15]``.

1. **The labelled set** (tests/data/quality, built from real report text; see its README): the
   precision and recall of every signal, flagged = positive. Targets: slogans and copies at
   precision ≥ 0.85 and recall ≥ 0.7.
2. **Copy detection over N measures** for each size: synthetic measures from bench/province.py's
   TextMaker (N / 120 units of 120 measures, 3 % copied word for word from an earlier unit with
   the unit's name swapped, 3 % near copies with a few characters changed), put through the
   project's own machinery, as the services and the signals do it:

   * ``fingerprint``: core.quality.fingerprint of each text, the unit's names left out;
   * ``sketch``: its two-character pieces and their MinHash bands (core.quality.sketch, the
     piece hashes shared through one memo as an import does);
   * ``candidates``: the band index, a band held by more than ledger.quality.MAX_BAND_MEASURES
     measures skipped (boilerplate); each measure's candidates are the MAX_NEAR_PER_MEASURE
     measures of other units sharing most bands with it, not already word-for-word copies (as
     ledger.quality chooses them for a page);
   * ``verify``: each candidate compared in full (core.quality.similarity ≥ NEAR_COPY_SIMILARITY).

   Printed per size: the time of each stage, the total, the growth factor against the previous
   size (near-linear: about 2.0 for each doubling), the copies found, and how many of the copies
   the generator made were found (recall on the synthetic copies). Target: ≤ 5 minutes at 400,000.

3. **Repeat detection over the same N texts** (``zhenggai.core.repeats.match_repeats``), unit by
   unit as the import and the ``match_repeats`` command run it: each unit's texts split into an
   earlier round and a later one. Other detectors are timed beside these by adding a function to
   ``DETECTORS`` (given the texts, the names of each unit and the unit of each text; returns a
   ``Result``: its figures, and the texts it flagged).

Exit status 1 when a target does not hold and ``--strict`` is given.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "data" / "quality"))

from zhenggai.core.quality import (  # noqa: E402
    NEAR_COPY_SIMILARITY,
    SKETCH_BANDS,
    fingerprint,
    shingles,
    similarity,
    sketch,
)

PER_UNIT = 120
# As ledger.quality (not imported: that module needs Django set up).
MAX_BAND_MEASURES = 200
MAX_NEAR_PER_MEASURE = 20
LIMIT_SECONDS = 300
TARGETS = {"slogan": (0.85, 0.7), "copy": (0.85, 0.7)}


def labelled_set() -> bool:
    from score import score_all

    ok = True
    print(f"{'signal':<26}{'cases':>7}{'gold yes':>10}{'precision':>11}{'recall':>8}  target")
    for s in score_all():
        target = TARGETS.get(s.signal)
        held = target is None or (s.precision >= target[0] and s.recall >= target[1])
        ok &= held
        note = f"P≥{target[0]} R≥{target[1]} {'ok' if held else 'MISSED'}" if target else ""
        print(
            f"{s.signal:<26}{s.cases:>7}{s.positives:>10}{s.precision:>11.3f}{s.recall:>8.3f}  {note}".rstrip()
        )
    return ok


def synthetic(n: int, seed: int) -> tuple[list[str], list[list[str]], array, list[str]]:
    """N measure texts, the names of each unit, the unit of each text and what each text is."""
    from province import measure_texts

    units = [
        (f"清河县第{u + 1}社区居民委员会", f"第{u + 1}社区") for u in range((n + PER_UNIT - 1) // PER_UNIT)
    ]
    texts, kinds = measure_texts(random.Random(seed), datetime.date(2026, 6, 30), units, PER_UNIT)
    unit_of = array("i", (i // PER_UNIT for i in range(len(texts))))
    names = [list(u) for u in units]
    return texts[:n], names, unit_of[:n], kinds[:n]


@dataclass
class Result:
    figures: dict[str, float | int]  # seconds (float) and counts (int); "total" in seconds
    flagged: set[int] = field(default_factory=set)  # the texts found (to score the generator's copies)


def detect_copies(texts: list[str], names: list[list[str]], unit_of: array) -> Result:
    """Exact and near copies across units, timed stage by stage (see the module's docstring)."""
    n = len(texts)
    timings: dict[str, float | int] = {}
    start = time.perf_counter()
    prints = [fingerprint(text, names[unit_of[i]]) for i, text in enumerate(texts)]
    timings["fingerprint"] = time.perf_counter() - start

    # The pieces of each text are kept as small integer ids (a frozenset of strings for each of
    # 400,000 texts would not fit in memory): the Jaccard of the ids is that of the pieces.
    start = time.perf_counter()
    memo: dict[str, tuple[int, ...]] = {}
    piece_ids: dict[str, int] = {}
    pieces: list[array] = []
    bands = array("q")  # SKETCH_BANDS keys a text, as 64-bit ints (0: too short to match)
    for i, text in enumerate(texts):
        own = shingles(text, names[unit_of[i]])
        pieces.append(array("I", [piece_ids.setdefault(p, len(piece_ids)) for p in own]))
        keys = sketch(own, memo)
        bands.extend([hash(k) or 1 for k in keys] if keys else [0] * SKETCH_BANDS)
    timings["sketch"] = time.perf_counter() - start

    start = time.perf_counter()
    exact: dict[str, list[int]] = {}
    for i, key in enumerate(prints):
        if key:
            exact.setdefault(key, []).append(i)
    copied: set[int] = set()
    for group in exact.values():
        if len({unit_of[i] for i in group}) > 1:
            copied.update(group)
    # The band index, band by band: only the keys held by 2 to MAX_BAND_MEASURES texts are kept.
    index: list[dict[int, list[int]]] = []
    for band in range(SKETCH_BANDS):
        column = bands[band::SKETCH_BANDS]
        sizes = Counter(column)
        kept = {key for key, size in sizes.items() if key and 2 <= size <= MAX_BAND_MEASURES}
        del sizes
        buckets: dict[int, list[int]] = {}
        for i, key in enumerate(column):
            if key in kept:
                buckets.setdefault(key, []).append(i)
        index.append(buckets)
    # Each text's candidates: the MAX_NEAR_PER_MEASURE texts sharing most bands with it (as
    # ledger.quality chooses them), of another unit and not word for word the same.
    chosen = array("i")  # the candidates of every text, one after the other
    ends = array("q")  # where each text's candidates end in `chosen`
    for i in range(n):
        lists = [index[b].get(bands[i * SKETCH_BANDS + b], ()) for b in range(SKETCH_BANDS)]
        shared = Counter(chain.from_iterable(lists))
        mine = [
            j
            for j, _count in shared.most_common()
            if unit_of[j] != unit_of[i] and (not prints[i] or prints[j] != prints[i])
        ][:MAX_NEAR_PER_MEASURE]
        chosen.extend(mine)
        ends.append(len(chosen))
    del index
    timings["candidates"] = time.perf_counter() - start

    start = time.perf_counter()
    near: set[int] = set()
    for i in range(n):
        own = frozenset(pieces[i])
        for j in chosen[ends[i - 1] if i else 0 : ends[i]]:
            if j in near and i in near:
                continue
            if similarity(own, frozenset(pieces[j])) >= NEAR_COPY_SIMILARITY:
                near.update((i, j))
    timings["verify"] = time.perf_counter() - start
    timings["total"] = timings["fingerprint"] + timings["sketch"] + timings["candidates"] + timings["verify"]
    timings["exact copies"] = len(copied)
    timings["candidates compared"] = len(chosen)
    timings["near copies"] = len(near - copied)
    return Result(timings, copied | near)


REPEAT_CATEGORIES = ("politics", "decisions", "responsibility", "conduct", "organisation", "finance")


def detect_repeats(texts: list[str], names: list[list[str]], unit_of: array) -> Result:
    """Repeated findings across rounds (zhenggai.core.repeats.match_repeats), as the import and the
    ``match_repeats`` command run it: unit by unit, each unit's texts split into an earlier round
    (the first half) and a later one, one piece memo shared by all the calls. The texts stand for
    problem statements; the categories are spread over six top-level codes."""
    from zhenggai.core.repeats import match_repeats

    start = time.perf_counter()
    by_unit: dict[int, list[int]] = {}
    for i in range(len(texts)):
        by_unit.setdefault(unit_of[i], []).append(i)
    memo: dict[str, tuple[int, ...]] = {}
    found: set[int] = set()
    pairs = 0
    for unit, rows in by_unit.items():
        half = len(rows) // 2
        items = [(i, REPEAT_CATEGORIES[i % len(REPEAT_CATEGORIES)], texts[i]) for i in rows]
        repeats = match_repeats(items[:half], items[half:], names[unit], memo)
        pairs += len(repeats)
        found.update(r.new_id for r in repeats)
    total = time.perf_counter() - start
    return Result({"match": total, "total": total, "repeat pairs": pairs, "repeated": len(found)})


# name -> detector over the same texts.
DETECTORS: dict[str, Callable[[list[str], list[list[str]], array], Result]] = {
    "copies": detect_copies,
    "repeats": detect_repeats,
}


def scale(sizes: list[int], seed: int) -> bool:
    ok = True
    previous: dict[str, float] = {}
    for n in sizes:
        start = time.perf_counter()
        texts, names, unit_of, kinds = synthetic(n, seed)
        made = time.perf_counter() - start
        for name, detect in DETECTORS.items():
            result = detect(texts, names, unit_of)
            figures = result.figures
            total = float(figures["total"])
            growth = f"×{total / previous[name]:.2f}" if name in previous else "—"
            previous[name] = total
            stages = "  ".join(
                f"{k} {v:.1f}s" for k, v in figures.items() if isinstance(v, float) and k != "total"
            )
            counts = "  ".join(f"{k} {v}" for k, v in figures.items() if isinstance(v, int))
            line = (
                f"{name:<8}{n:>9,} measures  total {total:7.1f}s  growth {growth:<6}  {stages}  |  {counts}"
            )
            if name == "copies":
                flagged = result.flagged
                made_copies = [i for i, kind in enumerate(kinds) if kind in ("copy", "near")]
                found = sum(1 for i in made_copies if i in flagged)
                line += f"  |  generated copies found {found}/{len(made_copies)}"
            print(line + f"  (texts made in {made:.1f}s)", flush=True)
            if n >= 400_000 and total > LIMIT_SECONDS:
                ok = False
                print(f"  MISSED: over {LIMIT_SECONDS} s at {n:,} measures")
        del texts, names, unit_of, kinds
        gc.collect()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,200000,400000", help="comma-separated numbers of measures")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-scale", action="store_true", help="the labelled set only")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target does not hold")
    args = parser.parse_args(argv)
    print("== Quality signals on the labelled set (tests/data/quality) ==")
    ok = labelled_set()
    if not args.no_scale:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        print(f"\n== Copy detection over {', '.join(f'{s:,}' for s in sizes)} measures ==")
        ok &= scale(sizes, args.seed)
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
