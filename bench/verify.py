#!/usr/bin/env python
"""Benchmark of `zhenggai verify`: history entries checked per second, state replay included.

Fills a fresh database with a history as the services write it: rounds, problems, organisations and
people through the services themselves, then, in bulk for speed, measures with their creation
entries, progress notes (each entry holding the measure's and the note's state) and rounds of edits
of every measure (each entry holding the measure's new state). Every entry is hashed into the chain
exactly as `history.services.record` does, and a signed checkpoint closes it. Then times `verify()`
(the chain, the checkpoints, the evidence and public records, and every tracked row against the
replayed state), which must come back clean.

Target (issue #10): at least 100,000 history entries per second on this machine.

    .venv/bin/python bench/verify.py                      # sqlite, and postgres when reachable
    .venv/bin/python bench/verify.py --db sqlite --units 20   # a quick run
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import child_env, pg_admin, print_result, run_child, say

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "zhenggai_bench_verify"
TARGET_ENTRIES_PER_SECOND = 100_000


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--problems", type=int, default=10, help="problems found per round")
    parser.add_argument("--measures", type=int, default=4, help="measures per problem")
    parser.add_argument("--progress", type=int, default=6, help="progress notes per measure")
    parser.add_argument("--edits", type=int, default=6, help="edits of every measure")
    parser.add_argument("--runs", type=int, default=3, help="verify runs; the best is reported")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one verify run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target does not hold")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _pg(sql: str) -> str:
    """Run one statement on the maintenance database; '' when done, else why not."""
    try:
        pg_admin(PG_ADMIN_URL, sql)
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ""


# --- Parent -------------------------------------------------------------------------------------------


def parent(args: argparse.Namespace) -> int:
    results, failed = [], False
    for label in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        url = ""
        if label == "postgres":
            why = _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}") or _pg(f"CREATE DATABASE {PG_BENCH_DB}")
            if why:
                say(f"[postgres] SKIPPED: {why}")
                failed = failed or args.db == "postgres"
                continue
            url = PG_ADMIN_URL.rpartition("/")[0] + f"/{PG_BENCH_DB}"
        try:
            result = _run_child(label, url, args)
        finally:
            if label == "postgres":
                _pg(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        if result is None:
            failed = True
        else:
            results.append(result)
    print()
    print(f"verify: entries checked per second (target ≥ {TARGET_ENTRIES_PER_SECOND:,})")
    for r in results:
        verdict = "ok" if r["per_second"] >= TARGET_ENTRIES_PER_SECOND else "BELOW TARGET"
        print(
            f"{r['label']:<9} {r['entries']:>8,} entries, {r['records']:>7,} records, {r['checkpoints']} checkpoints:"
            f" best {r['best_s']:.2f} s (runs {', '.join(f'{t:.2f}' for t in r['runs_s'])})"
            f" → {r['per_second']:,.0f} entries/s; chain walk {r['walk_s']:.2f} s, rows {r['rows_s']:.2f} s;"
            f" peak RSS {r['peak_rss_mb']:.0f} MB [{verdict}]"
        )
        failed = failed or (args.strict and r["per_second"] < TARGET_ENTRIES_PER_SECOND)
    return 1 if failed else 0


def _run_child(label: str, url: str, args: argparse.Namespace) -> dict[str, Any] | None:
    data_dir = tempfile.mkdtemp(prefix=f"zhenggai-bench-verify-{label}-")
    env = child_env(data_dir, url)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label]
    for name in ("units", "problems", "measures", "progress", "edits", "runs", "seed"):
        command += [f"--{name}", str(getattr(args, name))]
    if args.profile:
        command.append("--profile")
    try:
        returncode, result = run_child(command, env)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if returncode != 0 or result is None:
        say(f"[{label}] FAILED (exit code {returncode})")
        return None
    return result


# --- Child: fill, then time verify ----------------------------------------------------------------------


class ChainWriter:
    """Appends entries in bulk exactly as `history.services.record` hashes them."""

    def __init__(self) -> None:
        from zhenggai.history.models import ChainHead

        head = ChainHead.objects.get(pk=1)
        self.seq, self.hash = head.seq, head.hash
        self.pending: list[Any] = []

    def add(
        self, *, action: str, object_type: str, object_id: Any, round_id: int | None, payload: dict
    ) -> None:
        from django.utils import timezone

        from zhenggai.history.canonical import entry_hash, to_json_native
        from zhenggai.history.models import HistoryEntry

        self.seq += 1
        entry = HistoryEntry(
            seq=self.seq,
            recorded_at=timezone.now(),
            actor_id=None,
            actor_name="",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            round_id=round_id,
            payload=to_json_native(payload),
            prev_hash=self.hash,
        )
        entry.hash = self.hash = entry_hash(entry.hashed_fields())
        self.pending.append(entry)
        if len(self.pending) >= 5000:
            self.flush()

    def flush(self) -> None:
        from zhenggai.history.models import ChainHead, HistoryEntry

        HistoryEntry.objects.bulk_create(self.pending, batch_size=1000)
        self.pending = []
        ChainHead.objects.filter(pk=1).update(seq=self.seq, hash=self.hash)


def _held(records: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """An entry's `#state` and `~set`, as `history.state.capture` writes them, from
    {"label:pk": (the record's state, the columns that changed)}."""
    from zhenggai.history import state

    return {
        state.STATE_KEY: {name: state.digest(values) for name, (values, _changed) in records.items()},
        state.SET_KEY: {name: changed for name, (_values, changed) in records.items()},
    }


def fill(args: argparse.Namespace) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from zhenggai.accounts.services import user_create
    from zhenggai.history import state
    from zhenggai.ledger.models import Measure, ProgressEntry
    from zhenggai.ledger.services import problem_create, round_create
    from zhenggai.orgs.models import OrgKind
    from zhenggai.orgs.services import organisation_create, person_create

    rng = random.Random(args.seed)
    today = timezone.localdate()
    verbs = ["建立", "完善", "修订", "开展", "落实", "组织", "制定", "清理"]
    objects = ["会议记录签字制度", "财务报销审批流程", "党员学习台账", "专项资金使用情况", "三重一大决策程序"]
    with transaction.atomic():
        clerk = user_create(username="bench", password=None, first_name="台账管理员")
        office = organisation_create(name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE)
        problems = []
        for u in range(args.units):
            unit = organisation_create(name=f"第{u + 1}单位", kind=OrgKind.UNIT)
            organisation_create(name="办公室", kind=OrgKind.DEPARTMENT, parent=unit)
            person_create(name=f"分管领导{u + 1}", organisation=unit)
            round_ = round_create(
                actor=clerk, title=f"第{u + 1}单位巡察整改", office=office, inspected_unit=unit
            )
            section = problem_create(round_=round_, actor=clerk, label="一、", number=1, title="党的建设方面")
            for p in range(args.problems):
                problems.append(
                    problem_create(
                        round_=round_,
                        actor=clerk,
                        parent=section,
                        label=f"{p + 1}.",
                        number=p + 1,
                        title=f"{rng.choice(objects)}不规范。",
                        statement=f"{rng.choice(objects)}执行不到位，存在会后补记问题。",
                    )
                )
    writer = ChainWriter()
    measure_spec, progress_spec = state.specs()["ledger.measure"], state.specs()["ledger.progressentry"]
    with transaction.atomic():
        created = Measure.objects.bulk_create(
            [
                Measure(
                    problem=problem,
                    round_id=problem.round_id,
                    position=m + 1,
                    text=f"{rng.choice(verbs)}{rng.choice(objects)}，每月检查一次。",
                    deadline=today + datetime.timedelta(days=rng.randint(-30, 120)),
                    status="in_progress",
                )
                for problem in problems
                for m in range(args.measures)
            ],
            batch_size=1000,
        )
        round_of = {m.pk: m.round_id for m in created}
        states = state.read_states(measure_spec, round_of)
        shown = ["problem_id", "position", "text", "responsible_leader_id", "lead_department_id", "doer_id"]
        shown += ["kind", "deadline", "long_term", "status", "completed_on", "original_deadline"]
        for pk, values in states.items():
            writer.add(
                action="measure.create",
                object_type="ledger.measure",
                object_id=pk,
                round_id=round_of[pk],
                payload={
                    "values": {name: values[name] for name in shown},
                    "cooperating_departments": [],
                    **_held({state.key("ledger.measure", pk): (values, values)}),
                },
            )
        notes = ProgressEntry.objects.bulk_create(
            [
                ProgressEntry(
                    measure_id=pk, happened_on=today, text=f"第{n + 1}次推进：已召开专题会议。", author=clerk
                )
                for pk in round_of
                for n in range(args.progress)
            ],
            batch_size=1000,
        )
        note_states = state.read_states(progress_spec, [note.pk for note in notes])
        for note in notes:
            values = note_states[note.pk]
            writer.add(
                action="progress.record",
                object_type="ledger.measure",
                object_id=note.measure_id,
                round_id=round_of[note.measure_id],
                payload={
                    "progress_id": note.pk,
                    "happened_on": values["happened_on"],
                    "text": note.text,
                    "late_entry": False,
                    "late_reason": "",
                    **_held(
                        {
                            state.key("ledger.measure", note.measure_id): (states[note.measure_id], {}),
                            state.key("ledger.progressentry", note.pk): (values, values),
                        }
                    ),
                },
            )
        for edit in range(args.edits):
            Measure.objects.bulk_update(
                [
                    Measure(
                        pk=pk,
                        text=f"{rng.choice(verbs)}{rng.choice(objects)}（第{edit + 2}稿）",
                        version=edit + 2,
                    )
                    for pk in round_of
                ],
                ["text", "version"],
                batch_size=1000,
            )
            before, states = states, state.read_states(measure_spec, round_of)
            for pk, values in states.items():
                old = before[pk]
                changed = {name: value for name, value in values.items() if old[name] != value}
                writer.add(
                    action="measure.update",
                    object_type="ledger.measure",
                    object_id=pk,
                    round_id=round_of[pk],
                    payload={
                        "fields": {"text": [old["text"], values["text"]]},
                        "version": [old["version"], values["version"]],
                        **_held({state.key("ledger.measure", pk): (values, changed)}),
                    },
                )
        writer.flush()
    return {"measures": len(round_of), "progress": len(notes)}


def child(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import resource

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhenggai.history.models import HistoryEntry
    from zhenggai.history.services import checkpoint_now
    from zhenggai.history.verify import verify

    label = args.child
    if not args.time_only:
        call_command("migrate", verbosity=0, interactive=False)
        say(f"[{label}] migrated; filling")
        t0 = time.perf_counter()
        filled = fill(args)
        checkpoint_now()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        entries = HistoryEntry.objects.count()
        say(f"[{label}] filled in {time.perf_counter() - t0:.1f} s: {entries:,} entries, {filled}")
        # Timed in a fresh process, as `zhenggai verify` runs: not in the one that holds the fill.
        connection.close()
        command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--time-only"]
        command += ["--runs", str(args.runs)] + (["--profile"] if args.profile else [])
        return subprocess.run(command, check=False).returncode  # noqa: S603 - this script
    runs, report = [], None
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = verify()
        runs.append(time.perf_counter() - t0)
    assert report is not None
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(verify)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    if not report.ok:
        say(report.text())
        return 1
    best = min(runs)
    timings = getattr(report, "timings", {})
    print_result(
        {
            "label": label,
            "entries": report.entries,
            "records": report.records,
            "checkpoints": report.checkpoints,
            "runs_s": runs,
            "best_s": best,
            "per_second": report.entries / best,
            "walk_s": timings.get("chain", 0.0),
            "rows_s": timings.get("records", 0.0),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    return child(args) if args.child else parent(args)


if __name__ == "__main__":
    sys.exit(main())
