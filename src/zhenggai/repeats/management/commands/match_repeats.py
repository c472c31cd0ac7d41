"""Link the repeated findings of rounds recorded before the rule existed (or after it changed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.ledger.models import InspectionRound
from zhenggai.ledger.services import unit_names
from zhenggai.repeats.services import problems_sketch, round_repeats_refresh

MEMO_PIECES = 20_000


class Command(BaseCommand):
    help = "Sketch every round's findings and link those that repeat an earlier round's of the same unit."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, action="append", help="only this round (repeatable)")

    def handle(self, *args, **options):
        rounds = InspectionRound.objects.order_by("feedback_date", "created_at", "pk")
        if options["round"]:
            rounds = rounds.filter(pk__in=options["round"])
        # Each two-character piece hashed once for many rounds; emptied past MEMO_PIECES (a piece's
        # 30 values take about 1.3 kB), so that a province's run stays within a few tens of MB.
        memo: dict[str, tuple[int, ...]] = {}
        # Every round sketched first, so that each finds its unit's earlier rounds' sketches.
        for round_ in rounds.iterator():
            if len(memo) > MEMO_PIECES:
                memo.clear()
            problems_sketch(round_.problems.exclude(statement=""), unit_names(round_.pk), memo)
        made = 0
        for round_ in rounds.iterator():
            if len(memo) > MEMO_PIECES:
                memo.clear()
            made += len(round_repeats_refresh(round_=round_, memo=memo))
        self.stdout.write(f"{made} repeated finding(s) linked")
