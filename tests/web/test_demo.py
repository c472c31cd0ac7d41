from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from zhenggai.demo.loader import DEMO_LOGINS
from zhenggai.ledger.models import InspectionRound, Measure


def test_the_demo_holds_the_sample_report(db):
    call_command("load_demo", verbosity=0)
    round_ = InspectionRound.objects.get(inspected_unit__name="X社区党工委")
    assert round_.inspecting_group.name == "县委第三巡察组"
    # Moved to the day it is loaded (the report itself is of 2020): the round is mid-cycle.
    assert round_.feedback_date == datetime.date.today() - datetime.timedelta(days=42)
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
    url = reverse("ledger:problem_copies", args=[copied.problem_id])  # what the problem page loads
    client.force_login(get_user_model().objects.get(username="xunchaban"))
    assert "X社区党工委 · " in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    client.force_login(get_user_model().objects.get(username="y_clerk"))
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
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


@pytest.mark.parametrize("username", [login.username for login in DEMO_LOGINS])
def test_every_demo_login_has_something_to_do(client, db, username):
    call_command("load_demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get("/").content.decode()
    total = re.search(r'data-testid="todo-total">(\d+)<', page)
    assert total and int(total.group(1)) > 0 and 'data-testid="todo-item"' in page


def test_the_demo_is_in_the_middle_of_its_cycle(client, db):
    call_command("load_demo", verbosity=0)
    measures = Measure.objects.filter(round__inspected_unit__name="X社区党工委")
    today = datetime.date.today()
    overdue = measures.exclude(status__in=["submitted", "confirmed", "closed"]).filter(deadline__lt=today)
    assert 0 < overdue.count() <= 6  # a few red lights, not 44 of 50
    assert not measures.filter(deadline__year=2020).exists()
    statuses = set(measures.values_list("status", flat=True))
    assert {"not_started", "in_progress", "submitted", "confirmed", "closed"} <= statuses
    client.force_login(get_user_model().objects.get(username="x_clerk"))
    page = client.get("/").content.decode()
    assert "缺少执行记录" in page  # the returned measure, with the office's reason
    assert 'data-group="comments"' in page and "低保评议结果" in page
    client.force_login(get_user_model().objects.get(username="xunchaban"))
    page = client.get("/").content.decode()
    assert "涉及上级部门审批" in page  # the request for more time
    client.force_login(get_user_model().objects.get(username="x_dangjian"))
    assert 'data-group="to_sign_for"' in client.get("/").content.decode()
