"""After migration ledger.0014 rewrote old categories, the history is told, and `verify` agrees."""

from __future__ import annotations

from django.core.management import call_command

from zhenggai.history.models import HistoryEntry
from zhenggai.history.report import Kind
from zhenggai.history.verify import verify
from zhenggai.ledger.models import Problem
from zhenggai.ledger.services import problem_create


def test_the_rewritten_categories_are_recorded_and_a_tampered_one_is_not(cast, capsys):
    old = {
        value: problem_create(
            round_=cast.a.round, actor=None, title=f"旧{value}", statement="问题", category=value
        )
        for value in ("party_leadership", "main_responsibility", "finance")
    }
    # What the migration does (a migration writes no history), and a change behind everyone's back.
    Problem.objects.filter(pk=old["party_leadership"].pk).update(category="decisions")
    Problem.objects.filter(pk=old["main_responsibility"].pk).update(category="responsibility")
    Problem.objects.filter(pk=old["finance"].pk).update(category="decisions")
    assert not verify().ok

    call_command("record_category_codes")
    assert "recorded 2" in capsys.readouterr().out
    entries = HistoryEntry.objects.filter(action="problem.category")
    assert {int(e.object_id): e.payload["fields"]["category"] for e in entries} == {
        old["party_leadership"].pk: ["party_leadership", "decisions"],
        old["main_responsibility"].pk: ["main_responsibility", "responsibility"],
    }
    report = verify(locate_all=True)
    # Only the category changed another way is still a finding.
    assert [(f.kind, f.record.split()[-2:], f.fields) for f in report.findings] == [
        (Kind.RECORD_CHANGED, ["ledger.problem", f"#{old['finance'].pk}"], ("category",))
    ]

    call_command("record_category_codes")  # once: nothing more to record
    assert "recorded 0" in capsys.readouterr().out
