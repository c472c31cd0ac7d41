"""Problems' categories become codes of the taxonomy (zhenggai.taxonomy): the eight fixed values
map to its top-level categories, and the tally's category rows are re-keyed the same way.

Only two values change (党的领导、决策部署 → decisions, 全面从严治党责任 → responsibility); the others
were already the taxonomy's codes. A value the fixed list never had becomes "other".

A migration writes no history: afterwards run `python -m zhenggai manage record_category_codes`,
which records each rewritten problem's change (zhenggai/taxonomy/legacy.py), so that `verify`
finds the rows as the history says.
"""

from django.db import migrations

LEGACY_CODES = {
    "party_leadership": "decisions",
    "main_responsibility": "responsibility",
    "conduct": "conduct",
    "organisation": "organisation",
    "ideology": "ideology",
    "finance": "finance",
    "livelihood": "livelihood",
    "other": "other",
}


def legacy_code(value: str) -> str:
    """The taxonomy's code for a category stored before the taxonomy."""
    return LEGACY_CODES.get(value, "other")


def to_codes(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    MeasureTally = apps.get_model("ledger", "MeasureTally")
    stored = Problem.objects.order_by().values_list("category", flat=True).distinct()
    for old in list(stored):
        new = legacy_code(old)
        if new != old:
            Problem.objects.filter(category=old).update(category=new)
    keys = MeasureTally.objects.filter(kind="category").order_by().values_list("key", flat=True).distinct()
    for old in list(keys):
        new = legacy_code(old)
        if new == old:
            continue
        # Two old keys may meet in one new key (a value the list never had and "other"): add up.
        for row in MeasureTally.objects.filter(kind="category", key=old):
            target = MeasureTally.objects.filter(kind="category", key=new, round_id=row.round_id).first()
            if target is None:
                row.key = new
                row.save(update_fields=["key"])
                continue
            for field in row._meta.concrete_fields:
                if field.get_internal_type() == "PositiveIntegerField":
                    setattr(target, field.attname, getattr(target, field.attname) + getattr(row, field.attname))
            target.save()
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0013_problem_category_code")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
