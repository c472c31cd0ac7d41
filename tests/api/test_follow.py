"""我的待办, notices, the overview's counts and the office's dashboard through the API: the same
selectors as the pages, for the same people."""

from __future__ import annotations

import datetime

from zhenggai.api.schemas import DashboardOut
from zhenggai.ledger.selectors import office_overview
from zhenggai.reminders.models import Notice
from zhenggai.todo.selectors import todo_count


def test_todo_lists_what_the_home_page_lists_for_the_person(api_as, cast):
    for user in (cast.clerk_a, cast.leader_a, cast.officer, cast.outsider):
        groups = api_as(user).get("/api/todo").json()
        assert sum(g["count"] for g in groups) == todo_count(user), user
        assert all(len(g["items"]) <= g["count"] for g in groups)
    cast.a.measure.deadline = datetime.date.today() - datetime.timedelta(days=3)  # overdue: to do now
    cast.a.measure.save(update_fields=["deadline"])
    clerk = api_as(cast.clerk_a).get("/api/todo").json()
    units = {item["unit"] for g in clerk for item in g["items"]}
    assert "甲社区" in units and "乙社区" not in units


def test_notices_are_the_callers_own_and_marked_read_only_when_asked(api_as, cast):
    day = datetime.date.today()
    mine = [
        Notice.objects.create(user=cast.clerk_a, day=day, title=f"提醒{i}", body="有措施即将到期")
        for i in range(3)
    ]
    theirs = Notice.objects.create(user=cast.clerk_b, day=day, title="乙的提醒", body="……")
    client = api_as(cast.clerk_a)
    listed = client.get("/api/notices?unread=true&limit=2").json()
    assert [n["id"] for n in listed["items"]] == [mine[2].pk, mine[1].pk] and listed["unread_count"] == 3
    assert client.get(listed["next"]).json()["items"][0]["id"] == mine[0].pk
    assert Notice.objects.filter(read_at__isnull=True).count() == 4  # reading the list marks nothing
    marked = client.post(
        "/api/notices/read", {"ids": [mine[0].pk, theirs.pk]}, content_type="application/json"
    )
    assert marked.json() == {"marked": 1, "unread_count": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another person's notice is not touched
    assert [n["id"] for n in client.get("/api/notices?unread=true").json()["items"]] == [
        mine[2].pk,
        mine[1].pk,
    ]


def test_a_rounds_counts_and_the_overview_are_the_overview_pages_figures(api_as, cast):
    client = api_as(cast.clerk_a)
    counts = client.get(f"/api/rounds/{cast.a.round.pk}/counts").json()
    assert counts == {"round_id": cast.a.round.pk, "total": 1, "done": 0, "red": 0, "yellow": 0}
    assert client.get(f"/api/rounds/{cast.b.round.pk}/counts").status_code == 404
    overview = api_as(cast.officer).get("/api/overview").json()
    assert overview["totals"] == office_overview(cast.officer).totals and overview["totals"]["rounds"] == 2
    assert {r["round_id"] for r in overview["rows"]} == {cast.a.round.pk, cast.b.round.pk}
    assert [r["round_id"] for r in client.get("/api/overview").json()["rows"]] == [cast.a.round.pk]


def test_the_dashboard_is_the_offices_with_its_filters_and_refused_to_a_unit(api_as, cast):
    cast.a.measure.deadline = datetime.date.today() - datetime.timedelta(days=3)  # one overdue
    cast.a.measure.save(update_fields=["deadline"])
    board = api_as(cast.officer).get("/api/oversight/dashboard").json()
    DashboardOut.model_validate(board)  # answered as the description says (schemathesis calls it as a clerk)
    assert [row["measure_id"] for row in board["most_overdue"]] == [cast.a.measure.pk]
    assert board["totals"]["measures"] == 2 and board["totals"]["problems"] == 2
    assert {r["key"] for r in board["units"]["rows"]} == {str(cast.a.unit.pk), str(cast.b.unit.pk)}
    year = cast.a.round.feedback_date.year
    assert (
        api_as(cast.officer).get(f"/api/oversight/dashboard?year={year - 1}").json()["totals"]["measures"]
        == 0
    )
    assert (
        api_as(cast.officer)
        .get(f"/api/oversight/dashboard?year={year}&group={cast.group.pk}")
        .json()["totals"]["measures"]
        == 2
    )
    for user in (cast.clerk_a, cast.leader_a, cast.outsider):
        refused = api_as(user).get("/api/oversight/dashboard")
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
