"""Reports in traditional characters (core.script with OpenCC): the genre's words (整改情況, 完成情況,
巡視, 審計) are recognised and the round's fields come through, printed as in the document."""

from __future__ import annotations

import pytest
from _core_support import DEV, gold_documents, needs_shared

from zhenggai.core.parse import parse_document

opencc = pytest.importorskip("opencc")
S2T = opencc.OpenCC("s2t").convert
T2S = opencc.OpenCC("t2s").convert
TEXTS = [path for _, path in gold_documents() if path.suffix == ".txt"] if DEV.is_dir() else []

REPORT = """關於省委巡視反饋意見整改情況的通報
根據省委統一部署，2024年3月4日至5月10日，省委第二巡視組對市審計局黨組開展了常規巡視。2024年7月2日，省委第二巡視組向市審計局黨組反饋了巡視意見。現將整改情況予以公佈。
一、巡視反饋問題整改情況
1.審計發現問題整改跟蹤不到位，部分問題長期未銷號。
整改情況：一是建立審計整改臺賬，實行對賬銷號；二是每季度開展整改情況覈查。
完成情況：已完成
2.財務管理不規範，部分支出憑證不完整。
整改措施：一是修訂財務報銷制度；二是開展憑證專項檢查。
完成時限：2025年6月底前
完成情況：正在推進
"""


def test_the_genres_words_in_traditional_characters_are_recognised():
    ledger = parse_document(REPORT.encode(), "通報.txt")
    first, second = ledger["sections"][0]["children"]
    assert len(first["measures"]) == 2 and first["status"] == "done"
    assert len(second["measures"]) == 2 and second["status"] == "in_progress"
    assert second["deadline"] == "2025-06"
    assert ledger["round"]["kind"] == "巡视"
    assert ledger["round"]["inspector"] == "省委第二巡視組"  # printed as in the document
    assert ledger["round"]["feedback_date"] == "2024-07-02"
    assert first["title"].startswith("審計發現問題整改跟蹤不到位")


@needs_shared
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_a_dev_document_in_traditional_characters_keeps_its_round_fields(path):
    original = path.read_text(encoding="utf-8")
    simple = parse_document(original.encode(), path.name)
    traditional = parse_document(S2T(original).encode(), path.name)
    for key, value in simple["round"].items():
        got = traditional["round"][key]
        assert (T2S(got) if isinstance(got, str) else got) == (
            T2S(value) if isinstance(value, str) else value
        ), key
    assert T2S(traditional["title"] or "") == T2S(simple["title"] or "")
