"""The archive format alone (no database): what `extract_checked` accepts and what it refuses."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from zhenggai.ops.archive import FORMAT, ArchiveWriter, extract_checked, safe_member_name
from zhenggai.ops.errors import OpsError


def _write(archive: Path, files: dict[str, bytes]) -> None:
    sources = archive.parent / "sources"
    writer = ArchiveWriter(archive)
    for name, data in files.items():
        source = sources / name
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(data)
        writer.add_file(name, source)
    writer.finish({"format": FORMAT})


def _raw_tar(archive: Path, members: dict[str, bytes], listed: dict[str, bytes]) -> None:
    """A tar written by hand: `members` in it, `listed` in its manifest."""
    manifest = {
        "format": FORMAT,
        "members": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in listed.items()
        ],
    }
    with tarfile.open(archive, "w") as tar:
        for name, data in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


FILES = {"database.sqlite3": b"SQLite format 3\x00" + bytes(100), "evidence/ab/abcd": b"evidence bytes"}


@pytest.mark.parametrize("suffix", [".tar", ".tar.gz"])
def test_what_was_written_unpacks_with_its_manifest(tmp_path, suffix):
    archive = tmp_path / f"backup{suffix}"
    _write(archive, FILES)
    staging = tmp_path / "staging"
    manifest = extract_checked(archive, staging)
    assert [member["name"] for member in manifest["members"]] == list(FILES)
    assert all((staging / name).read_bytes() == data for name, data in FILES.items())
    assert archive.stat().st_mode & 0o777 == 0o600
    assert not archive.with_name(archive.name + ".partial").exists()


def test_an_existing_archive_is_never_overwritten(tmp_path):
    archive = tmp_path / "backup.tar"
    archive.write_bytes(b"last night's backup")
    with pytest.raises(OpsError, match="备份文件已存在"):
        _write(archive, FILES)
    assert archive.read_bytes() == b"last night's backup"


def test_only_tar_names_are_accepted(tmp_path):
    with pytest.raises(OpsError, match=r"\.tar 或 \.tar\.gz"):
        ArchiveWriter(tmp_path / "backup.zip")


@pytest.mark.parametrize(
    ("members", "listed", "says"),
    [
        (
            {**FILES, "evidence/ab/extra": b"x"},
            FILES,
            "清单外的成员 member not in the manifest: evidence/ab/extra",
        ),
        ({"database.sqlite3": FILES["database.sqlite3"]}, FILES, "缺少成员 missing member: evidence/ab/abcd"),
        ({**FILES, "../etc/passwd": b"x"}, FILES, "unexpected member: ../etc/passwd"),
        ({**FILES, "settings.py": b"x"}, FILES, "unexpected member: settings.py"),
    ],
)
def test_a_member_missing_extra_or_outside_the_format_is_refused(tmp_path, members, listed, says):
    archive = tmp_path / "backup.tar"
    _raw_tar(archive, members, listed)
    with pytest.raises(OpsError, match="备份文件已损坏或被改动，未做任何更改") as refused:
        extract_checked(archive, tmp_path / "staging")
    assert says in refused.value.message
    assert not (tmp_path / "etc").exists()


def test_a_cut_off_archive_is_refused(tmp_path):
    archive = tmp_path / "backup.tar.gz"
    _write(archive, FILES)
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(OpsError, match="备份文件已损坏或被改动"):
        extract_checked(archive, tmp_path / "staging")


def test_an_archive_without_a_manifest_is_refused(tmp_path):
    archive = tmp_path / "backup.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("database.sqlite3")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(OpsError, match=r"缺少 manifest\.json"):
        extract_checked(archive, tmp_path / "staging")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("database.pgdump", True),
        ("evidence/ab/abcdef", True),
        ("checkpoints/checkpoints.jsonl", True),
        ("checkpoints/sub/x", False),
        ("evidence/../database.sqlite3", False),
        ("/evidence/ab/x", False),
        ("evidence//ab", False),
        ("keys/history-ed25519.pem", False),
    ],
)
def test_member_names_stay_inside_the_format(name, safe):
    assert safe_member_name(name) is safe
