"""Readers turn a file's bytes into paragraphs (or table rows) for the structure reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """A table's cells row by row; ``merges`` are 0-based inclusive (row1, col1, row2, col2)."""

    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    name: str | None = None
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # number formats of date cells


@dataclass
class Extracted:
    """What a reader found: paragraphs in order, interleaved with tables, and what it dropped."""

    blocks: list[str | Table]
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
