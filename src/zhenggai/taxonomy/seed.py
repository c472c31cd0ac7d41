"""The seeded taxonomy, put back when the tables are empty.

Migration taxonomy.0002 seeds the categories and rules; a database emptied after it (`flush`, the
test suite's transactional tests) would classify every problem as "other" and offer no category.
The classifier asks for the seed first: an empty taxonomy is seeded again, from the migration's
own data (the office never deletes a category, it switches it off, so an empty table is never the
office's choice).
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import IntegrityError, transaction

from zhenggai.taxonomy.models import Category

_SEED = "zhenggai.taxonomy.migrations.0002_seed_categories_and_rules"


def ensure_seeded() -> bool:
    """Seed the taxonomy if it has no category; returns whether it did."""
    if Category.objects.exists():
        return False
    try:
        with transaction.atomic():
            importlib.import_module(_SEED).seed(apps, None)
    except IntegrityError:  # seeded meanwhile by another process
        return False
    return True
