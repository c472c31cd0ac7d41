"""The sample service files in deploy/ work as docs/deploy.md says, as far as this machine allows.

- each systemd unit passes `systemd-analyze verify` (its ExecStart pointed at this virtualenv's
  `zhenggai`), and runs a `zhenggai` subcommand that exists;
- the environment file is the production configuration: `zhenggai check --deploy` is clean with it;
- the nginx site, where nginx is installed, passes `nginx -t`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhenggai.cli import COMMANDS, DJANGO_COMMANDS, WORKER_COMMAND

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALLED_ZHENGGAI = "/opt/zhenggai/venv/bin/zhenggai"
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def _environment_file() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "zhenggai.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_there_is_a_unit_for_the_server_the_worker_and_the_scheduler():
    assert [unit.name for unit in UNITS] == [
        "zhenggai-scheduler.service",
        "zhenggai-web.service",
        "zhenggai-worker.service",
    ]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_runs_a_zhenggai_command_that_exists(unit):
    exec_start = re.search(r"^ExecStart=(\S+) (\S+)", unit.read_text(), re.M)
    assert exec_start and exec_start.group(1) == INSTALLED_ZHENGGAI
    assert exec_start.group(2) in {*COMMANDS, *DJANGO_COMMANDS, WORKER_COMMAND[0]}


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_passes_systemd_analyze_verify(unit, tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    here = Path(sys.executable).parent / "zhenggai"
    assert here.exists(), "the zhenggai command is installed with the package (pyproject [project.scripts])"
    environment = tmp_path / "zhenggai.env"
    environment.write_text((DEPLOY / "zhenggai.env").read_text())
    text = (
        unit.read_text()
        .replace(INSTALLED_ZHENGGAI, str(here))
        .replace("/etc/zhenggai/zhenggai.env", str(environment))
    )
    text = re.sub(r"^(User|Group)=.*$", "", text, flags=re.M)  # no zhenggai account on a test machine
    copy = tmp_path / unit.name
    copy.write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60, check=False
    )
    # Lines about the machine's own units are not ours to judge; our unit must draw no complaint.
    ours = [
        line for line in (done.stdout + done.stderr).splitlines() if unit.name in line or str(copy) in line
    ]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr


def test_the_environment_file_passes_check_deploy(tmp_path):
    values = _environment_file()
    assert values["DEBUG"] == "false"
    values["ZHENGGAI_DATA_DIR"] = str(tmp_path / "data")
    values["ZHENGGAI_HISTORY_KEY_FILE"] = str(tmp_path / "keys" / "history-ed25519.pem")
    env = {
        # not the test process's own DJANGO_ALLOW_ASYNC_UNSAFE (tests/browser/conftest.py sets it for
        # the session), which `check --deploy` rightly refuses
        **{key: value for key, value in os.environ.items() if key not in values and key not in TEST_ONLY},
        **values,
        "DJANGO_SETTINGS_MODULE": "zhenggai.config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (make deploy-deps installs it)")
    # A throwaway certificate and a main configuration that includes only our site.
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=zhenggai.test",
            "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem"),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "zhenggai.conf").read_text().replace("/etc/ssl/zhenggai", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
