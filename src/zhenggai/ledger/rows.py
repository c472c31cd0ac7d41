"""The rows of the ledger table (ledger/ledger.html), written as HTML by Python.

Fifty rows a page, on the pages a unit and an office open most: Jinja2 took ~2.3 ms for them
(a filter call, an attribute lookup and an escape for each of some 30 values a row), these lines
~0.6 ms. Every value that comes from the database is escaped here (`markupsafe.escape`); the
labels are translated and escaped once a process and language (`row_labels`); the URLs are the
page's (`IdUrl`, reversed once a process).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from zhenggai.config.jinja import truncate_chars
from zhenggai.ledger.models import CLAIM_LABELS, MeasureStatus
from zhenggai.ledger.selectors import LedgerRow
from zhenggai.ledger.workflow import EDITABLE_STATES


def _escaped(labels: Mapping) -> dict[str, Markup]:
    return {key: escape(str(label)) for key, label in labels.items()}


@functools.cache
def row_labels(language: str | None) -> dict[str, dict[str, Markup]]:
    """The labels of the ledger's rows in `language` (the active one), translated and escaped once
    a process, not once a page (nor a row)."""
    labels = {
        "unit": _("Unit"),
        "problem": _("Problem"),
        "measure": _("Measure"),
        "lead": _("Lead department"),
        "leader": _("Responsible leader"),
        "deadline": _("Deadline"),
        "status": _("Status"),
        "evidence": _("Evidence"),
        "long_term": _("Long term"),
        "claim": _("What the imported document said; the review has not found it so."),
        "select": _("Select"),
    }
    return {
        "labels": _escaped(labels),
        "status": _escaped(dict(MeasureStatus.choices)),
        # A document's claim is shown while the measure is still open: there it may mislead.
        "claim": _escaped(CLAIM_LABELS),
    }


def render_rows(
    rows: Iterable[LedgerRow],
    *,
    labels: dict[str, dict[str, Markup]],
    problem_urls: Mapping[int, str],
    with_unit: bool,
    selectable: bool,
) -> Markup:
    """The <tr>s of the ledger table, one per row. `with_unit` (the ledger across rounds): each row
    starts with its unit; `selectable` (a user who may edit the round): with a checkbox of the bulk
    assignment form. The first row of a problem names it; the next ones repeat its number, with
    its title on hover."""
    text, status_labels, claim_labels = labels["labels"], labels["status"], labels["claim"]
    cells_head = (
        f'\n  <td data-label="{text["measure"]}">',
        f'</td>\n  <td class="nowrap" data-label="{text["lead"]}">',
        f'</td>\n  <td class="nowrap" data-label="{text["leader"]}">',
        f'</td>\n  <td class="nowrap" data-label="{text["deadline"]}"><i class="dot dot-',
        f'</td>\n  <td data-label="{text["status"]}"><span class="badge status-',
        f'</td>\n  <td data-label="{text["evidence"]}">',
    )
    measure_td, lead_td, leader_td, deadline_td, status_td, evidence_td = cells_head
    out: list[str] = []
    previous = None
    for m in rows:
        pk, light, status = m.pk, m.light, escape(m.status)
        outline = escape(m.problem_outline)
        line = f'\n<tr class="row-{light}" data-measure="{pk}">'
        if selectable:
            line += (
                f'<td class="select" data-label="{text["select"]}"><input type="checkbox" name="measure"'
                f' value="{pk}" form="bulk-form" aria-label="{text["select"]} {outline}"></td>'
            )
        if with_unit:
            line += f'<td data-label="{text["unit"]}">{escape(m.unit_name)}</td>'
        url = escape(problem_urls[m.problem_id])
        if m.problem_id != previous:
            title = escape(truncate_chars(m.problem_title, 60))
            line += (
                f'<td data-label="{text["problem"]}" class="problem-cell">'
                f'<a href="{url}#measure-{pk}">{outline} {title}</a></td>'
            )
        else:
            line += (
                f'<td class="problem-cell same-problem" data-label="{text["problem"]}">'
                f'<a href="{url}#measure-{pk}" class="ditto" title="{escape(m.problem_title)}">{outline}</a></td>'
            )
        previous = m.problem_id
        badges = f'">{status_labels[m.status]}</span>'
        if m.long_term:
            badges += f'<span class="badge">{text["long_term"]}</span>'
        if m.claimed_status and m.status in EDITABLE_STATES:
            badges += (
                f'<span class="badge claim" data-claim="{escape(m.claimed_status)}"'
                f' title="{text["claim"]}">{claim_labels[m.claimed_status]}</span>'
            )
        deadline = m.deadline.isoformat() if m.deadline else "—"
        out.append(
            f"{line}{measure_td}{escape(truncate_chars(m.text, 120))}"
            f"{lead_td}{escape(m.lead_department_name or '—')}"
            f"{leader_td}{escape(m.responsible_leader_name or '—')}"
            f'{deadline_td}{light}" title="{light}"></i>{deadline}'
            f"{status_td}{status}{badges}"
            f"{evidence_td}{m.evidence_count}</td>\n</tr>"
        )
    return Markup("".join(out))  # noqa: S704 - every value from the database escaped above
