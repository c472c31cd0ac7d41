"""The navigation shows what the role can do, and refusals and errors are pages of the site, in
Chinese, with DEBUG off (the test settings' default)."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from zhenggai.accounts.services import user_create
from zhenggai.config.errors import server_error
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant

IMPORT_LINK = f'href="{reverse("imports:upload")}"'


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("ledger:round_list")).content.decode()


def test_only_those_who_may_import_see_the_import_link(client, cast, settings):
    assert settings.DEBUG is False
    assert IMPORT_LINK in _home(client, cast.clerk_a)
    assert IMPORT_LINK in _home(client, cast.officer)
    for user in (cast.leader_a, cast.outsider):
        assert IMPORT_LINK not in _home(client, user)
        assert client.get(reverse("imports:upload")).status_code == 403


def test_a_department_clerk_who_has_no_unit_to_import_for_sees_no_import_link(client, cast):
    clerk = user_create(username="dept_clerk", password="x-test-password-1")
    membership_grant(user=clerk, organisation=cast.a.department, role=Role.UNIT_STAFF)
    assert IMPORT_LINK not in _home(client, clerk)
    assert client.get(reverse("imports:upload")).status_code == 403


def test_the_404_page_is_chinese_in_the_site_layout(client, cast):
    client.force_login(cast.clerk_a)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="not-found"' in page and "页面不存在" in page
    assert 'class="topbar"' in page and "clerk_a" in page and "Not Found" not in page


def test_another_units_record_is_the_same_chinese_404(client, cast):
    client.force_login(cast.clerk_b)
    response = client.get(reverse("ledger:problem_detail", args=[cast.a.problem.pk]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_the_403_page_is_chinese_in_the_site_layout(client, cast):
    measure = cast.a.measure
    client.force_login(cast.leader_a)
    response = client.post(reverse("ledger:progress_add", args=[measure.pk]), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in page and "无权操作" in page and 'class="topbar"' in page


def test_the_500_page_needs_no_request_context_and_no_database():
    # No database fixture: any query here fails the test. No user, no session either: the
    # middleware that gives them may be what failed.
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="server-error"' in page and "服务器出错" in page and 'class="topbar"' in page
