"""The trend partial's chart data and table rows (oversight/_trend.html)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from zhenggai.oversight.trends import TrendPoint

register = template.Library()


@register.filter
def trend_chart(points: list[TrendPoint]) -> list[dict]:
    """The points as the chart draws them (json_script): plain numbers, the week as an ISO date."""
    return [
        {
            "week": point.week.isoformat(),
            "measures": point.measures,
            "done": point.done,
            "in_progress": point.in_progress,
            "long_term": point.long_term,
            "overdue": point.overdue,
            "rate": None if point.completion_rate is None else round(point.completion_rate * 100, 1),
        }
        for point in points
    ]


@register.simple_tag
def trend_rows(points: list[TrendPoint]) -> SafeString:
    """The trend table's rows, one a week, written here: 52 rows of seven cells through the
    template language cost more than the queries behind them."""
    return format_html_join(
        "\n",
        '<tr data-week="{}"><td>{}</td><td data-cell="measures">{}</td><td data-cell="done">{}</td>'
        '<td data-cell="in_progress">{}</td><td data-cell="long_term">{}</td>'
        '<td data-cell="overdue">{}</td><td data-cell="rate">{}</td></tr>',
        (
            (
                point.week.isoformat(),
                point.week.isoformat(),
                point.measures,
                point.done,
                point.in_progress,
                point.long_term,
                point.overdue,
                point.completion_percent,
            )
            for point in points
        ),
    )
