"""Comments from the public and reports through the API: the comments pages' and the reports
pages' services, with their refusals."""

from __future__ import annotations

from zhenggai.comments.models import PublicComment
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.reports.models import ReportFile, ReportState, ReportVersion


def test_the_staff_read_a_rounds_comments_and_answer_each_once(api_as, cast):
    call = call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提出意见。", closes_on=None)
    comment = comment_submit(
        call=call, text="会议记录应当场签字。", name="张三", contact="138", logged_in=False, network="k"
    )
    client = api_as(cast.clerk_a)
    listed = client.get(f"/api/rounds/{cast.a.round.pk}/comments").json()
    assert [c["invitation"] for c in listed["calls"]] == ["欢迎提出意见。"] and listed["calls"][0]["open"]
    assert listed["total"] == 1 and listed["items"][0]["text"] == "会议记录应当场签字。"
    assert listed["items"][0]["answer"] == "" and not listed["items"][0]["overdue"]
    answered = client.post_json(
        f"/api/comments/{comment.pk}/answer", {"answer": "已建立当场签字制度。", "public": True}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["answer"] == "已建立当场签字制度。" and answered.json()["answered_by"] == "clerk_a"
    again = client.post_json(f"/api/comments/{comment.pk}/answer", {"answer": "改写答复。"})
    assert again.status_code == 422 and again.json()["code"] == "refused"
    assert PublicComment.objects.get().answer == "已建立当场签字制度。"
    assert api_as(cast.clerk_b).get(f"/api/rounds/{cast.a.round.pk}/comments").status_code == 404


def test_a_report_is_drafted_signed_off_by_another_and_issued_then_its_file_downloaded(api_as, cast):
    clerk, leader = api_as(cast.clerk_a), api_as(cast.leader_a)
    draft = clerk.post_json(f"/api/rounds/{cast.a.round.pk}/reports", {"kind": "public"}).json()
    assert draft["state"] == ReportState.DRAFT and draft["next_step"] == "sign_off" and draft["files"] == []
    assert clerk.get(f"/api/reports/{draft['id']}/file").status_code == 404  # a draft has no file yet
    signed = leader.post_json(f"/api/reports/{draft['id']}/sign-off", {"version": draft["version"]})
    assert signed.status_code == 200, signed.content
    stale = clerk.post_json(f"/api/reports/{draft['id']}/issue", {"version": draft["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    issued = clerk.post_json(f"/api/reports/{draft['id']}/issue", {"version": signed.json()["version"]})
    assert issued.status_code == 200, issued.content
    report = issued.json()
    assert report["state"] == ReportState.ISSUED and report["number"] == 1
    assert [f["format"] for f in report["files"]] == [f.format for f in ReportFile.objects.all()]
    docx = clerk.get(report["files"][0]["download"])
    assert docx.status_code == 200
    assert docx.content == bytes(ReportFile.objects.get(report_id=draft["id"], format="docx").data)
    listed = clerk.get(f"/api/rounds/{cast.a.round.pk}/reports").json()
    assert [r["id"] for r in listed] == [draft["id"]]


def test_whoever_drafted_a_report_cannot_sign_it_off(api_as, cast):
    membership_grant(user=cast.leader_a, organisation=cast.a.unit, role=Role.UNIT_STAFF)
    leader = api_as(cast.leader_a)
    draft = leader.post_json(f"/api/rounds/{cast.a.round.pk}/reports", {"kind": "progress"}).json()
    assert draft["recipient"] == cast.office.name
    refused = leader.post_json(f"/api/reports/{draft['id']}/sign-off", {"version": draft["version"]})
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    assert ReportVersion.objects.get().state == ReportState.DRAFT
