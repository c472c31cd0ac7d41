"""The import through the API: a file becomes a draft (the parsed ledger), the draft a round, with
the import pages' refusals (a bad file: 422 with the same message, nothing kept)."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.imports.models import DraftStatus, ImportDraft
from zhenggai.imports.services import MAX_IMPORT_BYTES
from zhenggai.ledger.models import InspectionRound, Measure

SAMPLE = Path(__file__).parents[2] / "src/zhenggai/demo/data/x_community_2020_report.txt"


def _upload(client, cast, name: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, content), "inspected_unit": cast.a.unit.pk, **fields}
    return client.post("/api/imports", data)


def test_the_sample_report_becomes_a_draft_then_a_round_of_22_problems(api_as, cast):
    client = api_as(cast.clerk_a)
    rounds_before = InspectionRound.objects.count()
    response = _upload(client, cast, "报告.txt", SAMPLE.read_bytes())
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and draft["counts"]["problems"] == 22
    assert draft["ledger"]["title"] == "关于巡察社区整改情况的报告"
    assert draft["office"]["id"] == cast.office.pk  # the clerk's only office, as the page preselects it
    assert InspectionRound.objects.count() == rounds_before  # nothing in the ledger before the commit
    assert client.get(f"/api/imports/{draft['id']}").json()["ledger"] == draft["ledger"]
    committed = client.post(f"/api/imports/{draft['id']}/commit", HTTP_IDEMPOTENCY_KEY="c-1")
    assert committed.status_code == 201, committed.content
    round_ = InspectionRound.objects.get(pk=committed.json()["id"])
    assert round_.inspected_unit == cast.a.unit
    assert round_.problems.exclude(statement="").count() == 22
    assert set(Measure.objects.filter(round=round_).values_list("created_by", flat=True)) == {cast.clerk_a.pk}
    replay = client.post(f"/api/imports/{draft['id']}/commit", HTTP_IDEMPOTENCY_KEY="c-1")
    assert replay.json() == committed.json() and replay["Idempotent-Replayed"] == "true"
    again = client.post(f"/api/imports/{draft['id']}/commit")
    assert again.status_code == 422 and again.json()["code"] == "refused"
    assert InspectionRound.objects.count() == rounds_before + 1


def test_bad_files_are_refused_with_the_import_pages_message_and_nothing_kept(api_as, cast, settings):
    client = api_as(cast.clerk_a)
    for name, content, words in (
        ("旧.doc", b"\xd0\xcf\x11\xe0 old word", ".doc"),
        ("空.txt", b"   ", "空"),
        ("坏.docx", b"PK\x03\x04 not a zip", ""),
    ):
        response = _upload(client, cast, name, content)
        assert response.status_code == 422, (name, response.content)
        body = response.json()
        assert body["code"] == "unreadable_file" and words in body["detail"], body
    huge = _upload(client, cast, "大.txt", b"x" * (MAX_IMPORT_BYTES + 1))
    assert huge.status_code == 422 and "20 MB" in huge.json()["detail"]
    assert not ImportDraft.objects.exists()


def test_only_an_importer_for_the_unit_uploads_and_a_draft_is_its_uploaders_alone(api_as, cast):
    text = SAMPLE.read_bytes()
    refused = _upload(api_as(cast.clerk_b), cast, "报告.txt", text).json()
    assert refused["code"] == "not_of_the_unit" and "不是您可以为其导入" in refused["detail"]
    assert _upload(api_as(cast.outsider), cast, "报告.txt", text).status_code == 403
    draft = _upload(api_as(cast.clerk_a), cast, "报告.txt", text).json()
    for other in (cast.clerk_b, cast.officer, cast.leader_a):
        assert api_as(other).get(f"/api/imports/{draft['id']}").status_code == 404
        assert api_as(other).post(f"/api/imports/{draft['id']}/commit").status_code == 404
    assert ImportDraft.objects.get().status == DraftStatus.DRAFT
