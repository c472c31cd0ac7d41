"""The public pages of issued public reports: no log-in needed, and none taken.

The list (by office, unit, kind of inspection and year, or a search) and each version's page (its
masked text, its frozen files, its sister versions, and the round's comment page with the answers
the unit published) are kept rendered like the other public pages (`zhenggai.public_pages`), keyed
by everything they print: an issue or a withdrawal changes the key, so no stale page is served.
A withdrawn version's page stays at its address, says it was withdrawn, and offers neither its text
nor its files.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from zhenggai import public_pages, public_visitors
from zhenggai.ledger.models import RoundKind
from zhenggai.reports import public_selectors as selectors
from zhenggai.reports.forms import PublicListForm
from zhenggai.reports.models import ReportState

LIST_TEMPLATE = "reports/public_list.html"
PAGE_TEMPLATE = "reports/public_report.html"
PAGE_SIZE = 20
MAX_PAGES = 500  # a deeper page number is read as the last one: the OFFSET stays bounded


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Issued public reports, newest first: filtered by office, unit, kind and year, or searched."""
    form = PublicListForm(request.GET)
    form.is_valid()  # what did not parse is left out of cleaned_data; the rest still filters
    data = form.cleaned_data
    filters = selectors.ListFilters(
        office=data.get("office") or "",
        unit=data.get("unit") or "",
        kind=data.get("kind") or "",
        year=data.get("year") or None,
        q=data.get("q") or "",
    )
    paginator = Paginator(selectors.public_list(filters), PAGE_SIZE)
    number = request.GET.get("page") or "1"
    page = paginator.get_page(min(int(number), MAX_PAGES) if number.isdigit() else 1)
    rows = selectors.list_rows(page.object_list)
    facets = selectors.facets()
    shows = (rows, facets, page.number, paginator.num_pages, paginator.count)
    if (
        public_pages.may_keep(request)
        and (kept := public_pages.kept(request, LIST_TEMPLATE, shows)) is not None
    ):
        return kept
    context = {
        "form": form,
        "filters": filters,
        "rows": rows,
        "page": page,
        "facets": facets,
        "kinds": [(value, label) for value, label in RoundKind.choices if value in facets.kinds],
        "query": _query_without_page(request),
    }
    return public_pages.render_public(request, LIST_TEMPLATE, context, shows=shows)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def public_report(request: HttpRequest, token: str) -> HttpResponse:
    """One issued version as the public reads it; a withdrawn one says so and shows nothing else."""
    found = selectors.report_page_shows(token)
    if found is None:
        raise Http404
    comment_url = (
        public_visitors.printed_link(request, reverse("comments:public", args=[found.call_token]))
        if found.call_token
        else ""
    )
    shows = (*found.key, comment_url)
    if (
        public_pages.may_keep(request)
        and (kept := public_pages.kept(request, PAGE_TEMPLATE, shows)) is not None
    ):
        return kept
    report = selectors.public_version(token)
    if report is None:  # withdrawn or gone between the two reads
        raise Http404
    issued = report.state == ReportState.ISSUED
    context = {
        "report": report,
        "round": report.round,
        "title": selectors.masked(report, report.title),
        "issued": issued,
        "paragraphs": selectors.public_paragraphs(report) if issued else [],
        "files": selectors.public_files(report),
        "sisters": selectors.sister_versions(report),
        "comment_url": comment_url,
        "comment_qr": public_visitors.qr_svg(comment_url) if comment_url else "",
        "comments_open": dict(found.key[-2]).get(found.call_token, ("", False))[1]
        if found.call_token
        else False,
        "answers": selectors.round_answers(report),
    }
    return public_pages.render_public(request, PAGE_TEMPLATE, context, shows=shows)


@require_GET
def public_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The frozen .docx or .pdf of an issued public version, byte for byte; none once withdrawn."""
    found = selectors.public_file(token, fmt)
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=found.mimetype)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=found.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
