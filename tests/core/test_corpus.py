"""The dev corpus: schema validity, the sample report's shape, the scorer's thresholds, round trips."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from _core_support import DEV, SAMPLES, SCHEMA, SCORER, gold_documents, needs_shared

from zhenggai.core.ledger import from_json, to_json, validate
from zhenggai.core.parse import parse_document, parse_path
from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes

pytestmark = needs_shared
SAMPLE = SAMPLES / "000_723fecc3ae9738e1.txt"
DOCUMENTS = [path for _, path in gold_documents()] if DEV.is_dir() else []
NODE_KEYS = ("label", "number", "level", "title", "problem", "status", "deadline", "long_term")
MEASURE_KEYS = ("text", "status", "deadline", "owner", "department")


def tree(nodes: list[dict]) -> list[dict]:
    """The parts of a tree a workbook carries: structure, statements, measures, statuses."""
    return [
        {
            **{key: node.get(key) for key in NODE_KEYS},
            "measures": [{key: m.get(key) for key in MEASURE_KEYS} for m in node["measures"]],
            "children": tree(node["children"]),
        }
        for node in nodes
    ]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_dev_document_validates_against_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    ledger = parse_path(path)
    jsonschema.Draft202012Validator(schema).validate(ledger)
    assert validate(ledger) == []
    assert from_json(to_json(ledger)) == ledger


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_dev_document_round_trips_through_the_workbook(path):
    ledger = parse_path(path)
    again = parse_document(ledger_xlsx_bytes(ledger), "roundtrip.xlsx")
    assert tree(again["sections"]) == tree(ledger["sections"])
    assert (again["title"], again["round"]) == (ledger["title"], ledger["round"])


@pytest.mark.parametrize(("gold", "path"), gold_documents(), ids=lambda x: getattr(x, "name", ""))
def test_headings_closing_and_noise_match_the_annotations(gold, path):
    ledger = parse_path(path)
    nodes = {}

    def walk(items, prefix=()):
        for node in items:
            nodes[(*prefix, node["number"])] = node
            walk(node["children"], (*prefix, node["number"]))

    walk(ledger["sections"])
    for heading in gold.get("headings", []):
        node = nodes[tuple(heading["path"])]
        assert node["title"].replace(" ", "") == heading["title"].replace(" ", "")
        assert node["problem"] is None and node["measures"] == []
    if "closing_prefix" in gold:
        assert (ledger["closing"] or "").startswith(gold["closing_prefix"])
    if "noise_lines" in gold:
        assert len(ledger["dropped"]) == gold["noise_lines"]


def test_the_sample_report_has_its_three_sections_eleven_items_and_twenty_two_problems():
    ledger = parse_path(SAMPLE)
    assert len(ledger["sections"]) == 3
    items = [item for section in ledger["sections"] for item in section["children"]]
    assert [item["number"] for item in items] == list(range(1, 12))
    problems = [child for item in items for child in (item["children"] or [item])]
    assert len(problems) == 22
    assert all(problem["measures"] for problem in problems)
    assert [len(p["measures"]) for p in problems][:3] == [5, 3, 1]
    dropped = "\n".join(ledger["dropped"])
    for mark in ("仅供学习", "QQ206157060", "酷乐文行", "会员"):
        assert mark in dropped
    texts = json.dumps(ledger["sections"], ensure_ascii=False)
    assert "QQ" not in texts and "会员" not in texts


def test_the_scorer_passes_every_document_with_margin():
    run = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            str(DEV),
            "--cmd",
            f"{sys.executable} -m zhenggai.cli parse {{file}} --format json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    overall = lines[-1]
    values = dict(re.findall(r"(finding F1|measures|status|deadline|fields) ([\d.]+)", overall))
    assert float(values["finding F1"]) >= 0.95
    assert float(values["measures"]) >= 0.9
    assert float(values["status"]) >= 0.9 and float(values["deadline"]) >= 0.9
    assert float(values["fields"]) >= 0.9
    assert "noise leaks 0" in overall and "parser failures 0" in overall
    for line in lines[:-1]:
        f1 = re.search(r" F1 ([\d.]+)", line)
        assert f1 and float(f1.group(1)) >= 0.95, line
