"""Existing measures get `created_by` from their `measure.create` history entry and, when confirmed
or closed, `confirmed_by` from their last `confirm` transition: the chain already says who did it.

Apart from 0006, which adds the columns: PostgreSQL creates their indexes at the end of that
migration, which it refuses on a table with updates pending in the same transaction.
"""

from django.db import migrations


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
        ("ledger", "0006_measure_claims_and_duties"),
        ("history", "0001_history_entries_chain_head_checkpoints"),
    ]

    operations = [migrations.RunPython(fill_from_history, migrations.RunPython.noop)]
