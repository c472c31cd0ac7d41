"""立行立改, 限期整改 and 长期坚持 exclude one another: `long_term` is true exactly for 长期坚持.

Rows that break the rule are not changed here (every change of a measure enters its history, and a
migration cannot write it): run `python -m django mend_measure_kinds` first; this migration says so and stops
while any is left.
"""

from django.db import migrations, models


def refuse_mixed_kinds(apps, schema_editor):
    Measure = apps.get_model("ledger", "Measure")
    mixed = Measure.objects.filter(
        models.Q(long_term=True) & ~models.Q(kind="long_term") | models.Q(long_term=False, kind="long_term")
    ).values_list("pk", flat=True)[:20]
    if mixed:
        raise RuntimeError(
            "有措施同时标为立行立改（或限期整改）与长期坚持，请先运行 `python -m django mend_measure_kinds`。"
            f" Measures with two kinds (run `python -m django mend_measure_kinds` first): {list(mixed)}"
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_measure_people_from_history")]

    operations = [
        migrations.RunPython(refuse_mixed_kinds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="measure",
            constraint=models.CheckConstraint(
                condition=models.Q(kind="long_term", long_term=True)
                | (~models.Q(kind="long_term") & models.Q(long_term=False)),
                name="measure_kind_exclusive",
            ),
        ),
    ]
