"""What the public sees of issued public reports: the list, one version's page, its files.

Only public reports (整改情况的报告) that were issued are shown; a withdrawn one keeps its address
(a link or QR code printed on paper still leads somewhere) but only says it was withdrawn. The text
comes from the version's frozen ledger, which was masked when it was issued, never from the live
ledger; the words the clerk wrote around it (title, opening, closing) are masked once more here,
as the ledger was, because the issuing wrote them as typed.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from zhenggai.comments.models import CommentCall, PublicComment
from zhenggai.comments.selectors import call_is_open
from zhenggai.core.redact import public_numbers, redact_text
from zhenggai.core.writers.gongwen import Para
from zhenggai.core.writers.report_docx import report_paragraphs
from zhenggai.ledger.models import InspectionRound
from zhenggai.orgs.models import Organisation
from zhenggai.public_pages import fetch_rows, sql_column, sql_table
from zhenggai.reports.exporters import ExportOptions, report_options
from zhenggai.reports.models import ReportFile, ReportKind, ReportState, ReportVersion
from zhenggai.reports.selectors import issued_public_reports

PUBLIC_STATES = (ReportState.ISSUED, ReportState.WITHDRAWN)
ANSWERS_SHOWN = 20  # under the report; the comment page has them all
SEARCH_CHARS = 50


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# --- The list ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    office: str = ""  # the inspection office's name, as the select offers it
    unit: str = ""  # part of the inspected unit's name
    kind: str = ""  # RoundKind value: 巡视, 巡察, 审计, 督察…
    year: int | None = None
    q: str = ""  # part of the title, the round's title or the unit's name

    def any(self) -> bool:
        return bool(self.office or self.unit or self.kind or self.year or self.q)


def public_list(filters: ListFilters) -> QuerySet[ReportVersion]:
    """Issued public reports, newest first, filtered; each row as the list prints it (no ledger).

    Starts from the (kind, state, issued_at) index; the text filters only narrow those rows, and a
    search is at most SEARCH_CHARS characters."""
    found = issued_public_reports()
    if filters.office:
        found = found.filter(round__office__name=filters.office)
    if filters.unit:
        found = found.filter(round__inspected_unit__name__icontains=filters.unit)
    if filters.kind:
        found = found.filter(round__kind=filters.kind)
    if filters.year:
        found = found.filter(year=filters.year)  # type: ignore[misc]  # annotated by issued_public_reports
    if filters.q:
        q = filters.q[:SEARCH_CHARS]
        found = found.filter(
            Q(title__icontains=q) | Q(round__title__icontains=q) | Q(round__inspected_unit__name__icontains=q)
        )
    return (
        found.select_related(None)
        .select_related("round__inspected_unit", "round__office")
        .only(
            "public_token",
            "title",
            "redact_names",
            "contact_lines",
            "number",
            "issued_at",
            "round__title",
            "round__kind",
            "round__feedback_date",
            "round__inspected_unit__name",
            "round__office__name",
        )
    )


class ListRow(NamedTuple):
    token: str
    title: str  # masked
    number: int | None
    issued_at: datetime.datetime | None
    round_title: str
    kind: str
    unit: str
    office: str
    year: int | None


def list_rows(reports: Iterable[ReportVersion]) -> tuple[ListRow, ...]:
    """Everything a page of the list prints (also its cache key)."""
    return tuple(
        ListRow(
            r.public_token,
            masked(r, r.title),
            r.number,
            r.issued_at,
            r.round.title,
            r.round.kind,
            r.round.inspected_unit.name,
            r.round.office.name,
            getattr(r, "year", None),
        )
        for r in reports
    )


@dataclass(frozen=True)
class Facets:
    """The values the filters offer: only those some issued public report has."""

    offices: tuple[str, ...]
    units: tuple[str, ...]
    kinds: tuple[str, ...]
    years: tuple[int, ...]


def facets() -> Facets:
    issued = issued_public_reports().order_by()

    def distinct(field: str) -> set[Any]:
        return {value for value in issued.values_list(field, flat=True).distinct() if value}

    return Facets(
        offices=tuple(sorted(distinct("round__office__name"))),
        units=tuple(sorted(distinct("round__inspected_unit__name"))),
        kinds=tuple(sorted(distinct("round__kind"))),
        years=tuple(sorted(distinct("year"), reverse=True)),
    )


# --- One version's page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageShows:
    """What the page of one version prints, as read on every visit (its cache key), and the token of
    the comment page it points to."""

    key: tuple[Any, ...]
    call_token: str | None


def report_page_shows(token: str, today: datetime.date | None = None) -> PageShows | None:
    """The version `token` as its public page shows it, in one plain SQL query; None when there is
    no issued (or withdrawn) public version by that token.

    The version's own text is frozen at issue, so its id and its `version` counter (raised by a
    withdrawal) stand for it; its sisters by their counts (an issue or a withdrawal changes them);
    the round's calls for comments by their token, wording and whether they are open; the published
    answers by their ids (an answer never changes once given)."""
    rows = fetch_rows(
        _report_page_sql(),
        [
            ReportKind.PUBLIC,
            ReportState.ISSUED,
            ReportKind.PUBLIC,
            ReportState.WITHDRAWN,
            True,
            token,
            ReportKind.PUBLIC,
            *PUBLIC_STATES,
        ],
    )
    if not rows:
        return None
    head = rows[0][:9]
    calls: dict[str, tuple[str, bool]] = {}
    answers: list[int] = []
    for *_head, call_token, invitation, closes_on, answer in rows:
        if call_token is not None and call_token not in calls:
            if isinstance(closes_on, str):  # SQLite returns dates as text
                closes_on = datetime.date.fromisoformat(closes_on)
            calls[call_token] = (invitation, call_is_open(closes_on, today))
        if answer is not None:
            answers.append(answer)
    chosen = _chosen_call(calls)
    return PageShows((*head, tuple(calls.items()), tuple(answers[:ANSWERS_SHOWN])), chosen)


def _chosen_call(calls: dict[str, tuple[str, bool]]) -> str | None:
    """The call the page points to: the newest one open, else the newest (the rows come newest first)."""
    for call_token, (_invitation, is_open) in calls.items():
        if is_open:
            return call_token
    return next(iter(calls), None)


@functools.cache
def _report_page_sql() -> str:
    v, r, u, o = ReportVersion, InspectionRound, Organisation, Organisation
    call, comment = CommentCall, PublicComment

    def sisters(state_param: str) -> str:
        return (
            f"(SELECT COUNT(*) FROM {sql_table(v)} s WHERE s.{sql_column(v, 'round')} = v.{sql_column(v, 'round')}"  # noqa: S608 - names from _meta, quoted; values are parameters
            f" AND s.{sql_column(v, 'kind')} = {state_param} AND s.{sql_column(v, 'state')} = %s)"
        )

    return (
        f"SELECT v.{sql_column(v, 'id')}, v.{sql_column(v, 'version')}, v.{sql_column(v, 'state')},"  # noqa: S608 - names from _meta, quoted; values are parameters
        f" r.{sql_column(r, 'title')}, r.{sql_column(r, 'kind')}, u.{sql_column(u, 'name')}, o.{sql_column(o, 'name')},"
        f" {sisters('%s')}, {sisters('%s')},"
        f" c.{sql_column(call, 'token')}, c.{sql_column(call, 'invitation')}, c.{sql_column(call, 'closes_on')},"
        f" a.{sql_column(comment, 'id')}"
        f" FROM {sql_table(v)} v"
        f" JOIN {sql_table(r)} r ON r.{sql_column(r, 'id')} = v.{sql_column(v, 'round')}"
        f" JOIN {sql_table(u)} u ON u.{sql_column(u, 'id')} = r.{sql_column(r, 'inspected_unit')}"
        f" JOIN {sql_table(o)} o ON o.{sql_column(o, 'id')} = r.{sql_column(r, 'office')}"
        f" LEFT JOIN {sql_table(call)} c ON c.{sql_column(call, 'round')} = r.{sql_column(r, 'id')}"
        f" LEFT JOIN {sql_table(comment)} a ON a.{sql_column(comment, 'call')} = c.{sql_column(call, 'id')}"
        f" AND a.{sql_column(comment, 'answer_public')} = %s AND a.{sql_column(comment, 'answered_at')} IS NOT NULL"
        f" WHERE v.{sql_column(v, 'public_token')} = %s AND v.{sql_column(v, 'kind')} = %s"
        f" AND v.{sql_column(v, 'state')} IN (%s, %s)"
        f" ORDER BY c.{sql_column(call, 'created_at')} DESC, c.{sql_column(call, 'id')} DESC,"
        f" a.{sql_column(comment, 'answered_at')} DESC, a.{sql_column(comment, 'id')} DESC"
    )


def public_version(token: str) -> ReportVersion | None:
    """The issued or withdrawn public version `token`, with its round, unit and office."""
    return (
        ReportVersion.objects.filter(public_token=token, kind=ReportKind.PUBLIC, state__in=PUBLIC_STATES)
        .select_related("round__inspected_unit", "round__office")
        .first()
    )


def sister_versions(report: ReportVersion) -> list[ReportVersion]:
    """Every issued or withdrawn public version of the report's round, newest first, without ledgers."""
    return list(
        ReportVersion.objects.filter(
            round_id=report.round_id, kind=ReportKind.PUBLIC, state__in=PUBLIC_STATES
        )
        .only("public_token", "title", "number", "state", "issued_at", "withdrawn_at", "round_id")
        .order_by("-issued_at", "-pk")
    )


def public_files(report: ReportVersion) -> list[ReportFile]:
    """The frozen files of an issued version, without their bytes; none once withdrawn."""
    if report.state != ReportState.ISSUED:
        return []
    return list(report.files.defer("data").order_by("format"))


def public_file(token: str, fmt: str) -> ReportFile | None:
    """The frozen file of an issued (not withdrawn) public version, bytes included."""
    return ReportFile.objects.filter(
        report__public_token=token,
        report__kind=ReportKind.PUBLIC,
        report__state=ReportState.ISSUED,
        format=fmt,
    ).first()


def round_answers(report: ReportVersion) -> list[PublicComment]:
    """The answers the unit chose to publish on the round's comment pages, newest first (the
    comments without their writers' names or contacts)."""
    return list(
        PublicComment.objects.filter(
            call__round_id=report.round_id, answer_public=True, answered_at__isnull=False
        )
        .only("text", "received_at", "answer", "answered_at")
        .order_by("-answered_at", "-pk")[:ANSWERS_SHOWN]
    )


def public_paragraphs(report: ReportVersion) -> list[Para]:
    """The issued text, paragraph by paragraph, from the frozen (masked) ledger; the clerk's own words
    masked here as well, keeping the body's contact numbers, as the ledger was."""
    contact = _lines(report.contact_lines)
    options = ExportOptions(
        issuer=report.issuer,
        date=report.as_of,
        addressee=report.recipient or None,
        title=report.title,
        opening=report.opening or None,
        closing=report.closing or None,
        contact_lines=contact,
        redact=False,
    )
    names, keep = _lines(report.redact_names), public_numbers(contact)
    paragraphs = report_paragraphs(report.ledger or {}, report_options(options))
    return [
        dataclasses.replace(p, text=redact_text(p.text, names, keep)) if p.text else p for p in paragraphs
    ]


def masked(report: ReportVersion, text: str) -> str:
    """A line the page prints about the report (its title), masked as its text is."""
    return redact_text(text, _lines(report.redact_names), public_numbers(_lines(report.contact_lines)))
