"""The dashboard's random world (see _world.py)."""

from __future__ import annotations

import pytest
from _world import World, build


@pytest.fixture
def world(cast) -> World:
    return build(cast)
