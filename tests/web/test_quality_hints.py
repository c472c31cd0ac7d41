"""A measure's card says when it reads like a slogan or copies another plan, within what the user may see.

Slogans are said on the card itself; copies are looked for after the page has loaded: the page asks
`ledger:problem_copies` for a fragment that puts each measure's hints into its card (HTMX)."""

from __future__ import annotations

import datetime
import importlib
import re

from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger.models import InspectionRound, Measure, Problem
from zhenggai.ledger.services import measure_create, measure_update

COPIED = "{unit}党委召开专题会议，对{year}年以来的会议记录逐本核查，建立会议记录当场签字制度。"


HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client, user, problem) -> str:
    client.force_login(user)
    return client.get(reverse("ledger:problem_detail", args=[problem.pk])).content.decode()


def _hints(client, user, problem) -> str:
    """The copy hints of the problem's measures, as its page asks for them once it has loaded."""
    client.force_login(user)
    response = client.get(reverse("ledger:problem_copies", args=[problem.pk]), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def _of(hints: str, measure) -> str:
    """The hints of one measure in the fragment: what goes into its card."""
    start = hints.index(f'<div id="copies-{measure.pk}" hx-swap-oob="innerHTML">')
    following = hints.find('<div id="copies-', start + 1)
    return hints[start : following if following != -1 else len(hints)]


def _copy(cast):
    """Unit A's measure, and the same one in unit B's plan with B's name and another year."""
    mine = measure_create(problem=cast.a.problem, actor=None, text=COPIED.format(unit="甲社区", year=2020))
    theirs = measure_create(problem=cast.b.problem, actor=None, text=COPIED.format(unit="乙社区", year=2021))
    return mine, theirs


def test_the_office_sees_a_measure_copied_from_another_units_plan(client, cast):
    mine, theirs = _copy(cast)
    assert mine.text_fingerprint == theirs.text_fingerprint != ""
    hints = _hints(client, cast.officer, cast.a.problem)
    assert 'data-testid="copy-hint"' in _of(hints, mine)
    assert f"#measure-{theirs.pk}" in hints and "乙社区 · 乙社区巡察整改" in hints
    # The card the hints go into, kept when the card is swapped after an action.
    card = _page(client, cast.officer, cast.a.problem)
    assert f'<div id="copies-{mine.pk}" hx-preserve="true"></div>' in card


def test_a_unit_is_not_told_of_another_units_plan(client, cast):
    _mine, theirs = _copy(cast)
    for page in (_page(client, cast.clerk_a, cast.a.problem), _hints(client, cast.clerk_a, cast.a.problem)):
        assert (
            'data-testid="copy-hint"' not in page
            and "乙社区" not in page
            and f"measure-{theirs.pk}" not in page
        )


def test_a_user_of_another_unit_cannot_read_the_hints(client, cast):
    _copy(cast)
    url = reverse("ledger:problem_copies", args=[cast.a.problem.pk])
    for user in (cast.clerk_b, cast.outsider):
        client.force_login(user)
        assert client.get(url, **HTMX).status_code == 404
        assert client.get(url).status_code == 404


def test_the_problem_page_itself_looks_for_no_copy(client, cast):
    """The page offers each card's next step at once; the copies come after it, from the fragment."""
    _copy(cast)
    client.force_login(cast.officer)
    url = reverse("ledger:problem_detail", args=[cast.a.problem.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "measuresketch" not in sql and '"text_fingerprint" IN' not in sql
    assert 'data-testid="copy-hint"' not in page
    copies_url = reverse("ledger:problem_copies", args=[cast.a.problem.pk])
    assert f'hx-get="{copies_url}" hx-trigger="load"' in page and f'href="{copies_url}"' in page


def test_without_javascript_the_hints_are_a_page_of_their_own(client, cast):
    mine, theirs = _copy(cast)
    client.force_login(cast.officer)
    page = client.get(reverse("ledger:problem_copies", args=[cast.a.problem.pk])).content.decode()
    assert "<html" in page and "hx-swap-oob" not in page
    assert 'data-testid="copy-hint"' in page and f"#measure-{theirs.pk}" in page and mine.text in page


def _copy_in_an_earlier_plan(cast, unit, name: str, year: int) -> Measure:
    """A copy of COPIED in a plan of `unit` (called `name`) fed back on 1 May of `year`."""
    round_ = InspectionRound.objects.create(
        title=f"{name}{year}年巡察整改",
        office=cast.office,
        inspecting_group=cast.group,
        inspected_unit=unit,
        feedback_date=datetime.date(year, 5, 1),
    )
    problem = Problem.objects.create(round=round_, label="1.", number=1, level=1, position=1, title="旧问题")
    return measure_create(problem=problem, actor=None, text=COPIED.format(unit=name, year=year - 1))


def test_a_unit_is_told_when_it_copies_its_own_earlier_plan(client, cast):
    old = _copy_in_an_earlier_plan(cast, cast.a.unit, "甲社区", 2018)
    mine = measure_create(problem=cast.a.problem, actor=None, text=COPIED.format(unit="甲社区", year=2020))
    hints = _hints(client, cast.clerk_a, cast.a.problem)
    assert 'data-testid="copy-hint"' in hints and f"#measure-{old.pk}" in hints
    # Rewritten in the unit's own words, the hint goes away.
    measure_update(
        measure=mine,
        actor=None,
        expected_version=mine.version,
        text="逐本核查2020年以来的会议记录，缺签的补签并说明。",
    )
    assert 'data-testid="copy-hint"' not in _hints(client, cast.clerk_a, cast.a.problem)


def test_a_slogan_is_pointed_out_and_a_concrete_measure_is_not(client, cast):
    slogan = measure_create(
        problem=cast.a.problem, actor=None, text="进一步加强学习教育，切实提高思想认识，不断增强纪律意识。"
    )
    page = _page(client, cast.clerk_a, cast.a.problem)
    cards = {
        pk: page[page.index(f'id="measure-{pk}"') :].split('class="card measure')[0]
        for pk in (slogan.pk, cast.a.measure.pk)
    }
    assert 'data-testid="slogan-hint"' in cards[slogan.pk] and "“进一步”" in cards[slogan.pk]
    assert 'data-testid="slogan-hint"' not in cards[cast.a.measure.pk]  # 建立会议记录当场签字制度


def test_the_migration_fingerprints_the_measures_kept_before(cast):
    mine, theirs = _copy(cast)
    Measure.objects.update(text_fingerprint="")
    migration = importlib.import_module("zhenggai.ledger.migrations.0004_measure_text_fingerprint")
    migration.fill_fingerprints(django_apps, None)
    prints = dict(Measure.objects.values_list("pk", "text_fingerprint"))
    assert prints[mine.pk] == prints[theirs.pk] == mine.text_fingerprint != ""
    assert prints[cast.a.measure.pk] == ""  # 建立会议记录当场签字制度。: too short to tell


def test_the_hints_look_for_copies_in_one_query_whatever_the_number_of_measures(client, cast):
    client.force_login(cast.officer)
    url = reverse("ledger:problem_copies", args=[cast.a.problem.pk])
    _copy(cast)
    client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **HTMX)
    for year in range(2010, 2015):
        measure_create(problem=cast.a.problem, actor=None, text=COPIED.format(unit="甲社区", year=year))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, **HTMX).content.decode()
    assert len(many) == len(few)
    assert page.count('data-testid="copy-hint"') == 6


# --- Near copies: a few words changed besides the name ---------------------------------------------

SOURCE = (
    "建章立制，规范文件的传达和记录工作。制定《甲社区文件学习传达制度》，由办公室专人管理，每月检查一次。"
)
NEAR = (
    "建章立制，规范文件的传达和记录工作。制定《乙社区文件学习传达制度》，由党政办专人负责管理，每月检查一次。"
)
UNRELATED = "对2019年以来的低保家庭逐户复核，建立动态管理台账，评议结果在居委会公示栏公示7天。"


def _near(cast):
    mine = measure_create(problem=cast.a.problem, actor=None, text=SOURCE)
    theirs = measure_create(problem=cast.b.problem, actor=None, text=NEAR)
    return mine, theirs


def test_the_office_sees_a_near_copy_with_how_much_is_the_same(client, cast):
    mine, theirs = _near(cast)
    assert mine.text_fingerprint != theirs.text_fingerprint
    card = _of(_hints(client, cast.officer, cast.b.problem), theirs)
    assert 'data-testid="near-copy-hint"' in card and 'data-testid="copy-hint"' not in card
    assert f"#measure-{mine.pk}" in card and "甲社区 · 甲社区巡察整改" in card
    assert re.search(r"(\d+)% 相同", card) and int(re.search(r"(\d+)% 相同", card).group(1)) >= 50


def test_a_unit_is_not_told_of_another_units_near_copy(client, cast):
    _mine, _theirs = _near(cast)
    page = _hints(client, cast.clerk_b, cast.b.problem)
    assert 'data-testid="near-copy-hint"' not in page and "甲社区" not in page


def test_an_unrelated_measure_or_a_word_for_word_copy_is_no_near_copy(client, cast):
    measure_create(problem=cast.a.problem, actor=None, text=UNRELATED)
    _exact_a, exact_b = _copy(cast)
    theirs = measure_create(problem=cast.b.problem, actor=None, text=NEAR)
    page = _hints(client, cast.officer, cast.b.problem)
    assert 'data-testid="near-copy-hint"' not in _of(page, theirs)  # no source in unit A yet
    assert 'data-testid="near-copy-hint"' not in _of(page, exact_b)
    assert 'data-testid="copy-hint"' in _of(page, exact_b)


def test_rewriting_a_measure_in_its_own_words_clears_the_hint(client, cast):
    _mine, theirs = _near(cast)
    measure_update(measure=theirs, actor=None, expected_version=theirs.version, text=UNRELATED)
    card = _of(_hints(client, cast.officer, cast.b.problem), theirs)
    assert 'data-testid="near-copy-hint"' not in card


def test_the_migration_sketches_the_measures_kept_before(client, cast):
    from zhenggai.ledger.models import MeasureSketch

    _mine, theirs = _near(cast)
    stored = sorted(MeasureSketch.objects.values_list("measure_id", "band"))
    MeasureSketch.objects.all().delete()
    migration = importlib.import_module("zhenggai.ledger.migrations.0005_measure_sketch")
    migration.fill_sketches(django_apps, None)
    assert sorted(MeasureSketch.objects.values_list("measure_id", "band")) == stored
    assert MeasureSketch.objects.filter(measure=theirs).count() == 10


def test_the_hints_look_for_near_copies_in_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.officer)
    url = reverse("ledger:problem_copies", args=[cast.b.problem.pk])
    _near(cast)
    client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **HTMX)
    for word in ("每周", "每季度", "每半年", "每年"):
        measure_create(problem=cast.b.problem, actor=None, text=NEAR.replace("每月", word))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, **HTMX).content.decode()
    assert len(many) == len(few), "\n".join(q["sql"][:200] for q in many.captured_queries)
    assert page.count('data-testid="near-copy-hint"') == 5


# --- Bounded: the newest few copies and a count, however many plans share a text -----------------


def _copies_in_unit_bs_plans(cast, years) -> list[Measure]:
    return [_copy_in_an_earlier_plan(cast, cast.b.unit, "乙社区", year) for year in years]


def _hint(page: str, measure, testid: str) -> str:
    card = _of(page, measure)
    hint = card[card.index(f'data-testid="{testid}"') :]
    return hint[: hint.index("</div>")]


def test_twenty_copies_show_the_five_newest_and_a_count_of_twenty(
    client, cast, django_assert_max_num_queries
):
    mine = measure_create(problem=cast.a.problem, actor=None, text=COPIED.format(unit="甲社区", year=2020))
    copies = _copies_in_unit_bs_plans(cast, [2000])
    client.force_login(cast.officer)
    url = reverse("ledger:problem_copies", args=[cast.a.problem.pk])
    with CaptureQueriesContext(connection) as one_copy:
        client.get(url, **HTMX)
    copies += _copies_in_unit_bs_plans(cast, range(2001, 2020))
    with django_assert_max_num_queries(len(one_copy)):
        page = client.get(url, **HTMX).content.decode()
    hint = _hint(page, mine, "copy-hint")
    shown = [int(pk) for pk in re.findall(r"#measure-(\d+)", hint)]
    assert shown == [m.pk for m in reversed(copies[-5:])]  # the newest rounds first: 2019, 2018…
    assert "共 20 处" in hint


def test_a_unit_counts_only_the_copies_in_its_own_plans(client, cast):
    """Unit A's clerk sees its own earlier plan's copy, never unit B's twenty, not even as a count."""
    _copies_in_unit_bs_plans(cast, range(2000, 2020))
    old = _copy_in_an_earlier_plan(cast, cast.a.unit, "甲社区", 2018)
    mine = measure_create(problem=cast.a.problem, actor=None, text=COPIED.format(unit="甲社区", year=2020))
    page = _hints(client, cast.clerk_a, cast.a.problem)
    hint = _hint(page, mine, "copy-hint")
    assert re.findall(r"#measure-(\d+)", hint) == [str(old.pk)]
    assert "共" not in hint and "乙社区" not in page


def test_a_band_shared_by_more_measures_than_the_cap_is_no_evidence(client, cast, monkeypatch):
    from zhenggai.ledger import quality

    _mine, theirs = _near(cast)
    assert 'data-testid="near-copy-hint"' in _of(_hints(client, cast.officer, cast.b.problem), theirs)
    # Each band the two share is in two measures: over a cap of one, none of them counts.
    monkeypatch.setattr(quality, "MAX_BAND_MEASURES", 1)
    assert 'data-testid="near-copy-hint"' not in _of(_hints(client, cast.officer, cast.b.problem), theirs)
