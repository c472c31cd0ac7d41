"""The unit picker: a search box instead of a select of every unit, scoped to what the user may see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhenggai.ledger.services import round_create
from zhenggai.orgs.models import Organisation, OrgKind
from zhenggai.orgs.pickers import PICKER_LIMIT
from zhenggai.orgs.services import organisation_create


def _picks(client, term: str, scope: str = "ledger") -> list[str]:
    url = reverse("orgs:unit_picker", args=[scope])
    response = client.get(url, {"field": "unit", "unit": term}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return re.findall(r'data-pick="([^"]*)"', response.content.decode())


def _ledger(client, **params) -> str:
    return client.get(reverse("ledger:all_ledgers"), params).content.decode()


def _rows(html: str) -> int:
    return len(re.findall(r'<tr[^>]* data-measure="\d+"', html))


def _unit(name: str, office, parent=None) -> Organisation:
    unit = organisation_create(name=name, kind=OrgKind.UNIT, parent=parent)
    round_create(actor=None, title=f"{name}巡察整改", office=office, inspected_unit=unit)
    return unit


def test_the_office_finds_a_unit_by_part_of_its_name(client, cast):
    client.force_login(cast.officer)
    assert _picks(client, "乙") == ["乙社区"]
    assert _picks(client, "社区") == ["甲社区", "乙社区"]
    assert _picks(client, "   ") == []


def test_a_unit_searching_finds_nothing_of_another_unit(client, cast):
    client.force_login(cast.clerk_a)
    assert _picks(client, "乙") == []
    assert _picks(client, "社区") == ["甲社区"]
    response = client.get(reverse("orgs:unit_picker", args=["ledger"]), {"field": "unit", "unit": "乙"})
    assert "乙社区" not in response.content.decode()


def test_the_import_picker_offers_a_clerk_only_their_own_unit(client, cast):
    client.force_login(cast.clerk_a)
    assert _picks(client, "社区", scope="import") == ["甲社区"]
    client.force_login(cast.officer)
    assert _picks(client, "社区", scope="import") == ["甲社区", "乙社区"]


def test_an_unknown_scope_is_a_404_and_a_visitor_must_log_in(client, cast):
    assert client.get(reverse("orgs:unit_picker", args=["ledger"]), {"unit": "社区"}).status_code == 302
    client.force_login(cast.officer)
    assert client.get(reverse("orgs:unit_picker", args=["everything"]), {"unit": "社区"}).status_code == 404


def test_at_most_the_limit_is_listed_and_more_is_said(client, cast):
    for i in range(PICKER_LIMIT + 5):
        _unit(f"丙村{i:02d}", cast.office)
    client.force_login(cast.officer)
    response = client.get(reverse("orgs:unit_picker", args=["ledger"]), {"field": "unit", "unit": "丙村"})
    html = response.content.decode()
    assert len(re.findall(r"data-pick=", html)) == PICKER_LIMIT
    assert "只显示前" in html


def test_the_ledger_page_has_no_select_of_units(client, cast):
    for i in range(60):
        _unit(f"丁村{i:02d}", cast.office)
    client.force_login(cast.officer)
    html = _ledger(client)
    assert 'name="unit"' in html and "丁村" not in html
    assert not re.search(r'<select name="unit"', html)


def test_a_name_typed_without_javascript_filters_the_office_ledger(client, cast):
    client.force_login(cast.officer)
    assert _rows(_ledger(client)) == 2
    html = _ledger(client, unit="乙社")  # part of the name, one unit
    assert _rows(html) == 1 and f'data-measure="{cast.b.measure.pk}"' in html
    assert 'value="乙社区"' in html  # the box then shows the unit's whole name
    html = _ledger(client, unit=str(cast.a.unit.pk))  # an id, as older links carry
    assert _rows(html) == 1 and 'value="甲社区"' in html


def test_a_name_of_several_units_offers_them_and_shows_no_rows(client, cast):
    client.force_login(cast.officer)
    html = _ledger(client, unit="社区", light="green")
    assert _rows(html) == 0
    assert "有多个单位与“社区”相符，请选择一个。" in html
    links = re.findall(r'<a href="\?([^"]*unit=[^"]*)"', html)
    assert sorted(links) == sorted(
        f"light=green&amp;unit={name}"
        for name in ("%E7%94%B2%E7%A4%BE%E5%8C%BA", "%E4%B9%99%E7%A4%BE%E5%8C%BA")
    )


def test_a_name_of_no_unit_says_so_and_shows_no_rows(client, cast):
    client.force_login(cast.officer)
    html = _ledger(client, unit="不存在的单位")
    assert _rows(html) == 0
    assert "没有找到与“不存在的单位”相符的单位。" in html
    assert 'data-testid="export-all"' not in html  # nothing to export for a unit that is not there


def test_the_filter_by_another_units_id_shows_no_rows(client, cast):
    client.force_login(cast.clerk_a)
    html = _ledger(client, unit=str(cast.b.unit.pk))
    assert _rows(html) == 0 and "乙社区" not in html
    assert 'data-count="total">0<' in html
    assert _rows(_ledger(client, unit=str(cast.a.unit.pk))) == 1


@pytest.mark.parametrize("typed", ["乙社区", "乙"])
def test_a_unit_named_by_another_unit_too_is_told_apart_by_its_id(client, cast, typed):
    town = organisation_create(name="某镇", kind=OrgKind.OTHER)
    twin = _unit("乙社区", cast.office, parent=town)
    client.force_login(cast.officer)
    assert sorted(_picks(client, "乙社区")) == sorted([f"乙社区 #{cast.b.unit.pk}", f"乙社区 #{twin.pk}"])
    assert (
        "某镇"
        in client.get(
            reverse("orgs:unit_picker", args=["ledger"]), {"field": "unit", "unit": "乙社区"}
        ).content.decode()
    )
    assert _rows(_ledger(client, unit=typed)) == 0  # two units of that name: which one?
    html = _ledger(client, unit=f"乙社区 #{cast.b.unit.pk}")
    assert _rows(html) == 1 and f'value="乙社区 #{cast.b.unit.pk}"' in html


def test_the_import_form_searches_units_and_names_the_candidates(client, cast):
    client.force_login(cast.officer)
    html = client.get(reverse("imports:upload")).content.decode()
    assert 'name="inspected_unit"' in html and not re.search(r'<select name="inspected_unit"', html)
    data = {"office": cast.office.pk, "inspected_unit": "社区", "file": _text_file()}
    html = client.post(reverse("imports:upload"), data).content.decode()
    assert "有多个单位与“社区”相符，请选择一个。" in html and "甲社区、乙社区" in html


def test_a_clerk_imports_for_their_own_unit_typed_by_name_only(client, cast):
    client.force_login(cast.clerk_a)
    assert 'value="甲社区"' in client.get(reverse("imports:upload")).content.decode()  # their one unit
    data = {"office": cast.office.pk, "inspected_unit": "乙社区", "file": _text_file()}
    html = client.post(reverse("imports:upload"), data).content.decode()
    assert "没有找到与“乙社区”相符的单位。" in html


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("反馈意见.txt", "一、党的建设方面\n1.会议记录不规范。\n".encode())


def test_the_move_picker_offers_the_offices_units_and_refuses_others(client, cast):
    cast.officer.refresh_from_db()
    url = reverse("orgs:unit_picker", args=["move"])
    client.force_login(cast.officer)
    response = client.get(url, {"org": cast.a.unit.pk, "field": "parent", "parent": "社区"})
    assert re.findall(r'data-pick="([^"]*)"', response.content.decode()) == ["乙社区"]  # never under itself
    client.force_login(cast.clerk_b)
    response = client.get(url, {"org": cast.a.unit.pk, "field": "parent", "parent": "社区"})
    assert response.status_code in (403, 404) and "乙社区" not in response.content.decode()


def test_a_unit_is_moved_under_another_typed_by_name(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse("orgs:organisation", args=[cast.a.unit.pk])).content.decode()
    box = re.search(r'<input[^>]*name="parent"[^>]*>', page)
    assert box and "data-picker" in box.group(0) and '<select name="parent"' not in page
    client.post(reverse("orgs:organisation_move", args=[cast.a.unit.pk]), {"parent": "乙社"})
    cast.a.unit.refresh_from_db()
    assert cast.a.unit.parent == cast.b.unit


@pytest.mark.parametrize(
    "typed", ["99999999999999999999999", "#99999999999999999999", "²", "%", "_", "' OR 1=1 --"]
)
def test_odd_text_in_the_unit_box_shows_no_rows_and_no_error_page(client, cast, typed):
    client.force_login(cast.officer)
    response = client.get(reverse("ledger:all_ledgers"), {"unit": typed})
    assert response.status_code == 200 and _rows(response.content.decode()) == 0
    assert client.get(reverse("orgs:unit_picker", args=["ledger"]), {"unit": typed}).status_code == 200
