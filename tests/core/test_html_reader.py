"""A report kept as the web page it was published on (core.readers.html): its text read a line a
block, a table's cells as a table, the page's head, scripts and styles left out, character
references read; a text that only holds a few references has them read; broken or random markup
ends in a ledger or a DocumentError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.core.errors import DocumentError
from zhenggai.core.parse import parse_document
from zhenggai.core.readers.html import holds_markup, page_text, text_with_references_read

PAGES = Path(__file__).parents[1] / "data" / "html"


def _findings(ledger: dict) -> list[tuple]:
    out = []
    for node in ledger["sections"]:
        for child in [node, *node["children"]]:
            if child["measures"]:
                out.append(
                    (child["title"], len(child["measures"]), child.get("status"), child.get("deadline"))
                )
    return out


def test_a_saved_page_reads_as_its_report_without_the_sites_chrome_and_scripts():
    """中共…通报 under a navigation bar and a breadcrumb, its release line, 　&nbsp; before the
    preamble, &ldquo;…&rdquo; around each problem, <br> between the fields, a script and a footer."""
    ledger = parse_document((PAGES / "saved-page.html").read_bytes(), "saved-page.html")
    assert ledger["title"] == "中共青岚县林业局党组关于巡察整改情况的通报"
    assert ledger["round"] == {
        "kind": "巡察",
        "inspector": "县委第一巡察组",
        "target": "县林业局党组",
        "feedback_date": "2024-06-12",
    }
    assert _findings(ledger) == [
        ("关于“森林防火责任落实不到位”的问题。", 2, "done", None),
        ("关于“项目资金管理不规范”的问题。", 2, "in_progress", "2024-12"),
    ]
    texts = repr(ledger)
    assert "_hmt" not in texts and "广告" not in texts and "margin" not in texts  # script, style
    assert ledger["metadata"].get("来源") == "县林业局"


def test_a_pages_table_is_read_by_its_columns():
    """序号 | 问题 | 整改措施 | 责任领导 | 整改时限 | 完成情况 as an HTML table: a row a problem."""
    ledger = parse_document((PAGES / "ledger-table.html").read_bytes(), "ledger-table.html")
    assert ledger["title"] == "青岚县林业局巡察反馈问题整改清单"
    assert _findings(ledger) == [
        ("森林防火责任落实不到位", 2, "done", "2024-12"),
        ("项目资金管理不规范", 2, "in_progress", "2025-03"),
    ]


def test_blocks_end_lines_cells_are_parted_by_tabs_and_an_unclosed_head_ends_at_the_body():
    markup = "<head><title>站名<body><p>一、总体情况</p>正文<br>第二行<table><tr><td>1</td><td>问题</td></tr></table>"
    assert [line for line in page_text(markup).split("\n") if line] == [
        "一、总体情况",
        "正文",
        "第二行",
        "1\t问题",
    ]
    assert holds_markup("<p>一</p><p>二</p><br>")
    assert not holds_markup("他说<p>标签不算网页")  # one tag quoted in a text


def test_a_text_with_a_few_references_has_them_read_and_a_stray_ampersand_stays():
    assert (
        text_with_references_read("&nbsp;&nbsp;关于&ldquo;学习不够&rdquo;的问题")
        == "\xa0\xa0关于“学习不够”的问题"
    )
    assert text_with_references_read("R&D投入；A&B公司") == "R&D投入；A&B公司"
    assert text_with_references_read("只有一个&amp;") == "只有一个&amp;"
    text = "&nbsp;&nbsp;1.会议记录不规范。\n&nbsp;&nbsp;整改措施：修订制度。（已完成）"
    ledger = parse_document(("一、问题\n" + text).encode(), "r.txt")
    assert ledger["sections"][0]["children"][0]["title"] == "会议记录不规范。"


TAGS = [
    "<p>",
    "</p>",
    "<br>",
    "<div>",
    "</div>",
    "<td>",
    "</td>",
    "<tr>",
    "<table>",
    "<head>",
    "<script>",
    "</script>",
    "<style>",
    "<body>",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&nbsp;",
    "&#8220;",
    "&#xZZ;",
    "&",
    "<",
    ">",
    "一、",
    "1.",
    "整改措施：",
    "已完成。",
    "\n",
    "\t",
]


@settings(max_examples=80, deadline=3000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.sampled_from(TAGS) | st.text(max_size=12), max_size=60))
def test_random_markup_ends_in_a_ledger_or_a_document_error(pieces):
    data = ("<html><body>" + "".join(pieces)).encode("utf-8", "surrogatepass")
    try:
        ledger = parse_document(data, "page.html")
    except DocumentError:
        return
    assert isinstance(ledger["sections"], list)


def _mhtml(html_bytes: bytes, charset: str = "utf-8") -> bytes:
    """A page saved as one file, as Chrome and Edge write it: multipart/related, the page
    quoted-printable, an image beside it."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("related")
    message["Subject"] = "关于巡察整改情况的通报"
    message["Snapshot-Content-Location"] = "http://www.example.gov.cn/art/2024/9/20/art_1.html"
    page = MIMEText(html_bytes.decode("utf-8"), "html", charset)
    message.attach(page)
    message.attach(MIMEImage(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"))
    return message.as_bytes()


def test_a_page_saved_as_one_file_reads_as_the_saved_page():
    """网页，单个文件 (.mht/.mhtml): the HTML part of the MIME message is the page, in its charset."""
    page = (PAGES / "saved-page.html").read_bytes()
    expected = parse_document(page, "saved-page.html")
    for charset in ("utf-8", "gb18030"):
        read = parse_document(_mhtml(page, charset), "saved-page.mhtml")
        assert (read["title"], read["round"], _findings(read)) == (
            expected["title"],
            expected["round"],
            _findings(expected),
        ), charset


def test_a_web_archive_without_a_page_is_refused_in_chinese():
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart

    message = MIMEMultipart("related")
    message.attach(MIMEImage(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"))
    with pytest.raises(DocumentError, match="没有网页正文"):
        parse_document(message.as_bytes(), "empty.mht")
    with pytest.raises(DocumentError):
        parse_document(b"\x00\x01garbage", "broken.mht")


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.binary(max_size=400), st.sampled_from(["", "MIME-Version: 1.0\nContent-Type: text/html\n\n"]))
def test_random_bytes_saved_as_a_web_archive_end_in_a_ledger_or_a_document_error(data, head):
    try:
        ledger = parse_document(head.encode() + data, "page.mht")
    except DocumentError:
        return
    assert isinstance(ledger["sections"], list)
