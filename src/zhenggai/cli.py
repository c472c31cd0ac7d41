"""The ``zhenggai`` command line.

Subcommands are listed in :data:`COMMANDS` as ``name -> (module, help)``. A subcommand module
defines ``add_arguments(parser)`` and ``run(args) -> int``; only the module of the subcommand
being run is imported, so ``zhenggai parse`` never loads Django while commands that need it can.
To add one, add a line to :data:`COMMANDS`.

:data:`DJANGO_COMMANDS` are Django's management commands under the names a deployer types
(`zhenggai migrate`, `zhenggai check --deploy`, …): their arguments go to Django unchanged.
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
    "render": (
        "zhenggai.reports.cli_render",
        "写出整改情况报告、进展报告或整改台账（.docx/.pdf/.txt/.xlsx）",
    ),
    "serve": ("zhenggai.ops.cli_serve", "用 gunicorn 提供网页服务（生产环境；见 docs/deploy.md）"),
    "backup": ("zhenggai.ops.cli_backup", "把数据库、佐证材料和检查点文件备份到一个 .tar/.tar.gz 文件"),
    "restore": (
        "zhenggai.ops.cli_restore",
        "从备份文件恢复（先核对文件完整性，不覆盖已有台账，除非 --force），再校验变更记录（0 通过）",
    ),
}
# name -> (Django management command, or None for "the command named next", help)
DJANGO_COMMANDS: dict[str, tuple[str | None, str]] = {
    "migrate": ("migrate", "建立或升级数据库表（每次升级后运行）"),
    "createsuperuser": ("createsuperuser", "创建系统管理员账号"),
    "load-demo": ("load_demo", "载入演示数据和演示账号"),
    "collectstatic": ("collectstatic", "收集静态文件（升级后、启动服务前运行）"),
    "check": ("check", "检查配置；生产环境用 check --deploy"),
    "snapshot": ("snapshot_week", "立即记录本周的整改统计快照（督查趋势图用；每周只记一次）"),
    "scheduler": ("reminder_scheduler", "运行每日提醒和变更记录签名的定时程序（与服务一起常驻）"),
    "manage": (None, "运行任一 Django 管理命令：zhenggai manage COMMAND [参数]"),
}
# `worker` picks its Django command from the configured task backend (database or RQ on Redis).
WORKER_COMMAND = ("worker", "运行后台任务进程（导出、提醒等；按 TASKS_BACKEND 使用数据库或 Redis 队列）")
EXIT_DOCUMENT_ERROR = 2


def build_parser(chosen: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhenggai", description="Zhenggai 整改：巡视巡察审计整改台账工具")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            importlib.import_module(module).add_arguments(command)
    for name, (_, help_text) in [*DJANGO_COMMANDS.items(), (WORKER_COMMAND[0], (None, WORKER_COMMAND[1]))]:
        sub.add_parser(name, help=help_text, description=help_text, add_help=False)
    return parser


def _chosen(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = _chosen(argv)
    if chosen in DJANGO_COMMANDS or chosen == WORKER_COMMAND[0]:
        from zhenggai.ops.cli_django import run_management, run_task_worker

        rest = argv[argv.index(chosen) + 1 :]
        if chosen == WORKER_COMMAND[0]:
            return run_task_worker(rest)
        return run_management(DJANGO_COMMANDS[chosen][0], rest)
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
