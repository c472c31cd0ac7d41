"""Redaction for the public version: generated ID, phone, bank card numbers and addresses never
survive unmasked, in text, in the written .docx or in its PDF; dates, amounts and document
numbers are left alone."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from zhenggai.core.ledger import new_ledger, new_measure, new_node
from zhenggai.core.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from zhenggai.core.readers.docx import read_docx
from zhenggai.core.redact import find_personal_data, public_numbers, redact_ledger, redact_text
from zhenggai.core.writers.report_docx import Fonts, ReportOptions, render_report

FAST = settings(max_examples=150, deadline=None, derandomize=True)
# Two documents through LibreOffice; no shrinking, which would convert hundreds.
SLOW = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ---- generators of valid personal data ----------------------------------------------------------
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def with_check_digit(first17: str) -> str:
    """GB 11643: weighted sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def with_luhn_digit(body: str) -> str:
    for check in "0123456789":
        digits = [int(d) for d in body + check][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
        if total % 10 == 0:
            return body + check
    raise AssertionError("no Luhn digit")


ids = st.builds(
    lambda area, birth, seq: with_check_digit(f"{area}{birth:%Y%m%d}{seq:03d}"),
    st.integers(110000, 659999),
    st.dates(datetime.date(1930, 1, 1), datetime.date(2015, 12, 31)),
    st.integers(0, 999),
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
landlines = st.from_regex(r"0[1-9][0-9]{2}-[0-9]{7}", fullmatch=True)


@st.composite
def bank_cards(draw) -> str:
    length = draw(st.integers(16, 19))
    prefix = draw(st.sampled_from(["6222", "6217", "6228", "6212", "4367", "6013", "6259"]))
    rest = draw(st.text("0123456789", min_size=length - 5, max_size=length - 5))
    number = with_luhn_digit(prefix + rest)
    if draw(st.booleans()):
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


@st.composite
def addresses(draw) -> tuple[str, str]:
    """(road, house number): 幸福路 + 12号3单元402室."""
    road = draw(
        st.sampled_from(
            ["幸福路", "XX路", "中山北路", "解放大街", "建设巷", "光明小区", "和平里", "桃园新村"]
        )
    )
    building, unit, room = draw(st.integers(1, 999)), draw(st.integers(1, 9)), draw(st.integers(101, 2999))
    form = draw(st.sampled_from(["{b}号{u}单元{r}室", "{b}号", "{b}栋{u}单元{r}室", "{b}号楼{u}单元{r}"]))
    return road, form.format(b=building, u=unit, r=room)


PREFIXES = st.sampled_from(
    ["", "身份证号码：", "户主", "联系电话", "，", "（", "住址：", "卡号", "系", "群众反映"]
)
SUFFIXES = st.sampled_from(["", "，", "。", "）", "的", "反映问题", "；", "等"])
FILLER = st.text(
    st.sampled_from(list("社区居民反映低保救助资金发放问题已核实整改情况，。、；：")), min_size=1, max_size=12
)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# ---- text -----------------------------------------------------------------------------------------
@FAST
@given(ids, PREFIXES, SUFFIXES)
def test_id_numbers_are_masked(value, before, after):
    out = redact_text(before + value + after)
    assert value not in out and value[:17] not in out
    assert before + value[:6] + "*" * 8 + value[-4:] + after == out


@FAST
@given(mobiles, PREFIXES, SUFFIXES)
def test_mobile_numbers_are_masked(value, before, after):
    out = redact_text(before + value + after)
    assert value not in out
    assert out == before + value[:3] + "****" + value[-4:] + after


@FAST
@given(landlines, PREFIXES, SUFFIXES)
def test_landlines_are_masked(value, before, after):
    out = redact_text(before + value + after)
    assert value not in out
    assert out == before + value[:5] + "***" + value[-4:] + after


@FAST
@given(bank_cards(), PREFIXES, SUFFIXES)
def test_bank_card_numbers_are_masked(value, before, after):
    out = redact_text(before + value + after)
    number = digits(value)
    assert value not in out and number not in digits(out)
    assert out == f"{before}{number[:4]} **** **** {number[-4:]}{after}"


@FAST
@given(addresses(), PREFIXES, SUFFIXES)
def test_house_numbers_are_masked_and_the_road_kept(address, before, after):
    road, number = address
    out = redact_text(before + road + number + after)
    assert out == before + road + re.sub(r"\d", "*", number) + after


@FAST
@given(st.lists(st.one_of(ids, mobiles, landlines, bank_cards()), min_size=1, max_size=5), FILLER)
def test_several_in_one_paragraph_are_all_masked(values, filler):
    text = filler.join(values) + filler
    out = redact_text(text)
    for value in values:
        assert digits(value) not in digits(out)
    assert len(find_personal_data(text)) == len(values)


dates = st.builds(
    lambda d, form: form.format(y=d.year, m=d.month, d=d.day, mm=f"{d.month:02d}", dd=f"{d.day:02d}"),
    st.dates(datetime.date(1990, 1, 1), datetime.date(2035, 12, 31)),
    st.sampled_from(
        ["{y}年{m}月", "{y}年{m}月{d}日", "{y}-{mm}-{dd}", "{y}年", "{y}.{mm}.{dd}", "{m}月{d}日"]
    ),
)
amounts = st.builds(
    lambda n, cents, form: form.format(n=n, c=f"{cents:02d}"),
    st.integers(0, 10**18),
    st.integers(0, 99),
    st.sampled_from(["{n}.{c}元", "{n}元", "{n}万元", "{n}亿元", "{c}.5%", "{n}.{c}万元"]),
)
doc_numbers = st.builds(
    lambda org, y, n, form: form.format(org=org, y=y, n=n),
    st.sampled_from(["X政发", "县委办", "巡察办", "X社区党工委", ""]),
    st.integers(1990, 2035),
    st.integers(1, 999),
    st.sampled_from(["{org}〔{y}〕{n}号", "{org}[{y}]{n}号", "第{n}号", "{org}〔{y}〕{n}号文件"]),
)
counts = st.builds(
    lambda n, unit: f"{n}{unit}",
    st.integers(1, 99999),
    st.sampled_from(["户居民", "人", "次", "个", "项", "条", "名党员"]),
)
PLACES = st.sampled_from(["", "幸福社区", "X社区", "光明村", "县城", "和平里"])


@FAST
@given(
    st.lists(st.tuples(PLACES, st.one_of(dates, amounts, doc_numbers, counts)), min_size=1, max_size=6),
    FILLER,
)
def test_dates_amounts_and_document_numbers_are_not_masked(items, filler):
    text = filler.join(place + value for place, value in items) + "。"
    assert find_personal_data(text) == []
    assert redact_text(text) == text


@FAST
@given(st.one_of(mobiles, landlines), mobiles, PREFIXES)
def test_the_bodys_own_contact_numbers_stay_wherever_they_appear(public, private, before):
    """The number a report gives for comments is kept, also where a measure repeats it written
    another way (brackets around the area code, +86); a resident's number next to it is masked."""
    keep = public_numbers([f"联系电话：{public}"])
    assert keep == {digits(public)}
    spelled = f"（{public[:4]}）{public[5:]}" if "-" in public else f"+86 {public}"
    text = f"{before}{public}，已公开服务电话{spelled}。居民电话{private}"
    out = redact_text(text, keep=keep)
    if digits(private) == digits(public):
        assert out == text
    else:
        assert out.startswith(f"{before}{public}，已公开服务电话{spelled}。居民电话")
        assert private not in out


def test_only_numbers_are_kept_and_a_number_must_be_seven_digits_to_match():
    keep = public_numbers(
        ["联系电话：0451-82345678", "电子邮箱：xcb@example.gov.cn", "邮政信箱：哈尔滨市123号信箱"]
    )
    assert keep == {"045182345678"}
    # A different number sharing the last digits is still masked.
    assert redact_text("电话0451-92345678", keep=keep) == "电话0451-****5678"
    assert redact_text("电话0451-82345678", keep=keep) == "电话0451-82345678"


def test_the_published_sample_wording_is_left_alone():
    text = (
        "2020年5月13日，县委第三巡察组向X社区党工委反馈了巡察意见。对X居委会3户居民反映自来水问题推拖。"
        "2018年9月至2020年1月党建动态模块信息未更新。2017年以来共有4名党员受到党政纪处分。"
        "根据《X社区文件学习传达制度》（X社发〔2020〕12号），支出12345.67元，完成率98.5%。"
    )
    assert redact_text(text) == text


def test_account_numbers_are_masked_where_named_and_index_numbers_are_not():
    assert redact_text("开户账号：1234567890123456789。") == "开户账号：1234 **** **** 6789。"
    index = "索引号：113307020501239658/2023-46395"  # an office's code, not a card (no Luhn)
    assert redact_text(index) == index


def test_marked_names_become_surname_and_mou():
    text = "户主张三、张三丰和欧阳娜娜反映，张三的低保已恢复。"
    assert (
        redact_text(text, ["张三", "张三丰", "欧阳娜娜"])
        == "户主张某、张某某和欧阳某某反映，张某的低保已恢复。"
    )
    assert redact_text(text) == text  # names are masked only when marked


# ---- ledgers and documents -------------------------------------------------------------------------
def ledger_with(values: list[str], road_number: tuple[str, str], name: str) -> dict:
    ledger = new_ledger(title="关于巡察整改进展情况的通报")
    ledger["round"].update(
        kind="巡察", inspector="县委第三巡察组", target="X社区党工委", feedback_date="2020-05-13"
    )
    ledger["preamble"] = "2020年5月13日，县委第三巡察组向X社区党工委反馈了巡察意见。"
    top = new_node(label="一、", number=1, level=1, title="民生保障方面")
    leaf = new_node(label="1.", number=1, level=2, title="低保动态管理不到位。")
    road, number = road_number
    leaf["problem"] = f"居民{name}（住{road}{number}）反映低保未及时发放，身份证号{values[0]}。"
    leaf["measures"] = [new_measure(f"联系{name}核实情况，电话{v}。") for v in values[1:]] or [
        new_measure("核实。")
    ]
    leaf["measures"][0]["owner"] = "李主任"
    leaf.update(status="in_progress", deadline="2020-07")
    top["children"] = [leaf]
    ledger["sections"] = [top]
    return ledger


def docx_text(data: bytes) -> str:
    return "".join(b for b in read_docx(data).blocks if isinstance(b, str))


@settings(FAST, max_examples=40)
@given(st.lists(st.one_of(ids, mobiles, landlines, bank_cards()), min_size=1, max_size=4), addresses())
def test_no_unmasked_number_survives_in_the_public_docx(values, address):
    ledger = ledger_with(values, address, "王小明")
    redacted, findings = redact_ledger(ledger, ["王小明"])
    text = docx_text(render_report(redacted, ReportOptions()))
    for value in values:
        assert digits(value) not in digits(text)
    assert "王小明" not in text and "王某某" in text
    assert address[0] + re.sub(r"\d", "*", address[1]) in text
    assert {f["kind"] for f in findings} >= {"name", "address"}
    assert "王小明" in docx_text(render_report(ledger, ReportOptions()))  # the original is untouched


def test_findings_say_where_and_what_for_the_preview():
    ledger = ledger_with(["110101199003071237", "13812345678"], ("幸福路", "12号3单元402室"), "王小明")
    redacted, findings = redact_ledger(ledger, ["王小明"])
    by_kind = {f["kind"]: f for f in findings}
    assert by_kind["id"] == {
        "where": "sections[0].children[0].problem",
        "cite": "一、1.",
        "field": "problem",
        "kind": "id",
        "kind_label": "身份证号码",
        "text": "110101199003071237",
        "masked": "110101********1237",
        "context": "）反映低保未及时发放，身份证号110101********1237。",
    }
    assert by_kind["address"]["context"] == "居民王某某（住幸福路**号*单元***室）反映低保未及时发放，身份证号"
    for finding in findings:  # no context shows another finding unmasked
        assert not any(other["text"] in finding["context"] for other in findings)
    assert by_kind["mobile"]["where"] == "sections[0].children[0].measures[0].text"
    assert (
        redacted["sections"][0]["children"][0]["measures"][0]["text"]
        == "联系王某某核实情况，电话138****5678。"
    )
    assert redacted["sections"][0]["children"][0]["deadline"] == "2020-07"
    assert redacted["round"] == ledger["round"] and redacted["preamble"] == ledger["preamble"]


@pytest.mark.skipif(
    not pdf_available() or not shutil.which("pdftotext"), reason=PdfUnavailable.default_message
)
@SLOW
@given(
    st.lists(st.one_of(ids, mobiles, landlines, bank_cards()), min_size=4, max_size=6),
    addresses(),
)
def test_no_unmasked_number_survives_in_the_public_pdf(tmp_path_factory, values, address):
    redacted, _ = redact_ledger(ledger_with(values, address, "王小明"), ["王小明"])
    pdf = tmp_path_factory.mktemp("redacted") / "public.pdf"
    pdf.write_bytes(docx_to_pdf(render_report(redacted, ReportOptions(fonts=Fonts.free()))))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s", "", text)
    for value in values:
        assert digits(value) not in digits(flat)
    # The masks are there, whole: the PDF's text is read, not lost.
    assert "王某某" in flat and re.sub(r"\d", "*", address[1]) in flat
    # (Compared as digits and stars: pdftotext drops a hyphen that ends a line.)
    stars = re.sub(r"[^\d*]", "", flat)
    for value in values:
        assert re.sub(r"[^\d*]", "", redact_text(value)) in stars
