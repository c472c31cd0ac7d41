"""The office rollup (ledger.rollup): the rows of the tally summed per office,
group, kind and year of feedback (`OfficeTally`), and the problems per unit and category
(`CategoryUnit`), filled from the stored round rows (nothing when no tally is kept yet)."""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = [
    "not_started_red", "not_started_yellow", "not_started_green", "not_started_none",
    "in_progress_red", "in_progress_yellow", "in_progress_green", "in_progress_none",
    "submitted", "confirmed", "closed", "long_term", "done_no_evidence", "problems",
]  # fmt: skip


def fill(apps, schema_editor):
    MeasureTally = apps.get_model("ledger", "MeasureTally")
    OfficeTally = apps.get_model("ledger", "OfficeTally")
    CategoryUnit = apps.get_model("ledger", "CategoryUnit")
    offices = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    units = defaultdict(int)
    rows = MeasureTally.objects.filter(kind__in=["round", "category", "department", "dept_cat"]).values_list(
        "round__office_id",
        "round__inspecting_group_id",
        "round__kind",
        "round__feedback_date",
        "round__inspected_unit_id",
        "kind",
        "key",
        *COLUMNS,
    )
    for office, group, round_kind, day, unit, kind, key, *figures in rows.iterator(chunk_size=5000):
        cell = (office, group, round_kind, day.year if day else None)
        into = offices[(*cell, kind, key)]
        for name, n in zip(COLUMNS, figures):
            into[name] += n
        problems = figures[-1]
        if kind == "category" and problems:
            units[(*cell, unit, key)] += problems
    OfficeTally.objects.bulk_create(
        [
            OfficeTally(
                office_id=k[0], inspecting_group_id=k[1], round_kind=k[2], year=k[3], kind=k[4], key=k[5], **f
            )
            for k, f in offices.items()
            if any(f.values())
        ],
        batch_size=2000,
    )
    CategoryUnit.objects.bulk_create(
        [
            CategoryUnit(
                office_id=k[0],
                inspecting_group_id=k[1],
                round_kind=k[2],
                year=k[3],
                inspected_unit_id=k[4],
                key=k[5],
                top=k[5].split(".", 1)[0],
                problems=n,
            )
            for k, n in units.items()
            if n
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0016_tally_department_category"),
        ("orgs", "0004_office_ledger_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="CategoryUnit",
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
                ("top", models.CharField(max_length=60)),
                ("key", models.CharField(blank=True, max_length=60)),
                ("problems", models.PositiveIntegerField(default=0)),
                (
                    "inspected_unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
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
                "indexes": [
                    models.Index(
                        fields=[
                            "top",
                            "inspected_unit",
                            "key",
                            "office",
                            "inspecting_group",
                            "round_kind",
                            "year",
                        ],
                        name="category_unit_top",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="OfficeTally",
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
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("round", "round"),
                            ("category", "problem category"),
                            ("department", "department"),
                            ("dept_cat", "department and category"),
                        ],
                        max_length=10,
                    ),
                ),
                ("key", models.CharField(blank=True, max_length=60)),
                ("not_started_red", models.PositiveIntegerField(default=0)),
                ("not_started_yellow", models.PositiveIntegerField(default=0)),
                ("not_started_green", models.PositiveIntegerField(default=0)),
                ("not_started_none", models.PositiveIntegerField(default=0)),
                ("in_progress_red", models.PositiveIntegerField(default=0)),
                ("in_progress_yellow", models.PositiveIntegerField(default=0)),
                ("in_progress_green", models.PositiveIntegerField(default=0)),
                ("in_progress_none", models.PositiveIntegerField(default=0)),
                ("submitted", models.PositiveIntegerField(default=0)),
                ("confirmed", models.PositiveIntegerField(default=0)),
                ("closed", models.PositiveIntegerField(default=0)),
                ("long_term", models.PositiveIntegerField(default=0)),
                ("done_no_evidence", models.PositiveIntegerField(default=0)),
                ("problems", models.PositiveIntegerField(default=0)),
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
                "indexes": [models.Index(fields=["kind", "key"], name="office_tally_kind_key")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
