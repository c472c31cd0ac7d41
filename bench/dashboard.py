#!/usr/bin/env python
"""Benchmark of the oversight dashboard at a province's size, with a year of weekly snapshots.

Fills a fresh database as bench/ledger.py does (its `fill`: N units × 30 problems × 4 measures;
`--units 3000` is the province preset, 360,000 measures; no history by default, the dashboard
does not read it), then makes the data an office filters on: the rounds spread over inspecting
groups, kinds (巡察, 巡视, 审计) and two feedback years, half the problems moved to a dotted
sub-category ("conduct.eight_rules" under "conduct"). Then a year of weekly snapshots
(oversight/models.py): 51 past weeks written as rows from a drift of each measure's life (a round
appears the week of its feedback; its measures start, then are done, at weeks drawn between then
and now, so that each one ends in the state it has; lights from its deadline on each Monday),
and this week's taken by the service itself (`take_weekly_snapshot`), as the scheduler's task takes it.

Then times, in-process through Django's test Client (server time = the time of `client.get`), the
dashboard (`oversight:dashboard`; until that page exists, the trend page `oversight:trend`, which
draws the same partial) as the office's officer, with the filters: none, year, kind, group,
category, and all four together: p50 and p95 of each, the SQL queries of one request (the same
number for every filter), and the trend query alone (`weekly_trend`).

Target (issue #15): p95 ≤ 150 ms for every filter on SQLite and PostgreSQL, with a fixed number of
queries whatever the filter.

    .venv/bin/python bench/dashboard.py                              # sqlite, and postgres when reachable
    .venv/bin/python bench/dashboard.py --db sqlite --units 50 --requests 20     # a quick run
    .venv/bin/python bench/dashboard.py --units 3000 --requests 50               # the province preset
"""

from __future__ import annotations

import argparse
import datetime
import gc
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import ledger
import province
from _support import (
    database_runs,
    empty_database_engine,
    print_result,
    province_arguments,
    run_child,
    run_each,
    run_province_child,
)
from _support import say as _say

P95_TARGET_MS = 150.0
PG_BENCH_DB = "zhenggai_bench_dashboard"
WEEKS = 52
WARMUP = 5
GROUPS = 12  # inspecting groups of the office (the fill makes one; the rest are added)
# Round kinds and their shares: mostly 巡察, some 巡视 and 审计.
ROUND_KINDS = [("巡察", 0.7), ("巡视", 0.2), ("审计", 0.1)]
# Sub-categories under the fill's top-level codes (the taxonomy's codes where it has them; the
# fill's older names too; ≤ 30 characters, as the ledger's category and tally key held at first).
SUBCATEGORIES = {
    "decisions": ["major_policies", "core_business"],
    "party_leadership": ["policies", "core_business"],
    "responsibility": ["main", "supervision"],
    "main_responsibility": ["main", "oversight"],
    "conduct": ["eight_rules", "formalism"],
    "organisation": ["members", "branches"],
    "finance": ["assets", "funds"],
    "livelihood": ["benefits", "petitions"],
    "ideology": ["positions", "responsibility"],
}


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = province_arguments(__doc__.split("\n\n")[0], requests=100, each="filter")
    parser.add_argument("--time-as", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- Parent ---------------------------------------------------------------------------------------


def _run_child(label: str, url: str, args: argparse.Namespace) -> dict[str, Any] | None:
    return run_province_child(__file__, "dashboard", label, url, args)


def parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    chosen = database_runs(args.db or "auto", args.pg_admin_url, PG_BENCH_DB)
    if chosen is None:
        return 2
    runs, skipped = chosen
    _say(
        f"Zhenggai dashboard benchmark: {args.units} units × {args.problems} problems × {args.measures}"
        f" measures, {WEEKS} weekly snapshots, {args.requests} timed requests per filter;"
        f" databases: {', '.join(r[0] for r in runs) or 'none'}"
    )
    results = run_each(runs, args.pg_admin_url, args.keep, lambda label, url: _run_child(label, url, args))

    print()
    print(
        "Server time = wall time of django.test.Client.get in-process (middleware, view, queries, template;"
        " no network), as the inspection office's officer; trend = weekly_trend() alone. queries = SQL"
        " statements of one request (session and user included)."
    )
    for r in results:
        print(
            f"{r['label']}: {r['engine']} · {r['measures']:,} measures in {r['rounds']:,} rounds,"
            f" {r['groups']} groups · {r['weeks']} weekly snapshots: {r['round_rows']:,} round rows,"
            f" {r['total_rows']:,} totals · filled in {r['fill_s']:.1f} s, snapshots in {r['snapshot_s']:.1f} s"
            f" · page {r['page']} · load average {r['load'][0]:.1f} → {r['load'][1]:.1f} on {os.cpu_count()} CPUs"
        )
    print()
    header = f"{'database':<9}{'filter':<34}{'page p50':>10}{'page p95':>10}{'trend p50':>11}{'trend p95':>11}{'queries':>9}{'weeks':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        for f in r["filters"]:
            print(
                f"{r['label']:<9}{f['name']:<34}{f['p50']:>8.1f} ms{f['p95']:>8.1f} ms"
                f"{f['trend_p50']:>9.1f} ms{f['trend_p95']:>9.1f} ms{f['queries']:>9}{f['weeks']:>7}"
            )
    print()
    all_hold = bool(results)
    broken = len(results) < len(runs)
    for r in results:
        counts = {f["queries"] for f in r["filters"]}
        same = len(counts) == 1
        worst = max(f["p95"] for f in r["filters"])
        ok = worst <= P95_TARGET_MS
        all_hold &= ok and same
        broken |= not r["checked"]
        print(
            f"  {r['label']} dashboard: worst p95 {worst:.1f} ms {'≤' if ok else '>'} {P95_TARGET_MS:.0f}"
            f" {'ok' if ok else 'FAIL'}; queries per request {sorted(counts)}"
            f" {'the same for every filter, ok' if same else 'DIFFER between filters, FAIL'}"
            + ("" if r["checked"] else "; content check FAILED")
        )
    for message in skipped:
        print(message)
    print(
        f"TARGETS {'HOLD' if all_hold else 'DO NOT HOLD'}{' (postgres skipped)' if skipped else ''}:"
        f" p95 ≤ {P95_TARGET_MS:.0f} ms and a fixed number of queries on"
        f" {', '.join(r['label'] for r in results) or 'no database'} · script ran {time.perf_counter() - started:.0f} s"
    )
    return 1 if broken or (args.strict and not all_hold) else 0


# --- Child: the data an office filters on ---------------------------------------------------------


def spread_rounds(rng: random.Random, office, today: datetime.date) -> dict[str, Any]:
    """Groups, kinds and feedback dates over the fill's rounds (one group, one kind, one season), and
    half the problems moved to a sub-category of their heading's category."""
    from django.db import connection

    from zhenggai.ledger.models import InspectionRound, Problem
    from zhenggai.orgs.models import OrgKind
    from zhenggai.orgs.services import organisation_create

    groups = list(office.children.filter(kind=OrgKind.INSPECTION_GROUP))
    ordinals = "二三四五六七八九十"
    for n in range(len(groups), GROUPS):
        name = f"第{ordinals[n - 1]}巡察组" if n <= len(ordinals) else f"第{n + 1}巡察组"
        groups.append(organisation_create(name=name, kind=OrgKind.INSPECTION_GROUP, parent=office))
    rounds = list(InspectionRound.objects.order_by("pk"))
    kinds, shares = zip(*ROUND_KINDS, strict=True)
    for index, round_ in enumerate(rounds):
        round_.inspecting_group = groups[index % len(groups)]
        round_.kind = rng.choices(kinds, shares)[0]
        # A year and a half of feedback: rounds appear through the year of snapshots.
        round_.feedback_date = today - datetime.timedelta(days=rng.randint(20, 540))
    InspectionRound.objects.bulk_update(
        rounds, ["inspecting_group", "kind", "feedback_date"], batch_size=1000
    )
    moved = 0
    with connection.cursor() as cursor:
        for top, subs in SUBCATEGORIES.items():
            for remainder, sub in enumerate(subs):
                cursor.execute(
                    "UPDATE ledger_problem SET category = %s WHERE category = %s AND level = 2 AND id %% 4 = %s",
                    [f"{top}.{sub}", top, remainder],
                )
                moved += cursor.rowcount
    return {"groups": groups, "moved": moved, "problems": Problem.objects.count()}


def _light(status: str, deadline: datetime.date | None, day: datetime.date, soon: datetime.date) -> str:
    """The cell of a measure in `status` with `deadline` on `day` (ledger.lights' rule)."""
    from zhenggai.ledger.lights import DONE

    if status in DONE:
        return status
    if deadline is None:
        return f"{status}_none"
    if deadline < day:
        return f"{status}_red"
    if deadline <= soon:
        return f"{status}_yellow"
    return f"{status}_green"


PAST = WEEKS - 1  # the weeks written as rows here; this week's is the service's


def _status(life: tuple, w: int) -> str:
    from zhenggai.ledger.models import MeasureStatus

    _keys, _long_term, _deadline, _since, started, done, final = life
    return final if w >= done else MeasureStatus.IN_PROGRESS if w >= started else MeasureStatus.NOT_STARTED


def _segments(life: tuple, first: datetime.date, yellow: int) -> list[tuple[int, int, str, bool]]:
    """A measure's life over the past weeks as runs of weeks in which its cell stays the same:
    (first week, week after the last, cell, open and long term). The cell changes only where the
    measure starts or is done, or where a Monday passes its deadline less the yellow days (yellow)
    or its deadline (red)."""
    from zhenggai.ledger.lights import DONE

    _keys, long_term, deadline, since, started, done, _final = life
    if since >= PAST:
        return []
    if deadline is None:
        yellow_from = red_from = PAST
    else:
        d = (deadline - first).days
        red_from = d // 7 + 1  # the first Monday after the deadline: deadline < Monday
        yellow_from = -((yellow - d) // 7)  # the first Monday with deadline <= Monday + yellow days
    cuts = sorted({since, PAST} | {c for c in (started, done, yellow_from, red_from) if since < c < PAST})
    runs = []
    for a, b in itertools.pairwise(cuts):
        status = _status(life, a)
        if status in DONE:
            cell = status
        elif deadline is None:
            cell = f"{status}_none"
        else:
            cell = (
                f"{status}_red"
                if a >= red_from
                else f"{status}_yellow"
                if a >= yellow_from
                else f"{status}_green"
            )
        runs.append((a, b, cell, bool(long_term) and status not in DONE))
    return runs


def _check_segments(
    lives: list[tuple], mondays: list[datetime.date], yellow: int, rng: random.Random
) -> None:
    """The runs of a sample of lives against the rule applied week by week (lights' rule, _light)."""
    days = datetime.timedelta(days=yellow)
    for life in rng.sample(lives, min(len(lives), 500)):
        runs = _segments(life, mondays[0], yellow)
        for w, monday in enumerate(mondays):
            expected = None if w < life[3] else _light(_status(life, w), life[2], monday, monday + days)
            found = next((cell for a, b, cell, _lt in runs if a <= w < b), None)
            if found != expected:
                raise AssertionError(f"week {w} of {life[1:]}: {found} by runs, {expected} week by week")


def past_weeks(rng: random.Random, today: datetime.date) -> tuple[int, int]:
    """The 51 weeks before this one, as RoundWeek rows (bulk, COPY on PostgreSQL) and their totals:
    each measure's life drawn to end in its state now (see the module's docstring), counted by runs
    of weeks (`_segments`) added into each row's difference arrays. Returns the rows written
    (rounds', totals)."""
    from django.db import transaction

    from zhenggai.ledger.lights import DONE, yellow_days
    from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus, TallyKind
    from zhenggai.oversight.models import RoundWeek, SnapshotWeek, WeekTotal
    from zhenggai.oversight.snapshots import COUNTS, _totals, subtrees, week_of

    this_week = week_of(today)
    mondays = [this_week - datetime.timedelta(weeks=PAST - w) for w in range(PAST)]
    rounds = {
        pk: (office, group, unit, kind, feedback)
        for pk, office, group, unit, kind, feedback in InspectionRound.objects.values_list(
            "pk", "office_id", "inspecting_group_id", "inspected_unit_id", "kind", "feedback_date"
        )
    }

    def week_index(day: datetime.date | None) -> int:
        return 0 if day is None else max(0, (week_of(day) - mondays[0]).days // 7)

    lives = []  # (rows it counts in, long term, deadline, since, started, done, final status)
    shared: dict[tuple[int, str], tuple] = {}
    for round_id, category, status, deadline, long_term in Measure.objects.values_list(
        "round_id", "problem__category", "status", "deadline", "long_term"
    ).iterator(chunk_size=20_000):
        since = week_index(rounds[round_id][4])
        done = rng.randint(since, PAST) if status in DONE else PAST + 1
        started = rng.randint(since, done) if status != MeasureStatus.NOT_STARTED else PAST + 1
        # The rows it counts in: its round's, its category's and those of the categories above it
        # (one tuple for each round and category, shared by its measures).
        keys = shared.get((round_id, category))
        if keys is None:
            keys = shared[(round_id, category)] = (
                (round_id, TallyKind.ROUND, ""),
                *((round_id, TallyKind.CATEGORY, c) for c in subtrees(category or "")),
            )
        lives.append((keys, long_term, deadline, since, started, done, status))
    yellow = yellow_days()
    _check_segments(lives, mondays, yellow, rng)
    # Each row's columns: COUNTS, then how many measures it counts; each a difference array by week.
    index = {name: i for i, name in enumerate(COUNTS)}
    long_term_column, measures_column = index["long_term_open"], len(COUNTS)
    diffs: dict[tuple, dict[int, list[int]]] = {}
    for life in lives:
        for a, b, cell, open_long_term in _segments(life, mondays[0], yellow):
            columns = (
                (index[cell], measures_column, long_term_column)
                if open_long_term
                else (index[cell], measures_column)
            )
            for key in life[0]:
                row = diffs.get(key)
                if row is None:
                    row = diffs[key] = {}
                for column in columns:
                    weeks = row.get(column)
                    if weeks is None:
                        weeks = row[column] = [0] * (PAST + 1)
                    weeks[a] += 1
                    weeks[b] -= 1
    del lives
    writer_columns = [
        "week", "round_id", "office_id", "inspecting_group_id", "inspected_unit_id", "round_kind", "year",
        "kind", "key", *COUNTS,
    ]  # fmt: skip
    # The rounds' rows' indexes made once after the load (SQLite: dropped outside a transaction).
    deferred = province.DeferredIndexes([RoundWeek])
    deferred.drop()
    n_rows = n_totals = 0
    in_view: list[int] = []
    running = {key: [0] * (len(COUNTS) + 1) for key in diffs}
    with transaction.atomic():
        writer = province.RowWriter(RoundWeek, writer_columns, batch=50_000)
        for w, monday in enumerate(mondays):
            seen = set()
            for key, row in diffs.items():
                counts = running[key]
                for column, weeks in row.items():
                    counts[column] += weeks[w]
                if counts[measures_column]:
                    round_id, kind, code = key
                    office, group, unit, round_kind, feedback = rounds[round_id]
                    year = feedback.year if feedback else None
                    writer.add(
                        (monday, round_id, office, group, unit, round_kind, year, kind, code, *counts[:-1])
                    )
                    n_rows += 1
                    seen.add(round_id)
            in_view.append(len(seen))
        writer.close()
    deferred.restore()
    with transaction.atomic():
        SnapshotWeek.objects.bulk_create(
            [
                SnapshotWeek(week=monday, taken_on=monday, lights_of=monday, rounds=n)
                for monday, n in zip(mondays, in_view, strict=True)
            ]
        )
        for monday in mondays:
            n_totals += len(WeekTotal.objects.bulk_create(_totals(monday), batch_size=2000))
    return n_rows, n_totals


# --- Child: timing ----------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)]


def _profile(label: str, title: str, request) -> None:
    """The functions one request spends the most time in, with what they call (cumulative)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    request()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    _say(f"[{label}] {title}: profile of one request\n{out.getvalue()}")


def page_name() -> str:
    """The dashboard when it exists, else the trend page (which draws the same partial)."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("oversight:dashboard")
        return "oversight:dashboard"
    except NoReverseMatch:
        return "oversight:trend"


def child(args: argparse.Namespace) -> int:
    label = args.child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from zhenggai.ledger.tally import tally_rebuild
    from zhenggai.oversight.models import RoundWeek, WeekTotal
    from zhenggai.oversight.snapshots import take_weekly_snapshot
    from zhenggai.signals.models import SignalFlag, SignalTally
    from zhenggai.signals.services import flags_rebuild

    engine = empty_database_engine(label, args.data_dir)  # (only ever an empty database)
    if engine is None:
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    today = timezone.localdate()
    rng = random.Random(f"{args.seed}-dashboard")
    t0 = time.perf_counter()
    stages = province.Stages()
    data = ledger.fill(args, today, stages)
    spread = spread_rounds(rng, data["office"], today)
    stages.lap(f"groups, kinds, years; {spread['moved']:,} problems to a sub-category", spread["problems"])
    stages.lap("tally rebuilt", tally_rebuild(today))
    # The quality signals the dashboard counts (a share of the synthetic measures are copies), as
    # `zhenggai signals_refresh --exact-copies-only` counts them after a bulk load: the search for
    # near copies finds three in four of the generator's formulaic texts near copies of another
    # unit's and costs about 1.3 s a round (an hour for the province); the dashboard reads the
    # counts per round × category × signal, as many rows however many measures are flagged.
    # bench/quality.py times copy detection over 400,000 measures.
    rebuilt = flags_rebuild(near_copies=False)
    stages.lap(
        f"quality signals of {rebuilt:,} rounds ({SignalTally.objects.count():,} counts)",
        SignalFlag.objects.count(),
    )
    fill_s = time.perf_counter() - t0
    del data["measures"]
    gc.collect()
    t0 = time.perf_counter()
    n_rows, n_totals = past_weeks(rng, today)
    stages.lap(f"{WEEKS - 1} past weeks of snapshots ({n_totals:,} totals; rounds' rows)", n_rows)
    taken = take_weekly_snapshot(today)
    stages.lap("this week's snapshot (the service)", taken.rows)
    snapshot_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        stages.lap("VACUUM ANALYZE")
    gc.collect()

    # The requests are timed in a process of their own, as a server's worker serves them: one
    # that has not made the province (this one holds the fill's heap, and its connection the
    # fill's session; measured: p50 ~40 ms more on PostgreSQL here than in a fresh process).
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--data-dir", args.data_dir]
    command += ["--time-as", data["officer"].username]
    command += ["--requests", str(args.requests)]
    command += ["--show-queries"] * args.show_queries + ["--profile"] * args.profile
    connection.close()
    returncode, timed = run_child(command, dict(os.environ))
    if returncode != 0 or timed is None:
        _say(f"[{label}] the timing process FAILED (exit code {returncode})")
        return 1
    print_result(
        {
            "label": label,
            "engine": engine,
            "page": timed["page"],
            "measures": timed["measures"],
            "rounds": args.units,
            "groups": len(spread["groups"]),
            "weeks": WEEKS,
            "round_rows": RoundWeek.objects.count(),
            "total_rows": WeekTotal.objects.count(),
            "fill_s": fill_s,
            "snapshot_s": snapshot_s,
            "timings": stages.wall,
            "filters": timed["filters"],
            "checked": timed["checked"],
            "load": timed["load"],
        }
    )
    return 0


def time_requests(args: argparse.Namespace) -> int:
    """In a fresh process (a server's worker): the dashboard timed with each filter."""
    label = args.child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from zhenggai.ledger.models import InspectionRound, Measure
    from zhenggai.oversight.filters import DashboardFilters
    from zhenggai.oversight.trends import weekly_trend

    officer = get_user_model().objects.get(username=args.time_as)
    this_year = timezone.localdate().year
    # The group of the most rounds of this year's 巡察: "all four" then selects some.
    busiest = (
        InspectionRound.objects.filter(kind="巡察", feedback_date__year=this_year)
        .values("inspecting_group")
        .annotate(n=Count("pk"))
        .order_by("-n", "inspecting_group")
        .first()
    )
    group = busiest["inspecting_group"] if busiest else None
    filters = [
        ("none", DashboardFilters()),
        (f"year={this_year}", DashboardFilters(year=this_year)),
        ("kind=巡察", DashboardFilters(kind="巡察")),
        (f"group=#{group}", DashboardFilters(group=group)),
        ("category=conduct", DashboardFilters(category="conduct")),
        ("all four", DashboardFilters(year=this_year, kind="巡察", group=group, category="conduct")),
    ]
    name = page_name()
    base = reverse(name)
    measures = Measure.objects.count()
    problems = []
    # A worker as the server starts it (config/wsgi.py): what lives on is frozen out of the full
    # garbage collections after its first request (else they walk this process's fill too).
    import zhenggai.config.wsgi  # noqa: F401

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    load_before = os.getloadavg()[0]
    out = []
    for title, chosen in filters:
        url = f"{base}?{chosen.query()}" if not chosen.is_empty else base
        for _ in range(WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        n_queries = len(captured)
        if args.show_queries:
            _say(f"[{label}] {title} {url}: {n_queries} queries")
            for q in captured.captured_queries:
                _say(f"    {q['time']}s  {q['sql']}")
        if args.profile:
            _profile(label, title, lambda url=url: client.get(url))
        points = weekly_trend(officer, chosen)
        html = response.content.decode()
        shown = html.count("<tr data-week=")
        if shown != len(points):
            problems.append(f"{title}: {shown} weeks shown, {len(points)} in the trend")
        if chosen.is_empty and (len(points) != WEEKS or points[-1].measures != measures):
            problems.append(
                f"{title}: {len(points)} weeks, {points[-1].measures if points else 0} measures now"
            )
        times = []
        for _ in range(args.requests):
            start = time.perf_counter_ns()
            client.get(url)
            times.append((time.perf_counter_ns() - start) / 1e6)
        trend_times = []
        for _ in range(args.requests):
            officer.__dict__.pop("_zhenggai_memberships", None)  # as a new request reads them
            start = time.perf_counter_ns()
            weekly_trend(officer, chosen)
            trend_times.append((time.perf_counter_ns() - start) / 1e6)
        entry = {
            "name": title,
            "url": url,
            "p50": statistics.median(times),
            "p95": _pct(times, 0.95),
            "trend_p50": statistics.median(trend_times),
            "trend_p95": _pct(trend_times, 0.95),
            "queries": n_queries,
            "weeks": len(points),
        }
        out.append(entry)
        _say(
            f"[{label}] {title}: {url} p50 {entry['p50']:.1f} ms p95 {entry['p95']:.1f} ms, {n_queries} queries"
        )
    for problem in problems:
        _say(f"[{label}] CHECK FAILED: {problem}")
    print_result(
        {
            "page": name,
            "measures": measures,
            "filters": out,
            "checked": not problems,
            "load": [load_before, os.getloadavg()[0]],
        }
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.child and args.time_as:
        return time_requests(args)
    if args.child:
        return child(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
