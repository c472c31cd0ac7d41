"""The history tests keep their signing key and exported checkpoints in the test's own folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _history_folders(settings, tmp_path):
    settings.ZHENGGAI_HISTORY = {
        "KEY_FILE": str(tmp_path / "keys" / "history-ed25519.pem"),
        "CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
    }
