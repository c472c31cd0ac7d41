"""`zhenggai restore ARCHIVE [--force]` (see zhenggai.cli.COMMANDS and docs/deploy.md).

Exit code 0: restored and the history verifies clean; 1: restored, but verification found
something; 2: refused or failed (for a refusal, nothing was changed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zhenggai.ops.cli_common import refused, setup_django

EXIT_NOT_CLEAN = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", type=Path, help="备份文件 the archive written by `zhenggai backup`")
    parser.add_argument(
        "--force",
        action="store_true",
        help="覆盖已有台账的数据库 restore over a database that already holds a ledger",
    )


def run(args: argparse.Namespace) -> int:
    setup_django()
    from zhenggai.ops.backup import PRIVATE_KEY_NOTE
    from zhenggai.ops.errors import OpsError
    from zhenggai.ops.restore import restore

    try:
        restored = restore(args.archive, force=args.force)
    except OpsError as exc:
        return refused(exc.message)
    except OSError as exc:  # a full disk, a folder we may not write: said, not a traceback
        return refused(f"读写文件失败 / file error: {exc}")
    manifest = restored.manifest
    head = restored.head or {"seq": 0, "hash": "-"}
    print(f"已恢复 / restored: {args.archive}（备份时间 made at {manifest.get('created_at', '?')}）")
    print(f"  变更记录链头 history head: #{head['seq']} {head['hash']}")
    print(f"  佐证材料文件 evidence files: {restored.evidence_files}")
    for note in restored.notes:
        print(f"  注意 note: {note}")
    print(f"  注意 note: {PRIVATE_KEY_NOTE}")
    print(restored.report.text())
    return 0 if restored.report.ok else EXIT_NOT_CLEAN
