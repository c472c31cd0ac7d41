from __future__ import annotations

import datetime

import pytest

from zhenggai.ledger.models import Measure, MeasureStatus
from zhenggai.ledger.services import measure_create, problem_create


@pytest.fixture
def add_measure():
    """A measure under a new problem of `ledger` (a UnitLedger of the cast)."""

    def make(
        ledger,
        text: str,
        *,
        title: str = "会议记录不规范。",
        statement: str = "会议记录不规范，存在会后补记。",
        **fields,
    ) -> Measure:
        position = ledger.round.problems.count() + 10
        problem = problem_create(
            round_=ledger.round,
            actor=None,
            parent=ledger.section,
            label=f"{position}.",
            number=position,
            level=2,
            position=position,
            title=title,
            statement=statement,
        )
        fields.setdefault("deadline", datetime.date.today() + datetime.timedelta(days=60))
        fields.setdefault("status", MeasureStatus.IN_PROGRESS)
        return measure_create(problem=problem, actor=None, text=text, **fields)

    return make
