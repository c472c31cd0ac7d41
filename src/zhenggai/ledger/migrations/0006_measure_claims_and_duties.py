"""Who entered and who confirmed a measure (separation of duties), and what a document claimed.

Existing measures get `created_by` from their `measure.create` history entry and, when confirmed or
closed, `confirmed_by` from their last `confirm` transition: the chain already says who did it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_from_history(apps, schema_editor):
    Measure = apps.get_model("ledger", "Measure")
    HistoryEntry = apps.get_model("history", "HistoryEntry")
    entries = (
        HistoryEntry.objects.filter(object_type="ledger.measure", action__in=["measure.create", "measure.transition"])
        .order_by("seq")
        .values_list("object_id", "action", "actor_id", "payload")
    )
    created, confirmed = {}, {}
    for object_id, action, actor_id, payload in entries.iterator(chunk_size=2000):
        if not object_id.isdigit():
            continue
        if action == "measure.create":
            created[int(object_id)] = actor_id
        elif isinstance(payload, dict) and payload.get("transition") == "confirm":
            confirmed[int(object_id)] = actor_id
    for pk, actor_id in created.items():
        if actor_id is not None:
            Measure.objects.filter(pk=pk).update(created_by_id=actor_id)
    for pk, actor_id in confirmed.items():
        if actor_id is not None:
            Measure.objects.filter(pk=pk, status__in=["confirmed", "closed"]).update(confirmed_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_measure_sketch"),
        ("history", "0001_history_entries_chain_head_checkpoints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="claimed_status",
            field=models.CharField(
                blank=True,
                choices=[("not_started", "Not started"), ("in_progress", "In progress"), ("done", "Done")],
                default="",
                editable=False,
                max_length=20,
                verbose_name="status the document claimed",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="claimed_text",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="the document's words"
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_from_history, migrations.RunPython.noop),
    ]
