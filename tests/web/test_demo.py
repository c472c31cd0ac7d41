from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from zhenggai.ledger.models import InspectionRound, Measure


def test_the_demo_holds_the_sample_report(db):
    call_command("load_demo", verbosity=0)
    round_ = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    assert round_.inspecting_group.name == "县委第三巡察组"
    assert str(round_.feedback_date) == "2020-05-13"
    problems = round_.problems
    assert problems.filter(level=1).count() == 3
    assert problems.filter(level=2).count() == 11
    assert problems.exclude(statement="").count() == 22
    assert Measure.objects.filter(round=round_).count() == 50
    assert not problems.filter(title__contains="QQ").exists()
    assert {"admin", "xunchaban", "x_clerk", "x_leader", "y_clerk"} <= set(
        get_user_model().objects.values_list("username", flat=True)
    )


def test_loading_the_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    count = Measure.objects.count()
    call_command("load_demo")
    assert Measure.objects.count() == count
    assert "x_clerk" in capsys.readouterr().out


def test_the_demo_shows_the_office_a_plan_copied_from_another_unit(client, db):
    call_command("load_demo", verbosity=0)
    copied = Measure.objects.get(round__inspected_unit__name="Y社区党工委", text__startswith="建章立制")
    url = reverse("ledger:problem_detail", args=[copied.problem_id])
    client.force_login(get_user_model().objects.get(username="xunchaban"))
    assert "X社区党工委 · " in client.get(url).content.decode()
    client.force_login(get_user_model().objects.get(username="y_clerk"))
    page = client.get(url).content.decode()
    assert 'data-testid="copy-hint"' not in page and "X社区" not in page


def test_the_demo_shows_receipts_answered_from_one_desk(client, db):
    from zhenggai.receipts.models import ReceiptBatch

    call_command("load_demo", verbosity=0)
    batch = ReceiptBatch.objects.get(measure__round__inspected_unit__name="Y社区党工委")
    client.force_login(get_user_model().objects.get(username="xunchaban"))
    page = client.get(reverse("receipts:batch_detail", args=[batch.pk])).content.decode()
    assert 'data-count="confirmed">5<' in page
    assert 'data-count="suspect">3<' in page


def test_the_demo_has_a_public_page_with_an_answered_comment(client, db):
    from zhenggai.comments.models import CommentCall

    call_command("load_demo", verbosity=0)
    call = CommentCall.objects.get(round__inspected_unit__name="X社区党工委")
    page = client.get(reverse("comments:public", args=[call.token])).content.decode()
    assert "楼道灯" in page and "感谢监督" in page and "低保" not in page


def test_the_demo_history_verifies_clean(db, settings, tmp_path):
    from zhenggai.history.verify import verify

    call_command("load_demo", verbosity=0)
    report = verify()
    assert report.ok, report.text()
    assert report.public_records == 5 + 2 + 1  # answered slips, comments, answers


def test_the_demo_reaches_closing_only_through_the_review(db):
    call_command("load_demo", verbosity=0)
    measures = Measure.objects.filter(round__inspected_unit__name="X社区党工委")
    states = {s: measures.filter(status=s).count() for s in ("submitted", "confirmed", "closed")}
    assert states == {"submitted": 1, "confirmed": 2, "closed": 2}
    # What the report claims done and nobody has backed yet stays in progress, shown as a claim.
    assert measures.filter(claimed_status="done", status="in_progress").count() == 1
    for m in measures.exclude(status__in=["not_started", "in_progress"]):
        assert m.submitted_by_id and m.progress_entries.exists() and m.evidence_files.exists()
        if m.status == "closed":
            closer = m.decisions.get(decision="closed").actor_id
            assert closer not in {m.created_by_id, m.submitted_by_id, m.confirmed_by_id}
