"""人员与机构: a unit's administrator keeps its departments, people, logins and roles; the office
its groups and units. A clerk is refused every page (403); another unit's records are a 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhenggai.accounts.models import Invitation, PasswordChangeRequired
from zhenggai.accounts.services import user_create
from zhenggai.history.verify import verify
from zhenggai.ledger.access import units_for_import
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.services import measure_create, measure_update
from zhenggai.orgs.models import Membership, Organisation, OrgKind, Person, Role
from zhenggai.orgs.services import (
    membership_grant,
    organisation_create,
    organisation_set_active,
    person_account_create,
    person_create,
    person_set_active,
)

PASSWORD = "x-test-password-1"
NEW_PASSWORD = "Qiang-mima-2026!"


def _admin(username: str, unit: Organisation):
    user = user_create(username=username, password=PASSWORD)
    membership_grant(user=user, organisation=unit, role=Role.UNIT_ADMIN)
    person_create(name=f"{unit.name}管理员", organisation=unit, user=user)
    return user


@pytest.fixture
def admins(cast):
    return {"a": _admin("admin_a", cast.a.unit), "b": _admin("admin_b", cast.b.unit)}


def _assert_history_verifies():
    report = verify()
    assert report.ok, report.text()


def test_a_unit_admin_keeps_departments_people_logins_and_roles(client, cast, admins):
    client.force_login(admins["a"])
    unit = cast.a.unit
    assert client.get(reverse("orgs:index")).status_code == 200
    page = client.get(reverse("orgs:organisation", args=[unit.pk]))
    assert page.status_code == 200 and "甲社区" in page.content.decode()

    response = client.post(
        reverse("orgs:child_create", args=[unit.pk]), {"name": "财务室", "kind": "department"}
    )
    assert response.status_code == 302
    finance = Organisation.objects.get(name="财务室")
    assert (
        finance.parent == unit and finance.kind == OrgKind.DEPARTMENT and finance.path.startswith(unit.path)
    )

    client.post(reverse("orgs:person_create", args=[finance.pk]), {"name": "钱芳", "title": "会计"})
    client.post(reverse("orgs:person_create", args=[finance.pk]), {"name": "孙红", "title": "出纳"})
    qian, sun = Person.objects.get(name="钱芳"), Person.objects.get(name="孙红")
    assert qian.organisation == finance and qian.user is None and qian.active

    # A login by invitation: the link is shown once, and only its hash is kept.
    response = client.post(
        reverse("orgs:person_account", args=[qian.pk]), {"username": "qianfang", "method": "invite"}
    )
    assert response.status_code == 200
    link = re.search(r'value="(http[^"]+/accounts/invitation/([^"/]+)/)"', response.content.decode())
    assert link is not None
    qian.refresh_from_db()
    assert qian.user.username == "qianfang" and not qian.user.has_usable_password()
    invitation = Invitation.objects.get(user=qian.user)
    assert link.group(2) not in invitation.token_hash and len(invitation.token_hash) == 64

    # A login with an initial password, to be changed at the first log-in.
    response = client.post(
        reverse("orgs:person_account", args=[sun.pk]),
        {"username": "sunhong", "method": "password", "initial_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    sun.refresh_from_db()
    assert sun.user.check_password(NEW_PASSWORD)
    assert PasswordChangeRequired.objects.filter(user=sun.user).exists()

    response = client.post(
        reverse("orgs:role_grant", args=[finance.pk]), {"person": sun.pk, "role": "unit_staff"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=sun.user, organisation=finance, role=Role.UNIT_STAFF).exists()

    response = client.post(reverse("orgs:person_set_active", args=[qian.pk]), {"active": "0"})
    assert response.status_code == 302
    qian.refresh_from_db()
    assert not qian.active and not qian.user.is_active
    assert Person.objects.filter(pk=qian.pk).exists()  # deactivated, never deleted

    # 孙红 moves to the unit's office; the department is renamed.
    response = client.post(
        reverse("orgs:person_edit", args=[sun.pk]),
        {"name": "孙红", "title": "主任", "organisation": cast.a.department.pk},
    )
    assert response.status_code == 302
    sun.refresh_from_db()
    assert sun.organisation == cast.a.department and sun.title == "主任"
    client.post(
        reverse("orgs:organisation_rename", args=[finance.pk]), {"name": "财务管理室", "short_name": "财务"}
    )
    finance.refresh_from_db()
    assert (finance.name, finance.short_name) == ("财务管理室", "财务")
    # Nobody is placed outside the unit.
    response = client.post(
        reverse("orgs:person_edit", args=[sun.pk]), {"name": "孙红", "organisation": cast.b.department.pk}
    )
    assert response.status_code == 400
    sun.refresh_from_db()
    assert sun.organisation == cast.a.department

    membership = Membership.objects.get(user=sun.user)
    client.post(reverse("orgs:role_revoke", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    _assert_history_verifies()


def test_bad_input_gets_a_chinese_message_not_a_500(client, cast, admins):
    client.force_login(admins["a"])
    person = person_create(name="周到", organisation=cast.a.unit)
    url = reverse("orgs:person_account", args=[person.pk])
    response = client.post(url, {"username": "有 空格", "method": "invite"})
    assert response.status_code == 400 and "不能有空格" in response.content.decode()
    response = client.post(url, {"username": "admin_b", "method": "invite"})
    assert response.status_code == 400 and "用户名已被使用" in response.content.decode()
    response = client.post(url, {"username": "zhoudao", "method": "password", "initial_password": "123"})
    assert response.status_code == 400
    response = client.post(reverse("orgs:child_create", args=[cast.a.unit.pk]), {"name": "", "kind": "unit"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.user is None and not Organisation.objects.filter(name="").exists()


def _management_urls(cast, person, membership):
    unit = cast.a.unit
    gets = [reverse("orgs:index"), reverse("orgs:organisation", args=[unit.pk])]
    posts = [
        reverse("orgs:child_create", args=[unit.pk]),
        reverse("orgs:unit_create", args=[cast.office.pk]),
        reverse("orgs:organisation_move", args=[unit.pk]),
        reverse("orgs:organisation_rename", args=[unit.pk]),
        reverse("orgs:person_edit", args=[person.pk]),
        reverse("orgs:person_login_reset", args=[person.pk]),
        reverse("orgs:organisation_set_active", args=[cast.a.department.pk]),
        reverse("orgs:person_create", args=[unit.pk]),
        reverse("orgs:role_grant", args=[unit.pk]),
        reverse("orgs:person_account", args=[person.pk]),
        reverse("orgs:person_set_active", args=[person.pk]),
        reverse("orgs:role_revoke", args=[membership.pk]),
    ]
    return gets, posts


def test_a_clerk_is_refused_every_management_page(client, cast, admins):
    person = person_create(name="周到", organisation=cast.a.unit)
    membership = Membership.objects.get(user=cast.clerk_a)
    gets, posts = _management_urls(cast, person, membership)
    client.force_login(cast.clerk_a)
    for url in gets:
        assert client.get(url).status_code == 403, url
    data = {"name": "新部门", "kind": "department", "username": "zhou", "method": "invite", "active": "0"}
    for url in posts:
        assert client.post(url, data).status_code == 403, url
    person.refresh_from_db()
    assert person.active and person.user is None
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not Organisation.objects.filter(name="新部门").exists()
    assert "人员与机构" not in client.get(reverse("ledger:round_list")).content.decode()


def test_a_unit_admin_cannot_reach_another_unit(client, cast, admins):
    person_b = person_create(name="乙某", organisation=cast.b.unit)
    membership_b = Membership.objects.get(user=cast.clerk_b)
    client.force_login(admins["a"])
    b = cast.b.unit
    assert client.get(reverse("orgs:organisation", args=[b.pk])).status_code == 404
    targets = [
        reverse("orgs:child_create", args=[b.pk]),
        reverse("orgs:person_create", args=[b.pk]),
        reverse("orgs:role_grant", args=[b.pk]),
        reverse("orgs:organisation_rename", args=[b.pk]),
        reverse("orgs:person_edit", args=[person_b.pk]),
        reverse("orgs:person_login_reset", args=[person_b.pk]),
        reverse("orgs:organisation_set_active", args=[cast.b.department.pk]),
        reverse("orgs:person_account", args=[person_b.pk]),
        reverse("orgs:person_set_active", args=[person_b.pk]),
        reverse("orgs:role_revoke", args=[membership_b.pk]),
    ]
    for url in targets:
        response = client.post(
            url, {"name": "侵入", "kind": "department", "username": "x", "method": "invite"}
        )
        assert response.status_code == 404, url
    # The office's own pages are not the unit's either.
    assert client.get(reverse("orgs:organisation", args=[cast.office.pk])).status_code == 404
    assert client.post(reverse("orgs:unit_create", args=[cast.office.pk]), {"name": "丙"}).status_code == 404
    person_b.refresh_from_db()
    assert person_b.active and not Organisation.objects.filter(name="侵入").exists()
    assert "乙社区" not in client.get(reverse("orgs:index")).content.decode()


def test_a_unit_admin_may_not_close_their_unit_nor_move_it_nor_take_their_own_role(client, cast, admins):
    client.force_login(admins["a"])
    unit = cast.a.unit
    assert (
        client.post(reverse("orgs:organisation_set_active", args=[unit.pk]), {"active": "0"}).status_code
        == 403
    )
    assert client.post(reverse("orgs:organisation_move", args=[unit.pk]), {"parent": ""}).status_code == 403
    own = Membership.objects.get(user=admins["a"])
    client.post(reverse("orgs:role_revoke", args=[own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()
    own_person = Person.objects.get(user=admins["a"])
    client.post(reverse("orgs:person_set_active", args=[own_person.pk]), {"active": "0"})
    own_person.refresh_from_db()
    assert own_person.active and own_person.user.is_active
    # A department below may be closed, and opened again.
    department = cast.a.department
    client.post(reverse("orgs:organisation_set_active", args=[department.pk]), {"active": "0"})
    department.refresh_from_db()
    assert not department.active
    _assert_history_verifies()


def test_the_office_keeps_its_groups_and_the_units_it_inspects(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse("orgs:index")).content.decode()
    assert "第一巡察组" in page and "甲社区" in page and "乙社区" in page
    client.post(
        reverse("orgs:child_create", args=[cast.office.pk]),
        {"name": "第二巡察组", "kind": "inspection_group"},
    )
    assert Organisation.objects.get(name="第二巡察组").parent == cast.office
    response = client.post(reverse("orgs:unit_create", args=[cast.office.pk]), {"name": "丙社区党工委"})
    assert response.status_code == 302
    new_unit = Organisation.objects.get(name="丙社区党工委")
    assert new_unit.kind == OrgKind.UNIT
    # Moved under unit A (it became one of its bodies), then closed.
    client.post(reverse("orgs:organisation_move", args=[new_unit.pk]), {"parent": cast.a.unit.pk})
    new_unit.refresh_from_db()
    assert new_unit.parent == cast.a.unit and new_unit.path.startswith(cast.a.unit.path)
    client.post(reverse("orgs:organisation_set_active", args=[new_unit.pk]), {"active": "0"})
    new_unit.refresh_from_db()
    assert not new_unit.active
    assert not units_for_import(cast.officer).filter(pk=new_unit.pk).exists()
    # The office gives the first administrator of a unit its login and role.
    person = person_create(name="甲管理员", organisation=cast.a.unit)
    client.post(
        reverse("orgs:person_account", args=[person.pk]),
        {"username": "jia_admin", "method": "password", "initial_password": NEW_PASSWORD},
    )
    client.post(
        reverse("orgs:role_grant", args=[cast.a.unit.pk]), {"person": person.pk, "role": "unit_admin"}
    )
    assert Membership.objects.filter(user__username="jia_admin", role=Role.UNIT_ADMIN).exists()
    # Office staff are given in the office only.
    response = client.post(
        reverse("orgs:role_grant", args=[cast.office.pk]), {"person": person.pk, "role": "unit_admin"}
    )
    assert response.status_code == 400
    _assert_history_verifies()


def test_a_login_with_an_initial_password_must_change_it_first(client, cast, admins):
    client.force_login(admins["a"])
    person = person_create(name="冯新", organisation=cast.a.unit)
    client.post(
        reverse("orgs:person_account", args=[person.pk]),
        {"username": "fengxin", "method": "password", "initial_password": NEW_PASSWORD},
    )
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "fengxin", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = client.get(reverse("ledger:round_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Feng-own-pass-77",
            "new_password2": "Feng-own-pass-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("ledger:round_list")).status_code == 200
    user = get_user_model().objects.get(username="fengxin")
    assert user.check_password("Feng-own-pass-77")
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    _assert_history_verifies()


def _invite(client, admin, unit, username):
    client.force_login(admin)
    person = person_create(name="邀请人", organisation=unit)
    response = client.post(
        reverse("orgs:person_account", args=[person.pk]), {"username": username, "method": "invite"}
    )
    client.logout()
    return re.search(r'/accounts/invitation/[^"/]+/', response.content.decode()).group(0)


def test_an_invitation_link_works_once(client, cast, admins):
    url = _invite(client, admins["a"], cast.a.unit, "yaoqing")
    assert client.get(url).status_code == 200
    chosen = {"new_password1": "Yao-own-pass-88", "new_password2": "Yao-own-pass-88"}
    assert client.post(url, chosen).status_code == 302
    user = get_user_model().objects.get(username="yaoqing")
    assert user.check_password("Yao-own-pass-88")
    again = {"new_password1": "Someone-else-99", "new_password2": "Someone-else-99"}
    assert client.post(url, again).status_code == 404
    assert client.get(url).status_code == 404
    user.refresh_from_db()
    assert user.check_password("Yao-own-pass-88")
    assert (
        client.post(
            reverse("accounts:login"), {"username": "yaoqing", "password": "Yao-own-pass-88"}
        ).status_code
        == 302
    )
    _assert_history_verifies()


def test_an_invitation_link_expires(client, cast, admins):
    url = _invite(client, admins["a"], cast.a.unit, "guoqi")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(url, {"new_password1": "Guo-own-pass-88", "new_password2": "Guo-own-pass-88"})
    assert response.status_code == 404 and "已失效" in response.content.decode()
    assert not get_user_model().objects.get(username="guoqi").has_usable_password()


def test_a_signed_in_user_cannot_use_an_invitation(client, cast, admins):
    url = _invite(client, admins["a"], cast.a.unit, "daiti")
    client.force_login(cast.clerk_a)
    response = client.post(url, {"new_password1": "Dai-own-pass-88", "new_password2": "Dai-own-pass-88"})
    assert response.status_code == 403
    assert not get_user_model().objects.get(username="daiti").has_usable_password()


def test_the_measure_form_offers_the_units_whole_active_staff(cast, admins):
    officer = person_create(name="部门干事", organisation=cast.a.department)
    gone = person_create(name="已调离", organisation=cast.a.department)
    other = person_create(name="乙单位人", organisation=cast.b.unit)
    closed = organisation_create(name="已撤销部门", kind=OrgKind.DEPARTMENT, parent=cast.a.unit)
    organisation_set_active(org=closed, active=False)
    person_set_active(person=gone, active=False)
    form = MeasureForm(round_=cast.a.round)
    doers = set(form.fields["doer"].queryset)
    assert officer in doers and admins["a"].person in doers
    assert gone not in doers and other not in doers
    assert closed not in set(form.fields["lead_department"].queryset)
    # A measure that already names the person who left keeps them on its form.
    measure = cast.a.measure
    measure_update(measure=measure, actor=None, expected_version=measure.version, doer=gone)
    measure.refresh_from_db()
    assert gone in set(MeasureForm(round_=cast.a.round, measure=measure).fields["doer"].queryset)


def test_a_deactivated_person_stays_on_the_measures_that_name_them(client, cast, admins):
    measure = cast.a.measure
    leader = measure.responsible_leader
    client.force_login(admins["a"])
    client.post(reverse("orgs:person_set_active", args=[leader.pk]), {"active": "0"})
    leader.refresh_from_db()
    assert not leader.active
    page = client.get(reverse("ledger:problem_detail", args=[measure.problem_id])).content.decode()
    assert leader.name in page
    form = client.get(reverse("ledger:measure_edit", args=[measure.pk])).content.decode()
    assert leader.name in form  # still chosen on this measure, so still offered on it
    other = measure_create(problem=cast.a.problem, actor=None, text="另一项")
    assert leader.name not in client.get(reverse("ledger:measure_edit", args=[other.pk])).content.decode()


def test_a_forgotten_password_gets_a_new_link_or_initial_password(client, cast, admins):
    first = _invite(client, admins["a"], cast.a.unit, "wangji")
    person = Person.objects.get(user__username="wangji")
    client.force_login(admins["a"])
    response = client.post(reverse("orgs:person_login_reset", args=[person.pk]), {"method": "invite"})
    second = re.search(r"/accounts/invitation/[^\"/]+/", response.content.decode()).group(0)
    client.logout()
    assert client.get(first).status_code == 404  # the new link spends the old one
    assert client.get(second).status_code == 200
    client.force_login(admins["a"])
    url = reverse("orgs:person_login_reset", args=[person.pk])
    client.post(url, {"method": "password", "initial_password": NEW_PASSWORD})
    assert PasswordChangeRequired.objects.filter(user=person.user).exists()
    # A login that also holds a role elsewhere is not this administrator's to reset.
    membership_grant(user=person.user, organisation=cast.b.unit, role=Role.UNIT_STAFF)
    assert client.post(url, {"method": "invite"}).status_code == 403
    _assert_history_verifies()


def test_the_organisation_page_reads_the_same_number_of_times_whatever_its_staff(client, cast, admins):
    client.force_login(admins["a"])
    url = reverse("orgs:organisation", args=[cast.a.unit.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request also reads what Django caches for the process
    few = queries()
    for n in range(8):
        person = person_create(name=f"员工{n}", organisation=cast.a.unit)
        if n % 2:
            person_account_create(person=person, username=f"staff{n}")
    assert queries() == few
