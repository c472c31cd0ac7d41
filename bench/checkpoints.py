"""What the checkpoint file costs as it grows: the scheduler's tick, issuing a document, `verify`.

Run as ``.venv/bin/python bench/checkpoints.py [--checkpoints 52560] [--repeat 5]``. 52,560 is a
year of checkpoints at one every 10 minutes (CHECKPOINT_MAX_AGE_SECONDS), the most the scheduler
writes when something changes all the time.

In a fresh temporary data folder with SQLite, the table gets N signed checkpoints and the file the
same N lines; then, as median over the repeats:

* ``export_missing_rows``: what every ``checkpoint_now`` does after its commit (the scheduler's
  tick, every report or ledger issued): read the file, walk the table, export nothing;
* ``anchor_now``: the whole of what issuing a document adds (nothing new to sign);
* the checkpoint part of ``verify``: read and check every line's signature (as before this
  comparison existed), and compare the table with the file (what the comparison adds).

Target: the tick and the anchor under 1 s at a year of checkpoints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _median(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", type=int, default=52560)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="zhenggai-bench-checkpoints-")
    os.environ.update(
        {"ZHENGGAI_DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "zhenggai.config.settings", "DEBUG": "0"}
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from zhenggai.history.anchors import anchor_now
    from zhenggai.history.canonical import utc_iso
    from zhenggai.history.conf import history_conf
    from zhenggai.history.models import ChainHead, Checkpoint
    from zhenggai.history.report import VerifyReport
    from zhenggai.history.services import export_missing_rows
    from zhenggai.history.signing import load_or_create_private_key, sign_checkpoint, write_public_key
    from zhenggai.history.verify import _compare_with_table, _signed_checkpoints

    call_command("migrate", verbosity=0)
    conf = history_conf()
    key = load_or_create_private_key(conf.key_file)
    write_public_key(key, conf.public_key_file)
    start = timezone.now() - timezone.timedelta(days=366)
    rows, lines = [], []
    for n in range(1, args.checkpoints + 1):
        moment = start + timezone.timedelta(minutes=10 * n)
        signed = sign_checkpoint(key, n, f"{n:064x}", utc_iso(moment))
        lines.append(signed.as_line())
        rows.append(
            Checkpoint(
                seq=n,
                head_hash=signed.head_hash,
                created_at=moment,
                key_id=signed.key_id,
                signature=signed.signature,
            )
        )
    Checkpoint.objects.bulk_create(rows, batch_size=2000)
    conf.checkpoint_file.parent.mkdir(parents=True, exist_ok=True)
    conf.checkpoint_file.write_text("".join(lines))
    ChainHead.objects.create(
        pk=1,
        seq=args.checkpoints,
        hash=f"{args.checkpoints:064x}",
        checkpoint_seq=args.checkpoints,
        checkpoint_at=start,
    )

    good = []

    def read_file() -> None:
        report = VerifyReport()
        good[:] = _signed_checkpoints(conf.checkpoint_file, conf.public_key_file, report)
        assert report.checkpoints == args.checkpoints, report.text()

    def compare() -> None:
        report = VerifyReport()
        _compare_with_table(good, conf.checkpoint_file, report, own_file=True, exported=set())
        assert not report.checkpoint_findings, report.text()

    size = conf.checkpoint_file.stat().st_size / 1e6
    print(f"{args.checkpoints} checkpoints, file {size:.1f} MB, SQLite, median of {args.repeat}")
    tick = _median(args.repeat, lambda: export_missing_rows(conf))
    anchor = _median(args.repeat, anchor_now)
    lines_read = _median(args.repeat, read_file)
    compared = _median(args.repeat, compare)
    print(f"  export_missing_rows (every checkpoint_now)  {tick * 1000:8.0f} ms")
    print(f"  anchor_now (issuing a document)             {anchor * 1000:8.0f} ms")
    print(f"  verify: read the file, check signatures     {lines_read * 1000:8.0f} ms")
    print(f"  verify: compare the table with the file     {compared * 1000:8.0f} ms")
    ok = max(tick, anchor) < 1.0
    print("target (tick and anchor under 1 s):", "met" if ok else "NOT MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
