"""Writing speed of the documents out: the public report and the progress report (.docx) and the
ledger workbook (.xlsx) of a 100-problem round, and a 200,000-row ledger export.

Run as ``.venv/bin/python bench/render.py [--problems 100] [--rows 200000] [--repeat 7]``.
The 100-problem round is made from the demo report's problems (the published sample, read by the
report reader) repeated under ten headings, four measures each.

The large export, written by ``zhenggai.core.writers.xlsx_ledger`` (SpreadsheetML streamed into
the zip) to a temporary file, is measured two ways, each in a child process of its own so that
its memory figures are its own:

* ``write_rounds_xlsx``: ``rows / 100`` rounds (2,000 at 200,000 rows) of 25 problems × 4
  measures, one sheet per round, the ledgers made lazily one at a time (the time includes making
  them; the time making them alone is printed beside);
* ``write_ledger_xlsx``: one sheet of ``rows / 4`` problems × 4 measures, the ledger dict built
  before the clock starts.

Each is run once timed (rows/s counts measure rows; file size; peak RSS during the export minus
the RSS before it: ``VmHWM`` − ``VmRSS`` of /proc/self/status, the peak reset first through
/proc/self/clear_refs; ``resource.getrusage`` ``ru_maxrss`` where there is no /proc) and once
under tracemalloc (the peak of what the export allocates in Python; tracemalloc slows it, so that
run is not timed). Before them, the single sheet at doubling sizes shows that the time is linear
in the rows; after them, the rate of openpyxl's write-only mode with plain values, the ceiling of
any openpyxl-based export, at ``--ceiling-rows``.

Targets: the 100-problem report under 0.5 s; the large export at ≥ 20,000 rows/s in bounded
memory (peak under 300 MB, by both measures).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from zhenggai.core.ledger import new_ledger, new_measure, new_node, walk  # noqa: E402
from zhenggai.core.numbering import to_cn  # noqa: E402
from zhenggai.core.parse import parse_path  # noqa: E402
from zhenggai.core.writers.progress import render_progress_report  # noqa: E402
from zhenggai.core.writers.report_docx import ReportOptions, render_report  # noqa: E402

try:
    from zhenggai.core.writers.xlsx_ledger import write_ledger_xlsx, write_rounds_xlsx
except ImportError:  # the workbook writer is another module's; measure what exists
    write_ledger_xlsx = write_rounds_xlsx = None

REPORT_TARGET_S = 0.5
ROWS_TARGET = 20_000
PEAK_TARGET_MB = 300
ROUND_PROBLEMS = 25  # a round of the large export: 25 problems × 4 measures = 100 measure rows
STATUSES = ("done", "in_progress", "not_started", None)


def shared_dir() -> Path:
    return Path(os.environ.get("ZHENGGAI_SHARED") or REPO.parent / "shared")


def seed_problems() -> list[tuple[str, str, list[str]]]:
    """(title, problem, measures) from the demo report, or made-up text without the sample."""
    sample = shared_dir() / "samples" / "000_723fecc3ae9738e1.txt"
    if sample.is_file():
        ledger = parse_path(sample)
        found = [
            (n["title"], n["problem"], [m["text"] for m in n["measures"]])
            for n in walk(ledger["sections"])
            if n["problem"] and n["measures"]
        ]
        if found:
            return found
    return [("学习贯彻不深入。", "部分党员学习流于形式，集中学习次数偏少。", ["制定年度学习计划。"] * 3)]


def round_ledger(problems: int, measures_per_problem: int = 4, *, seeds: list | None = None) -> dict:
    """A round of ``problems`` problems under ten 一、 headings, ``measures_per_problem`` each."""
    seeds = seeds or seed_problems()
    ledger = new_ledger(title="关于巡察整改进展情况的通报")
    ledger["round"].update(
        kind="巡察", inspector="县委第三巡察组", target="X社区党工委", feedback_date="2020-05-13"
    )
    groups = max(1, min(10, problems))
    per_group = -(-problems // groups)
    made = 0
    for g in range(groups):
        top = new_node(label=f"{to_cn(g + 1)}、", number=g + 1, level=1, title="落实主体责任方面存在的问题。")
        for _ in range(per_group):
            if made == problems:
                break
            title, problem, texts = seeds[made % len(seeds)]
            node = new_node(label=f"{made + 1}.", number=made + 1, level=2, title=title)
            node["problem"] = problem
            node["measures"] = [new_measure(texts[k % len(texts)]) for k in range(measures_per_problem)]
            for k, measure in enumerate(node["measures"]):
                measure.update(owner="张主任", department="党政办", status=STATUSES[(made + k) % 4])
            node.update(
                status=STATUSES[made % 4], deadline=f"2020-{6 + made % 6:02d}", long_term=made % 3 == 0
            )
            top["children"].append(node)
            made += 1
        ledger["sections"].append(top)
    return ledger


def best_of(function, repeat: int) -> tuple[float, float]:
    """(median, best) seconds of ``repeat`` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def small_round(problems: int, repeat: int) -> list[tuple[str, float, float, str]]:
    ledger = round_ledger(problems)
    previous = copy.deepcopy(ledger)
    for node in walk(previous["sections"]):
        node["status"] = "in_progress" if node.get("problem") else None
    options = ReportOptions(
        issuer="中共X社区工作委员会", date=datetime.date(2020, 7, 13), responsibility=True
    )
    as_of = datetime.date(2020, 7, 13)
    rows = []
    median, best = best_of(lambda: render_report(ledger, options), repeat)
    rows.append(
        (f"public report .docx, {problems} problems", median, best, _verdict(median < REPORT_TARGET_S))
    )
    median, best = best_of(lambda: render_progress_report(ledger, options, as_of, previous), repeat)
    rows.append(
        (f"progress report .docx, {problems} problems", median, best, _verdict(median < REPORT_TARGET_S))
    )
    if write_ledger_xlsx is not None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "ledger.xlsx"
            median, best = best_of(lambda: write_ledger_xlsx(ledger, target), repeat)
        rows.append((f"ledger .xlsx, {problems} problems", median, best, ""))
    return rows


def export_seconds(rows: int) -> float:
    ledger = round_ledger(max(1, rows // 4), measures_per_problem=4)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_ledger_xlsx(ledger, Path(tmp) / "large.xlsx")
        return time.perf_counter() - start


def round_ledgers(rounds: int, seeds: list) -> Iterator[dict]:
    """``rounds`` ledgers of ``ROUND_PROBLEMS`` problems × 4 measures, made one at a time."""
    for i in range(rounds):
        ledger = round_ledger(ROUND_PROBLEMS, measures_per_problem=4, seeds=seeds)
        ledger["round"]["target"] = f"第{i + 1}社区党工委"
        yield ledger


def _status_kib(field: str) -> float | None:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process in KiB, from /proc (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _peak_rss_kib() -> float:
    """The peak RSS of this process: ``VmHWM``, else ``getrusage``'s ``ru_maxrss``. (``ru_maxrss``
    of a child also counts its parent's RSS at the fork, which survives the exec; ``VmHWM`` does not.)"""
    return _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak_rss() -> None:
    """Start ``VmHWM`` again from the current RSS (Linux 4.0+); without it, the peak so far stays."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def child_export(kind: str, rows: int, trace: bool) -> dict:
    """One large export in this (child) process: seconds, file size and memory, as a dict."""
    seeds = seed_problems()
    if kind == "rounds":
        rounds = max(1, rows // (ROUND_PROBLEMS * 4))
        measure_rows = rounds * ROUND_PROBLEMS * 4
        start = time.perf_counter()
        for _ in round_ledgers(rounds, seeds):
            pass
        making = time.perf_counter() - start

        def run(target: Path) -> None:
            write_rounds_xlsx(round_ledgers(rounds, seeds), target)
    else:
        ledger = round_ledger(max(1, rows // 4), measures_per_problem=4, seeds=seeds)
        measure_rows = sum(len(n["measures"]) for top in ledger["sections"] for n in top["children"])
        making = 0.0

        def run(target: Path) -> None:
            write_ledger_xlsx(ledger, target)

    out: dict = {"kind": kind, "rows": measure_rows, "making_s": making}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "large.xlsx"
        if trace:
            tracemalloc.start()
            run(target)
            out["tracemalloc_mb"] = tracemalloc.get_traced_memory()[1] / 1048576
            tracemalloc.stop()
        else:
            _reset_peak_rss()
            before = _status_kib("VmRSS") or _peak_rss_kib()
            start = time.perf_counter()
            run(target)
            out["seconds"] = time.perf_counter() - start
            out["rss_delta_mb"] = (_peak_rss_kib() - before) / 1024
        out["bytes"] = target.stat().st_size
    return out


def in_child(kind: str, rows: int, trace: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--rows", str(rows)]
    done = subprocess.run(  # noqa: S603 - this script, with arguments of its own
        [*command, "--trace"] if trace else command, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def plain_openpyxl_rows_per_s(rows: int) -> float:
    """The ceiling: openpyxl write-only with nine plain values a row, no styles, no merges."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    row = [
        "1.",
        "学习贯彻不深入。",
        "制定年度学习计划。",
        "张主任",
        "党政办",
        "2020年7月",
        "已完成",
        "正在整改",
        None,
    ]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for _ in range(rows):
            sheet.append(row)
        book.save(Path(tmp) / "plain.xlsx")
        return rows / (time.perf_counter() - start)


def linearity(rows: int, budget: float) -> None:
    """The single sheet at doubling sizes up to ``rows``, stopping once a size takes over ``budget``
    seconds (a writer that is not linear in the rows would take hours at 200,000)."""
    sizes, size = [], 25_000
    while size < rows:
        sizes.append(size)
        size *= 2
    sizes.append(rows)
    done: list[tuple[int, float]] = []
    for size in sizes:
        seconds = export_seconds(size)
        done.append((size, seconds))
        rate = size / seconds
        verdict = "ok" if rate >= ROWS_TARGET else "SLOW"
        print(f"ledger .xlsx, {size:>7,} measure rows: {seconds:7.2f} s  {rate:9,.0f} rows/s  ({verdict})")
        # Doubling the rows should double the time; stop before a size that would overrun the budget.
        growth = seconds / done[-2][1] if len(done) > 1 else 2.0
        if size < rows and (seconds > budget or seconds * growth > 2 * budget):
            print(
                f"  stopped: time grows {growth:.1f}x per doubling (2x is linear); the next size would take "
                f"about {seconds * growth:.0f} s; {rows:,} rows not measured"
            )
            return


def large_export(rows: int, budget: float, ceiling_rows: int) -> bool:
    """The large export, both ways, each in a child process; True when every target holds."""
    linearity(rows, budget)
    ok = True
    labels = {
        "rounds": f"write_rounds_xlsx, {max(1, rows // (ROUND_PROBLEMS * 4)):,} rounds (sheets)",
        "sheet": "write_ledger_xlsx, one sheet",
    }
    for kind in ("rounds", "sheet"):
        timed = in_child(kind, rows, trace=False)
        traced = in_child(kind, rows, trace=True)
        rate = timed["rows"] / timed["seconds"]
        peak = max(traced["tracemalloc_mb"], timed["rss_delta_mb"])
        fast, small = rate >= ROWS_TARGET, peak < PEAK_TARGET_MB
        ok = ok and fast and small
        print(f"{labels[kind]}, {timed['rows']:,} measure rows:")
        making = f" (making the ledgers alone: {timed['making_s']:.2f} s)" if timed["making_s"] else ""
        print(f"  {timed['seconds']:6.2f} s  {rate:9,.0f} rows/s  ({_verdict(fast)}){making}")
        print(
            f"  peak memory: tracemalloc {traced['tracemalloc_mb']:.1f} MB, "
            f"RSS growth {timed['rss_delta_mb']:.1f} MB  ({'ok' if small else 'OVER'})"
        )
        print(f"  file {timed['bytes'] / 1048576:.1f} MB")
    if ceiling_rows:
        print(
            f"openpyxl write-only, plain values, {ceiling_rows:,} rows: "
            f"{plain_openpyxl_rows_per_s(ceiling_rows):,.0f} rows/s (the ceiling of an openpyxl export)"
        )
    print(
        f"targets: ≥ {ROWS_TARGET:,} rows/s and peak < {PEAK_TARGET_MB} MB at {rows:,} rows: "
        f"{'ok' if ok else 'MISSED'}"
    )
    return ok


def _verdict(ok: bool) -> str:
    return "ok" if ok else "SLOW"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds one export size may take")
    parser.add_argument(
        "--ceiling-rows", type=int, default=50_000, help="rows of the plain openpyxl run (0: skip it)"
    )
    parser.add_argument("--child", choices=("rounds", "sheet"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_export(args.child, args.rows, args.trace)))
        return 0
    print(f"{'what':42} {'median s':>9} {'best s':>8}  target {REPORT_TARGET_S} s")
    for what, median, best, verdict in small_round(args.problems, args.repeat):
        print(f"{what:42} {median:9.3f} {best:8.3f}  {verdict}")
    if write_ledger_xlsx is None or write_rounds_xlsx is None:
        print("zhenggai.core.writers.xlsx_ledger is missing: no workbook measured")
        return 0
    large_export(args.rows, args.budget, args.ceiling_rows)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"this process's peak RSS {rss:.0f} MB (the exports above ran in child processes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
