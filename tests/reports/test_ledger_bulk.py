"""The bulk reader of ledgers (`ledger_data.round_ledgers`, what the large export reads) gives the
same dicts as the per-round reader it replaced, kept below as the reference."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from zhenggai.accounts.services import user_create
from zhenggai.ledger.models import (
    DeadlineExtension,
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureStatus,
    Problem,
    ProgressEntry,
)
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create, person_create
from zhenggai.reports import ledger_data
from zhenggai.reports.ledger_data import round_ledgers, round_to_ledger
from zhenggai.taxonomy.selectors import category_names

# --- The reference: round_to_ledger as it was before the bulk reader (a round at a time, six queries
# and a model instance per row), with the helpers it shares with the new one. ----------------------


def _old_measure_item(measure: Measure) -> dict[str, Any]:
    progress = list(measure.progress_entries.all())
    evidence = list(measure.evidence_files.all())
    extension = next(iter(measure.extensions.all()), None)
    return {
        "text": measure.text,
        "status": ledger_data._status(measure.status),
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "owner": measure.responsible_leader.name if measure.responsible_leader else None,
        "department": measure.lead_department.name if measure.lead_department else None,
        "partners": "、".join(
            Measure.cooperating_departments.through.objects.filter(measure=measure)
            .order_by("organisation__path")
            .values_list("organisation__name", flat=True)
        )
        or None,
        "doer": measure.doer.name if measure.doer else None,
        "long_term": measure.long_term,
        "progress": progress[0].text if progress else None,
        "evidence": "、".join(e.original_name for e in evidence) or None,
        "delay_reason": extension.reason if extension else None,
        "completed_on": measure.completed_on.isoformat() if measure.completed_on else None,
        "state": measure.status,
    }


def _old_round_to_ledger(round_: InspectionRound, *, problem_ids=None) -> dict[str, Any]:
    measures = (
        Measure.objects.filter(round=round_)
        .select_related("responsible_leader", "lead_department", "doer")
        .prefetch_related(
            Prefetch(
                "progress_entries", queryset=ProgressEntry.objects.order_by("-happened_on", "-recorded_at")
            ),
            "evidence_files",
            "extensions",
        )
        .order_by("position", "pk")
    )
    by_problem: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for measure in measures:
        by_problem[measure.problem_id].append(_old_measure_item(measure))
    problems = list(round_.problems.order_by("position"))
    keep = (
        ledger_data._with_ancestors([(p.pk, p.parent_id) for p in problems], problem_ids)
        if problem_ids is not None
        else None
    )
    children: dict[int | None, list] = defaultdict(list)
    for problem in problems:
        if keep is None or problem.pk in keep:
            children[problem.parent_id].append(problem)

    def node(problem) -> dict[str, Any]:
        items = by_problem.get(problem.pk, [])
        return {
            "label": problem.label,
            "number": problem.number,
            "level": problem.level,
            "title": problem.title,
            "problem": problem.statement or None,
            "text": None,
            "measures": items,
            "status": ledger_data._node_status(items),
            "long_term": any(item["long_term"] for item in items),
            "deadline": ledger_data._node_deadline(items),
            "status_text": None,
            "children": [node(child) for child in children.get(problem.pk, [])],
            "category": category_names().get(problem.category, problem.category),
        }

    return {
        "schema": ledger_data.SCHEMA,
        "title": round_.title,
        "round": {
            "kind": round_.kind,
            "inspector": round_.inspecting_group.name if round_.inspecting_group else None,
            "target": round_.inspected_unit.name,
            "feedback_date": round_.feedback_date.isoformat() if round_.feedback_date else None,
        },
        "preamble": round_.preamble or None,
        "closing": round_.closing or None,
        "sections": [node(p) for p in children.get(None, [])],
        "dropped": [],
        "warnings": [],
        "exported_at": "",
        "column_order": None,
    }


def _same(ledger: dict[str, Any]) -> dict[str, Any]:
    return {**ledger, "exported_at": ""}


# --- A ledger with everything the reader reads ------------------------------------------------


@pytest.fixture
def rounds(db) -> list[InspectionRound]:
    call_command("load_demo", verbosity=0)  # the demo's rounds, as they come
    today = datetime.date(2026, 12, 1)
    days = datetime.timedelta
    office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    group = organisation_create(name="市委第二巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office)
    clerk = user_create(username="bulk_clerk", password="x-test-password-1")
    made = []
    for n, name in enumerate(["甲街道", "乙街道", "丙街道"]):
        unit = organisation_create(name=name, kind=OrgKind.UNIT)
        office_dept = organisation_create(name=f"{name}党政办", kind=OrgKind.DEPARTMENT, parent=unit)
        finance = organisation_create(name=f"{name}财务室", kind=OrgKind.DEPARTMENT, parent=unit)
        leader = person_create(name=f"{name}书记", organisation=unit)
        deputy = person_create(name=f"{name}副书记", organisation=unit)
        round_ = InspectionRound.objects.create(
            title=f"市委第二巡察组反馈{name}巡察意见整改台账",
            office=office,
            inspecting_group=group if n != 1 else None,
            inspected_unit=unit,
            feedback_date=today - days(60) if n != 2 else None,
            preamble="根据市委统一部署，开展巡察。" if n == 0 else "",
            closing="以上整改情况，请予审阅。" if n == 0 else "",
        )
        made.append(round_)
        if n == 1:
            continue  # a round with nothing in it yet

        def problem(label, number, level, position, title, statement="", parent=None, category="other"):
            return Problem.objects.create(
                round=round_,  # noqa: B023 - made and used in this pass of the loop
                parent=parent,
                label=label,
                number=number,
                level=level,
                position=position,
                title=title,
                statement=statement,
                category=category,
            )

        first = problem("一、", 1, 1, 1, "党的建设方面", category="organisation")
        found = problem("1.", 1, 2, 2, "会议记录不规范", "会议记录存在会后补记。", first, "conduct")
        nested = problem("（1）", 1, 3, 3, "签字不全", "部分记录无参会人签字。", found, "conduct")
        same = problem("2.", 2, 2, 5, "资金管理不严", "资金管理不严", first, "finance")
        problem("二、", 2, 1, 6, "其他方面")  # a heading with nothing under it
        late = problem("（2）", 2, 3, 4, "归档不及时", "会议记录未及时归档。", found)

        def measure(on, position, text, **fields):
            return Measure.objects.create(problem=on, round=on.round, position=position, text=text, **fields)

        a = measure(
            found,
            2,
            "建立会议记录当场签字制度。",
            responsible_leader=leader,
            lead_department=office_dept,
            doer=deputy,
            deadline=today + days(30),
            status=MeasureStatus.IN_PROGRESS,
        )
        a.cooperating_departments.add(finance)
        a.cooperating_departments.add(office_dept)  # read in the tree's order
        b = measure(
            found,
            1,
            "对近三年会议记录逐一核查。",
            responsible_leader=deputy,
            lead_department=office_dept,
            deadline=today - days(10),
            status=MeasureStatus.CLOSED,
            completed_on=today - days(12),
        )
        c = measure(found, 1, "同一位置的第二项措施。")  # no owner, department, deadline
        d = measure(
            nested,
            1,
            "补齐签字。",
            lead_department=finance,
            status=MeasureStatus.SUBMITTED,
            completed_on=today - days(3),
            deadline=today + days(5),
        )
        e = measure(
            same,
            1,
            "长期坚持资金审批制度。",
            kind=MeasureKind.LONG_TERM,
            long_term=True,
            responsible_leader=leader,
            status=MeasureStatus.CONFIRMED,
        )
        f = measure(late, 1, "限期归档。", deadline=today + days(90), status=MeasureStatus.IN_PROGRESS)

        def note(m, on, text):
            return ProgressEntry.objects.create(measure=m, happened_on=on, text=text, author=clerk)

        note(a, today - days(20), "已召开专题会议。")
        note(a, today - days(2), "已完成一半核查。")  # the newest by the date of the work
        note(a, today - days(9), "记录晚于上一条，日期更早。")
        note(b, today - days(5), "同一天：先记的。")
        note(b, today - days(5), "同一天：后记的。")  # same date: the one recorded last
        note(e, today - days(1), "")  # an empty note is still the newest
        note(e, today - days(40), "较早的进展。")

        def evidence(m, name):
            digest = f"{m.pk:032d}{len(name):032d}"
            return EvidenceFile.objects.create(
                measure=m,
                file=f"evidence/{digest[:2]}/{digest}",
                original_name=name,
                size=1,
                sha256=digest,
                uploaded_by=clerk,
            )

        evidence(b, "核查清单.pdf")
        evidence(b, "会议纪要.pdf")
        evidence(d, "签字页.jpg")
        evidence(f, "")  # a file without a name reads as none

        def extension(m, reason, status):
            return DeadlineExtension.objects.create(
                measure=m,
                old_deadline=today,
                new_deadline=today + days(30),
                reason=reason,
                requested_by=clerk,
                status=status,
            )

        extension(a, "涉及多个部门。", "refused")
        extension(a, "档案量大，需延期。", "approved")  # the newest request wins
        extension(f, "待审批的延期。", "pending")
        assert c.pk and b.pk  # both measures at position 1 of `found`, in the order of their ids
    return list(InspectionRound.objects.select_related("inspected_unit", "inspecting_group").order_by("pk"))


def test_the_bulk_reader_gives_the_dicts_of_the_per_round_reader(rounds):
    old = [_old_round_to_ledger(r) for r in rounds]
    assert any(
        m["progress"] == "已完成一半核查。"
        for s in old[-3]["sections"]
        for p in s["children"]
        for m in p["measures"]
    )
    for batch in (1, 2, 200):  # batches of one, across batch ends, all at once
        assert [_same(ledger) for ledger in round_ledgers(rounds, batch=batch)] == old
    assert [_same(round_to_ledger(r)) for r in rounds] == old


def test_a_choice_of_problems_keeps_the_headings_above_them(rounds):
    round_ = rounds[-3]
    nested = Problem.objects.get(round=round_, label="（1）")
    heading = Problem.objects.get(round=round_, label="二、")
    for chosen in ({nested.pk}, {heading.pk}, {nested.parent_id}, set()):
        assert _same(round_to_ledger(round_, problem_ids=chosen)) == _old_round_to_ledger(
            round_, problem_ids=chosen
        )


def test_the_newest_progress_evidence_and_extension_are_read(rounds):
    ledger = round_to_ledger(rounds[-3])
    found = ledger["sections"][0]["children"][0]
    items = {m["text"]: m for m in found["measures"]}
    assert [m["text"] for m in found["measures"]] == [
        "对近三年会议记录逐一核查。",
        "同一位置的第二项措施。",
        "建立会议记录当场签字制度。",
    ]
    assert items["建立会议记录当场签字制度。"]["progress"] == "已完成一半核查。"
    assert items["建立会议记录当场签字制度。"]["delay_reason"] == "档案量大，需延期。"
    assert items["对近三年会议记录逐一核查。"]["progress"] == "同一天：后记的。"
    assert items["对近三年会议记录逐一核查。"]["evidence"] == "核查清单.pdf、会议纪要.pdf"
    assert items["同一位置的第二项措施。"] | {"text": ""} == {
        "text": "",
        "status": "not_started",
        "deadline": None,
        "owner": None,
        "department": None,
        "partners": None,
        "doer": None,
        "long_term": False,
        "progress": None,
        "evidence": None,
        "delay_reason": None,
        "completed_on": None,
        "state": "not_started",
    }


# problems, measures, evidence, cooperating departments, extensions; the offices' column orders (2);
# the taxonomy's category names
QUERIES = 8


def test_reading_many_rounds_takes_a_few_queries_a_batch(rounds, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        ledgers = list(round_ledgers(rounds))
    assert len(ledgers) == len(rounds) and len(rounds) > 3
    with django_assert_num_queries(QUERIES * len(rounds)):
        list(round_ledgers(rounds, batch=1))


def test_reading_ahead_in_a_thread_gives_the_same_dicts(rounds, transactional_db):
    old = [_old_round_to_ledger(r) for r in rounds]
    assert [_same(ledger) for ledger in round_ledgers(rounds, batch=2, read_ahead=True)] == old


def test_a_round_carries_the_column_order_of_its_office_or_the_office_above(rounds):
    from zhenggai.orgs.services import office_ledger_columns_set

    office = rounds[-1].office
    order = ["seq", "problem", "measure", "doer", "owner", "department", "partners", "status"]
    office_ledger_columns_set(office=office, columns=order, actor=None)
    county = organisation_create(name="县委巡察办", kind=OrgKind.INSPECTION_OFFICE, parent=office)
    InspectionRound.objects.filter(pk=rounds[-2].pk).update(office=county)
    again = list(InspectionRound.objects.filter(pk__in=[r.pk for r in rounds]).order_by("pk"))
    orders = {ledger["title"]: ledger["column_order"] for ledger in round_ledgers(again)}
    assert orders[rounds[-1].title] == order
    assert orders[rounds[-2].title] == order  # the county office set none: the city's
    assert orders[rounds[0].title] is None  # the demo's office set none: the default


def test_the_cooperating_departments_and_the_doer_are_read(rounds):
    ledger = round_to_ledger(rounds[-3])
    found = ledger["sections"][0]["children"][0]
    item = next(m for m in found["measures"] if m["text"] == "建立会议记录当场签字制度。")
    name = rounds[-3].inspected_unit.name
    assert item["partners"] == f"{name}党政办、{name}财务室"
    assert item["doer"] == f"{name}副书记"
