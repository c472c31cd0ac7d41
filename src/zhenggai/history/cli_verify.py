"""`zhenggai verify`: the command line entry of `verify_history` (see zhenggai.cli.COMMANDS)."""

from __future__ import annotations

import argparse
import os
import sys

EXIT_TAMPERED = 1
EXIT_UNREADABLE = 2  # `--against` a file without a readable anchor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Also the options of the `verify_history` management command. No Django import here:
    the command line builds its parser before Django is set up."""
    parser.add_argument(
        "--checkpoint-file",
        help="检查点文件 the exported checkpoints to check against (e.g. the inspection office's copy)",
    )
    parser.add_argument(
        "--public-key", help="公钥 the Ed25519 public key (default: next to the checkpoint file)"
    )
    parser.add_argument(
        "--media-root", help="佐证材料目录 where evidence files are stored (default: MEDIA_ROOT)"
    )
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="先签署检查点 sign the head (and export missing checkpoint lines) before verifying",
    )
    parser.add_argument(
        "--against",
        metavar="FILE",
        help="发布的报告或台账（.docx/.xlsx/.pdf）: check the history anchor printed in it against the chain",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--counts",
        action="store_true",
        help="核对统计表 recount every measure and compare with the office's tally (instead of the chain)",
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help="重新计数修复 with --counts: after the report, write the recount into the tally",
    )


def run(args: argparse.Namespace) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(
            "verify_history",
            checkpoint_file=args.checkpoint_file,
            public_key=args.public_key,
            media_root=args.media_root,
            checkpoint=args.checkpoint,
            against=args.against,
            json=args.json,
            counts=args.counts,
            repair=args.repair,
        )
    except CommandError as exc:
        print(f"zhenggai: {exc}", file=sys.stderr)
        return exc.returncode
    return 0
