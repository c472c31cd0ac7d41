"""Copying slips that real files carry (issue #12): a numbered line printed twice in a row reads as
one item; a full stop typed as "." or as the full-width "．" (GB/T 15834's full stop of scientific
writing) reads as "。", the text kept as printed. Mutated copies of every
dev text document, each against the document's own reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from _core_support import DEV, gold_documents, needs_shared

from zhenggai.core import script
from zhenggai.core.layout import wrap_width
from zhenggai.core.noise import remove_noise
from zhenggai.core.numbering import parse_label
from zhenggai.core.parse import parse_document

TEXTS = [path for _, path in gold_documents() if path.suffix == ".txt"] if DEV.is_dir() else []


def _shape(nodes: list[dict]) -> list:
    return [
        (
            node.get("number"),
            node.get("title"),
            node.get("status"),
            [m["text"] for m in node["measures"]],
            _shape(node["children"]),
        )
        for node in nodes
    ]


@needs_shared
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_numbered_line_printed_twice_reads_once(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [i for i, line in enumerate(lines) if len(line.strip()) >= 8 and parse_label(line.strip())]
    if not numbered:
        pytest.skip("no numbered line")
    original = parse_document("\n".join(lines).encode(), path.name)
    for i in {numbered[0], numbered[len(numbered) // 2], numbered[-1]}:
        copy = [*lines[: i + 1], lines[i], *lines[i + 1 :]]
        read = parse_document("\n".join(copy).encode(), path.name)
        assert _shape(read["sections"]) == _shape(original["sections"]), (i, lines[i])
        assert lines[i].strip() in read["dropped"]


def test_only_a_numbered_line_that_follows_itself_is_dropped():
    lines = [
        "一、党的建设方面",
        "1.会议记录不规范，存在会后补记。",
        "1.会议记录不规范，存在会后补记。",
        "加强学习。",
        "加强学习。",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.lines == [
        "一、党的建设方面",
        "1.会议记录不规范，存在会后补记。",
        "加强学习。",
        "加强学习。",
    ]
    assert cleaned.dropped == ["1.会议记录不规范，存在会后补记。"]


def _as_read(nodes: list[dict], dot: str = ".") -> list:
    """The tree with every ``dot`` read as "。" (to compare a copy typed with dots with its original)."""
    return [
        (
            node.get("number"),
            (node.get("title") or "").replace(dot, "。"),
            node.get("status"),
            [m["text"].replace(dot, "。") for m in node["measures"]],
            _as_read(node["children"], dot),
        )
        for node in nodes
    ]


def _texts(nodes: list[dict]):
    for node in nodes:
        yield node.get("title") or ""
        yield from (m["text"] for m in node["measures"])
        yield from _texts(node["children"])


@needs_shared
@pytest.mark.parametrize(("dot", "warning"), [(".", script.DOT_WARNING), ("．", script.WIDE_DOT_WARNING)])
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_full_stop_typed_as_a_dot_reads_as_one_and_stays_as_printed(path, dot, warning):
    text = path.read_text(encoding="utf-8")
    original = parse_document(text.encode(), path.name)
    assert warning not in original["warnings"]  # a document typed with 。 is read as it is
    dotted = parse_document(text.replace("。", dot).encode(), path.name)
    assert _as_read(dotted["sections"], dot) == _as_read(original["sections"], dot)
    assert not any("。" in t for t in _texts(dotted["sections"]))  # as printed: with dots
    if any("。" in t for t in _texts(original["sections"])):
        assert warning in dotted["warnings"][-1]


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _deadlines(nodes: list[dict]) -> list:
    return [(node.get("deadline"), node.get("status"), _deadlines(node["children"])) for node in nodes]


# (the project's corpus beside the dev one: its reports print more of their dates in the forms
# the deadline and date patterns read)
OWN_TEXTS = sorted((Path(__file__).parents[1] / "data" / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS + OWN_TEXTS, ids=lambda p: p.name)
def test_digits_typed_full_width_read_as_digits_and_stay_as_printed(path):
    """２０２４年１２月底前 (a Word document typed in full-width mode): the same items, statuses and
    deadlines as the document typed with ASCII digits, each text printed as the copy prints it."""
    text = path.read_text(encoding="utf-8")
    if wrap_width(text.split("\n")) is not None:
        pytest.skip("hard-wrapped with ASCII digits: wider digits would run its lines past the width")
    original = parse_document(text.encode(), path.name)
    wide = parse_document(text.translate(_WIDE).encode(), path.name)
    assert _deadlines(wide["sections"]) == _deadlines(original["sections"])
    assert [t.translate(_WIDE) for t in _texts(original["sections"])] == list(_texts(wide["sections"]))
    printed = {
        k: v.translate(_WIDE) if isinstance(v, str) and k != "feedback_date" else v
        for k, v in original["round"].items()
    }
    assert wide["round"] == printed  # (a date is data, in ASCII digits)
