"""Problem categories as the oversight pages name and group them: codes are plain strings, and a
dotted code ("conduct.eight_rules") belongs to its top-level code ("conduct").

The names come from `category_names`, the one place to point at the office's taxonomy when it
has one; until then they are the ledger's ProblemCategory labels.
"""

from __future__ import annotations

from django.utils.functional import Promise

from zhenggai.ledger.models import ProblemCategory


def top_level(code: str) -> str:
    """The top-level code a category belongs to: "conduct.eight_rules" → "conduct"."""
    return code.split(".", 1)[0]


def category_names() -> dict[str, str | Promise]:
    """{code: name} of the categories the office uses, top-level ones first, in its order."""
    return {str(code): label for code, label in ProblemCategory.choices}


def category_name(code: str, names: dict[str, str | Promise] | None = None) -> str:
    """The name of `code` (its own, else its top-level's, else the code itself)."""
    names = category_names() if names is None else names
    return str(names.get(code) or names.get(top_level(code)) or code)


def category_choices() -> list[tuple[str, str | Promise]]:
    """(code, name) of the top-level categories, for a filter's <select>."""
    return [(code, name) for code, name in category_names().items() if "." not in code]
