"""How far a second, blind annotation of the round fields agrees with the gold, beside how far the
parser does (tests/data/agreement/README.md): what issue #12's fields target of 0.90 means.

The figures are printed (``pytest -s``); the test holds the parser to no less than the second
annotator's agreement less 0.03 on the held-out fifth, which it reaches (0.870 against 0.892)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus import CORPUS, scorer

from zhenggai.core.parse import parse_document

AGREEMENT = Path(__file__).resolve().parents[1] / "data" / "agreement"
FIELDS = ("title", "kind", "inspector", "target", "feedback_date")


def _value(record: dict, field: str):
    return record.get("title") if field == "title" else (record.get("round") or {}).get(field)


def _golds(folder: Path) -> dict[str, dict]:
    golds = (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.gold.json"))
    return {gold["source"]: gold for gold in golds}


def agreement(group: str) -> dict[str, tuple[int, int, int]]:
    """field → (second annotator agreeing with the gold, parser agreeing with the gold, fields)."""
    folder = CORPUS / "heldout" if group == "heldout" else CORPUS
    golds, same = _golds(folder), scorer().same_field
    second = json.loads((AGREEMENT / "second-annotation.json").read_text(encoding="utf-8"))[group]
    out = {field: [0, 0, 0] for field in FIELDS}
    for record in second:
        gold = golds[record["source"]]
        pred = parse_document((folder / record["source"]).read_bytes(), record["source"])
        keys = (["title"] if "title" in gold else []) + list(gold.get("round") or {})
        for field in keys:
            wanted = _value(gold, field)
            out[field][0] += same(_value(record, field), wanted)
            out[field][1] += same(_value(pred, field), wanted)
            out[field][2] += 1
    return {field: (a, p, n) for field, (a, p, n) in out.items()}


def test_the_second_annotation_is_well_formed_and_names_corpus_documents():
    second = json.loads((AGREEMENT / "second-annotation.json").read_text(encoding="utf-8"))
    for group, folder in (("heldout", CORPUS / "heldout"), ("training", CORPUS)):
        golds = _golds(folder)
        assert second[group], group
        for record in second[group]:
            assert record["source"] in golds, (group, record["source"])
            assert set(record["round"]) <= set(FIELDS[1:]), record["source"]
    decisions = json.loads((AGREEMENT / "adjudication.json").read_text(encoding="utf-8"))
    assert {d["sided_with"] for d in decisions} <= {"gold", "second", "neither"}


@pytest.mark.parametrize("group", ["heldout", "training"])
def test_the_parser_reads_round_fields_about_as_well_as_a_second_annotator(group):
    figures = agreement(group)
    total = [sum(f[i] for f in figures.values()) for i in range(3)]
    lines = [
        f"{field:14} second annotator {a}/{n}, parser {p}/{n}" for field, (a, p, n) in figures.items() if n
    ]
    second, parser = total[0] / total[2], total[1] / total[2]
    print(
        f"\n{group}: second annotator {second:.3f}, parser {parser:.3f} of {total[2]} fields\n"
        + "\n".join(lines)
    )
    assert parser >= second - 0.03, (
        f"{group}: the parser {parser:.3f} below the second annotator {second:.3f} - 0.03"
    )
