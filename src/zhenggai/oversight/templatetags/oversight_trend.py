"""The trend partial's chart data (oversight/_trend.html)."""

from __future__ import annotations

from django import template

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
