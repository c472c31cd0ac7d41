"""The stored signal counts (SignalTally): equal to a recount from the flags after any sequence of
refreshes, dismissals and their undoing, and the dashboard's counts summed from them equal to the
lists of flagged measures, for every kind of user and filter, copies across offices included."""

from __future__ import annotations

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.ledger.models import Measure, Problem
from zhenggai.ledger.tally import tally_refresh
from zhenggai.orgs.models import OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create, user_create
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.signals import selectors
from zhenggai.signals.models import SignalDismissal, SignalFlag, SignalKey, SignalRollup, SignalTally
from zhenggai.signals.services import (
    flags_rebuild,
    flags_refresh,
    signal_dismiss,
    signal_restore,
    signal_rollup_differences,
    signals_recount,
)

TODAY = datetime.date.today()
TEXTS = [
    "进一步加强会议记录管理，切实提高思想认识。",
    "{unit}制定会议记录管理办法，明确会议记录由办公室专人负责，会后当场签字确认。",
    "{unit}建立公务用车使用登记台账，每季度由纪检委员核对一次里程和加油记录。",
    "建立会议记录当场签字制度，{n}号文件印发。",
    "全面提升政治站位，持续深化思想认识，不断强化责任担当。",
]
CATEGORIES = ["other", "conduct", "conduct.eight_rules", "conductor", "finance.assets"]


def stored() -> dict[tuple[int, str, str], int]:
    return {
        (r, c, k): n
        for r, c, k, n in SignalTally.objects.values_list("round_id", "category", "key", "count")
        if n
    }


@pytest.fixture
def world(cast, unit_ledger, add_measure):
    """The cast's office (units A, B), another office (unit C) and its users; measures drawn at
    random, some copied across the two offices."""
    office2 = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    group2 = organisation_create(name="第二巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office2)
    c = unit_ledger("丙社区", office2, group2, TODAY)

    def user(name: str, org, role):
        u = user_create(username=name, password="x-test-password-1")
        membership_grant(user=u, organisation=org, role=role)
        return u

    users = {
        "officer": cast.officer,
        "officer2": user("officer2", office2, Role.OFFICE_STAFF),
        "group_officer": user("group_officer", cast.group, Role.OFFICE_STAFF),
        "supervisor2": user("supervisor2", office2, Role.SUPERVISOR),
        "clerk_a": cast.clerk_a,
        "clerk_c": user("clerk_c", c.unit, Role.UNIT_STAFF),
        "admin": get_user_model().objects.create_superuser("root", "root@example.org", "x-test-password-1"),
    }
    for ledger in (cast.a, cast.b, c):  # one copy across the cast's units and across the offices
        add_measure(ledger, TEXTS[2].format(unit=ledger.unit.name))
    return {"ledgers": [cast.a, cast.b, c], "users": users, "add": add_measure}


def _step(rng: random.Random, world) -> None:
    ledgers = world["ledgers"]
    officer = world["users"]["officer"]
    choice = rng.randrange(6)
    if choice <= 1:
        ledger = rng.choice(ledgers)
        text = rng.choice(TEXTS).format(unit=ledger.unit.name, n=rng.randrange(1000))
        world["add"](ledger, text)
    elif choice == 2:
        flag = SignalFlag.objects.order_by("?").first()
        measure = flag and Measure.objects.get(pk=flag.measure_id)
        if (
            measure is not None
            and not SignalDismissal.objects.filter(
                measure=measure, key=flag.key, action="dismiss", undone_by__isnull=True
            ).exists()
        ):
            signal_dismiss(measure=measure, key=flag.key, reason="已核实", actor=officer)
    elif choice == 3:
        dismissal = (
            SignalDismissal.objects.filter(action="dismiss", undone_by__isnull=True).order_by("?").first()
        )
        if dismissal is not None:
            signal_restore(measure=dismissal.measure, key=dismissal.key, reason="重新核查", actor=officer)
    elif choice == 4:
        problem = Problem.objects.exclude(statement="").order_by("?").first()
        Problem.objects.filter(pk=problem.pk).update(category=rng.choice(CATEGORIES))
        tally_refresh([problem.round_id])  # as the taxonomy's services do after a change
    else:
        flags_refresh([rng.choice(ledgers).round.pk])


def test_the_stored_counts_equal_a_recount_after_any_sequence(world):
    rng = random.Random(15)
    for _ in range(40):
        _step(rng, world)
        assert stored() == {k: n for k, n in signals_recount().items() if n}
        assert signal_rollup_differences() == []  # the office rollup moved by the same difference
    assert SignalFlag.objects.filter(key=SignalKey.COPY, other_office=True).exists()
    assert SignalDismissal.objects.exists()
    SignalTally.objects.all().delete()
    SignalRollup.objects.all().delete()
    flags_rebuild()
    assert stored() == {k: n for k, n in signals_recount().items() if n}
    assert signal_rollup_differences() == [] and SignalRollup.objects.exists()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_counts_equal_the_lists_for_every_user_and_filter(world, seed):
    rng = random.Random(seed)
    for _ in range(30):
        _step(rng, world)
    year = TODAY.year
    filters = [
        DashboardFilters(),
        DashboardFilters(category="conduct"),
        DashboardFilters(category="conduct.eight_rules"),
        DashboardFilters(year=(TODAY - datetime.timedelta(days=30)).year),
        DashboardFilters(year=year - 3),
        DashboardFilters(group=world["ledgers"][0].round.inspecting_group_id, category="other"),
        DashboardFilters(kind="巡察"),
    ]
    copies = 0
    rolled_up = set()
    for name, user in world["users"].items():
        for f in filters:
            with CaptureQueriesContext(connection) as queries:
                counts = selectors.signal_counts(user, f)
            if "signals_signalrollup" in " ".join(q["sql"] for q in queries):
                rolled_up.add(name)  # an office's staff (or an administrator): the office rollup
            expected = {key: selectors.flagged_measures(user, key, f).count() for key in SignalKey.values}
            assert counts == expected, (name, f)
            copies += counts[SignalKey.COPY]
        unit = world["ledgers"][2].unit.pk
        expected = {
            key: selectors.flagged_measures(user, key, filters[0], unit).count() for key in SignalKey.values
        }
        assert selectors.signal_counts(user, filters[0], unit) == expected, (name, "unit")
    assert copies > 0
    assert "officer" in rolled_up and len(rolled_up) < len(world["users"]), rolled_up


def test_the_counts_read_no_flag_of_a_copy_within_the_office(world):
    """An office seen whole: its copies within the office are read from the tally (the query asks
    the flags only for copies towards other offices)."""
    rng = random.Random(3)
    for _ in range(20):
        _step(rng, world)
    user = world["users"]["officer"]
    selectors.signal_counts(user, DashboardFilters())
    with CaptureQueriesContext(connection) as queries:
        selectors.signal_counts(user, DashboardFilters(category="conduct"))
    assert len(queries) == 1


def test_a_round_moved_to_another_year_or_kind_moves_its_signal_counts_in_the_office_rollup(world):
    from zhenggai.ledger.models import RoundKind
    from zhenggai.ledger.services import round_update

    rng = random.Random(3)
    for _ in range(10):
        _step(rng, world)
    round_ = world["ledgers"][0].round
    flagged = sum(SignalTally.objects.filter(round=round_).values_list("count", flat=True))
    assert flagged and signal_rollup_differences() == []
    for change in ({"feedback_date": TODAY.replace(year=TODAY.year - 2)}, {"kind": RoundKind.XUNSHI}):
        round_update(round_=round_, actor=None, **change)
        assert signal_rollup_differences() == [], change
        round_.refresh_from_db()
        moved = SignalRollup.objects.filter(
            office_id=round_.office_id, year=round_.feedback_date.year, round_kind=round_.kind
        )
        assert sum(moved.values_list("count", flat=True)) == flagged, change
