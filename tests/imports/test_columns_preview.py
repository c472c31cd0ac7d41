"""The import preview says how a document's tables were read: each column's printed name and the
field it was read as, in one compact line, in Chinese or (through i18n) in English."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.imports.models import ImportDraft


def _word_ledger() -> bytes:
    """A made-up report whose findings sit in a table with an office's own column names."""
    document = docx.Document()
    document.add_paragraph("某局党组关于巡察反馈意见整改情况的报告")
    document.add_paragraph("一、党的建设方面")
    rows = [
        ["编号", "存在问题", "整改举措", "牵头领导", "责任单位", "完成时限", "整改进展", "联系人"],
        ["1", "学习不深入。", "1.制定计划；2.开展研讨。", "张某", "办公室", "2024年6月", "已完成", "李某"],
    ]
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def draft(client, cast) -> ImportDraft:
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile("整改台账.docx", _word_ledger()),
            "inspected_unit": cast.a.unit.pk,
            "office": cast.office.pk,
        },
    )
    return ImportDraft.objects.get(pk=re.search(r"/imports/(\d+)/$", response["Location"]).group(1))


def _columns_line(page: str) -> str:
    start = page.index('data-testid="columns-read"')
    return re.sub(r"<[^>]+>", "", page[page.index(">", start) + 1 : page.index("</p>", start)])


def test_the_preview_shows_the_columns_each_table_was_read_by(client, draft):
    assert draft.ledger["sections"][0]["children"][0]["measures"][1]["text"] == "开展研讨。"
    page = client.get(reverse("imports:draft", args=[draft.pk])).content.decode()
    assert _columns_line(page) == (
        "列对应：编号→序号，存在问题→问题，整改举措→整改措施，牵头领导→责任领导，责任单位→责任部门，"
        "完成时限→整改时限，整改进展→整改进展；未读取：联系人"
    )


def test_the_columns_line_is_in_english_for_an_english_reader(client, draft):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("imports:draft", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    line = _columns_line(page)
    assert line.startswith("Columns read as：编号→No.，存在问题→Problem，整改举措→Measures")
    assert line.endswith("；not read：联系人")


def test_a_document_without_tables_shows_no_columns_line(client, cast):
    client.force_login(cast.clerk_a)
    text = "关于整改情况的报告\n一、学习方面\n（一）学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n"
    response = client.post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile("报告.txt", text.encode()),
            "inspected_unit": cast.a.unit.pk,
            "office": cast.office.pk,
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="columns-read"' not in page
