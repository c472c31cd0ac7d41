"""The demo report rendered to PDF by LibreOffice and measured with ``pdftotext -bbox``: A4 pages,
22 lines on a full page, 28 characters on a full line, text from 28 mm left and 37 mm top, and
``— N —`` page numbers on alternating sides. Page one is kept as ``build/report-page1.png``.

The document names the free stand-in fonts (``Fonts.free()``) so that the measured grid is the
document's own. With the official fonts (仿宋_GB2312 …) the same grid holds, since line pitch and
character advance come from the document (579 twips, 16 pt − 0.25 pt) and every CJK face has
square one-em glyphs; only glyph shapes, and Latin digits' widths next to Chinese, change.
"""

from __future__ import annotations

import datetime
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _core_support import REPO, SAMPLES

from zhenggai.core.ledger import new_ledger, new_measure, new_node
from zhenggai.core.parse import parse_path
from zhenggai.core.pdf import PdfConversionError, PdfUnavailable, docx_to_pdf, pdf_available
from zhenggai.core.writers.gongwen import LINES_PER_PAGE
from zhenggai.core.writers.progress import render_progress_report
from zhenggai.core.writers.report_docx import Fonts, ReportOptions, render_report

MM = 72 / 25.4  # points per millimetre
SAMPLE = SAMPLES / "000_723fecc3ae9738e1.txt"
PITCH = 579 / 20 / MM  # 28.95 pt in mm
TOP, LEFT, RIGHT, BOTTOM = 37.0, 28.0, 210.0 - 26.0, 297.0 - 35.0
needs_pdf = pytest.mark.skipif(
    not pdf_available() or not shutil.which("pdftotext"), reason=PdfUnavailable.default_message
)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_CJK = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—…]+$")


class Line:
    def __init__(self, words: list[tuple[float, float, float, float, str]]) -> None:
        words = sorted(words)
        self.x0 = words[0][0] / MM
        self.x1 = max(w[2] for w in words) / MM
        self.y0 = min(w[1] for w in words) / MM
        self.y1 = max(w[3] for w in words) / MM
        self.text = "".join(w[4] for w in words)


def measure(pdf: Path) -> list[tuple[float, float, list[Line]]]:
    """(width mm, height mm, lines top to bottom) of each page."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = []
    for page in _PAGE.finditer(out.stdout):
        rows: dict[int, list] = {}
        for x0, y0, x1, y1, text in _WORD.findall(page.group(3)):
            word = (float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            rows.setdefault(round(float(y1)), []).append(word)
        lines = [Line(rows[y]) for y in sorted(rows)]
        pages.append((float(page.group(1)) / MM, float(page.group(2)) / MM, lines))
    return pages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, list]:
    if not SAMPLE.is_file():
        pytest.skip(f"sample report not found at {SAMPLE}")
    ledger = parse_path(SAMPLE)
    options = ReportOptions(issuer="中共X社区工作委员会", date=datetime.date(2020, 7, 13), fonts=Fonts.free())
    pdf = tmp_path_factory.mktemp("pdf") / "demo.pdf"
    pdf.write_bytes(docx_to_pdf(render_report(ledger, options)))
    if shutil.which("pdftoppm"):
        build = REPO / "build"
        build.mkdir(exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "100",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(build / "report-page1"),
            ],
            check=True,
        )
    return pdf, measure(pdf)


def body(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.y0 < BOTTOM]


def test_a_missing_libreoffice_is_reported_in_chinese(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(tmp_path / "no-soffice"))
    with pytest.raises(PdfUnavailable) as raised:
        docx_to_pdf(b"PK")
    assert raised.value.message == "未安装 LibreOffice，无法生成 PDF（可运行 make pdf-deps 安装）"


@needs_pdf
def test_pages_are_a4(rendered):
    _, pages = rendered
    assert len(pages) >= 4
    for width, height, _ in pages:
        assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5
    assert (REPO / "build" / "report-page1.png").is_file() or not shutil.which("pdftoppm")


@needs_pdf
def test_a_full_page_has_22_lines_from_37_mm(rendered):
    _, pages = rendered
    for _, _, lines in pages[1:-1]:  # pages between the first (title) and the last are full
        text = body(lines)
        assert len(text) == 22, [line.text for line in text]
        # The first line sits in the type area's first line: from 37 mm, one pitch high.
        # Each line sits in its cell of the grid: line i from 37 mm + i × 28.95 pt, one pitch high.
        for i, line in enumerate(text):
            assert TOP + i * PITCH - 0.2 <= line.y0 and line.y1 <= TOP + (i + 1) * PITCH + 0.5, (i, line.text)
        assert text[-1].y1 <= BOTTOM + 0.3


@needs_pdf
def test_a_full_line_has_28_characters_from_28_mm(rendered):
    _, pages = rendered
    full = [
        line
        for _, _, lines in pages
        for line in body(lines)
        if abs(line.x0 - LEFT) < 0.3 and abs(line.x1 - RIGHT) < 0.8 and _CJK.match(line.text)
    ]
    assert len(full) > 40
    assert {len(line.text) for line in full} == {28}
    lefts = [line.x0 for _, _, lines in pages for line in body(lines)[1:]]
    assert abs(min(lefts) - LEFT) < 0.3
    # First lines of paragraphs are indented two characters (2 × 15.75 pt).
    indented = [x for x in lefts if x > LEFT + 5]
    assert indented and all(abs(x - (LEFT + 2 * 15.75 / MM)) < 0.4 for x in indented if x < 45)


@needs_pdf
def test_page_numbers_alternate_sides_below_the_type_area(rendered):
    _, pages = rendered
    for n, (_, _, lines) in enumerate(pages, start=1):
        footer = [line for line in lines if line.y0 >= BOTTOM]
        assert len(footer) == 1, [line.text for line in footer]
        number = footer[0]
        assert number.text == f"\u2014{n}\u2014"
        # The dashes' centre line 7 mm below the type area.
        assert abs((number.y0 + number.y1) / 2 - (BOTTOM + 7)) < 1.5
        if n % 2:  # odd: right, one 四号 character in
            assert abs(number.x1 - (RIGHT - 280 / 20 / MM)) < 0.8
        else:
            assert abs(number.x0 - (LEFT + 280 / 20 / MM)) < 0.8


@needs_pdf
def test_the_title_is_centred_and_the_signature_sits_right(rendered):
    _, pages = rendered
    title = pages[0][2][0]
    assert title.text == "关于巡察社区整改情况的报告"
    assert abs((title.x0 + title.x1) / 2 - (LEFT + RIGHT) / 2) < 1.0
    last = body(pages[-1][2])
    issuer, date = last[-2], last[-1]
    assert issuer.text == "中共X社区工作委员会" and date.text == "2020年7月13日"
    char = 15.75 / MM
    assert abs(issuer.x1 - (RIGHT - 2 * char)) < 1.0
    assert abs(date.x0 - (issuer.x0 + 2 * char)) < 1.0


@needs_pdf
def test_official_font_names_render_with_stand_ins_on_the_same_grid(tmp_path):
    """The default (official) names: the conversion maps them to free fonts, one per role, and
    the grid is unchanged."""
    if not SAMPLE.is_file():
        pytest.skip(f"sample report not found at {SAMPLE}")
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(docx_to_pdf(render_report(parse_path(SAMPLE), ReportOptions())))
    pages = measure(pdf)
    assert len(body(pages[1][2])) == 22
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        families = {
            re.sub(r"^[A-Z]{6}\+", "", row.split()[0]).split("-")[0] for row in fonts.splitlines()[2:]
        }
        assert len(families) >= 3, families  # title, 黑体 and 仿宋 stand-ins, not one face for all


@needs_pdf
def test_a_conversion_that_takes_too_long_is_stopped():
    with pytest.raises(PdfConversionError) as raised:
        docx_to_pdf(render_report({"title": "关于整改情况的报告", "sections": []}), timeout=0.05)
    assert raised.value.message == "PDF 生成超时（超过 0.05 秒），请稍后重试"


# ---- the progress report to the inspection office: 主送机关, title, signature block on one page ----
ADDRESSEE = "县委巡察办"
ISSUER, DATE = "中共X社区工作委员会", "2020年8月3日"


def grid_line(line: Line) -> int:
    """The line of the type area's grid a text line sits on, from 0."""
    return int((line.y0 - TOP) / PITCH)


def late_ledger(late: int) -> dict:
    """A progress report's ledger with ``late`` overdue problems: each adds two lines to the body,
    which moves the end of the body down the page a line pair at a time."""
    ledger = new_ledger(title="关于巡察整改情况的报告")
    ledger["round"].update(
        kind="巡察", inspector="县委第三巡察组", target="X社区党工委", feedback_date="2020-05-13"
    )
    top = new_node(label="一、", number=1, level=1, title="落实管党治党责任方面")
    for i in range(1, late + 1):
        node = new_node(label=f"{i}.", number=i, level=2, title="会议记录不规范。")
        node["problem"] = node["title"]
        node["measures"] = [new_measure("安排专人记录。")]
        node.update(status="in_progress", deadline="2020-07")
        top["children"].append(node)
    ledger["sections"] = [top]
    return ledger


def progress_pdf(ledger: dict, path: Path, **options) -> list:
    options = {"issuer": ISSUER, "date": datetime.date(2020, 8, 3), "fonts": Fonts.free(), **options}
    data = render_progress_report(ledger, ReportOptions(**options), datetime.date(2020, 8, 1))
    path.write_bytes(docx_to_pdf(data))
    return measure(path)


def signature_page(pages: list) -> tuple[int, list[Line]]:
    """(index, body lines) of the page that holds the issuer; asserts the date is on it, right
    under the issuer, and that the issuer appears once."""
    found = [
        (n, body(lines)) for n, (_, _, lines) in enumerate(pages) if any(x.text == ISSUER for x in lines)
    ]
    assert len(found) == 1, [n for n, _ in found]
    n, lines = found[0]
    texts = [line.text for line in lines]
    i = texts.index(ISSUER)
    assert texts[i + 1] == DATE, f"the date is not under the issuer on page {n + 1}: {texts[i:]}"
    assert grid_line(lines[i + 1]) == grid_line(lines[i]) + 1
    return n, lines


@pytest.fixture(scope="module")
def progress(tmp_path_factory) -> list:
    """The demo's progress report with its 主送机关 and a title of the office's own."""
    if not SAMPLE.is_file():
        pytest.skip(f"sample report not found at {SAMPLE}")
    pdf = tmp_path_factory.mktemp("progress") / "progress.pdf"
    pages = progress_pdf(
        parse_path(SAMPLE), pdf, addressee=ADDRESSEE, title="关于X社区党工委巡察整改进展情况的报告"
    )
    if shutil.which("pdftoppm"):  # the signature page as an image, to look at: build/progress-signature.png
        n, _ = signature_page(pages)
        (REPO / "build").mkdir(exist_ok=True)
        page = str(n + 1)
        target = str(REPO / "build" / "progress-signature")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", page, "-l", page, "-singlefile", str(pdf), target],
            check=True,
        )
    return pages


@needs_pdf
def test_the_progress_report_has_its_title_and_then_the_addressee_flush_left(progress):
    first = body(progress[0][2])
    title, addressee = first[0], first[1]
    assert title.text == "关于X社区党工委巡察整改进展情况的报告"
    assert abs((title.x0 + title.x1) / 2 - (LEFT + RIGHT) / 2) < 1.0
    # Under the title after one empty line, 顶格, ending with a full-width colon; the body follows.
    assert addressee.text == f"{ADDRESSEE}："
    assert abs(addressee.x0 - LEFT) < 0.3
    assert grid_line(addressee) == 2
    assert first[2].text.startswith("2020年5月13日") and first[2].x0 > LEFT + 5  # indented body


@needs_pdf
def test_the_date_of_the_progress_report_is_on_the_signature_page_with_the_end_of_the_body(progress):
    n, lines = signature_page(progress)
    texts = [line.text for line in lines]
    assert texts.index("本报告为反馈意见后的首次整改进展情况报告。") < texts.index(ISSUER)
    assert any(t.startswith("附件：") for t in texts[: texts.index(ISSUER)])
    # The attachment starts on a page of its own after the signature page.
    assert body(progress[n + 1][2])[0].text == "附件"


@needs_pdf
@pytest.mark.parametrize(
    ("late", "addressee"), [(2, None), (2, ADDRESSEE), (3, None), (3, ADDRESSEE), (4, None)]
)
def test_a_body_ending_near_the_foot_of_a_page_takes_the_signature_block_along(tmp_path, late, addressee):
    """The body's last line lands on lines 18 to 22 of page one (counted from 1), where the empty
    line, the attachment note, the issuer and the date no longer all fit: without keep-with-next the
    date, or the issuer and the date, would stand alone on page two. They go together, with the
    body's last line."""
    pages = progress_pdf(late_ledger(late), tmp_path / "late.pdf", addressee=addressee)
    n, lines = signature_page(pages)
    texts = [line.text for line in lines]
    end = texts.index("本报告为反馈意见后的首次整改进展情况报告。")
    assert end < texts.index(ISSUER) and texts.index(ISSUER) > 0
    # empty line, 附件：…, empty line, issuer, date
    assert grid_line(lines[texts.index(DATE)]) - grid_line(lines[end]) == 5
    # None of these fit on page one: the block went over with the heading 三、 and its one line,
    # where the date (six lines under the last line left on page one) would have been line 23 or
    # below, alone on page two or with the issuer only.
    assert n == 1
    last = grid_line(body(pages[0][2])[-1])
    assert last + 2 + 5 >= LINES_PER_PAGE, [line.text for line in body(pages[0][2])[-2:]]
