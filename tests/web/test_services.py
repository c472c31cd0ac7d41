"""The ledger's write services: versions, progress, evidence."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import EvidenceFile, MeasureStatus
from zhenggai.ledger.services import evidence_attach, measure_create, measure_update, progress_record
from zhenggai.ledger.transitions import measure_transition
from zhenggai.ledger.workflow import Action


def test_a_stale_update_is_refused_with_what_changed(cast):
    measure = cast.a.measure
    old_version = measure.version
    measure_update(measure=measure, actor=cast.clerk_a, expected_version=old_version, text="新的措施文字")
    with pytest.raises(StaleEdit) as caught:
        measure_update(
            measure=measure, actor=cast.clerk_a, expected_version=old_version, text="另一个人的文字"
        )
    assert caught.value.changes == [("整改措施", "另一个人的文字", "新的措施文字")]
    measure.refresh_from_db()
    assert measure.text == "新的措施文字"
    assert measure.version == old_version + 1


def test_a_stale_form_is_refused_on_the_edit_page(client, cast):
    measure = cast.a.measure
    client.force_login(cast.clerk_a)
    url = reverse("ledger:measure_edit", args=[measure.pk])
    form = {"text": "甲的修改", "kind": "time_bound", "deadline": "2030-01-01", "version": measure.version}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "text": "乙的修改"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "已被他人保存" in content and "甲的修改" in content
    measure.refresh_from_db()
    assert measure.text == "甲的修改"


def test_first_progress_starts_the_work(cast):
    measure = measure_create(problem=cast.a.problem, actor=cast.clerk_a, text="新措施")
    assert measure.status == MeasureStatus.NOT_STARTED
    progress_record(
        measure=measure, actor=cast.clerk_a, happened_on=datetime.date.today(), text="召开专题会议"
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    entry = measure.progress_entries.get()
    assert entry.recorded_at is not None and entry.happened_on == datetime.date.today()


def test_reporting_done_needs_progress_and_evidence_then_works(cast):
    measure = cast.a.measure
    with pytest.raises(LedgerError, match="佐证材料"):
        measure_transition(
            measure=measure, actor=cast.clerk_a, action=Action.SUBMIT, expected_version=measure.version
        )
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=datetime.date.today(), text="制度已印发")
    evidence_attach(
        measure=measure, actor=cast.clerk_a, name="纪要.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    measure.refresh_from_db()
    done = measure_transition(
        measure=measure,
        actor=cast.clerk_a,
        action=Action.SUBMIT,
        expected_version=measure.version,
        completed_on=datetime.date.today(),
    )
    assert done.status == MeasureStatus.SUBMITTED and done.completed_on == datetime.date.today()
    assert done.submitted_by == cast.clerk_a


def test_evidence_is_stored_under_its_content_hash_once(cast):
    data = b"%PDF-1.4\nsame bytes"
    one = evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="a.pdf", size=len(data), stream=io.BytesIO(data)
    )
    two = evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="b.pdf", size=len(data), stream=io.BytesIO(data)
    )
    assert one.file.name == two.file.name == f"evidence/{one.sha256[:2]}/{one.sha256}"
    assert EvidenceFile.objects.count() == 2
    with one.file.open("rb") as stored:
        assert stored.read() == data


def test_evidence_downloads_with_its_original_name(client, cast):
    data = b"%PDF-1.4\n"
    evidence = evidence_attach(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        name="会议纪要.pdf",
        size=len(data),
        stream=io.BytesIO(data),
    )
    client.force_login(cast.officer)
    response = client.get(reverse("ledger:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    response.close()
    assert "attachment" in response["Content-Disposition"]
