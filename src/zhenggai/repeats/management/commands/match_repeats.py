"""Link the repeated findings of rounds recorded before the rule existed (or after it changed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.ledger.models import InspectionRound
from zhenggai.ledger.services import unit_names
from zhenggai.repeats.services import problems_sketch, round_repeats_refresh


class Command(BaseCommand):
    help = "Sketch every round's findings and link those that repeat an earlier round's of the same unit."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, action="append", help="only this round (repeatable)")

    def handle(self, *args, **options):
        rounds = InspectionRound.objects.order_by("feedback_date", "created_at", "pk")
        if options["round"]:
            rounds = rounds.filter(pk__in=options["round"])
        # Every round sketched first, so that each finds its unit's earlier rounds' sketches.
        for round_ in rounds.iterator():
            problems_sketch(round_.problems.exclude(statement=""), unit_names(round_.pk))
        made = 0
        for round_ in rounds.iterator():
            made += len(round_repeats_refresh(round_=round_))
        self.stdout.write(f"{made} repeated finding(s) linked")
