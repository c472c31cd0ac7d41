"""`zhenggai backup ARCHIVE` (see zhenggai.cli.COMMANDS and docs/deploy.md)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from zhenggai.ops.cli_common import refused, setup_django, size_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", type=Path, help="备份文件 the archive to write: NAME.tar or NAME.tar.gz")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from zhenggai.ops.backup import backup
    from zhenggai.ops.errors import OpsError

    started = time.monotonic()
    try:
        manifest = backup(args.archive)
    except OpsError as exc:
        return refused(exc.message)
    except OSError as exc:  # a full disk, a folder we may not write: said, not a traceback
        return refused(f"读写文件失败 / file error: {exc}")
    head = manifest["history"]["head"] or {"seq": 0, "hash": "-"}
    evidence = manifest["evidence"]
    size = size_text(args.archive.stat().st_size)
    print(f"备份完成 / backup written: {args.archive}（{size}，{time.monotonic() - started:.1f} s）")
    print(f"  数据库 database: {manifest['database']['vendor']}")
    print(f"  变更记录链头 history head: #{head['seq']} {head['hash']}")
    print(f"  佐证材料文件 evidence files: {evidence['files']}")
    if not evidence["included"]:
        print(f"  ！{evidence['note']}")
    for name in evidence.get("missing", []):
        print(f"  ！数据库引用的佐证材料文件不存在，未能备份 / evidence file missing, not backed up: {name}")
    print(f"  注意 note: {manifest['history']['private_key']}")
    return 0
