"""`restore`: check an archive whole, then put back its evidence files, database and checkpoints,
and verify the history.

Nothing outside a temporary folder is touched until every member has matched the manifest, the
archive suits this installation (same database vendor, no migration this code does not know) and
the target database holds no ledger (or `force` was given).

The checkpoint file is the history's witness, so it is never thrown away: a server file that
continues the archive's (same lines, then more) is kept, and `verify` will then report the entries
lost since the back-up as `truncated` – which is true; any other server file is moved aside.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from zhenggai.history.conf import CHECKPOINT_FILE_NAME, HistoryConf, history_conf
from zhenggai.history.models import ChainHead
from zhenggai.history.report import VerifyReport
from zhenggai.history.signing import key_id, load_public_key
from zhenggai.history.verify import verify
from zhenggai.ledger.tally import tally_rebuild
from zhenggai.ops import databases
from zhenggai.ops.archive import DAMAGED, DATABASE_MEMBERS, extract_checked
from zhenggai.ops.backup import evidence_root
from zhenggai.ops.errors import OpsError


@dataclass
class Restored:
    manifest: dict[str, Any]
    report: VerifyReport
    head: dict[str, Any] | None = None
    evidence_files: int = 0
    notes: list[str] = field(default_factory=list)


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore `archive` into the configured database and folders. Raises OpsError on refusal."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-restore-") as work:
        staged = Path(work)
        manifest = extract_checked(archive, staged)
        archived = _archived(manifest)
        _check_it_suits(archived)
        in_use = databases.ledger_tables_in_use()
        if in_use and not force:
            raise OpsError(
                "目标数据库不是空的（已有台账或变更记录："
                + "、".join(in_use)
                + "），未做任何更改。确需覆盖请加 --force，覆盖前请先备份现有数据。\n"
                "The target database holds a ledger; nothing was changed. Use --force to overwrite it."
            )
        databases.require_tools(archived.vendor)
        root = evidence_root()
        if archived.evidence and root is None:
            raise OpsError(
                "佐证材料存储不是本地文件夹，无法恢复佐证材料，未做任何更改 / evidence storage is not a local folder"
            )
        restored = Restored(manifest=manifest, report=VerifyReport())
        # Evidence first: files no row refers to yet are harmless if the database step fails.
        restored.evidence_files = _put_evidence(staged, root) if root is not None else 0
        databases.restore(staged / archived.member, archived.vendor)
        _put_checkpoints(staged / "checkpoints", history_conf(), restored.notes)
    _migrate(restored.notes)
    tally_rebuild()  # derived counts: recounted from the restored measures, as of today
    head = ChainHead.objects.filter(pk=1).values("seq", "hash").first()
    restored.head = dict(head) if head else None
    restored.report = verify()
    return restored


@dataclass(frozen=True)
class _Archived:
    """What the manifest says the restore needs to know."""

    vendor: str
    member: str
    evidence: bool
    migrations: list[tuple[str, str]]


def _archived(manifest: dict[str, Any]) -> _Archived:
    try:
        archived = _Archived(
            vendor=str(manifest["database"]["vendor"]),
            member=str(manifest["database"]["member"]),
            evidence=bool(manifest["evidence"]["included"]),
            migrations=[
                (app, name) for app, _dot, name in (str(m).partition(".") for m in manifest["migrations"])
            ],
        )
    except (KeyError, TypeError) as exc:
        raise OpsError(f"{DAMAGED}：manifest.json 缺少 {exc} / manifest.json lacks {exc}") from exc
    listed = {member["name"] for member in manifest["members"]}
    if archived.member != DATABASE_MEMBERS.get(archived.vendor) or archived.member not in listed:
        raise OpsError(f"{DAMAGED}：没有数据库 / no database in it")
    return archived


def _check_it_suits(archived: _Archived) -> None:
    here = databases.vendor()
    if archived.vendor != here:
        raise OpsError(
            f"备份来自 {archived.vendor} 数据库，本系统配置的是 {here}，不能直接恢复，未做任何更改 / "
            f"the archive holds a {archived.vendor} database, this installation uses {here}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {app for app, _name in known}
    unknown = sorted(
        f"{app}.{name}" for app, name in archived.migrations if app in installed and (app, name) not in known
    )
    if unknown:
        raise OpsError(
            "备份来自更新版本的 Zhenggai（本版本不认识其数据库迁移："
            + "、".join(unknown[:5])
            + "），请先升级再恢复，未做任何更改 / the archive comes from a newer Zhenggai"
        )


def _put_evidence(staged: Path, root: Path) -> int:
    """Copy the archive's evidence files into place; a file already there with the same bytes stays."""
    count = 0
    source_root = staged / "evidence"
    for source in sorted(source_root.rglob("*")) if source_root.is_dir() else []:
        if not source.is_file():
            continue
        target = root / source.relative_to(staged)
        if not (target.is_file() and _sha256(target) == _sha256(source)):
            _place(source, target, mode=0o644)
        count += 1
    return count


def _put_checkpoints(staged: Path, conf: HistoryConf, notes: list[str]) -> None:
    if not staged.is_dir():
        return
    conf.checkpoint_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    archived = staged / CHECKPOINT_FILE_NAME
    if archived.is_file():
        put_checkpoint_file(archived.read_bytes(), conf.checkpoint_file, stamp, notes)
    for key in sorted(staged.glob("*.pub.pem")):
        put_public_key(key, conf.checkpoint_dir / key.name)


def put_checkpoint_file(archived: bytes, target: Path, stamp: str, notes: list[str]) -> None:
    if target.is_file():
        present = target.read_bytes()
        if present.startswith(archived):
            if present != archived:
                notes.append(
                    f"服务器上的检查点文件 {target} 比备份中的更新，予以保留；备份之后的记录若已丢失，校验会指出 / "
                    "the server's checkpoint file continues the archive's and was kept"
                )
            return
        if not archived.startswith(present):
            aside = target.with_name(f"{target.name}.before-restore-{stamp}")
            os.replace(target, aside)
            notes.append(
                f"服务器上原有的检查点文件与备份不一致，已另存为 {aside} / "
                f"the server's own checkpoint file differs from the archive's and was moved to {aside}"
            )
    _place(archived, target, mode=0o644)


def put_public_key(source: Path, target: Path) -> None:
    """A different key already under that name is kept under its key id, as the history app does
    when a key is replaced (signing.write_public_key), so no checkpoint loses the key it needs."""
    pem = source.read_bytes()
    if target.is_file():
        if target.read_bytes() == pem:
            return
        retired = target.name.removesuffix(".pub.pem") + f".{key_id(load_public_key(target))}.pub.pem"
        os.replace(target, target.with_name(retired))
    _place(pem, target, mode=0o644)


def _place(data: bytes | Path, target: Path, *, mode: int) -> None:
    """Write a whole file beside `target`, then move it into place: never a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    with os.fdopen(fd, "wb") as stream:
        if isinstance(data, Path):
            with data.open("rb") as source:
                shutil.copyfileobj(source, stream)
        else:
            stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(tmp, mode)
    os.replace(tmp, target)


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _migrate(notes: list[str]) -> None:
    """An archive from an older version gets this version's migrations, as an upgrade would."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
        notes.append(f"已运行 {len(plan)} 项数据库迁移 / applied {len(plan)} migrations")
