from django import template

from zhenggai.reminders.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """The signed-in user's unread reminders, for the nav: {% unread_notice_count as n %}."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user)
