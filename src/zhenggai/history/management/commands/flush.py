"""Django's `flush`, able to empty the history table despite its append-only triggers.

Why it exists: Django's test runner flushes the database after every transactional test, and
the append-only triggers (migrations 0002 and 0003) would refuse that. This does what the
database owner running `flush` could do by hand anyway: lift the trigger that stands in the way
for the flush, in the same transaction, so that it is back in place whether the flush succeeds or
fails. On PostgreSQL that is the TRUNCATE trigger (UPDATE and DELETE stay refused throughout); on
SQLite, whose flush deletes every row, the triggers are dropped and created again. A flushed
history is caught by `verify` through the exported signed checkpoints, like any other loss of the
chain's tail.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import connections, transaction

from zhenggai.history import sqlite_guard

TABLE = "history_historyentry"
TRIGGER = "history_refuse_truncate"


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        if (
            connection.vendor not in ("postgresql", "sqlite")
            or TABLE not in connection.introspection.table_names()
        ):
            return super().handle(**options)
        if options["interactive"] and not self._confirmed(connection):
            self.stdout.write("Flush cancelled.")
            return None
        # Asked before the transaction: no lock is held while a person reads the question.
        with transaction.atomic(using=database):
            self._set_guard(connection, on=False)
            super().handle(**{**options, "interactive": False})
            self._set_guard(connection, on=True)
        return None

    def _confirmed(self, connection) -> bool:
        answer = input(
            "You have requested a flush of the database.\n"
            f'This will IRREVERSIBLY DESTROY all data currently in the "{connection.settings_dict["NAME"]}" '
            "database, including the tamper-evident history,\nand return each table to an empty state.\n"
            "Are you sure you want to do this?\n\n    Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer == "yes"

    def _set_guard(self, connection, *, on: bool) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                (sqlite_guard.install if on else sqlite_guard.remove)(cursor)
            else:
                cursor.execute(f"ALTER TABLE {TABLE} {'ENABLE' if on else 'DISABLE'} TRIGGER {TRIGGER}")
