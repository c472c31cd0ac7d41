"""Corrections to a parsed tree, on plain ledger dicts (no database)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.imports import tree_edit
from zhenggai.imports.tree_edit import TreeEditError


def node(label, title, problem=None, children=(), measures=()):
    return {
        "label": label,
        "number": 1,
        "level": 1,
        "title": title,
        "problem": problem,
        "measures": [{"text": m} for m in measures],
        "children": list(children),
    }


@pytest.fixture
def ledger():
    return {
        "schema": "zhenggai.ledger/1",
        "sections": [
            node(
                "一、",
                "党的领导方面",
                children=[
                    node("1.", "学习不深入。", "学习不深入，走过场。", measures=["制定学习计划"]),
                    node(
                        "2.",
                        "记录补造。",
                        "会议记录会后补造。\n\n回执由工作人员代填。",
                        measures=["当场签字"],
                    ),
                ],
            ),
            node("二、", "作风方面", children=[node("3.", "迟到早退。", "迟到早退。")]),
        ],
    }


def titles(ledger):
    return [(n["label"], n["title"], n["level"]) for n in _walk(ledger["sections"])]


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.get("children") or [])


def test_edit_relabels_and_rewrites(ledger):
    tree_edit.edit(
        ledger, (0, 0), label="（1）", title="学习浮于表面。", measures=["制定学习计划", "", "每月检查"]
    )
    changed = ledger["sections"][0]["children"][0]
    assert (changed["label"], changed["number"], changed["title"]) == ("（1）", 1, "学习浮于表面。")
    assert [m["text"] for m in changed["measures"]] == ["制定学习计划", "每月检查"]


def test_move_up_and_down(ledger):
    assert tree_edit.move(ledger, (0, 1), -1) == (0, 0)
    assert ledger["sections"][0]["children"][0]["title"] == "记录补造。"
    with pytest.raises(TreeEditError):
        tree_edit.move(ledger, (0, 0), -1)


def test_indent_and_outdent_keep_levels(ledger):
    assert tree_edit.indent(ledger, (1,)) == (0, 2)
    assert titles(ledger)[-2:] == [("二、", "作风方面", 2), ("3.", "迟到早退。", 3)]
    assert tree_edit.outdent(ledger, (0, 2)) == (1,)
    assert titles(ledger)[-1] == ("3.", "迟到早退。", 2)


def test_merge_with_next_joins_text_measures_and_children(ledger):
    tree_edit.merge_with_next(ledger, (0, 0))
    merged = ledger["sections"][0]["children"]
    assert len(merged) == 1
    assert "2.记录补造。" in merged[0]["problem"]
    assert [m["text"] for m in merged[0]["measures"]] == ["制定学习计划", "当场签字"]


def test_split_at_a_blank_line(ledger):
    assert tree_edit.split(ledger, (0, 1)) == (0, 2)
    first, second = ledger["sections"][0]["children"][1:]
    assert first["problem"] == "会议记录会后补造。"
    assert second["problem"] == "回执由工作人员代填。" and second["label"] == "3."
    with pytest.raises(TreeEditError, match="空行"):
        tree_edit.split(ledger, (0, 0))


def test_delete_and_bad_paths(ledger):
    tree_edit.delete(ledger, (1,))
    assert len(ledger["sections"]) == 1
    for bad in ["", "a", "9", "0.9", "-1"]:
        with pytest.raises(TreeEditError):
            tree_edit.delete(ledger, tree_edit.parse_path(bad))


def test_counts(ledger):
    assert tree_edit.counts(ledger) == {"nodes": 5, "problems": 3, "measures": 2}


OPS = st.sampled_from(["up", "down", "indent", "outdent", "merge", "split", "delete"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(OPS, st.lists(st.integers(0, 3), min_size=1, max_size=3)), max_size=25))
def test_any_sequence_of_corrections_keeps_a_well_formed_tree(ops):
    base = {
        "sections": [
            node("一、", "甲", children=[node("1.", "子一", "问题一\n\n问题二"), node("2.", "子二", "问题")]),
            node("二、", "乙", children=[node("3.", "子三", "问题三")]),
        ]
    }
    ledger = copy.deepcopy(base)
    tree_edit.relevel(ledger)
    for op, path in ops:
        try:
            {
                "up": lambda p: tree_edit.move(ledger, p, -1),
                "down": lambda p: tree_edit.move(ledger, p, 1),
                "indent": lambda p: tree_edit.indent(ledger, p),
                "outdent": lambda p: tree_edit.outdent(ledger, p),
                "merge": lambda p: tree_edit.merge_with_next(ledger, p),
                "split": lambda p: tree_edit.split(ledger, p),
                "delete": lambda p: tree_edit.delete(ledger, p),
            }[op](tuple(path))
        except TreeEditError:
            pass
        _assert_levels(ledger["sections"], 1)


def _assert_levels(nodes, level):
    for n in nodes:
        assert n["level"] == level
        assert isinstance(n.get("children", []), list)
        _assert_levels(n.get("children") or [], level + 1)
