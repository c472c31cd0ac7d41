#!/usr/bin/env python
"""Benchmark of the two ledger pages against the bare SQL that fetches the same rows and counts.

Fills a fresh database with N units × P problems × M measures (default 500 × 30 × 4 = 60,000
measures), then times, in-process through Django's test Client (server time = the time of
`client.get`, no network, no browser):

* the unit ledger: a unit clerk opens `/rounds/<pk>/` (first page: 50 rows and the counts);
* the office ledger: an inspection office officer opens `/ledger/?light=red` (all units, red
  lights only, first page of 50 rows and the counts);

each next to the bare SQL (a cursor, hand-written SQL, fetchall) that gets the same 50 rows, with
the joined fields the table shows, and the same counts by status and by light; and next to the
floor, the smallest logged-in page. More pages are timed without a target: the office's overview
and round list, and a problem page of the clerk's round; and the office's 我的待办 (the home page),
with its own target: p95 under 100 ms.

Target (docs: acceptance): p95 under 80 ms on SQLite and PostgreSQL, and page/bare under 4.

    .venv/bin/python bench/ledger.py                       # sqlite, and postgres when reachable
    .venv/bin/python bench/ledger.py --db sqlite --units 20 --requests 20     # a quick run
    .venv/bin/python bench/ledger.py --database-url postgres://u@host/empty_db

Each database runs in a child process of its own (settings are read from the environment once),
with its own temporary data folder; PostgreSQL gets a dedicated database, created and dropped.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
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

from _support import child_env, print_result, run_child
from _support import pg_admin as _pg_admin
from _support import pg_reachable as _pg_reachable
from _support import say as _say

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 80.0
TODO_P95_TARGET_MS = 100.0  # 我的待办 of the office (issue #11)
RATIO_TARGET = 4.0
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
    parser.add_argument("--seed", type=int, default=20201207)
    parser.add_argument(
        "--keep", action="store_true", help="keep the data folder and the PostgreSQL database"
    )
    parser.add_argument("--show-queries", action="store_true", help="print the SQL each page runs")
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
        help="also cProfile N requests of each page, print the top",
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _with_dbname(url: str, dbname: str) -> str:
    head, _, _old = url.rpartition("/")
    return f"{head}/{dbname}"


def _run_child(label: str, url: str, args: argparse.Namespace) -> dict[str, Any] | None:
    data_dir = tempfile.mkdtemp(prefix=f"zhenggai-bench-{label}-")
    env = child_env(data_dir, url)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label, "--data-dir", data_dir]
    for name in ("units", "problems", "measures", "requests", "seed", "profile"):
        command += [f"--{name}", str(getattr(args, name))]
    if args.show_queries:
        command.append("--show-queries")
    try:
        returncode, result = run_child(command, env)
        if returncode != 0 or result is None:
            _say(f"[{label}] FAILED (exit code {returncode})")
            return None
    finally:
        if args.keep:
            _say(f"[{label}] kept data folder {data_dir}")
        else:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)
    return result


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
        wanted = args.db or "auto"
        if wanted in ("sqlite", "both", "auto"):
            runs.append(("sqlite", "", ""))
        if wanted in ("postgres", "both", "auto"):
            why = _pg_reachable(args.pg_admin_url)
            if why:
                message = f"postgres SKIPPED: no PostgreSQL at {args.pg_admin_url} ({why})"
                if wanted != "auto":
                    _say(message)
                    return 2
                skipped.append(message)
                _say(message)
            else:
                runs.append(("postgres", _with_dbname(args.pg_admin_url, PG_BENCH_DB), PG_BENCH_DB))

    _say(
        f"Zhenggai ledger benchmark: {args.units} units × {args.problems} problems"
        f" × {args.measures} measures, {args.requests} timed requests per page;"
        f" databases: {', '.join(r[0] for r in runs) or 'none'}"
    )
    results = []
    for label, url, pg_db in runs:
        if pg_db:
            _pg_admin(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
            _pg_admin(args.pg_admin_url, f'CREATE DATABASE "{pg_db}"')
        try:
            result = _run_child(label, url, args)
        finally:
            if pg_db and not args.keep:
                _pg_admin(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
            elif pg_db:
                _say(f"[{label}] kept database {pg_db}")
        if result:
            results.append(result)

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
            f"{result['label']}: {result['engine']} · {result['measures']} measures"
            f" in {result['units']} units · filled in {result['fill_s']:.1f} s"
            f" · {result['requests']} timed requests per page"
            f" · load average {result['load'][0]:.1f} → {result['load'][1]:.1f} on {os.cpu_count()} CPUs"
            f" · code from {result['source']}"
            f" · GC tracks {result['gc']['tracked']:,} objects ({result['gc']['frozen']:,} frozen)"
        )
    print()
    for result in results:
        for page in result["pages"]:
            print(_fmt_line(result, page))
    for result in results:
        for other in result.get("others", []):
            target = other.get("target")
            print(
                f"{result['label']:<9}{other['name']:<16} page p50 {other['p50']:6.1f} ms p95 {other['p95']:6.1f} ms"
                f" (SQL {other['sql_p50']:5.1f})  "
                + (f"[target p95 < {target:.0f} ms]" if target else "[no target]")
            )
    for message in skipped:
        print(message)
    print()
    verdicts = []
    all_hold = bool(results)
    broken = len(results) < len(runs)
    for result in results:
        for page in result["pages"]:
            p95_ok = page["page"]["p95"] < P95_TARGET_MS
            ratio_ok = page["ratio"] < RATIO_TARGET
            checks_ok = page["checked"]
            broken |= not checks_ok
            all_hold &= p95_ok and ratio_ok and checks_ok
            verdicts.append(
                f"{result['label']} {page['name']}: p95 {page['page']['p95']:.1f} ms"
                f" {'<' if p95_ok else '>='} {P95_TARGET_MS:.0f} {'ok' if p95_ok else 'FAIL'},"
                f" ratio {page['ratio']:.2f}"
                f" {'<' if ratio_ok else '>='} {RATIO_TARGET:.0f} {'ok' if ratio_ok else 'FAIL'}"
                + ("" if checks_ok else ", page content check FAILED")
            )
        for other in result.get("others", []):
            if other.get("target"):
                ok = other["p95"] < other["target"]
                all_hold &= ok
                verdicts.append(
                    f"{result['label']} {other['name']}: p95 {other['p95']:.1f} ms"
                    f" {'<' if ok else '>='} {other['target']:.0f} {'ok' if ok else 'FAIL'}"
                )
    for verdict in verdicts:
        print("  " + verdict)
    missing = "" if not skipped else " (postgres skipped)"
    print(
        f"TARGETS {'HOLD' if all_hold else 'DO NOT HOLD'}{missing}: p95 < {P95_TARGET_MS:.0f} ms and"
        f" page/bare < {RATIO_TARGET:.0f} on {', '.join(r['label'] for r in results) or 'no database'}"
        f" · script ran {time.perf_counter() - started:.0f} s"
    )
    return 1 if broken or (args.strict and not all_hold) else 0


# --- Child: one database ------------------------------------------------------------------------

SECTIONS = [
    ("贯彻落实党的路线方针政策和上级决策部署方面", "party_leadership"),
    ("落实全面从严治党主体责任和监督责任方面", "main_responsibility"),
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


def _measure_state(rng: random.Random, today: datetime.date, red_share: float):
    """(status, deadline, completed_on, kind) with a realistic mix: done, overdue, due soon, on track."""
    from zhenggai.ledger.models import MeasureKind

    kind = rng.choices(
        [MeasureKind.IMMEDIATE, MeasureKind.TIME_BOUND, MeasureKind.LONG_TERM], weights=[20, 65, 15]
    )[0]
    days = datetime.timedelta
    draw = rng.random()
    done_states, open_states = _status_sets()
    # Open ones mostly under way (the later open states), done ones mostly through (the last states).
    not_done = rng.choices(open_states, weights=range(1, len(open_states) + 1))[0]
    if draw < 0.33:  # done
        deadline = today + days(rng.randint(-200, 40))
        completed = min(today, deadline - days(rng.randint(0, 30))) if rng.random() < 0.85 else today
        done = rng.choices(done_states, weights=range(1, len(done_states) + 1))[0]
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


def fill(args: argparse.Namespace, today: datetime.date) -> dict[str, Any]:
    """Bulk-insert the organisation tree, people, rounds, problems and measures; return what to check."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from zhenggai.ledger.models import EvidenceFile, InspectionRound, Measure, Problem
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

    with transaction.atomic():
        office = Organisation.objects.create(
            name="县委巡察办", short_name="巡察办", kind=OrgKind.INSPECTION_OFFICE
        )
        office.path = f"{office.pk:0{step}d}"
        office.save(update_fields=["path"])
        group = Organisation.objects.create(
            name="县委第三巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office
        )
        group.path = f"{office.path}{group.pk:0{step}d}"
        group.save(update_fields=["path"])

        units = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"第{i + 1:03d}社区党工委", short_name=f"第{i + 1:03d}社区", kind=OrgKind.UNIT
                )
                for i in range(args.units)
            ],
            batch_size=batch,
        )
        for unit in units:
            unit.path = f"{unit.pk:0{step}d}"
        Organisation.objects.bulk_update(units, ["path"], batch_size=500)
        n_departments = 4
        departments = Organisation.objects.bulk_create(
            [
                Organisation(name=f"{unit.short_name}{name}", kind=OrgKind.DEPARTMENT, parent=unit)
                for unit in units
                for name in rng.sample(DEPARTMENTS, n_departments)
            ],
            batch_size=batch,
        )
        for dept in departments:
            dept.path = f"{dept.parent.path}{dept.pk:0{step}d}"
        Organisation.objects.bulk_update(departments, ["path"], batch_size=500)
        depts_of = {
            unit.pk: departments[i * n_departments : (i + 1) * n_departments] for i, unit in enumerate(units)
        }

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

        # Section headings (一、二、…) and, under them, the problems found (1. 2. …): 10 a section.
        per_section = 10
        n_sections = max(1, math.ceil(args.problems / per_section))
        headings = Problem.objects.bulk_create(
            [
                Problem(
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
            ],
            batch_size=batch,
        )
        findings_spec = []
        for r, round_ in enumerate(rounds):
            for k in range(args.problems):
                s, i = divmod(k, per_section)
                heading = headings[r * n_sections + s]
                text = rng.choice(STATEMENTS).format(
                    year=rng.choice([2019, 2020, 2021]),
                    n=rng.randint(2, 40),
                    k=rng.randint(1, 9),
                    amount=f"{rng.randint(1, 90) * 1000 + rng.randint(0, 999):,}",
                )
                findings_spec.append(
                    Problem(
                        round=round_,
                        parent=heading,
                        label=f"{i + 1}.",
                        number=i + 1,
                        level=2,
                        position=heading.position + i + 1,
                        title=rng.choice(PROBLEM_TITLES),
                        statement=text,
                        category=heading.category,
                        cause_analysis="思想认识不到位，制度执行不严格，监督检查不经常。",
                        **outline(f"{heading.label}{i + 1}."),
                    )
                )
        findings = Problem.objects.bulk_create(findings_spec, batch_size=batch)

        # A few units are far behind, most are on time: the share of overdue measures varies by unit.
        red_share = {round_.pk: rng.choice([0.02, 0.05, 0.08, 0.12, 0.15, 0.25, 0.40]) for round_ in rounds}
        measures_spec = []
        for problem in findings:
            unit_id = problem.round.inspected_unit_id
            for position in range(1, args.measures + 1):
                status, deadline, completed, kind = _measure_state(rng, today, red_share[problem.round_id])
                lead = rng.choice(depts_of[unit_id])
                measures_spec.append(
                    Measure(
                        problem=problem,
                        round_id=problem.round_id,
                        position=position,
                        text=rng.choice(MEASURE_TEXTS).format(year=rng.choice([2019, 2020])),
                        responsible_leader=rng.choice(leaders_of[unit_id]),
                        lead_department=lead,
                        doer=doers_of[lead.pk],
                        kind=kind,
                        deadline=deadline,
                        status=status,
                        long_term=kind == "long_term",
                        completed_on=completed,
                    )
                )
        measures = Measure.objects.bulk_create(measures_spec, batch_size=batch)

        through = Measure.cooperating_departments.through
        through.objects.bulk_create(
            [
                through(measure_id=m.pk, organisation_id=other.pk)
                for m in measures
                if rng.random() < 0.3
                for other in [rng.choice(depts_of[m.problem.round.inspected_unit_id])]
                if other.pk != m.lead_department_id
            ],
            batch_size=batch,
        )

        clerk = users.objects.create_user("bench_clerk", first_name="台账管理员")
        officer = users.objects.create_user("bench_officer", first_name="巡察办工作人员")
        clerk_unit = units[len(units) // 2]
        Membership.objects.create(user=clerk, organisation=clerk_unit, role=Role.UNIT_STAFF)
        Membership.objects.create(user=officer, organisation=office, role=Role.OFFICE_STAFF)

        evidence = []
        done_states, open_states = _status_sets()
        for m in measures:
            n = 0
            if m.status in done_states:
                n = rng.choice([1, 1, 2, 3])
            elif m.status != open_states[0] and rng.random() < 0.3:
                n = 1
            for j in range(n):
                digest = f"{rng.getrandbits(256):064x}"
                evidence.append(
                    EvidenceFile(
                        measure=m,
                        file=f"evidence/{digest[:2]}/{digest}",
                        original_name=f"整改佐证材料{j + 1}.pdf",
                        size=rng.randint(20_000, 3_000_000),
                        sha256=digest,
                        uploaded_by=clerk,
                    )
                )
        EvidenceFile.objects.bulk_create(evidence, batch_size=batch)

        # The MinHash bands the near-copy hints look up, as the services keep them for every measure
        # (the migration that sketched the measures kept before does the same, in bulk).
        from django.apps import apps as django_apps

        sketches = importlib.import_module("zhenggai.ledger.migrations.0005_measure_sketch")
        sketches.fill_sketches(django_apps, None)

    clerk_round = rounds[len(units) // 2]
    return {
        "office": office,
        "clerk": clerk,
        "officer": officer,
        "clerk_round": clerk_round,
        "measures": [(m.pk, m.round_id, m.status, m.deadline) for m in measures],
        "n_orgs": 2 + len(units) + len(departments),
        "n_problems": len(headings) + len(findings),
        "n_evidence": len(evidence),
    }


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
    from zhenggai.ledger.tally import tally_rebuild

    # What the deployed server runs at start (settings.WSGI_APPLICATION), so that its set-up counts.
    importlib.import_module(settings.WSGI_APPLICATION.rpartition(".")[0])

    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        engine += " " + cursor.fetchone()[0]
    # Only ever an empty database: never one in use (nor PostgreSQL's `test`).
    if settings.DATABASES["default"]["NAME"] == "test" or connection.introspection.table_names():
        _say(f"[{label}] refusing: {settings.DATABASES['default']['NAME']} is not an empty database")
        return 2
    _say(f"[{label}] {engine}, data folder {args.data_dir}: migrating")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest {% static %} reads
    today = timezone.localdate()
    due_soon = today + datetime.timedelta(days=yellow_days())
    _say(f"[{label}] migrated in {time.perf_counter() - t0:.1f} s; filling")
    t0 = time.perf_counter()
    data = fill(args, today)
    tally_rebuild(today)  # the fill writes past the services: count the office's tally once (ledger/tally.py)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load (PostgreSQL ≥ 13 vacuums insert-only tables
            # too): statistics, and the visibility map that index-only scans need.
            cursor.execute("VACUUM ANALYZE")
    fill_s = time.perf_counter() - t0
    measures = data.pop("measures")
    n_measures = len(measures)
    _say(
        f"[{label}] filled in {fill_s:.1f} s: {data['n_orgs']} organisations, {args.units} rounds,"
        f" {data['n_problems']} problem nodes, {n_measures} measures, {data['n_evidence']} evidence files"
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
    other_pages = [
        ("office overview", data["officer"], reverse("ledger:overview"), None),
        ("office rounds", data["officer"], reverse("ledger:round_list"), None),
        ("problem page", data["clerk"], reverse("ledger:problem_detail", args=[first_problem.pk]), None),
        # The office sees every unit's plan: its copy and near-copy hints look through 60,000 measures.
        ("office problem", data["officer"], reverse("ledger:problem_detail", args=[first_problem.pk]), None),
        # 我的待办, the office's home page: every group over all its units (no bare SQL to compare).
        ("office to-do", data["officer"], reverse("todo:home"), TODO_P95_TARGET_MS),
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
        times, _cpu, sql_times = _time_page(client, connection, url, args.requests)
        summary = {**_summary(times), "sql_p50": statistics.median(sql_times), "target": target}
        others.append({"name": name, "url": url, **summary})
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

    result = {
        "label": label,
        "engine": engine,
        "units": args.units,
        "measures": n_measures,
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
    if args.child:
        return child(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
