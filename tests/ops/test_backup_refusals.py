"""What `restore` refuses before it changes anything, what counts as an empty database, and how
the server's own checkpoint file and public keys are kept when an archive's are put in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ops_support import read_manifest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection

from zhenggai.cli import main
from zhenggai.history.models import HistoryEntry
from zhenggai.history.signing import key_id, public_key_pem
from zhenggai.ops.archive import DATABASE_MEMBERS, FORMAT, ArchiveWriter
from zhenggai.ops.databases import ledger_tables_in_use, pg_tool
from zhenggai.ops.errors import OpsError
from zhenggai.ops.restore import put_checkpoint_file, put_public_key


def _archive(tmp_path: Path, *, vendor: str, migrations: list[str]) -> Path:
    dumped = tmp_path / "dumped"
    dumped.write_bytes(b"a database")
    archive = tmp_path / "crafted.tar"
    writer = ArchiveWriter(archive)
    writer.add_file(DATABASE_MEMBERS[vendor], dumped)
    writer.finish(
        {
            "format": FORMAT,
            "created_at": "2026-03-01T02:03:04.000005Z",
            "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
            "history": {"head": None},
            "evidence": {"included": True},
            "migrations": migrations,
        }
    )
    return archive


def test_an_archive_of_the_other_database_vendor_is_refused(cast, tmp_path, capsys):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    entries = HistoryEntry.objects.count()
    assert main(["restore", "--force", str(_archive(tmp_path, vendor=other, migrations=[]))]) == 2
    assert f"备份来自 {other} 数据库" in capsys.readouterr().err
    assert HistoryEntry.objects.count() == entries


def test_an_archive_from_a_newer_version_is_refused(cast, tmp_path, capsys):
    archive = _archive(tmp_path, vendor=connection.vendor, migrations=["ledger.9999_from_the_future"])
    assert main(["restore", "--force", str(archive)]) == 2
    assert "ledger.9999_from_the_future" in capsys.readouterr().err


def test_a_migrated_database_without_a_ledger_counts_as_empty(db):
    assert ledger_tables_in_use() == []


def test_a_database_with_a_ledger_does_not(cast):
    assert set(ledger_tables_in_use()) == {
        "history_historyentry",
        "ledger_inspectionround",
        "orgs_organisation",
    }


def test_without_the_postgresql_tools_it_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OpsError, match=r"未找到 pg_dump.*postgresql-client"):
        pg_tool("pg_dump")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump is for PostgreSQL")
def test_a_backup_without_pg_dump_writes_nothing(db, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert main(["backup", str(tmp_path / "backup.tar")]) == 2
    assert "未找到 pg_dump" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


LINES = b'{"seq":1}\n{"seq":2}\n'


@pytest.mark.parametrize(
    ("present", "kept", "aside"),
    [
        (None, LINES, False),  # nothing there: the archive's file
        (b'{"seq":1}\n', LINES, False),  # the server's is older: the archive's continues it
        (LINES + b'{"seq":3}\n', LINES + b'{"seq":3}\n', False),  # newer: kept, verify tells the loss
        (b'{"seq":9}\n', LINES, True),  # another chain's: moved aside, never deleted
    ],
)
def test_the_servers_checkpoint_file_is_never_lost(tmp_path, present, kept, aside):
    target = tmp_path / "checkpoints.jsonl"
    if present is not None:
        target.write_bytes(present)
    notes: list[str] = []
    put_checkpoint_file(LINES, target, "20260301T020304Z", notes)
    assert target.read_bytes() == kept
    moved = tmp_path / "checkpoints.jsonl.before-restore-20260301T020304Z"
    assert moved.exists() is aside
    if aside:
        assert moved.read_bytes() == present
    assert bool(notes) is (present not in (None, b'{"seq":1}\n'))


def test_a_different_public_key_in_place_is_kept_under_its_key_id(tmp_path):
    theirs, ours = Ed25519PrivateKey.generate().public_key(), Ed25519PrivateKey.generate().public_key()
    target = tmp_path / "checkpoints" / "history-ed25519.pub.pem"
    target.parent.mkdir()
    target.write_bytes(public_key_pem(theirs))
    archived = tmp_path / "history-ed25519.pub.pem"
    archived.write_bytes(public_key_pem(ours))
    put_public_key(archived, target)
    assert target.read_bytes() == public_key_pem(ours)
    retired = target.parent / f"history-ed25519.{key_id(theirs)}.pub.pem"
    assert retired.read_bytes() == public_key_pem(theirs)


def test_a_manifest_without_its_database_part_is_refused(db, tmp_path, capsys):
    dumped = tmp_path / "dumped"
    dumped.write_bytes(b"a database")
    archive = tmp_path / "crafted.tar"
    writer = ArchiveWriter(archive)
    writer.add_file(DATABASE_MEMBERS[connection.vendor], dumped)
    writer.finish({"format": FORMAT, "migrations": []})
    assert main(["restore", str(archive)]) == 2
    assert "manifest.json 缺少 'database'" in capsys.readouterr().err


def test_evidence_in_another_storage_is_said_to_be_left_out(db, settings, tmp_path, capsys):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    archive = tmp_path / "backup.tar"
    assert main(["backup", str(archive)]) == 0
    assert "佐证材料不在本地文件夹" in capsys.readouterr().out
    evidence = read_manifest(archive)["evidence"]
    assert evidence["included"] is False
    assert evidence["storage"] == "django.core.files.storage.memory.InMemoryStorage"
