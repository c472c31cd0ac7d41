"""`verify_history`: re-compute the history chain, check it against the signed checkpoints and
check every evidence file; with `--against`, also the anchor printed in an issued document.
With `--counts`, instead: recount every measure and compare with the office's tally (`--repair`
writes the recount). Exit code 0 when clean, 1 when something was tampered with (or a count
differs), 2 when `--against` finds no anchor."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenggai.history.anchors import AnchorUnreadable, check_anchor, read_anchor
from zhenggai.history.cli_verify import EXIT_TAMPERED, EXIT_UNREADABLE
from zhenggai.history.cli_verify import add_arguments as add_verify_arguments
from zhenggai.history.verify import checkpoint_paths, verify


class Command(BaseCommand):
    help = "校验变更记录链、签名检查点和佐证材料文件 / Verify the history chain, its checkpoints and the evidence files."

    def add_arguments(self, parser):
        add_verify_arguments(parser)

    def handle(self, *args, **options):
        if options["counts"]:
            return self._counts(repair=options["repair"])
        if options["repair"]:
            raise CommandError("--repair 只与 --counts 一起使用 / --repair goes with --counts")
        found = None
        if options["against"]:
            try:  # before the long walk: a file without an anchor is said at once
                found = read_anchor(options["against"])
            except AnchorUnreadable as exc:
                raise CommandError(exc.message, returncode=EXIT_UNREADABLE) from exc
        report = verify(
            checkpoint_file=options["checkpoint_file"],
            public_key_file=options["public_key"],
            media_root=options["media_root"],
            sign_head=options["checkpoint"],
        )
        if found is not None:
            checkpoint_path, key_path = checkpoint_paths(options["checkpoint_file"], options["public_key"])
            document = Path(options["against"]).name
            check_anchor(found, document, report, checkpoint_path=checkpoint_path, key_path=key_path)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.text())
        if not report.ok:
            raise CommandError("历史记录校验未通过 / history verification failed", returncode=EXIT_TAMPERED)

    def _counts(self, *, repair: bool) -> None:
        from zhenggai.ledger.models import MeasureTally
        from zhenggai.ledger.tally import tally_differences, tally_rebuild

        differences = tally_differences()
        if not differences:
            rows = MeasureTally.objects.count()
            self.stdout.write(f"统计表与重新计数一致（{rows} 行）/ the tally equals a recount ({rows} rows)")
            return
        self.stdout.write(
            f"统计表与重新计数不符：{len(differences)} 处 / the tally differs from a recount in "
            f"{len(differences)} cells"
        )
        self.stdout.write("轮次 round · 统计 kind · 键 key · 栏 cell: 表中 stored → 重新计数 recounted")
        for d in differences:
            self.stdout.write(
                f"  {d.round_id} · {d.kind} · {d.key or '—'} · {d.cell}: {d.stored} → {d.recounted}"
            )
        if repair:
            rows = tally_rebuild()
            self.stdout.write(f"已按重新计数修复（{rows} 行）/ repaired from the recount ({rows} rows)")
            return
        raise CommandError(
            "统计表校验未通过，可用 --counts --repair 修复 / the tally differs; --counts --repair repairs it",
            returncode=EXIT_TAMPERED,
        )
