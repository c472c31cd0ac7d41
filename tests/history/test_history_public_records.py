"""`verify` checks what the public wrote against the history: residents' answers, comments, answers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhenggai.comments import services as comments
from zhenggai.comments.models import PublicComment
from zhenggai.history.report import Kind
from zhenggai.history.verify import verify
from zhenggai.receipts import services as receipts
from zhenggai.receipts.models import Receipt


@pytest.fixture
def public_records(cast):
    batch = receipts.batch_issue(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        title="宣传单回执",
        statement="已收到。",
        count=3,
        asks_satisfaction=True,
    )
    resident = Client(REMOTE_ADDR="10.1.1.1")
    url = reverse("receipts:confirm", args=[batch.receipts.get(number=1).token])
    resident.get(url)
    assert (
        resident.post(url, {"confirm": "on", "satisfaction": "satisfied", "phone": "13800000000"}).status_code
        == 302
    )
    call = comments.call_open(
        round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提意见。", closes_on=None
    )
    comment = comments.comment_submit(
        call=call, text="路灯坏了。", name="", contact="", logged_in=False, network="n"
    )
    comments.comment_answer(comment=comment, actor=cast.clerk_a, answer="已修好。", public=True)
    return batch, comment


def _kinds(report) -> list[tuple[Kind, str]]:
    return [(f.kind, f.record) for f in report.record_findings]


def test_untouched_public_records_verify_clean(public_records):
    report = verify()
    assert report.ok, report.text()
    assert report.public_records == 3  # one answered slip, one comment, one answer
    assert "群众回执与意见建议 public records: 3" in report.text()


def test_an_answer_edited_in_the_database_is_caught(public_records):
    batch, _comment = public_records
    Receipt.objects.filter(batch=batch, number=1).update(satisfaction="dissatisfied")
    report = verify()
    receipt = batch.receipts.get(number=1)
    assert _kinds(report) == [(Kind.RECORD_CHANGED, f"群众回执 receipt #{receipt.pk}")]
    assert "数据与变更记录不符" in report.text()


def test_a_slip_filled_in_through_the_database_is_caught(public_records):
    batch, _comment = public_records
    Receipt.objects.filter(batch=batch, number=2).update(confirmed_at=timezone.now(), household="代填")
    report = verify()
    receipt = batch.receipts.get(number=2)
    assert _kinds(report) == [(Kind.RECORD_UNRECORDED, f"群众回执 receipt #{receipt.pk}")]
    assert "疑似直接写入数据库" in report.text()


def test_a_comment_or_an_answer_rewritten_is_caught(public_records):
    _batch, comment = public_records
    PublicComment.objects.filter(pk=comment.pk).update(text="工作做得很好。")
    assert _kinds(verify()) == [(Kind.RECORD_CHANGED, f"意见建议 comment #{comment.pk}")]
    PublicComment.objects.filter(pk=comment.pk).update(text="路灯坏了。", answer_public=False)
    assert _kinds(verify()) == [(Kind.RECORD_CHANGED, f"答复 answer #{comment.pk}")]


def test_a_comment_made_up_or_deleted_is_caught(public_records, cast):
    _batch, comment = public_records
    made_up = PublicComment.objects.create(call=comment.call, text="整改效果很好，群众非常满意！")
    PublicComment.objects.filter(pk=comment.pk).delete()
    found = _kinds(verify())
    assert (Kind.RECORD_UNRECORDED, f"意见建议 comment #{made_up.pk}") in found
    assert (Kind.RECORD_CHANGED, f"意见建议 comment #{comment.pk}") in found
    assert (Kind.RECORD_CHANGED, f"答复 answer #{comment.pk}") in found
