"""The list of flagged measures, the counts the dashboard shows, dismissals, and who sees what."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from zhenggai.history.models import HistoryEntry
from zhenggai.ledger.models import Problem
from zhenggai.ledger.tally import tally_refresh
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.signals import selectors
from zhenggai.signals.models import SignalDismissal, SignalFlag, SignalKey

SLOGAN = "进一步加强会议记录管理，切实提高思想认识。"
COPIED = "{unit}制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。"
NONE = DashboardFilters()


@pytest.fixture
def flagged(cast, add_measure):
    """A slogan in each unit, and a measure copied from A's plan into B's."""
    return {
        "slogan_a": add_measure(cast.a, SLOGAN),
        "slogan_b": add_measure(cast.b, SLOGAN),
        "copy_a": add_measure(cast.a, COPIED.format(unit="甲社区")),
        "copy_b": add_measure(cast.b, COPIED.format(unit="乙社区")),
    }


def _listed(client, key: str, query: str = "") -> set[int]:
    response = client.get(f"{reverse('signals:list')}?signal={key}{query}")
    assert response.status_code == 200
    return {row.measure.pk for row in response.context["rows"]}


def test_the_office_sees_every_flag_a_unit_its_own(cast, flagged):
    office = selectors.signal_counts(cast.officer, NONE)
    assert office[SignalKey.SLOGAN] == 2 and office[SignalKey.COPY] == 2
    unit_a = selectors.signal_counts(cast.clerk_a, NONE)
    assert unit_a[SignalKey.SLOGAN] == 1
    # B's round is not A's to see: the copy in it is not told to A either.
    assert unit_a[SignalKey.COPY] == 0
    assert selectors.signal_counts(cast.outsider, NONE) == dict.fromkeys(SignalKey.values, 0)


def test_unit_a_never_sees_b_s_flags_on_the_page(client, cast, flagged):
    client.force_login(cast.clerk_a)
    assert _listed(client, SignalKey.SLOGAN) == {flagged["slogan_a"].pk}
    client.force_login(cast.clerk_b)
    assert _listed(client, SignalKey.SLOGAN) == {flagged["slogan_b"].pk}


@pytest.mark.parametrize("who", ["officer", "clerk_a", "clerk_b"])
def test_the_counts_equal_the_lists(client, cast, flagged, add_measure, who):
    user = getattr(cast, who)
    client.force_login(user)
    counts = selectors.signal_counts(user, NONE)
    assert sum(counts.values()) > 0
    for key, n in counts.items():
        assert len(_listed(client, key)) == n, key
        assert selectors.flagged_measures(user, key, NONE).count() == n


def test_the_counts_take_one_query_whatever_the_filters(cast, flagged):
    filters = [
        NONE,
        DashboardFilters(year=2026),
        DashboardFilters(kind="巡察", group=cast.group.pk),
        DashboardFilters(year=2025, kind="审计", group=cast.group.pk, category="conduct"),
    ]
    for user in (cast.officer, cast.clerk_a):
        selectors.signal_counts(user, NONE)  # the user's memberships, read once a request
        for f in filters:
            with CaptureQueriesContext(connection) as queries:
                selectors.signal_counts(user, f)
            assert len(queries) == 1, (f, [q["sql"] for q in queries])


def test_the_filters_narrow_the_counts(cast, flagged):
    year = cast.a.round.feedback_date.year
    assert selectors.signal_counts(cast.officer, DashboardFilters(year=year))[SignalKey.SLOGAN] == 2
    assert selectors.signal_counts(cast.officer, DashboardFilters(year=year - 5))[SignalKey.SLOGAN] == 0
    assert selectors.signal_counts(cast.officer, DashboardFilters(kind="审计"))[SignalKey.SLOGAN] == 0
    assert selectors.signal_counts(cast.officer, DashboardFilters(group=cast.group.pk))[SignalKey.SLOGAN] == 2
    assert selectors.signal_counts(cast.officer, NONE, unit=cast.b.unit.pk)[SignalKey.SLOGAN] == 1


def test_a_top_level_category_takes_in_its_sub_categories(cast, flagged):
    Problem.objects.filter(pk=flagged["slogan_a"].problem_id).update(category="conduct.eight_rules")
    Problem.objects.filter(pk=flagged["slogan_b"].problem_id).update(category="conductor")
    # A category written behind the services' back: counted again as the taxonomy's services do.
    tally_refresh([cast.a.round.pk, cast.b.round.pk])
    by = lambda code: selectors.signal_counts(cast.officer, DashboardFilters(category=code))[SignalKey.SLOGAN]  # noqa: E731
    assert by("conduct") == 1
    assert by("conduct.eight_rules") == 1
    assert by("finance") == 0


def test_a_dismissal_is_recorded_and_hides_the_flag(client, cast, flagged):
    measure = flagged["slogan_a"]
    client.force_login(cast.officer)
    response = client.post(
        reverse("signals:dismiss", args=[measure.pk]),
        {"key": SignalKey.SLOGAN, "reason": "单位已另行细化为具体任务"},
    )
    assert response.status_code == 302
    dismissal = SignalDismissal.objects.get(measure=measure)
    assert (dismissal.key, dismissal.reason, dismissal.actor) == (
        SignalKey.SLOGAN,
        "单位已另行细化为具体任务",
        cast.officer,
    )
    entry = HistoryEntry.objects.filter(action="signal.dismiss").get()
    assert (
        entry.payload["signal"] == SignalKey.SLOGAN and entry.payload["reason"] == "单位已另行细化为具体任务"
    )
    assert entry.round_id == cast.a.round.pk and entry.actor_id == cast.officer.pk
    assert measure.pk not in _listed(client, SignalKey.SLOGAN)
    assert measure.pk in _listed(client, SignalKey.SLOGAN, "&dismissed=1")
    assert selectors.signal_counts(cast.officer, NONE)[SignalKey.SLOGAN] == 1
    # The flag itself is still there: only its dismissal hides it (and a copy flag is not touched).
    assert SignalFlag.objects.filter(measure=measure, key=SignalKey.SLOGAN).exists()


def test_a_reason_is_required(client, cast, flagged):
    client.force_login(cast.officer)
    client.post(
        reverse("signals:dismiss", args=[flagged["slogan_a"].pk]), {"key": SignalKey.SLOGAN, "reason": "  "}
    )
    assert not SignalDismissal.objects.exists()
    assert selectors.signal_counts(cast.officer, NONE)[SignalKey.SLOGAN] == 2


def test_undoing_a_dismissal_adds_a_record_and_deletes_none(client, cast, flagged):
    measure = flagged["slogan_a"]
    client.force_login(cast.officer)
    url = reverse("signals:dismiss", args=[measure.pk])
    client.post(url, {"key": SignalKey.SLOGAN, "reason": "已细化"})
    client.post(
        reverse("signals:restore", args=[measure.pk]), {"key": SignalKey.SLOGAN, "reason": "细化后仍是口号"}
    )
    assert SignalDismissal.objects.count() == 2
    undo = SignalDismissal.objects.get(action="restore")
    assert undo.undoes.reason == "已细化" and undo.reason == "细化后仍是口号"
    assert measure.pk in _listed(client, SignalKey.SLOGAN)
    assert HistoryEntry.objects.filter(action="signal.restore").count() == 1
    # And it may be dismissed again.
    client.post(url, {"key": SignalKey.SLOGAN, "reason": "单位已补充具体任务"})
    assert measure.pk not in _listed(client, SignalKey.SLOGAN)
    assert SignalDismissal.objects.count() == 3


def test_units_and_supervisors_read_but_do_not_dismiss(client, cast, flagged):
    supervisor = get_user_model().objects.create_user("supervisor", password="x-test-password-1")
    membership_grant(user=supervisor, organisation=cast.office, role=Role.SUPERVISOR)
    measure = flagged["slogan_a"]
    url = reverse("signals:dismiss", args=[measure.pk])
    for user in (cast.clerk_a, cast.leader_a, supervisor):
        client.force_login(user)
        assert measure.pk in _listed(client, SignalKey.SLOGAN)
        page = client.get(f"{reverse('signals:list')}?signal=slogan").content.decode()
        assert 'data-testid="dismiss-form"' not in page
        assert client.post(url, {"key": SignalKey.SLOGAN, "reason": "不是口号"}).status_code == 403
    assert not SignalDismissal.objects.exists()


def test_unit_b_cannot_dismiss_a_s_flag(client, cast, flagged):
    client.force_login(cast.clerk_b)
    url = reverse("signals:dismiss", args=[flagged["slogan_a"].pk])
    assert client.post(url, {"key": SignalKey.SLOGAN, "reason": "不是口号"}).status_code == 404
    assert not SignalDismissal.objects.exists()


def test_the_page_explains_the_signal_and_links_to_the_problem(client, cast, flagged):
    client.force_login(cast.officer)
    response = client.get(f"{reverse('signals:list')}?signal=copy")
    page = response.content.decode()
    assert reverse("ledger:problem_detail", args=[flagged["copy_a"].problem_id]) in page
    assert escape(response.context["signal"].explanation) in page
    assert 'data-testid="dismiss-form"' in page
    # The copy's other plan is named, with a link to it.
    assert reverse("ledger:problem_detail", args=[flagged["copy_b"].problem_id]) in page


def test_an_unknown_signal_falls_back_to_slogans(client, cast, flagged):
    client.force_login(cast.officer)
    response = client.get(f"{reverse('signals:list')}?signal=nonsense&year=abc")
    assert response.status_code == 200 and response.context["key"] == SignalKey.SLOGAN


@pytest.mark.parametrize("key", [SignalKey.SLOGAN, SignalKey.COPY, SignalKey.UNRELATED])
def test_the_list_reads_a_fixed_number_of_queries_whatever_its_rows(client, cast, add_measure, key):
    client.force_login(cast.officer)
    url = f"{reverse('signals:list')}?signal={key}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_measure(cast.a, SLOGAN, title="公务用车管理不规范。", statement="存在私车公养问题。")
    add_measure(cast.b, COPIED.format(unit="乙社区"))
    add_measure(cast.a, COPIED.format(unit="甲社区"))
    queries()  # what the first page of a session reads once (the to-do badge, cached after)
    few = queries()
    for i in range(4):
        add_measure(
            cast.a,
            f"进一步加强第{i}项管理，切实提高思想认识。",
            title="公务用车管理不规范。",
            statement="存在私车公养问题。",
        )
        add_measure(cast.b, COPIED.format(unit="乙社区") + f"第{i}条")
    assert queries() == few
