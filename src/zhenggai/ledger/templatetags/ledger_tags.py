from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhenggai.ledger import links
from zhenggai.ledger.access import actions_anywhere, may_import_somewhere, memberships_of
from zhenggai.ledger.links import IdUrl
from zhenggai.ledger.rows import render_rows, row_labels
from zhenggai.ledger.workflow import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import(context) -> bool:
    """Whether the signed-in user may import for some unit, for the nav: {% may_import as x %}.

    The same test as the upload page's: a role that imports, held where there is a unit to import
    for (a department's clerk holds the role but imports nothing)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return may_import_somewhere(user)


@register.simple_tag(takes_context=True)
def may_manage_people(context) -> bool:
    """Whether the signed-in user keeps people and organisations (人员与机构), for the nav."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return Action.MANAGE_PEOPLE in actions_anywhere(user)


@register.simple_tag(takes_context=True)
def may_oversee(context) -> bool:
    """Whether the signed-in user holds an office or supervisor role: the nav then leads to the
    oversight dashboard instead of the overview (oversight.selectors.DASHBOARD_ROLES)."""
    from zhenggai.oversight.selectors import DASHBOARD_ROLES

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return any(m.role in DASHBOARD_ROLES for m in memberships_of(user))


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% fixed_url 'name' %}: {% url 'name' %} of a view that takes no argument, reversed once a
    process (links.fixed_url): the navigation's links, on every page."""
    return links.fixed_url(name)


class _WithValuesNode(template.Node):
    def __init__(self, values: template.base.FilterExpression, nodelist: template.NodeList):
        self.values, self.nodelist = values, nodelist

    def render(self, context) -> str:
        with context.push(**self.values.resolve(context)):
            return self.nodelist.render(context)


@register.tag
def with_values(parser, token):
    """{% with_values mapping %}…{% endwith_values %}: the block rendered with the keys of a dict
    added to the context, as `{% with %}` adds named ones. The problem page renders each measure
    card so, in its own pass over the page, from the context the card's partial is given alone."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% with_values %} takes one dict")
    nodelist = parser.parse(("endwith_values",))
    parser.delete_first_token()
    return _WithValuesNode(parser.compile_filter(bits[1]), nodelist)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


def _jinja(name: str, context: dict) -> SafeString:
    html = get_template(name, using="jinja2").render(context)
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (autoescape)


@register.simple_tag
def overview_rows(rows, unanswered) -> SafeString:
    """The <tr>s of the overview table, one per `OverviewRow`, rendered by Jinja2 (500 of them for
    an office that follows 500 units)."""
    labels = {
        "unit": _("Unit"),
        "round": _("Round"),
        "total": _("Measures"),
        "done": _("Done"),
        "red": _("Overdue"),
        "yellow": _("Due soon"),
        "rate": _("Completion"),
        "comments": _("Comments waiting"),
        "comments_overdue": _("of them overdue"),
    }
    round_url, comments_url = IdUrl("ledger:round_ledger"), IdUrl("comments:round_comments")
    urls = {row.round_id: round_url(row.round_id) for row in rows}
    comment_urls = {round_id: comments_url(round_id) for round_id in unanswered}
    return _jinja(
        "ledger/overview_rows.jinja",
        {
            "rows": rows,
            "labels": labels,
            "urls": urls,
            "unanswered": unanswered,
            "comment_urls": comment_urls,
        },
    )


@register.simple_tag
def ledger_rows(rows, round_, selectable: bool = False) -> SafeString:
    """The <tr>s of the ledger table, one per `LedgerRow` (ledger.rows.render_rows).

    Without a round (the ledger across rounds) each row starts with its unit. `selectable` (a user
    who may edit the round): each row starts with a checkbox of the bulk assignment form.
    """
    problem_url = IdUrl("ledger:problem_detail")
    problem_urls = {pk: problem_url(pk) for pk in {row.problem_id for row in rows}}
    html = render_rows(
        rows,
        labels=row_labels(get_language()),
        problem_urls=problem_urls,
        with_unit=round_ is None,
        selectable=selectable,
    )
    return mark_safe(html)  # noqa: S308 - render_rows escaped every value
