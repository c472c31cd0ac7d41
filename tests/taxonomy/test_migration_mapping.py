"""The ledger's migration to taxonomy codes: the old fixed values and the tally's keys."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

migration = importlib.import_module("zhenggai.ledger.migrations.0014_problem_category_taxonomy_codes")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("party_leadership", "decisions"),
        ("main_responsibility", "responsibility"),
        ("conduct", "conduct"),
        ("organisation", "organisation"),
        ("ideology", "ideology"),
        ("finance", "finance"),
        ("livelihood", "livelihood"),
        ("other", "other"),
        ("never_a_choice", "other"),
    ],
)
def test_each_old_category_maps_to_a_taxonomy_code(old, new):
    assert migration.legacy_code(old) == new


def test_the_migration_rewrites_problems_and_tally_keys(transactional_db):
    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "ledger"]
    before = [*leaves, ("ledger", "0013_problem_category_code")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Organisation = apps.get_model("orgs", "Organisation")
    Round = apps.get_model("ledger", "InspectionRound")
    Problem = apps.get_model("ledger", "Problem")
    Tally = apps.get_model("ledger", "MeasureTally")
    office = Organisation.objects.create(name="巡察办", kind="inspection_office", path="0001")
    unit = Organisation.objects.create(name="单位", kind="unit", path="0002")
    round_ = Round.objects.create(title="轮次", office=office, inspected_unit=unit)
    for position, old in enumerate(["party_leadership", "main_responsibility", "finance"], start=1):
        Problem.objects.create(
            round=round_,
            label=f"{position}.",
            number=position,
            level=1,
            position=position,
            title="问题",
            category=old,
        )
        Tally.objects.create(round=round_, kind="category", key=old, submitted=position)
    Tally.objects.create(round=round_, kind="round", key="", submitted=6)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from zhenggai.ledger.models import MeasureTally
    from zhenggai.ledger.models import Problem as Current

    assert sorted(Current.objects.values_list("category", flat=True)) == [
        "decisions",
        "finance",
        "responsibility",
    ]
    keys = dict(MeasureTally.objects.filter(kind="category").values_list("key", "submitted"))
    assert keys == {"decisions": 1, "responsibility": 2, "finance": 3}
