"""Bad input ends in a DocumentError with a Chinese message: wrong type, too large, broken, hostile."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest
from _core_support import make_docx, make_xlsx, replace_member
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.core.errors import (
    CorruptFileError,
    DocumentError,
    TooLargeError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from zhenggai.core.parse import parse_document, parse_path
from zhenggai.core.safezip import ZipLimits, check_xml, open_package, xml_encoding

FAST = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>"""
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'


def zip_bomb(kind: str) -> bytes:
    buffer = io.BytesIO()
    member = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(member, b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_zip_bomb_is_refused_before_it_is_decompressed(kind):
    data = zip_bomb(kind)
    assert len(data) < 200_000
    with pytest.raises((UnsafeFileError, TooLargeError)) as caught:
        parse_document(data, f"bomb.{kind}")
    assert "压缩" in caught.value.message


def test_declared_sizes_bound_the_whole_package():
    with pytest.raises(TooLargeError):
        open_package(make_docx(["一段文字"] * 50), kind="Word 文档", limits=ZipLimits(max_total_bytes=1000))


def _in_encoding(xml: bytes, encoding: str) -> bytes:
    """An XML part re-encoded, declaration and byte order mark included (none for UTF-8)."""
    if encoding == "utf-8":
        return xml
    text = xml.decode("utf-8").replace('version="1.0"?>', f'version="1.0" encoding="{encoding[:6]}"?>', 1)
    return _encoded(text, encoding, marked=True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_entity_expansion_in_a_word_file_is_refused(encoding):
    data = replace_member(make_docx(["正文"]), "word/document.xml", _in_encoding(BILLION_LAUGHS, encoding))
    with pytest.raises(UnsafeFileError) as caught:
        parse_document(data, "laughs.docx")
    assert "DTD" in caught.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32-be"])
def test_an_external_entity_in_a_workbook_is_refused(encoding):
    workbook = make_xlsx([["序号", "问题", "整改措施"], [1, "问题一", "措施一"]])
    original = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/workbook.xml")
    body = original.split(b"?>", 1)[-1]
    data = replace_member(workbook, "xl/workbook.xml", _in_encoding(EXTERNAL + body, encoding))
    with pytest.raises(UnsafeFileError):
        parse_document(data, "entity.xlsx")


@pytest.mark.parametrize(
    ("data", "name", "error", "words"),
    [
        (b"just some text", "report.docx", CorruptFileError, "不是有效的 Word 文档"),
        (b"PK\x03\x04broken", "ledger.xlsx", CorruptFileError, "文件已损坏"),
        (b"%PDF-1.4 nothing", "scan.pdf", DocumentError, "PDF"),
        (b"\xd0\xcf\x11\xe0old word", "old.doc", UnsupportedFormatError, ".docx"),
        (b"\x89PNG\r\n\x1a\n", "photo.png", UnsupportedFormatError, "不支持"),
        (b"", "empty.txt", DocumentError, "空"),
    ],
)
def test_wrong_or_broken_files_give_a_clear_chinese_message(data, name, error, words):
    with pytest.raises(error) as caught:
        parse_document(data, name)
    assert words in caught.value.message


def test_a_truncated_word_file_is_reported_as_broken():
    data = make_docx(["第一段", "第二段"] * 20)
    with pytest.raises(CorruptFileError):
        parse_document(data[: len(data) // 2], "cut.docx")


def test_input_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(TooLargeError) as caught:
        parse_document(b"x" * 2000, "big.txt", max_bytes=1000)
    assert "上限" in caught.value.message
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(TooLargeError):
        parse_path(path, max_bytes=1000)
    with pytest.raises(DocumentError):
        parse_path(tmp_path / "missing.txt")


def test_an_encrypted_or_oddly_compressed_package_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as package:
        package.writestr("word/document.xml", "<a/>")
    with pytest.raises(CorruptFileError):
        parse_document(buffer.getvalue(), "odd.docx")


def test_a_huge_merged_range_does_not_make_the_reader_spin():
    workbook = make_xlsx([["序号", "问题", "整改措施"], [1, "问题一", "措施一"]], merges=["A2:A5"])
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'ref="A2:A5"', b'ref="A2:XFD1048576"')
    ledger = parse_document(replace_member(workbook, "xl/worksheets/sheet1.xml", sheet), "wide.xlsx")
    assert ledger["sections"][0]["title"] == "问题一"


# --- DTDs in every encoding an XML parser reads ----------------------------------------------------

ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
MARKS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
DTDS = [
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>',
    '<!doctype r SYSTEM "file:///etc/passwd">',
    '<!ENTITY e SYSTEM "http://example.invalid/">',
]


def _encoded(text: str, encoding: str, marked: bool) -> bytes:
    return (MARKS[encoding] if marked else b"") + text.encode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("marked", [True, False])
@pytest.mark.parametrize("declared", [True, False])
@pytest.mark.parametrize("dtd", DTDS)
def test_a_dtd_is_found_in_utf16_and_utf32_with_or_without_a_byte_order_mark(encoding, marked, declared, dtd):
    head = f'<?xml version="1.0" encoding="{encoding.upper()[:6]}"?>\n' if declared else ""
    with pytest.raises(UnsafeFileError) as caught:
        check_xml(_encoded(f"{head}{dtd}\n<r>&a;</r>", encoding, marked), kind="Word 文档")
    assert "DTD" in caught.value.message
    check_xml(_encoded(f"{head}<r>正文</r>", encoding, marked), kind="Word 文档")  # no DTD: read


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_encoding_is_told_from_the_first_bytes_as_the_xml_specification_says(encoding):
    for marked in (True, False):
        data = _encoded('<?xml version="1.0"?><r/>', encoding, marked)
        codec, mark = xml_encoding(data)
        assert data[mark:].decode(codec).startswith("<?xml")


def test_a_dtd_in_utf7_or_an_encoding_not_known_is_refused():
    utf7 = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY a +ACI-x+ACI-+AD4-+AF0-+AD4-<r/>'
    with pytest.raises(UnsafeFileError):
        check_xml(utf7, kind="Excel 工作簿")
    with pytest.raises(UnsafeFileError) as caught:
        check_xml(b'<?xml version="1.0" encoding="x-made-up"?><r/>', kind="Excel 工作簿")
    assert "字符编码" in caught.value.message
    with pytest.raises(UnsafeFileError):
        check_xml("<?xml version='1.0'?><r/>".encode("cp037"), kind="Excel 工作簿")  # EBCDIC
    check_xml(b'<?xml version="1.0" encoding="GBK"?><r>\xd5\xfd\xce\xc4</r>', kind="Excel 工作簿")


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="<&\x00", exclude_categories=("Cs", "Cc")),
    max_size=40,
)


@FAST
@given(
    encoding=st.sampled_from(ENCODINGS),
    marked=st.booleans(),
    dtd=st.sampled_from(DTDS),
    comment=_WORDS.filter(lambda t: "--" not in t and not t.endswith("-")),
    body=_WORDS,
)
def test_any_dtd_in_any_of_these_encodings_is_refused(encoding, marked, dtd, comment, body):
    document = f'<?xml version="1.0"?>\n<!--{comment}-->\n{dtd}<r>{body}</r>'
    with pytest.raises(UnsafeFileError):
        check_xml(_encoded(document, encoding, marked), kind="Word 文档")
    check_xml(
        _encoded(f'<?xml version="1.0"?>\n<!--{comment}--><r>{body}</r>', encoding, marked), kind="Word 文档"
    )


def test_a_word_file_in_utf16_without_a_dtd_is_still_read():
    data = make_docx(["一、学习方面", "（一）学习不深入。"])
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    document = document.replace("encoding='UTF-8'", "encoding='UTF-16'").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    ledger = parse_document(
        replace_member(data, "word/document.xml", _encoded(document, "utf-16-le", True)), "u16.docx"
    )
    assert ledger["sections"][0]["title"].startswith("学习方面")
