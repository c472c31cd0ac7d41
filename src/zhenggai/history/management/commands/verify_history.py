"""`verify_history`: re-compute the history chain, check it against the signed checkpoints and
check every evidence file. Exit code 0 when clean, 1 when something was tampered with."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from zhenggai.history.cli_verify import add_arguments as add_verify_arguments
from zhenggai.history.verify import verify


class Command(BaseCommand):
    help = "校验变更记录链、签名检查点和佐证材料文件 / Verify the history chain, its checkpoints and the evidence files."

    def add_arguments(self, parser):
        add_verify_arguments(parser)

    def handle(self, *args, **options):
        report = verify(
            checkpoint_file=options["checkpoint_file"],
            public_key_file=options["public_key"],
            media_root=options["media_root"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.text())
        if not report.ok:
            raise CommandError("历史记录校验未通过 / history verification failed", returncode=1)
