#!/usr/bin/env python
"""Benchmark of the REST API at a province's size: a unit's measures, a page at a time.

Fills a fresh database as bench/ledger.py does (its `fill`: N units × 30 problems × 4 measures;
`--units 3000` is the province preset, 360,000 measures; no history by default), gives the unit
clerk of the fill a personal access token, then times, in-process through Django's test Client
with `Authorization: Bearer …` (server time = the time of `client.get`, no network):

* the unit's measures: `/api/measures?unit=<the clerk's unit>` (first page, 50 rows), and its
  second page (`next`, a keyset page: as fast as the first);
* the constant endpoint `/api/me` (the token checked, its use recorded, the roles read): what
  every API request costs before it reads the ledger.

p50 and p95 of each, the SQL statements of one request, and the difference list − constant.

Targets (issue #16): p95 ≤ 50 ms for the measures list and ≤ 10 ms above the constant endpoint.

    .venv/bin/python bench/api.py                                   # sqlite, and postgres when reachable
    .venv/bin/python bench/api.py --db sqlite --units 50 --requests 50    # a quick run
    .venv/bin/python bench/api.py --units 3000 --requests 200             # the province preset
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import statistics
import sys
import time
from typing import Any

import ledger
import province
from _support import (
    database_runs,
    empty_database_engine,
    print_result,
    province_arguments,
    run_each,
    run_province_child,
)
from _support import say as _say

P95_TARGET_MS = 50.0
ABOVE_CONSTANT_TARGET_MS = 10.0
PG_BENCH_DB = "zhenggai_bench_api"
WARMUP = 10


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = province_arguments(__doc__.split("\n\n")[0], requests=200, each="endpoint")
    return parser.parse_args(argv)


# --- Parent ---------------------------------------------------------------------------------------


def _run_child(label: str, url: str, args: argparse.Namespace) -> dict[str, Any] | None:
    return run_province_child(__file__, "api", label, url, args)


def parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    chosen = database_runs(args.db or "auto", args.pg_admin_url, PG_BENCH_DB)
    if chosen is None:
        return 2
    runs, skipped = chosen
    _say(
        f"Zhenggai API benchmark: {args.units} units × {args.problems} problems × {args.measures}"
        f" measures, {args.requests} timed requests per endpoint;"
        f" databases: {', '.join(r[0] for r in runs) or 'none'}"
    )
    results = run_each(runs, args.pg_admin_url, args.keep, lambda label, url: _run_child(label, url, args))

    print()
    print(
        "Server time = wall time of django.test.Client.get in-process (middleware, token check and its"
        " use recorded, view, queries, JSON; no network), as the unit clerk with a token."
        " queries = SQL statements of one request."
    )
    for r in results:
        print(
            f"{r['label']}: {r['engine']} · {r['measures']:,} measures in {r['rounds']:,} rounds"
            f" · filled in {r['fill_s']:.1f} s · load average {r['load'][0]:.1f} → {r['load'][1]:.1f}"
            f" on {os.cpu_count()} CPUs"
        )
    print()
    header = f"{'database':<9}{'endpoint':<44}{'p50':>10}{'p95':>10}{'queries':>9}{'rows':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        for e in r["endpoints"]:
            print(
                f"{r['label']:<9}{e['name']:<44}{e['p50']:>7.1f} ms{e['p95']:>7.1f} ms{e['queries']:>9}{e['rows']:>6}"
            )
    print()
    all_hold = bool(results)
    broken = len(results) < len(runs)
    for r in results:
        by_name = {e["name"]: e for e in r["endpoints"]}
        constant = by_name["constant /api/me"]
        for name in ("unit's measures, first page", "unit's measures, second page"):
            e = by_name[name]
            above = e["p95"] - constant["p95"]
            ok = e["p95"] <= P95_TARGET_MS and above <= ABOVE_CONSTANT_TARGET_MS
            all_hold &= ok
            print(
                f"  {r['label']} {name}: p95 {e['p95']:.1f} ms {'≤' if e['p95'] <= P95_TARGET_MS else '>'}"
                f" {P95_TARGET_MS:.0f}; {above:+.1f} ms above the constant endpoint at p95"
                f" (p50 {e['p50'] - constant['p50']:+.1f}) {'ok' if ok else 'FAIL'}"
            )
        broken |= not r["checked"]
    for message in skipped:
        print(message)
    print(
        f"TARGETS {'HOLD' if all_hold else 'DO NOT HOLD'}{' (postgres skipped)' if skipped else ''}:"
        f" p95 ≤ {P95_TARGET_MS:.0f} ms and ≤ {ABOVE_CONSTANT_TARGET_MS:.0f} ms above /api/me on"
        f" {', '.join(r['label'] for r in results) or 'no database'} · script ran {time.perf_counter() - started:.0f} s"
    )
    return 1 if broken or (args.strict and not all_hold) else 0


# --- Child ------------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)]


def _profile(label: str, title: str, request) -> None:
    """The functions one request spends the most time in (cumulative)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        request()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    _say(f"[{label}] {title}: profile of 20 requests\n{out.getvalue()}")


def child(args: argparse.Namespace) -> int:
    label = args.child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhenggai.api.models import TokenScope, TokenUse
    from zhenggai.api.tokens import token_create
    from zhenggai.ledger.access import visible_measures
    from zhenggai.ledger.models import Measure

    engine = empty_database_engine(label, args.data_dir)  # (only ever an empty database)
    if engine is None:
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    today = timezone.localdate()
    t0 = time.perf_counter()
    stages = province.Stages()
    data = ledger.fill(args, today, stages)
    fill_s = time.perf_counter() - t0
    del data["measures"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        stages.lap("VACUUM ANALYZE")
    gc.collect()

    clerk = data["clerk"]
    unit = data["clerk_round"].inspected_unit
    secret = token_create(owner=clerk, name="bench", scope=TokenScope.READ, days=30).secret
    # A worker as the server starts it (config/wsgi.py): the heap frozen after the first request.
    import zhenggai.config.wsgi  # noqa: F401

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {secret}")
    first = f"/api/measures?unit={unit.pk}"
    second = client.get(first).json()["next"]
    endpoints = [
        ("constant /api/me", "/api/me"),
        ("unit's measures, first page", first),
        ("unit's measures, second page", second),
    ]
    problems = []
    expected = list(
        visible_measures(clerk)
        .filter(round__inspected_unit=unit)
        .order_by("round_id", "pk")
        .values_list("pk", flat=True)[:100]
    )
    load_before = os.getloadavg()[0]
    out = []
    for title, url in endpoints:
        for _ in range(WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        n_queries = len(captured.captured_queries)
        if args.show_queries:
            _say(f"[{label}] {title} {url}: {len(captured)} queries")
            for q in captured.captured_queries:
                _say(f"    {q['time']}s  {q['sql']}")
        if args.profile:
            _profile(label, title, lambda url=url: client.get(url))
        rows = len(body.get("items", [])) if isinstance(body, dict) else 0
        if title.startswith("unit's measures"):
            ids = [m["id"] for m in body["items"]]
            want = expected[:50] if "first" in title else expected[50:100]
            if ids != want:
                problems.append(f"{title}: rows {ids[:3]}… are not the unit's measures in key order")
        times = []
        for _ in range(args.requests):
            start = time.perf_counter_ns()
            client.get(url)
            times.append((time.perf_counter_ns() - start) / 1e6)
        entry = {
            "name": title,
            "url": url,
            "p50": statistics.median(times),
            "p95": _pct(times, 0.95),
            "queries": n_queries,
            "rows": rows,
        }
        out.append(entry)
        _say(
            f"[{label}] {title}: p50 {entry['p50']:.1f} ms p95 {entry['p95']:.1f} ms, {len(captured)} queries"
        )
    uses = TokenUse.objects.count()
    if uses != len(endpoints) * (WARMUP + 1 + args.requests) + 1:
        problems.append(f"{uses} uses recorded")
    for problem in problems:
        _say(f"[{label}] CHECK FAILED: {problem}")
    print_result(
        {
            "label": label,
            "engine": engine,
            "measures": Measure.objects.count(),
            "rounds": args.units,
            "fill_s": fill_s,
            "endpoints": out,
            "checked": not problems,
            "load": [load_before, os.getloadavg()[0]],
            "at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.child:
        return child(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
