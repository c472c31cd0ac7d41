"""The API's reads: rounds, problems, measures (keyset pages, the ledger's filters) and evidence."""

from __future__ import annotations

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.ledger.models import MeasureStatus
from zhenggai.ledger.services import evidence_attach, measure_create


def _more_measures(cast, n: int) -> list[int]:
    made = [
        measure_create(
            problem=cast.a.problem,
            actor=None,
            text=f"第{i}条措施",
            lead_department=cast.a.department,
            status=MeasureStatus.IN_PROGRESS,
        )
        for i in range(n)
    ]
    return [cast.a.measure.pk, *(m.pk for m in made)]


def test_rounds_lists_only_the_callers_rounds(cast, api_as):
    body = api_as(cast.clerk_a).get("/api/rounds").json()
    assert [r["title"] for r in body["items"]] == ["甲社区巡察整改"]
    assert body["items"][0]["inspected_unit"]["name"] == "甲社区"
    both = api_as(cast.officer).get("/api/rounds?limit=1").json()
    assert len(both["items"]) == 1 and both["next"]
    rest = api_as(cast.officer).get(both["next"]).json()
    assert {both["items"][0]["id"], rest["items"][0]["id"]} == {cast.a.round.pk, cast.b.round.pk}


def test_a_round_and_its_problems(cast, api_as):
    client = api_as(cast.clerk_a)
    assert client.get(f"/api/rounds/{cast.a.round.pk}").json()["title"] == "甲社区巡察整改"
    problems = client.get(f"/api/rounds/{cast.a.round.pk}/problems").json()
    assert [p["title"] for p in problems] == ["党的建设方面", "会议记录不规范。"]
    assert problems[1]["parent_id"] == problems[0]["id"]


def test_measure_pages_are_stable_and_complete(cast, api_as):
    expected = _more_measures(cast, 6)
    client = api_as(cast.clerk_a)
    seen: list[int] = []
    url = f"/api/measures?round={cast.a.round.pk}&limit=3"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [m["id"] for m in body["items"]]
        url = body["next"]
        pages += 1
        if pages == 1:  # a measure added after the first page is read is not lost, nor any repeated
            late = measure_create(problem=cast.a.problem, actor=None, text="后加的措施")
            expected.append(late.pk)
    assert pages == 3
    assert seen == sorted(expected)
    first = client.get(f"/api/measures?round={cast.a.round.pk}&limit=3").json()
    second = client.get(first["next"]).json()
    assert first["previous"] is None and second["previous"]
    assert client.get(second["previous"]).json()["items"] == first["items"]


def test_measures_take_the_ledger_pages_filters(cast, api_as):
    _more_measures(cast, 2)
    client = api_as(cast.officer)
    assert len(client.get("/api/measures").json()["items"]) == 4
    assert {m["round_id"] for m in client.get(f"/api/measures?unit={cast.b.unit.pk}").json()["items"]} == {
        cast.b.round.pk
    }
    assert len(client.get("/api/measures?q=当场签字").json()["items"]) == 2
    assert client.get("/api/measures?status=closed").json()["items"] == []
    assert len(client.get("/api/measures?status=open&light=yellow").json()["items"]) == 0
    assert client.get("/api/measures?status=nonsense").status_code == 422


def test_a_measure_list_page_is_one_query_whatever_its_size(cast, api_as):
    _more_measures(cast, 12)
    client = api_as(cast.clerk_a)
    client.get("/api/measures")  # warm the prepared lookups
    counts = []
    for limit in (2, 13):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/measures?unit={cast.a.unit.pk}&limit={limit}")
        assert response.status_code == 200
        measure_queries = [q["sql"] for q in queries.captured_queries if '"ledger_measure"' in q["sql"]]
        assert len(measure_queries) == 1, measure_queries
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_measure_detail_shows_progress_evidence_and_steps(cast, api_as):
    evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    body = api_as(cast.clerk_a).get(f"/api/measures/{cast.a.measure.pk}").json()
    assert body["text"] == "建立会议记录当场签字制度。"
    assert body["evidence"][0]["name"] == "记录.pdf" and body["evidence_count"] == 1
    assert body["transitions"] == ["submit"]
    assert body["lead_department"]["name"] == "甲社区办公室"
    download = api_as(cast.clerk_a).get(body["evidence"][0]["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n"


def test_a_round_of_another_unit_is_404_as_one_that_does_not_exist(cast, api_as):
    client = api_as(cast.clerk_b)
    other = client.get(f"/api/rounds/{cast.a.round.pk}")
    missing = client.get("/api/rounds/987654")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert client.get(f"/api/measures?round={cast.a.round.pk}").status_code == 404
    assert client.get(f"/api/measures?unit={cast.a.unit.pk}").json()["items"] == []


def test_the_browser_session_may_read_and_writes_need_its_csrf_token(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.clerk_a)
    assert browser.get("/api/me").json()["username"] == "clerk_a"
    url = f"/api/measures/{cast.a.measure.pk}/progress"
    body = {"happened_on": datetime.date.today().isoformat(), "text": "进展"}
    assert browser.post(url, body, content_type="application/json").status_code == 403
    assert cast.a.measure.progress_entries.count() == 0


def test_numbers_beyond_a_database_column_are_422_not_500(cast, api_as):
    client = api_as(cast.officer)
    for query in (
        "unit=99999999999999999999",
        "department=9223372036854775808",
        "after=99999999999999999999_1",
    ):
        assert client.get(f"/api/measures?{query}").status_code == 422, query
    assert client.get("/api/rounds?after=2024-01-01_99999999999999999999").status_code == 422
    assert client.get("/api/rounds?after=_12").status_code == 200
    assert client.get("/api/measures?unit=9223372036854775807").json()["items"] == []
