"""Slogans (喊口号) and copies (照抄照搬) told from the text of a measure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.core.quality import (
    NEAR_COPY_SIMILARITY,
    SKETCH_BANDS,
    fingerprint,
    is_concrete,
    shingles,
    similarity,
    sketch,
    slogan_reasons,
)

FAST = settings(max_examples=200, deadline=None, derandomize=True)


@pytest.mark.parametrize(
    "text",
    [
        "加强干部队伍建设，教育引导社区干部强化担当意识，推进机关作风整顿工作的开展。",
        "进一步加强了对窗口工作的巡查监督力度。",
        "规范“三重一大”议事决策程序，提高议事决策质量。",
        "充分发挥社区监督检查职能作用，强化对上级决策部署的监督检查。",
    ],
)
def test_declarations_with_nothing_to_check_read_as_slogans(text):
    reasons = slogan_reasons(text)
    assert len(reasons) == 2 and reasons[0].startswith("措施多为“")


@pytest.mark.parametrize(
    "text",
    [
        "制定执行《关于X社区严肃工作纪律整顿工作作风工作实施方案》。",
        "进一步加强管理，2020年7月底前完成全部整改。",
        "切实加强学习，每季度召开一次专题学习会。",
        "加强会议记录管理，由办公室专人负责。",
        "强化资金监管，追缴违规发放的补贴资金3.2万元。",
        "加强督促检查，对2名责任人进行约谈。",
        "建章立制，规范文件的传达和记录工作，建立文件学习传达台账。",
        "对相关责任人进行批评教育。",  # no declaration, nothing to flag
        "立行立改",  # too short to judge
    ],
)
def test_something_checkable_or_nothing_declared_is_not_a_slogan(text):
    assert slogan_reasons(text) == ()


@FAST
@given(st.text(max_size=200))
def test_any_text_is_judged_without_error(text):
    reasons = slogan_reasons(text)
    assert isinstance(reasons, tuple) and all(isinstance(r, str) for r in reasons)
    assert isinstance(fingerprint(text), str)


@FAST
@given(
    st.lists(st.sampled_from(["进一步", "加强", "提高认识", "切实", "学习教育", "，", "管理"]), min_size=3),
    st.sampled_from(
        ["，2021年6月底前完成。", "，召开专题会议两次。", "，由党建办专人负责。", "，制定《学习制度》。"]
    ),
)
def test_a_date_a_meeting_a_person_or_a_document_makes_a_slogan_concrete(pieces, concrete):
    assert slogan_reasons("".join(pieces) + concrete) == ()
    assert is_concrete(concrete)


SOURCE = "甲社区党委召开专题会议，对2020年以来的会议记录逐本核查，建立会议记录当场签字制度。"


@pytest.mark.parametrize(
    "copy",
    [
        SOURCE,
        "乙社区党委召开专题会议，对2021年以来的会议记录逐本核查，建立会议记录当场签字制度。",  # name and year
        "乙社区党委 召开专题会议, 对2021年以来的会议记录逐本核查; 建立会议记录当场签字制度",  # punctuation
        "乙社区党委召开专题会议，对２０２１年以来的会议记录逐本核查，建立会议记录当场签字制度。",  # full width
    ],
)
def test_a_copy_with_another_name_year_or_punctuation_keeps_the_fingerprint(copy):
    own = ["甲社区"] if copy.startswith("甲") else ["乙社区"]
    assert fingerprint(copy, own) == fingerprint(SOURCE, ["甲社区"]) != ""


def test_different_or_short_measures_do_not_match():
    assert fingerprint(SOURCE, ["甲社区"]) != fingerprint(SOURCE.replace("签字", "录音"), ["甲社区"])
    assert fingerprint("召开专题会议。", []) == ""  # too common to call a copy


# --- Near copies -------------------------------------------------------------------------------------

PLAN = "建章立制，规范文件的传达和记录工作。制定《X社区文件学习传达制度》，由办公室专人管理，每月检查一次，检查结果在党工委会议上通报。"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


def test_a_sketch_is_fixed_and_the_same_text_has_the_same_bands():
    pieces = shingles(PLAN, ["X社区"])
    assert sketch(pieces) == sketch(shingles(PLAN.replace("X社区", "Y社区"), ["Y社区"]))
    assert len(sketch(pieces)) == SKETCH_BANDS and len(set(sketch(pieces))) == SKETCH_BANDS
    assert sketch(pieces)[0].startswith("0:") and sketch(pieces)[-1].startswith(f"{SKETCH_BANDS - 1}:")
    assert sketch(shingles("召开专题会议。")) == []  # too short to tell


def test_stored_sketches_stay_valid_the_bands_of_a_text_never_change():
    # Sketches are stored (MeasureSketch): a change of hashing would make every stored one miss.
    assert sketch(shingles(PLAN, ["X社区"])) == [
        "0:58f339bedd5b", "1:dabe83069200", "2:d8aa68448d74", "3:83a2a3687fbd", "4:0645f39e71b3",
        "5:1e336e84cb71", "6:e302de3e3533", "7:a3a427d98618", "8:b7dbf66f85a5", "9:4038470b969f",
    ]  # fmt: skip


@given(st.lists(st.text(alphabet="整改落实责任制度会议记录党委台账问题的了一二", max_size=60), max_size=12))
@FAST
def test_sketching_many_texts_with_one_memo_gives_each_text_its_own_bands(texts):
    memo: dict[str, tuple[int, ...]] = {}
    assert [sketch(shingles(t), memo) for t in texts] == [sketch(shingles(t)) for t in texts]


@given(st.data())
@FAST
def test_a_copy_with_two_characters_changed_is_near_and_shares_a_band(data):
    text = list(PLAN)
    for _ in range(2):
        at = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
        text[at] = data.draw(CJK)
    copy = "".join(text)
    a, b = shingles(PLAN), shingles(copy)
    assert similarity(a, b) >= NEAR_COPY_SIMILARITY
    assert set(sketch(a)) & set(sketch(b))


@given(st.text(max_size=300), st.text(max_size=300))
@FAST
def test_any_two_texts_compare_without_error_and_symmetrically(one, two):
    a, b = shingles(one), shingles(two)
    assert 0.0 <= similarity(a, b) == similarity(b, a) <= 1.0
    assert len(sketch(a)) in (0, SKETCH_BANDS)


def test_different_measures_of_one_field_are_far_apart():
    other = "对2019年以来的低保家庭逐户复核，建立动态管理台账，评议结果在居委会公示栏公示7天。"
    assert similarity(shingles(PLAN), shingles(other)) < 0.2
