"""Django's `createsuperuser`, with the new login recorded in the history in the same transaction.

Without this, `zhenggai verify` would rightly report the administrator as written into the
database behind the application's back.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.db import transaction

from zhenggai.accounts.services import user_recorded


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        user_model = get_user_model()
        database = options.get("database")
        with transaction.atomic(using=database):
            before = set(user_model._default_manager.db_manager(database).values_list("pk", flat=True))
            super().handle(*args, **options)
            for user in user_model._default_manager.db_manager(database).exclude(pk__in=before):
                user_recorded(user)
