"""The signal counts rolled up per office, group, kind and year of feedback (`SignalRollup`),
filled from the stored per-round counts."""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    SignalTally = apps.get_model("signals", "SignalTally")
    SignalRollup = apps.get_model("signals", "SignalRollup")
    summed = defaultdict(int)
    rows = SignalTally.objects.values_list(
        "round__office_id",
        "round__inspecting_group_id",
        "round__kind",
        "round__feedback_date",
        "category",
        "key",
        "count",
    )
    for office, group, kind, day, category, key, n in rows.iterator(chunk_size=5000):
        summed[(office, group, kind, day.year if day else None, category, key)] += n
    SignalRollup.objects.bulk_create(
        [
            SignalRollup(
                office_id=k[0],
                inspecting_group_id=k[1],
                round_kind=k[2],
                year=k[3],
                category=k[4],
                key=k[5],
                count=n,
            )
            for k, n in summed.items()
            if n
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_office_ledger_columns"),
        ("signals", "0002_signal_tally"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignalRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "round_kind",
                    models.CharField(
                        choices=[
                            ("巡视", "Tour inspection (巡视)"),
                            ("巡察", "Inspection tour (巡察)"),
                            ("审计", "Audit (审计)"),
                            ("督察", "Supervision (督察)"),
                            ("检查", "Check (检查)"),
                            ("其他", "Other"),
                        ],
                        max_length=10,
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(null=True)),
                ("category", models.CharField(max_length=60)),
                (
                    "key",
                    models.CharField(
                        choices=[
                            ("slogan", "Slogan"),
                            ("copy", "Copied from another plan"),
                            ("no_evidence", "Done without evidence"),
                            ("evidence_late", "Evidence uploaded after the claim"),
                            ("deadline_early", "Deadline before the feedback"),
                            ("unrelated", "Measure unrelated to its problem"),
                            ("burst", "Progress entered in a rush"),
                        ],
                        max_length=20,
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "inspecting_group",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["key", "category"], name="signal_rollup_key")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
