"""`zhenggai serve` in production form: gunicorn with two workers, the task worker on RQ/Redis.

One installation is made as docs/deploy.md describes (`zhenggai migrate`, `collectstatic`,
`load-demo`) in a scratch database of the vendor the suite runs on (PostgreSQL in CI's second
pass), then served by `zhenggai serve --workers 2` beside `zhenggai worker` with
TASKS_BACKEND=django_tasks_rq.RQBackend. Through plain HTTP, as a browser would: a clerk logs in,
imports a report (upload, preview, commit), asks for the ledger workbook, which the RQ worker
writes, and downloads it; and a page is fetched from each worker.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import io
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from _ops_support import Installation, drop_scratch_postgresql, scratch_postgresql
from django.db import connection

from zhenggai.ops.serving import ServeOptions, default_workers

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "src/zhenggai/demo/data/x_community_2020_report.txt"
DEMO_PASSWORD = "zhenggai-demo"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_CLAIM = "zhenggai-tests:claimed"


def test_workers_default_to_twice_the_cores_and_one_capped():
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(64) == 12


def test_gunicorn_is_given_the_options_and_preloads_the_application():
    settings = ServeOptions(bind="127.0.0.1:9000", workers=0, threads=2).gunicorn_settings(cores=4)
    assert settings["bind"] == ["127.0.0.1:9000"]
    assert settings["workers"] == 9
    assert settings["threads"] == 2
    assert settings["preload_app"] is True
    assert ServeOptions(workers=3).gunicorn_settings(cores=4)["workers"] == 3


def test_serve_refuses_before_migrate_and_collectstatic(tmp_path):
    fresh = Installation(f"sqlite:///{tmp_path / 'zhenggai.sqlite3'}", tmp_path)
    done = fresh.zhenggai("serve", "--bind", "127.0.0.1:1")
    assert done.returncode == 2
    assert "zhenggai migrate" in done.stderr
    assert "zhenggai collectstatic" in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _empty_redis_database() -> int | None:
    """An empty Redis database number (1-15), so that no other queue's jobs or workers meet ours.

    Claimed with a key set only if absent: a test running beside this one (on another xdist
    worker, or in another session on the machine) that finds the same database empty at the same
    moment fails to set it and takes the next one. The fixture's flushdb removes the claim."""
    redis = pytest.importorskip("redis", reason="redis (the RQ backend's client) is not installed")
    try:
        for number in range(15, 0, -1):
            client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_connect_timeout=2)
            if client.dbsize() == 0 and client.set(REDIS_CLAIM, uuid.uuid4().hex, nx=True, ex=3600):
                return number
    except redis.exceptions.ConnectionError:
        return None
    return None


class Browser:
    """Cookies, the CSRF token, and redirects: what the clerk's browser does, over plain HTTP."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read()

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None):
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(  # noqa: S310 - http on loopback, built here
            self.base + path,
            data=body.getvalue(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl(), response.read()


def _wait_until_served(base: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"zhenggai serve stopped: {log.read_text()}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()  # noqa: S310 - loopback
            return
        time.sleep(0.3)
    raise AssertionError(f"zhenggai serve did not answer within a minute: {log.read_text()}")


@contextlib.contextmanager
def _running(installation: Installation, *args: str) -> Iterator[tuple[subprocess.Popen, Path]]:
    """The command running in the background, its output in a log file (a pipe could fill up)."""
    log = installation.folder / f"{args[0]}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "zhenggai.cli", *args],
            env=installation.env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def installation(tmp_path, transactional_db) -> Iterator[Installation]:
    """A deployed installation of its own, on the suite's database vendor, with the RQ backend."""
    redis_db = _empty_redis_database()
    if redis_db is None:
        pytest.skip(f"no Redis server with an empty database at {REDIS_HOST}:{REDIS_PORT}")
    folder = tmp_path / "deployed"
    if connection.vendor == "postgresql":
        installation = scratch_postgresql(folder)
    else:
        installation = Installation(f"sqlite:///{folder / 'zhenggai.sqlite3'}", folder)
    installation.extra = {
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
    }
    try:
        for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load-demo"]):
            done = installation.zhenggai(*step)
            assert done.returncode == 0, (step, done.stdout, done.stderr)
        yield installation
    finally:
        import redis

        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=redis_db).flushdb()
        if connection.vendor == "postgresql":
            drop_scratch_postgresql()


def test_two_workers_and_the_rq_worker_import_export_and_serve(installation):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        _running(installation, "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}") as (server, log),
        _running(installation, "worker") as (worker, worker_log),
    ):
        _wait_until_served(base, server, log)
        browser = Browser(base)
        browser.get("/accounts/login/")
        status, landed, _ = browser.post(
            "/accounts/login/", {"username": "x_clerk", "password": DEMO_PASSWORD}
        )
        assert status == 200 and "/accounts/login/" not in landed

        # The import: upload, preview, commit (the unit and office are the only ones the form offers).
        _, _, form = browser.get("/imports/")
        page = form.decode()
        unit = re.search(
            r'<input[^>]*name="inspected_unit"[^>]*value="([^"]+)"', page
        )  # the clerk's one unit
        office = re.search(r'name="office".*?<option value="(\d+)"', page, re.S)
        assert unit and office, page[:2000]
        status, preview_url, preview = browser.post(
            "/imports/",
            {"inspected_unit": unit.group(1), "office": office.group(1)},
            {"file": ("整改情况报告.txt", SAMPLE.read_bytes())},
        )
        draft = re.search(r"/imports/(\d+)/$", preview_url)
        assert draft, preview_url
        assert "预览" in preview.decode() or "导入" in preview.decode()
        status, round_url, round_page = browser.post(f"/imports/{draft.group(1)}/commit/", {})
        assert status == 200 and "/imports/" not in round_url
        assert "整改" in round_page.decode()

        # The export: queued by the page, written by the RQ worker, downloaded.
        status, status_url, _ = browser.post("/exports/", {})
        job = re.search(r"/exports/(\d+)/$", status_url)
        assert job, status_url
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            _, _, job_page = browser.get(f"/exports/{job.group(1)}/")
            if "download" in job_page.decode():
                break
            time.sleep(0.5)
        assert worker.poll() is None, worker_log.read_text()
        status, _, workbook = browser.get(f"/exports/{job.group(1)}/download/")
        assert status == 200
        sheets = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).sheetnames
        assert sheets

        # Two workers under one master, and the page served by them.
        _, _, home = browser.get("/")
        assert "整改" in home.decode()
        assert len(_children(server.pid)) == 2
        assert server.poll() is None


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
