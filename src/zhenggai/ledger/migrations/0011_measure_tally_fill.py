"""Count the existing measures into the tally (ledger.tally keeps it from then on).

Apart from 0010, which creates the table: PostgreSQL creates its indexes at the end of that
migration, which it refuses on a table with rows written in the same transaction. Counted here
in Python from the historical models, as ledger.tally.recount counts it in SQL: a migration does
not import the app's code.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DONE = {"submitted", "confirmed", "closed"}


def _cell(status, deadline, today, days):
    if status in DONE:
        return status
    if deadline is None:
        light = "none"
    elif deadline < today:
        light = "red"
    elif deadline <= today + datetime.timedelta(days=days):
        light = "yellow"
    else:
        light = "green"
    return f"{status}_{light}"


def fill(apps, schema_editor):
    Measure = apps.get_model("ledger", "Measure")
    MeasureTally = apps.get_model("ledger", "MeasureTally")
    TallyClock = apps.get_model("ledger", "TallyClock")
    today, days = timezone.localdate(), int(settings.ZHENGGAI["YELLOW_LIGHT_DAYS"])
    TallyClock.objects.update_or_create(pk=1, defaults={"as_of": today, "yellow_days": days})
    counts = defaultdict(lambda: defaultdict(int))
    seen = {}
    rows = Measure.objects.values_list("pk", "round_id", "status", "deadline", "problem__category", "lead_department_id")
    for pk, round_id, status, deadline, category, lead in rows.iterator(chunk_size=5000):
        cell = _cell(status, deadline, today, days)
        seen[pk] = (round_id, cell, lead)
        counts[(round_id, "round", "")][cell] += 1
        counts[(round_id, "category", category)][cell] += 1
        if lead is not None:
            counts[(round_id, "department", str(lead))][cell] += 1
    through = Measure.cooperating_departments.through.objects.values_list("measure_id", "organisation_id")
    for measure_id, department in through.iterator(chunk_size=5000):
        round_id, cell, lead = seen[measure_id]
        if department != lead:  # a measure counts once per department
            counts[(round_id, "department", str(department))][cell] += 1
    MeasureTally.objects.all().delete()
    MeasureTally.objects.bulk_create(
        [MeasureTally(round_id=r, kind=k, key=key, **cells) for (r, k, key), cells in counts.items()],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_measure_tally")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
