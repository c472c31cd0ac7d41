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
from zhenggai.ledger.access import rights_for, visible_rounds
from zhenggai.ledger.models import Acknowledgement, DeadlineExtension, EvidenceFile, Measure, ProgressEntry
from zhenggai.ledger.services import evidence_attach
from zhenggai.ledger.transitions import extension_request
from zhenggai.ledger.workflow import TRANSITION_ACTIONS, Action
from zhenggai.orgs.models import Role
from zhenggai.orgs.services import membership_grant

TODAY = datetime.date.today().isoformat()
# What each path parameter names, and the body each operation is sent with.
PARAMETER_TARGETS = {
    "round_id": "round",
    "measure_id": "measure",
    "evidence_id": "evidence",
    "extension_id": "extension",
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
        if method != "get" and (method, path) not in BODIES and not path.endswith("/evidence"):
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
        targets[key] = {
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
        if action == "none":
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
