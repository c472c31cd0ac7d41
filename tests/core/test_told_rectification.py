"""A finding told in one paragraph (core.structure._told_rectification): the problem stated in the
item's title, then what the units did, with no 整改措施： marker. Each test names its pattern."""

from __future__ import annotations

import pytest
from _core_support import findings_of

HEAD = (
    "临澜市审计局关于2024年度市本级预算执行和其他财政收支审计查出问题整改情况的报告\n"
    "根据审计法的规定，现将2024年度市本级预算执行和其他财政收支审计查出问题的整改情况报告如下。\n"
    "一、审计查出问题的整改情况\n"
)


def findings(body: str) -> list[dict]:
    return findings_of(HEAD + body, "audit.txt")


def test_a_told_rectification_before_a_progress_field_that_states_a_status_alone():
    """…缴库。市财政局会同…清理，已督促… | 整改进展：部分完成，计划…: the field is the status, the
    paragraph's own sentences the measure."""
    (found,) = findings(
        "1.非税收入未及时缴库。市财政局会同相关单位对应缴未缴的非税收入进行清理，已督促4家单位缴库1.36亿元。\n"
        "整改进展：部分完成，计划2026年6月底前全部缴库。\n"
    )
    assert [m["text"][:6] for m in found["measures"]] == ["市财政局会同"]
    assert found["status"] == "in_progress"


@pytest.mark.parametrize(
    "told",
    [
        "市财政局修订《市级部门预算编制管理办法》，压减年初代编预算规模。",
        "市教育局、市民政局等5个单位已将超范围列支的46.7万元归还原资金渠道。",
        "市卫生健康委等3个单位对未按规定执行政府采购的项目进行梳理，建立内部审核机制。",
        "市交通运输局等4个单位对固定资产开展全面清查，对账实不符资产逐项核实处理。",
    ],
)
def test_units_named_or_counted_report_what_they_did(told):
    """A unit, several units (某局、某局等5个单位) or a count of them, then what was done: 已…,
    修订…, 对…进行梳理 / 开展清查."""
    (found,) = findings(f"1.部分单位公用经费管理不规范。{told}\n")
    assert found["title"].startswith("部分单位公用经费管理不规范")
    assert len(found["measures"]) == 1 and found["measures"][0]["text"].startswith(told[:6])
    assert told[:5] not in (found["problem"] or "")


def test_a_unit_that_a_problem_sentence_names_is_not_taken_for_its_rectification():
    """审计发现，某局对…审核不严: the problem told about a unit (no verb of what was done)."""
    (found,) = findings("1.专项资金管理不规范。市农业农村局对项目申报材料审核不严，多拨付资金12万元。\n")
    assert found["measures"] == []


@pytest.mark.parametrize(
    "told",
    [
        "市财政局对结转两年以上的存量资金全部收回统筹使用。",  # no problem named after 对
        "市住房城乡建设局对违规享受保障性住房的27户家庭予以清退。",  # the problem, then what was done to it
    ],
)
def test_a_unit_that_did_something_to_what_it_names_after_dui(told):
    (found,) = findings(f"1.存量资金盘活不够及时。{told}\n")
    assert len(found["measures"]) == 1 and found["measures"][0]["text"].startswith(told[:6])


def test_the_problems_not_listed_summed_up_after_the_last_item_are_no_measure():
    """其余5个问题已于审计期间立行立改，整改完毕。 under the last item of a section."""
    (found,) = findings(
        "1.门诊综合楼改造项目结算审核不严，多计工程款23.5万元。\n"
        "整改结果：已整改。医院已委托第三方造价咨询机构重新审核，核减工程款23.5万元。\n"
        "其余5个问题已于审计期间立行立改，整改完毕。\n"
        "二、下一步工作措施\n"
        "（一）健全内控制度。修订工程结算审核办法。\n"
    )
    assert len(found["measures"]) == 1
    assert "其余5个问题" in (found["text"] or "")
