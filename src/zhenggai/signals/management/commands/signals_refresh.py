from django.core.management.base import BaseCommand

from zhenggai.signals.services import flags_rebuild


class Command(BaseCommand):
    help = "Recompute the stored quality signals of every round (after an upgrade or a bulk load)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--exact-copies-only",
            action="store_true",
            help=(
                "leave out the search for near copies (about a second a round on formulaic texts);"
                " each round's near copies are found at its next write"
            ),
        )

    def handle(self, *args, **options):
        rounds = flags_rebuild(near_copies=not options["exact_copies_only"])
        self.stdout.write(f"quality signals recomputed for {rounds} rounds")
