"""Enqueue the webhook deliveries that are due: those whose task was lost (a queue that was down
when they were made, a worker that died mid-send). Safe at any time: a delivery is claimed
before it is sent, so one enqueued twice is still sent once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.webhooks.delivery import due_deliveries
from zhenggai.webhooks.services import enqueue


class Command(BaseCommand):
    help = "Enqueue the webhook deliveries that are due and not yet delivered."

    def handle(self, *args, **options):
        ids = due_deliveries()
        enqueue(ids)
        self.stdout.write(f"{len(ids)} webhook deliveries enqueued")
