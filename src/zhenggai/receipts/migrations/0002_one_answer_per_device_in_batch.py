"""One answered slip per browser and batch, held by the database instead of a check in Python.

Before the constraint, a race could have let one browser answer two slips of a batch. Such
answers are part of the tamper-evident history and are not changed here: the migration stops and
names them, for the office to look at (and ring back) before it is run again.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_existing_doubles(apps, schema_editor):
    Receipt = apps.get_model("receipts", "Receipt")
    doubles = (
        Receipt.objects.exclude(device="")
        .values("batch_id", "device")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("batch_id", flat=True)
    )
    batches = sorted(set(doubles))
    if batches:
        raise RuntimeError(
            "One browser answered several slips of receipt batches "
            f"{', '.join(map(str, batches))}; see docs/receipts.md before migrating."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("receipts", "0001_receipt_batches_and_slips"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_doubles, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="receipt",
            name="receipt_batch_device",
        ),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("device", ""), _negated=True),
                fields=("batch", "device"),
                name="receipt_one_per_device_in_batch",
            ),
        ),
    ]
