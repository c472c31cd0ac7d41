"""The public report and the progress report as 公文 .docx: layout values read from the file, the
wording of published reports, the round trip through the report reader, and the statistics."""

from __future__ import annotations

import copy
import datetime
import io
import zipfile

import pytest
from _core_support import SAMPLES
from lxml import etree

from zhenggai.core.ledger import new_ledger, new_measure, new_node, walk
from zhenggai.core.parse import parse_document, parse_path
from zhenggai.core.writers.gongwen import CHAR, INDENT, Fonts, text_width
from zhenggai.core.writers.progress import (
    changes_since,
    first_report_due,
    late_items,
    progress_paragraphs,
    progress_statistics,
    render_progress_report,
)
from zhenggai.core.writers.report_docx import (
    ReportOptions,
    default_preamble,
    render_report,
    report_paragraphs,
    report_text,
    status_phrase,
)
from zhenggai.core.writers.weekly import WeeklyRow, WeeklySummary, render_weekly_summary, weekly_paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
SAMPLE = SAMPLES / "000_723fecc3ae9738e1.txt"
needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"sample report not found at {SAMPLE}")
MM = 1440 / 25.4  # twips per millimetre


@pytest.fixture(scope="module")
def demo() -> dict:
    """The demo report: the published sample read by the report reader."""
    if not SAMPLE.is_file():
        pytest.skip(f"sample report not found at {SAMPLE}")
    return parse_path(SAMPLE)


def small_ledger() -> dict:
    """A ledger with every heading level: 一、 （一） 1. （1）."""
    ledger = new_ledger(title="关于巡视整改进展情况的通报")
    ledger["round"].update(
        kind="巡视", inspector="省委第二巡视组", target="某市委", feedback_date="2020-05-13"
    )
    top = new_node(label="一、", number=1, level=1, title="政治建设方面")
    runin = new_node(label="（一）", number=1, level=2, title="学习贯彻不深入。")
    runin["problem"] = "部分党员学习流于形式。"
    runin["measures"] = [new_measure("开展专题学习。")]
    runin["status"] = "done"
    group = new_node(label="（二）", number=2, level=2, title="理论武装不够")
    item = new_node(label="1.", number=1, level=3, title="理论学习不系统。")
    leaf = new_node(label="（1）", number=1, level=4, title="学习计划落实不到位。")
    leaf["problem"] = "全年集中学习仅2次。"
    leaf["measures"] = [new_measure("制定年度学习计划。"), new_measure("每月开展一次集中学习。")]
    leaf.update(status="in_progress", deadline="2020-07", long_term=True)
    item["children"] = [leaf]
    group["children"] = [item]
    top["children"] = [runin, group]
    other = new_node(label="二、", number=2, level=1, title="作风建设方面")
    done = new_node(label="1.", number=1, level=2, title="会议记录不规范。")
    done["problem"] = done["title"]
    done["measures"] = [new_measure("安排专人记录。")]
    done.update(status="done", long_term=True)
    other["children"] = [done]
    ledger["sections"] = [top, other]
    return ledger


def leaf_of(ledger: dict) -> dict:
    return ledger["sections"][0]["children"][1]["children"][0]["children"][0]


def member(data: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def paragraphs(data: bytes) -> list:
    return member(data, "word/document.xml").findall(".//w:body/w:p", NS)


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def runs(p) -> list[tuple[str, str, str, bool, str | None]]:
    """(text, east-asian font, size, bold, character spacing) of each run."""
    out = []
    for r in p.findall("w:r", NS):
        rpr = r.find("w:rPr", NS)
        fonts = rpr.find("w:rFonts", NS)
        spacing = rpr.find("w:spacing", NS)
        out.append(
            (
                text_of(r),
                fonts.get(W + "eastAsia"),
                rpr.find("w:sz", NS).get(W + "val"),
                rpr.find("w:b", NS) is not None,
                spacing.get(W + "val") if spacing is not None else None,
            )
        )
    return out


def find(data: bytes, start: str):
    return next(p for p in paragraphs(data) if text_of(p).startswith(start))


OPTIONS = ReportOptions(issuer="中共X社区工作委员会", date=datetime.date(2020, 7, 13))


# ---- layout -------------------------------------------------------------------------------------
def test_the_page_is_a4_with_the_standard_margins_and_type_area():
    data = render_report(small_ledger(), OPTIONS)
    sect = member(data, "word/document.xml").find(".//w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (size.get(W + "w"), size.get(W + "h")) == ("11906", "16838")
    m = {k: int(margins.get(W + k)) for k in ("top", "left", "bottom", "right")}
    assert m == {"top": 2098, "left": 1587, "bottom": 1984, "right": 1474}
    assert round(m["top"] / MM) == 37 and round(m["left"] / MM) == 28
    assert round((11906 - m["left"] - m["right"]) / MM) == 156
    assert round((16838 - m["top"] - m["bottom"]) / MM) == 225


def test_22_lines_of_28_characters_come_from_the_grid_and_the_exact_line_pitch():
    data = render_report(small_ledger(), OPTIONS)
    grid = member(data, "word/document.xml").find(".//w:body/w:sectPr/w:docGrid", NS)
    assert (grid.get(W + "type"), grid.get(W + "linePitch")) == ("lines", "579")
    height = 16838 - 2098 - 1984
    assert 22 * 579 <= height < 23 * 579
    for p in paragraphs(data):
        spacing = p.find("w:pPr/w:spacing", NS)
        assert (spacing.get(W + "line"), spacing.get(W + "lineRule")) == ("579", "exact")
        assert (spacing.get(W + "before"), spacing.get(W + "after")) == ("0", "0")
        assert p.find("w:pPr/w:widowControl", NS).get(W + "val") == "0"
    # 三号 runs carry −0.25 pt so that 28 characters fit the 156 mm line, and 29 do not.
    width = 11906 - 1587 - 1474
    body = [r for p in paragraphs(data) for r in runs(p) if r[2] == "32"]
    assert body and all(r[4] == "-5" for r in body)
    assert 28 * (320 - 5) <= width < 29 * (320 - 5)
    styles = member(data, "word/styles.xml")
    default = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert (default.get(W + "line"), default.get(W + "lineRule")) == ("579", "exact")


def test_each_level_has_its_font_and_size():
    data = render_report(small_ledger(), OPTIONS)
    title = runs(paragraphs(data)[0])
    assert title == [("关于巡视整改进展情况的通报", "方正小标宋简体", "44", False, None)]
    assert paragraphs(data)[0].find("w:pPr/w:jc", NS).get(W + "val") == "center"
    assert runs(find(data, "一、")) == [("一、政治建设方面", "黑体", "32", False, "-5")]
    # Level two is run-in: 楷体 up to the first full stop, then 仿宋.
    assert runs(find(data, "（一）")) == [
        ("（一）学习贯彻不深入。", "楷体_GB2312", "32", False, "-5"),
        ("部分党员学习流于形式。（已整改完成）", "仿宋_GB2312", "32", False, "-5"),
    ]
    assert runs(find(data, "（二）")) == [("（二）理论武装不够", "楷体_GB2312", "32", False, "-5")]
    assert {r[1] for r in runs(find(data, "1.理论"))} == {"仿宋_GB2312"}
    assert {r[1] for r in runs(find(data, "（1）"))} == {"仿宋_GB2312"}
    assert {r[1] for r in runs(find(data, "整改情况："))} == {"仿宋_GB2312"}
    for p in paragraphs(data)[1:]:
        if text_of(p):
            indent = p.find("w:pPr/w:ind", NS)
            assert indent is not None
    assert find(data, "一、").find("w:pPr/w:ind", NS).get(W + "firstLine") == str(INDENT)
    # Every run names its East-Asian font and language, not only the Latin slots.
    fonts = find(data, "一、").find("w:r/w:rPr/w:rFonts", NS)
    assert fonts.get(W + "hint") == "eastAsia" and fonts.get(W + "ascii") == "Times New Roman"
    assert find(data, "一、").find("w:r/w:rPr/w:lang", NS).get(W + "eastAsia") == "zh-CN"


def test_fonts_are_configurable_with_free_stand_ins():
    data = render_report(small_ledger(), ReportOptions(fonts=Fonts.free()))
    assert runs(paragraphs(data)[0])[0][1:4] == ("Noto Serif CJK SC", "44", True)
    assert runs(find(data, "一、"))[0][1] == "Noto Sans CJK SC"
    assert runs(find(data, "（一）"))[0][1] == "FandolKai"
    assert runs(find(data, "（1）"))[0][1] == "FandolFang"
    custom = render_report(small_ledger(), ReportOptions(fonts=Fonts(fangsong="仿宋")))
    assert runs(find(custom, "（1）"))[0][1] == "仿宋"


def test_page_numbers_are_fields_odd_pages_right_even_pages_left():
    data = render_report(small_ledger(), OPTIONS)
    settings = member(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    document = member(data, "word/document.xml")
    rels = member(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {
        ref.get(W + "type"): targets[
            ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        ]
        for ref in document.findall(".//w:sectPr/w:footerReference", NS)
    }
    assert set(refs) >= {"default", "even"}
    for kind, name in refs.items():
        if kind not in ("default", "even"):
            continue
        p = member(data, f"word/{name}").find("w:p", NS)
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        assert text == "\u2014 1 \u2014"
        assert [f.get(W + "fldCharType") for f in p.iter(W + "fldChar")] == ["begin", "separate", "end"]
        assert "".join(i.text for i in p.iter(W + "instrText")).strip() == "PAGE"
        sizes = {sz.get(W + "val") for sz in p.iter(W + "sz")}
        assert sizes == {"28"}  # 四号
        assert {f.get(W + "eastAsia") for f in p.iter(W + "rFonts")} == {"宋体"}
        ind = p.find("w:pPr/w:ind", NS)
        jc = p.find("w:pPr/w:jc", NS)
        if kind == "default":  # odd pages: right, one character in
            assert jc.get(W + "val") == "right" and ind.get(W + "right") == "280"
        else:
            assert jc is None and ind.get(W + "left") == "280"


def test_the_signature_and_date_are_placed_as_the_standard_says():
    data = render_report(small_ledger(), OPTIONS)
    ps = paragraphs(data)
    issuer = next(p for p in ps if text_of(p) == "中共X社区工作委员会")
    date = next(p for p in ps if text_of(p).startswith("2020年7月13日"))
    assert text_of(date) == "2020年7月13日"  # Arabic numerals, no zero padding
    i_right = int(issuer.find("w:pPr/w:ind", NS).get(W + "right"))
    d_right = int(date.find("w:pPr/w:ind", NS).get(W + "right"))
    assert issuer.find("w:pPr/w:jc", NS).get(W + "val") == "right"
    assert i_right == 2 * CHAR  # two characters from the right
    # The date starts two characters right of the issuer's start.
    issuer_start = i_right + text_width("中共X社区工作委员会")
    date_start = d_right + text_width("2020年7月13日")
    assert issuer_start - date_start == 2 * CHAR
    # One empty line between the body and the signature.
    assert text_of(ps[ps.index(issuer) - 1]) == ""
    sealed = render_report(
        small_ledger(), ReportOptions(issuer="某局", date=datetime.date(2020, 7, 13), seal=True)
    )
    assert int(find(sealed, "2020年").find("w:pPr/w:ind", NS).get(W + "right")) == 4 * CHAR


def test_a_long_date_keeps_two_characters_from_the_edge():
    data = render_report(small_ledger(), ReportOptions(issuer="某局", date=datetime.date(2020, 12, 31)))
    d_right = int(find(data, "2020年").find("w:pPr/w:ind", NS).get(W + "right"))
    i_right = int(find(data, "某局").find("w:pPr/w:ind", NS).get(W + "right"))
    assert d_right == 2 * CHAR and i_right > 2 * CHAR


# ---- wording ------------------------------------------------------------------------------------
def test_status_phrases_follow_the_published_wording():
    assert status_phrase({"status": "done", "long_term": True}) == "整改完成并长期坚持"
    assert status_phrase({"status": "done"}) == "已整改完成"
    assert status_phrase({"status": "in_progress", "deadline": "2020-07"}) == "正在整改，2020年7月完成"
    assert (
        status_phrase({"status": "in_progress", "deadline": "2020-07", "long_term": True})
        == "正在整改，2020年7月完成，长期坚持"
    )
    assert status_phrase({"status": "in_progress", "deadline": "2020-07-31"}) == "正在整改，2020年7月31日完成"
    assert status_phrase({"status": "in_progress", "deadline": "2020"}) == "正在整改，2020年底前完成"
    assert status_phrase({"status": "in_progress"}) == "正在整改"
    assert status_phrase({"status": "not_started", "deadline": "2021-03"}) == "尚未整改，计划2021年3月完成"
    assert status_phrase({"status": None, "long_term": True}) == "长期坚持"
    assert status_phrase({"status": None}) is None


def test_the_report_reads_like_a_published_one():
    texts = [p.text for p in report_paragraphs(small_ledger(), OPTIONS)]
    assert texts[0] == "关于巡视整改进展情况的通报"
    assert texts[2] == (
        "按照省委统一部署，省委第二巡视组对某市委进行了巡视。2020年5月13日，省委第二巡视组向某市委反馈了"
        "巡视意见。按照党务公开原则和巡视工作有关要求，现将巡视整改进展情况予以公布。"
    )
    assert "（一）学习贯彻不深入。部分党员学习流于形式。（已整改完成）" in texts
    assert "（二）理论武装不够" in texts
    assert "（1）学习计划落实不到位。全年集中学习仅2次。（正在整改，2020年7月完成，长期坚持）" in texts
    assert "整改情况：一是制定年度学习计划。二是每月开展一次集中学习。" in texts
    assert "1.会议记录不规范。（整改完成并长期坚持）" in texts
    assert "整改情况：安排专人记录。" in texts  # one measure: no enumerator
    assert texts[-1] == "欢迎广大干部群众对巡视整改落实情况进行监督，如有意见建议，请及时向我们反映。"


def test_measures_without_full_stops_are_joined_with_semicolons():
    ledger = small_ledger()
    leaf = leaf_of(ledger)
    leaf["measures"] = [new_measure("制定计划"), new_measure("开展学习"), new_measure("建立台账")]
    texts = [p.text for p in report_paragraphs(ledger, OPTIONS)]
    assert "整改情况：一是制定计划；二是开展学习；三是建立台账。" in texts


def test_the_user_chooses_items_and_fields():
    ledger = small_ledger()
    only = ReportOptions(paths=[(2, 1)])
    texts = [p.text for p in report_paragraphs(ledger, only)]
    assert "二、作风建设方面" in texts and "1.会议记录不规范。（整改完成并长期坚持）" in texts
    assert not any(t.startswith(("一、", "（一）", "（1）")) for t in texts)
    texts = [p.text for p in report_paragraphs(ledger, ReportOptions(paths=[(1, 2, 1, 1)]))]
    assert [t[:4] for t in texts[3:7]] == ["一、政治", "（二）理", "1.理论", "（1）学"]
    assert not any(t.startswith("（一）") for t in texts)
    bare = ReportOptions(status_phrases=False, measures=False)
    texts = [p.text for p in report_paragraphs(ledger, bare)]
    assert "（1）学习计划落实不到位。全年集中学习仅2次。" in texts
    assert not any("整改情况" in t or "长期坚持" in t for t in texts)
    leaf = leaf_of(ledger)
    for m in leaf["measures"]:
        m.update(owner="张局长", department="办公室")
    texts = [p.text for p in report_paragraphs(ledger, ReportOptions(responsibility=True))]
    assert "责任领导：张局长\u3000责任单位：办公室" in texts
    leaf["measures"][1]["owner"] = "李副局长"
    texts = [p.text for p in report_paragraphs(ledger, ReportOptions(responsibility=True))]
    assert (
        "整改情况：一是制定年度学习计划（责任领导：张局长；责任单位：办公室）。"
        "二是每月开展一次集中学习（责任领导：李副局长；责任单位：办公室）。"
    ) in texts


def test_contact_lines_and_own_preamble_and_closing():
    options = ReportOptions(
        preamble="自定义前言。", closing="特此通报。", contact_lines=("联系电话：0451-1234567",)
    )
    texts = [p.text for p in report_paragraphs(small_ledger(), options)]
    assert texts[2] == "自定义前言。"
    assert texts[-2:] == ["特此通报。", "联系电话：0451-1234567"]


def test_the_preamble_names_the_on_site_period_when_known():
    ledger = small_ledger()
    ledger["round"].update(on_site_start="2020-03-02", on_site_end="2020-04-30")
    assert default_preamble(ledger).startswith(
        "按照省委统一部署，2020年3月2日至4月30日，省委第二巡视组对某市委进行了巡视。"
    )


# ---- round trip -----------------------------------------------------------------------------------
def tree(ledger: dict) -> list[tuple]:
    out = []

    def visit(nodes, prefix):
        for node in nodes:
            path = (*prefix, node["label"])
            out.append(
                (
                    path,
                    node["title"],
                    node["problem"],
                    [m["text"] for m in node["measures"]],
                    node["status"],
                    node["deadline"],
                    node["long_term"],
                )
            )
            visit(node["children"], path)

    visit(ledger["sections"], ())
    return out


@needs_sample
def test_the_demo_report_reads_back_into_the_same_tree(demo):
    data = render_report(demo, OPTIONS)
    back = parse_document(data, "report.docx")
    assert tree(back) == tree(demo)
    assert back["title"] == demo["title"]
    assert back["round"] == demo["round"]
    assert back["preamble"] == demo["preamble"]
    assert back["closing"].startswith(demo["closing"])
    assert back["warnings"] == []
    statuses = [(n["status"], n["deadline"], n["long_term"]) for n in walk(back["sections"]) if n["status"]]
    assert ("in_progress", "2020-07", True) in statuses and ("done", None, True) in statuses


def test_a_ledger_with_every_level_and_responsibility_reads_back():
    ledger = small_ledger()
    for node in walk(ledger["sections"]):
        for m in node["measures"]:
            m.update(owner="张局长", department="办公室")
    data = render_report(ledger, ReportOptions(responsibility=True))
    back = parse_document(data, "report.docx")
    assert tree(back) == tree(ledger)
    leaf = leaf_of(back)
    assert (leaf["title"], leaf["problem"], leaf["status"], leaf["deadline"]) == (
        "学习计划落实不到位。",
        "全年集中学习仅2次。",
        "in_progress",
        "2020-07",
    )
    assert [(m["owner"], m["department"]) for m in leaf["measures"]] == [("张局长", "办公室")] * 2


# ---- the progress report --------------------------------------------------------------------------
def progress_ledger() -> tuple[dict, dict]:
    previous = small_ledger()
    current = copy.deepcopy(previous)
    leaf = leaf_of(current)
    leaf["measures"][0]["status"] = "done"
    leaf["measures"][1].update(status="in_progress", delay_reason="场地改造未完成")
    leaf["measures"].append(new_measure("建立学习台账。"))
    done = current["sections"][1]["children"][0]
    done["deadline"] = "2020-06"
    return previous, current


def test_progress_statistics_count_problems_and_measures():
    _, ledger = progress_ledger()
    stats = progress_statistics(ledger, datetime.date(2020, 8, 1))
    assert stats["problems"] == {
        "total": 3,
        "done": 2,
        "in_progress": 1,
        "not_started": 0,
        "unknown": 0,
        "long_term": 2,
        "overdue": 1,
        "completion_rate": 0.6667,
    }
    # A measure without a status takes its problem's.
    m = stats["measures"]
    assert (m["total"], m["done"], m["in_progress"], m["overdue"]) == (5, 3, 2, 2)
    # Before the deadline's month is out nothing is late: 2020-07 runs to 31 July.
    assert progress_statistics(ledger, datetime.date(2020, 7, 31))["problems"]["overdue"] == 0


def test_late_items_carry_their_reasons():
    _, ledger = progress_ledger()
    late = late_items(ledger, datetime.date(2020, 8, 1))
    assert [(i["cite"], i["deadline"], i["reasons"]) for i in late] == [
        ("一、（二）1.（1）", "2020-07", ["场地改造未完成"])
    ]


def test_changes_since_the_previous_report():
    previous, ledger = progress_ledger()
    changes = changes_since(previous, ledger)
    kinds = sorted((c["kind"], c.get("text")) for c in changes)
    assert kinds == [
        ("deadline", None),
        ("new_measure", "建立学习台账。"),
        ("status", "制定年度学习计划。"),
        ("status", "每月开展一次集中学习。"),
    ]
    assert changes_since(ledger, ledger) == []


def test_the_first_progress_report_is_due_two_months_after_feedback():
    assert first_report_due(datetime.date(2020, 5, 13)) == datetime.date(2020, 7, 13)
    assert first_report_due(datetime.date(2020, 12, 31)) == datetime.date(2021, 2, 28)


def test_the_progress_report_states_figures_lateness_changes_and_items():
    previous, ledger = progress_ledger()
    options = ReportOptions(issuer="中共某市委", date=datetime.date(2020, 8, 3), addressee="省委巡视办")
    body, attachment = progress_paragraphs(ledger, options, datetime.date(2020, 8, 1), previous)
    texts = [p.text for p in body]
    assert texts[0] == "关于巡视整改进展情况的报告" and texts[2] == "省委巡视办："
    assert any(
        "巡视反馈的3个问题中，已整改完成2个，正在整改1个；需长期坚持的2个，超过整改时限尚未完成的1个。" in t
        for t in texts
    )
    assert any("问题整改完成率为66.7%" in t for t in texts)
    assert any("整改时限为2020年7月" in t and "原因：场地改造未完成。" in t for t in texts)
    assert any("新增整改措施“建立学习台账”" in t for t in texts)
    assert any("明确整改时限为2020年6月" in t for t in texts)
    assert texts[-1] == "附件：某市委巡视反馈问题整改进展情况"
    assert [p.text for p in attachment[:3]] == ["附件", "", "某市委巡视反馈问题整改进展情况"]
    assert attachment[0].page_break_before
    first, _ = progress_paragraphs(ledger, options, datetime.date(2020, 8, 1), None)
    assert "本报告为反馈意见后的首次整改进展情况报告。" in [p.text for p in first]
    data = render_progress_report(ledger, options, datetime.date(2020, 8, 1), previous)
    label = next(p for p in paragraphs(data) if text_of(p) == "附件")
    assert label.find("w:pPr/w:pageBreakBefore", NS) is not None
    assert runs(label)[0][1] == "黑体" and label.find("w:pPr/w:ind", NS) is None  # 顶格


def test_items_without_printable_labels_are_numbered_as_reports_do():
    """A workbook's 序号 (``1``, ``2``) is not a label a report prints: one is made by depth."""
    flat = new_ledger(title="整改台账")
    for n in (1, 2):
        node = new_node(label=str(n), number=n, level=1, title=f"问题{n}。")
        node["problem"] = node["title"]
        flat["sections"].append(node)
    texts = [p.text for p in report_paragraphs(flat, ReportOptions())]
    assert "1.问题1。" in texts and "2.问题2。" in texts
    sheets = new_ledger(title="整改台账")
    sheet = new_node(label="1", number=1, level=1, title="市委巡察反馈问题")
    sheet["sheet"] = "2023年"
    sheet["children"] = flat["sections"]
    sheets["sections"] = [sheet]
    texts = [p.text for p in report_paragraphs(sheets, ReportOptions())]
    assert "一、市委巡察反馈问题" in texts and "1.问题1。" in texts
    back = parse_document(render_report(sheets, ReportOptions()), "r.docx")
    assert [(n["label"], n["title"]) for n in walk(back["sections"])] == [
        ("一、", "市委巡察反馈问题"),
        ("1.", "问题1。"),
        ("2.", "问题2。"),
    ]


def test_deadlines_of_finished_items_can_be_printed_as_a_field():
    ledger = small_ledger()
    done = ledger["sections"][1]["children"][0]
    done["deadline"] = "2020-06-30"
    texts = [p.text for p in report_paragraphs(ledger, ReportOptions(deadlines=True))]
    assert "完成时限：2020年6月30日" in texts
    # In progress, the phrase already says when: no field line repeats it.
    assert not any(t == "完成时限：2020年7月" for t in texts)
    back = parse_document(render_report(ledger, ReportOptions(deadlines=True)), "r.docx")
    assert tree(back) == tree(ledger)


# ---- the signature block, 主送机关, title and 版记 (issue #14) ---------------------------------------
def keeps(p) -> tuple[bool, bool]:
    """(keepNext, keepLines) of a paragraph."""
    return (p.find("w:pPr/w:keepNext", NS) is not None, p.find("w:pPr/w:keepLines", NS) is not None)


def test_the_signature_block_is_kept_with_the_end_of_the_body_in_the_progress_report():
    previous, ledger = progress_ledger()
    options = ReportOptions(issuer="中共某市委", date=datetime.date(2020, 8, 3), addressee="省委巡视办")
    ps = paragraphs(render_progress_report(ledger, options, datetime.date(2020, 8, 1), previous))
    texts = [text_of(p) for p in ps]
    issuer, date = texts.index("中共某市委"), texts.index("2020年8月3日")
    note = texts.index("附件：某市委巡视反馈问题整改进展情况")
    last = note - 2  # the body's last paragraph, then an empty line
    assert texts[last].startswith("1.") and texts[last + 1] == "" and texts[note + 1] == ""
    # The body's last paragraph may split, its last line going over with what follows; the rest is
    # kept whole, each with the next, down to the date, which is kept whole.
    assert keeps(ps[last]) == (True, False)
    assert [keeps(p) for p in ps[last + 1 : date]] == [(True, True)] * (date - last - 1)
    assert keeps(ps[date]) == (False, True) and date == issuer + 1
    # No keep before the body's last paragraph, except headings standing alone over their text.
    kept = [texts[i] for i in range(last) if keeps(ps[i])[0]]
    assert kept == [
        "一、整改总体进展情况",
        "二、超期未完成事项及原因",
        "三、与上次报告相比的变化",
        "（一）整改状态变化。",
        "（二）新增整改措施。",
        "（三）整改时限调整。",
    ]


def test_the_public_reports_signature_block_is_kept_together_too():
    ps = paragraphs(render_report(small_ledger(), OPTIONS))
    texts = [text_of(p) for p in ps]
    date = texts.index("2020年7月13日")
    assert texts[date - 3].startswith("欢迎广大干部群众")
    assert [keeps(p)[0] for p in ps[date - 3 : date + 1]] == [True, True, True, False]


def test_a_date_without_an_issuer_is_kept_with_the_body():
    ps = paragraphs(render_report(small_ledger(), ReportOptions(date=datetime.date(2020, 7, 13))))
    texts = [text_of(p) for p in ps]
    date = texts.index("2020年7月13日")
    assert keeps(ps[date - 2])[0] and keeps(ps[date - 1])[0] and not keeps(ps[date])[0]


def test_the_addressee_follows_the_title_flush_left_with_a_full_width_colon():
    previous, ledger = progress_ledger()
    options = ReportOptions(addressee="省委巡视办:")
    ps = paragraphs(render_progress_report(ledger, options, datetime.date(2020, 8, 1), previous))
    assert [text_of(p) for p in ps[:3]] == ["关于巡视整改进展情况的报告", "", "省委巡视办："]
    assert ps[2].find("w:pPr/w:ind", NS) is None  # 顶格
    assert {r[1] for r in runs(ps[2])} == {"仿宋_GB2312"}
    assert text_of(ps[3]).startswith("2020年5月13日")


def test_the_title_comes_from_the_options_in_both_reports():
    previous, ledger = progress_ledger()
    own = ReportOptions(title="关于某市委巡视整改进展情况的报告")
    data = render_progress_report(ledger, own, datetime.date(2020, 8, 1), previous)
    assert text_of(paragraphs(data)[0]) == "关于某市委巡视整改进展情况的报告"
    assert text_of(paragraphs(render_report(small_ledger(), own))[0]) == "关于某市委巡视整改进展情况的报告"
    # Without one, each genre's title as before.
    assert text_of(paragraphs(render_progress_report(ledger, None, datetime.date(2020, 8, 1)))[0]) == (
        "关于巡视整改进展情况的报告"
    )
    assert text_of(paragraphs(render_report(small_ledger()))[0]) == "关于巡视整改进展情况的通报"


def test_the_imprint_has_copies_printer_and_date_between_rules():
    options = ReportOptions(
        issuer="中共某市委",
        date=datetime.date(2020, 8, 3),
        copy_to=("省委巡视办", "省纪委监委、"),
        printer="中共某市委办公室",
        printed=datetime.date(2020, 8, 4),
    )
    document = member(render_report(small_ledger(), options), "word/document.xml")
    table = document.find(".//w:body/w:tbl", NS)
    rows = [text_of(tr) for tr in table.findall("w:tr", NS)]
    assert rows == ["抄送：省委巡视办，省纪委监委。", "中共某市委办公室2020年8月4日印发"]
    borders = table.find("w:tblPr/w:tblBorders", NS)
    sizes = {side: borders.find(f"w:{side}", NS).get(W + "sz") for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}  # 0.35 mm, 0.25 mm, 0.35 mm
    assert {r[2] for tr in table.iter(W + "p") for r in runs(tr) if r[0]} == {"28"}  # 四号
    assert table.find(".//w:tab", NS) is not None  # the date right-aligned
    # After the signature; none without the option.
    body = list(document.find("w:body", NS))
    issuer = next(i for i, el in enumerate(body) if text_of(el) == "中共某市委")
    assert body.index(table) > issuer
    assert member(render_report(small_ledger(), OPTIONS), "word/document.xml").find(".//w:tbl", NS) is None


def test_the_progress_reports_imprint_comes_after_the_attachment():
    previous, ledger = progress_ledger()
    options = ReportOptions(copy_to=("省委巡视办",))
    document = member(
        render_progress_report(ledger, options, datetime.date(2020, 8, 1), previous), "word/document.xml"
    )
    body = list(document.find("w:body", NS))
    table = document.find(".//w:body/w:tbl", NS)
    assert text_of(table) == "抄送：省委巡视办。"
    label = next(i for i, el in enumerate(body) if text_of(el) == "附件")
    assert body.index(table) > label


def test_the_public_report_as_plain_text():
    text = report_text(small_ledger(), OPTIONS)
    lines = text.splitlines()
    assert lines[0] == "关于巡视整改进展情况的通报"
    assert "\u3000\u3000一、政治建设方面" in lines
    assert lines[-2:] == ["中共X社区工作委员会", "2020年7月13日"]


# ---- the office's weekly summary ----------------------------------------------------------------
def weekly() -> WeeklySummary:
    rows = [
        WeeklyRow(unit="X社区党工委", round="县委第三巡察组巡察X社区", total=50, done=6, red=3, yellow=2),
        WeeklyRow(unit="Y街道党工委", round="县委第一巡察组巡察Y街道", total=20, done=20, red=0, yellow=0),
    ]
    return WeeklySummary(
        office="县委巡察办", as_of=datetime.date(2026, 12, 4), rows=rows, addressee="县委巡察工作领导小组"
    )


def test_the_weekly_summary_states_the_overview_figures():
    texts = [p.text for p in weekly_paragraphs(weekly())]
    assert texts[:3] == ["整改工作周报", "", "县委巡察工作领导小组："]
    assert texts[3] == "现将2026年11月28日至2026年12月4日本周县委巡察办跟踪的各单位整改工作情况报告如下。"
    assert (
        "截至2026年12月4日，共跟踪2个单位的2轮整改，整改措施70条，已完成26条，完成率37.1%；"
        "超过整改时限尚未完成的3条，10日内到期的2条。"
    ) in texts
    pressing = texts[texts.index("二、需要督促的单位") + 1 : texts.index("三、各单位整改进展")]
    assert pressing == [
        "1.X社区党工委（县委第三巡察组巡察X社区）：整改措施50条，已完成6条，完成率12.0%，超期未完成3条，临近时限2条。"
    ]
    assert texts[-1] == "2.Y街道党工委（县委第一巡察组巡察Y街道）：整改措施20条，已完成20条，完成率100.0%。"


def test_the_weekly_summary_is_a_gongwen_signed_by_the_office():
    data = render_weekly_summary(weekly())
    ps = paragraphs(data)
    assert runs(ps[0]) == [("整改工作周报", "方正小标宋简体", "44", False, None)]
    texts = [text_of(p) for p in ps]
    assert texts[-2:] == ["县委巡察办", "2026年12月4日"]
    assert keeps(ps[-3])[0] and keeps(ps[-2])[0]
    sect = member(data, "word/document.xml").find(".//w:body/w:sectPr", NS)
    assert sect.find("w:pgMar", NS).get(W + "top") == "2098"
    empty = render_weekly_summary(
        WeeklySummary(office="县委巡察办", as_of=datetime.date(2026, 12, 4), rows=[])
    )
    assert "本周没有跟踪的整改轮次。" in [text_of(p) for p in paragraphs(empty)]
