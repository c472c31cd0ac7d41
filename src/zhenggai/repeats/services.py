"""Writes of repeated findings: the sketches of a round's statements, the links the rule finds,
a person's confirmation or dismissal, and the creation of a 回头看 round from an earlier one."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.core.repeats import match_repeats, repeat_bands, statement_pieces
from zhenggai.history import services as history
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import DONE_STATES, InspectionRound, Measure, MeasureKind, Problem
from zhenggai.ledger.services import measure_create, problem_create, round_create, unit_names
from zhenggai.repeats.models import (
    FollowUp,
    FollowUpItem,
    FoundBy,
    LinkStatus,
    ProblemSketch,
    RepeatLink,
)


def problems_sketch(
    problems: Iterable[Problem], names: list[str], memo: dict[str, tuple[int, ...]] | None = None
) -> dict[int, list[str]]:
    """Keep the MinHash bands of these problems' statements (replacing any kept before); return
    them. `memo`: hashed pieces shared with other calls (see core.repeats.match_repeats)."""
    memo = {} if memo is None else memo
    bands = {p.pk: repeat_bands(statement_pieces(p.statement, names), memo) for p in problems}
    ProblemSketch.objects.filter(problem_id__in=list(bands)).delete()
    ProblemSketch.objects.bulk_create(
        [ProblemSketch(problem_id=pk, band=band) for pk, found in bands.items() for band in found]
    )
    return bands


def earlier_rounds(round_: InspectionRound) -> Q:
    """The rounds a round's findings are matched against: those of the same inspected unit that
    were fed back before it (or, undated, recorded before it). Only the unit itself: a finding of
    its parent body or of one of its departments is another body's, even when the words agree."""
    before = Q(created_at__lt=round_.created_at) | Q(created_at=round_.created_at, pk__lt=round_.pk)
    if round_.feedback_date is not None:
        before = Q(feedback_date__lt=round_.feedback_date) | Q(
            feedback_date=round_.feedback_date, pk__lt=round_.pk
        )
        before |= Q(feedback_date__isnull=True, created_at__lt=round_.created_at)
    return Q(inspected_unit_id=round_.inspected_unit_id) & before & ~Q(pk=round_.pk)


@transaction.atomic
def round_repeats_refresh(
    *, round_: InspectionRound, memo: dict[str, tuple[int, ...]] | None = None
) -> list[RepeatLink]:
    """Sketch a round's findings and link each to the findings of the unit's earlier rounds it
    repeats (`core.repeats`), and the findings of the unit's later rounds to those it repeats;
    return the links made now. A pair linked before — suggested,
    confirmed or dismissed — is left as it is, so that a person's decision stands.

    Runs inside the transaction that commits the round (ledger.services.round_import_ledger): it
    reads one unit's earlier findings through the band index, a handful of queries whatever the
    size of the province, and the round is never seen without its links."""
    names = unit_names(round_.pk)
    findings = list(
        Problem.objects.filter(round=round_).exclude(statement="").only("pk", "statement", "category")
    )
    memo = {} if memo is None else memo
    bands = problems_sketch(findings, names, memo)
    wanted = {band for found in bands.values() for band in found}
    if not wanted:
        return []
    # The unit's other rounds first (a few): their findings' bands are then read by the
    # (problem, band) key, not by bands that thousands of the province's findings may share.
    others = InspectionRound.objects.filter(inspected_unit_id=round_.inspected_unit_id).exclude(pk=round_.pk)
    earlier_rounds_ = set(others.filter(earlier_rounds(round_)).values_list("pk", flat=True))
    later_rounds = set(others.values_list("pk", flat=True)) - earlier_rounds_
    if not earlier_rounds_ and not later_rounds:
        return []
    sharing = ProblemSketch.objects.filter(
        band__in=wanted, problem__round_id__in=earlier_rounds_ | later_rounds
    )
    rows = Problem.objects.filter(pk__in=sharing.values("problem_id")).values_list(
        "pk", "round_id", "category", "statement"
    )
    mine = [(p.pk, p.category, p.statement) for p in findings]
    earlier = [(pk, cat, text) for pk, round_id, cat, text in rows if round_id in earlier_rounds_]
    later = [(pk, cat, text) for pk, round_id, cat, text in rows if round_id in later_rounds]
    # This round's findings against the earlier rounds', and — for a round recorded after a later
    # one (an old report imported late) — the later rounds' findings against this round's.
    found = match_repeats(earlier, mine, names, memo) + match_repeats(mine, later, names, memo)
    ids = [p.pk for p in findings]
    known = set(
        RepeatLink.objects.filter(Q(newer_id__in=ids) | Q(earlier_id__in=ids)).values_list(
            "newer_id", "earlier_id"
        )
    )
    links = [
        RepeatLink(newer_id=r.new_id, earlier_id=r.earlier_id, similarity=r.similarity, found_by=FoundBy.RULE)
        for r in found
        if (r.new_id, r.earlier_id) not in known
    ]
    RepeatLink.objects.bulk_create(links)
    return links


@transaction.atomic
def link_decide(*, link: RepeatLink, actor, confirm: bool, reason: str) -> RepeatLink:
    """A person confirms a suggested link (the finding is a repeat) or dismisses it (it is not),
    with a reason; recorded in the history. A dismissed link is kept, so the rule does not suggest
    it again."""
    reason = (reason or "").strip()
    if not confirm and not reason:
        raise LedgerError(_("Say why this is not the same finding."))
    locked = RepeatLink.objects.select_for_update().get(pk=link.pk)
    before = locked.status
    locked.status = LinkStatus.CONFIRMED if confirm else LinkStatus.DISMISSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    history.record(
        actor=actor,
        action="repeat.confirm" if confirm else "repeat.dismiss",
        obj=locked,
        round_id=Problem.objects.filter(pk=locked.newer_id).values_list("round_id", flat=True).first(),
        payload={
            "newer": locked.newer_id,
            "earlier": locked.earlier_id,
            "similarity": locked.similarity,
            "fields": {"status": [before, locked.status]},
            "reason": reason,
        },
    )
    return locked


@transaction.atomic
def link_add(*, newer: Problem, earlier: Problem, actor, reason: str) -> RepeatLink:
    """A person names an earlier finding that a later one repeats (one the rule did not find)."""
    if newer.round.inspected_unit_id != earlier.round.inspected_unit_id or newer.pk == earlier.pk:
        raise LedgerError(_("A repeated finding links two rounds of the same unit."))
    link, _created = RepeatLink.objects.update_or_create(
        newer=newer,
        earlier=earlier,
        defaults={
            "similarity": 0.0,
            "found_by": FoundBy.PERSON,
            "status": LinkStatus.CONFIRMED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "reason": reason.strip(),
        },
    )
    history.record(
        actor=actor,
        action="repeat.add",
        obj=link,
        round_id=newer.round_id,
        payload={"newer": newer.pk, "earlier": earlier.pk, "reason": reason.strip()},
    )
    return link


def checklist_measures(round_: InspectionRound):
    """What a 回头看 of `round_` checks again: its measures not done yet, and its long-term ones
    (长期坚持, done or not), in the document's order."""
    return (
        Measure.objects.filter(round=round_)
        .filter(~Q(status__in=DONE_STATES) | Q(kind=MeasureKind.LONG_TERM))
        .select_related("problem")
        .order_by("problem__position", "position", "pk")
    )


@transaction.atomic
def follow_up_create(
    *, earlier: InspectionRound, actor, title: str = "", feedback_date: datetime.date | None = None
) -> InspectionRound:
    """A 回头看 round of the same unit, followed by the same office, whose checklist is `earlier`'s
    open and long-term measures: each problem that has some becomes a problem of the new round
    (linked to its origin as a confirmed repeat, found by the follow-up), and each such measure a
    measure under it (linked to its origin measure). Every record is written through the ledger's
    services, so the history holds each, and the follow-up itself is recorded."""
    items = list(checklist_measures(earlier))
    if not items:
        raise LedgerError(_("This round has no open or long-term measures to look back on."))
    new_round = round_create(
        actor=actor,
        action="round.follow_up",
        payload={"follows": earlier.pk},
        kind=earlier.kind,
        title=(title or "").strip() or _("%(title)s (follow-up)") % {"title": earlier.title},
        office=earlier.office,
        inspecting_group=earlier.inspecting_group,
        inspected_unit=earlier.inspected_unit,
        feedback_date=feedback_date,
    )
    follow_up = FollowUp.objects.create(round=new_round, follows=earlier, created_by=actor)
    copies: dict[int, Problem] = {}
    origin_items = []
    for position, measure in enumerate(items, start=1):
        origin = measure.problem
        problem = copies.get(origin.pk)
        if problem is None:
            problem = copies[origin.pk] = problem_create(
                round_=new_round,
                actor=actor,
                label=f"{len(copies) + 1}.",
                number=len(copies) + 1,
                level=1,
                position=len(copies) + 1,
                title=origin.title,
                statement=origin.statement or origin.title,
                category=origin.category,
            )
        copy = measure_create(
            problem=problem,
            actor=actor,
            position=position,
            text=measure.text,
            kind=measure.kind,
            responsible_leader=measure.responsible_leader,
            lead_department=measure.lead_department,
            doer=measure.doer,
            cooperating_departments=list(measure.cooperating_departments.all()),
        )
        origin_items.append(FollowUpItem(follow_up=follow_up, measure=copy, origin=measure))
    FollowUpItem.objects.bulk_create(origin_items)
    now = timezone.now()
    RepeatLink.objects.bulk_create(
        [
            RepeatLink(
                newer=problem,
                earlier_id=origin_id,
                similarity=1.0,
                found_by=FoundBy.FOLLOW_UP,
                status=LinkStatus.CONFIRMED,
                decided_by=actor,
                decided_at=now,
            )
            for origin_id, problem in copies.items()
        ]
    )
    problems_sketch(list(copies.values()), unit_names(new_round.pk))
    history.record(
        actor=actor,
        action="round.follow_up_checklist",
        obj=new_round,
        payload={
            "follows": earlier.pk,
            "problems": {str(p.pk): origin_id for origin_id, p in copies.items()},
            "measures": {str(i.measure.pk): i.origin.pk for i in origin_items},
        },
    )
    return new_round
