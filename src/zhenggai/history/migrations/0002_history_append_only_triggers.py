"""On PostgreSQL, refuse UPDATE, DELETE and TRUNCATE of the history table by trigger.

A guard against the application (or a stray script) rewriting history, not against the
database owner, who can disable triggers: the signed checkpoints exported outside the
database are what catches that. SQLite's guard is migration 0003.

`zhenggai.history.management.commands.flush` lifts the TRUNCATE trigger for Django's `flush`
(which the test runner uses between transactional tests) inside flush's own transaction.
"""

from django.db import migrations

TABLE = "history_historyentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION zhenggai_history_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'zhenggai history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING HINT = 'History entries are never changed; record a new entry instead.';
END;
$$;
CREATE TRIGGER history_refuse_update_delete
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION zhenggai_history_refuse_change();
CREATE TRIGGER history_refuse_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION zhenggai_history_refuse_change();
"""

DROP = f"""
DROP TRIGGER IF EXISTS history_refuse_truncate ON {TABLE};
DROP TRIGGER IF EXISTS history_refuse_update_delete ON {TABLE};
DROP FUNCTION IF EXISTS zhenggai_history_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the % in the function body are not placeholders

    return run


class Migration(migrations.Migration):
    dependencies = [("history", "0001_history_entries_chain_head_checkpoints")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
