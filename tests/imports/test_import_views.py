"""Import through the web: preview, correct, commit in one transaction; broken files create nothing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.imports.models import DraftStatus, ImportDraft
from zhenggai.ledger import services as ledger_services
from zhenggai.ledger.models import InspectionRound, Measure, Problem

SAMPLE = Path(__file__).parents[2] / "src/zhenggai/demo/data/x_community_2020_report.txt"


def _upload(client, cast, name: str, content: bytes):
    return client.post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile(name, content),
            "inspected_unit": cast.a.unit.pk,
            "office": cast.office.pk,
        },
    )


def _draft_of(response) -> ImportDraft:
    match = re.search(r"/imports/(\d+)/$", response["Location"])
    assert match, response["Location"]
    return ImportDraft.objects.get(pk=match.group(1))


def test_the_sample_report_comes_in_as_22_problems_after_a_preview(client, cast):
    client.force_login(cast.clerk_a)
    rounds_before = InspectionRound.objects.count()
    response = _upload(client, cast, "报告.txt", SAMPLE.read_bytes())
    assert response.status_code == 302
    draft = _draft_of(response)
    assert InspectionRound.objects.count() == rounds_before  # nothing in the ledger before the commit
    page = client.get(reverse("imports:draft", args=[draft.pk])).content.decode()
    assert 'data-count="problems">22<' in page
    assert "关于巡察社区整改情况的报告" in page
    assert "QQ206157060" in page  # shown struck out among the dropped lines, not as content
    # The statuses the report gives are shown as its claims, and the page says what becomes of them.
    assert 'data-claim="done">报告称已完成<' in page and "只作为报告所称记录" in page
    response = client.post(reverse("imports:draft_commit", args=[draft.pk]))
    round_ = InspectionRound.objects.exclude(pk__in=[cast.a.round.pk, cast.b.round.pk]).get()
    assert response["Location"] == round_.get_absolute_url()
    assert round_.problems.exclude(statement="").count() == 22
    assert round_.inspected_unit == cast.a.unit
    assert not round_.problems.filter(title__contains="QQ").exists()
    measures = Measure.objects.filter(round=round_)
    assert not measures.exclude(status__in=["not_started", "in_progress"]).exists()
    assert measures.filter(claimed_status="done", status="in_progress").count() == 6
    assert set(measures.values_list("created_by", flat=True)) == {cast.clerk_a.pk}
    draft.refresh_from_db()
    assert draft.status == DraftStatus.COMMITTED
    # committing twice creates nothing more
    client.post(reverse("imports:draft_commit", args=[draft.pk]))
    assert InspectionRound.objects.count() == rounds_before + 1


def test_corrections_are_applied_before_the_commit(client, cast):
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, "报告.txt", SAMPLE.read_bytes()))
    url = reverse("imports:draft_edit", args=[draft.pk])
    response = client.post(
        url,
        {
            "operation": "edit",
            "path": "0",
            "version": draft.version,
            "label": "一、",
            "title": "改过的标题",
            "problem": "",
            "measures": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.ledger["sections"][0]["title"] == "改过的标题"
    # a second tab still holding the old version is refused
    stale = client.post(url, {"operation": "delete", "path": "0", "version": draft.version - 1})
    assert stale.status_code == 409
    assert "请刷新" in stale.content.decode()
    assert len(ImportDraft.objects.get(pk=draft.pk).ledger["sections"]) == 3
    client.post(url, {"operation": "delete", "path": "2", "version": draft.version})
    client.post(reverse("imports:draft_commit", args=[draft.pk]))
    round_ = ImportDraft.objects.get(pk=draft.pk).committed_round
    assert round_.problems.filter(level=1).count() == 2
    assert round_.problems.filter(level=1).first().title == "改过的标题"


def _broken_files():
    good_zip = io.BytesIO()
    with zipfile.ZipFile(good_zip, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    yield "报告.docx", b"PK\x03\x04 this is not a zip"
    yield "台账.xlsx", good_zip.getvalue()
    yield "报告.pdf", b"%PDF-1.4 broken"
    yield "图片.exe", b"MZ\x90"
    yield "空.txt", b""
    yield "乱码.txt", bytes(range(256)) * 50


@pytest.mark.parametrize(("name", "content"), list(_broken_files()))
def test_a_broken_file_shows_a_chinese_error_and_creates_nothing(client, cast, name, content):
    client.force_login(cast.clerk_a)
    response = _upload(client, cast, name, content)
    assert response.status_code == 400
    errors = re.findall(r'class="field-error"[^>]*>([^<]+)<', response.content.decode())
    assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors)
    assert not ImportDraft.objects.exists()


def test_an_import_interrupted_half_way_leaves_no_partial_round(client, cast, monkeypatch):
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, "报告.txt", SAMPLE.read_bytes()))
    real = ledger_services.measure_create
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(ledger_services, "measure_create", failing)
    before = (InspectionRound.objects.count(), Problem.objects.count(), Measure.objects.count())
    client.raise_request_exception = False
    response = client.post(reverse("imports:draft_commit", args=[draft.pk]))
    assert response.status_code == 500
    assert (InspectionRound.objects.count(), Problem.objects.count(), Measure.objects.count()) == before
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT  # it can be committed again once the fault is gone


def test_someone_else_cannot_see_or_commit_my_draft(client, cast):
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, "报告.txt", SAMPLE.read_bytes()))
    client.force_login(cast.clerk_b)
    for name in ["draft", "draft_edit", "draft_round_info", "draft_commit", "draft_discard"]:
        method = client.get if name == "draft" else client.post
        assert method(reverse(f"imports:{name}", args=[draft.pk])).status_code == 404, name
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT


def test_a_unit_clerk_may_import_only_for_their_unit(client, cast):
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile("报告.txt", SAMPLE.read_bytes()),
            "inspected_unit": cast.b.unit.pk,
            "office": cast.office.pk,
        },
    )
    assert response.status_code == 400
    assert not ImportDraft.objects.exists()


def test_users_without_a_role_that_imports_cannot_import(client, cast):
    for user in (cast.outsider, cast.leader_a):
        client.force_login(user)
        assert client.get(reverse("imports:upload")).status_code == 403
        response = _upload(client, cast, "报告.txt", SAMPLE.read_bytes())
        assert response.status_code == 403 and "无权" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_a_draft_left_by_someone_who_lost_the_role_cannot_be_committed(client, cast):
    from zhenggai.orgs.models import Membership

    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, "报告.txt", SAMPLE.read_bytes()))
    Membership.objects.filter(user=cast.clerk_a).delete()
    cast.clerk_a = type(cast.clerk_a).objects.get(pk=cast.clerk_a.pk)  # memberships are cached per user
    client.force_login(cast.clerk_a)
    assert client.post(reverse("imports:draft_commit", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and draft.committed_round_id is None


PLAN = """甲社区党委关于巡察整改情况的报告
一、党的建设方面
1.会议记录不规范。
整改情况：一是甲社区党委召开专题会议，对2020年以来的会议记录逐本核查，建立会议记录当场签字制度。二是进一步加强学习教育，切实提高思想认识，不断增强纪律意识。
"""


def test_the_preview_points_out_slogans_and_copies_the_importer_may_see(client, cast):
    # The same measure, in unit B's words and year: a copy for whoever sees both plans.
    ledger_services.measure_create(
        problem=cast.b.problem,
        actor=None,
        text="乙社区党委召开专题会议，对2021年以来的会议记录逐本核查，建立会议记录当场签字制度。",
    )
    client.force_login(cast.officer)
    draft = _draft_of(_upload(client, cast, "方案.txt", PLAN.encode()))
    page = client.get(reverse("imports:draft", args=[draft.pk])).content.decode()
    hints = page[page.index('data-testid="plan-hints"') : page.index("</details>", page.index("plan-hints"))]
    assert "2 项措施需再看一看" in hints
    assert "一、1. 第 2 条措施" in hints and "疑似“喊口号”" in hints
    assert "一、1. 第 1 条措施" in hints and "乙社区 · 乙社区巡察整改" in hints
    # Unit A's clerk does not see unit B's plan: the slogan only.
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, "方案.txt", PLAN.encode()))
    page = client.get(reverse("imports:draft", args=[draft.pk])).content.decode()
    assert 'data-testid="plan-hints"' in page and "疑似“喊口号”" in page and "乙社区" not in page


def test_the_preview_points_out_a_near_copy_with_how_much_is_the_same(client, cast):
    # Unit B's measure says the same with a few words changed: not word for word, but near.
    ledger_services.measure_create(
        problem=cast.b.problem,
        actor=None,
        text="乙社区党委召开专题会议，对2021年以来的全部会议记录逐本核查，建立会议记录会上当场签字制度。",
    )
    client.force_login(cast.officer)
    draft = _draft_of(_upload(client, cast, "方案.txt", PLAN.encode()))
    page = client.get(reverse("imports:draft", args=[draft.pk])).content.decode()
    hints = page[page.index('data-testid="plan-hints"') : page.index("</details>", page.index("plan-hints"))]
    assert "一、1. 第 1 条措施" in hints and "乙社区 · 乙社区巡察整改" in hints
    assert re.search(r"与以下措施 \d+% 相同", hints) and "与以下措施一字不差" not in hints


def test_a_workbook_past_the_reading_bounds_shows_why_and_creates_nothing(client, cast):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "问题", "整改措施"])
    sheet.cell(row=60_000, column=1, value=1)  # a value far below: the sheet has 60,000 rows to read
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(cast.clerk_a)
    response = _upload(client, cast, "台账.xlsx", buffer.getvalue())
    assert response.status_code == 400
    assert "的行数过多（超过 5 万 行），已拒绝读取，请拆分后分别导入" in response.content.decode()
    assert (
        not ImportDraft.objects.exists()
        and not InspectionRound.objects.exclude(pk__in=[cast.a.round.pk, cast.b.round.pk]).exists()
    )
