"""Reads built and compiled once per process, then run with new values (issue 22).

Django builds a queryset (filters, joins) and compiles it to SQL on every evaluation. For the
reads every request makes — the signed-in user and their roles, the branch page's two dozen
parts — that was a third of the page's CPU, though request after request only the values
change: which user, which branch. ``fetch_prepared`` builds such a read once with ``Param``
placeholders where the values go, compiles it once, and afterwards only binds the values and
runs it (through ``core.batch``: several querysets are one statement).

The rule that keeps it correct: a read's SQL may depend only on its ``key`` and never on its
values. ``build(v)`` gets the values as ``v.<name>`` — a ``Param`` when preparing — so a
value can only be used where Django accepts an expression (``filter(branch=v.branch)``); a
value used in Python (``v.branch.pk``, ``if v.day:``, arithmetic) fails or changes the SQL.
Whatever else shapes the SQL (the day a period is counted from, a limit, the language, the
database the router picks) goes in the key, which is why the key holds the local date, the
active language and the read database as well as the caller's parts. With
``PREPARED_READS_VERIFY`` (on in the tests) each run also builds the read with the real values
the ordinary way and raises if its SQL or parameters differ from the prepared one's: a
value that shaped the SQL is caught by any test that runs the read.

A value may not be None (``= NULL`` is not ``IS NULL``): leave such a case to the plain ORM.

A search (``icontains``) cannot take a value: Django builds its LIKE pattern in Python for a
value, in SQL for an expression (other SQL). Pass ``contains_pattern(text)`` as the value and
filter with ``<field>__icontains_pattern``: the SQL and the parameter of
``<field>__icontains=text``.

On PostgreSQL the statement is also prepared on the server (``PREPARE``/``EXECUTE``) the second
time a connection runs it, so PostgreSQL stops parsing and planning it anew: planning was most
of the database's time on the branch page (9.5 of 13 ms) and the home. Only the second time:
with ``CONN_MAX_AGE=0`` a connection lives one request and preparing would cost a round trip
for nothing. ``DATABASE_PREPARED_STATEMENTS=False`` turns it off (a pooler in transaction mode,
such as PgBouncer's, would hand the statement's session to another client).
"""

import datetime
import itertools
import re
import threading
from decimal import Decimal

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Expression
from django.db.models.lookups import IContains, PatternLookup
from django.utils import timezone, translation

from core.batch import Part, distribute, execute, statement

# Python type of a value -> its field (how it is bound) and its PostgreSQL type (PREPARE).
_FIELDS = (
    (bool, models.BooleanField, "boolean"),
    (int, models.BigIntegerField, "bigint"),
    (Decimal, models.DecimalField, "numeric"),
    (datetime.datetime, models.DateTimeField, "timestamp with time zone"),
    (datetime.date, models.DateField, "date"),
    (str, models.TextField, "text"),
)
_SERVER_TYPES = {field: sql_type for _kind, field, sql_type in _FIELDS}
_PLACEHOLDER = re.compile("%%|%s")
_names = itertools.count(1)


class _Slot:
    """Where a value goes among a compiled read's parameters."""

    __slots__ = ("name", "field")

    def __init__(self, name, field):
        self.name = name
        self.field = field

    def __repr__(self):
        return f"<value {self.name}>"


class Param(Expression):
    """A named value left out of a read's SQL: ``%s`` there, bound on each run."""

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]

    def get_group_by_cols(self):
        return []


class IContainsPattern(IContains):
    """``icontains`` given its LIKE pattern (``contains_pattern``) rather than the text: the
    SQL and parameter of ``icontains=text``, with the pattern a value or a Param alike."""

    lookup_name = "icontains"  # its SQL: registered below as icontains_pattern

    def get_rhs_op(self, connection, rhs):
        # icontains' own operator, also for a Param (not the pattern built in SQL).
        return connection.operators[self.lookup_name] % rhs

    def process_rhs(self, compiler, connection):
        # The value bound as it is: it is the pattern already. A Param as a value's "%s",
        # not wrapped in parentheses: UPPER((%s)) would be other SQL than UPPER(%s).
        if isinstance(self.rhs, Param):
            return compiler.compile(self.rhs)
        return super(PatternLookup, self).process_rhs(compiler, connection)


models.Field.register_lookup(IContainsPattern, "icontains_pattern")


def contains_pattern(text, using="default"):
    """The parameter ``icontains=text`` binds: ``text`` with its \\, % and _ escaped, in %...%."""
    return IContains.param_pattern % connections[using].ops.prep_for_like_query(text)


def _field_for(name, value):
    if value is None:
        raise ValueError(f"fetch_prepared: {name} is None; put that case in the key")
    for kind, field, _sql_type in _FIELDS:
        if isinstance(value, kind):
            return field()
    raise TypeError(f"fetch_prepared: no SQL type for {name}={value!r}")


class Values:
    """``v`` of a build: each value as itself or as its Param (``Values(values)`` also builds
    a read the ordinary way, with the values themselves)."""

    def __init__(self, values):
        self.__dict__.update(values)


class _Prepared:
    def __init__(self, build, values):
        self.verified = set()  # what PREPARED_READS_VERIFY has checked (fetch_prepared)
        self.fields = {name: _field_for(name, value) for name, value in values.items()}
        placeholders = Values({name: Param(name, f) for name, f in self.fields.items()})
        self.parts = [Part(index, qs) for index, qs in enumerate(build(placeholders))]
        self.statements = []  # per database: (connection alias, parts, sql, params, placements)
        by_db = {}
        for part in self.parts:
            if part.sql is not None:
                by_db.setdefault(part.queryset.db, []).append(part)
        for alias, group in by_db.items():
            sql, params, placements = statement(connections[alias], group)
            server = (
                _ServerStatement(sql, params) if connections[alias].vendor == "postgresql" else None
            )
            self.statements.append((alias, group, sql, params, placements, server))

    def bind(self, params, values, connection):
        return [
            _bound(param, values, connection) if isinstance(param, _Slot) else param
            for param in params
        ]

    def run(self, values):
        rows = {}
        for alias, group, sql, params, placements, server in self.statements:
            connection = connections[alias]
            results = None
            if server is not None and settings.DATABASE_PREPARED_STATEMENTS:
                results = server.run(connection, values, placements)
            if results is None:
                results = execute(
                    connection, sql, self.bind(params, values, connection), placements
                )
            for part, part_rows in zip(group, results, strict=True):
                rows[part.index] = part_rows
        return [part.result(rows.get(part.index, [])) for part in self.parts]

    def verify(self, build, values):
        """Raise if building with the real values gives other SQL or parameters."""
        plain = [Part(index, qs) for index, qs in enumerate(build(Values(values)))]
        for mine, theirs in zip(self.parts, plain, strict=True):
            got = expected = None
            if mine.sql is not None:
                connection = connections[mine.queryset.db]
                got = (_unwrap(mine.sql), self.bind(mine.params, values, connection))
            if theirs.sql is not None:
                expected = (_unwrap(theirs.sql), list(theirs.params))
            if (got, mine.queryset.db) != (expected, theirs.queryset.db):
                raise AssertionError(
                    f"fetch_prepared: part {mine.index} depends on its values:\n"
                    f"prepared {got!r}\nplain    {expected!r}"
                )


def _bound(slot, values, connection):
    """A value as its lookup would have passed it (Django's own preparation for its type)."""
    return slot.field.get_db_prep_value(values[slot.name], connection, prepared=False)


def _unwrap(sql):
    # A Param on the right of a lookup is wrapped in parentheses, a plain value not.
    return sql.replace("(%s)", "%s")


class _ServerStatement:
    """A statement as PostgreSQL's PREPARE: the values as $1, $2..., the constants inlined."""

    def __init__(self, sql, params):
        self.name = f"branchdesk_{next(_names)}"
        self.slots = []  # the values' slots, in $n order
        self.constants = []
        pieces = []
        position = 0
        for match in _PLACEHOLDER.finditer(sql):
            if match.group() == "%%":
                continue  # mogrify turns it back into %
            param = params[position]
            position += 1
            if isinstance(param, _Slot):
                self.slots.append(param)
                pieces.append((match.start(), f"${len(self.slots)}"))
            else:
                self.constants.append(param)
        text, last = [], 0
        for start, replacement in pieces:
            text.extend((sql[last:start], replacement))
            last = start + 2
        text.append(sql[last:])
        self.text = "".join(text)
        types = ", ".join(_SERVER_TYPES[type(slot.field)] for slot in self.slots)
        self.header = (
            f"PREPARE {self.name} ({types}) AS " if self.slots else f"PREPARE {self.name} AS "
        )
        arguments = ", ".join(["%s"] * len(self.slots))
        self.execute_sql = (
            f"EXECUTE {self.name} ({arguments})" if self.slots else f"EXECUTE {self.name}"
        )

    def run(self, connection, values, placements):
        """The parts' rows through the server's statement, or None: run it the usual way (the
        first time on this connection, or no connection yet)."""
        raw = connection.connection
        if raw is None:
            return None
        # Statements belong to the server session: a new connection starts with none.
        known = connection.__dict__.get("_branchdesk_statements")
        if known is None or known[0] is not raw:
            known = connection.__dict__["_branchdesk_statements"] = (raw, {})
        runs = known[1].get(self.name, 0)
        if runs == 0:
            known[1][self.name] = 1
            return None
        if runs == 1:
            # Once per connection and statement, outside Django's cursor (it is not a query a
            # page makes; PREPARE outlives a rolled-back transaction, so nothing is undone).
            with raw.cursor() as cursor:
                text = cursor.mogrify(self.text, tuple(self.constants)).decode()
                cursor.execute(self.header + text)
            known[1][self.name] = 2
        with connection.cursor() as cursor:
            cursor.execute(
                self.execute_sql, [_bound(slot, values, connection) for slot in self.slots]
            )
            return distribute(cursor.fetchall(), placements)


_local = threading.local()  # compiled reads hold compilers: one set per thread


def fetch_prepared(key, build, **values):
    """``[list(qs) for qs in build(v)]`` with ``v.<name>`` the values, each queryset built and
    compiled once per ``key`` (plus the day, language and read database) in this thread."""
    today = timezone.localdate()
    if getattr(_local, "day", None) != today:
        # Reads are keyed by the day: yesterday's are never run again.
        _local.day, _local.reads = today, {}
    cache = _local.reads
    full_key = (
        key,
        today,
        translation.get_language(),
        router.db_for_read(None),
        tuple((name, type(value)) for name, value in values.items()),
    )
    prepared = cache.get(full_key)
    if prepared is None:
        prepared = cache[full_key] = _Prepared(build, values)
    if settings.PREPARED_READS_VERIFY:
        # Once per read, values and what ``build`` closes over, in this thread: the tests'
        # requests repeat the same user's reads hundreds of times (the site walks). A
        # closure that cannot be hashed is verified every time.
        # A moment among the values (the session read's "now") is taken to the minute:
        # otherwise every request is new and is built twice, a sixth of a signed-in request's
        # time in the tests. A read whose SQL changed within a minute would still be caught
        # in the next one.
        keyed = tuple(
            (name, value.replace(second=0, microsecond=0))
            if isinstance(value, datetime.datetime)
            else (name, value)
            for name, value in values.items()
        )
        try:
            checked = (keyed, *(c.cell_contents for c in build.__closure__ or ()))
            hash(checked)
        except (TypeError, ValueError):
            checked = None
        if checked is None or checked not in prepared.verified:
            prepared.verify(build, values)
            if checked is not None:
                if len(prepared.verified) > 1000:
                    prepared.verified.clear()
                prepared.verified.add(checked)
    return prepared.run(values)
