"""Update a round from its edited workbook: in place, closed measures kept closed, refusals listed."""

from __future__ import annotations

import copy
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.core.writers.xlsx_ledger import ledger_xlsx_bytes
from zhenggai.history.models import HistoryEntry
from zhenggai.history.verify import verify
from zhenggai.imports.models import DraftStatus, ImportDraft
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus, Problem
from zhenggai.ledger.reimport import reimport_plan, round_update_from_ledger
from zhenggai.ledger.services import measure_create, measure_update, problem_create, progress_record
from zhenggai.ledger.transitions import measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.reports.ledger_data import round_to_ledger

NEW_DEADLINE = "2031-03-31"


def _submitted(cast, measure) -> Measure:
    """The measure reported done by unit A's clerk, through the services."""
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=datetime.date.today(), text="已完成。")
    measure = Measure.objects.get(pk=measure.pk)
    return measure_transition(
        measure=measure,
        actor=cast.clerk_a,
        action=Action.SUBMIT,
        expected_version=measure.version,
        reason="无需佐证材料。",
    )


@pytest.fixture
def round_a(cast):
    """Unit A's round with a second problem: one measure to edit, one closed, one that stays."""
    a = cast.a
    second = problem_create(
        round_=a.round, actor=None, parent=a.section, label="2.", number=2, level=2,
        title="账目不清。", statement="账目不清，票据缺失。",
    )  # fmt: skip
    cast.open_measure = measure_create(problem=second, actor=None, text="清理账目。", deadline=None)
    cast.closed = measure_create(
        problem=second,
        actor=None,
        text="补齐票据。",
        deadline=datetime.date(2026, 1, 31),
        status="in_progress",
    )
    closed = _submitted(cast, cast.closed)
    closed = measure_transition(
        measure=closed, actor=cast.leader_a, action=Action.CONFIRM, expected_version=closed.version
    )
    measure_transition(
        measure=closed, actor=cast.officer, action=Action.CLOSE, expected_version=closed.version
    )
    cast.second = second
    return cast


def _node(ledger, outline: tuple[str, ...]) -> dict:
    nodes, node = ledger["sections"], {}
    for label in outline:
        node = next(n for n in nodes if n["label"] == label)
        nodes = node["children"]
    return node


def _measure(ledger, outline: tuple[str, ...], index: int) -> dict:
    return _node(ledger, outline)["measures"][index]


def _say_status(ledger, outline: tuple[str, ...], status: str) -> None:
    """Type a status into the 完成情况 cell of a problem of one measure (the workbook merges it)."""
    _node(ledger, outline)["status"] = _measure(ledger, outline, 0)["status"] = status


def _edited_workbook(round_) -> bytes:
    """The round's exported workbook, edited as a clerk would."""
    ledger = copy.deepcopy(round_to_ledger(round_))
    first = _measure(ledger, ("一、", "1."), 0)
    first["department"] = "甲社区财务科"  # a department the unit has not yet: created
    first["deadline"] = NEW_DEADLINE
    second = _measure(ledger, ("一、", "2."), 0)
    second["text"] = "清理近三年账目，逐笔核对。"
    second["owner"] = "甲社区分管领导"
    closed = _measure(ledger, ("一、", "2."), 1)
    closed["status"] = "in_progress"  # the workbook would reopen it
    closed["text"] = "补齐票据（改）。"
    ledger["sections"][0]["children"][1]["measures"].append(
        {"text": "建立票据台账。", "status": "not_started", "deadline": "2031-06-30"}
    )
    ledger["sections"][0]["children"].append(
        {
            "label": "3.", "number": 3, "level": 2, "title": "新发现的问题。", "problem": "制度执行不到位。",
            "measures": [{"text": "修订制度。", "status": "not_started"}], "children": [],
        }
    )  # fmt: skip
    return ledger_xlsx_bytes(ledger)


def _upload(client, cast, data: bytes, round_=None):
    fields = {"file": SimpleUploadedFile("整改台账.xlsx", data)}
    if round_ is not None:
        fields["update_round"] = round_.pk
    return client.post(reverse("imports:upload"), fields)


def _draft_of(response) -> ImportDraft:
    match = re.search(r"/imports/(\d+)/update/$", response["Location"])
    assert match, response["Location"]
    return ImportDraft.objects.get(pk=match.group(1))


def _versions(page: str) -> str:
    found = re.search(r'name="versions" value="([^"]*)"', page)
    assert found
    return found.group(1).replace("&quot;", '"')


def test_an_edited_workbook_updates_the_round_in_place(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    rounds = InspectionRound.objects.count()
    response = _upload(client, cast, _edited_workbook(cast.a.round), cast.a.round)
    assert response.status_code == 302
    draft = _draft_of(response)
    page = client.get(response["Location"]).content.decode()
    # Side by side: the round's value and the workbook's.
    assert "<del>甲社区办公室</del>" in page and "<ins>甲社区财务科</ins>" in page
    assert f"<ins>{NEW_DEADLINE}</ins>" in page and "<ins>清理近三年账目，逐笔核对。</ins>" in page
    # The closed measure: listed and refused, never reopened.
    refused = page[page.index('data-testid="update-refused"') :]
    assert "补齐票据" in refused[: refused.index("</section>")]
    assert "建立票据台账。" in page and "修订制度。" in page  # the new rows, listed
    before = HistoryEntry.objects.count()
    response = client.post(response["Location"], {"versions": _versions(page)})
    assert response.status_code == 302 and response["Location"] == cast.a.round.get_absolute_url()

    assert InspectionRound.objects.count() == rounds
    first = Measure.objects.get(pk=cast.a.measure.pk)
    assert first.lead_department.name == "甲社区财务科" and first.deadline.isoformat() == NEW_DEADLINE
    second = Measure.objects.get(pk=cast.open_measure.pk)
    assert second.text == "清理近三年账目，逐笔核对。" and second.responsible_leader.name == "甲社区分管领导"
    closed = Measure.objects.get(pk=cast.closed.pk)
    assert (closed.status, closed.text) == (MeasureStatus.CLOSED, "补齐票据。")
    assert cast.second.measures.filter(text="建立票据台账。", position=3).exists()
    new_problem = Problem.objects.get(round=cast.a.round, outline="一、3.")
    assert new_problem.parent == cast.a.section and new_problem.measures.get().text == "修订制度。"
    # One entry per change, through the services, and the round's own entry of the update.
    actions = list(HistoryEntry.objects.filter(seq__gt=0).order_by("seq").values_list("action", flat=True))[
        before:
    ]
    assert actions.count("measure.update") == 2 and actions[-1] == "round.reimport"
    assert ImportDraft.objects.get(pk=draft.pk).status == DraftStatus.COMMITTED
    report = verify()
    assert report.ok, report.text()


def test_a_workbook_never_moves_a_status_back(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    _submitted(cast, cast.a.measure)
    ledger = round_to_ledger(cast.a.round)
    _say_status(ledger, ("一、", "1."), "not_started")
    page = client.get(
        _upload(client, cast, ledger_xlsx_bytes(ledger), cast.a.round)["Location"]
    ).content.decode()
    assert 'data-testid="update-refused"' in page and "建立会议记录" in page
    assert Measure.objects.get(pk=cast.a.measure.pk).status == MeasureStatus.SUBMITTED


def test_a_claim_of_done_is_shown_and_the_status_stays(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    ledger = round_to_ledger(cast.a.round)
    _say_status(ledger, ("一、", "1."), "done")
    response = _upload(client, cast, ledger_xlsx_bytes(ledger), cast.a.round)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="update-claims"' in page and 'data-testid="update-apply"' not in page
    assert Measure.objects.get(pk=cast.a.measure.pk).status == MeasureStatus.IN_PROGRESS


def test_a_round_changed_after_the_preview_refuses_the_update(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    response = _upload(client, cast, _edited_workbook(cast.a.round), cast.a.round)
    page = client.get(response["Location"]).content.decode()
    measure_update(measure=cast.open_measure, actor=cast.clerk_a, expected_version=1, text="别人改的。")
    before = HistoryEntry.objects.count()
    stale = client.post(response["Location"], {"versions": _versions(page)})
    assert stale.status_code == 409 and HistoryEntry.objects.count() == before
    assert Measure.objects.get(pk=cast.a.measure.pk).deadline.isoformat() != NEW_DEADLINE


def test_only_rounds_the_user_may_edit_can_be_updated(client, round_a):
    cast = round_a
    data = _edited_workbook(cast.a.round)
    client.force_login(cast.clerk_b)
    assert _upload(client, cast, data, cast.a.round).status_code == 400  # not a choice of theirs
    assert "甲社区巡察整改" not in client.get(reverse("imports:upload")).content.decode()
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, data, cast.a.round))
    client.force_login(cast.clerk_b)
    assert client.get(reverse("imports:draft_update", args=[draft.pk])).status_code == 404
    client.force_login(cast.officer)  # the office imports, but edits no unit's measures
    assert client.get(reverse("imports:draft_update", args=[draft.pk])).status_code == 403


def test_an_update_draft_cannot_be_committed_as_a_new_round(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, _edited_workbook(cast.a.round), cast.a.round))
    rounds = InspectionRound.objects.count()
    assert client.post(reverse("imports:draft_commit", args=[draft.pk])).status_code == 409
    assert InspectionRound.objects.count() == rounds


def test_the_ledger_links_to_the_update_with_its_round_chosen(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    ledger = client.get(reverse("ledger:round_ledger", args=[cast.a.round.pk])).content.decode()
    link = f"{reverse('imports:upload')}?update_round={cast.a.round.pk}"
    assert f'href="{link}"' in ledger
    upload = client.get(link).content.decode()
    assert re.search(rf'<option value="{cast.a.round.pk}" selected>', upload)
    client.force_login(cast.officer)  # imports new rounds, updates none: not offered
    assert 'name="update_round"' not in client.get(reverse("imports:upload")).content.decode()


def test_an_update_draft_can_be_discarded(client, round_a):
    cast = round_a
    client.force_login(cast.clerk_a)
    draft = _draft_of(_upload(client, cast, _edited_workbook(cast.a.round), cast.a.round))
    client.post(reverse("imports:draft_discard", args=[draft.pk]))
    assert ImportDraft.objects.get(pk=draft.pk).status == DraftStatus.DISCARDED
    assert client.get(reverse("imports:draft_update", args=[draft.pk])).status_code == 302


class _RolledBack(Exception):
    """Raised to undo one example's update (its savepoint) once its checks are done."""


_CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=90)
_EDIT = st.fixed_dictionaries(
    {},
    optional={
        "text": _CELL,
        "owner": _CELL,
        "department": _CELL,
        "status": st.sampled_from(["done", "in_progress", "not_started", None]),
        "deadline": st.one_of(
            st.none(),
            st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)).map(datetime.date.isoformat),
            st.integers(2000, 2099).map(str),
        ),
    },
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(_EDIT, min_size=3, max_size=5), extra=st.lists(_CELL, max_size=2))
def test_any_edit_of_the_workbook_never_reopens_changes_a_done_measure_or_moves_a_status(
    round_a, edits, extra
):
    """Whatever the cells say, the plan is read without error and applying it changes no status,
    nor anything of a measure reported done; only editable measures are changed."""
    cast = round_a
    ledger = copy.deepcopy(round_to_ledger(cast.a.round))
    items = [m for node in ledger["sections"][0]["children"] for m in node["measures"]]
    for item, edit in zip(items, edits, strict=False):
        item.update(edit)
    for text in extra:
        ledger["sections"][0]["children"][0]["measures"].append({"text": text, "status": None})
    plan = reimport_plan(round_=cast.a.round, ledger=ledger)
    before = {m.pk: (m.status, m.text, m.version) for m in Measure.objects.filter(round=cast.a.round)}
    assert all(row.measure.status in ("not_started", "in_progress") for row in plan.changed)
    if not (plan.changed or plan.new):
        return
    with pytest.raises(_RolledBack), transaction.atomic():
        round_update_from_ledger(
            round_=cast.a.round, ledger=ledger, actor=cast.clerk_a, expected_versions=plan.versions
        )
        after = {m.pk: (m.status, m.text, m.version) for m in Measure.objects.filter(round=cast.a.round)}
        for pk, (status, text, version) in before.items():
            assert after[pk][0] == status
            if status not in ("not_started", "in_progress"):
                assert after[pk] == (status, text, version)
        raise _RolledBack


def test_a_problems_merged_status_is_no_claim_on_each_of_its_measures(client, round_a):
    """Problem 2. has one open and one closed measure: its merged 完成情况 reads "in progress",
    which must not count against the closed one when its own row says nothing."""
    cast = round_a
    ledger = round_to_ledger(cast.a.round)
    node = _node(ledger, ("一、", "2."))
    node["status"] = "in_progress"
    for item in node["measures"]:
        item["status"] = None
    plan = reimport_plan(round_=cast.a.round, ledger=ledger)
    assert not plan.refused and not plan.changed
