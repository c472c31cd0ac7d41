"""The dashboard's figure cells, written in Python: a page has hundreds of them, and an
{% include %} per row cost more than the queries behind the whole page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def figure_cells(item: dict[str, Any], names: list[str]) -> SafeString:
    """One <td> a figure (its count, a link to its ledger), then the completion rate and the light."""
    figures = item["figures"]
    cells = format_html_join(
        "",
        '<td class="num"><a href="{}" data-figure="{}">{}</a></td>',
        ((figures[name][1], name, figures[name][0]) for name in names),
    )
    row = item["row"]
    return format_html(
        '{}<td class="num">{}%</td><td><i class="dot dot-{}"></i></td>', cells, row.rate, row.light
    )
