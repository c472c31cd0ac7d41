"""Queries built and compiled by the ORM once a process, then run with other values.

The ORM spends ~0.5–1 ms of CPU building and compiling one query (filters, joins, the select list
of a `select_related`), often more than the database takes to answer it; every page runs a few
of the same ones: the user's memberships, a round or a problem by id, the tally's clock. A
`Prepared` query is built once (per database connection) by its own function, called with
sentinel values; their places among the SQL's parameters are noted; each run then puts the real
values there, executes the SQL through the connection's cursor (so the execute wrappers and the
query log see it), and turns the rows into what the QuerySet would have given: values tuples
with the fields' converters applied, or model instances with their `select_related` objects,
made by the ORM's own machinery.

The function must build the same query whatever the values (no `if` on them): only the
parameters change. Values are ids (int) or keys (str), passed as the query would get them after
the field's preparation.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Sentinels: values no real parameter takes (an id above any row's, a key with a control character).
_INT_SENTINEL = 2_000_000_011
_STR_SENTINEL = "\x1fprepared-{}\x1f"


@dataclass
class _Compiled:
    sql: str
    params: list
    slots: list[int]  # where each argument goes among params
    compiler: Any
    converters: dict
    model: Any = None  # for instances: (model, init_list, start, end, related populators, annotations)


# psycopg prepares a statement asked with prepare=True at once, others after this many runs: never,
# so that lifting Django's None (prepared statements off) prepares only the statements asked to be.
NEVER_BY_COUNT = 2**31


def allow_prepared_statements(raw_connection) -> None:
    """Let `prepare=True` prepare a statement on this psycopg connection. Django opens its
    connections with `prepare_threshold=None` (prepared statements off, for transaction-pooling
    PgBouncers older than 1.21), under which psycopg ignores `prepare=True`; Django's own cursors
    bind on the client and never prepare, so lifting the threshold to "never by count" changes
    nothing for them. Behind such a PgBouncer, give each app server a session-pooled connection,
    or PgBouncer >= 1.21 with `max_prepared_statements`."""
    if raw_connection.prepare_threshold is None:
        raw_connection.prepare_threshold = NEVER_BY_COUNT


def prepared_cursor(connection):
    """A cursor for a query asked again and again with other values: Django's own elsewhere; on PostgreSQL one that binds on the
    server and prepares the statement, so that it is planned once per connection, not per run
    (planning the joins of a problem with its round and organisations took ~1 ms, running them
    ~0.1). It is wrapped as Django wraps its cursors: execute wrappers, the query log, errors."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    return preparing_cursor(connection)


def preparing_cursor(connection):
    """`prepared_cursor`'s cursor on a PostgreSQL connection already open (no health check asked
    first: `public_pages.fetch_rows` makes its query the check)."""
    allow_prepared_statements(connection.connection)
    cursor = _preparing_cursor_class()(connection.connection)
    return _LoggedCursor(cursor, connection) if connection.queries_logged else connection.make_cursor(cursor)


class _LoggedCursor(CursorDebugWrapper):
    """Logs the SQL with its values in place, as Django logs its own: it reads them back from a
    client-binding cursor, which a server-binding one does not hold; they are composed here."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), None):
            return CursorWrapper.execute(self, sql, params)


@functools.cache
def _preparing_cursor_class():
    import psycopg  # only on PostgreSQL: an install for SQLite alone need not have it

    class PreparingCursor(psycopg.Cursor):
        """Binds on the server and asks every statement it runs to be prepared."""

        def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[override]
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


class Prepared:
    """`Prepared(build, kinds)`: `build(*args)` returns the QuerySet; `kinds` is the type of each
    argument (int or str). `.rows(*args)`: the rows as tuples (a values_list query); `.objects(*args)`:
    model instances."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        self.build, self.kinds = build, kinds
        self._by_connection: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _sentinels(self) -> list:
        return [
            _INT_SENTINEL + i if kind is int else _STR_SENTINEL.format(i) for i, kind in enumerate(self.kinds)
        ]

    def _compile(self, connection, instances: bool) -> _Compiled:
        sentinels = self._sentinels()
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for sentinel in sentinels:
            found = [
                i for i, param in enumerate(params) if param == sentinel and type(param) is type(sentinel)
            ]
            if len(found) != 1:
                raise ValueError(f"a prepared query takes each argument once as a parameter: {sql}")
            slots.append(found[0])
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(sql, params, slots, compiler, compiler.get_converters(fields))
        if instances:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [f[0].target.attname for f in compiler.select[start:end]]
            # Django 5.2's signature (the stubs describe a later one, with a fetch mode).
            populators = get_related_populators(klass_info, compiler.select, connection.alias)  # type: ignore[call-arg]
            compiled.model = (
                klass_info["model"],
                init_list,
                start,
                end,
                populators,
                compiler.annotation_col_map,
            )
        return compiled

    def _run(self, args: tuple, instances: bool) -> tuple[_Compiled, list]:
        if len(args) != len(self.kinds) or not all(
            type(a) is k for a, k in zip(args, self.kinds, strict=True)
        ):
            raise TypeError(f"a prepared query takes {self.kinds}, got {args!r}")
        connection = connections["default"]
        compiled = self._by_connection.get(connection, {}).get(instances)
        if compiled is None:
            compiled = self._compile(connection, instances)
            self._by_connection.setdefault(connection, {})[instances] = compiled
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, args, strict=True):
            params[slot] = value
        with prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return compiled, rows

    def rows(self, *args: Any) -> list[tuple]:
        _compiled, rows = self._run(args, instances=False)
        return [tuple(row) for row in rows]

    def dicts(self, *args: Any) -> list[dict]:
        """The rows of a values() query as the dicts it gives."""
        compiled, rows = self._run(args, instances=False)
        query = compiled.compiler.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def objects(self, *args: Any) -> list:
        compiled, rows = self._run(args, instances=True)
        model, init_list, start, end, populators, annotations = compiled.model
        alias = compiled.compiler.connection.alias
        found = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, pos in annotations.items():
                setattr(obj, attr, row[pos])
            found.append(obj)
        return found
