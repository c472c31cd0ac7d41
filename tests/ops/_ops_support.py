"""A second, empty database and folders for a restore, on the vendor the suite runs on.

On PostgreSQL it is a scratch database beside the test database (`<test database>_restore`),
made and dropped through the `postgres` maintenance database; on SQLite a new file. Commands
are run in a subprocess, so that the restore and its verification see only that installation.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from zhenggai.ledger.models import EvidenceFile, Measure
from zhenggai.ledger.services import evidence_attach

# Settings that would point the subprocess at the test's own database or folders, and the browser
# tests' switch of Django's async check (tests/browser/conftest.py), set for the whole session.
INHERITED = (
    "DATABASE_URL",
    "MEDIA_ROOT",
    "ZHENGGAI_HISTORY_KEY_FILE",
    "ZHENGGAI_HISTORY_CHECKPOINT_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

EVIDENCE = b"%PDF-1.4\n% minutes of the meeting, signed on the spot\n" + bytes(range(256))


def attach_evidence(measure: Measure, actor) -> EvidenceFile:
    return evidence_attach(
        measure=measure, actor=actor, name="会议记录.pdf", size=len(EVIDENCE), stream=io.BytesIO(EVIDENCE)
    )


@dataclass
class Installation:
    """Another installation: its database URL and its data folder (media, checkpoints, key)."""

    database_url: str
    folder: Path
    extra: dict[str, str] = field(default_factory=dict)  # more settings, e.g. the task backend

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in INHERITED}
        return {
            **env,
            "DATABASE_URL": self.database_url,
            "ZHENGGAI_DATA_DIR": str(self.folder),
            "DJANGO_SETTINGS_MODULE": "zhenggai.config.settings",
            **self.extra,
        }

    def zhenggai(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zhenggai.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def _maintenance(sql: str) -> None:
    import psycopg

    given = connection.settings_dict
    params = {
        "dbname": "postgres",
        "user": given.get("USER") or None,
        "password": given.get("PASSWORD") or None,
        "host": given.get("HOST") or None,
        "port": given.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as maintenance:  # type: ignore[arg-type]
        maintenance.execute(sql)  # type: ignore[arg-type]


def scratch_postgresql(folder: Path) -> Installation:
    given = connection.settings_dict
    name = f"{given['NAME']}_restore"
    _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _maintenance(f'CREATE DATABASE "{name}"')
    password = f":{quote(given['PASSWORD'], safe='')}" if given.get("PASSWORD") else ""
    where = f"{given.get('HOST') or '127.0.0.1'}:{given.get('PORT') or 5432}"
    return Installation(f"postgres://{quote(given['USER'] or 'postgres')}{password}@{where}/{name}", folder)


def drop_scratch_postgresql() -> None:
    _maintenance(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}_restore" WITH (FORCE)')


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        stream = tar.extractfile("manifest.json")
        assert stream is not None
        return json.load(stream)
