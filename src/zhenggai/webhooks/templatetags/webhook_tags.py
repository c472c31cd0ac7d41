from django import template

from zhenggai.webhooks.access import may_integrate as _may_integrate

register = template.Library()


@register.simple_tag(takes_context=True)
def may_integrate(context) -> bool:
    """Whether the top bar links to the webhooks page (from the memberships read already: no query)."""
    return _may_integrate(context["request"].user)
