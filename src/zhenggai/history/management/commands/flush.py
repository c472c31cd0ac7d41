"""Django's `flush`, able to empty the history table on PostgreSQL despite its TRUNCATE trigger.

Why it exists: Django's test runner flushes the database after every transactional test, and
the append-only trigger (migration 0002) would refuse that. This does what the database owner
running `flush` could do by hand anyway: lift the TRUNCATE trigger for the flush, in the same
transaction, so that it is back in place whether the flush succeeds or fails. UPDATE and DELETE
stay refused throughout. A flushed history is caught by `verify` through the exported signed
checkpoints, like any other loss of the chain's tail.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import connections, transaction

TABLE = "history_historyentry"
TRIGGER = "history_refuse_truncate"


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        if connection.vendor != "postgresql" or TABLE not in connection.introspection.table_names():
            return super().handle(**options)
        if options["interactive"] and not self._confirmed(connection):
            self.stdout.write("Flush cancelled.")
            return None
        # Asked before the transaction: no lock is held while a person reads the question.
        with transaction.atomic(using=database):
            self._set_trigger(connection, "DISABLE")
            super().handle(**{**options, "interactive": False})
            self._set_trigger(connection, "ENABLE")
        return None

    def _confirmed(self, connection) -> bool:
        answer = input(
            "You have requested a flush of the database.\n"
            f'This will IRREVERSIBLY DESTROY all data currently in the "{connection.settings_dict["NAME"]}" '
            "database, including the tamper-evident history,\nand return each table to an empty state.\n"
            "Are you sure you want to do this?\n\n    Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer == "yes"

    def _set_trigger(self, connection, state: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} {state} TRIGGER {TRIGGER}")
