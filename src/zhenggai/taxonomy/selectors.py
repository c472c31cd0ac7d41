"""Reads of the taxonomy: the categories in tree order, their names, the filter by a code."""

from __future__ import annotations

from django.db.models import Q

from zhenggai.taxonomy.models import Category


def category_q(code: str, field: str = "category") -> Q:
    """The rows whose `field` is the category `code` or one of its sub-categories (a top-level code
    selects ``conduct`` and ``conduct.*``; a sub-category's only itself)."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def category_tree(*, active_only: bool = False) -> list[Category]:
    """The categories, each top-level one followed by its sub-categories, in their order."""
    rows = list(Category.objects.order_by("position", "code"))
    if active_only:
        tops = {c.pk for c in rows if c.parent_id is None and c.active}
        rows = [c for c in rows if c.active and (c.parent_id is None or c.parent_id in tops)]
    children: dict[int | None, list[Category]] = {}
    for category in rows:
        children.setdefault(category.parent_id, []).append(category)
    ordered: list[Category] = []
    for top in children.get(None, []):
        ordered.append(top)
        ordered.extend(children.get(top.pk, []))
    return ordered


def category_choices(*, active_only: bool = True) -> list[tuple[str, str]]:
    """(code, label) of the categories in tree order, sub-categories' labels indented."""
    return [
        (c.code, c.name if c.parent_id is None else f"— {c.name}")
        for c in category_tree(active_only=active_only)
    ]


def category_names() -> dict[str, str]:
    """Every category's name by code, inactive ones included (a problem may still hold one)."""
    return dict(Category.objects.values_list("code", "name"))


def category_name(code: str) -> str:
    """The name of the category `code`, or the code itself when the taxonomy has none of it."""
    return Category.objects.filter(code=code).values_list("name", flat=True).first() or code
