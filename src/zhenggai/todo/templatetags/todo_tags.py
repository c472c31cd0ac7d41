from django import template

from zhenggai.todo.selectors import COUNT_ATTR, badge_count

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_badge(context) -> int:
    """The signed-in user's number of to-do items, for the nav: {% todo_badge as n %}.

    The to-do page has counted them already; other pages take the count of the last minute, or make
    it (`selectors.badge_count`)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not getattr(user, "is_authenticated", False):
        return 0
    if request is not None and hasattr(request, COUNT_ATTR):
        return getattr(request, COUNT_ATTR)
    count = badge_count(user)
    if request is not None:
        setattr(request, COUNT_ATTR, count)
    return count
