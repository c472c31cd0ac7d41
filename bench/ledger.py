#!/usr/bin/env python
"""Benchmark of the ledger pages at a county's or a province's size, with the history and verify.

Fills a fresh database with N units × P problems × M measures (default 500 × 30 × 4 = 60,000
measures; `--units 3000` is the province preset: 360,000 measures, 1,000,000 progress entries,
~2,000,000 history entries), then times, in-process through Django's test Client (server time =
the time of `client.get`, no network, no browser):

* the unit ledger: a unit clerk opens `/rounds/<pk>/` (first page: 50 rows and the counts);
* the office ledger: an inspection office officer opens `/ledger/?light=red` (all units, red
  lights only, first page of 50 rows and the counts);

each next to the bare SQL (a cursor, hand-written SQL, fetchall) that gets the same 50 rows, with
the joined fields the table shows, and the same counts by status and by light; and next to the
floor, the smallest logged-in page, and the least page (a logged-in constant view). More pages:
the office's whole ledger unfiltered (`/ledger/`), overview and round list, a problem page as the
clerk and as the office (copy and near-copy hints live), 我的待办 of the office and of the clerk,
and the history of the clerk's round and of its measure with the most entries.

The fill is realistic: measure texts written from the genre's vocabulary (bench/province.py), most
distinct, ~3 % word-for-word and ~3 % near copies of another unit's measure, with the fingerprints
and MinHash bands the services store; 333 progress notes a unit; evidence files stored under their
hash; and the history of every record, hashed into the chain with signed checkpoints, which
`verify` (timed once, in a fresh process) must find clean. From 1,000 units on, the peak memory of
one `zhenggai serve` worker serving the office's ledger and overview is measured too.

Targets (issue #13): p95 ≤ 100 ms for every page; the unit ledger and the problem page ≤ 10 ms
above the least page at p50; an office page within 2× its own figure at 60,000 measures (give a
`--save` file of that run as `--baseline`); one worker ≤ 250 MB. The ratio to the bare SQL is
printed but no longer judged (issue #13 replaced it).

    .venv/bin/python bench/ledger.py                       # sqlite, and postgres when reachable
    .venv/bin/python bench/ledger.py --db sqlite --units 20 --requests 20     # a quick run
    .venv/bin/python bench/ledger.py --database-url postgres://u@host/empty_db
    .venv/bin/python bench/ledger.py --units 500 --save county.json
    .venv/bin/python bench/ledger.py --units 3000 --requests 30 --baseline county.json

Each database runs in a child process of its own (settings are read from the environment once),
with its own temporary data folder; PostgreSQL gets a dedicated database, created and dropped.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import hashlib
import importlib
import itertools
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

import orjson

import province
from _support import (
    child_env,
    database_runs,
    empty_database_engine,
    print_result,
    run_child,
    run_each,
    run_in_folder,
)
from _support import say as _say

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 100.0  # every page (issue #13: was 80 ms for the two ledgers)
ABOVE_LEAST_TARGET_MS = 10.0  # the unit ledger and the problem page, p50 above the least page (issue #13)
RATIO_TARGET = 4.0  # page/bare: replaced by the two above (issue #13); printed, no longer judged
GROWTH_TARGET = 2.0  # an office page at province size against its own figure at 60,000 measures
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "zhenggai_bench"
WARMUP = 5
FLOOR_VIEW = "reminders:notice_list"  # the floor page: see child()
CONSTANT_PATH = "__bench__/constant/"  # the least page: see _constant_urlconf()
LIGHT_KEYS = ["red", "yellow", "green", "none"]  # the order of zhenggai.ledger.lights.LIGHTS


# --- Parent: choose the databases, run one child per database, print the table -------------------


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "both"],
        default=None,
        help="which database(s); default: sqlite, and postgres too when reachable at 127.0.0.1:5432",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="benchmark this database instead (it must be empty); default $DATABASE_URL. Overrides --db",
    )
    parser.add_argument(
        "--pg-admin-url", default=PG_ADMIN_URL, help="PostgreSQL server to create the bench db on"
    )
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument(
        "--problems", type=int, default=30, help="problems found per round (plus section headings)"
    )
    parser.add_argument("--measures", type=int, default=4, help="measures per problem")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (and bare runs)")
    parser.add_argument(
        "--progress",
        type=int,
        default=None,
        help="progress entries in all (default 333 a unit: 1,000,000 at --units 3000)",
    )
    parser.add_argument(
        "--history",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="write the history of it all (~667 entries a unit) and time verify (default: yes)",
    )
    parser.add_argument(
        "--memory",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="measure the peak memory of one `zhenggai serve` worker serving the office's pages"
        " (default: at --units 1000 and more)",
    )
    parser.add_argument("--save", default="", help="also write the figures as JSON to this file")
    parser.add_argument(
        "--baseline",
        default="",
        help="a --save file of a smaller run (e.g. --units 500): print each office page's growth",
    )
    parser.add_argument("--seed", type=int, default=20201207)
    parser.add_argument(
        "--keep", action="store_true", help="keep the data folder and the PostgreSQL database"
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL each page runs (every page timed)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a target does not hold (else only when a run fails)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also cProfile N requests of each page timed, print the top",
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--verify-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _run_child(label: str, url: str, args: argparse.Namespace) -> dict[str, Any] | None:
    data_dir = tempfile.mkdtemp(prefix=f"zhenggai-bench-{label}-")
    env = child_env(data_dir, url)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--data-dir", data_dir]
    for name in ("units", "problems", "measures", "requests", "seed", "profile"):
        command += [f"--{name}", str(getattr(args, name))]
    if args.progress is not None:
        command += ["--progress", str(args.progress)]
    command.append("--history" if args.history else "--no-history")
    memory = args.memory if args.memory is not None else args.units >= 1000
    command.append("--memory" if memory else "--no-memory")
    if args.show_queries:
        command.append("--show-queries")
    return run_in_folder(command, env, label, data_dir, args.keep)


def _fmt_line(result: dict[str, Any], page: dict[str, Any]) -> str:
    p, b = page["page"], page["bare"]
    return (
        f"{result['label']:<9}{page['name']:<16} page p50 {p['p50']:6.1f} ms p95 {p['p95']:6.1f} ms"
        f" (CPU {p['cpu_p50']:5.1f}, SQL {p['sql_p50']:5.1f})"
        f" | bare p50 {b['p50']:5.1f} ms p95 {b['p95']:5.1f} ms"
        f" | ratio {page['ratio']:4.1f} | {page['queries']:2d} queries"
        f" | floor p50 {page['floor']['p50']:5.1f} ms"
        f" | least page p50 {page['least']['p50']:5.2f} ms → best ratio {page['best_ratio']:4.1f}"
    )


def parent(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    runs: list[tuple[str, str, str]] = []  # (label, url, pg database to drop)
    skipped: list[str] = []
    if args.database_url:
        scheme = args.database_url.split(":", 1)[0]
        label = "postgres" if scheme.startswith("postgres") else scheme
        runs.append((label, args.database_url, ""))
    else:
        chosen = database_runs(args.db or "auto", args.pg_admin_url, PG_BENCH_DB)
        if chosen is None:
            return 2
        runs, skipped = chosen

    _say(
        f"Zhenggai ledger benchmark: {args.units} units × {args.problems} problems"
        f" × {args.measures} measures, {args.requests} timed requests per page;"
        f" databases: {', '.join(r[0] for r in runs) or 'none'}"
    )
    results = run_each(runs, args.pg_admin_url, args.keep, lambda label, url: _run_child(label, url, args))

    print()
    print(
        "Server time = wall time of django.test.Client.get in-process (middleware, view, queries, template;"
        " no network); (CPU …, SQL …) = its median CPU time in this process (SQLite's work included,"
        " PostgreSQL's not) and its median time inside cursor.execute."
        " Bare = the hand-written SQL for the same 50 rows + counts, cursor.execute + fetchall."
        " ratio = page p50 / bare p50. Floor = the smallest logged-in page (the user's reminders, none"
        " here): what any page costs before its own work. Least page = a log-in-required view that"
        " returns a constant, through the same middleware (session, user): below any real page."
        " Best ratio = (least page + bare) / bare, the ratio of a page that did nothing but the bare SQL."
    )
    for result in results:
        print(
            f"{result['label']}: {result['engine']} · {result['measures']:,} measures"
            f" in {result['units']} units, {result['progress']:,} progress entries,"
            f" {result['evidence']:,} evidence files, {result['history']:,} history entries"
            f" · filled in {result['fill_s']:.1f} s"
            f" · {result['requests']} timed requests per page"
            f" · load average {result['load'][0]:.1f} → {result['load'][1]:.1f} on {os.cpu_count()} CPUs"
            f" · code from {result['source']}"
            f" · GC tracks {result['gc']['tracked']:,} objects ({result['gc']['frozen']:,} frozen)"
        )
        copies = result["copies"]
        print(
            f"    texts: {copies['own']:,} written, {copies['copy']:,} word-for-word and {copies['near']:,}"
            f" near copies of another unit's measure; MinHash bands: {result['sketches']['computed']:,}"
            f" texts sketched, {result['sketches']['cached']:,} from the cache"
        )
        cpu = result.get("cpu_timings", {})
        print(
            "    fill time by stage, wall (CPU of the process that ran it): "
            + ", ".join(
                f"{k} {v:.1f} s" + (f" ({cpu[k]:.1f})" if k in cpu else "")
                for k, v in result["timings"].items()
            )
        )
    print()
    for result in results:
        for page in result["pages"]:
            print(_fmt_line(result, page))
    for result in results:
        for other in result.get("others", []):
            target = other.get("target")
            print(
                f"{result['label']:<9}{other['name']:<18} page p50 {other['p50']:6.1f} ms p95 {other['p95']:6.1f} ms"
                f" (SQL {other['sql_p50']:5.1f})  "
                + (f"[target p95 ≤ {target:.0f} ms]" if target else "[no target]")
            )
    for result in results:
        verified = result.get("verify")
        if verified:
            print(
                f"{result['label']:<9}verify: {verified['entries']:,} entries, {verified['records']:,} records,"
                f" {verified['checkpoints']:,} checkpoints, {verified['files']:,} evidence files:"
                f" {verified['seconds']:.1f} s → {verified['per_second']:,.0f} entries/s"
                f" ({', '.join(f'{k} {v:.1f} s' for k, v in verified['timings'].items())});"
                f" peak RSS {verified['peak_rss_mb']:.0f} MB; {'clean' if verified['ok'] else 'NOT CLEAN'}"
            )
        memory = result.get("memory")
        if memory:
            print(
                f"{result['label']:<9}one `zhenggai serve` worker, {memory['requests']} requests of the office's"
                f" ledger, red lights and overview: peak RSS (VmHWM) {memory['peak_mb']:.0f} MB"
                f" (after start {memory['worker_start_rss_mb']:.0f} MB, now {memory['rss_mb']:.0f} MB);"
                f" p50 " + ", ".join(f"{k} {v:.0f} ms" for k, v in memory["p50_ms"].items())
            )
    growth = _growth(results, args.baseline) if args.baseline else []
    for line, _ok in growth:
        print(line)
    for message in skipped:
        print(message)
    print()
    verdicts = []
    all_hold = bool(results)
    broken = len(results) < len(runs)
    for result in results:
        least = result["pages"][0]["least"]["p50"] if result["pages"] else 0.0
        for page in result["pages"]:
            p95_ok = page["page"]["p95"] <= P95_TARGET_MS
            checks_ok = page["checked"]
            broken |= not checks_ok
            all_hold &= p95_ok and checks_ok
            verdicts.append(
                f"{result['label']} {page['name']}: p95 {page['page']['p95']:.1f} ms"
                f" {'≤' if p95_ok else '>'} {P95_TARGET_MS:.0f} {'ok' if p95_ok else 'FAIL'}"
                f" (ratio to bare {page['ratio']:.1f}, no longer a target)"
                + ("" if checks_ok else ", page content check FAILED")
            )
        for other in result.get("others", []):
            if other.get("target"):
                ok = other["p95"] <= other["target"]
                all_hold &= ok
                verdicts.append(
                    f"{result['label']} {other['name']}: p95 {other['p95']:.1f} ms"
                    f" {'≤' if ok else '>'} {other['target']:.0f} {'ok' if ok else 'FAIL'}"
                )
        # The unit ledger and the problem page: their own work, p50 above the least page.
        above = [(p["name"], p["page"]["p50"]) for p in result["pages"] if p["name"] == "unit ledger"]
        above += [(o["name"], o["p50"]) for o in result.get("others", []) if o["name"] == "problem page"]
        for name, p50 in above:
            ok = p50 - least <= ABOVE_LEAST_TARGET_MS
            all_hold &= ok
            verdicts.append(
                f"{result['label']} {name}: p50 {p50 - least:.1f} ms above the least page"
                f" {'≤' if ok else '>'} {ABOVE_LEAST_TARGET_MS:.0f} {'ok' if ok else 'FAIL'}"
            )
        verified = result.get("verify")
        if result["history"] and not (verified and verified["ok"]):
            broken = True
            verdicts.append(f"{result['label']} verify: the history did NOT verify clean")
        memory = result.get("memory")
        if memory:
            ok = memory["peak_mb"] <= MEMORY_TARGET_MB
            all_hold &= ok
            verdicts.append(
                f"{result['label']} one worker's peak memory: {memory['peak_mb']:.0f} MB"
                f" {'≤' if ok else '>'} {MEMORY_TARGET_MB:.0f} {'ok' if ok else 'FAIL'}"
            )
    for _line, ok in growth:
        all_hold &= ok
    for verdict in verdicts:
        print("  " + verdict)
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    missing = "" if not skipped else " (postgres skipped)"
    print(
        f"TARGETS {'HOLD' if all_hold else 'DO NOT HOLD'}{missing}: p95 ≤ {P95_TARGET_MS:.0f} ms every page"
        f" on {', '.join(r['label'] for r in results) or 'no database'}"
        f" · script ran {time.perf_counter() - started:.0f} s"
    )
    return 1 if broken or (args.strict and not all_hold) else 0


# The office's pages, whose growth with the province is judged against a smaller run (--baseline).
OFFICE_PAGES = (
    "office ledger",
    "office ledger all",
    "office overview",
    "office rounds",
    "office problem",
    "office to-do",
)


def _growth(results: list[dict[str, Any]], baseline_file: str) -> list[tuple[str, bool]]:
    """Each office page's p50 (and p95) against the same page of the --baseline run, same database."""
    baseline = {r["label"]: r for r in json.loads(Path(baseline_file).read_text())}
    lines = []
    for result in results:
        base = baseline.get(result["label"])
        if not base:
            continue

        def figures(run: dict[str, Any]) -> dict[str, tuple[float, float]]:
            found = {p["name"]: (p["page"]["p50"], p["page"]["p95"]) for p in run["pages"]}
            found.update({o["name"]: (o["p50"], o["p95"]) for o in run.get("others", [])})
            return found

        now, then = figures(result), figures(base)
        for name in OFFICE_PAGES:
            if name in now and name in then:
                growth = now[name][0] / then[name][0]
                ok = growth <= GROWTH_TARGET
                lines.append(
                    (
                        f"{result['label']:<9}{name:<18} growth {base['measures']:,} → {result['measures']:,}"
                        f" measures: p50 {then[name][0]:.1f} → {now[name][0]:.1f} ms ×{growth:.2f}"
                        f" {'≤' if ok else '>'} {GROWTH_TARGET:.0f} {'ok' if ok else 'FAIL'}"
                        f" (p95 {then[name][1]:.1f} → {now[name][1]:.1f} ms)",
                        ok,
                    )
                )
    return lines


# --- Child: one database ------------------------------------------------------------------------

SECTIONS = [
    ("贯彻落实党的路线方针政策和上级决策部署方面", "decisions"),
    ("落实全面从严治党主体责任和监督责任方面", "responsibility"),
    ("落实中央八项规定精神和作风建设方面", "conduct"),
    ("基层党组织建设和干部队伍建设方面", "organisation"),
    ("财务管理和资产资源管理方面", "finance"),
    ("服务群众和民生保障方面", "livelihood"),
    ("意识形态工作责任制落实方面", "ideology"),
]
PROBLEM_TITLES = [
    "学习贯彻上级重要精神不够深入，结合实际推动落实不够有力",
    "“三重一大”事项集体决策制度执行不严格",
    "落实意识形态工作责任制有差距，阵地管理存在薄弱环节",
    "主体责任压得不实，对下属单位监督管理不到位",
    "廉政风险防控机制不健全，重点岗位监管存在漏洞",
    "公务接待和公务用车管理不规范",
    "形式主义问题仍有发生，台账资料重留痕轻实效",
    "党组织生活制度落实不严格，“三会一课”质量不高",
    "发展党员程序不规范，档案资料不完整",
    "财务报销审核把关不严，部分支出手续不全",
    "专项资金管理使用不规范，存在挤占挪用现象",
    "固定资产登记管理混乱，账实不符",
    "集体“三资”管理不规范，合同管理存在漏洞",
    "群众诉求回应不及时，办理结果反馈不到位",
    "惠民资金发放审核不严，存在优亲厚友风险",
]
STATEMENTS = [
    "经查，{year}年以来共有{n}笔合计{amount}元的支出未经集体研究，相关凭证附件不全。",
    "抽查{year}年会议记录{n}份，其中{k}份存在会后补记、记录过于简单等问题。",
    "{year}年以来，{n}项重点工作推进缓慢，未按时间节点完成，督办机制流于形式。",
    "巡察期间发现，{n}处宣传阵地无专人管理，部分内容长期未更新。",
    "{year}年固定资产盘点中，有{n}项资产账实不符，涉及金额{amount}元。",
    "群众反映的{n}件诉求中，有{k}件超过办理时限，{k}件未向群众反馈办理结果。",
]
MEASURE_TEXTS = [
    "召开专题会议，逐笔核查{year}年以来相关事项，建立问题清单，明确责任人和完成时限，限期整改到位。",
    "修订完善相关管理制度，明确审批权限和工作流程，组织相关人员开展专题培训，确保制度执行到位。",
    "对相关责任人进行约谈提醒，视情节轻重依规依纪依法追究责任，形成警示震慑。",
    "建立长效机制，每季度开展一次自查自纠，自查情况报党工委会议审议，持续巩固整改成果。",
    "对照问题清单逐项销号，整改完成一项、销号一项，相关佐证材料及时归档备查。",
    "加强日常监督检查，将整改落实情况纳入年度考核，对整改不力的严肃问责。",
]
DEPARTMENTS = ["党政办公室", "党建办公室", "财务室", "便民服务中心", "综合治理办公室", "社会事务办公室"]
LEADERS = [
    ("书记", "党工委书记"),
    ("副书记", "党工委副书记"),
    ("委员", "党工委委员"),
    ("纪检委员", "纪检委员"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红文斌志荣"
CN_NUMERALS = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + CN_NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return CN_NUMERALS[tens - 1] + "十" + (CN_NUMERALS[ones - 1] if ones else "")


@functools.cache
def _status_sets() -> tuple[list[str], list[str]]:
    """(done, open) statuses as the code defines them: DONE_STATES where it exists, else "done"."""
    from zhenggai.ledger import models

    values = list(models.MeasureStatus.values)
    done = [str(s) for s in getattr(models, "DONE_STATES", ["done"])]
    return [s for s in values if s in done], [s for s in values if s not in done]


def _light(status: str, deadline: datetime.date | None, today: datetime.date, due_soon: datetime.date) -> str:
    """The rule of zhenggai.ledger.lights, in Python, to know what the pages must show."""
    if status in _status_sets()[0]:
        return "green"
    if deadline is None:
        return "none"
    if deadline < today:
        return "red"
    if deadline <= due_soon:
        return "yellow"
    return "green"


@functools.cache
def _state_draws() -> tuple[list[Any], list[int], list[str], list[int], list[str], list[int]]:
    """What _measure_state draws from, with the cumulative weights (`choices` draws the same from
    weights and from their sums; the sums are made once here)."""
    from zhenggai.ledger.models import MeasureKind

    done_states, open_states = _status_sets()
    return (
        [MeasureKind.IMMEDIATE, MeasureKind.TIME_BOUND, MeasureKind.LONG_TERM],
        list(itertools.accumulate([20, 65, 15])),
        open_states,
        # Open ones mostly under way (the later open states), done ones mostly through (the last states).
        list(itertools.accumulate(range(1, len(open_states) + 1))),
        done_states,
        list(itertools.accumulate(range(1, len(done_states) + 1))),
    )


def _measure_state(rng: random.Random, today: datetime.date, red_share: float):
    """(status, deadline, completed_on, kind) with a realistic mix: done, overdue, due soon, on track."""
    kinds, kind_sums, open_states, open_sums, done_states, done_sums = _state_draws()
    kind = rng.choices(kinds, cum_weights=kind_sums)[0]
    days = datetime.timedelta
    draw = rng.random()
    not_done = rng.choices(open_states, cum_weights=open_sums)[0]
    if draw < 0.33:  # done
        deadline = today + days(rng.randint(-200, 40))
        completed = min(today, deadline - days(rng.randint(0, 30))) if rng.random() < 0.85 else today
        done = rng.choices(done_states, cum_weights=done_sums)[0]
        return done, deadline, completed, kind
    draw -= 0.33
    if draw < red_share:  # overdue, not done: red
        return not_done, today - days(rng.randint(1, 150)), None, kind
    draw -= red_share
    if draw < 0.10:  # due within the yellow window
        return not_done, today + days(rng.randint(0, 10)), None, kind
    if draw < 0.14:  # no deadline yet
        return open_states[0], None, None, kind
    return not_done, today + days(rng.randint(11, 400)), None, kind


def fill(
    args: argparse.Namespace, today: datetime.date, stages: province.Stages | None = None
) -> dict[str, Any]:
    """Fill the database (see the module's docstring); return what the checks need.

    In one transaction: the organisation tree, people and logins, rounds and problems through
    `bulk_create`; then measures (realistic texts, fingerprints, MinHash bands), cooperating
    departments, progress notes and evidence files written as raw rows (COPY on PostgreSQL). In a
    second one the history of it all, a hash chain that `verify` finds clean (see _fill_history). The large tables' secondary
    indexes, unique constraints and foreign keys are made after their rows (province.DeferredIndexes).
    Another process writes the texts meanwhile (province.measure_text_keys, progress_texts).
    Prints the time of each stage (`stages`, which the caller may go on timing)."""
    # No cyclic garbage collection meanwhile: the fill keeps millions of objects (the plan, the texts,
    # the states read back) that no cycle holds, and each full collection would walk all of them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _fill(args, today, stages or province.Stages())
    finally:
        if collecting:
            gc.enable()


def _fill(args: argparse.Namespace, today: datetime.date, stages: province.Stages) -> dict[str, Any]:
    from concurrent.futures import ProcessPoolExecutor

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from zhenggai.history.models import HistoryEntry
    from zhenggai.ledger.models import (
        EvidenceFile,
        InspectionRound,
        Measure,
        MeasureSketch,
        Problem,
        ProgressEntry,
    )
    from zhenggai.ledger.tally import tally_rebuild
    from zhenggai.orgs.models import Membership, Organisation, OrgKind, Person, Role

    rng = random.Random(args.seed)
    step = Organisation.PATH_STEP
    # The full numbering (一、1.) where the model keeps it.
    has_outline = any(f.name == "outline" for f in Problem._meta.get_fields())

    def outline(text: str) -> dict[str, str]:
        return {"outline": text} if has_outline else {}

    batch = 2000 if connection.vendor == "postgresql" else None  # SQLite: Django picks a size under its limit
    users = get_user_model()
    days = datetime.timedelta
    lap = stages.lap

    # The units' names follow from their number: the texts can be written from the start, by
    # another process (fork: it inherits the modules, and touches no database).
    unit_names = [(f"第{i + 1:04d}社区党工委", f"第{i + 1:04d}社区") for i in range(args.units)]
    per_unit = args.problems * args.measures
    helper = ProcessPoolExecutor(1)
    # The progress notes first: the fill writes them first (as many as wanted; see _plan_lives).
    progress_texts_job = helper.submit(province.progress_texts, args.seed, today, _notes_wanted(args))
    measure_texts_job = helper.submit(province.measure_text_keys, args.seed, today, unit_names, per_unit)

    if connection.vendor == "sqlite":
        # A bench database only: no journal, no waiting for the disk while filling.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    deferred = province.DeferredIndexes(
        [
            Problem,
            Measure,
            Measure.cooperating_departments.through,
            MeasureSketch,
            ProgressEntry,
            EvidenceFile,
        ]
        + ([HistoryEntry] if args.history else [])
    )
    # Before the transaction: SQLite turns foreign key checks off only outside one.
    lap("indexes and constraints dropped", deferred.drop())
    with transaction.atomic():
        office = Organisation.objects.create(
            name="省委巡视巡察工作领导小组办公室" if args.units >= 1000 else "县委巡察办",
            short_name="巡察办",
            kind=OrgKind.INSPECTION_OFFICE,
        )
        office.path = f"{office.pk:0{step}d}"
        office.save(update_fields=["path"])
        group = Organisation.objects.create(
            name="县委第三巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office
        )
        group.path = f"{office.path}{group.pk:0{step}d}"
        group.save(update_fields=["path"])

        # Ids given here (the database is fresh), so that each path is known before the insert.
        next_id = iter(range(group.pk + 1, 1 << 62))
        units = []
        for name, short in unit_names:
            pk = next(next_id)
            units.append(
                Organisation(id=pk, name=name, short_name=short, kind=OrgKind.UNIT, path=f"{pk:0{step}d}")
            )
        n_departments = 4
        departments = []
        for unit in units:
            for name in rng.sample(DEPARTMENTS, n_departments):
                pk = next(next_id)
                departments.append(
                    Organisation(
                        id=pk,
                        name=f"{unit.short_name}{name}",
                        kind=OrgKind.DEPARTMENT,
                        parent=unit,
                        path=f"{unit.path}{pk:0{step}d}",
                    )
                )
        province.write_objects(Organisation, [*units, *departments])
        province.reset_sequences([Organisation])
        depts_of = {
            unit.pk: departments[i * n_departments : (i + 1) * n_departments] for i, unit in enumerate(units)
        }
        lap("organisations", 2 + len(units) + len(departments))

        def person_name() -> str:
            return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2])))

        people = Person.objects.bulk_create(
            [
                Person(name=person_name(), title=title, organisation=unit)
                for unit in units
                for _key, title in LEADERS
            ]
            + [Person(name=person_name(), title="工作人员", organisation=dept) for dept in departments],
            batch_size=batch,
        )
        leaders_of: dict[int, list[Person]] = {}
        doers_of: dict[int, Person] = {}
        for person in people:
            if person.title == "工作人员":
                doers_of[person.organisation_id] = person
            else:
                leaders_of.setdefault(person.organisation_id, []).append(person)
        lap("people", len(people))

        # Logins: the office's officer; per unit its clerk (台账管理员) and the leader who confirms.
        unusable = make_password(None)
        logins = users.objects.bulk_create(
            [users(username="bench_officer", first_name="巡察办工作人员", password=unusable)]
            + [
                users(username=f"unit{i + 1:04d}_{role}", first_name=f"{person_name()}", password=unusable)
                for i in range(len(units))
                for role in ("clerk", "leader")
            ],
            batch_size=batch,
        )
        officer = logins[0]
        clerk_of = {unit.pk: logins[1 + 2 * i] for i, unit in enumerate(units)}
        leader_of = {unit.pk: logins[2 + 2 * i] for i, unit in enumerate(units)}
        memberships = Membership.objects.bulk_create(
            [Membership(user=officer, organisation=office, role=Role.OFFICE_STAFF)]
            + [Membership(user=clerk_of[u.pk], organisation=u, role=Role.UNIT_STAFF) for u in units]
            + [Membership(user=leader_of[u.pk], organisation=u, role=Role.UNIT_LEADER) for u in units],
            batch_size=batch,
        )
        lap("logins and memberships", len(logins) + len(memberships))

        rounds = InspectionRound.objects.bulk_create(
            [
                InspectionRound(
                    title=f"县委第三巡察组反馈{unit.name}巡察意见整改台账",
                    office=office,
                    inspecting_group=group,
                    inspected_unit=unit,
                    on_site_start=today - days(150),
                    on_site_end=today - days(120),
                    feedback_date=today - days(rng.randint(60, 110)),
                    rectification_deadline=today + days(rng.randint(30, 90)),
                    preamble="根据县委巡察工作统一部署，县委第三巡察组对本单位党组织开展了巡察。",
                )
                for unit in units
            ],
            batch_size=batch,
        )
        lap("rounds", len(rounds))

        # Section headings (一、二、…) and, under them, the problems found (1. 2. …): 10 a section.
        texts = province.TextMaker(rng, today)
        per_section = 10
        n_sections = max(1, math.ceil(args.problems / per_section))
        problem_ids = iter(range(1, 1 << 62))  # a fresh table: ids given, written as rows
        headings = [
            Problem(
                id=next(problem_ids),
                round=round_,
                label=f"{_cn_number(s + 1)}、",
                number=s + 1,
                level=1,
                position=s * (per_section + 1) + 1,
                title=SECTIONS[(r + s) % len(SECTIONS)][0] + "存在的问题",
                category=SECTIONS[(r + s) % len(SECTIONS)][1],
                **outline(f"{_cn_number(s + 1)}、"),
            )
            for r, round_ in enumerate(rounds)
            for s in range(n_sections)
        ]
        findings = []
        for r, round_ in enumerate(rounds):
            for k in range(args.problems):
                s, i = divmod(k, per_section)
                heading = headings[r * n_sections + s]
                findings.append(
                    Problem(
                        id=next(problem_ids),
                        round=round_,
                        parent=heading,
                        label=f"{i + 1}.",
                        number=i + 1,
                        level=2,
                        position=heading.position + i + 1,
                        title=rng.choice(PROBLEM_TITLES),
                        statement=texts.statement(),
                        category=heading.category,
                        cause_analysis="思想认识不到位，制度执行不严格，监督检查不经常。",
                        **outline(f"{heading.label}{i + 1}."),
                    )
                )
        province.write_objects(Problem, [*headings, *findings])
        province.reset_sequences([Problem])
        lap("problems", len(headings) + len(findings))

        # A few units are far behind, most are on time: the share of overdue measures varies by unit.
        red_share = {round_.pk: rng.choice([0.02, 0.05, 0.08, 0.12, 0.15, 0.25, 0.40]) for round_ in rounds}
        plan = _plan_lives(args, rng, today, rounds, findings, red_share)
        plan.events.sort()
        lap("plan: each measure's life, the events", len(plan.events))

        # Ids, not instances, in the loops below.
        unit_of_round = [r.inspected_unit_id for r in rounds]
        dept_ids_of = {unit: [d.pk for d in depts] for unit, depts in depts_of.items()}
        leader_ids_of = {unit: [p.pk for p in persons] for unit, persons in leaders_of.items()}
        doer_id_of = {dept: person.pk for dept, person in doers_of.items()}
        clerk_id_of = {unit: user.pk for unit, user in clerk_of.items()}
        leader_id_of = {unit: user.pk for unit, user in leader_of.items()}
        problem_ids = [(problem.pk, problem.round_id) for problem in findings]

        # Progress notes and evidence files, numbered in the order they were recorded.
        files = _evidence_pool(rng)
        # The notes streamed (one COPY); the evidence files, fewer, written after them.
        progress_writer = province.RowWriter(
            ProgressEntry, [c for c, _a in province.model_columns(ProgressEntry)], batch=20_000, stream=True
        )
        evidence_writer = province.RowWriter(
            EvidenceFile, [c for c, _a in province.model_columns(EvidenceFile)], batch=1 << 62
        )
        progress_columns = [a for _c, a in province.model_columns(ProgressEntry)]
        evidence_columns = [a for _c, a in province.model_columns(EvidenceFile)]
        events = plan.events
        notes, made_notes = progress_texts_job.result()
        lap("waiting for the progress texts", len(notes))
        stages.merge(made_notes, " (other process)")
        n_notes = sum(1 for event in events if event[1] == EVENT_PROGRESS)
        if n_notes > len(notes):  # more than wanted: a done measure has one at least
            more = province.TextMaker(random.Random(f"{args.seed}-more-progress-texts"), today)
            notes += [more.progress() for _ in range(n_notes - len(notes))]
        n_progress = n_evidence = 0
        written = _Written(plan, notes, files, [clerk_id_of[unit] for unit in unit_of_round])
        for moment, kind, index, _extra in events:
            if kind == EVENT_PROGRESS:
                n_progress += 1
                row = written.progress_row(n_progress, moment, index)
                progress_writer.add(tuple(row[name] for name in progress_columns))
            elif kind == EVENT_EVIDENCE:
                n_evidence += 1
                file = rng.randrange(len(files))
                written.evidence.append((file, f"{rng.choice(EVIDENCE_NAMES)}{rng.randint(1, 9)}.pdf"))
                row = written.evidence_row(n_evidence, moment, index)
                evidence_writer.add(tuple(row[name] for name in evidence_columns))
        progress_writer.close()
        evidence_writer.close()
        lap("progress entries and evidence files", progress_writer.count + evidence_writer.count)

        # Measures: texts of the genre, ~3 % word-for-word and ~3 % near copies of another unit's,
        # from their own generator: the same units and seed give the same texts (and cached bands).
        made = measure_texts_job.result()
        measure_text, text_kind, prints, bands = made["texts"], made["kinds"], made["prints"], made["bands"]
        sketch_stats = made["stats"]
        helper.shutdown()
        lap("waiting for the texts", len(measure_text))
        stages.merge(made["stages"], " (other process)")
        columns = province.model_columns(Measure)
        # The measures streamed (one COPY); their departments, fewer, written after them.
        writer = province.RowWriter(Measure, [c for c, _a in columns], stream=True)
        m2m = Measure.cooperating_departments.through
        coop_writer = province.RowWriter(m2m, ["measure_id", "organisation_id"], batch=1 << 62)
        measures = []
        many_fields = [f.name for f in Measure._meta.many_to_many]
        for index, life in enumerate(plan.lives):
            problem_id, round_id = problem_ids[life.problem]
            unit_id = unit_of_round[life.round]
            lead = rng.choice(dept_ids_of[unit_id])
            final = life.steps[-1][2]
            values = {
                "id": index + 1,
                "problem_id": problem_id,
                "round_id": round_id,
                "position": life.position,
                "text": measure_text[index],
                "text_fingerprint": prints[index],
                "responsible_leader_id": rng.choice(leader_ids_of[unit_id]),
                "lead_department_id": lead,
                "doer_id": doer_id_of[lead],
                "kind": life.kind,
                "deadline": life.deadline,
                "status": life.status,
                "long_term": life.kind == "long_term",
                "completed_on": life.completed,
                "original_deadline": life.deadline,
                "submitted_by_id": clerk_id_of[unit_id] if life.submitted else None,
                "submitted_at": _moment(life.submitted),
                "created_by_id": clerk_id_of[unit_id],
                "confirmed_by_id": leader_id_of[unit_id] if life.confirmed else None,
                "claimed_status": "",
                "claimed_text": "",
                "completion_entered_late": False,
                "completion_late_reason": "",
                "follow_up_days": final.get("follow_up_days"),
                "next_check_on": _day(final.get("next_check_on")),
                "version": len(life.steps),
                "created_at": _moment(life.steps[0][0]),
                "updated_at": _moment(life.steps[-1][0]),
            }
            writer.add(tuple(values[attname] for _c, attname in columns))
            measures.append((index + 1, round_id, life.status, life.deadline))
            cooperating = []
            if rng.random() < 0.3:
                other = rng.choice(dept_ids_of[unit_id])
                if other != lead:
                    coop_writer.add((index + 1, other))
                    cooperating.append(other)
            state = _written_state("ledger.measure", values)
            for name in many_fields:
                state[name] = cooperating if name == "cooperating_departments" else []
            written.measures.append(orjson.dumps(state))
        writer.close()
        coop_writer.close()
        # Bands are "3:9f…" and ids numbers: rows COPY takes as they are.
        sketch_writer = province.RowWriter(
            MeasureSketch, ["measure_id", "band"], batch=100_000, plain=True, stream=True
        )
        for index, keys in enumerate(bands):
            sketch_writer.extend([(index + 1, band) for band in keys])
        sketch_writer.close()
        lap(
            "measures, their departments and sketches", writer.count + coop_writer.count + sketch_writer.count
        )
        del bands, prints, made

        province.reset_sequences([Measure, m2m, MeasureSketch, ProgressEntry, EvidenceFile])
    # The ledger is committed before its history is written: its indexes are made on another
    # connection meanwhile (PostgreSQL).
    lap("commit of the ledger")
    ledger_models = [m for m in deferred.models if m is not HistoryEntry]
    # PostgreSQL: while the history is made, beside it (see below); SQLite has one writer.
    beside = connection.vendor == "postgresql" and args.history
    if not beside:
        lap("indexes and constraints of the ledger", deferred.restore(ledger_models))

    vacuumed: list[str] = []

    def indexes_and_vacuum(models) -> int:
        made = deferred.restore(models)
        province.vacuum_analyze(models)  # what autovacuum does soon after: statistics, visibility map
        vacuumed.extend(model._meta.db_table for model in models)
        return made

    n_history = 0
    if args.history:
        ledger_work = province.Beside("ledger indexes", lambda: indexes_and_vacuum(ledger_models))
        n_history = _fill_history(
            plan=plan,
            written=written,
            rounds=rounds,
            officer=officer,
            clerk_of=clerk_of,
            leader_of=leader_of,
            stages=stages,
            forked=ledger_work.start if beside else None,
        )
        if beside:
            made = ledger_work.result()
            lap("waiting for the ledger's indexes")
            stages.add(
                "ledger: indexes, constraints, VACUUM ANALYZE (beside)", ledger_work.seconds, 0.0, made
            )
            history_work = province.Beside("history indexes", lambda: indexes_and_vacuum([HistoryEntry]))
            history_work.start()
        else:
            lap("indexes and constraints of the history", deferred.restore())
    # The fill writes past the services: count the office's tally once (ledger/tally.py).
    lap("tally rebuilt", tally_rebuild(today))
    if beside:
        made = history_work.result()
        lap("waiting for the history's indexes")
        stages.add("history: indexes, constraints, VACUUM ANALYZE (beside)", history_work.seconds, 0.0, made)

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    clerk_unit = units[len(units) // 2]
    clerk_round = rounds[len(units) // 2]
    return {
        "office": office,
        "clerk": clerk_of[clerk_unit.pk],
        "officer": officer,
        "clerk_round": clerk_round,
        "measures": measures,
        "n_orgs": 2 + len(units) + len(departments),
        "n_problems": len(headings) + len(findings),
        "n_evidence": n_evidence,
        "n_progress": n_progress,
        "n_history": n_history,
        "copies": {kind: text_kind.count(kind) for kind in ("own", "copy", "near")},
        "sketches": sketch_stats,
        "timings": stages.wall,
        "cpu_timings": stages.cpu,
        "vacuumed": vacuumed,  # tables given VACUUM ANALYZE already
    }


EVENT_ROUND, EVENT_STEP, EVENT_PROGRESS, EVENT_EVIDENCE = 0, 1, 2, 3
EVIDENCE_NAMES = ["整改佐证材料", "会议纪要", "制度文件", "约谈记录", "检查台账", "清退凭证", "培训签到表"]
DAY = 86_400.0


class _Life:
    """One measure's life: its state now, and the steps (time, action, changed fields) that led there."""

    __slots__ = (
        "completed",
        "confirmed",
        "deadline",
        "kind",
        "position",
        "problem",
        "round",
        "status",
        "steps",
        "submitted",
    )

    def __init__(self) -> None:
        self.steps: list[tuple[float, str, dict[str, Any]]] = []
        self.submitted = self.confirmed = 0.0


# Per tracked model: (attname, converter, the types it keeps as they are) of each stored column.
_STATE_COLUMNS: dict[str, list[tuple[str, Any, tuple[type, ...]]]] = {}


def _written_state(label: str, row: dict[str, Any]) -> dict[str, Any]:
    """The state `history.services.record` would read back of a row written from `row` (attname →
    value): the converters of history.state applied to the values written instead of to the values
    read (they bring both to one form). A number, a flag or a text (without NUL) that its converter
    keeps as it is is taken as it is. Many-to-many fields are the caller's."""
    columns = _STATE_COLUMNS.get(label)
    if columns is None:
        from zhenggai.history.state import _boolean, _plain, _text, specs

        spec = specs()[label]
        keeps = {_plain: (int, type(None)), _text: (str,), _boolean: (bool,)}
        columns = _STATE_COLUMNS[label] = [
            (name, convert, keeps.get(convert, ()))
            for name, convert in zip(spec.columns, spec.converters, strict=True)
        ]
    state = {}
    for name, convert, kept in columns:
        value = row[name]
        if type(value) in kept and not (type(value) is str and "\x00" in value):
            state[name] = value
        else:
            state[name] = convert(value)
    return state


class _Written:
    """What the fill wrote, for its history: each measure's stored state (made as it is written),
    and the progress notes' and evidence files' rows (attname → value), made again from the plan
    when the history needs them (as many rows are not kept twice)."""

    def __init__(self, plan: _Plan, notes: list[str], files: list[tuple[str, str, int]], clerks: list[int]):
        from django.utils import timezone

        self.plan, self.notes, self.files, self.clerks = plan, notes, files, clerks
        self.evidence: list[tuple[int, str]] = []  # (file in `files`, original name), in id order
        self.measures: list[bytes] = []  # each measure's state as stored (orjson), in id order
        self.zone = timezone.get_current_timezone()  # timezone.localdate's, looked up once

    def progress_row(self, pk: int, moment: float, index: int) -> dict[str, Any]:
        at = _moment(moment)
        return {
            "id": pk,
            "measure_id": index + 1,
            "happened_on": at.astimezone(self.zone).date(),  # type: ignore[union-attr]
            "text": self.notes[pk - 1],
            "author_id": self.clerks[self.plan.lives[index].round],
            "recorded_at": at,
            "late_entry": False,
            "late_reason": "",
        }

    def evidence_row(self, pk: int, moment: float, index: int) -> dict[str, Any]:
        file, original_name = self.evidence[pk - 1]
        content_name, sha, size = self.files[file]
        return {
            "id": pk,
            "measure_id": index + 1,
            "file": content_name,
            "original_name": original_name,
            "size": size,
            "sha256": sha,
            "description": "",
            "uploaded_by_id": self.clerks[self.plan.lives[index].round],
            "uploaded_at": _moment(moment),
        }


class _Plan:
    def __init__(self) -> None:
        self.lives: list[_Life] = []
        self.events: list[tuple[float, int, int, int]] = []  # (time, kind, measure or round, step)
        self.created: list[float] = []  # per round: when its plan was imported


def _moment(epoch: float) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC) if epoch else None


def _utc_iso(epoch: float) -> str:
    """history.canonical.utc_iso(_moment(epoch)), from the quicker isoformat."""
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat(timespec="microseconds")[:26] + "Z"


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _plan_lives(args, rng: random.Random, today: datetime.date, rounds, findings, red_share) -> _Plan:
    """Each measure's status and deadline (a realistic mix), and when it was created, started,
    noted (progress), documented (evidence), submitted, confirmed and closed: the events the
    history records, in time order, and the measure's state after each step."""
    from django.utils import timezone

    from zhenggai.history.canonical import utc_iso

    done_states, open_states = _status_sets()
    plan = _Plan()
    now = timezone.now().timestamp()
    zone = timezone.get_current_timezone()  # timezone.make_aware's, looked up once

    def aware(moment: datetime.datetime) -> datetime.datetime:
        return moment.replace(tzinfo=zone)  # what timezone.make_aware does

    if utc_iso(_moment(now)) != _utc_iso(now):
        raise AssertionError("_utc_iso does not write what history.canonical.utc_iso writes")
    for round_ in rounds:
        noon = datetime.datetime.combine(
            round_.feedback_date + datetime.timedelta(days=rng.randint(1, 7)), datetime.time(9)
        )
        plan.created.append(aware(noon).timestamp() + rng.uniform(0, 8 * 3600))
        plan.events.append((plan.created[-1], EVENT_ROUND, len(plan.created) - 1, 0))
    round_index = {round_.pk: r for r, round_ in enumerate(rounds)}
    for f, problem in enumerate(findings):
        r = round_index[problem.round_id]
        for position in range(1, args.measures + 1):
            life = _Life()
            life.problem, life.round, life.position = f, r, position
            life.status, life.deadline, life.completed, life.kind = _measure_state(
                rng, today, red_share[problem.round_id]
            )
            plan.lives.append(life)
    # Progress notes: none for a measure not started, at least one for a done one, the rest drawn.
    wanted = _notes_wanted(args)
    eligible = [i for i, life in enumerate(plan.lives) if life.status != open_states[0]]
    notes = [1 if plan.lives[i].status in done_states else 0 for i in eligible]
    extra = max(0, wanted - sum(notes))
    weights = [3.0 if plan.lives[i].status in done_states else 1.5 for i in eligible]
    for k in rng.choices(range(len(eligible)), weights=weights, k=extra) if eligible else []:
        notes[k] += 1
    note_count = dict(zip(eligible, notes, strict=True))
    for i, life in enumerate(plan.lives):
        created = plan.created[life.round] + life.position * 0.001
        end = now - rng.uniform(60, 3 * DAY)
        done = life.status in done_states
        if done:
            goal = aware(datetime.datetime.combine(life.completed, datetime.time(10))).timestamp()
            goal += rng.uniform(0, 3 * DAY)
            end = min(max(goal, created + 2 * DAY), now - 3 * 3600)
        fields = {
            "status": open_states[0],
            "version": 1,
            "updated_at": None,
            "completed_on": None,
            "submitted_by_id": None,
            "submitted_at": None,
            "confirmed_by_id": None,
            "follow_up_days": None,
            "next_check_on": None,
        }
        life.steps.append((created, "measure.create", dict(fields)))
        n = note_count.get(i, 0)
        times = sorted(rng.uniform(created + 3600, end - 60) for _ in range(n))
        started = times[0] if times else 0.0
        for t in times:
            plan.events.append((t, EVENT_PROGRESS, i, 0))
        if life.status != open_states[0]:
            if not started:
                started = rng.uniform(created + 3600, end - 60)
                action = "start"
            else:
                action = "progress"  # the first note starts the work
            fields["status"] = "in_progress"
            life.steps.append((started, action, dict(fields)))
        n_files = 0
        if done:
            n_files = rng.choice([1, 1, 2, 3])
        elif life.status != open_states[0] and rng.random() < 0.3:
            n_files = 1
        for _ in range(n_files):
            plan.events.append((rng.uniform(max(started, created + 3600), end - 30), EVENT_EVIDENCE, i, 0))
        if done:
            at = end
            fields.update(status="submitted", completed_on=life.completed.isoformat(), submitted_at=at)
            fields["submitted_by_id"] = "clerk"
            life.submitted = at
            life.steps.append((at, "submit", dict(fields)))
            if life.status in ("confirmed", "closed"):
                at = min(at + rng.uniform(0.2 * DAY, 10 * DAY), now - 1800 + rng.uniform(0, 600))
                at = max(at, life.steps[-1][0] + 60)
                fields.update(status="confirmed", confirmed_by_id="leader")
                life.confirmed = at
                life.steps.append((at, "confirm", dict(fields)))
            if life.status == "closed":
                at = min(at + rng.uniform(0.5 * DAY, 20 * DAY), now - 900 + rng.uniform(0, 600))
                at = max(at, life.steps[-1][0] + 60)
                fields["status"] = "closed"
                if life.kind == "long_term":
                    fields["follow_up_days"] = 180
                    closed_on = timezone.localdate(_moment(at))
                    fields["next_check_on"] = (closed_on + datetime.timedelta(days=180)).isoformat()
                life.steps.append((at, "close", dict(fields)))
        # Number the steps, time-stamp them: the state the history records after each.
        for number, (at, _action, changed) in enumerate(life.steps, start=1):
            changed["version"] = number
            changed["updated_at"] = _utc_iso(at)
            if changed["submitted_at"]:
                changed["submitted_at"] = _utc_iso(changed["submitted_at"])
            if number > 1:
                plan.events.append((at, EVENT_STEP, i, number - 1))
    return plan


def _notes_wanted(args: argparse.Namespace) -> int:
    """Progress notes in all (more if there are more done measures: each has one at least)."""
    return args.progress if args.progress is not None else 333 * args.units


def _evidence_pool(rng: random.Random) -> list[tuple[str, str, int]]:
    """Stored evidence files (name, sha256, size): a few distinct documents, each stored once under
    its hash as the services store them, that the evidence rows share (the same bytes, one file)."""
    from django.conf import settings

    pool = []
    for k in range(48):
        content = f"%PDF-1.4\n% 整改佐证材料 {k}\n".encode() + rng.randbytes(rng.randint(2_000, 40_000))
        sha = hashlib.sha256(content).hexdigest()
        name = f"evidence/{sha[:2]}/{sha}"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        pool.append((name, sha, len(content)))
    return pool


# History share of the second process: the entries of the last part of the events, while this
# process makes (and hashes) those of the first part and then hashes the second's.
HISTORY_HELPER_SHARE = 0.55


def _fill_history(
    *,
    plan: _Plan,
    written: _Written,
    rounds,
    officer,
    clerk_of,
    leader_of,
    stages: province.Stages,
    forked=None,
) -> int:
    """The history of everything filled, in time order: each record's creation (logins,
    organisations, people, memberships, then each round's plan as its import writes it), progress
    notes, evidence files and transitions, each entry with the records' states as `record` keeps
    them (`#state`, `~set`), hashed into the chain and signed where `record` signs. The states are
    read back from the database as `record` reads them, but for the many progress notes and
    evidence files: those are converted from the values written by the same converters
    (`_HistoryMaker.state`), checked against the database on a sample (and by `verify` on all).

    A second process (forked, so sharing the plan and the states read here) makes the entries of
    the later events while this one makes and chains the earlier ones, then chains them. `forked`
    is called once it is (threads are better started after a fork than before)."""
    import multiprocessing
    import pickle

    from django.conf import settings
    from django.db import transaction

    from zhenggai.accounts.services import USER_FIELDS
    from zhenggai.history import state
    from zhenggai.history.canonical import to_json_native
    from zhenggai.history.services import _actor_name
    from zhenggai.orgs.services import ORGANISATION_FIELDS, PERSON_FIELDS

    specs = state.specs()
    who = {officer.pk: (officer.pk, _actor_name(officer))}
    for user in [*clerk_of.values(), *leader_of.values()]:
        who[user.pk] = (user.pk, _actor_name(user))
    people = [(clerk_of[r.inspected_unit_id].pk, leader_of[r.inspected_unit_id].pk) for r in rounds]
    maker = _HistoryMaker(plan, written, [r.pk for r in rounds], people, who, officer.pk)
    # Logins, organisations, people and memberships, as the services create them.
    prelude = []
    for label, action, names in [
        ("auth.user", "user.create", USER_FIELDS),
        ("orgs.organisation", "organisation.create", ORGANISATION_FIELDS),
        ("orgs.person", "person.create", PERSON_FIELDS),
        ("orgs.membership", "membership.grant", None),
    ]:
        spec = specs[label]
        for pk, values in state.iter_all_states(spec):
            if names is None:
                shown = {
                    "user": values["user_id"],
                    "organisation": values["organisation_id"],
                    "role": values["role"],
                }
            else:
                shown = maker.values_of(spec.model, names, values)
            actor = (None, "") if pk == officer.pk and label == "auth.user" else who[officer.pk]
            prelude.append((actor, action, label, pk, {"values": shown, **maker.created(label, pk, values)}))
    maker.read_ledger()
    maker.check_written()
    stages.lap("history: records read back", len(prelude) + len(maker.round_states) + len(maker.problems_of))

    # The events split where about HISTORY_HELPER_SHARE of the entries remain (a round's event
    # makes the round's, its problems' and its measures' entries; a step "progress" none).
    events = plan.events
    weights = [maker.entry_count(event) for event in events]
    wanted, done, split = sum(weights) * (1 - HISTORY_HELPER_SHARE), 0, len(events)
    for position, weight in enumerate(weights):
        if done >= wanted:
            split = position
            break
        done += weight
    first, rest = events[:split], events[split:]
    offsets = (
        sum(1 for e in first if e[1] == EVENT_PROGRESS),
        sum(1 for e in first if e[1] == EVENT_EVIDENCE),
    )
    # The number and the time of each entry follow from those before it: the clock (the server's:
    # times follow the numbering) where the second part begins, as `add` below moves it.
    start = clock = min(plan.created) - 20 * DAY
    for _entry in prelude:
        clock = max(clock + 5, clock + 1e-5)
    for (at, _kind, _index, _number), weight in zip(first, weights, strict=False):
        for _ in range(weight):
            clock = max(at, clock + 1e-5)
    first_count = len(prelude) + sum(weights[:split])
    chain = province.ChainBuilder()
    fd, path = tempfile.mkstemp(prefix="history-", suffix=".pickle", dir=settings.DATA_DIR)
    os.close(fd)
    helper = None
    helper_started, children_cpu = time.perf_counter(), _children_cpu()
    if rest:
        helper = multiprocessing.get_context("fork").Process(
            target=_history_helper,
            args=(maker, rest, offsets, first_count, clock, chain.lines, path),
            name="history helper",
        )
        helper.start()
    if forked:
        forked()

    clock = start
    checked = [0]

    def add(at: float, actor, action: str, object_type: str, object_id, round_id, payload) -> None:
        nonlocal clock
        clock = max(at, clock + 1e-5)  # the server's clock: times follow the numbering
        if checked[0] < 200:  # the payload is JSON-native already, as record() would make it
            checked[0] += 1
            if to_json_native(payload) != payload:
                raise AssertionError(f"payload of {action} is not JSON-native")
        when = _moment(clock)
        seq = chain.seq + 1
        entry = province.prepare_entry(
            seq, when, actor, action, object_type, object_id, round_id, payload, chain.lines
        )
        chain.link(seq, clock, *entry, at=when)

    try:
        with transaction.atomic():
            for actor, action, label, pk, payload in prelude:
                add(clock + 5, actor, action, label, pk, None, payload)
            del prelude
            for entry in maker.entries(first, (0, 0)):
                add(*entry)
            if chain.seq != first_count:
                raise AssertionError(f"{chain.seq} entries made, {first_count} counted")
            stages.lap(f"history entries made and hashed, {1 - HISTORY_HELPER_SHARE:.0%}", chain.seq)
            if helper:
                helper.join()
                if helper.exitcode != 0:
                    raise RuntimeError(f"the history helper failed (exit code {helper.exitcode})")
                stages.lap("waiting for the other process's entries")
                stages.add(
                    f"history entries made by the other process, {HISTORY_HELPER_SHARE:.0%}",
                    time.perf_counter() - helper_started,
                    _children_cpu() - children_cpu,
                    sum(weights[split:]),
                )
                link = chain.link
                with open(path, "rb") as stream:
                    while True:
                        try:
                            part = pickle.load(stream)  # noqa: S301 - written by our own process
                        except EOFError:
                            break
                        for entry in part:
                            link(*entry)
                stages.lap("history entries of the other process chained", chain.seq)
            n = chain.finish()
            stages.lap("checkpoints, chain head", len(chain.checkpoints))
        stages.lap("commit of the history")
    finally:
        if helper and helper.is_alive():
            helper.kill()
        os.unlink(path)
    return n


def _children_cpu() -> float:
    """CPU seconds of this process's children that ended and were waited for."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _history_helper(
    maker: _HistoryMaker,
    events,
    offsets: tuple[int, int],
    seq: int,
    clock: float,
    lines: bool,
    path: str,
) -> None:
    """In the forked helper: the entries of `events` (the first of their progress notes and
    evidence files numbered after `offsets`), numbered after `seq`, their clock going on from
    `clock`, prepared for the chain (province.prepare_entry), pickled to `path` in parts. It reads
    nothing from the database (the parent's connection is not its to use)."""
    import pickle

    prepare, moment = province.prepare_entry, _moment
    with open(path, "wb") as stream:
        part = []
        for at, actor, action, object_type, object_id, round_id, payload in maker.entries(events, offsets):
            seq += 1
            clock = max(at, clock + 1e-5)
            head, tail, row = prepare(
                seq, moment(clock), actor, action, object_type, object_id, round_id, payload, lines
            )
            part.append((seq, clock, head, tail, row))
            if len(part) >= 20_000:
                pickle.dump(part, stream, protocol=pickle.HIGHEST_PROTOCOL)
                part = []
        pickle.dump(part, stream, protocol=pickle.HIGHEST_PROTOCOL)


class _HistoryMaker:
    """The entries of the ledger's life, from the plan, the rows' states read back, and the rows
    of progress notes and evidence files as written."""

    def __init__(
        self,
        plan: _Plan,
        written: _Written,
        round_ids: list[int],
        people: list[tuple[int, int]],
        who,
        officer_id: int,
    ) -> None:
        from zhenggai.history import state
        from zhenggai.ledger.services import CREATE_FIELDS

        self.plan, self.written, self.round_ids, self.people, self.who = plan, written, round_ids, people, who
        self.by_officer = who[officer_id]
        self.specs = state.specs()
        self.digest, self.key = state.digest, state.key
        self.attnames: dict[tuple, list[tuple[str, str]]] = {}
        self.create_names = ["problem", "position", *CREATE_FIELDS, "original_deadline", "created_by"]
        self.round_states: dict[int, Any] = {}
        self.problems_of: dict[int, list[tuple[int, int, bytes]]] = {}
        self.measures_of: dict[int, list[int]] = {}
        for index, life in enumerate(plan.lives):
            self.measures_of.setdefault(life.round, []).append(index)
        # The digest of each measure's state at the step its last entry named: events come in time
        # order, so a measure's step only moves forward and its notes in between share one digest.
        self.latest: list[tuple[int, str]] = [(-1, "")] * len(plan.lives)

    def read_ledger(self) -> None:
        """The rounds' and problems' states, as stored."""

        from zhenggai.history import state

        self.round_states = dict(state.iter_all_states(self.specs["ledger.inspectionround"]))
        for pk, values in state.iter_all_states(self.specs["ledger.problem"]):
            self.problems_of.setdefault(values["round_id"], []).append(
                (values["position"], pk, orjson.dumps(values))
            )

    def check_written(self, every: int = 997) -> None:
        """The states of measures, progress notes and evidence files as the fill made them
        (`_written_state`), against the database as `record` reads them, on a sample: the first
        rows of each and every `every`th."""

        from zhenggai.history import state

        plan, written = self.plan, self.written
        samples: dict[str, dict[int, dict[str, Any]]] = {
            "ledger.measure": {
                pk: orjson.loads(written.measures[pk - 1])
                for pk in range(1, len(written.measures) + 1)
                if pk <= 20 or pk % every == 0
            },
            "ledger.progressentry": {},
            "ledger.evidencefile": {},
        }
        found = {EVENT_PROGRESS: 0, EVENT_EVIDENCE: 0}
        for moment, kind, index, _number in plan.events:
            if kind not in found:
                continue
            found[kind] += 1
            pk = found[kind]
            if pk <= 20 or pk % every == 0:
                if kind == EVENT_PROGRESS:
                    label, row = "ledger.progressentry", written.progress_row(pk, moment, index)
                else:
                    label, row = "ledger.evidencefile", written.evidence_row(pk, moment, index)
                samples[label][pk] = _written_state(label, row)
        for label, made in samples.items():
            stored = state.read_states(self.specs[label], made)
            for pk, values in made.items():
                if stored.get(pk) != values:
                    raise AssertionError(f"{label} {pk}: written {values} ≠ stored {stored.get(pk)}")

    def entry_count(self, event: tuple[float, int, int, int]) -> int:
        _at, kind, index, number = event
        if kind == EVENT_ROUND:
            return (
                1
                + len(self.problems_of.get(self.round_ids[index], ()))
                + len(self.measures_of.get(index, ()))
            )
        if kind == EVENT_STEP and self.plan.lives[index].steps[number][1] == "progress":
            return 0
        return 1

    def values_of(self, model, names, values: dict[str, Any]) -> dict[str, Any]:
        pairs = self.attnames.get((model, *names))
        if pairs is None:
            pairs = self.attnames[(model, *names)] = [
                (name, model._meta.get_field(name).attname) for name in names
            ]
        return {name: values[attname] for name, attname in pairs}

    def created(self, label: str, pk, values: dict[str, Any]) -> dict[str, Any]:
        from zhenggai.history import state

        name = self.key(label, pk)
        return {state.STATE_KEY: {name: self.digest(values)}, state.SET_KEY: {name: values}}

    def step_values(self, index: int, number: int) -> dict[str, Any]:
        life = self.plan.lives[index]
        changed = dict(life.steps[number][2])
        clerk, leader = self.people[life.round]
        if changed["submitted_by_id"]:
            changed["submitted_by_id"] = clerk
        if changed["confirmed_by_id"]:
            changed["confirmed_by_id"] = leader
        return changed

    def measure_at(self, index: int, number: int) -> dict[str, Any]:

        values = orjson.loads(self.written.measures[index])
        changed = self.step_values(index, number)
        if number == len(self.plan.lives[index].steps) - 1:
            wrong = {n: (v, values[n]) for n, v in changed.items() if values[n] != v}
            if wrong:  # the history's last state of a measure must be the row
                raise AssertionError(f"measure {index + 1}: planned ≠ stored {wrong}")
        values.update(changed)
        return values

    def measure_digest(self, index: int, number: int) -> str:
        known, value = self.latest[index]
        if known != number:
            value = self.digest(self.measure_at(index, number))
            self.latest[index] = (number, value)
        return value

    def step_now(self, index: int, at: float) -> int:
        steps = self.plan.lives[index].steps
        number = 0
        while number + 1 < len(steps) and steps[number + 1][0] <= at:
            number += 1
        return number

    def entries(self, events, offsets: tuple[int, int]):
        """(at, actor, action, object type, object id, round id, payload) of each entry of `events`,
        in order; `offsets`: how many progress notes and evidence files the events before wrote."""

        from zhenggai.history import state
        from zhenggai.ledger.services import PROBLEM_HISTORY_FIELDS, ROUND_EXTRA_FIELDS, ROUND_HISTORY_FIELDS
        from zhenggai.ledger.transitions import TRANSITION_HISTORY_FIELDS

        STATE, SET, digest, key = state.STATE_KEY, state.SET_KEY, self.digest, self.key
        plan, people, who, by_officer = self.plan, self.people, self.who, self.by_officer
        values_of, created, step_values = self.values_of, self.created, self.step_values
        measure_label, create_names = "ledger.measure", self.create_names
        measure_model = self.specs[measure_label].model
        round_model = self.specs["ledger.inspectionround"].model
        problem_model = self.specs["ledger.problem"].model
        transition_names = {"start": "start", "submit": "submit", "confirm": "confirm", "close": "close"}
        progress_pk, evidence_pk = offsets
        progress_row, evidence_row, row_state = (
            self.written.progress_row,
            self.written.evidence_row,
            _written_state,
        )
        for at, kind, index, number in events:
            if kind == EVENT_ROUND:
                round_pk = self.round_ids[index]
                values = self.round_states[round_pk]
                actor = who[people[index][0]]
                shown = values_of(round_model, [*ROUND_HISTORY_FIELDS, *ROUND_EXTRA_FIELDS], values)
                payload = {"values": shown, **created("ledger.inspectionround", round_pk, values)}
                yield at, actor, "round.create", "ledger.inspectionround", round_pk, round_pk, payload
                for _position, pk, raw in sorted(self.problems_of.get(round_pk, [])):
                    values = orjson.loads(raw)
                    shown = values_of(problem_model, PROBLEM_HISTORY_FIELDS, values)
                    payload = {"values": shown, **created("ledger.problem", pk, values)}
                    yield at, actor, "problem.create", "ledger.problem", pk, round_pk, payload
                for m in self.measures_of.get(index, []):
                    values = self.measure_at(m, 0)
                    shown = values_of(measure_model, create_names, values)
                    payload = {"values": shown, "cooperating_departments": values["cooperating_departments"]}
                    payload.update(created(measure_label, m + 1, values))
                    yield at, actor, "measure.create", measure_label, m + 1, round_pk, payload
                continue
            life = plan.lives[index]
            pk, round_pk = index + 1, self.round_ids[life.round]
            clerk, leader = people[life.round]
            name = key(measure_label, pk)
            if kind == EVENT_STEP:
                action = life.steps[number][1]
                if action == "progress":
                    continue  # recorded with the note that started the work
                before, after = step_values(index, number - 1), step_values(index, number)
                values = self.measure_at(index, number)
                payload = {
                    "transition": transition_names[action],
                    "fields": {"status": [before["status"], after["status"]]},
                    "reason": "",
                    "version": after["version"],
                    "after": values_of(measure_model, TRANSITION_HISTORY_FIELDS, values),
                    STATE: {name: digest(values)},
                    SET: {name: {n: v for n, v in after.items() if before[n] != v}},
                }
                actor = (
                    who[leader] if action == "confirm" else by_officer if action == "close" else who[clerk]
                )
                yield at, actor, "measure.transition", measure_label, pk, round_pk, payload
                continue
            number = self.step_now(index, at)
            changes: dict[str, Any] = {}
            payload = {}
            if kind == EVENT_PROGRESS and life.steps[number][1] == "progress" and life.steps[number][0] == at:
                before, after = step_values(index, number - 1), step_values(index, number)
                changes = {n: v for n, v in after.items() if before[n] != v}
                payload["fields"] = {"status": [before["status"], after["status"]]}
            if kind == EVENT_PROGRESS:
                progress_pk += 1
                row_pk, label, action = progress_pk, "ledger.progressentry", "progress.record"
                row = row_state(label, progress_row(row_pk, at, index))
            else:
                evidence_pk += 1
                row_pk, label, action = evidence_pk, "ledger.evidencefile", "evidence.attach"
                row = row_state(label, evidence_row(row_pk, at, index))
            if kind == EVENT_PROGRESS:
                payload.update(
                    progress_id=row_pk,
                    happened_on=row["happened_on"],
                    text=row["text"],
                    late_entry=False,
                    late_reason="",
                )
            else:
                payload.update(
                    evidence_id=row_pk,
                    sha256=row["sha256"],
                    name=row["original_name"],
                    size=row["size"],
                    description=row["description"],
                )
            other = key(label, row_pk)
            payload[STATE] = {name: self.measure_digest(index, number), other: digest(row)}
            payload[SET] = {name: changes, other: row}
            yield at, who[clerk], action, measure_label, pk, round_pk, payload


def _expected_counts(rows, today: datetime.date, due_soon: datetime.date) -> dict[str, int]:
    """Every count the page may show: total, done, each status, each light (its data-count keys)."""
    from zhenggai.ledger.models import MeasureStatus

    done_states, _open = _status_sets()
    counts = {"total": len(rows), "done": sum(1 for r in rows if r[2] in done_states)}
    for status in MeasureStatus.values:
        counts[status] = sum(1 for r in rows if r[2] == status)
    lights = [_light(r[2], r[3], today, due_soon) for r in rows]
    for light in LIGHT_KEYS:
        counts[f"light-{light}"] = lights.count(light)
    return counts


def _bare_counts_keys() -> list[str]:
    """The keys of the bare counts query's columns, in order."""
    from zhenggai.ledger.models import MeasureStatus

    return ["total", *MeasureStatus.values, *(f"light-{light}" for light in LIGHT_KEYS)]


def _bare_sql() -> dict[str, str]:
    """BARE_SQL with the model's own status constants written in (they are code, not input)."""
    from zhenggai.ledger.models import MeasureStatus

    done_states, _open = _status_sets()
    done = ", ".join(f"'{status}'" for status in done_states)
    by_status = "".join(
        f"SUM(CASE WHEN m.status = '{status}' THEN 1 ELSE 0 END),\n" for status in MeasureStatus.values
    )
    return {
        key: sql.replace("{by_status}", by_status).replace("{done}", f"({done})")
        for key, sql in BARE_SQL.items()
    }


# The counts both pages show: all, by status, by light (the rule of ledger/lights.py).
COUNT_COLUMNS = """
        SELECT COUNT(*),
               {by_status}
               SUM(CASE WHEN m.status NOT IN {done} AND m.deadline < %(today)s THEN 1 ELSE 0 END),
               SUM(CASE WHEN m.status NOT IN {done} AND m.deadline BETWEEN %(today)s AND %(soon)s
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN m.status IN {done} OR m.deadline > %(soon)s THEN 1 ELSE 0 END),
               SUM(CASE WHEN m.status NOT IN {done} AND m.deadline IS NULL THEN 1 ELSE 0 END)
"""

# The hand-written SQL of each page: its 50 rows with the fields the table shows (unit, problem
# numbering and heading, measure, lead department, responsible leader, deadline and light, status,
# evidence count), and its counts by status and by light. Red: not done and past its deadline.
BARE_SQL = {
    "unit_rows": """
        SELECT m.id, p.id, p.outline, p.label, p.title, m.text, d.name, l.name, m.deadline, m.status,
               m.long_term,
               CASE WHEN m.status NOT IN {done} AND m.deadline < %(today)s THEN 'red'
                    WHEN m.status NOT IN {done} AND m.deadline BETWEEN %(today)s AND %(soon)s THEN 'yellow'
                    WHEN m.status IN {done} OR m.deadline > %(soon)s THEN 'green'
                    ELSE 'none' END,
               (SELECT COUNT(*) FROM ledger_evidencefile e WHERE e.measure_id = m.id)
        FROM ledger_measure m
        JOIN ledger_problem p ON p.id = m.problem_id
        LEFT JOIN orgs_organisation d ON d.id = m.lead_department_id
        LEFT JOIN orgs_person l ON l.id = m.responsible_leader_id
        WHERE m.round_id = %(round)s
        ORDER BY p.position, m.position, m.id
        LIMIT 50""",
    "unit_counts": COUNT_COLUMNS
    + """        FROM ledger_measure m
        WHERE m.round_id = %(round)s""",
    "office_rows": """
        SELECT u.name, m.id, p.id, p.outline, p.label, p.title, m.text, d.name, l.name, m.deadline,
               m.status, m.long_term, 'red',
               (SELECT COUNT(*) FROM ledger_evidencefile e WHERE e.measure_id = m.id)
        FROM ledger_measure m
        JOIN ledger_inspectionround r ON r.id = m.round_id
        JOIN orgs_organisation u ON u.id = r.inspected_unit_id
        JOIN ledger_problem p ON p.id = m.problem_id
        LEFT JOIN orgs_organisation d ON d.id = m.lead_department_id
        LEFT JOIN orgs_person l ON l.id = m.responsible_leader_id
        WHERE r.office_id = %(office)s AND m.status NOT IN {done} AND m.deadline < %(today)s
        ORDER BY u.path, m.round_id, p.position, m.position, m.id
        LIMIT 50""",
    "office_counts": COUNT_COLUMNS
    + """        FROM ledger_measure m
        JOIN ledger_inspectionround r ON r.id = m.round_id
        WHERE r.office_id = %(office)s AND m.status NOT IN {done} AND m.deadline < %(today)s""",
}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _summary(values_ms: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(values_ms), "p95": _pct(values_ms, 0.95), "max": max(values_ms)}


def _page_counts(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-count="([\w-]+)">(\d+)<', html)}


def _time_page(client, connection, url: str, n: int) -> tuple[list[float], list[float], list[float]]:
    """Server time of each request, its CPU time in this process, and its time in cursor.execute."""
    times, cpu_times, sql_times = [], [], []
    in_sql = [0]

    def timer(execute, sql, params, many, context):
        start = time.perf_counter_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter_ns() - start

    with connection.execute_wrapper(timer):
        for _ in range(n):
            in_sql[0] = 0
            start, cpu = time.perf_counter_ns(), time.process_time_ns()
            response = client.get(url)
            times.append((time.perf_counter_ns() - start) / 1e6)
            cpu_times.append((time.process_time_ns() - cpu) / 1e6)
            sql_times.append(in_sql[0] / 1e6)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return times, cpu_times, sql_times


def _constant_urlconf(root_urlconf: str) -> types.ModuleType:
    """The project's URLs plus one log-in-required view that returns a constant: the least page.

    It goes through the whole middleware stack (session, idle logout, locale, CSRF, user, messages,
    CSP, axes) and login_required, but runs no query and renders no template of its own. No page
    that fetches rows and counts can be faster than it plus those queries.
    """
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import include, path

    @login_required
    def constant(request):
        return HttpResponse(f"<!doctype html><title>{request.user.pk}</title>")

    module = types.ModuleType("bench_constant_urls")
    module.urlpatterns = [path(CONSTANT_PATH, constant), path("", include(root_urlconf))]  # type: ignore[attr-defined]
    return module


def _time_bare(connection, statements: list[tuple[str, dict]], n: int) -> tuple[list[float], list]:
    times, results = [], []
    for _ in range(n):
        start = time.perf_counter_ns()
        results = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times, results


def child(args: argparse.Namespace) -> int:
    label = args.child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    import zhenggai

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from zhenggai.ledger.lights import yellow_days

    # What the deployed server runs at start (settings.WSGI_APPLICATION), so that its set-up counts.
    importlib.import_module(settings.WSGI_APPLICATION.rpartition(".")[0])

    engine = empty_database_engine(label, args.data_dir)  # (only ever an empty database)
    if engine is None:
        return 2
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest {% static %} reads
    today = timezone.localdate()
    due_soon = today + datetime.timedelta(days=yellow_days())
    _say(f"[{label}] migrated in {time.perf_counter() - t0:.1f} s; filling")
    t0 = time.perf_counter()
    stages = province.Stages()
    data = fill(args, today, stages)
    done = set(data.pop("vacuumed"))
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load (PostgreSQL ≥ 13 vacuums insert-only tables
        # too): statistics, and the visibility map that index-only scans need. The fill did the
        # large tables already, beside its other work.
        others = [table for table in connection.introspection.table_names() if table not in done]
        with connection.cursor() as cursor:
            for table in others:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        stages.lap("VACUUM ANALYZE of the other tables", len(others))
    fill_s = time.perf_counter() - t0
    measures = data.pop("measures")
    n_measures = len(measures)
    _say(
        f"[{label}] filled in {fill_s:.1f} s: {data['n_orgs']} organisations, {args.units} rounds,"
        f" {data['n_problems']} problem nodes, {n_measures} measures ({data['copies']}),"
        f" {data['n_progress']} progress entries, {data['n_evidence']} evidence files,"
        f" {data['n_history']} history entries"
    )

    clerk_round = data["clerk_round"]
    round_expected = _expected_counts([m for m in measures if m[1] == clerk_round.pk], today, due_soon)
    red_expected = _expected_counts(
        [m for m in measures if _light(m[2], m[3], today, due_soon) == "red"], today, due_soon
    )
    # A server process holds none of this: 60,000 tuples more would slow every full garbage collection.
    del measures
    gc.collect()
    sql = _bare_sql()
    params = {
        "today": today.isoformat(),
        "soon": due_soon.isoformat(),
        "round": clerk_round.pk,
        "office": data["office"].pk,
    }
    pages = [
        {
            "name": "unit ledger",
            "user": data["clerk"],
            "url": reverse("ledger:round_ledger", args=[clerk_round.pk]),
            "expected": round_expected,
            "bare": [(sql["unit_rows"], params), (sql["unit_counts"], params)],
            "id_column": 0,
        },
        {
            "name": "office ledger",
            "user": data["officer"],
            "url": reverse("ledger:all_ledgers") + "?light=red",
            "expected": red_expected,
            "bare": [(sql["office_rows"], params), (sql["office_counts"], params)],
            "id_column": 1,
        },
    ]

    # Other pages an office opens, timed without a target or bare SQL: kept honest, not judged.
    from zhenggai.ledger.models import Problem

    first_problem = (
        Problem.objects.filter(round=clerk_round).exclude(statement="").order_by("position").first()
    )
    busiest = _busiest_measure(clerk_round.pk)
    other_pages = [
        # The office's whole ledger, unfiltered: every unit's measures, first page and the counts.
        ("office ledger all", data["officer"], reverse("ledger:all_ledgers"), P95_TARGET_MS),
        ("office overview", data["officer"], reverse("ledger:overview"), P95_TARGET_MS),
        ("office rounds", data["officer"], reverse("ledger:round_list"), P95_TARGET_MS),
        (
            "problem page",
            data["clerk"],
            reverse("ledger:problem_detail", args=[first_problem.pk]),
            P95_TARGET_MS,
        ),
        # The office sees every unit's plan: its copy and near-copy hints look through all measures.
        (
            "office problem",
            data["officer"],
            reverse("ledger:problem_detail", args=[first_problem.pk]),
            P95_TARGET_MS,
        ),
        # 我的待办: the office's home page (every group over all its units), and a unit clerk's.
        ("office to-do", data["officer"], reverse("todo:home"), P95_TARGET_MS),
        ("clerk to-do", data["clerk"], reverse("todo:home"), P95_TARGET_MS),
        # The history of the clerk's round (~667 entries at 333 progress notes a unit) and of its
        # measure with the most entries.
        ("round history", data["clerk"], reverse("history:round", args=[clerk_round.pk]), P95_TARGET_MS),
        ("measure history", data["clerk"], reverse("history:measure", args=[busiest]), P95_TARGET_MS),
    ]

    load_before = os.getloadavg()[0]
    others = []
    for name, user, url, target in other_pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for _ in range(WARMUP):
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{name} {url} answered {status}")
        if args.show_queries:
            _show_queries(client, connection, url, label, name)
        if args.profile:
            _profile(client, url, args.profile, label, name)
        times, _cpu, sql_times = _time_page(client, connection, url, args.requests)
        summary = {**_summary(times), "sql_p50": statistics.median(sql_times), "target": target}
        others.append({"name": name, "url": url, **summary})
        _say(f"[{label}] {name}: {url} p50 {summary['p50']:.1f} ms p95 {summary['p95']:.1f} ms")
    out = []
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(page["user"])
        for _ in range(WARMUP):
            response = client.get(page["url"])
        html = response.content.decode()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["url"])
        n_queries = len(captured)  # read now: every request resets the connection's query log
        if args.show_queries:
            _say(f"[{label}] {page['name']} {page['url']}: {n_queries} queries")
            for q in captured.captured_queries:
                _say(f"    {q['time']}s  {q['sql']}")

        # The same rows and counts, both ways.
        _times, bare_results = _time_bare(connection, page["bare"], 1)
        bare_rows, (bare_counts,) = bare_results
        bare_ids = [row[page["id_column"]] for row in bare_rows]
        page_ids = [int(pk) for pk in re.findall(r'data-measure="(\d+)"', html)]
        shown = _page_counts(html)
        expected = page["expected"]
        problems = []
        if response.status_code != 200:
            problems.append(f"status {response.status_code}")
        unknown = sorted(set(shown) - set(expected))
        wrong = {
            key: (value, expected[key])
            for key, value in shown.items()
            if key in expected and value != expected[key]
        }
        if wrong or unknown or not {"total", "light-red"} <= set(shown):
            problems.append(f"counts shown {shown}: wrong (shown, expected) {wrong}, unknown {unknown}")
        bare = dict(zip(_bare_counts_keys(), (int(v or 0) for v in bare_counts), strict=True))
        if any(bare[key] != expected[key] for key in bare):
            problems.append(f"bare counts {bare} != expected {expected}")
        if page_ids != bare_ids or len(page_ids) != min(50, expected["total"]):
            problems.append(
                f"rows differ: page {page_ids[:5]}… ({len(page_ids)}) bare {bare_ids[:5]}… ({len(bare_ids)})"
            )
        for problem in problems:
            _say(f"[{label}] {page['name']}: CHECK FAILED: {problem}")
        _say(
            f"[{label}] {page['name']}: {page['url']} → 200, {len(page_ids)} rows, counts {shown};"
            f" {n_queries} queries; timing {args.requests} requests"
        )

        if args.profile:
            _profile(client, page["url"], args.profile, label, page["name"])

        page_times, cpu_times, sql_times = _time_page(client, connection, page["url"], args.requests)
        bare_times, _ = _time_bare(connection, page["bare"], args.requests)
        # The floor: the smallest logged-in page (the user's reminders, none here) through the same
        # middleware, session, log-in and base template, with no ledger query.
        floor_times, _cpu, _sql = _time_page(client, connection, reverse(FLOOR_VIEW), args.requests)
        with override_settings(ROOT_URLCONF=_constant_urlconf(settings.ROOT_URLCONF)):
            for _ in range(WARMUP):
                client.get("/" + CONSTANT_PATH)
            least_times, _cpu, _sql = _time_page(client, connection, "/" + CONSTANT_PATH, args.requests)
        page_summary, bare_summary = _summary(page_times), _summary(bare_times)
        least = _summary(least_times)
        page_summary["sql_p50"] = statistics.median(sql_times)
        page_summary["cpu_p50"] = statistics.median(cpu_times)
        out.append(
            {
                "name": page["name"],
                "url": page["url"],
                "queries": n_queries,
                "page": page_summary,
                "bare": bare_summary,
                "floor": _summary(floor_times),
                "least": least,
                "ratio": page_summary["p50"] / bare_summary["p50"],
                "best_ratio": (least["p50"] + bare_summary["p50"]) / bare_summary["p50"],
                "checked": not problems,
                "total": expected["total"],
            }
        )

    # The whole history checked by `verify`, in a fresh process as `zhenggai verify` runs.
    verified = _run_verify(label, args) if args.history else None
    memory = _serve_memory(label, data["officer"]) if args.memory else None
    result = {
        "label": label,
        "engine": engine,
        "units": args.units,
        "measures": n_measures,
        "progress": data["n_progress"],
        "evidence": data["n_evidence"],
        "history": data["n_history"],
        "copies": data["copies"],
        "sketches": data["sketches"],
        "timings": data["timings"],
        "cpu_timings": data["cpu_timings"],
        "verify": verified,
        "memory": memory,
        "fill_s": fill_s,
        "requests": args.requests,
        "pages": out,
        "others": others,
        "python": platform.python_version(),
        "load": [load_before, os.getloadavg()[0]],
        "gc": {"tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count()},
        "source": str(Path(zhenggai.__file__).parent),
        "settings_db": settings.DATABASES["default"]["ENGINE"],
    }
    print_result(result)
    return 0


def _busiest_measure(round_id: int) -> int:
    """The measure of a round that the history names most often (the first one without a history)."""
    from django.db.models import Count

    from zhenggai.history.models import HistoryEntry
    from zhenggai.ledger.models import Measure

    top = (
        HistoryEntry.objects.filter(round_id=round_id, object_type="ledger.measure")
        .values("object_id")
        .annotate(n=Count("seq"))
        .order_by("-n", "object_id")
        .first()
    )
    if top:
        return int(top["object_id"])
    return Measure.objects.filter(round_id=round_id).order_by("pk").values_list("pk", flat=True)[0]


def _run_verify(label: str, args: argparse.Namespace) -> dict[str, Any] | None:
    """Time `verify()` of the whole history once, in a fresh process (see verify_child)."""
    from django.db import connections

    connections.close_all()
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--verify-only"]
    command += ["--data-dir", args.data_dir]
    _say(f"[{label}] verify: the whole history, in a fresh process")
    returncode, result = run_child(command, dict(os.environ))
    if returncode != 0 or result is None:
        _say(f"[{label}] verify FAILED (exit code {returncode})")
        return None
    return result


def verify_child() -> int:
    import resource

    import django

    django.setup()
    from zhenggai.history.verify import verify

    t0 = time.perf_counter()
    report = verify()
    seconds = time.perf_counter() - t0
    if not report.ok:
        _say(report.text()[:4000])
    print_result(
        {
            "ok": report.ok,
            "entries": report.entries,
            "records": report.records,
            "checkpoints": report.checkpoints,
            "files": report.files,
            "seconds": seconds,
            "per_second": report.entries / seconds if seconds else 0.0,
            "timings": dict(getattr(report, "timings", {})),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
    return 0 if report.ok else 1


MEMORY_TARGET_MB = 250.0
MEMORY_ROUNDS = 50


def _serve_memory(label: str, officer) -> dict[str, Any] | None:
    """Peak RSS (VmHWM) of one `zhenggai serve` worker that served the office's ledger, its red
    lights and its overview MEMORY_ROUNDS times each, as the office officer (a session made here)."""
    import socket
    import subprocess
    import urllib.request

    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(officer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    connections.close_all()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = Path(settings.DATA_DIR) / "bench-serve.log"  # why it did not start, if it did not
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "zhenggai.cli", "serve", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        env=dict(os.environ),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    paths = [
        reverse("ledger:all_ledgers"),
        reverse("ledger:all_ledgers") + "?light=red",
        reverse("ledger:overview"),
    ]
    times: dict[str, list[float]] = {path: [] for path in paths}
    try:
        deadline = time.monotonic() + 300  # a loaded machine, a large database to check
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                _say(f"[{label}] memory: zhenggai serve did not start:\n{tail}")
                return None
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=5).close()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.3)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if len(children) != 1:
            _say(f"[{label}] memory: expected one worker, found {children}")
            return None
        worker = int(children[0])
        before = _vm(worker)
        for _ in range(MEMORY_ROUNDS):
            for path in paths:
                request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
                start = time.perf_counter()
                with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
                    response.read()
                    if response.status != 200 or response.url != base + path:
                        _say(f"[{label}] memory: {path} answered {response.status} at {response.url}")
                        return None
                times[path].append((time.perf_counter() - start) * 1000)
        after = _vm(worker)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "worker_start_rss_mb": before["VmRSS"],
        "rss_mb": after["VmRSS"],
        "peak_mb": after["VmHWM"],
        "requests": MEMORY_ROUNDS * len(paths),
        "p50_ms": {path: statistics.median(values) for path, values in times.items()},
    }


def _vm(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak resident set) of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


def _show_queries(client, connection, url: str, label: str, name: str) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    _say(f"[{label}] {name} {url}: {len(captured)} queries")
    for q in captured.captured_queries:
        _say(f"    {q['time']}s  {q['sql']}")


def _profile(client, url: str, n: int, label: str, name: str) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(url)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(40)
    _say(f"[{label}] {name}: cProfile of {n} requests\n{stream.getvalue()}")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.verify_only:
        return verify_child()
    if args.child:
        return child(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
