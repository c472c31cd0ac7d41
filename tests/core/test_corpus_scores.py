"""Issue #12's acceptance on the corpora, scored in-process with the project's scorer (_corpus):
the held-out fifth, the rest of the new corpus, and the dev corpus, each figure printed with its
margin against its target (``pytest -s`` shows them; a failure's message lists them and which
documents miss what).

Parser work leaves the held-out set alone with ``-k "not heldout"``.
"""

from __future__ import annotations

import pytest
from _core_support import SCORER
from _corpus import MEASURES, SCORER_COPY, DocScore, Figures, documents, score_document

# Issue #12's acceptance for the held-out fifth; the rest of the new corpus is held to the same.
ACCEPTANCE = {"finding F1": 0.95, "measures": 0.90, "status": 0.90, "deadline": 0.95, "fields": 0.90}
# What the held-out fifth reached (2026-12-03, fifth session; 11 documents): F1 0.970, measures
# 1.000, status 0.918, deadline 0.959 (0.939 before the grammar tests), fields 0.891. The seventh
# session grew it to a fifth again (26 documents: 15 real pages added blind, no parser run on them
# before they joined; the training part had grown to 99): F1 0.942 (P 0.891: findings read in pages
# that hold none), measures 1.000, status 0.918, deadline 0.959, fields 0.877 — short of the F1 and
# fields targets. The eighth session added 8 real pages blind (34 documents, beside 140 in
# training): F1 0.970 (P 0.942) once a numbered line that states no problem and carries no field
# reads as an account, measures 1.000, status 0.918, deadline 0.959, fields 0.876 (0.882 with the
# issuer read for 学校党委) — short of the fields target alone. Three more real pages joined it blind
# at the end of that session (37 documents): fields 0.870, the rest unchanged. The thirteenth session
# (2026-12-04) grew it with 33 documents set aside blind by order of acceptance (hx5–hx12 real pages,
# hw1–hw8 written reports; 70 documents beside 273 in training) and reached every target: F1 0.977
# (P 0.961, R 0.993), measures 0.946, status 0.919, deadline 0.953, fields 0.909. The fourteenth
# (2026-12-05), with rules found on the training part alone, read status 0.926 and deadline 0.960,
# the rest unchanged; the sixteenth status 0.933 (滞后, a progress report's category of work behind
# its schedule, read as in progress). It must not fall back below these; the targets themselves are
# asserted further down.
HELDOUT_REACHED = {
    "finding F1": 0.976,
    "measures": 0.945,
    "status": 0.932,
    "deadline": 0.959,
    "fields": 0.908,
}
# The rest of the new corpus (the training part) stood, with the ten complete reports of the genre
# branch (63 documents, 318 findings; 2026-12-03), at F1 0.994, measures 0.975, status 1.000,
# deadline 1.000, fields 0.997, then 1.000 with the target of a place reporting its own
# rectification (before it: 53 documents, F1 0.991, measures 0.965, status 1.000,
# deadline 1.000, fields 0.996). Its floors are the acceptance targets: corpora written elsewhere
# join it (ZHENGGAI_CORPUS), so a floor at what this one reached would not be theirs.
TARGETS = {"heldout": HELDOUT_REACHED, "corpus": ACCEPTANCE, "dev": dict.fromkeys(MEASURES, 0.98)}


def test_the_vendored_scorer_is_the_shared_one():
    if not SCORER.is_file():
        pytest.skip(f"the shared scorer is not at {SCORER}")
    assert SCORER_COPY.read_bytes() == SCORER.read_bytes(), (
        f"tests/data/score_parse.py differs from {SCORER}: copy the shared one again"
    )


def shortfalls(s: DocScore, *, texts: bool) -> str:
    """What a document misses, in words ("" when nothing). Without ``texts``, no gold text."""
    c, out = s.counts, []
    if s.failed:
        out.append(s.failed)
    if c["matched"] < c["gold_findings"]:
        misses = s.misses if texts else [miss.split(" ")[0] for miss in s.misses]
        out.append(f"{c['gold_findings'] - c['matched']} findings missed ({'; '.join(misses[:8])})")
    if c["pred_findings"] > c["matched"]:
        out.append(f"{c['pred_findings'] - c['matched']} findings too many")
    for key, n in (("measures_ok", "matched"), ("status_ok", "status_n"), ("deadline_ok", "deadline_n")):
        if c[key] < c[n]:
            out.append(f"{key.removesuffix('_ok')} {c[key]}/{c[n]}")
    if c["fields_ok"] < c["fields_n"]:
        out.append(f"fields {c['fields_ok']}/{c['fields_n']}")
    if c["noise_leaks"]:
        out.append(f"{c['noise_leaks']} noise leaks")
    return ", ".join(out)


def report(group: str, scores: list[DocScore], targets: dict[str, float]) -> tuple[list[str], list[str]]:
    """The printed figures with their margins, and the lines of what misses its target."""
    figures = Figures.of(scores)
    ratios = figures.ratios()
    lines = [f"{group}: {figures.line()}"]
    failing = []
    for measure, target in targets.items():
        value = ratios[measure]
        ok = value >= target
        lines.append(f"  {measure:10} {value:.3f}  target ≥ {target:.2f}  margin {value - target:+.3f}")
        if not ok:
            failing.append(f"{measure} {value:.3f} < {target:.2f}")
    lines.append(
        f"  noise leaks {figures.noise_leaks} (target 0), parser failures {figures.failures} (target 0)"
    )
    if figures.noise_leaks:
        failing.append(f"{figures.noise_leaks} noise leaks")
    if figures.failures:
        failing.append(f"{figures.failures} parser failures")
    for s in scores:
        missing = shortfalls(s, texts=group != "heldout")
        if missing:
            lines.append(f"  {s.name}: {missing}")
    return lines, failing


@pytest.mark.parametrize("group", ["heldout", "corpus", "dev"])
def test_the_corpus_reaches_its_targets(group):
    docs = documents(group)
    if not docs:
        pytest.skip(f"no {group} documents")
    scores = [score_document(doc) for doc in docs]
    lines, failing = report(group, scores, TARGETS[group])
    print("\n" + "\n".join(lines))
    if failing:
        pytest.fail(f"{group} misses its targets: {'; '.join(failing)}\n" + "\n".join(lines), pytrace=False)


def test_the_heldout_fifth_reaches_issue_12s_targets():
    """The issue's acceptance itself: the held-out fifth at or above every target of issue #12."""
    docs = documents("heldout")
    if not docs:
        pytest.skip("no heldout documents")
    lines, failing = report("heldout", [score_document(doc) for doc in docs], ACCEPTANCE)
    print("\n" + "\n".join(lines))
    assert not failing, "; ".join(failing)
