"""On PostgreSQL, an index of the office rollup's keys that answers `key LIKE 'prefix%'`.

The dashboard's category filter reads a category's department rows by their key's prefix
("conduct|…", "conduct.…"). PostgreSQL's plain b-tree index answers a prefix LIKE only under the
C collation (databases are made with C.UTF-8 or a locale's): without this one it read all of the
rollup's rows (119,000 at the province preset, 50 ms) for 15,000. SQLite reads the prefix as a
range of keys, which its (kind, key) index answers (`oversight.selectors.key_prefix`). Django's
`OpClass` index is PostgreSQL's alone, hence SQL run there only.
"""

from django.db import migrations

CREATE = "CREATE INDEX office_tally_kind_key_prefix ON ledger_officetally (kind, key varchar_pattern_ops)"
DROP = "DROP INDEX IF EXISTS office_tally_kind_key_prefix"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0017_office_rollup")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
