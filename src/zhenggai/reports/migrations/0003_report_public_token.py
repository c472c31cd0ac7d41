# The public page of an issued report is found by a random token, never by its id: added empty,
# filled for the rows there are (one token each), then made unique with its default.

import secrets

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    ReportVersion = apps.get_model("reports", "ReportVersion")
    for report in ReportVersion.objects.only("pk").iterator():
        ReportVersion.objects.filter(pk=report.pk).update(public_token=secrets.token_urlsafe())


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_report_versions_replace_download_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="public_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportversion",
            name="public_token",
            field=models.CharField(default=secrets.token_urlsafe, editable=False, max_length=64, unique=True),
        ),
        migrations.AddIndex(
            model_name="reportversion",
            index=models.Index(fields=["kind", "state", "-issued_at"], name="report_kind_state_issued"),
        ),
    ]
