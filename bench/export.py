#!/usr/bin/env python
"""The whole ledger export as the task worker runs it: `reports.services.export_run`, end to end.

Fills a fresh database with N units × P problems × M measures as `bench/ledger.py` does (its
`fill`, without the MinHash sketches, which the export does not read), adds progress notes (about
2.5 a measure, so 1 M at the province's 3,000 units) and deadline extensions (one measure in 20),
then, in a fresh process, queues an export of every round for the inspection office's officer
and runs `export_run(job_id)`: reading the rounds, writing the .xlsx, saving it to the media
storage. Printed: measure rows per second, wall and CPU seconds, the peak RSS of that process
during the export (``VmHWM`` reset before it; the RSS it started from beside), the file's size.

Targets (issue #13): ≥ 30,000 rows/s end to end and a peak RSS under 250 MB.

    .venv/bin/python bench/export.py --db sqlite --units 300          # ~40,000 measures
    .venv/bin/python bench/export.py --units 3000                     # the province: 396,000
    .venv/bin/python bench/export.py --database-url postgres://u@host/empty_db

Like bench/ledger.py, each database runs in child processes of their own, with their own
temporary data folder; PostgreSQL gets a dedicated database, created and dropped.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from _support import child_env, database_runs, print_result, run_child, run_each
from _support import say as _say
from render import _peak_rss_kib, _reset_peak_rss, _status_kib  # the memory figures of bench/render.py

ROWS_TARGET = 30_000
PEAK_TARGET_MB = 250
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "zhenggai_bench_export"
PROGRESS_TEXTS = [
    "已召开专题会议研究部署，制定整改方案，明确责任分工。",
    "已完成问题清单梳理，正在逐项核查整改。",
    "已修订相关制度{n}项，组织专题培训{k}次。",
    "已对相关责任人进行约谈提醒，整改工作有序推进。",
    "已完成阶段性整改任务，相关佐证材料已归档。",
]


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--database-url", default="", help="use this (empty) database instead of --db; it is not dropped"
    )
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--problems", type=int, default=30, help="problems found per round")
    parser.add_argument("--measures", type=int, default=4, help="measures per problem")
    parser.add_argument("--seed", type=int, default=20201207)
    parser.add_argument("--keep", action="store_true", help="keep the data folder and the database")
    parser.add_argument("--profile", action="store_true", help="cProfile the export, print the top")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target does not hold")
    parser.add_argument("--child", choices=["fill", "export"], default="", help=argparse.SUPPRESS)
    # What bench/ledger.py's fill reads besides: no history (the export reads none), and no progress
    # notes but the one each done measure has (this bench adds its own).
    parser.set_defaults(history=False, progress=0)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- Parent ---------------------------------------------------------------------------------------


def _child(step: str, env: dict[str, str], args: argparse.Namespace, data_dir: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--data-dir", data_dir]
    for name in ("units", "problems", "measures", "seed"):
        command += [f"--{name}", str(getattr(args, name))]
    if args.profile:
        command.append("--profile")
    returncode, result = run_child(command, env)
    if returncode != 0 or result is None:
        raise SystemExit(f"{step} failed (exit code {returncode})")
    return result


def _run(label: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix=f"zhenggai-bench-export-{label}-")
    env = child_env(data_dir, url)
    try:
        filled = _child("fill", env, args, data_dir)
        _say(
            f"[{label}] filled in {filled['fill_s']:.0f} s: {filled['measures']:,} measures,"
            f" {filled['progress']:,} progress notes, {filled['extensions']:,} extensions; exporting"
        )
        return {**filled, **_child("export", env, args, data_dir), "label": label}
    finally:
        if args.keep:
            _say(f"[{label}] kept data folder {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def parent(args: argparse.Namespace) -> int:
    runs: list[tuple[str, str, str]] = []  # (label, url, database to create and drop)
    if args.database_url:
        runs.append(("postgres" if args.database_url.startswith("postgres") else "db", args.database_url, ""))
    else:
        chosen = database_runs(args.db, args.pg_admin_url, PG_BENCH_DB)
        if chosen is None:
            return 2
        runs = chosen[0]
    results = run_each(runs, args.pg_admin_url, args.keep, lambda label, url: _run(label, url, args))
    print()
    hold = True
    for r in results:
        rate = r["rows"] / r["seconds"]
        ok_rate, ok_peak = rate >= ROWS_TARGET, r["peak_mb"] < PEAK_TARGET_MB
        hold &= ok_rate and ok_peak
        print(
            f"{r['label']:<9} {r['engine']} · {r['units']} rounds, {r['rows']:,} measure rows"
            f" ({r['progress']:,} progress notes) · export {r['seconds']:.1f} s wall,"
            f" {r['cpu_s']:.1f} s CPU · {rate:,.0f} rows/s ({r['rows'] / r['cpu_s']:,.0f} a CPU second)"
            f" [{'ok' if ok_rate else 'FAIL'} ≥ {ROWS_TARGET:,}] · peak RSS {r['peak_mb']:.0f} MB"
            f" (from {r['start_mb']:.0f} MB) [{'ok' if ok_peak else 'FAIL'} < {PEAK_TARGET_MB}]"
            f" · {r['sheets']} sheets, {r['bytes'] / 1048576:.1f} MB file"
            f" · {r['queries']} queries, {r['sql_s']:.1f} s in cursor.execute (all threads)"
            f" · load average {r['load'][0]:.1f} → {r['load'][1]:.1f} on {os.cpu_count()} CPUs"
        )
    print(
        f"TARGETS {'HOLD' if hold else 'DO NOT HOLD'}: ≥ {ROWS_TARGET:,} rows/s, peak RSS < {PEAK_TARGET_MB} MB"
    )
    return 1 if args.strict and not hold else 0


# --- Children -------------------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    django.setup()


def child_fill(args: argparse.Namespace) -> dict[str, Any]:
    _setup()
    import importlib

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    import ledger as ledger_bench  # bench/ledger.py, beside this file
    from zhenggai.ledger.models import DeadlineExtension, ExtensionStatus, Measure, ProgressEntry

    if connection.introspection.table_names():
        raise SystemExit("refusing: the database is not empty")
    call_command("migrate", verbosity=0, interactive=False)
    # The export reads no MinHash sketches; filling them would only make the bench slower.
    sketches = importlib.import_module("zhenggai.ledger.migrations.0005_measure_sketch")
    sketches.fill_sketches = lambda apps, schema_editor: None
    today = timezone.localdate()
    start = time.perf_counter()
    data = ledger_bench.fill(args, today)
    n_measures = len(data.pop("measures"))
    rng = random.Random(args.seed + 1)
    clerk = data["clerk"]
    batch = 2000 if connection.vendor == "postgresql" else None
    n_progress = n_extensions = 0
    days = datetime.timedelta
    ids = list(Measure.objects.order_by("pk").values_list("pk", "deadline"))
    with transaction.atomic():
        for lo in range(0, len(ids), 20_000):
            notes, extensions = [], []
            for pk, deadline in ids[lo : lo + 20_000]:
                for _ in range(rng.choice([0, 1, 2, 3, 4, 5])):
                    text = rng.choice(PROGRESS_TEXTS).format(n=rng.randint(1, 5), k=rng.randint(1, 3))
                    happened = today - days(rng.randint(0, 120))
                    notes.append(ProgressEntry(measure_id=pk, happened_on=happened, text=text, author=clerk))
                if deadline and rng.random() < 0.05:
                    extensions.append(
                        DeadlineExtension(
                            measure_id=pk,
                            old_deadline=deadline,
                            new_deadline=deadline + days(30),
                            reason="涉及多个部门协调，需延长整改时限。",
                            requested_by=clerk,
                            status=rng.choice(list(ExtensionStatus.values)),
                        )
                    )
            ProgressEntry.objects.bulk_create(notes, batch_size=batch)
            DeadlineExtension.objects.bulk_create(extensions, batch_size=batch)
            n_progress += len(notes)
            n_extensions += len(extensions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "fill_s": time.perf_counter() - start,
        "units": args.units,
        "measures": n_measures,
        "progress": n_progress,
        "extensions": n_extensions,
    }


def child_export(args: argparse.Namespace) -> dict[str, Any]:
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.backends.signals import connection_created

    from zhenggai.ledger.models import Measure
    from zhenggai.reports.models import ExportJob, ExportStatus
    from zhenggai.reports.services import export_run

    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        engine += " " + cursor.fetchone()[0]
    rows = Measure.objects.count()
    officer = get_user_model().objects.get(username="bench_officer")
    job = ExportJob.objects.create(requested_by=officer, filters={})
    load = os.getloadavg()[0]
    _reset_peak_rss()  # VmHWM starts again from here
    start_kib = _status_kib("VmRSS") or _peak_rss_kib()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    queries, in_sql = [0], [0.0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter() - start

    def count_too(sender, connection, **kwargs):  # the connection of the thread that reads ahead
        connection.execute_wrappers.append(count)

    connection_created.connect(count_too)
    with connection.execute_wrapper(count):
        wall, cpu = time.perf_counter(), time.process_time()
        job = export_run(job.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    connection_created.disconnect(count_too)
    peak_kib = _peak_rss_kib()
    if profiler:
        import io
        import pstats

        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
        _say(stream.getvalue())
    if job.status != ExportStatus.DONE or job.done != job.total:
        raise SystemExit(f"export ended {job.status} ({job.done}/{job.total}): {job.error}")
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as book:
        sheets = sum(1 for name in book.namelist() if name.startswith("xl/worksheets/sheet"))
    return {
        "engine": engine,
        "rows": rows,
        "seconds": wall,
        "cpu_s": cpu,
        "start_mb": start_kib / 1024,
        "peak_mb": peak_kib / 1024,
        "bytes": job.file.size,
        "sheets": sheets,
        "queries": queries[0],
        "sql_s": in_sql[0],
        "load": [load, os.getloadavg()[0]],
    }


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.child == "fill":
        print_result(child_fill(args))
        return 0
    if args.child == "export":
        print_result(child_export(args))
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
