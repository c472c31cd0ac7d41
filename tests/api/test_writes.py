"""The API's writes go through the pages' services: versions, rights, idempotency, errors."""

from __future__ import annotations

import datetime

import pytest

from zhenggai.api.models import IdempotencyKey
from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.models import DeadlineExtension, ExtensionStatus, MeasureStatus

TODAY = datetime.date.today().isoformat()


def test_a_measure_update_saves_and_moves_the_version(cast, api_as):
    measure = cast.a.measure
    response = api_as(cast.clerk_a).patch_json(
        f"/api/measures/{measure.pk}", {"version": measure.version, "text": "会议记录当场签字并存档。"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == measure.version + 1
    measure.refresh_from_db()
    assert measure.text == "会议记录当场签字并存档。"
    assert HistoryEntry.objects.filter(action="measure.update", object_id=str(measure.pk)).exists()


def test_a_stale_version_is_409_with_the_changes_since(cast, api_as):
    measure = cast.a.measure
    client = api_as(cast.clerk_a)
    url = f"/api/measures/{measure.pk}"
    client.patch_json(url, {"version": measure.version, "text": "第一次修改。"})
    response = client.patch_json(url, {"version": measure.version, "text": "第二次修改。"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["version"] == measure.version + 1
    assert body["changes"] == [{"field": "整改措施", "yours": "第二次修改。", "now": "第一次修改。"}]
    measure.refresh_from_db()
    assert measure.text == "第一次修改。"


def test_a_department_of_another_unit_is_refused(cast, api_as):
    response = api_as(cast.clerk_a).patch_json(
        f"/api/measures/{cast.a.measure.pk}", {"version": 1, "lead_department": cast.b.department.pk}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_of_the_unit"


def test_progress_evidence_and_submission(cast, api_as, settings):
    client = api_as(cast.clerk_a)
    pk = cast.a.measure.pk
    progress = client.post_json(
        f"/api/measures/{pk}/progress", {"happened_on": TODAY, "text": "制度已印发。"}
    )
    assert progress.status_code == 201 and progress.json()["text"] == "制度已印发。"
    upload = client.post(
        f"/api/measures/{pk}/evidence",
        {"file": _pdf("制度.pdf"), "description": "印发文件"},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["name"] == "制度.pdf"
    version = client.get(f"/api/measures/{pk}").json()["version"]
    submitted = client.post_json(f"/api/measures/{pk}/transitions", {"action": "submit", "version": version})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == MeasureStatus.SUBMITTED
    assert submitted.json()["transitions"] == []


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n", content_type="application/pdf")


def test_a_step_the_state_machine_refuses_is_422_in_chinese(cast, api_as):
    response = api_as(cast.officer).post_json(
        f"/api/measures/{cast.a.measure.pk}/transitions",
        {"action": "close", "version": cast.a.measure.version},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "refused" and "整改中" in response.json()["detail"]


def test_a_role_without_the_right_is_403(cast, api_as):
    response = api_as(cast.leader_a).post_json(
        f"/api/measures/{cast.a.measure.pk}/progress", {"happened_on": TODAY, "text": "x"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_an_extension_is_asked_and_decided(cast, api_as):
    pk = cast.a.measure.pk
    new = (cast.a.measure.deadline + datetime.timedelta(days=30)).isoformat()
    asked = api_as(cast.clerk_a).post_json(
        f"/api/measures/{pk}/extensions", {"new_deadline": new, "reason": "等待批复"}
    )
    assert asked.status_code == 201, asked.content
    decided = api_as(cast.officer).post_json(
        f"/api/extensions/{asked.json()['id']}/decision", {"approve": True}
    )
    assert decided.status_code == 200 and decided.json()["status"] == ExtensionStatus.APPROVED
    cast.a.measure.refresh_from_db()
    assert cast.a.measure.deadline.isoformat() == new
    assert DeadlineExtension.objects.get().decided_by == cast.officer


def test_the_lead_department_signs_for_a_measure(cast, api_as):
    from zhenggai.accounts.services import user_create
    from zhenggai.orgs.models import Role
    from zhenggai.orgs.services import membership_grant

    clerk = user_create(username="dept_clerk", password="x-test-password-1")
    membership_grant(user=clerk, organisation=cast.a.department, role=Role.UNIT_STAFF)
    response = api_as(clerk).post(f"/api/measures/{cast.a.measure.pk}/acknowledgement")
    assert response.status_code == 200, response.content
    assert response.json()["department"]["name"] == "甲社区办公室"


# --- Idempotency-Key ---------------------------------------------------------------------------------


def test_the_same_key_and_body_returns_the_first_answer_without_writing_again(cast, api_as):
    client = api_as(cast.clerk_a)
    url = f"/api/measures/{cast.a.measure.pk}/progress"
    body = {"happened_on": TODAY, "text": "制度已印发。"}
    first = client.post_json(url, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post_json(url, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert cast.a.measure.progress_entries.count() == 1


def test_the_same_key_with_another_body_is_422(cast, api_as):
    client = api_as(cast.clerk_a)
    url = f"/api/measures/{cast.a.measure.pk}/progress"
    client.post_json(url, {"happened_on": TODAY, "text": "一"}, HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post_json(url, {"happened_on": TODAY, "text": "二"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"
    assert cast.a.measure.progress_entries.count() == 1


def test_a_key_is_the_users_own_and_kept_a_day(cast, api_as, time_machine):
    url = f"/api/measures/{cast.a.measure.pk}/progress"
    body = {"happened_on": TODAY, "text": "一"}
    api_as(cast.clerk_a).post_json(url, body, HTTP_IDEMPOTENCY_KEY="k-3")
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=25))
    body["happened_on"] = datetime.date.today().isoformat()
    assert api_as(cast.clerk_a).post_json(url, body, HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201
    assert cast.a.measure.progress_entries.count() == 2
    assert IdempotencyKey.objects.count() == 1
    other = {"happened_on": datetime.date.today().isoformat(), "text": "二"}
    assert (
        api_as(cast.clerk_b)
        .post_json(f"/api/measures/{cast.b.measure.pk}/progress", other, HTTP_IDEMPOTENCY_KEY="k-3")
        .status_code
        == 201
    )
    assert IdempotencyKey.objects.count() == 2  # the same key, another person's


def test_a_refusal_is_not_stored(cast, api_as):
    client = api_as(cast.clerk_a)
    url = f"/api/measures/{cast.a.measure.pk}/transitions"
    refused = client.post_json(url, {"action": "submit", "version": 1}, HTTP_IDEMPOTENCY_KEY="k-4")
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"happened_on": "not a date", "text": "x"}, {"text": "x"}, {"happened_on": TODAY, "text": "a\u0000b"}],
)
def test_bad_input_is_422_with_errors(cast, api_as, body):
    response = api_as(cast.clerk_a).post_json(f"/api/measures/{cast.a.measure.pk}/progress", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["errors"]
