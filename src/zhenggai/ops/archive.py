"""The back-up archive: a tar (or .tar.gz) of files and a `manifest.json` listing each one's
SHA-256 and size. Plain Python, no Django.

Members, in this order:

    database.sqlite3 | database.pgdump        the database (SQLite file / pg_dump custom format)
    checkpoints/checkpoints.jsonl             the exported signed checkpoints
    checkpoints/history-ed25519*.pub.pem      the public key(s); never the private key
    evidence/<2 hex>/<sha256>                 the evidence files the database refers to
    manifest.json                             last, since it lists the hashes of those before it

The manifest catches damage (a bad disk, a cut-off copy, a changed byte), not forgery: whoever
rewrites a member can rewrite its line too. Forgery of the history is what `zhenggai verify`
against the inspection office's copy of the checkpoints catches.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from zhenggai.ops.errors import OpsError

FORMAT = "zhenggai.backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
DAMAGED = "备份文件已损坏或被改动，未做任何更改 / the archive is damaged or was altered; nothing was changed"


def _compression(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    if name.endswith(".tar"):
        return ""
    raise OpsError(
        f"备份文件名须以 .tar 或 .tar.gz 结尾 / the archive must be named *.tar or *.tar.gz: {path}"
    )


def safe_member_name(name: str) -> bool:
    """A relative path this format may hold: no `..`, no absolute path, nothing outside its parts."""
    path = PurePosixPath(name)
    if not name or str(path) != name or path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    if name in DATABASE_MEMBERS.values():
        return True
    if path.parts[0] == "checkpoints":
        return len(path.parts) == 2
    return path.parts[0] == "evidence" and len(path.parts) >= 2


class _Hashing:
    """A reader that hashes what tarfile copies out of it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Writes `path.partial` (mode 0600: the archive holds personal data and password hashes), and
    moves it to `path` only when the manifest is written; an existing archive is never overwritten."""

    def __init__(self, path: Path) -> None:
        self.path = path
        gzipped = _compression(path) == "gz"
        if path.exists():
            raise OpsError(f"备份文件已存在，不覆盖 / the archive exists already, not overwritten: {path}")
        self.partial = path.with_name(path.name + ".partial")
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.file = os.fdopen(fd, "wb")
        # A stream (w|): written front to back, never sought, like the reader (r|*) reads it.
        if gzipped:
            self.tar = tarfile.open(fileobj=self.file, mode="w|gz")
        else:
            self.tar = tarfile.open(fileobj=self.file, mode="w|")
        self.members: list[dict[str, Any]] = []

    def add_file(self, name: str, source: Path) -> None:
        with source.open("rb") as stream:
            info = self._info(name, os.fstat(stream.fileno()).st_size)
            info.mtime = int(os.fstat(stream.fileno()).st_mtime)
            reader = _Hashing(stream)
            self.tar.addfile(info, reader)  # type: ignore[arg-type]  # tarfile only calls read()
        self.members.append({"name": name, "sha256": reader.digest.hexdigest(), "size": reader.size})

    def finish(self, manifest: dict[str, Any]) -> None:
        data = json.dumps({**manifest, "members": self.members}, ensure_ascii=False, indent=1).encode()
        info = self._info(MANIFEST, len(data))
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        try:
            os.link(self.partial, self.path)  # fails, rather than overwrite, if one appeared meanwhile
        except FileExistsError as exc:
            raise OpsError(f"备份文件已存在，不覆盖 / the archive exists already: {self.path}") from exc
        finally:
            self.partial.unlink()

    def abort(self) -> None:
        for closing in (self.tar.close, self.file.close):
            try:
                closing()
            except (OSError, tarfile.TarError):
                pass  # the partial file is removed below, whatever state it was left in
        self.partial.unlink(missing_ok=True)

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        if not safe_member_name(name) and name != MANIFEST:
            raise ValueError(f"not a member name of this format: {name}")
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        return info


def extract_checked(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack `archive` into `staging`, hashing every member; return the manifest.

    Raises OpsError, before anything outside `staging` was touched, when a member's hash or size is
    not the manifest's, a member is missing or extra, or the file is not a whole tar archive.
    """
    _compression(archive)
    if not archive.is_file():
        raise OpsError(f"找不到备份文件 / no such archive: {archive}")
    found: dict[str, tuple[str, int]] = {}
    problems: list[str] = []
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for info in tar:
                if info.name == MANIFEST and info.isfile() and manifest_bytes is None:
                    manifest_bytes = _read_manifest_member(tar, info)
                elif not info.isfile() or not safe_member_name(info.name):
                    problems.append(f"清单外的成员 unexpected member: {info.name}")
                elif info.name in found:
                    problems.append(f"重复的成员 duplicate member: {info.name}")
                else:
                    found[info.name] = _extract(tar, info, staging / info.name)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise OpsError(f"{DAMAGED}：不是完整的 tar 文件 / not a whole tar file ({exc})") from exc
    manifest = _parse_manifest(manifest_bytes)
    problems += list(_compare(manifest["members"], found))
    if problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  …共 {len(problems)} 处 / {len(problems)} in all" if len(problems) > 10 else ""
        raise OpsError(f"{DAMAGED}：\n  {shown}{more}")
    return manifest


def _read_manifest_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    if info.size > MANIFEST_MAX_BYTES:
        raise OpsError(f"{DAMAGED}：manifest.json 过大 / manifest.json too large")
    stream = tar.extractfile(info)
    if stream is None:
        raise OpsError(f"{DAMAGED}：manifest.json 无法读取 / unreadable manifest.json")
    return stream.read()


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path) -> tuple[str, int]:
    stream = tar.extractfile(info)
    if stream is None:
        raise tarfile.TarError(f"unreadable member {info.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _parse_manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise OpsError(f"{DAMAGED}：缺少 manifest.json / no manifest.json")
    try:
        manifest = json.loads(data)
        members = manifest["members"]
        ok = manifest.get("format") == FORMAT and isinstance(members, list)
        ok = ok and all(
            isinstance(m, dict)
            and isinstance(m.get("name"), str)
            and isinstance(m.get("sha256"), str)
            and type(m.get("size")) is int
            for m in members
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise OpsError(f"{DAMAGED}：manifest.json 无法解析 / unreadable manifest.json ({exc})") from exc
    if not ok:
        raise OpsError(
            f"{DAMAGED}：manifest.json 不是 {FORMAT} 格式 / manifest.json is not in the {FORMAT} format"
        )
    return manifest


def _compare(listed: list[dict[str, Any]], found: dict[str, tuple[str, int]]) -> Iterator[str]:
    names = set()
    for member in listed:
        name = member["name"]
        names.add(name)
        if name not in found:
            yield f"缺少成员 missing member: {name}"
        elif found[name] != (member["sha256"], member["size"]):
            yield f"内容与清单中的 SHA-256 不符 content differs from its SHA-256 in the manifest: {name}"
    for name in sorted(set(found) - names):
        yield f"清单外的成员 member not in the manifest: {name}"
