"""Flags for the rounds that exist when the signals arrive (a fresh database has none)."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("ledger", "InspectionRound").objects.exists():
        return
    # The detection is the application's own (texts, MinHash bands, dates), run once here.
    from zhenggai.signals.services import flags_rebuild

    flags_rebuild()


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
