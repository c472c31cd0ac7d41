from django.core.management.base import BaseCommand

from zhenggai.signals.services import flags_rebuild


class Command(BaseCommand):
    help = "Recompute the stored quality signals of every round (after an upgrade or a bulk load)."

    def handle(self, *args, **options):
        rounds = flags_rebuild()
        self.stdout.write(f"quality signals recomputed for {rounds} rounds")
