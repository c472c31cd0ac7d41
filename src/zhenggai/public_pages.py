"""Public pages (a call for comments, a resident's receipt slip) kept rendered, keyed by what they show.

Citizens open these pages from a published report or a QR code, thousands at once after a report
is published; rendering the template is most of their cost. A page is rendered once for everything
it shows — every value it prints goes into its cache key, so any change (an answer published, a
call closed, a slip confirmed, a unit renamed) is a new key and a stale page is never served; no
service has to remember to invalidate anything. The CSRF token is the one per-visitor part: the
page is kept with a placeholder, and each response gets the visitor's own token.

Not kept: a page for a logged-in user (it refuses them), one with messages to show (a "thank you"
after posting), and every answer to a POST.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Field, Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from zhenggai.prepared import preparing_cursor

# Stands in for the CSRF token in a kept page: never in any text a page prints (it is ASCII with
# a character no template writes unescaped), and as long as no real token, so a length is no clue.
CSRF_PLACEHOLDER = "~zhenggai-public-page-csrf-token~"
KEEP_SECONDS = 600  # a key changes with the page anyway; this only bounds memory for pages not asked for


def page_key(request: HttpRequest, template: str, shows: tuple[Any, ...]) -> str:
    """The cache key of `template` showing `shows` (every value the page prints) in this language, at
    this address (the language form prints the full path, query string included, to come back to)."""
    where = request.get_full_path()
    digest = hashlib.sha256(repr((template, get_language(), where, shows)).encode()).hexdigest()
    return f"public-page:{digest}"


def may_keep(request: HttpRequest) -> bool:
    """Whether this request is answered by the page every anonymous visitor sees."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    messages = get_messages(request)
    return not len(messages)  # type: ignore[arg-type]


def kept(request: HttpRequest, template: str, shows: tuple[Any, ...]) -> HttpResponse | None:
    """The kept page of `template` showing `shows`, given this visitor's CSRF token; None if none."""
    html = cache.get(page_key(request, template, shows))
    return None if html is None else _for_visitor(request, html)


def render_public(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    shows: tuple[Any, ...] | None,
    status: int = 200,
) -> HttpResponse:
    """`render(request, template, context)`, and the page kept for the next visitors when `shows`
    (every value it prints, as `kept` was asked with) is given and the request may use a kept page."""
    if shows is None or status != 200 or not may_keep(request):
        return render(request, template, context, status=status)
    html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    cache.set(page_key(request, template, shows), html, KEEP_SECONDS)
    return _for_visitor(request, html)


def _for_visitor(request: HttpRequest, html: str) -> HttpResponse:
    # get_token also makes CsrfViewMiddleware set the visitor's CSRF cookie, as {% csrf_token %} would.
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def fetch_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of the one query a public page asks on every visit, to learn what it shows.

    On PostgreSQL this is the visit's only round trip to the database:
    - a prepared statement (planned once per connection, where Django's own queries are planned on
      every execution: planning a three-table join cost more than running it, ~0.35 ms of the
      server's CPU instead of ~0.08), asked on `zhenggai.prepared.preparing_cursor` (a
      server-binding cursor of Django's connection, wrapped as Django wraps its own;
      `allow_prepared_statements` there says what that asks of a PgBouncer);
    - no separate health-check query first (`CONN_HEALTH_CHECKS` sends `SELECT 1` before the first
      query of a request on a reused connection). This query is the check: if the connection has
      died, it is closed and opened again and the query (a read, outside any transaction) asked
      once more, as the health check would have done; once it has answered, Django's check is
      marked done for the request.
    Elsewhere (SQLite: no round trip) Django's cursor as usual."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    for attempt in (1, 2):
        connection.health_check_done = True  # type: ignore[attr-defined]  # this query is the check
        connection.ensure_connection()
        try:
            with preparing_cursor(connection) as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        except (OperationalError, InterfaceError):  # psycopg's, as Django's cursor wrapper raises them
            # Reopened and asked again only outside a transaction (inside one, the error is the
            # transaction's), and once: a second failure is the answer.
            if attempt == 2 or connection.in_atomic_block:
                raise
            connection.close()
    raise AssertionError("unreachable")


# For the plain SQL that reads what a public page shows (its cache key) on every visit: names from
# the models, quoted by the database in use; values always go in as parameters.
def sql_table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def sql_column(model: type[Model], field: str) -> str:
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or not found.column:  # a reverse relation has no column
        raise ValueError(f"{model.__name__}.{field} is no column")
    return connection.ops.quote_name(found.column)
