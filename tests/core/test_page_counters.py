"""An empty counter field of a web page (点击数：, 浏览量：) does not swallow the text under it."""

from __future__ import annotations

from zhenggai.core.noise import remove_noise


def test_an_empty_counter_does_not_take_the_first_paragraph_as_its_value():
    lines = ["发布日期: 2023-03-24", "点击数:", "3月23日，县委第一巡察组向某局党组反馈了巡察意见。", "正文。"]
    cleaned = remove_noise(lines)
    assert cleaned.lines[0] == "3月23日，县委第一巡察组向某局党组反馈了巡察意见。"
    assert cleaned.metadata["点击数"] == ""


def test_an_empty_key_still_takes_a_short_value_on_the_next_line():
    lines = ["索引号:", "11330702/2023-46395", "发布机构:", "某某县审计局", "正文。"]
    cleaned = remove_noise(lines)
    assert cleaned.metadata["发布机构"] == "某某县审计局"


def test_an_empty_counter_does_not_take_a_wrapped_line_of_text():
    lines = [
        "发布日期: 2023-03-24",
        "点击数:",
        "3月23日,县委第一巡察组向某局党组反馈了巡",
        "察意见。",
        "正文。",
    ]
    cleaned = remove_noise(lines)
    assert cleaned.lines[0] == "3月23日,县委第一巡察组向某局党组反馈了巡"


def test_an_empty_counter_takes_its_number_on_the_next_line():
    cleaned = remove_noise(["发布日期: 2023-03-24", "浏览量:", "1024", "正文。"])
    assert cleaned.metadata["浏览量"] == "1024"
