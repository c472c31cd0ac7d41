"""Reports printed in traditional characters (core.script): every dev document, turned into
traditional characters with OpenCC, reads as its simplified original does, its texts kept as printed."""

from __future__ import annotations

import pytest
from _core_support import DEV, gold_documents, needs_shared

from zhenggai.core import script
from zhenggai.core.parse import parse_document

opencc = pytest.importorskip("opencc")
S2T = opencc.OpenCC("s2t").convert
T2S = opencc.OpenCC("t2s").convert
TEXTS = [path for _, path in gold_documents() if path.suffix == ".txt"] if DEV.is_dir() else []
SHAPE_KEYS = ("number", "level", "status", "deadline", "long_term")


def _nodes(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from _nodes(node.get("children") or [])


def _shape(ledger: dict) -> list:
    return [
        (
            tuple(node.get(key) for key in SHAPE_KEYS),
            [(m.get("status"), m.get("deadline")) for m in node.get("measures") or []],
        )
        for node in _nodes(ledger["sections"])
    ]


@needs_shared
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_report_in_traditional_characters_reads_as_its_original(path):
    original = path.read_text(encoding="utf-8")
    printed = S2T(original)
    simple = parse_document(original.encode(), path.name)
    traditional = parse_document(printed.encode(), path.name)
    assert _shape(traditional) == _shape(simple)
    assert traditional["round"]["kind"] == simple["round"]["kind"]  # an enumeration: not converted
    assert script.WARNING in traditional["warnings"] and script.WARNING not in simple["warnings"]
    for before, after in zip(_nodes(simple["sections"]), _nodes(traditional["sections"]), strict=True):
        for key in ("title", "problem"):
            if before.get(key):
                assert after[key] in printed.replace("\r", "") or after[key] == S2T(before[key]), key
                assert T2S(after[key]) == T2S(before[key])
        for m_before, m_after in zip(before["measures"], after["measures"], strict=True):
            assert T2S(m_after["text"]) == T2S(m_before["text"])


def test_a_simplified_report_is_read_as_it_is():
    text = (
        "关于巡察整改情况的报告\n一、党的建设方面\n1.会议记录不规范。\n整改措施：建立会议记录当场签字制度。"
    )
    assert not script.looks_traditional(text)
    assert script.simplified(text.splitlines())[1] is None


def test_without_opencc_a_traditional_report_is_read_as_printed_with_a_warning(monkeypatch):
    monkeypatch.setattr(script, "_t2s", lambda: None)
    text = "關於巡察整改情況的報告\n一、黨的建設方面\n1.會議記錄不規範，問題責任不明確。\n整改措施：建立會議記錄當場簽字制度，發現問題當場糾正。"
    ledger = parse_document(text.encode(), "報告.txt")
    assert script.NO_OPENCC in ledger["warnings"]


def test_the_way_back_to_the_printed_marks_turns_each_character_once():
    """_WayBack.printed: str.replace of the marks a text holds gives what str.translate gives; where
    a printed form is itself a read character (， printed ",", "," printed ";"), every character
    is still turned once, not twice."""
    way = script._WayBack({"，": ",", "（": "(", "）": ")"}, frozenset())
    assert way.printed("整改（一），完成") == "整改(一),完成"
    assert way.touches("整改，完成") and not way.touches("整改完成")
    chained = script._WayBack({"，": ",", ",": ";"}, frozenset())
    assert chained.printed("，,") == ",;"


def test_a_text_in_traditional_characters_assembled_by_the_parser_is_turned_back_by_character():
    """A text found in the view is taken from the printed text at its place; one found nowhere (a
    title joined from two lines, a field and its value) is turned back character by character,
    each as the document mostly prints it where it reads it so."""
    lines = ["關於巡察反饋問題", "整改情況的報告", "問題一：會議記錄不規範", "幹部群眾反映問題"]
    printed = script.Printed(
        lines, ["关于巡察反馈问题", "整改情况的报告", "问题一：会议记录不规范", "干部群众反映问题"]
    )
    assert printed.text("整改情况的报告") == "整改情況的報告"
    assert printed.text("关于巡察反馈问题整改情况的报告") == "關於巡察反饋問題整改情況的報告"
    assert printed.text("会议记录：群众") == "會議記錄：群眾"


def test_a_document_that_mixes_two_forms_of_a_mark_gets_each_back_where_it_stands():
    lines = ["整改措施：一是加强学习,二是建立制度。", "完成时限：2024年底，长期坚持"]
    view, printed, _ = script.simplified(lines)
    assert view[0] == "整改措施：一是加强学习，二是建立制度。"
    assert printed is not None
    assert printed.text(view[0]) == lines[0] and printed.text(view[1]) == lines[1]
