"""The PDF reader: running heads, feet and page numbers out, lines back into paragraphs."""

from __future__ import annotations

from _core_support import make_pdf

from zhenggai.core.readers.pdf import Line, join_lines, read_pdf


def test_lines_are_joined_into_paragraphs():
    lines = [
        Line("一、学习方面", 90, 200, 100, 0, 842),
        Line("整改情况：一是制定学习计划，每季度", 90, 500, 120, 0, 842),
        Line("开展一次研讨；二是建立制度。", 90, 300, 140, 0, 842),
        Line("另起一段的内容。", 122, 300, 160, 0, 842),
    ]
    assert join_lines(lines) == [
        "一、学习方面",
        "整改情况：一是制定学习计划，每季度开展一次研讨；二是建立制度。",
        "另起一段的内容。",
    ]


def test_running_heads_and_page_numbers_are_removed():
    page = lambda n: [  # noqa: E731
        (250, 40, "Running Head Of The Report"),
        (72, 120, "First line of a paragraph that runs the whole width of"),
        (72, 140, "the page and ends here."),
        (280, 800, f"- {n} -"),
    ]
    extracted = read_pdf(make_pdf([page(1), page(2)]))
    assert "Running Head Of The Report" in extracted.dropped
    assert "- 1 -" in extracted.dropped and "- 2 -" in extracted.dropped
    assert all("Running Head" not in block for block in extracted.blocks)
    assert len(extracted.blocks) == 2
