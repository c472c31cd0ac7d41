"""The ``zhenggai`` command line.

Subcommands are listed in :data:`COMMANDS` as ``name -> (module, help)``. A subcommand module
defines ``add_arguments(parser)`` and ``run(args) -> int``; only the module of the subcommand
being run is imported, so ``zhenggai parse`` never loads Django while commands that need it can.
To add one, add a line to :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from zhenggai.core.errors import DocumentError

COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("zhenggai.core.cli_parse", "读取报告或台账（.txt/.docx/.pdf/.xlsx），输出 zhenggai.ledger/1"),
    "verify": (
        "zhenggai.history.cli_verify",
        "校验变更记录链、签名检查点和佐证材料文件（0 通过，1 发现篡改）",
    ),
    "render": ("zhenggai.reports.cli_render", "写出整改情况报告、进展报告或整改台账（.docx/.pdf/.xlsx）"),
    "backup": ("zhenggai.ops.cli_backup", "把数据库、佐证材料和检查点文件备份到一个 .tar/.tar.gz 文件"),
    "restore": (
        "zhenggai.ops.cli_restore",
        "从备份文件恢复（先核对文件完整性，不覆盖已有台账，除非 --force），再校验变更记录（0 通过）",
    ),
}
EXIT_DOCUMENT_ERROR = 2


def build_parser(chosen: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhenggai", description="Zhenggai 整改：巡视巡察审计整改台账工具")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            importlib.import_module(module).add_arguments(command)
    return parser


def _chosen(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = _chosen(argv)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args = parser.parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except DocumentError as exc:
        print(f"zhenggai: {exc.message}", file=sys.stderr)
        return EXIT_DOCUMENT_ERROR


if __name__ == "__main__":
    sys.exit(main())
