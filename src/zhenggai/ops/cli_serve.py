"""`zhenggai serve` (see zhenggai.ops.serving and docs/deploy.md)."""

from __future__ import annotations

import argparse
import os

from zhenggai.ops.cli_common import EXIT_REFUSED, refused, setup_django
from zhenggai.ops.serving import (
    DEFAULT_BIND,
    ServeOptions,
    cpu_count,
    default_workers,
    not_ready_reasons,
    serve,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind",
        default=os.environ.get("ZHENGGAI_BIND", DEFAULT_BIND),
        help=f"监听地址 address:port, or unix:/path (default: $ZHENGGAI_BIND or {DEFAULT_BIND})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "0") or 0),
        help=f"工作进程数 worker processes (default: $WEB_CONCURRENCY, else 2 × cores + 1 = "
        f"{default_workers(cpu_count())} here)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=ServeOptions.threads,
        help=f"每个进程的线程数 threads per worker (default {ServeOptions.threads})",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=ServeOptions.timeout,
        help=f"请求超时秒数 seconds before a silent worker is restarted (default {ServeOptions.timeout})",
    )
    parser.add_argument(
        "--access-log", default=None, help="访问日志文件，'-' 为标准输出 access log file, '-' for stdout"
    )


def run(args: argparse.Namespace) -> int:
    if args.workers < 0 or args.threads < 1:
        return refused("工作进程数和线程数必须为正数 / workers and threads must be positive")
    setup_django()
    reasons = not_ready_reasons()
    if reasons:
        for reason in reasons:
            refused(reason)
        return EXIT_REFUSED
    serve(
        ServeOptions(
            bind=args.bind,
            workers=args.workers,
            threads=args.threads,
            timeout=args.timeout,
            access_log=args.access_log,
        )
    )
    return 0
