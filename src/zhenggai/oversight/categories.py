"""Problem categories as the oversight pages name and group them: codes are plain strings, and a
dotted code ("conduct.eight_rules") belongs to its top-level code ("conduct"). The names are the
taxonomy's (zhenggai.taxonomy), which the office edits."""

from __future__ import annotations

from collections.abc import Mapping

from zhenggai.taxonomy import selectors as taxonomy


def top_level(code: str) -> str:
    """The top-level code a category belongs to: "conduct.eight_rules" → "conduct"."""
    return code.split(".", 1)[0]


category_names = taxonomy.category_names  # {code: name}, one query


def category_name(code: str, names: Mapping[str, str] | None = None) -> str:
    """The name of `code` (its own, else its top-level's, else the code itself)."""
    names = category_names() if names is None else names
    return str(names.get(code) or names.get(top_level(code)) or code)


def category_choices() -> list[tuple[str, str]]:
    """(code, name) of the active top-level categories, for a filter's <select>."""
    return [(code, name) for code, name in taxonomy.category_choices() if "." not in code]
