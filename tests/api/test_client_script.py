"""The client script of docs/api.md, run as it is printed there (the standard library only: Python
started without its site packages) against a live server on 127.0.0.1: it imports the sample
report, commits it, assigns a measure, records progress with evidence and submits the measure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from _api_support import secret_of

from zhenggai.history.verify import verify
from zhenggai.ledger.models import InspectionRound, Measure, MeasureStatus

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "src/zhenggai/demo/data/x_community_2020_report.txt"  # the sample report's copy


def client_script() -> str:
    blocks = re.findall(r"```python\n(# zhenggai_client\.py.*?)```", (REPO / "docs/api.md").read_text(), re.S)
    assert len(blocks) == 1, "docs/api.md holds one client script"
    return blocks[0]


def test_the_documented_client_script_imports_assigns_records_and_submits(
    transactional_db, live_server, cast, tmp_path
):
    evidence = tmp_path / "制度文件.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% the rules as adopted\n")
    department = cast.a.department.name
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-",
            live_server.url,
            secret_of(cast.clerk_a),
            str(SAMPLE),
            str(evidence),
            department,
        ],
        input=client_script(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    round_ = InspectionRound.objects.exclude(pk__in=[cast.a.round.pk, cast.b.round.pk]).get()
    assert round_.inspected_unit == cast.a.unit and round_.problems.exclude(statement="").count() == 22
    measure = Measure.objects.filter(round=round_).order_by("problem__position", "position", "pk").first()
    assert measure is not None
    assert measure.lead_department == cast.a.department
    assert measure.status == MeasureStatus.SUBMITTED
    assert measure.progress_entries.get().text == "已建立制度并组织学习。"
    stored = measure.evidence_files.get()
    with stored.file.open("rb") as kept:
        assert stored.original_name == "制度文件.pdf" and kept.read() == evidence.read_bytes()
    assert f"measure {measure.pk} is submitted" in done.stdout
    report = verify()  # every write is one the history answers for, its chain intact
    assert report.ok, report.text()
