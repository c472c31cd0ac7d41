"""The tally's rows of each department and category (`TallyKind.DEPARTMENT_CATEGORY`, key
"<category>|<department id>"), which the dashboard's departments read under a category filter.
Counted in Python from the historical models as of the stored day (`TallyClock`), by the rule of
ledger.lights.light_of, as ledger.tally.recount counts them in SQL; nothing to count when no
tally is kept yet (the first refresh counts everything)."""

import datetime
from collections import defaultdict

from django.db import migrations, models

DONE = {"submitted", "confirmed", "closed"}


def _cell(status, deadline, as_of, days):
    if status in DONE:
        return status
    if deadline is None:
        light = "none"
    elif deadline < as_of:
        light = "red"
    elif deadline <= as_of + datetime.timedelta(days=days):
        light = "yellow"
    else:
        light = "green"
    return f"{status}_{light}"


def fill(apps, schema_editor):
    TallyClock = apps.get_model("ledger", "TallyClock")
    Measure = apps.get_model("ledger", "Measure")
    EvidenceFile = apps.get_model("ledger", "EvidenceFile")
    MeasureTally = apps.get_model("ledger", "MeasureTally")
    clock = TallyClock.objects.filter(pk=1).first()
    if clock is None:
        return
    documented = set(EvidenceFile.objects.values_list("measure_id", flat=True).distinct().iterator())
    counts = defaultdict(lambda: defaultdict(int))
    seen = {}
    rows = Measure.objects.values_list(
        "pk", "round_id", "status", "deadline", "long_term", "problem__category", "lead_department_id"
    )
    for pk, round_id, status, deadline, long_term, category, lead in rows.iterator(chunk_size=5000):
        figures = {
            _cell(status, deadline, clock.as_of, clock.yellow_days): 1,
            "long_term": int(long_term),
            "done_no_evidence": int(status in DONE and pk not in documented),
        }
        seen[pk] = (round_id, category or "", figures, lead)
        if lead is not None:
            for name, n in figures.items():
                counts[(round_id, f"{category or ''}|{lead}")][name] += n
    through = Measure.cooperating_departments.through.objects.values_list("measure_id", "organisation_id")
    for measure_id, department in through.iterator(chunk_size=5000):
        round_id, category, figures, lead = seen[measure_id]
        if department != lead:  # a measure counts once per department
            for name, n in figures.items():
                counts[(round_id, f"{category}|{department}")][name] += n
    MeasureTally.objects.bulk_create(
        [MeasureTally(round_id=r, kind="dept_cat", key=key, **figures) for (r, key), figures in counts.items()],
        batch_size=2000,
    )


def drop(apps, schema_editor):
    apps.get_model("ledger", "MeasureTally").objects.filter(kind="dept_cat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0015_tally_extra_counts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measuretally",
            name="kind",
            field=models.CharField(
                choices=[
                    ("round", "round"),
                    ("category", "problem category"),
                    ("department", "department"),
                    ("dept_cat", "department and category"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(fill, drop),
    ]
