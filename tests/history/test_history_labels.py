"""Every kind of history entry the code writes has a label for the timeline (else the timeline
shows its raw code, as it did for the webhooks' and tokens' entries)."""

from __future__ import annotations

import re
from pathlib import Path

from zhenggai.history.display import ACTION_LABELS

SRC = Path(__file__).resolve().parents[2] / "src" / "zhenggai"
# `action="organisation.create"` as the services pass it to history.record (literal codes only).
ACTION = re.compile(r"""\baction\s*=\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def _written_actions() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for code in ACTION.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, path)
    return found


def test_the_scan_finds_the_services_history_entries():
    found = _written_actions()
    assert {"measure.update", "signal.dismiss", "webhooks.endpoint.create", "api_token.create"} <= set(found)


def test_every_history_entry_the_code_writes_has_a_timeline_label():
    missing = {code: str(path.relative_to(SRC)) for code, path in _written_actions().items()}
    missing = {code: path for code, path in missing.items() if code not in ACTION_LABELS}
    assert not missing, f"history actions without a label in history/display.py: {missing}"
