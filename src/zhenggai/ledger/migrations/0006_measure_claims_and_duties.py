"""Who entered and who confirmed a measure (separation of duties), and what a document claimed.

0007 fills the two people in for the measures that exist already.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_measure_sketch"),
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
                verbose_name="confirmed for the unit by",
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
                verbose_name="entered by",
            ),
        ),
        migrations.AlterField(
            model_name="measure",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closing requested by",
            ),
        ),
    ]
