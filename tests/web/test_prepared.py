"""Queries compiled once a process (zhenggai/prepared.py) give what the ORM gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.ledger.models import InspectionRound, Measure
from zhenggai.prepared import Prepared


def test_a_prepared_lookup_gives_the_orms_instances_with_their_related_records(cast):
    lookup = Prepared(
        lambda pk: Measure.objects.filter(pk=pk).select_related("round__inspected_unit", "lead_department"),
        int,
    )
    for measure in (cast.a.measure, cast.b.measure):
        (found,) = lookup.objects(measure.pk)
        orm = Measure.objects.select_related("round__inspected_unit", "lead_department").get(pk=measure.pk)
        assert found.pk == orm.pk and found.text == orm.text and found.deadline == orm.deadline
        with CaptureQueriesContext(connection) as queries:  # joined in, not read again
            assert found.round.inspected_unit.name == orm.round.inspected_unit.name
            assert found.lead_department == orm.lead_department
        assert len(queries) == 0
    assert lookup.objects(max(m.pk for m in Measure.objects.all()) + 1) == []


def test_prepared_rows_are_converted_as_values_list_converts_them(cast):
    rows = Prepared(
        lambda round_id, status: (
            Measure.objects.filter(round_id=round_id, status=status)
            .order_by("pk")
            .values_list("pk", "deadline", "long_term")
        ),
        int,
        str,
    )
    for ledger in (cast.a, cast.b):
        status = ledger.measure.status
        expected = list(
            Measure.objects.filter(round=ledger.round, status=status)
            .order_by("pk")
            .values_list("pk", "deadline", "long_term")
        )
        assert rows.rows(ledger.round.pk, str(status)) == expected
        assert rows.rows(ledger.round.pk, "no such status") == []


def test_a_prepared_query_refuses_what_it_cannot_put_in_place():
    twice = Prepared(lambda pk: InspectionRound.objects.filter(pk=pk).exclude(office_id=pk), int)
    with pytest.raises(ValueError, match="each argument once"):
        twice.objects(1)
    with pytest.raises(TypeError):
        Prepared(lambda pk: InspectionRound.objects.filter(pk=pk), int).objects("1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_prepared_query_is_planned_once_per_connection(cast):
    """The server keeps the statement: a second run with other values is not planned again. The
    run still goes through Django's cursor wrapping (the query log sees it)."""
    lookup = Prepared(lambda pk: Measure.objects.filter(pk=pk).select_related("round"), int)

    def kept() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    before = kept()
    with CaptureQueriesContext(connection) as queries:
        (first,) = lookup.objects(cast.a.measure.pk)
    assert len(queries) == 1 and '"ledger_measure"' in queries[0]["sql"]
    statements = kept() - before
    assert len(statements) == 1 and '"ledger_measure"' in statements.pop()
    (second,) = lookup.objects(cast.b.measure.pk)
    assert (first.pk, second.pk) == (cast.a.measure.pk, cast.b.measure.pk)
    assert second.round.pk == cast.b.round.pk
    assert len(kept() - before) == 1  # the same statement, not a second one
