"""`mend_measure_kinds`: once, after upgrading and before `migrate`, give one kind to each measure
marked both 立行立改 (or 限期整改) and 长期坚持. A measure marked long term becomes 长期坚持, so it
keeps its follow-up checks. Each change enters the history. The migration that makes the kinds
exclusive refuses to run while such a measure is left."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.ledger.services import measure_kinds_mend


class Command(BaseCommand):
    help = "把同时标为立行立改（或限期整改）与长期坚持的措施改为长期坚持 / Give each measure one kind."

    def handle(self, *args, **options):
        changed = measure_kinds_mend(actor=None)
        self.stdout.write(
            f"改为长期坚持 made long term: {len(changed)}"
            + (f" ({', '.join(map(str, changed))})" if changed else "")
        )
