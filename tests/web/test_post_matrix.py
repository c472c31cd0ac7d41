"""Every POST of every page is checked against the rights table: the read-only roles are refused.

The URLs are enumerated from the URL configuration, never listed by hand, so a new view that takes
a POST without asking `ledger/access.py` (ROLE_ACTIONS) fails here. Each URL is filled with the ids
of real records the read-only user may see (one of each kind, in unit A's round); a POST must get
403, or 405 where the view takes no POST at all, and must leave every table of the project as it was.

The named exceptions, and why:
- `accounts:login`, `accounts:logout`, `set_language`: signing in and out and choosing a language
  change no record.
- `accounts:password_change`: whoever is signed in may change their own password, whatever their
  role (the POST here, without the old password, changes nothing: asserted below).
- `accounts:two_factor`, `accounts:two_factor_verify`, `accounts:two_factor_remove`: likewise
  whoever is signed in may enrol, use and remove their own authenticator; the POST here, without a
  right code, changes nothing: asserted below.
- `receipts:confirm`, `comments:public`: the public pages residents and citizens write on without an
  account. A logged-in user is refused there (403, with the page's own refusal) and nothing is kept:
  asserted below.
- `admin:*`: the back office is the system administrator's, for accounts and settings. Whoever is not
  staff is sent to its log-in; the ledger's records are read-only there even for the administrator
  (test_the_back_office_changes_no_ledger_record). Its two regular-expression URLs (an app's index
  and the catch-all) are not built.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from zhenggai.comments.services import call_open, comment_submit
from zhenggai.imports.models import ImportDraft
from zhenggai.ledger.services import evidence_attach
from zhenggai.ledger.transitions import extension_request
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.receipts.services import batch_issue
from zhenggai.repeats.models import RepeatLink
from zhenggai.reports.issuing import draft_create
from zhenggai.reports.models import ExportJob

# Each own-login POST without its secret, and its answer: 400 the form refused, 302 no authenticator
# to give a code of or to remove.
OWN_LOGIN = {
    "accounts:password_change": 400,
    "accounts:two_factor": 400,
    "accounts:two_factor_verify": 302,
    "accounts:two_factor_remove": 302,
}
NOT_WRITES = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    *OWN_LOGIN,
    # One's own API tokens, as one's own password: personal, no ledger record (tests/api/test_tokens.py).
    "api_tokens:list",
    "api_tokens:revoke",
}
# The REST API's operations are walked by tests/api/test_scoping_matrix.py, every role (these two
# read-only ones included) with a body each operation accepts: sent a form, they answer 422 first.
API = "api"
PUBLIC_PAGES = {"receipts:confirm": "工作人员不能代为填写", "comments:public": "请退出"}
BACK_OFFICE = "admin"
_CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the whole route, converters included ("rounds/<int:pk>/reports/")
    regex: bool  # a regular expression somewhere on the way: not built


def _routes(patterns=None, prefix: str = "", namespace: str = "", regex: bool = False) -> list[Route]:
    """Every URL pattern of the site, through every include."""
    found: list[Route] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        is_regex = regex or isinstance(p.pattern, RegexPattern)
        if isinstance(p, URLResolver):
            inner = ":".join(n for n in (namespace, p.namespace or "") if n)
            found += _routes(p.url_patterns, prefix + str(p.pattern), inner, is_regex)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else (p.name or str(p.pattern))
            found.append(Route(name, prefix + str(p.pattern), is_regex))
    return found


def _urls(route: Route, values: dict[str, list[str]]) -> list[str]:
    """The route with its converters filled in every way the candidate values allow."""
    parts = _CONVERTER.split(route.route)
    # split() gives text, kind, name, text, kind, name, …, text
    texts, kinds = parts[::3], [kind or "str" for kind in parts[1::3]]
    urls = []
    for chosen in itertools.product(*(values[kind] for kind in kinds)):
        pieces = [texts[0]]
        for value, text in zip(chosen, texts[1:], strict=True):
            pieces += [value, text]
        urls.append("/" + "".join(pieces))
    return urls


def _state() -> dict[str, list[str]]:
    """Every row of every table of the project (and the users): what a refused POST must not change."""
    models = [m for m in apps.get_models() if m.__module__.startswith("zhenggai.")] + [get_user_model()]
    return {m._meta.label: sorted(map(repr, m._default_manager.values_list())) for m in models}


@pytest.fixture
def world(cast):
    """One record of each kind in unit A's round, and the read-only users who may see them."""
    supervisor = get_user_model().objects.create_user("supervisor", password="x-test-password-1")
    membership_grant(user=supervisor, organisation=cast.office, role=Role.SUPERVISOR)
    root = get_user_model().objects.create_superuser("root", password="x-test-password-1")
    clerk, measure = cast.clerk_a, cast.a.measure
    evidence = evidence_attach(
        measure=measure, actor=clerk, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    extension = extension_request(
        measure=measure, actor=clerk, new_deadline=datetime.date(2099, 1, 1), reason="等待上级批复"
    )
    batch = batch_issue(
        measure=measure, actor=clerk, title="回执", statement="已收到。", count=1, asks_satisfaction=False
    )
    call = call_open(round_=cast.a.round, actor=clerk, invitation="欢迎提出意见。", closes_on=None)
    comment = comment_submit(
        call=call, text="会议记录要公开", name="", contact="", logged_in=False, network="n"
    )
    # A draft and an export the supervisor made when they held another role: theirs to reach.
    draft = ImportDraft.objects.create(
        created_by=supervisor,
        source_name="报告.txt",
        source_sha256="0" * 64,
        ledger={"schema": "zhenggai.ledger/1", "title": "草稿", "sections": []},
        office=cast.office,
        inspected_unit=cast.a.unit,
    )
    job = ExportJob.objects.create(requested_by=supervisor)
    report = draft_create(round_=cast.a.round, actor=clerk, kind="progress")
    repeat = RepeatLink.objects.create(newer=cast.a.problem, earlier=cast.a.section, similarity=1.0)
    ids = {cast.a.round.pk, cast.a.problem.pk, cast.a.section.pk, measure.pk, evidence.pk, extension.pk}
    ids |= {batch.pk, call.pk, comment.pk, draft.pk, job.pk, report.pk, repeat.pk}
    tokens = [batch.receipts.get().token, call.token]
    values = {"int": sorted(map(str, ids)), "str": tokens, "path": ["1"], "slug": ["x"]}
    return {"supervisor": supervisor, "root": root, "values": values, "cast": cast}


def test_the_walk_finds_the_sites_post_views():
    names = {r.name for r in _routes()}
    assert {"ledger:transition", "reports:round_reports", "imports:upload", "comments:public"} <= names
    assert NOT_WRITES | set(PUBLIC_PAGES) <= names


@pytest.mark.parametrize("who", ["supervisor", "root"])
def test_every_post_refuses_the_read_only_roles(client, world, who):
    user = world[who]
    client.force_login(user)
    checked = []
    for route in _routes():
        if route.name.startswith(f"{API}:"):
            continue
        if route.name in NOT_WRITES or route.name in PUBLIC_PAGES or route.name.startswith(f"{BACK_OFFICE}:"):
            if route.name in OWN_LOGIN:
                before = _state()
                assert client.post(reverse(route.name), {"version": 1}).status_code == OWN_LOGIN[route.name]
                assert _state() == before
            continue
        assert not route.regex, (
            f"{route.name}: a regular-expression URL; build it here or name it an exception"
        )
        before = _state()
        codes = {url: client.post(url, {"version": 1}).status_code for url in _urls(route, world["values"])}
        assert _state() == before, f"{who} changed the database through {route.name}"
        found = set(codes.values())
        # 404 alone: no record of the URL's kind among the ids; give the `world` fixture one.
        assert found != {404}, f"{route.name}: no record in reach to build it with; add its kind to `world`"
        refused = found == {405} or (403 in found and found <= {403, 404})
        assert refused, f"{who} POST {route.name}: {codes}"
        checked.append(route.name)
    assert len(checked) > 30 and "ledger:transition" in checked


@pytest.mark.parametrize("who", ["supervisor", "root"])
def test_the_public_pages_refuse_a_logged_in_user(client, world, who):
    client.force_login(world[who])
    routes = [r for r in _routes() if r.name in PUBLIC_PAGES]
    assert {r.name for r in routes} == set(PUBLIC_PAGES)
    for route in routes:
        before, refused = _state(), 0
        for url in _urls(route, {"str": world["values"]["str"]}):
            response = client.post(url, {"confirm": "on", "text": "代群众填写", "household": "1栋"})
            assert response.status_code in (403, 404), url  # 404: the other page's token
            if response.status_code == 403:
                assert PUBLIC_PAGES[route.name] in response.content.decode()
                refused += 1
        assert refused == 1 and _state() == before, route.name


ADMIN_SIGN_IN_OUT = {"admin:login", "admin:logout"}


def test_the_back_office_sends_whoever_is_not_staff_to_its_log_in(client, world):
    client.force_login(world["supervisor"])
    login = reverse("admin:login")
    before, posted = _state(), 0
    for route in _routes():
        if (
            route.name.startswith(f"{BACK_OFFICE}:")
            and not route.regex
            and route.name not in ADMIN_SIGN_IN_OUT
        ):
            for url in _urls(route, world["values"]):
                response = client.post(url, {"post": "yes"})
                assert response.status_code == 302 and response["Location"].startswith(login), url
                posted += 1
    assert posted > 50 and _state() == before


LEDGER_APPS = {"ledger", "receipts", "comments"}


def test_the_back_office_changes_no_ledger_record(client, world):
    """The administrator may look at the ledger's records in the back office, never change them."""
    client.force_login(world["root"])
    before = _state()
    registered = [m for m in admin.site._registry if m._meta.app_label in LEDGER_APPS]
    assert len(registered) >= 5
    for model in registered:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.post(reverse(f"{info}_add"), {}).status_code == 403, info
        obj = model._default_manager.first()
        if obj is None:
            continue
        for view in ("change", "delete"):
            url = reverse(f"{info}_{view}", args=[obj.pk])
            assert client.post(url, {"post": "yes"}).status_code == 403, (info, view)
    assert _state() == before


CLERK_ONLY = [
    ("ledger:measure_add", "problem"),
    ("ledger:measure_edit", "measure"),
    ("ledger:progress_add", "measure"),
    ("ledger:evidence_upload", "measure"),
    ("receipts:measure_receipts", "measure"),
    ("comments:round_comments", "round"),
    ("comments:comment_answer", "comment"),
]


def test_a_unit_leader_is_refused_the_clerks_writes(client, world):
    cast = world["cast"]
    comment = apps.get_model("comments", "PublicComment").objects.get()
    targets = {"problem": cast.a.problem.pk, "measure": cast.a.measure.pk, "round": cast.a.round.pk}
    targets["comment"] = comment.pk
    client.force_login(cast.leader_a)
    before = _state()
    for name, kind in CLERK_ONLY:
        assert client.post(reverse(name, args=[targets[kind]]), {"text": "x"}).status_code == 403, name
    assert client.post(reverse("imports:upload"), {}).status_code == 403
    report = {
        "kind": "report",
        "format": "docx",
        "issuer": "甲社区",
        "date": "2024-01-01",
        "as_of": "2024-01-01",
    }
    assert client.post(reverse("reports:round_reports", args=[cast.a.round.pk]), report).status_code == 403
    assert _state() == before
