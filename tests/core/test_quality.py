"""Slogans (喊口号) and copies (照抄照搬) told from the text of a measure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.core.quality import fingerprint, is_concrete, slogan_reasons

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
