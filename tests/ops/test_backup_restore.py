"""The restore drill: the demo ledger with an evidence file is backed up while it is in use,
restored into a fresh empty database of the same vendor, and verifies clean there; a damaged
archive is refused before anything is changed."""

from __future__ import annotations

import tarfile
import threading
import time
from pathlib import Path

import pytest
from _ops_support import EVIDENCE, read_manifest
from django.conf import settings
from django.db import connection, transaction

from zhenggai.cli import main
from zhenggai.history.conf import history_conf
from zhenggai.history.models import ChainHead, HistoryEntry
from zhenggai.history.services import record
from zhenggai.ledger.models import EvidenceFile
from zhenggai.ops.archive import DATABASE_MEMBERS


def _flip_a_byte(archive: Path, member: str) -> None:
    """Change one byte of a member's content inside an uncompressed tar, in place."""
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    with archive.open("r+b") as stream:
        stream.seek(info.offset_data + info.size // 2)
        byte = stream.read(1)
        stream.seek(-1, 1)
        stream.write(bytes([byte[0] ^ 0x01]))


def test_the_backup_restores_into_an_empty_database_and_verifies_clean(demo_ledger, elsewhere, tmp_path):
    archive = tmp_path / "zhenggai-backup.tar.gz"
    started = time.monotonic()
    assert main(["backup", str(archive)]) == 0
    backed_up = time.monotonic()

    head = ChainHead.objects.get(pk=1)
    manifest = read_manifest(archive)
    assert manifest["format"] == "zhenggai.backup/1"
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["history"]["head"] == {"seq": head.seq, "hash": head.hash}
    assert "私钥" in manifest["history"]["private_key"]
    names = {member["name"] for member in manifest["members"]}
    evidence = set(EvidenceFile.objects.values_list("file", flat=True))  # the demo's and the test's
    assert demo_ledger.file.name in evidence
    assert names == {
        DATABASE_MEMBERS[connection.vendor],
        "checkpoints/checkpoints.jsonl",
        "checkpoints/history-ed25519.pub.pem",
        *evidence,
    }
    with tarfile.open(archive) as tar:
        assert not any(b"PRIVATE KEY" in (tar.extractfile(name) or b"").read() for name in names)

    restored = elsewhere.zhenggai("restore", str(archive))
    finished = time.monotonic()
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"history head: #{head.seq} {head.hash}" in restored.stdout
    assert f"entries verified: {head.seq}（至 up to #{head.seq}）" in restored.stdout
    assert f"evidence files: {len(evidence)}" in restored.stdout and "未发现篡改" in restored.stdout
    assert (elsewhere.folder / "media" / demo_ledger.file.name).read_bytes() == EVIDENCE
    exported = history_conf().checkpoint_file.read_bytes()
    assert (elsewhere.folder / "checkpoints" / "checkpoints.jsonl").read_bytes() == exported
    print(  # the drill's timings, shown with -s or -rP
        f"drill on {connection.vendor}: backup {backed_up - started:.1f} s, "
        f"restore and verify {finished - backed_up:.1f} s, {head.seq} entries"
    )

    # Now the other installation holds a ledger: not overwritten without --force.
    again = elsewhere.zhenggai("restore", str(archive))
    assert again.returncode == 2
    assert "目标数据库不是空的" in again.stderr and "未做任何更改" in again.stderr
    forced = elsewhere.zhenggai("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "未发现篡改" in forced.stdout


@pytest.mark.parametrize("member", ["database", "evidence", "checkpoints/checkpoints.jsonl"])
def test_a_changed_byte_in_any_member_is_refused_and_nothing_changes(small_ledger, member, tmp_path, capsys):
    archive = tmp_path / "zhenggai-backup.tar"
    assert main(["backup", str(archive)]) == 0
    name = {"database": DATABASE_MEMBERS[connection.vendor], "evidence": small_ledger.file.name}.get(
        member, member
    )
    _flip_a_byte(archive, name)
    entries = HistoryEntry.objects.count()
    stored = Path(settings.MEDIA_ROOT) / small_ledger.file.name
    checkpoints = history_conf().checkpoint_file.read_bytes()
    capsys.readouterr()

    # Even with --force, over the very database it came from: the check comes first.
    assert main(["restore", "--force", str(archive)]) == 2
    error = capsys.readouterr().err
    assert "备份文件已损坏或被改动，未做任何更改" in error and name in error
    assert HistoryEntry.objects.count() == entries
    assert stored.read_bytes() == EVIDENCE
    assert history_conf().checkpoint_file.read_bytes() == checkpoints


def test_a_backup_taken_while_the_history_grows_restores_clean(small_ledger, elsewhere, settings, tmp_path):
    """The server keeps writing (and signing a checkpoint every third entry) during the back-up:
    the archive's checkpoints must still all name entries of its database snapshot."""
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 3}
    stop, errors, appended = threading.Event(), [], [0]

    def append() -> None:
        try:
            while not stop.is_set():
                with transaction.atomic():
                    record(
                        actor=None, action="round.note", object_type="ledger.round", object_id=1, payload={}
                    )
                appended[0] += 1
        except Exception as exc:  # any failure of the writer fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    writer = threading.Thread(target=append)
    writer.start()
    try:
        while appended[0] < 10 and writer.is_alive():
            time.sleep(0.01)
        during = appended[0]
        assert main(["backup", str(tmp_path / "busy.tar")]) == 0
        after = appended[0]
    finally:
        stop.set()
        writer.join()
    assert errors == []
    assert after > during, "the writer must have appended while the back-up ran"
    snapshot = read_manifest(tmp_path / "busy.tar")["history"]["head"]["seq"]
    assert snapshot < ChainHead.objects.get(pk=1).seq

    restored = elsewhere.zhenggai("restore", str(tmp_path / "busy.tar"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"entries verified: {snapshot}（" in restored.stdout
