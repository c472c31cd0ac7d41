"""Back-up tests: the ledger is committed (a back-up reads the database through its own
connection, which sees no test transaction), and another installation receives the restore."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _ops_support import Installation, attach_evidence, drop_scratch_postgresql, scratch_postgresql
from django.contrib.auth import get_user_model
from django.db import connection

from zhenggai.demo.loader import load_demo
from zhenggai.ledger.models import EvidenceFile, Measure, MeasureStatus


@pytest.fixture
def demo_ledger(transactional_db) -> EvidenceFile:
    """The demo (rounds, measures, receipts, comments, their history) and one evidence file."""
    load_demo()
    measure = Measure.objects.filter(status=MeasureStatus.IN_PROGRESS).order_by("pk").first()
    assert measure is not None
    return attach_evidence(measure, get_user_model().objects.get(username="x_clerk"))


@pytest.fixture
def small_ledger(transactional_db, cast) -> EvidenceFile:
    """The shared cast's two ledgers, committed, and one evidence file."""
    return attach_evidence(cast.a.measure, cast.clerk_a)


@pytest.fixture
def elsewhere(tmp_path) -> Iterator[Installation]:
    """A fresh, empty database and data folder of the same vendor as the test database."""
    folder = tmp_path / "elsewhere"
    if connection.vendor == "postgresql":
        yield scratch_postgresql(folder)
        drop_scratch_postgresql()
    else:
        yield Installation(f"sqlite:///{folder / 'zhenggai.sqlite3'}", folder)
