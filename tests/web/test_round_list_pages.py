"""The round list in keyset pages: "older" and "newer" links carry the last key shown, so that an
office's thousands of rounds are read from that key on, never skipped past with an OFFSET."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from zhenggai.ledger.models import InspectionRound
from zhenggai.ledger.services import round_create
from zhenggai.orgs.models import OrgKind
from zhenggai.orgs.services import organisation_create

PAGE = 5


@pytest.fixture
def many_rounds(cast, settings):
    """23 more rounds of the office: runs of equal feedback dates across page breaks, and rounds
    with no feedback date at all (listed last)."""
    settings.ZHENGGAI = {**settings.ZHENGGAI, "LEDGER_PAGE_SIZE": PAGE}
    day = datetime.date(2024, 3, 1)
    dates = (
        [day] * 7
        + [day - datetime.timedelta(days=1)] * 6
        + [None] * 6
        + [day + datetime.timedelta(days=3)] * 4
    )
    for i, date in enumerate(dates):
        unit = organisation_create(name=f"丙村{i:02d}", kind=OrgKind.UNIT)
        round_create(
            actor=None,
            title=f"丙村{i:02d}巡察整改",
            office=cast.office,
            inspected_unit=unit,
            feedback_date=date,
        )
    return cast


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="round-title" href="/rounds/(\d+)/"', html)]


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]+)" rel="{rel}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _expected() -> list[int]:
    """Newest feedback first, the same date by id (newest first), rounds without a date last."""
    rounds = list(InspectionRound.objects.values_list("feedback_date", "pk"))
    dated = sorted((r for r in rounds if r[0] is not None), key=lambda r: (r[0], r[1]), reverse=True)
    undated = sorted((r for r in rounds if r[0] is None), key=lambda r: r[1], reverse=True)
    return [pk for _date, pk in dated + undated]


def test_older_pages_follow_on_with_no_gap_and_no_repeat(client, many_rounds):
    client.force_login(many_rounds.officer)
    url = reverse("ledger:round_list")
    html = client.get(url).content.decode()
    assert _link(html, "prev") is None
    pages = [_ids(html)]
    while (older := _link(html, "next")) is not None:
        html = client.get(f"{url}?{older}").content.decode()
        pages.append(_ids(html))
    assert all(len(page) == PAGE for page in pages[:-1]) and len(pages) == 5  # 25 rounds
    assert [pk for page in pages for pk in page] == _expected()


def test_newer_pages_lead_back_to_the_same_pages(client, many_rounds):
    client.force_login(many_rounds.officer)
    url = reverse("ledger:round_list")
    forwards = [client.get(url).content.decode()]
    while (older := _link(forwards[-1], "next")) is not None:
        forwards.append(client.get(f"{url}?{older}").content.decode())
    html = forwards[-1]
    backwards = [_ids(html)]
    while (newer := _link(html, "prev")) is not None:
        html = client.get(f"{url}?{newer}").content.decode()
        backwards.append(_ids(html))
    assert backwards[::-1] == [_ids(page) for page in forwards]


def test_a_page_shows_only_the_rounds_the_user_may_see(client, many_rounds):
    client.force_login(many_rounds.clerk_a)
    html = client.get(reverse("ledger:round_list")).content.decode()
    assert _ids(html) == [many_rounds.a.round.pk] and _link(html, "next") is None


@pytest.mark.parametrize(
    "key", ["after=x", "after=2024-13-01_5", "before=_", "after=1_2_3", "before=2024-03-01_abc"]
)
def test_a_key_that_cannot_be_read_shows_the_first_page(client, many_rounds, key):
    client.force_login(many_rounds.officer)
    url = reverse("ledger:round_list")
    assert _ids(client.get(f"{url}?{key}").content.decode()) == _expected()[:PAGE]
