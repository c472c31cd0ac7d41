"""The import preview is compact (collapsed levels, actions on the selected item only) and loses
nothing: saving one item answers with that item alone, so what is typed in others stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.imports.models import ImportDraft

SAMPLE = Path(__file__).parents[2] / "src/zhenggai/demo/data/x_community_2020_report.txt"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(client, cast) -> ImportDraft:
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile("报告.txt", SAMPLE.read_bytes()),
            "inspected_unit": cast.a.unit.pk,
            "office": cast.office.pk,
        },
    )
    return ImportDraft.objects.get(pk=re.search(r"/imports/(\d+)/$", response["Location"]).group(1))


def _outline(page: str) -> str:
    return page[page.index('data-testid="outline"') : page.index('class="commit"')]


def _edit(draft, path: str, version: int, title: str) -> dict:
    node = draft.ledger["sections"][int(path.split(".")[0])]
    for index in path.split(".")[1:]:
        node = node["children"][int(index)]
    return {
        "operation": "edit",
        "path": path,
        "version": version,
        "label": node["label"],
        "title": title,
        "problem": node.get("problem") or "",
        "measures": "\n".join(m["text"] for m in node.get("measures") or []),
    }


def test_the_preview_shows_each_item_as_one_line_with_no_form_until_one_is_chosen(client, draft):
    outline = _outline(client.get(reverse("imports:draft", args=[draft.pk])).content.decode())
    items = outline.count('class="node depth-')
    assert items >= 25  # the sample's sections and problems
    assert outline.count('data-op="open"') == items
    assert "<form" not in outline and "<textarea" not in outline and "<button" not in outline
    # Deeper levels are collapsed: only the top level's branches are open.
    assert outline.count("<details") > outline.count('<details class="node-children" open')


def test_the_chosen_item_alone_carries_its_form_and_actions(client, draft):
    page = client.get(reverse("imports:draft", args=[draft.pk]), {"item": "0.1"}).content.decode()
    outline = _outline(page)
    assert outline.count("<form") == 1 and 'data-path="0.1"' in outline
    form = outline[outline.index('<form method="post"') : outline.index("</form>")]
    ops = re.findall(r'data-op="([a-z]+)"', form)
    assert ops == ["edit", "collapse", "up", "down", "indent", "outdent", "merge", "split", "delete"]
    assert outline.count("<button") == 8  # save and the seven changes of structure, once


def test_an_item_opens_and_collapses_in_place(client, draft):
    url = reverse("imports:draft_item", args=[draft.pk])
    opened = client.get(url, {"path": "0.1", "open": "1"}, **HTMX).content.decode()
    assert opened.startswith('<div class="node-body selected" id="node-0-1">') and "<textarea" in opened
    closed = client.get(url, {"path": "0.1"}, **HTMX).content.decode()
    assert 'id="node-0-1"' in closed and "<form" not in closed
    plain = client.get(url, {"path": "0.1", "open": "1"})
    assert plain.status_code == 302 and plain["Location"].endswith("?item=0.1#node-0-1")
    missing = client.get(url, {"path": "99.9", "open": "1"}, **HTMX)
    assert missing.status_code == 200 and "找不到该节点" in missing.content.decode()


def test_saving_one_item_answers_with_that_item_alone_and_the_new_version(client, draft):
    url = reverse("imports:draft_edit", args=[draft.pk])
    version = draft.version
    response = client.post(url, _edit(draft, "0.1", version, "第一处改动"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="node-0-1"' in body and "第一处改动" in body and "<form" not in body
    assert 'id="node-0-2"' not in body and 'id="node-0"' not in body  # no other item is redrawn
    assert f'id="draft-version" value="{version + 1}" hx-swap-oob="true"' in body
    assert 'id="draft-counts"' in body and 'hx-swap-oob="true"' in body
    # The next item's save, carrying the version the answer gave, goes through: both are kept.
    client.post(url, _edit(draft, "0.2", version + 1, "第二处改动"), **HTMX)
    draft.refresh_from_db()
    children = draft.ledger["sections"][0]["children"]
    assert (children[1]["title"], children[2]["title"]) == ("第一处改动", "第二处改动")


def test_a_stale_save_keeps_what_was_typed_and_says_why(client, draft):
    url = reverse("imports:draft_edit", args=[draft.pk])
    client.post(url, _edit(draft, "0.1", draft.version, "别处先改"), **HTMX)
    stale = client.post(url, _edit(draft, "0.2", draft.version, "我的改动，不能丢"), **HTMX)
    body = stale.content.decode()
    assert 'class="node-body selected" id="node-0-2"' in body and 'value="我的改动，不能丢"' in body
    assert "请刷新" in body or "Reload" in body
    draft.refresh_from_db()
    assert draft.ledger["sections"][0]["children"][2]["title"] != "我的改动，不能丢"
