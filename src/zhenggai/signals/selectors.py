"""Reads of the quality signals, always scoped to what the user may see (ledger/access.py) and
filtered like the oversight dashboard (oversight/filters.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from zhenggai.core.signals import key_terms
from zhenggai.ledger import rollup
from zhenggai.ledger.access import memberships_of, roles_for, round_scope, subtree_ids
from zhenggai.ledger.models import InspectionRound, Measure
from zhenggai.ledger.quality import MeasureQuality, measures_quality
from zhenggai.ledger.selectors import LedgerFilters, round_filter_q
from zhenggai.ledger.workflow import Action, actions_for_roles
from zhenggai.orgs.models import Role
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.signals.models import (
    DismissalAction,
    SignalDismissal,
    SignalFlag,
    SignalKey,
    SignalRollup,
    SignalTally,
)
from zhenggai.taxonomy.selectors import category_q


def _active_dismissals() -> QuerySet[SignalDismissal]:
    """Dismissals in force: not themselves an undo, and not undone since."""
    return SignalDismissal.objects.filter(action=DismissalAction.DISMISS, undone_by__isnull=True)


def visible_flags(
    user, filters: DashboardFilters, unit: int | None = None, *, dismissed: bool = False
) -> QuerySet[SignalFlag]:
    """The flags on measures the user may see, within the filters; undismissed ones (or, with
    `dismissed`, those dismissed). A copy counts only towards a round the user may see too."""
    flags = SignalFlag.objects.filter(round_scope(user, "round__"))
    if filters.year:
        flags = flags.filter(round__feedback_date__year=filters.year)
    if filters.kind:
        flags = flags.filter(round__kind=filters.kind)
    if filters.group:
        flags = flags.filter(round__inspecting_group_id=filters.group)
    if filters.category:
        flags = flags.filter(category_q(filters.category, "measure__problem__category"))
    if unit:
        flags = flags.filter(round__inspected_unit_id=unit)
    visible_rounds = InspectionRound.objects.filter(round_scope(user)).values("pk")
    flags = flags.filter(~Q(key=SignalKey.COPY) | Q(partner_round_id__in=visible_rounds))
    in_force = Exists(_active_dismissals().filter(measure_id=OuterRef("measure_id"), key=OuterRef("key")))
    return flags.filter(in_force) if dismissed else flags.exclude(in_force)


def _whole_offices(user) -> Q | None:
    """A Q over InspectionRound: the rounds of offices the user sees whole (every round they
    follow), whose copies towards the same office are therefore visible; None: everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    q = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role in (Role.OFFICE_STAFF, Role.SUPERVISOR):
            q |= Q(office_id__in=subtree_ids(m.organisation.path))
    return q


def signal_counts(user, filters: DashboardFilters, unit: int | None = None) -> dict[str, int]:
    """Signal key → the number of measures the user may see flagged with it and not dismissed,
    within the filters (as `visible_flags` lists them): one query, whatever the filters.

    Summed from `SignalTally` over the rounds in view; the copies it does not keep (those whose
    partner rounds are all in other offices, and any copy in a round whose office the user does not
    see whole, where a partner may be out of sight) are counted from their flags, which are few."""
    rounds = InspectionRound.objects.filter(
        round_scope(user),
        round_filter_q(LedgerFilters(year=filters.year, kind=filters.kind, group=filters.group)),
    )
    if unit:
        rounds = rounds.filter(inspected_unit_id=unit)
    whole = _whole_offices(user)
    in_whole = rounds if whole is None else rounds.filter(whole)
    elsewhere = rounds.filter(pk__in=[]) if whole is None else rounds.exclude(whole)
    reach = rollup.office_reach_only(user) if unit is None else None
    kept: QuerySet
    if reach is not None:
        # An office's staff: from the office rollup (a few thousand rows at a province, not the
        # rows of every round); its rows name the office, so `whole` selects them as rounds.
        kept = SignalRollup.objects.filter(reach, filters.cell_q())
        if whole is not None:
            kept = kept.filter(~Q(key=SignalKey.COPY) | whole)
    else:
        kept = SignalTally.objects.filter(round_id__in=rounds.values("pk")).filter(
            ~Q(key=SignalKey.COPY) | Q(round_id__in=in_whole.values("pk"))
        )
    # The partner's visibility asked of each copy found (few), never searched by: `partner_round IN
    # (…)` would lead the database through every copy of the office by the partner's index.
    partner_seen = Exists(InspectionRound.objects.filter(round_scope(user), pk=OuterRef("partner_round_id")))
    in_force = Exists(_active_dismissals().filter(measure_id=OuterRef("measure_id"), key=OuterRef("key")))
    copies = SignalFlag.objects.filter(partner_seen, key=SignalKey.COPY).exclude(in_force)
    if filters.category:
        kept = kept.filter(category_q(filters.category))
        copies = copies.filter(category_q(filters.category, "measure__problem__category"))
    # Copies towards other offices only, in rounds of offices seen whole (the tally has the rest);
    # `IN (true)`, not the bare column SQLite is given for `=True`, so that its index is used.
    near = SignalFlag.objects.filter(
        measure_id=OuterRef("measure_id"), key=SignalKey.COPY, other_office=False
    )
    far = copies.filter(other_office__in=[True], round_id__in=in_whole.values("pk")).exclude(Exists(near))
    # Every copy of the rounds seen only in part.
    partial = copies.filter(round_id__in=elsewhere.values("pk"))
    rows = (
        kept.order_by()
        .values_list("key")
        .annotate(n=Sum("count"))
        .union(
            far.order_by().values_list("key").annotate(n=Count("measure_id", distinct=True)),
            partial.order_by().values_list("key").annotate(n=Count("measure_id", distinct=True)),
            all=True,
        )
    )
    counts = dict.fromkeys(SignalKey.values, 0)
    for key, n in rows:
        counts[key] += n or 0
    return counts


def flagged_measures(
    user, key: str, filters: DashboardFilters, unit: int | None = None, *, dismissed: bool = False
) -> QuerySet[Measure]:
    """The measures flagged with `key` (see `visible_flags`), newest round first."""
    flags = visible_flags(user, filters, unit, dismissed=dismissed).filter(key=key)
    return (
        Measure.objects.filter(pk__in=flags.values("measure_id"))
        .select_related(
            "problem", "round", "round__inspected_unit", "round__office", "round__inspecting_group"
        )
        .order_by("-round__feedback_date", "round_id", "problem__position", "position", "pk")
    )


@dataclass
class FlaggedRow:
    measure: Measure
    may_dismiss: bool
    detail: dict[str, Any] = field(default_factory=dict)
    quality: MeasureQuality | None = None
    terms: list[str] = field(default_factory=list)  # the problem's key terms (unrelated measures)
    dismissal: SignalDismissal | None = None


def may_dismiss(user, round_: InspectionRound) -> bool:
    """Office staff of the round judge its signals (Action.CLOSE: who decides on closing decides
    whether a signal needs action); supervisors, administrators and the unit's people read them."""
    return Action.CLOSE in actions_for_roles(roles_for(user, round_))


def flagged_rows(user, key: str, measures: list[Measure], *, dismissed: bool = False) -> list[FlaggedRow]:
    """What the list shows of each measure of a page: a few queries for the whole page."""
    ids = [m.pk for m in measures]
    details: dict[int, dict[str, Any]] = {}
    for measure_id, detail in SignalFlag.objects.filter(measure_id__in=ids, key=key).values_list(
        "measure_id", "detail"
    ):
        details.setdefault(measure_id, detail)
    quality = measures_quality(user, measures) if key in (SignalKey.SLOGAN, SignalKey.COPY) else {}
    dismissals: dict[int, SignalDismissal] = {}
    if dismissed:
        for d in _active_dismissals().filter(measure_id__in=ids, key=key).select_related("actor"):
            dismissals.setdefault(d.measure_id, d)
    rows = []
    for m in measures:
        terms = (
            sorted(key_terms(f"{m.problem.title}{m.problem.statement}")) if key == SignalKey.UNRELATED else []
        )
        rows.append(
            FlaggedRow(
                measure=m,
                may_dismiss=may_dismiss(user, m.round),
                detail=details.get(m.pk, {}),
                quality=quality.get(m.pk),
                terms=terms[:12],
                dismissal=dismissals.get(m.pk),
            )
        )
    return rows
