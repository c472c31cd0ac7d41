"""The payload column holds the payload's canonical JSON text on PostgreSQL too (it was jsonb).

jsonb keeps its own form of a document (keys reordered, spaces added), so `verify` had to parse
and re-write every payload to re-compute its hash; as text, the stored bytes are hashed as they
are, as on SQLite, where the column was always text. Entries written before this migration keep
jsonb's form of their payload; `verify` re-writes those (they still verify), new entries are stored
canonically. Nothing changes on SQLite.

ALTER COLUMN … TYPE rewrites the table without firing its row triggers, so the append-only
trigger of migration 0002 stays in place and is not tripped.
"""

from django.db import migrations

import zhenggai.history.models

TABLE = "history_historyentry"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("history", "0004_record_state")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historyentry",
                    name="payload",
                    field=zhenggai.history.models.ChainPayloadField(default=dict),
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    _on_postgresql(f"ALTER TABLE {TABLE} ALTER COLUMN payload TYPE text USING payload::text"),
                    _on_postgresql(f"ALTER TABLE {TABLE} ALTER COLUMN payload TYPE jsonb USING payload::jsonb"),
                    elidable=False,
                ),
            ],
        ),
    ]
