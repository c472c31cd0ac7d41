"""Where the signing key and the exported checkpoints live, and how often checkpoints are written.

`settings.ZHENGGAI_HISTORY` may set any of these keys; the rest take the defaults below. The key
and the checkpoints are kept outside the database on purpose: whoever can rewrite the database
must not also be able to re-sign the chain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PUBLIC_KEY_NAME = "history-ed25519.pub.pem"
CHECKPOINT_FILE_NAME = "checkpoints.jsonl"
DEFAULT_MAX_AGE_SECONDS = 600
# A checkpoint row is committed before its line is appended to the file (after the commit):
# `verify` reads a row younger than this that the file lacks as on its way, not as missing.
EXPORT_GRACE = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class HistoryConf:
    key_file: Path
    checkpoint_dir: Path
    every_entries: int
    max_age: datetime.timedelta

    @property
    def checkpoint_file(self) -> Path:
        return self.checkpoint_dir / CHECKPOINT_FILE_NAME

    @property
    def public_key_file(self) -> Path:
        return self.checkpoint_dir / PUBLIC_KEY_NAME


def history_conf() -> HistoryConf:
    """Read on every call, so that a test's `settings` fixture takes effect at once."""
    data_dir = Path(settings.DATA_DIR)
    given = getattr(settings, "ZHENGGAI_HISTORY", {}) or {}
    conf = HistoryConf(
        key_file=Path(given.get("KEY_FILE") or data_dir / "keys" / "history-ed25519.pem"),
        checkpoint_dir=Path(given.get("CHECKPOINT_DIR") or data_dir / "checkpoints"),
        every_entries=int(given.get("CHECKPOINT_EVERY_ENTRIES", 1000)),
        max_age=datetime.timedelta(
            seconds=int(given.get("CHECKPOINT_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))
        ),
    )
    if conf.every_entries < 1 or conf.max_age.total_seconds() < 1:
        raise ImproperlyConfigured(
            "CHECKPOINT_EVERY_ENTRIES and CHECKPOINT_MAX_AGE_SECONDS must be at least 1"
        )
    return conf
