"""Fixtures of the document core's tests: no database and no Django settings needed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _test_settings():
    """Shadows the web tests' autouse settings fixture: the document core needs no Django settings."""
    return None
