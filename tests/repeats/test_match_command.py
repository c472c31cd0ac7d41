"""`zhenggai match_repeats` links the repeats of rounds recorded before the rule, as the import does."""

from __future__ import annotations

from django.core.management import call_command

from zhenggai.repeats.models import ProblemSketch, RepeatLink


def test_the_command_finds_again_what_the_import_found(demo, capsys):
    found = set(RepeatLink.objects.values_list("newer_id", "earlier_id", "similarity"))
    assert found
    RepeatLink.objects.all().delete()
    ProblemSketch.objects.all().delete()
    call_command("match_repeats")
    assert set(RepeatLink.objects.values_list("newer_id", "earlier_id", "similarity")) == found
    assert f"{len(found)} repeated finding(s) linked" in capsys.readouterr().out
    call_command("match_repeats")  # twice: nothing more
    assert RepeatLink.objects.count() == len(found)
