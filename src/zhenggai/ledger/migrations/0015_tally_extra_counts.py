"""The tally's counts that do not depend on the day: long-term measures, measures done without
evidence, problems found (ledger.tally.EXTRA). Counted in Python from the historical models, as
ledger.tally.recount counts them in SQL; round and category rows with problems but no measure are
added. The columns are added before any row is written (PostgreSQL refuses to alter a table with
rows written in the same transaction)."""

from collections import defaultdict

from django.db import migrations, models

DONE = {"submitted", "confirmed", "closed"}


def fill(apps, schema_editor):
    Measure = apps.get_model("ledger", "Measure")
    Problem = apps.get_model("ledger", "Problem")
    EvidenceFile = apps.get_model("ledger", "EvidenceFile")
    MeasureTally = apps.get_model("ledger", "MeasureTally")
    documented = set(EvidenceFile.objects.values_list("measure_id", flat=True).distinct().iterator())
    counts = defaultdict(lambda: {"long_term": 0, "done_no_evidence": 0, "problems": 0})
    seen = {}
    rows = Measure.objects.values_list("pk", "round_id", "status", "long_term", "problem__category", "lead_department_id")
    for pk, round_id, status, long_term, category, lead in rows.iterator(chunk_size=5000):
        figures = {"long_term": int(long_term), "done_no_evidence": int(status in DONE and pk not in documented)}
        seen[pk] = (round_id, figures, lead)
        keys = [(round_id, "round", ""), (round_id, "category", category or "")]
        if lead is not None:
            keys.append((round_id, "department", str(lead)))
        for key in keys:
            for name, n in figures.items():
                counts[key][name] += n
    through = Measure.cooperating_departments.through.objects.values_list("measure_id", "organisation_id")
    for measure_id, department in through.iterator(chunk_size=5000):
        round_id, figures, lead = seen[measure_id]
        if department != lead:  # a measure counts once per department
            for name, n in figures.items():
                counts[(round_id, "department", str(department))][name] += n
    found = Problem.objects.exclude(statement="").values_list("round_id", "category")
    for round_id, category in found.iterator(chunk_size=5000):
        counts[(round_id, "round", "")]["problems"] += 1
        counts[(round_id, "category", category or "")]["problems"] += 1
    changed = []
    for row in MeasureTally.objects.iterator(chunk_size=5000):
        figures = counts.pop((row.round_id, row.kind, row.key), None)
        if figures and any(figures.values()):
            for name, n in figures.items():
                setattr(row, name, n)
            changed.append(row)
    MeasureTally.objects.bulk_update(changed, ["long_term", "done_no_evidence", "problems"], batch_size=2000)
    # Rows of rounds or categories with problems found but no measure.
    MeasureTally.objects.bulk_create(
        [MeasureTally(round_id=r, kind=k, key=key, **figures) for (r, k, key), figures in counts.items()],
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0014_problem_category_taxonomy_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='measuretally',
            name='done_no_evidence',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='measuretally',
            name='long_term',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='measuretally',
            name='problems',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
