"""The scoping matrix through the API: every role of the cast × every operation × their own unit
and another. Own: allowed as the role's rights say (403 otherwise); another's: the same 404 as a
record that does not exist. The operations are read from the API itself, so that a new one cannot
escape the matrix."""

from __future__ import annotations

import datetime
import io

import pytest
from _api_support import ApiClient, secret_of
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.accounts.services import user_create
from zhenggai.api.api import api
from zhenggai.comments.models import PublicComment
from zhenggai.comments.services import call_open, comment_submit
from zhenggai.imports.services import draft_create
from zhenggai.ledger.access import offices_for_import, rights_for, units_for_import, visible_rounds
from zhenggai.ledger.models import Acknowledgement, DeadlineExtension, EvidenceFile, Measure, ProgressEntry
from zhenggai.ledger.services import evidence_attach
from zhenggai.ledger.transitions import extension_request
from zhenggai.ledger.workflow import TRANSITION_ACTIONS, Action
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant
from zhenggai.reports import issuing
from zhenggai.reports.models import ReportVersion

TODAY = datetime.date.today().isoformat()
SAMPLE = "一、党的建设方面\n1.会议记录不规范。\n整改措施：一是建立签字制度。\n".encode()
# What each path parameter names, and the body each operation is sent with.
PARAMETER_TARGETS = {
    "round_id": "round",
    "measure_id": "measure",
    "evidence_id": "evidence",
    "extension_id": "extension",
    "draft_id": "draft",
    "comment_id": "comment",
    "report_id": "report",
}
BODIES = {
    ("patch", "/api/measures/{measure_id}"): {"version": 1, "text": "矩阵测试修改。"},
    ("post", "/api/measures/{measure_id}/progress"): {"happened_on": TODAY, "text": "矩阵测试进展。"},
    ("post", "/api/measures/{measure_id}/transitions"): {
        "action": "submit",
        "version": 1,
        "reason": "矩阵测试",
    },
    ("post", "/api/measures/{measure_id}/extensions"): {"new_deadline": "2099-01-01", "reason": "矩阵测试"},
    ("post", "/api/extensions/{extension_id}/decision"): {"approve": False, "note": "矩阵测试"},
    ("post", "/api/measures/{measure_id}/acknowledgement"): {},
    ("post", "/api/imports/{draft_id}/commit"): {},
    ("post", "/api/notices/read"): {"ids": [1]},
    ("post", "/api/comments/{comment_id}/answer"): {"answer": "矩阵测试答复。"},
    ("post", "/api/rounds/{round_id}/reports"): {"kind": "public"},
    ("post", "/api/reports/{report_id}/sign-off"): {"version": 1},
    ("post", "/api/reports/{report_id}/issue"): {"version": 1},
}


def operations() -> list[tuple[str, str, str]]:
    """(method, path, the right it needs) of every operation of the API's description."""
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            found.append((method, path, operation["x-zhenggai-action"]))
    return found


def test_every_operation_says_which_right_it_needs_and_what_it_names():
    for method, path, action in operations():
        assert action in {*Action.values, "transition", "none"}, (method, path)
        names = [part.strip("{}") for part in path.split("/") if part.startswith("{")]
        assert all(name in PARAMETER_TARGETS for name in names), path
        assert (action == "none") == (not names), path  # an operation naming a record is scoped
        uploads = path.endswith("/evidence") or path == "/api/imports"  # multipart, sent by _call
        if method != "get" and (method, path) not in BODIES and not uploads:
            pytest.fail(f"{method} {path}: give it a body in BODIES")


def _targets(cast) -> dict[str, dict[str, int]]:
    targets = {}
    for key, unit, clerk in (("own", cast.a, cast.clerk_a), ("other", cast.b, cast.clerk_b)):
        evidence = evidence_attach(
            measure=unit.measure, actor=clerk, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
        )
        extension = extension_request(
            measure=unit.measure, actor=clerk, new_deadline=datetime.date(2099, 1, 1), reason="等待批复"
        )
        draft = draft_create(
            actor=clerk, name="报告.txt", data=SAMPLE, office=cast.office, inspected_unit=unit.unit
        )
        call = call_open(round_=unit.round, actor=clerk, invitation="欢迎提出意见。", closes_on=None)
        comment = comment_submit(
            call=call, text="会议记录应当场签字。", name="", contact="", logged_in=False, network=key
        )
        # An issued report (its file is read), drafted by the clerk and signed off by a leader.
        report = issuing.draft_create(round_=unit.round, actor=clerk, kind="public")
        leader = user_create(username=f"signer_{key}", password="x-test-password-1")
        membership_grant(user=leader, organisation=unit.unit, role=Role.UNIT_LEADER)
        report = issuing.sign_off(report=report, actor=leader, expected_version=report.version)
        issuing.issue(report=report, actor=clerk, expected_version=report.version)
        targets[key] = {
            "comment": comment.pk,
            "report": report.pk,
            "draft": draft.pk,
            "round": unit.round.pk,
            "measure": unit.measure.pk,
            "evidence": evidence.pk,
            "extension": extension.pk,
        }
    return targets


def _cast_member(cast, name: str):
    """The cast, with the roles test_access adds: a supervisor, a unit administrator of unit A and a
    system administrator."""
    if hasattr(cast, name):
        return getattr(cast, name)
    user = user_create(username=name, password="x-test-password-1")
    if name == "root":  # a system administrator: reads every round, writes none
        user.is_superuser = True
        user.save()
        return user
    org, role = {
        "supervisor": (cast.office, Role.SUPERVISOR),
        "unit_admin_a": (cast.a.unit, Role.UNIT_ADMIN),
    }[name]
    membership_grant(user=user, organisation=org, role=role)
    return user


def _call(client: ApiClient, method: str, path: str, ids: dict[str, int]):
    url = path
    for name, target in PARAMETER_TARGETS.items():
        if "{" + name + "}" in url:
            url = url.replace("{" + name + "}", str(ids[target]))
    if path.endswith("/evidence") and method == "post":
        return client.post(url, {"file": SimpleUploadedFile("矩阵.pdf", b"%PDF-1.4\n")})
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, BODIES[(method, path)], content_type="application/json")


def _ledger_state() -> tuple:
    """What a refused request must leave as it was: the measures and what hangs on them."""
    return (
        sorted(Measure.objects.values_list("pk", "version", "status", "text", "deadline")),
        sorted(DeadlineExtension.objects.values_list("pk", "status")),
        ProgressEntry.objects.count(),
        EvidenceFile.objects.count(),
        Acknowledgement.objects.count(),
        sorted(PublicComment.objects.values_list("pk", "answer")),
        sorted(ReportVersion.objects.values_list("pk", "state", "version")),
    )


def _allowed(rights, action: str) -> bool:
    if action == "transition":
        return bool(rights.actions & TRANSITION_ACTIONS)
    return action in rights.actions


@pytest.mark.parametrize(
    "name", ["clerk_a", "leader_a", "officer", "clerk_b", "outsider", "supervisor", "unit_admin_a", "root"]
)
def test_each_role_reaches_its_own_and_gets_404_for_another(cast, name):
    user = _cast_member(cast, name)
    client = ApiClient(secret_of(user))
    targets = _targets(cast)
    shown = set(visible_rounds(user))
    for method, path, action in operations():
        if action == "none" or "{draft_id}" in path:  # a draft is its uploader's: the test below
            continue
        for key, unit in (("own", cast.a), ("other", cast.b)):
            before = _ledger_state()
            response = _call(client, method, path, targets[key])
            if response.streaming:  # an evidence file: read to its end, which closes it
                b"".join(response.streaming_content)
            where = (name, method, path, key)
            assert response.status_code < 500, where
            if response.status_code in (403, 404):
                assert _ledger_state() == before, (*where, "a refused request changed the ledger")
            if unit.round not in shown:
                assert response.status_code == 404, where
                assert "甲社区" not in response.content.decode() or key == "own", where
            elif _allowed(rights_for(user, unit.round), action):
                assert response.status_code not in (401, 403, 404), (*where, response.content)
            else:
                assert response.status_code == 403, (*where, response.content)


@pytest.mark.parametrize("name", ["clerk_a", "leader_a", "officer", "clerk_b", "outsider"])
def test_the_lists_show_only_what_the_role_may_see(cast, name):
    user = getattr(cast, name)
    client = ApiClient(secret_of(user))
    shown = {r.pk for r in visible_rounds(user)}
    rounds = {r["id"] for r in client.get("/api/rounds").json()["items"]}
    measures = {m["round_id"] for m in client.get("/api/measures").json()["items"]}
    assert rounds == shown
    assert measures == shown
    for unit in (cast.a, cast.b):
        listed = client.get(f"/api/measures?unit={unit.unit.pk}").json()["items"]
        assert bool(listed) == (unit.round.pk in shown)


@pytest.mark.parametrize(
    "name", ["clerk_a", "leader_a", "officer", "clerk_b", "outsider", "supervisor", "unit_admin_a", "root"]
)
def test_an_import_draft_is_its_uploaders_and_is_committed_only_by_an_importer(cast, name):
    """A draft is not a round's: its uploader's alone (a system administrator reads every one), and
    committed by them while they may still import for its unit (ledger.access.get_draft_to_change)."""
    user = _cast_member(cast, name)
    client = ApiClient(secret_of(user))
    own = draft_create(
        actor=user, name="报告.txt", data=SAMPLE, office=cast.office, inspected_unit=cast.a.unit
    )
    uploader = cast.clerk_a if user == cast.clerk_b else cast.clerk_b  # someone else's draft
    other = draft_create(
        actor=uploader, name="报告.txt", data=SAMPLE, office=cast.office, inspected_unit=cast.b.unit
    ).pk
    may_import = (
        units_for_import(user).filter(pk=cast.a.unit.pk).exists()
        and offices_for_import(user).filter(pk=cast.office.pk).exists()
    )
    drafts = [(method, path) for method, path, _action in operations() if "{draft_id}" in path]
    assert drafts
    for method, path in drafts:
        for key, pk in (("own", own.pk), ("other", other)):
            before = _ledger_state()
            response = _call(client, method, path, {"draft": pk})
            where = (name, method, path, key)
            if key == "other" and not user.is_superuser:
                expected = 404
            elif method == "get":
                expected = 200
            else:
                expected = 201 if may_import and key == "own" else 403
            assert response.status_code == expected, (*where, response.content)
            if expected != 201:
                assert _ledger_state() == before, where
