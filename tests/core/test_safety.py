"""Bad input ends in a DocumentError with a Chinese message: wrong type, too large, broken, hostile."""

from __future__ import annotations

import io
import zipfile

import pytest
from _core_support import make_docx, make_xlsx, replace_member

from zhenggai.core.errors import (
    CorruptFileError,
    DocumentError,
    TooLargeError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from zhenggai.core.parse import parse_document, parse_path
from zhenggai.core.safezip import ZipLimits, open_package

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


def test_entity_expansion_in_a_word_file_is_refused():
    data = replace_member(make_docx(["正文"]), "word/document.xml", BILLION_LAUGHS)
    with pytest.raises(UnsafeFileError) as caught:
        parse_document(data, "laughs.docx")
    assert "DTD" in caught.value.message


def test_an_external_entity_in_a_workbook_is_refused():
    workbook = make_xlsx([["序号", "问题", "整改措施"], [1, "问题一", "措施一"]])
    original = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/workbook.xml")
    body = original.split(b"?>", 1)[-1]
    data = replace_member(workbook, "xl/workbook.xml", EXTERNAL + body)
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
