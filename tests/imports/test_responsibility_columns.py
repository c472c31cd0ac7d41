"""Issue #14: the ledger workbook has every responsibility column (责任领导, 责任部门, 配合部门,
具体责任人) in the order of the inspection office, and reads back in with them."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhenggai.core.parse import parse_document
from zhenggai.core.writers.xlsx_ledger import COLUMN_NAMES, COLUMNS, ledger_xlsx_bytes
from zhenggai.imports.services import draft_commit, draft_create
from zhenggai.imports.views import _duties
from zhenggai.ledger.models import Measure
from zhenggai.ledger.services import measure_create, measure_update
from zhenggai.orgs.models import Organisation, OrgKind, Person
from zhenggai.orgs.services import office_ledger_columns_set, organisation_create, person_create
from zhenggai.reports.ledger_data import round_to_ledger

OFFICE_ORDER = [
    "seq",
    "problem",
    "measure",
    "doer",
    "partners",
    "department",
    "owner",
    "status",
    "deadline",
]


@pytest.fixture
def duties(cast):
    """Unit A's measure with cooperating departments and a person in charge, and a second measure
    of the same problem with a department alone."""
    a = cast.a
    finance = organisation_create(name="甲社区财务室", kind=OrgKind.DEPARTMENT, parent=a.unit)
    archive = organisation_create(name="甲社区档案室", kind=OrgKind.DEPARTMENT, parent=a.unit)
    doer = person_create(name="王小明", organisation=a.unit)
    measure_update(
        measure=a.measure,
        actor=None,
        expected_version=a.measure.version,
        doer=doer,
        cooperating_departments=[finance, archive],
    )
    measure_create(
        problem=a.problem, actor=None, text="每月抽查会议记录。", cooperating_departments=[finance]
    )
    return cast


def _responsibility(round_) -> list[tuple]:
    return [
        (
            m.text,
            m.responsible_leader.name if m.responsible_leader else None,
            m.lead_department.name if m.lead_department else None,
            sorted(d.name for d in m.cooperating_departments.all()),
            m.doer.name if m.doer else None,
        )
        for m in Measure.objects.filter(round=round_).order_by("problem__position", "position", "pk")
    ]


def _header(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [c.value for c in sheet[3] if c.value]


@pytest.mark.parametrize("order", [None, OFFICE_ORDER], ids=["default", "office"])
def test_a_round_goes_out_and_comes_back_with_every_responsibility_column(duties, order):
    cast = duties
    if order:
        office_ledger_columns_set(office=cast.office, columns=order, actor=None)
    ledger = round_to_ledger(cast.a.round)
    data = ledger_xlsx_bytes(ledger)
    assert _header(data) == ([COLUMN_NAMES[key] for key in order] if order else list(COLUMNS))

    read = parse_document(data, "整改台账.xlsx")
    (measure, second) = read["sections"][0]["children"][0]["measures"]
    assert (measure["owner"], measure["department"], measure["doer"]) == (
        "甲社区分管领导",
        "甲社区办公室",
        "王小明",
    )
    assert measure["partners"] == "甲社区财务室、甲社区档案室"
    assert second["partners"] == "甲社区财务室" and not second.get("doer")

    # the importer keeps them: the same departments and people of the unit, found by name
    organisations, people = Organisation.objects.count(), Person.objects.count()
    draft = draft_create(
        actor=cast.officer,
        name="整改台账.xlsx",
        data=data,
        office=cast.office,
        inspected_unit=cast.a.unit,
        inspecting_group=cast.group,
    )
    shown = _duties(draft.ledger["sections"][0]["children"][0])
    assert [str(label) for label, _value in shown[0]["fields"]] == [
        "责任领导",
        "责任部门",
        "配合单位",
        "具体责任人",
    ]
    again = draft_commit(draft=draft, actor=cast.officer)
    assert _responsibility(again) == _responsibility(cast.a.round)
    assert (Organisation.objects.count(), Person.objects.count()) == (organisations, people)


def test_the_import_preview_names_the_columns_and_each_measures_people(client, duties):
    cast = duties
    data = ledger_xlsx_bytes(round_to_ledger(cast.a.round))
    draft = draft_create(
        actor=cast.officer, name="台账.xlsx", data=data, office=cast.office, inspected_unit=cast.a.unit
    )
    client.force_login(cast.officer)
    page = client.get(reverse("imports:draft", args=[draft.pk]) + "?item=0.0")
    text = page.content.decode()
    assert page.status_code == 200
    assert "具体责任人" in text and "配合部门" in text  # the columns read (列对应)
    assert 'data-testid="measure-duties"' in text and "王小明" in text and "甲社区档案室" in text


def test_a_unit_exports_in_its_inspection_offices_order(client, duties):
    cast = duties
    office_ledger_columns_set(office=cast.office, columns=OFFICE_ORDER, actor=None)
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("reports:round_reports", args=[cast.a.round.pk]), {"kind": "ledger", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert _header(response.content) == [COLUMN_NAMES[key] for key in OFFICE_ORDER]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = next(
        r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == "建立会议记录当场签字制度。"
    )
    assert row[3:7] == ("王小明", "甲社区财务室、甲社区档案室", "甲社区办公室", "甲社区分管领导")


def test_the_province_export_writes_each_round_in_its_offices_order(duties):
    from zhenggai.reports.models import ExportJob
    from zhenggai.reports.services import export_run

    cast = duties
    office_ledger_columns_set(office=cast.office, columns=OFFICE_ORDER, actor=None)
    job = export_run(ExportJob.objects.create(requested_by=cast.officer, filters={}).pk)
    with job.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert len(book.worksheets) == 2
    for sheet in book.worksheets:
        assert [c.value for c in sheet[3] if c.value] == [COLUMN_NAMES[key] for key in OFFICE_ORDER]


def test_only_an_office_sets_an_order_and_only_a_valid_one(cast):
    with pytest.raises(ValidationError):
        office_ledger_columns_set(office=cast.a.unit, columns=OFFICE_ORDER, actor=None)
    for wrong in (["seq", "problem"], [*OFFICE_ORDER, "colour"], [*OFFICE_ORDER, "seq"], "seq,problem"):
        with pytest.raises(ValidationError):
            office_ledger_columns_set(office=cast.office, columns=wrong, actor=None)  # type: ignore[arg-type]
    office_ledger_columns_set(office=cast.office, columns=[], actor=None)  # back to the default
    cast.office.refresh_from_db()
    assert cast.office.ledger_columns == []
    cast.office.ledger_columns = ["seq", "measure"]
    with pytest.raises(ValidationError):
        cast.office.full_clean()


def test_updating_a_round_from_its_workbook_changes_the_doer_and_the_partners(duties):
    from zhenggai.ledger.reimport import reimport_plan, round_update_from_ledger

    cast = duties
    ledger = round_to_ledger(cast.a.round)
    item = ledger["sections"][0]["children"][0]["measures"][0]
    item["doer"], item["partners"] = "李新", "甲社区档案室、甲社区纪检组"
    edited = parse_document(ledger_xlsx_bytes(ledger), "台账.xlsx")
    plan = reimport_plan(round_=cast.a.round, ledger=edited)
    assert len(plan.changed) == 1  # the second measure's row is as it was
    round_update_from_ledger(
        round_=cast.a.round, ledger=edited, actor=cast.officer, expected_versions=plan.versions
    )
    measure = Measure.objects.get(pk=cast.a.measure.pk)
    assert measure.doer is not None and measure.doer.name == "李新"
    assert measure.doer.organisation == cast.a.unit
    assert sorted(d.name for d in measure.cooperating_departments.all()) == ["甲社区档案室", "甲社区纪检组"]
    assert Organisation.objects.get(name="甲社区纪检组").parent == cast.a.unit


def test_the_office_sets_its_order_on_its_page(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse("orgs:organisation", args=[cast.office.pk]))
    assert 'data-testid="ledger-columns"' in page.content.decode()
    assert "留空：使用默认顺序" in page.content.decode()  # the hint, in Chinese
    url = reverse("orgs:organisation_ledger_columns", args=[cast.office.pk])
    typed = "序号、问题、整改措施、具体责任人、配合部门、责任部门、责任领导、完成情况、整改时限"
    assert client.post(url, {"columns": typed}).status_code == 302
    cast.office.refresh_from_db()
    assert cast.office.ledger_columns == OFFICE_ORDER
    refused = client.post(url, {"columns": "序号、问题、整改措施、颜色"})
    assert refused.status_code == 400 and "颜色" in refused.content.decode()
    refused = client.post(url, {"columns": "序号、问题、整改措施"})
    assert refused.status_code == 400 and "缺少必需的列" in refused.content.decode()
    assert client.post(url, {"columns": ""}).status_code == 302
    cast.office.refresh_from_db()
    assert cast.office.ledger_columns == []
    unit_page = client.get(reverse("orgs:organisation", args=[cast.a.unit.pk]))
    assert unit_page.status_code == 200 and 'data-testid="ledger-columns"' not in unit_page.content.decode()
    unit_url = reverse("orgs:organisation_ledger_columns", args=[cast.a.unit.pk])
    assert client.post(unit_url, {"columns": typed}).status_code == 404
