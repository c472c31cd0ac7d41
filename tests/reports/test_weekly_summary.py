"""The office's weekly summary (整改工作周报): a .docx of the overview's figures for office staff,
of the rounds their office follows only."""

from __future__ import annotations

import datetime
import io
import zipfile
from urllib.parse import unquote

import pytest
from django.urls import reverse

from zhenggai.core.readers.docx import read_docx
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create

URL = "reports:weekly_summary"


def _lines(data: bytes) -> list[str]:
    return [b for b in read_docx(data).blocks if isinstance(b, str) and b]


def test_office_staff_download_the_weekly_summary_of_their_rounds(client, cast, unit_ledger):
    other = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    unit_ledger("丙社区", other, None, datetime.date.today())  # followed by another office
    client.force_login(cast.officer)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "整改工作周报" in unquote(response["Content-Disposition"])
    assert unquote(response["Content-Disposition"]).rstrip('"').endswith(".docx")
    lines = _lines(response.content)
    assert lines[0] == "整改工作周报"
    assert any(line.startswith("截至") and "共跟踪2个单位的2轮整改，整改措施2条" in line for line in lines)
    assert any("甲社区（甲社区巡察整改）" in line for line in lines)
    assert any("乙社区（乙社区巡察整改）" in line for line in lines)
    assert not any("丙社区" in line for line in lines)
    assert lines[-2] == "县委巡察办" and lines[-1].endswith("日")


def test_the_overview_links_the_weekly_summary_for_office_staff_only(client, cast):
    client.force_login(cast.officer)
    assert 'data-testid="weekly-summary"' in client.get(reverse("ledger:overview")).content.decode()
    client.force_login(cast.clerk_a)
    assert 'data-testid="weekly-summary"' not in client.get(reverse("ledger:overview")).content.decode()


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "outsider", "supervisor"])
def test_no_one_else_gets_the_weekly_summary(client, cast, who):
    if who == "supervisor":
        from zhenggai.accounts.services import user_create

        user = user_create(username="jiwei", password="x-test-password-1")
        membership_grant(user=user, organisation=cast.office, role=Role.SUPERVISOR)
    else:
        user = getattr(cast, who)
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 403


def test_the_weekly_summary_needs_a_login(client, cast):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "login" in response["Location"]
