"""The counts the office's pages read (`MeasureTally`), kept by the writes that change them.

A round's rows say how many of its measures are in each status and light: one row for the whole
round, one per problem category, one per department leading or cooperating on a measure (a
measure counts once per distinct department) and one per department and category. Besides the cells (`CELLS`), a row keeps counts
that do not depend on the day (`EXTRA`): long-term measures, measures done without evidence and,
on round and category rows, the problems found. The lights are those of one day, `TallyClock.as_of`:

- every service that creates measures or problems, changes a measure's status, deadline, kind (long
  term) or departments, a problem's category, or attaches evidence calls `tally_refresh` with the rounds it touched, in its own transaction: their rows are counted
  again (one grouped query per kind, ~130 measures a round) as of the stored day;
- the daily task (`tally_rollover`) recounts the rounds whose lights changed since and moves the
  day on; a page read before it ran adds the change itself (`round_cells`, one narrow query);
- `tally_rebuild` counts everything again (the migration, a restore, the demo, the benchmark);
  `zhenggai verify --counts` compares the rows with a recount (`tally_differences`);
- the same refreshes move the office rollup (`ledger.rollup`: the round and category rows summed
  per office, group, kind and year) by the difference they make.

Besides the pages' readers (`round_cells`), two read the rows inside another query, as SQL, for
我的待办: `done_count` (a done state's cell does not depend on the day) and `overdue_by_round` (the
red cells, corrected by the measures whose deadline the days since the stored day crossed). Both
count live, in the same SQL, when no tally is kept (no clock row).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import chain

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhenggai.ledger.access import roles_for, round_measures, round_scope
from zhenggai.ledger.lights import DONE, LIGHTS, OPEN, light_expression, yellow_days
from zhenggai.ledger.models import (
    EvidenceFile,
    InspectionRound,
    Measure,
    MeasureTally,
    Problem,
    TallyClock,
    TallyKind,
)
from zhenggai.prepared import Prepared

# The columns of a tally row: open states by light, done states alone (a done measure is green).
CELLS: list[str] = [f"{status}_{light}" for status in OPEN for light in LIGHTS] + list(DONE)
CELL_STATUS: dict[str, str] = {cell: cell.rsplit("_", 1)[0] if cell not in DONE else cell for cell in CELLS}
CELL_LIGHT: dict[str, str] = {cell: "green" if cell in DONE else cell.rsplit("_", 1)[1] for cell in CELLS}
# The counts of a row that do not depend on the day (see MeasureTally): long-term measures, measures
# done without evidence, and (round and category rows) problems found.
EXTRA: list[str] = ["long_term", "done_no_evidence", "problems"]
COLUMNS: list[str] = CELLS + EXTRA
# A page more than this many days from the stored day counts live instead of correcting.
MAX_SHIFT_DAYS = 31

Key = tuple[int, str, str]  # (round id, kind, key)
Cells = dict[str, int]


def department_category_key(category: str | None, department_id: object) -> str:
    """The key of a DEPARTMENT_CATEGORY row: the category's code first (a category filter selects
    its rows and its sub-categories' by prefix), then the department."""
    return f"{category or ''}|{department_id}"


def cell(status: str, light: str) -> str:
    """The column counting measures in `status` with `light` (a done measure's is its status's)."""
    return status if status in DONE else f"{status}_{light}"


# --- Counting -------------------------------------------------------------------------------------


def _grouped(
    rows: QuerySet, as_of: datetime.date, days: int, group: str, prefix: str = "", also: str = ""
) -> Iterator[dict]:
    """(round, status, light, `group` [, `also`]) and how many measures, of them how many long term
    and how many done without evidence, from `rows` reaching Measure by `prefix`."""
    no_evidence = Q(**{f"{prefix}status__in": DONE}) & ~Q(
        Exists(EvidenceFile.objects.filter(measure=OuterRef(f"{prefix}pk")))
    )
    return iter(
        rows.order_by()
        .annotate(
            tally_round=F(f"{prefix}round_id"),
            tally_status=F(f"{prefix}status"),
            tally_light=light_expression(as_of, prefix, days),
            tally_key=F(group),
            tally_also=F(also) if also else Value(""),
        )
        .values("tally_round", "tally_status", "tally_light", "tally_key", "tally_also")
        .annotate(
            n=Count("pk"),
            long_term=Count("pk", filter=Q(**{f"{prefix}long_term": True})),
            done_no_evidence=Count("pk", filter=no_evidence),
        )
    )


def recount(round_ids: Iterable[int] | None, as_of: datetime.date, days: int) -> dict[Key, Cells]:
    """The tally rows of `round_ids` (all rounds: None) counted from the measures, lights as of
    `as_of` with `days` yellow days, with their EXTRA counts. Only rows with a measure or (round and
    category rows) a problem found are returned."""
    measures = Measure.objects.all()
    through = Measure.cooperating_departments.through.objects.all()
    if round_ids is not None:
        measures = measures.filter(round_id__in=list(round_ids))
        through = through.filter(measure__round_id__in=list(round_ids))
    problems = Problem.objects.exclude(statement="")
    if round_ids is not None:
        problems = problems.filter(round_id__in=list(round_ids))
    counted: dict[Key, Cells] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))

    def add(kind: str, key: object, row: dict) -> None:
        cells = counted[(row["tally_round"], kind, "" if key is None else str(key))]
        cells[cell(row["tally_status"], row["tally_light"])] += row["n"]
        cells["long_term"] += row["long_term"]
        cells["done_no_evidence"] += row["done_no_evidence"]

    for row in _grouped(measures, as_of, days, "problem__category"):
        add(TallyKind.ROUND, None, row)
        add(TallyKind.CATEGORY, row["tally_key"], row)
    # A department's rows: all its measures, and those of each category (DEPARTMENT_CATEGORY).
    leading = _grouped(
        measures.filter(lead_department__isnull=False),
        as_of,
        days,
        "lead_department_id",
        also="problem__category",
    )
    # A cooperating department that also leads the measure is counted once, as its lead.
    cooperating = _grouped(
        through.filter(
            Q(measure__lead_department__isnull=True) | ~Q(organisation_id=F("measure__lead_department_id"))
        ),
        as_of,
        days,
        "organisation_id",
        prefix="measure__",
        also="measure__problem__category",
    )
    for row in chain(leading, cooperating):
        add(TallyKind.DEPARTMENT, row["tally_key"], row)
        add(TallyKind.DEPARTMENT_CATEGORY, department_category_key(row["tally_also"], row["tally_key"]), row)
    found = problems.order_by().values_list("round_id", "category").annotate(n=Count("pk"))
    for round_id, category, n in found:
        counted[(round_id, TallyKind.ROUND, "")]["problems"] += n
        counted[(round_id, TallyKind.CATEGORY, category or "")]["problems"] += n
    return dict(counted)


def _rows(counted: dict[Key, Cells]) -> list[MeasureTally]:
    return [
        MeasureTally(round_id=round_id, kind=kind, key=key, **cells)
        for (round_id, kind, key), cells in counted.items()
    ]


# --- Keeping the rows -------------------------------------------------------------------------------

# The rounds a batch of writes touched, refreshed once at its end (see `tally_deferred`).
_pending: ContextVar[set[int] | None] = ContextVar("tally_pending", default=None)


def _clock(*, lock: bool) -> TallyClock | None:
    clocks = TallyClock.objects.select_for_update() if lock else TallyClock.objects
    return clocks.filter(pk=1).first()


def _recount_rounds(ids: list[int], as_of: datetime.date, days: int) -> None:
    """Lock the rounds `ids` (in id order), then replace their rows by a recount as of `as_of`.
    Inside the caller's transaction, with the clock locked."""
    from zhenggai.ledger import rollup

    list(InspectionRound.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    # The office rollup moves by the difference: what the rounds' rows added before, taken away,
    # what they add now, added.
    places = rollup.places_of(ids)
    change = rollup.Rollup().add(rollup.stored_rows(ids), places, -1)
    MeasureTally.objects.filter(round_id__in=ids).delete()
    counted = recount(ids, as_of, days)
    MeasureTally.objects.bulk_create(_rows(counted), batch_size=2000)
    rollup.apply(change.add(counted.items(), places))


def tally_refresh(round_ids: Iterable[int]) -> None:
    """Count the rows of `round_ids` again, as of the stored day: called by every write that
    changes measures, inside its transaction (within `tally_deferred`, at the batch's end).

    Locks the clock, then the rounds: of two writers on one round the second waits and counts
    what the first committed, and the daily rollover cannot move the day between the two."""
    ids = sorted(set(round_ids))
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return
    from zhenggai.signals.services import flags_refresh

    with transaction.atomic():
        clock = _clock(lock=True)
        if clock is None:  # never counted (a fresh database): count everything once
            tally_rebuild()
        else:
            _recount_rounds(ids, clock.as_of, clock.yellow_days)
        flags_refresh(ids)  # the quality signals follow the same writes, under the same locks


@contextmanager
def tally_deferred() -> Iterator[None]:
    """Within it, `tally_refresh` only notes the rounds; they are counted once when it ends (an
    import of 130 measures counts its round once, not 130 times). Use it inside the transaction."""
    if _pending.get() is not None:  # nested: the outer batch counts
        yield
        return
    token = _pending.set(set())
    try:
        yield
        touched = _pending.get() or set()
    finally:
        _pending.reset(token)
    tally_refresh(touched)


def tally_rebuild(today: datetime.date | None = None) -> int:
    """Count every round's rows again, as of `today` with the configured yellow days. Returns the
    number of rows written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        TallyClock.objects.bulk_create(
            [TallyClock(pk=1, as_of=today, yellow_days=yellow_days())], ignore_conflicts=True
        )
        clock = TallyClock.objects.select_for_update().get(pk=1)
        clock.as_of, clock.yellow_days = today, yellow_days()
        clock.save()
        MeasureTally.objects.all().delete()
        counted = recount(None, today, clock.yellow_days)
        rows = MeasureTally.objects.bulk_create(_rows(counted), batch_size=2000)
        from zhenggai.ledger import rollup

        rollup.rebuild(counted)
    return len(rows)


def _windows(old: datetime.date, new: datetime.date, days: int) -> Q:
    """Open measures whose light differs between `old` and `new`: a deadline crossed by the day
    (red) or by the day plus the yellow days (yellow)."""
    low, high = sorted((old, new))
    span = datetime.timedelta(days=days)
    return Q(status__in=OPEN) & (
        Q(deadline__gte=low, deadline__lt=high) | Q(deadline__gt=low + span, deadline__lte=high + span)
    )


def tally_rollover(today: datetime.date | None = None) -> int:
    """Move the tally to `today` (the daily task): recount the rounds whose lights changed, then
    store the day, in one transaction. Changed yellow days, or a day far off, count everything.
    Returns the number of rounds recounted."""
    today = today or timezone.localdate()
    with transaction.atomic():
        clock = _clock(lock=True)
        if clock is None or clock.yellow_days != yellow_days() or abs((today - clock.as_of).days) > 366:
            tally_rebuild(today)
            return InspectionRound.objects.count()
        if clock.as_of == today:
            return 0
        changed = (
            Measure.objects.filter(_windows(clock.as_of, today, clock.yellow_days))
            .order_by()
            .values_list("round_id", flat=True)
            .distinct()
        )
        ids = sorted(changed)
        clock.as_of = today
        clock.save()
        _recount_rounds(ids, today, clock.yellow_days)
    return len(ids)


# --- Reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    as_of: datetime.date
    days: int


_CLOCK = Prepared(lambda: TallyClock.objects.filter(pk=1).values_list("as_of", "yellow_days").order_by()[:1])
# One round's cells of one kind and key (a round's ledger and problem pages): compiled once a process.
_ROUND_CELLS = Prepared(
    lambda round_id, kind, key: (
        MeasureTally.objects.filter(round_id=round_id, kind=kind, key=key)
        .order_by()
        .values_list("round_id", *CELLS)
    ),
    int,
    str,
    str,
)


def usable_clock(today: datetime.date) -> Clock | None:
    """The stored day if the rows can answer for `today` (corrected), else None: count live."""
    row = next(iter(_CLOCK.rows()), None)
    if row is None or row[1] != yellow_days() or abs((today - row[0]).days) > MAX_SHIFT_DAYS:
        return None
    return Clock(row[0], row[1])


def _key_filter(kind: str, key: str) -> Q:
    if kind == TallyKind.CATEGORY:
        return Q(problem__category=key)
    if kind == TallyKind.DEPARTMENT:
        return Q(lead_department_id=int(key)) | Q(cooperating_departments=int(key))
    return Q()


def light_shift(measures: QuerySet[Measure], clock: Clock, today: datetime.date, distinct: bool = False):
    """Per round, the cells to add to rows counted as of `clock.as_of` to have them as of `today`:
    {round id: {cell: delta}}, from the open measures of `measures` whose deadline lies in the
    windows where a light changes (the (status, deadline, round) index answers)."""
    if clock.as_of == today:
        return {}
    rows = (
        measures.filter(_windows(clock.as_of, today, clock.days))
        .order_by()
        .annotate(
            was=light_expression(clock.as_of, days=clock.days), now=light_expression(today, days=clock.days)
        )
        .values("round_id", "status", "was", "now")
        .annotate(n=Count("pk", distinct=distinct))
    )
    shift: dict[int, Cells] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["was"] != row["now"]:
            shift[row["round_id"]][cell(row["status"], row["was"])] -= row["n"]
            shift[row["round_id"]][cell(row["status"], row["now"])] += row["n"]
    return shift


def _narrowed(rows: QuerySet, unit: int | None, round_ids: list[int] | None) -> QuerySet:
    """Tally rows or measures of one unit's rounds, or of `round_ids`, when given."""
    if unit is not None:
        rows = rows.filter(round__inspected_unit_id=unit)
    if round_ids is not None:
        rows = rows.filter(round_id__in=round_ids)
    return rows


def round_cells(
    user,
    today: datetime.date,
    *,
    kind: str = TallyKind.ROUND,
    key: str = "",
    round_: InspectionRound | None = None,
    unit: int | None = None,
    round_ids: list[int] | None = None,
    ordered: bool = True,
) -> list[tuple[int, Cells]] | None:
    """The cells of the rounds the user may see (`round_`, one unit's, or `round_ids`), for `kind`
    and `key`, as of `today`; in ledger order (units in tree order) if `ordered`. None when the
    rows cannot answer for `today` (see `usable_clock`): the caller counts live."""
    clock = usable_clock(today)
    if clock is None:
        return None
    values: Iterable[tuple]
    if round_ is not None and unit is None and round_ids is None:
        # One round: its reach checked on it (access.round_measures), not in SQL; one row.
        values = _ROUND_CELLS.rows(round_.pk, str(kind), key) if roles_for(user, round_) else []
    else:
        if round_ is not None:
            rows = MeasureTally.objects.filter(round=round_, kind=kind, key=key)
            if not roles_for(user, round_):  # not the user's round
                rows = rows.none()
        else:
            rows = MeasureTally.objects.filter(round_scope(user, "round__"), kind=kind, key=key)
        rows = _narrowed(rows, unit, round_ids)
        # Ledger order only when asked: it joins the units to sort by their place in the tree.
        # (One round is one row: nothing to order.)
        ordered = ordered and round_ is None
        rows = rows.order_by("round__inspected_unit__path", "round_id") if ordered else rows.order_by()
        values = rows.values_list("round_id", *CELLS)
    found = [(row[0], dict(zip(CELLS, row[1:], strict=True))) for row in values]
    if clock.as_of == today:  # today's lights: nothing to shift (and no query of it to build)
        return found
    # The same measures as the rows count, to find the lights that changed since the clock's day.
    if round_ is not None:
        measures = round_measures(user, round_)
    else:
        measures = Measure.objects.filter(round_scope(user, "round__"))
    measures = _narrowed(measures, unit, round_ids)
    shift = light_shift(measures.filter(_key_filter(kind, key)), clock, today, kind == TallyKind.DEPARTMENT)
    for round_id_, cells in found:
        for name, delta in shift.get(round_id_, {}).items():
            cells[name] += delta
    return found


def selected_sums(
    user,
    today: datetime.date,
    cells: list[str],
    *,
    kind: str = TallyKind.ROUND,
    key: str = "",
    unit: int | None = None,
) -> tuple[Cells, list[tuple[int, int]]] | None:
    """Across the rounds the user may see (one unit's, if `unit`): the sum of each of `cells`, and
    each round's sum of them where it is not 0, in ledger order (units in tree order); both added up
    by the database, so that a page of the office's ledger ships two numbers a round to Python, not
    a dict of every cell. None when the rows are not today's (their lights are then shifted round
    by round: `round_cells`)."""
    clock = usable_clock(today)
    if clock is None or clock.as_of != today or not cells:
        return None
    rows = _narrowed(
        MeasureTally.objects.filter(round_scope(user, "round__"), kind=kind, key=key), unit, None
    )
    sums = rows.order_by().aggregate(**{name: Coalesce(Sum(name), 0) for name in cells})
    selected = sum((F(name) for name in cells[1:]), F(cells[0]))
    per_round = (
        rows.annotate(selected=selected)
        .filter(selected__gt=0)
        .order_by("round__inspected_unit__path", "round_id")
        .values_list("round_id", "selected")
    )
    return sums, list(per_round)


def done_count(cells: Cells) -> int:
    return sum(cells[status] for status in DONE)


# --- Reading inside another query (我的待办) ---------------------------------------------------------


class CountOf(Subquery):
    """The number of rows of a query, as a scalar of another. It names nothing of the outer row, so
    the database counts once (PostgreSQL: an InitPlan; SQLite: a subquery run once)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class SumOf(Subquery):
    """The sum of the column `n` of a query (0 for no rows), as a scalar of another."""

    template = "(SELECT COALESCE(SUM(n), 0) FROM (%(subquery)s) summed)"
    output_field = IntegerField()


def _kept() -> Exists:
    return Exists(TallyClock.objects.filter(pk=1))


def _round_rows(rounds: QuerySet) -> QuerySet[MeasureTally]:
    return MeasureTally.objects.filter(kind=TallyKind.ROUND, key="", round_id__in=rounds).order_by()


def done_count_sql(rounds: QuerySet, status: str) -> Case:
    """How many measures of `rounds` (a query of round ids) are in the done state `status`, as an
    SQL expression: the sum of the rounds' tally cells (a done measure's cell is the same on every
    day, so the stored day does not matter), or a count of the measures when no tally is kept."""
    if status not in DONE:
        raise ValueError(f"{status!r} is not a done state: its cells depend on the day")
    return Case(
        When(_kept(), then=SumOf(_round_rows(rounds).values(n=F(status)))),
        default=CountOf(Measure.objects.filter(round_id__in=rounds, status=status).order_by().values("pk")),
        output_field=IntegerField(),
    )


def row_by_row_in(column: str, ids: QuerySet) -> Q:
    """`column IN (ids)` tested on each row as it is read, not made a join for the database to start
    from. For a set of ids as large as a province's rounds: as a join SQLite (no statistics) seeks
    every round of the set in the (round, status, deadline) index, and PostgreSQL, to keep an index's
    order, compares each row with every round of the set; inside a CASE both look the row's id up
    in the set, built once, and read the index that fits the query's order or range."""
    test = Q(**{f"{column}__in": ids})
    return Q(Case(When(test, then=Value(True)), default=Value(False), output_field=BooleanField()))


def overdue_by_round_sql(rounds: QuerySet, today: datetime.date) -> tuple[str, list]:
    """SQL of the rounds of `rounds` (a query of round ids) with open measures past their deadline on
    `today` (red), and how many: rows (round_id, overdue), overdue > 0, in no order.

    Summed by round from: the tally's red cells as of its day; +1 for each open measure whose
    deadline the days from the stored day to `today` crossed ([as_of, today)), −1 for each the days
    back uncrossed ([today, as_of)), both ranges of the (status, deadline, round) index. Red does not
    depend on the yellow days, so any stored day answers exactly. With no tally kept (no clock) the
    first range starts at the beginning of time: every red measure is counted."""
    as_of = Subquery(TallyClock.objects.filter(pk=1).values("as_of")[:1], output_field=DateField())
    since = Coalesce(as_of, Value(datetime.date.min), output_field=DateField())
    open_measures = Measure.objects.filter(row_by_row_in("round_id", rounds), status__in=OPEN).order_by()
    parts = [
        _round_rows(rounds).filter(_kept()).values("round_id", n=F("not_started_red") + F("in_progress_red")),
        open_measures.filter(deadline__gte=since, deadline__lt=today).values("round_id", n=Value(1)),
        open_measures.filter(deadline__gte=today, deadline__lt=as_of).values("round_id", n=Value(-1)),
    ]
    sqls: list[str] = []
    params: list = []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        sqls.append(sql)
        params.extend(part_params)
    union = " UNION ALL ".join(sqls)
    qn = connection.ops.quote_name
    # Django's own SQL with its parameters kept apart: nothing of the user's is pasted in.
    sql = (
        f"SELECT parts.{qn('round_id')} AS round_id, SUM(parts.n) AS overdue"  # noqa: S608
        f" FROM ({union}) parts GROUP BY parts.{qn('round_id')} HAVING SUM(parts.n) > 0"
    )
    return sql, params


def light_count(cells: Cells, light: str) -> int:
    return sum(n for name, n in cells.items() if CELL_LIGHT[name] == light)


# --- Checking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyDifference:
    round_id: int
    kind: str
    key: str
    cell: str
    stored: int
    recounted: int


def tally_differences() -> list[TallyDifference]:
    """Every cell where the stored rows differ from a recount of all measures, as of the stored day
    (no clock with rows stored is itself a difference of each: nothing says for which day)."""
    clock = TallyClock.objects.filter(pk=1).first()
    as_of = clock.as_of if clock else timezone.localdate()
    days = clock.yellow_days if clock else yellow_days()
    recounted = recount(None, as_of, days)
    stored = {
        (values[0], values[1], values[2]): dict(zip(COLUMNS, values[3:], strict=True))
        for values in MeasureTally.objects.values_list("round_id", "kind", "key", *COLUMNS)
    }
    zero = dict.fromkeys(COLUMNS, 0)
    differences = []
    for round_id, kind, key in sorted(set(recounted) | set(stored)):
        mine, theirs = stored.get((round_id, kind, key), zero), recounted.get((round_id, kind, key), zero)
        for name in COLUMNS:
            if mine[name] != theirs[name]:
                differences.append(TallyDifference(round_id, kind, key, name, mine[name], theirs[name]))
    # The office rollup against the rollup of the recount (round 0: a row of no one round).
    from zhenggai.ledger import rollup

    for row, name, mine_n, theirs_n in rollup.differences(recounted):
        differences.append(TallyDifference(0, "rollup", row, name, mine_n, theirs_n))
    return differences
