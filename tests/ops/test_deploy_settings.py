"""The production environment documented in docs/deploy.md passes `check --deploy` without a
warning, and the defaults still serve `make run` over plain http on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from zhenggai.config import settings as config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
DEPLOY_CHECK = ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"]


def documented_environment() -> dict[str, str]:
    """The `env` block of docs/deploy.md: the one source of the production values."""
    blocks = re.findall(r"^```env\n(.*?)^```", DOCS.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "docs/deploy.md must hold exactly one ```env block"
    lines = [line for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def _django(args: list[str], given: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """A fresh process with only `given` (and what Python itself needs), run in `folder`."""
    env = {key: os.environ[key] for key in ("PATH", "LANG", "HOME") if key in os.environ}
    env.update(given, DJANGO_SETTINGS_MODULE="zhenggai.config.settings")
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_documented_production_environment_passes_the_deploy_check(tmp_path):
    given = documented_environment()
    # Paths are moved under the test's folder (the server's /var/lib and /etc are not ours);
    # every other value is exactly the documented one.
    given = {
        key: str(tmp_path / value.lstrip("/")) if value.startswith("/") else value
        for key, value in given.items()
    }
    checked = _django(DEPLOY_CHECK, given, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout
    assert "WARNING" not in checked.stderr


def test_without_it_the_deploy_check_names_what_is_missing(tmp_path):
    checked = _django(DEPLOY_CHECK, {"ZHENGGAI_DATA_DIR": str(tmp_path)}, tmp_path)
    assert checked.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in checked.stderr


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "CSRF_TRUSTED_ORIGINS")}))
"""


def test_the_defaults_serve_plain_http_on_the_local_machine(tmp_path):
    read = _django(["-c", READ_SETTINGS], {"ZHENGGAI_DATA_DIR": str(tmp_path)}, tmp_path)
    assert json.loads(read.stdout) == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "CSRF_TRUSTED_ORIGINS": [],
    }


@pytest.mark.parametrize("spelling", ["X-Forwarded-Proto", "HTTP_X_FORWARDED_PROTO", "x-forwarded-proto "])
def test_the_proxy_header_may_be_named_as_nginx_or_as_django_spells_it(monkeypatch, spelling):
    monkeypatch.setenv("ZHENGGAI_PROXY_SSL_HEADER", spelling)
    assert config._proxy_ssl_header() == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
def test_postgresql_sessions_keep_a_pages_short_queries_serial():
    """A parallel plan's workers cost a page's short query more than they save (docs/performance.md):
    the connection's planner is told so."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW parallel_setup_cost")
        assert cursor.fetchone()[0] == "20000"
