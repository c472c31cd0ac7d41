"""The API's own description: served, its docs page working offline under the CSP, and every
operation checked against it by schemathesis (no 500, answers as described)."""

from __future__ import annotations

import io
import re

import pytest
import schemathesis
from _api_support import secret_of
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from zhenggai.comments.services import call_open, comment_submit
from zhenggai.imports.services import draft_create
from zhenggai.ledger.services import evidence_attach
from zhenggai.reports import issuing

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_description_is_openapi_3_and_public(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    description = response.json()
    assert description["openapi"].startswith("3.")
    assert "/api/measures/{measure_id}/transitions" in description["paths"]
    assert description["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}


def test_the_docs_page_uses_only_local_files_and_no_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(a.startswith("/static/") for a in addresses), addresses
    assert "swagger-ui-bundle.js" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all('src="' in attrs or "application/json" in attrs for attrs, _body in scripts)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" in policy.split("style-src")[1].split(";")[0]
    assert (
        "unsafe-inline"
        not in client.get("/api/openapi.json")["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


@pytest.fixture
def wsgi_app():
    """The WSGI application, its requests in the test's transaction: the connection is not closed
    at the end of each (as Django's test client does it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = get_wsgi_application()

    def app(environ, start_response):  # each answer read whole and closed, as a server does
        result = django_app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            result.close()

    yield app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_described(cast, wsgi_app):
    description = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    secret = secret_of(cast.clerk_a)
    # The records a path names are the clerk's own (a random id would only ever find a 404).
    evidence = evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="记录.pdf", size=9, stream=io.BytesIO(b"%PDF-1.4\n")
    )
    call = call_open(round_=cast.a.round, actor=cast.clerk_a, invitation="欢迎提出意见。", closes_on=None)
    comment = comment_submit(
        call=call, text="请公开进度。", name="", contact="", logged_in=False, network="k"
    )
    own = {
        "comment_id": comment.pk,
        "report_id": issuing.draft_create(round_=cast.a.round, actor=cast.clerk_a, kind="public").pk,
        "round_id": cast.a.round.pk,
        "measure_id": cast.a.measure.pk,
        "evidence_id": evidence.pk,
        "extension_id": 987654,
        "draft_id": draft_create(
            actor=cast.clerk_a,
            name="报告.txt",
            data="一、党的建设方面\n1.会议记录不规范。\n整改措施：一是建立签字制度。\n".encode(),
            office=cast.office,
            inspected_unit=cast.a.unit,
        ).pk,
    }
    operations = [result.ok() for result in description.get_all_operations()]
    assert len(operations) >= 13

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            for name in list(case.path_parameters or {}):
                case.path_parameters[name] = own[name]
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            case.validate_response(response, checks=CHECKS)

        check()


def test_a_wrong_method_or_address_under_api_answers_in_json(client):
    wrong_method = client.delete("/api/me")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    assert "GET" in wrong_method["Allow"]
    nowhere = client.get("/api/nowhere/1")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"
