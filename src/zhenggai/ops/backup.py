"""`backup`: the database, the evidence files and the exported checkpoints in one archive.

Order matters, so that the three agree without stopping the server:

1. the checkpoint file is copied first: every line in the copy names an entry committed before
   the database snapshot, so the restored chain is never shorter than its checkpoints;
2. the database is dumped as one snapshot, which also lists the evidence files it refers to;
3. those evidence files are added: stored under their content hash and written before their row
   commits, they are complete and never change.

The history's private signing key is not taken: a backup is read by more people than the key
may be, and whoever holds both could re-sign a rewritten chain.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

import zhenggai
from zhenggai.history.canonical import utc_iso
from zhenggai.history.conf import HistoryConf, history_conf
from zhenggai.ops import databases
from zhenggai.ops.archive import FORMAT, ArchiveWriter, safe_member_name
from zhenggai.ops.errors import OpsError

PRIVATE_KEY_NOTE = (
    "不含变更记录签名私钥（ZHENGGAI_HISTORY_KEY_FILE），须另行保管，不与数据库及其备份放在一起 / "
    "the history signing private key is not included: keep it elsewhere, apart from the database "
    "and its backups"
)
NOT_INCLUDED = [
    PRIVATE_KEY_NOTE,
    "不含 SECRET_KEY，须与私钥一同另行保管 / SECRET_KEY is not included: keep it with the private key",
    "不含后台生成的导出文件（MEDIA_ROOT/exports），可重新生成 / generated exports are not included",
]


def evidence_root() -> Path | None:
    """Where evidence files are, or None when the storage is not a local folder."""
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def checkpoint_files(conf: HistoryConf) -> list[Path]:
    """The export file and the public keys (current and retired); never the private key."""
    keys = sorted(conf.checkpoint_dir.glob(conf.public_key_file.name.removesuffix(".pub.pem") + ".*.pub.pem"))
    return [path for path in [conf.checkpoint_file, conf.public_key_file, *keys] if path.is_file()]


def _copy_locked(source: Path, target: Path) -> Path:
    """Copy under a shared lock of the source: `signing.append_checkpoint` appends a line under an
    exclusive one, so the copy never ends in half a line."""
    with source.open("rb") as stream, target.open("wb") as out:
        fcntl.flock(stream.fileno(), fcntl.LOCK_SH)  # released when the file is closed
        shutil.copyfileobj(stream, out)
    return target


def backup(archive: Path) -> dict[str, Any]:
    """Write `archive` (.tar or .tar.gz); return its manifest. Raises OpsError."""
    archive = archive.resolve()
    if not archive.parent.is_dir():
        raise OpsError(f"备份文件所在的文件夹不存在 / no such folder: {archive.parent}")
    conf = history_conf()
    root = evidence_root()
    created_at = utc_iso(timezone.now())
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".zhenggai-backup-") as work:
        folder = Path(work)
        (folder / "checkpoints").mkdir()
        copied = [_copy_locked(path, folder / "checkpoints" / path.name) for path in checkpoint_files(conf)]
        snapshot = databases.dump(folder)
        writer = ArchiveWriter(archive)
        try:
            writer.add_file(snapshot.member, snapshot.path)
            for path in copied:
                writer.add_file(f"checkpoints/{path.name}", path)
            evidence = _add_evidence(writer, root, snapshot.evidence)
            manifest = {
                "format": FORMAT,
                "created_at": created_at,
                "zhenggai_version": zhenggai.__version__,
                "database": {"vendor": snapshot.vendor, "member": snapshot.member},
                "history": {
                    "head": snapshot.head,
                    "checkpoint_file": conf.checkpoint_file.is_file(),
                    "private_key": PRIVATE_KEY_NOTE,
                },
                "evidence": evidence,
                "migrations": snapshot.migrations,
                "not_included": NOT_INCLUDED,
            }
            writer.finish(manifest)
        except BaseException:
            writer.abort()
            raise
    return {**manifest, "members": writer.members}


def _add_evidence(writer: ArchiveWriter, root: Path | None, names: list[str]) -> dict[str, Any]:
    storage = storages["default"]
    kind = f"{type(storage).__module__}.{type(storage).__qualname__}"
    if root is None:
        return {
            "included": False,
            "storage": kind,
            "note": "佐证材料不在本地文件夹（非 FileSystemStorage），未包含在备份中，须用该存储自己的方式备份 / "
            "evidence is not in a local folder; back it up with its storage's own means",
            "files": len(names),
        }
    added, missing, skipped = 0, [], []
    for name in names:
        path = root / name
        if not safe_member_name(name) or not name.startswith("evidence/"):
            skipped.append(name)
        elif path.is_file() and not path.is_symlink():
            writer.add_file(name, path)
            added += 1
        else:
            missing.append(name)
    return {"included": True, "storage": kind, "files": added, "missing": missing, "skipped": skipped}
