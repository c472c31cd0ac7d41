"""Matching is kept to the same inspected unit: unit B's identical finding is never linked to
unit A's new round, and an import links what it finds in its own transaction."""

from __future__ import annotations

import datetime

from zhenggai.ledger.services import round_import_ledger
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.repeats.models import ProblemSketch, RepeatLink
from zhenggai.repeats.selectors import repeat_counts_by_unit, repeated_findings
from zhenggai.repeats.services import round_repeats_refresh


def _ledger(statement: str, feedback: datetime.date) -> dict:
    return {
        "schema": "zhenggai.ledger/1",
        "title": "回头看整改台账",
        "round": {"kind": "巡察", "feedback_date": feedback.isoformat()},
        "sections": [
            {
                "label": "1.",
                "number": 1,
                "level": 1,
                "title": "会议记录问题",
                "problem": statement,
                "measures": [{"text": "会议记录当场签字，办公室每月检查。"}],
                "children": [],
            }
        ],
    }


def test_a_new_round_is_matched_against_its_own_unit_s_rounds_only(cast):
    for unit in (cast.a, cast.b):  # rounds recorded before the rule: sketched as the command does
        round_repeats_refresh(round_=unit.round)
    assert ProblemSketch.objects.filter(problem=cast.b.problem).exists()
    later = round_import_ledger(
        ledger=_ledger("上轮巡察指出的会议记录不规范问题仍然存在，仍有会后补记。", datetime.date.today()),
        office=cast.a.round.office,
        inspected_unit=cast.a.unit,
        inspecting_group=None,
        actor=cast.officer,
    )
    links = list(RepeatLink.objects.filter(newer__round=later))
    assert [link.earlier_id for link in links] == [cast.a.problem.pk]
    assert repeat_counts_by_unit(cast.officer, DashboardFilters()) == {cast.a.unit.pk: 1}
    assert repeat_counts_by_unit(cast.clerk_a, DashboardFilters()) == {cast.a.unit.pk: 1}
    assert repeat_counts_by_unit(cast.clerk_b, DashboardFilters()) == {}
    assert repeat_counts_by_unit(cast.outsider, DashboardFilters()) == {}
    assert not repeated_findings(cast.clerk_b, DashboardFilters()).exists()


def test_an_old_report_imported_late_links_the_later_round_to_it(cast):
    round_repeats_refresh(round_=cast.a.round)
    earlier = round_import_ledger(
        ledger=_ledger(
            "会议记录不规范，存在会后补记。", cast.a.round.feedback_date - datetime.timedelta(days=400)
        ),
        office=cast.a.round.office,
        inspected_unit=cast.a.unit,
        inspecting_group=None,
        actor=cast.officer,
    )
    assert not RepeatLink.objects.filter(newer__round=earlier).exists()  # nothing earlier than it
    (link,) = RepeatLink.objects.all()
    assert (link.newer_id, link.earlier.round_id) == (cast.a.problem.pk, earlier.pk)
    assert round_repeats_refresh(round_=cast.a.round) == []  # found already
