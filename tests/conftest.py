"""Settings every test shares: files in a temporary folder, plain static storage, fast hashing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from zhenggai.accounts.services import user_create
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus, Problem
from zhenggai.ledger.services import measure_create, problem_create, round_create
from zhenggai.ledger.tally import tally_deferred
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create, person_create


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # nothing cached (the to-do badge's count…) outlives its test
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Argon2 is the production hasher (tested in test_login); tests that create many users use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # Each test signs history checkpoints with its own key, exported into its own folder.
    settings.ZHENGGAI_HISTORY = {
        "KEY_FILE": str(tmp_path / "keys" / "history-ed25519.pem"),
        "CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
    }


# --- The cast: two units inspected by one office; unit B's clerk must never see unit A's ledger ---


@dataclass
class UnitLedger:
    unit: Organisation
    department: Organisation
    round: InspectionRound
    section: Problem
    problem: Problem
    measure: Measure


@dataclass
class Cast:
    office: Organisation
    group: Organisation
    a: UnitLedger
    b: UnitLedger
    clerk_a: object
    leader_a: object
    officer: object
    clerk_b: object
    outsider: object


@pytest.fixture(autouse=True)
def _seeded_taxonomy(request):
    """The taxonomy's seed (a data migration) back in place for a test that uses the database: a
    transactional test before it on the same worker empties every table, the seed with them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from zhenggai.taxonomy.seed import ensure_seeded

    ensure_seeded()
    yield


def _unit_ledger(name: str, office, group, today: datetime.date) -> UnitLedger:
    with tally_deferred():  # counted once, as an import counts its round
        return _build_unit_ledger(name, office, group, today)


def _build_unit_ledger(name: str, office, group, today: datetime.date) -> UnitLedger:
    unit = organisation_create(name=name, kind=OrgKind.UNIT)
    department = organisation_create(name=f"{name}办公室", kind=OrgKind.DEPARTMENT, parent=unit)
    round_ = round_create(
        actor=None,
        title=f"{name}巡察整改",
        office=office,
        inspecting_group=group,
        inspected_unit=unit,
        feedback_date=today - datetime.timedelta(days=30),
    )
    section = problem_create(
        round_=round_, actor=None, label="一、", number=1, level=1, position=1, title="党的建设方面"
    )
    problem = problem_create(
        round_=round_,
        actor=None,
        parent=section,
        label="1.",
        number=1,
        level=2,
        position=2,
        title="会议记录不规范。",
        statement="会议记录不规范，存在会后补记。",
    )
    leader = person_create(name=f"{name}分管领导", organisation=unit)
    measure = measure_create(
        problem=problem,
        actor=None,
        text="建立会议记录当场签字制度。",
        lead_department=department,
        responsible_leader=leader,
        deadline=today + datetime.timedelta(days=30),
        status=MeasureStatus.IN_PROGRESS,
    )
    return UnitLedger(unit, department, round_, section, problem, measure)


@pytest.fixture
def unit_ledger():
    """Makes one more unit's ledger like the cast's: ``unit_ledger(name, office, group, today)``."""
    return _unit_ledger


@pytest.fixture
def cast(db) -> Cast:
    today = datetime.date.today()
    office = organisation_create(name="县委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    group = organisation_create(name="第一巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office)
    a = _unit_ledger("甲社区", office, group, today)
    b = _unit_ledger("乙社区", office, group, today)

    def user(name: str, org=None, role=None):
        u = user_create(username=name, password="x-test-password-1")
        if org is not None:
            membership_grant(user=u, organisation=org, role=role)
        return u

    return Cast(
        office=office,
        group=group,
        a=a,
        b=b,
        clerk_a=user("clerk_a", a.unit, Role.UNIT_STAFF),
        leader_a=user("leader_a", a.unit, Role.UNIT_LEADER),
        officer=user("officer", office, Role.OFFICE_STAFF),
        clerk_b=user("clerk_b", b.unit, Role.UNIT_STAFF),
        outsider=user("outsider"),
    )
