"""Items of rectification reports, one at a time, each inside a minimal report shell: the measures,
status, deadline and long-term flag the parser reads against a careful reader's annotation.

The items are in ``tests/data/items/real-items.jsonl``: each names the published report it comes from
(``source``) and whether it is that report's item abridged (``abridged``) or an item written on the
status and deadline phrasing that report uses (``modelled``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from zhenggai.core.parse import parse_document

ITEMS = Path(__file__).resolve().parents[1] / "data" / "items" / "real-items.jsonl"
# Findings annotated for their deadline only (``real`` abridged from a stored page, ``modelled`` on the
# phrasing of the page named), and the fifth of them set aside before the parser read any.
DEADLINE_ITEMS = ITEMS.with_name("real-deadlines.jsonl")
HELDOUT_DEADLINE_ITEMS = ITEMS.with_name("heldout-deadlines.jsonl")
SHELL_TITLE = "关于巡察反馈意见整改情况的通报\n"
SHELL_HEADING = "二、反馈问题整改落实情况\n"
# An item numbered at the top level (一、) needs no section heading above it.
_TOP_LEVEL = re.compile(r"^[一二三四五六七八九十]{1,3}、")
FIELDS = ("measures", "status", "deadline", "long_term")
# Floors: set at what the parser reaches on these items, below the targets of issue #12 where it does not
# reach them yet (status 0.90, deadline 0.95, measures 0.90).
FLOORS = {"measures": 0.90, "status": 0.90, "deadline": 0.95, "long_term": 0.90}


def load_items(path: Path = ITEMS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def first_finding(nodes: list[dict]) -> dict | None:
    """The first node that states a problem, depth first."""
    for node in nodes:
        if node.get("problem") is not None:
            return node
        found = first_finding(node.get("children", []))
        if found:
            return found
    return None


def read_item(text: str, report_year: int | None = None) -> dict:
    # A report that states its year does so in a dated subtitle: ——2024年10月25日在县人大常委会会议上
    dated = f"——{report_year}年10月25日在县人大常委会会议上\n" if report_year else ""
    shell = SHELL_TITLE + dated + ("" if _TOP_LEVEL.match(text) else SHELL_HEADING) + text + "\n"
    ledger = parse_document(shell.encode("utf-8"), "item.txt")
    node = first_finding(ledger["sections"]) or {}
    return {
        "measures": len(node.get("measures", [])),
        "status": node.get("status"),
        "deadline": node.get("deadline"),
        "long_term": bool(node.get("long_term")),
    }


def score(items: list[dict]) -> tuple[dict[str, float], dict[str, list[str]]]:
    hits = dict.fromkeys(FIELDS, 0)
    misses: dict[str, list[str]] = {field: [] for field in FIELDS}
    for index, item in enumerate(items):
        got = read_item(item["text"])
        for field in FIELDS:
            if got[field] == item["expected"][field]:
                hits[field] += 1
            else:
                first = item["text"].splitlines()[0][:30]
                misses[field].append(f"#{index} {first}: {got[field]!r} ≠ {item['expected'][field]!r}")
    return {field: hits[field] / len(items) for field in FIELDS}, misses


def test_items_are_annotated_in_the_format():
    for item in load_items():
        assert item["source"].startswith(("http", "code:"))
        assert item["kind"] in ("abridged", "abridged-traditional", "modelled")
        assert set(item["expected"]) == set(FIELDS)
        assert item["expected"]["status"] in ("done", "in_progress", "not_started", None)
        deadline = item["expected"]["deadline"]
        assert deadline is None or re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", deadline)


def test_items_read_at_the_floors(capsys):
    accuracy, misses = score(load_items())
    with capsys.disabled():
        for field in FIELDS:
            print(f"\n{field}: {accuracy[field]:.3f} (floor {FLOORS[field]:.2f})", *misses[field], sep="\n  ")
    for field in FIELDS:
        assert accuracy[field] >= FLOORS[field], (field, misses[field])


# Floors for the deadline items: the training file is read in full; the held-out floor was set once,
# from the single aggregate figure printed after the rules were written.
DEADLINE_FLOOR = 0.95
HELDOUT_DEADLINE_FLOOR = 0.92  # the one aggregate read: 1.000 (14 of 14); one miss allowed


def deadline_accuracy(items: list[dict]) -> tuple[float, list[str]]:
    misses = []
    for index, item in enumerate(items):
        got = read_item(item["text"], item.get("report_year"))["deadline"]
        if got != item["expected"]["deadline"]:
            misses.append(f"#{index} {item['pattern']}: {got!r} ≠ {item['expected']['deadline']!r}")
    return 1 - len(misses) / len(items), misses


def test_deadline_items_are_annotated_in_the_format():
    for path in (DEADLINE_ITEMS, HELDOUT_DEADLINE_ITEMS):
        for item in load_items(path):
            assert item["source"].startswith("http")
            assert item["kind"] in ("real", "modelled")
            assert item["pattern"]
            deadline = item["expected"]["deadline"]
            assert deadline is None or re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", deadline)


def test_deadline_items_read_at_the_floor(capsys):
    accuracy, misses = deadline_accuracy(load_items(DEADLINE_ITEMS))
    with capsys.disabled():
        print(f"\ndeadline items: {accuracy:.3f} (floor {DEADLINE_FLOOR:.2f})", *misses, sep="\n  ")
    assert accuracy >= DEADLINE_FLOOR, misses


def test_heldout_deadline_items_aggregate(capsys):
    """The held-out deadline items: only the aggregate is printed, never which item was missed."""
    accuracy, _ = deadline_accuracy(load_items(HELDOUT_DEADLINE_ITEMS))
    with capsys.disabled():
        print(f"\nheld-out deadline items: {accuracy:.3f} (floor {HELDOUT_DEADLINE_FLOOR:.2f})")
    assert accuracy >= HELDOUT_DEADLINE_FLOOR
