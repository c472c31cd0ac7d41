"""``zhenggai parse FILE [--format json|xlsx|md] [-o OUTPUT]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhenggai.core.errors import DocumentError
from zhenggai.core.ledger import to_json
from zhenggai.core.parse import DEFAULT_MAX_BYTES, parse_path
from zhenggai.core.writers.markdown import ledger_markdown


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="要读取的文件")
    parser.add_argument(
        "--format", choices=("json", "xlsx", "md"), default="json", help="输出格式（默认 json）"
    )
    parser.add_argument("-o", "--output", help="输出文件（xlsx 必须指定；json/md 默认输出到屏幕）")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_BYTES / 1048576, help="文件大小上限（MB，默认 20）"
    )


def run(args: argparse.Namespace) -> int:
    ledger = parse_path(args.file, max_bytes=int(args.max_mb * 1048576))
    if args.format == "xlsx":
        if not args.output:
            raise DocumentError("输出 xlsx 时必须用 -o 指定输出文件")
        from zhenggai.core.writers.xlsx_ledger import write_ledger_xlsx

        write_ledger_xlsx(ledger, args.output)
        return 0
    text = to_json(ledger) + "\n" if args.format == "json" else ledger_markdown(ledger)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DocumentError(f"无法写入输出文件：{args.output}") from exc
    else:
        stream = sys.stdout
        if hasattr(stream, "buffer"):
            stream.buffer.write(text.encode("utf-8"))
            stream.flush()
        else:
            stream.write(text)
    return 0
