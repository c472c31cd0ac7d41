"""Bad input gets a clear Chinese message and changes nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.ledger.models import EvidenceFile, Measure


def _snapshot(measure: Measure):
    measure.refresh_from_db()
    return (
        measure.status,
        measure.version,
        measure.deadline,
        measure.text,
        measure.progress_entries.count(),
        EvidenceFile.objects.count(),
        Measure.objects.count(),
    )


def _upload(client, measure, name: str, content: bytes, htmx: bool = False):
    pk = measure.pk
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("ledger:evidence_upload", args=[pk]),
        {f"e{pk}-file": SimpleUploadedFile(name, content), f"e{pk}-description": "会议记录"},
        **headers,
    )


def test_a_too_large_evidence_file_is_refused(client, cast, settings):
    settings.ZHENGGAI = {**settings.ZHENGGAI, "EVIDENCE_MAX_BYTES": 1024}
    client.force_login(cast.clerk_a)
    before = _snapshot(cast.a.measure)
    response = _upload(client, cast.a.measure, "大文件.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    assert response.status_code == 400
    assert "文件大小" in response.content.decode() or "最大" in response.content.decode()
    assert _snapshot(cast.a.measure) == before
    assert not list((settings.MEDIA_ROOT).glob("**/*.*")) if settings.MEDIA_ROOT.exists() else True


def test_a_refused_file_type_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    before = _snapshot(cast.a.measure)
    response = _upload(client, cast.a.measure, "病毒.exe", b"MZ\x90\x00")
    assert response.status_code == 400
    assert "不接受" in response.content.decode()
    assert _snapshot(cast.a.measure) == before


def test_a_renamed_file_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    before = _snapshot(cast.a.measure)
    response = _upload(client, cast.a.measure, "记录.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "不是" in response.content.decode()
    assert _snapshot(cast.a.measure) == before


def test_an_htmx_upload_error_comes_back_in_the_card(client, cast):
    client.force_login(cast.clerk_a)
    response = _upload(client, cast.a.measure, "病毒.exe", b"MZ", htmx=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="measure-{cast.a.measure.pk}"' in content and "不接受" in content
    assert "<html" not in content


def test_a_measure_without_deadline_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    before = _snapshot(cast.a.measure)
    response = client.post(
        reverse("ledger:measure_add", args=[cast.a.problem.pk]),
        {"text": "新措施", "kind": "time_bound", "deadline": ""},
    )
    assert response.status_code == 400
    assert "每项整改措施都需要整改时限" in response.content.decode()
    assert _snapshot(cast.a.measure) == before


def test_a_date_in_the_wrong_format_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    before = _snapshot(cast.a.measure)
    response = client.post(
        reverse("ledger:measure_add", args=[cast.a.problem.pk]),
        {"text": "新措施", "kind": "time_bound", "deadline": "2024年13月45日"},
    )
    assert response.status_code == 400
    assert "请按“年-月-日”填写日期" in response.content.decode()
    pk = cast.a.measure.pk
    response = client.post(
        reverse("ledger:progress_add", args=[pk]), {f"p{pk}-happened_on": "31/07/2020", f"p{pk}-text": "开会"}
    )
    assert response.status_code == 400
    assert "请按“年-月-日”填写日期" in response.content.decode()
    assert _snapshot(cast.a.measure) == before


def test_a_progress_date_in_the_future_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    pk = cast.a.measure.pk
    response = client.post(
        reverse("ledger:progress_add", args=[pk]), {f"p{pk}-happened_on": "2999-01-01", f"p{pk}-text": "开会"}
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    assert cast.a.measure.progress_entries.count() == 0


def test_marking_done_without_evidence_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    measure = cast.a.measure
    before = _snapshot(measure)
    response = client.post(
        reverse("ledger:transition", args=[measure.pk]),
        {f"t{measure.pk}-action": "submit", f"t{measure.pk}-version": measure.version},
    )
    assert response.status_code == 400
    assert "佐证材料" in response.content.decode()
    assert _snapshot(measure) == before


def test_garbage_ids_and_params_never_give_a_500(client, cast):
    client.force_login(cast.clerk_a)
    for url in [
        reverse("ledger:round_ledger", args=[cast.a.round.pk])
        + "?page=abc&light=purple&status=x&department=zz",
        reverse("ledger:all_ledgers") + "?unit=-1&category=%00",
        "/rounds/99999999999999999999999/",
    ]:
        assert client.get(url).status_code in (200, 404), url


def test_an_empty_upload_is_refused(client, cast):
    client.force_login(cast.clerk_a)
    pk = cast.a.measure.pk
    response = client.post(reverse("ledger:evidence_upload", args=[pk]), {f"e{pk}-file": io.BytesIO(b"")})
    assert response.status_code == 400
