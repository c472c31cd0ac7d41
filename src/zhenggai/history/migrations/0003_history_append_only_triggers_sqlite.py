"""On SQLite, refuse UPDATE and DELETE of the history table by trigger (see history.sqlite_guard)."""

from django.db import migrations

from zhenggai.history import sqlite_guard


def _on_sqlite(action):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                action(cursor)

    return run


class Migration(migrations.Migration):
    dependencies = [("history", "0002_history_append_only_triggers")]

    operations = [
        migrations.RunPython(_on_sqlite(sqlite_guard.install), _on_sqlite(sqlite_guard.remove), elidable=False)
    ]
