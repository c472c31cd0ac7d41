"""Reads of repeated findings, each starting from what the user may see (ledger/access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhenggai.ledger.access import round_scope
from zhenggai.ledger.models import InspectionRound, Problem
from zhenggai.oversight.filters import DashboardFilters
from zhenggai.repeats.models import FollowUp, LinkStatus, RepeatLink

# A link counts as a repeat unless a person dismissed it.
STANDING = ~Q(status=LinkStatus.DISMISSED)


def filtered_rounds(filters: DashboardFilters, prefix: str = "") -> Q:
    """The dashboard's round filters (year, kind, group) over InspectionRound reached by `prefix`."""
    q = Q()
    if filters.year:
        q &= Q(**{f"{prefix}feedback_date__year": filters.year})
    if filters.kind:
        q &= Q(**{f"{prefix}kind": filters.kind})
    if filters.group:
        q &= Q(**{f"{prefix}inspecting_group_id": filters.group})
    return q


def category_filter(code: str, field: str = "category") -> Q:
    """Problems of a category code, its sub-categories included ("conduct" takes "conduct.x")."""
    if not code:
        return Q()
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


@dataclass(frozen=True)
class LinkView:
    link: RepeatLink
    other: Problem  # the problem at the link's other end, with its round and unit


@dataclass(frozen=True)
class ProblemRepeats:
    """A problem's links both ways, only those whose other end the user may see."""

    earlier: list[LinkView]  # the earlier findings this problem repeats
    later: list[LinkView]  # the later findings that repeat this one

    @property
    def repeated(self) -> bool:
        return any(v.link.status != LinkStatus.DISMISSED for v in self.earlier)

    def __bool__(self) -> bool:
        return bool(self.earlier or self.later)


def problem_repeats(user, problem: Problem) -> ProblemRepeats:
    """The links of a problem (which the caller has checked the user may see).

    The links both ways in one plain query (most problems have none, and then it is the only
    one); where there are some, the problems at their other ends that the user may see, with
    their rounds and units, in a second."""
    links = list(
        RepeatLink.objects.filter(Q(newer_id=problem.pk) | Q(earlier_id=problem.pk))
        .select_related("decided_by")
        .order_by("-similarity", "pk")
    )
    if not links:
        return ProblemRepeats(earlier=[], later=[])
    other_ids = {link.earlier_id if link.newer_id == problem.pk else link.newer_id for link in links}
    others = Problem.objects.filter(round_scope(user, "round__"), pk__in=other_ids).select_related(
        "round__inspected_unit"
    )
    seen = {p.pk: p for p in others}
    earlier = [
        LinkView(link, seen[link.earlier_id])
        for link in links
        if link.newer_id == problem.pk and link.earlier_id in seen
    ]
    later = [
        LinkView(link, seen[link.newer_id])
        for link in links
        if link.earlier_id == problem.pk and link.newer_id in seen
    ]
    return ProblemRepeats(earlier=earlier, later=later)


def repeated_findings(
    user, filters: DashboardFilters, unit: int | None = None, office: int | None = None
) -> QuerySet[RepeatLink]:
    """The standing links whose later finding is in a round the user may see that matches the
    filters (and `unit`, the inspected unit, or `office`, the office that follows the round), and
    whose earlier finding the user may see too; newest round first."""
    visible = InspectionRound.objects.filter(round_scope(user)).values("pk")
    links = RepeatLink.objects.filter(
        STANDING,
        filtered_rounds(filters, "newer__round__"),
        category_filter(filters.category, "newer__category"),
        newer__round__in=visible,
        earlier__round__in=visible,
    )
    if unit is not None:
        links = links.filter(newer__round__inspected_unit_id=unit)
    if office is not None:
        links = links.filter(newer__round__office_id=office)
    return links.select_related("newer__round__inspected_unit", "earlier__round").order_by(
        "-newer__round__feedback_date", "newer__round_id", "newer__position", "-similarity"
    )


def repeat_counts_by_unit(user, filters: DashboardFilters) -> dict[int, int]:
    """Inspected unit id → its repeated findings (later problems with a standing link to an
    earlier one the user may see) in the rounds the user may see that match `filters`: one query."""
    visible = InspectionRound.objects.filter(round_scope(user)).values("pk")
    # Read from the links (few), the earlier round's visibility asked of each: `earlier__round IN
    # (…)` would have the database list every problem of the visible rounds to find them.
    earlier_seen = Exists(InspectionRound.objects.filter(round_scope(user), pk=OuterRef("earlier__round_id")))
    repeated = Problem.objects.filter(
        filtered_rounds(filters, "round__"),
        category_filter(filters.category),
        round__in=visible,
        pk__in=RepeatLink.objects.filter(STANDING, earlier_seen).values("newer_id"),
    )
    rows = (
        repeated.order_by()
        .values("round__inspected_unit_id")
        .annotate(n=Count("pk"))
        .values_list("round__inspected_unit_id", "n")
    )
    return dict(rows)


MAX_EARLIER_SHOWN = 500


def earlier_findings(user, problem: Problem) -> list[Problem]:
    """The findings of the earlier rounds of the problem's unit that the user may see, newest
    round first, for a person to name the one a problem repeats (at most MAX_EARLIER_SHOWN)."""
    from zhenggai.repeats.services import earlier_rounds

    rounds = InspectionRound.objects.filter(round_scope(user), earlier_rounds(problem.round))
    return list(
        Problem.objects.filter(round__in=rounds.values("pk"))
        .exclude(statement="")
        .select_related("round")
        .order_by("-round__feedback_date", "round_id", "position")[:MAX_EARLIER_SHOWN]
    )


def follow_up_of(round_: InspectionRound) -> FollowUp | None:
    """The earlier round this round looks back on (回头看), if it is one."""
    return FollowUp.objects.filter(round=round_).select_related("follows").first()
