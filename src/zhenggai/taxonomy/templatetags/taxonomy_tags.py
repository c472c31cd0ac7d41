from __future__ import annotations

from django import template

from zhenggai.ledger.access import rights_for
from zhenggai.taxonomy.access import may_correct_category, may_edit_taxonomy
from zhenggai.taxonomy.selectors import category_name

register = template.Library()


@register.simple_tag(takes_context=True)
def may_edit_categories(context) -> bool:
    request = context.get("request")
    return bool(request and may_edit_taxonomy(request.user))


@register.inclusion_tag("taxonomy/_problem_category.html", takes_context=True)
def problem_category(context, problem):
    """A problem's category on its page, with the link to correct it for whoever may."""
    request = context.get("request")
    rights = context.get("rights") or (rights_for(request.user, problem.round) if request else None)
    return {
        "problem": problem,
        "name": category_name(problem.category),
        "may_correct": bool(rights and may_correct_category(rights)),
    }
