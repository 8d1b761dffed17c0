"""Several independent reads in one statement: their querysets as one UNION ALL.

A page that shows a dozen small lists (the branch page: a timeline fed by eight apps, their
panels, the branch's own figures) paid one round trip each. ``fetch_together`` compiles
each queryset as Django would, runs them as the parts of one ``UNION ALL`` and hands each
part's rows back to Django's own iterable, so each result is exactly what ``list(queryset)``
gives: model instances with their ``select_related`` rows and annotations, ``values()``
dicts, ``values_list()`` tuples, converters applied (SQLite's dates, JSON, decimals).

How the parts fit in one statement: each part keeps its own SQL (filters, ordering,
``LIMIT``) in a derived table, ``SELECT N, cols FROM (<part>) _pN UNION ALL ...``. Table
columns of the same kind share a result column (text with text, integers with integers...),
so the result is a few dozen columns wide, not the sum of every part's; so do computed
columns (annotations) of the same declared type, cast to it on PostgreSQL. Every other
column of a part is ``NULL``; in the first SELECT a NULL cast to the column's type, so that
PostgreSQL, which types the UNION's columns from left to right, never types one as text.
Rows come back grouped by part and, within a part, in that part's order (each part is read
in turn; the tests check it on SQLite and PostgreSQL).

Not for: querysets with ``extra()`` ordering columns or ``distinct`` ordering selects,
parts on different databases (each database gets its own statement), ``iterator()``.
"""

import copy
import re
from collections import defaultdict
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.expressions import Col
from django.db.models.sql.constants import MULTI

# Kinds of SQL column that share a result column: integer types with each other, any text
# with any text; everything else by its name without a length ("numeric(12, 2)").
_FAMILIES = {
    "integer": "int",
    "bigint": "int",
    "smallint": "int",
    "serial": "int",
    "bigserial": "int",
    "varchar": "text",
    "char": "text",
    "text": "text",
}

# The SQL type of a family's result column: one that holds every member unchanged.
_WIDEST = {"int": "bigint", "text": "text"}

_column_types = {}  # (field, vendor) -> (family, SQL type): db_type() is not cheap


def _plain(db_type):
    """The SQL type without length or precision ("numeric(12, 2)" -> "numeric")."""
    return re.sub(r"\s*\(.*?\)", "", db_type.lower()).strip()


def _family(expression, connection):
    """(key, SQL type of its result column, its own SQL type or None: cast it in every
    SELECT): columns with the same key share a result column."""
    field = expression.output_field
    if not isinstance(expression, Col):
        # A computed column, typed as Django declares it, an integer as bigint like the
        # integer columns. The database's own type of it may differ (a count is bigint, a
        # sum of integers numeric in some databases): on PostgreSQL it is cast to the
        # declared type in every SELECT (statement), so computed columns of one declared
        # type share result columns like table columns do. Each had a column of its own: the
        # team dashboard's nineteen counts and sums made each of its thousand rows 52
        # columns wide.
        db_type = field.cast_db_type(connection)
        if db_type is None:
            raise ValueError(f"fetch_together: no SQL type for {expression!r}")
        plain = _plain(db_type)
        cast = _WIDEST.get(_FAMILIES.get(plain), plain)
        return ("computed", cast), cast, None
    cache_key = (field, connection.vendor)
    cached = _column_types.get(cache_key)
    if cached is None:
        plain = _plain(field.db_type(connection))
        family = plain if plain.endswith("[]") else _FAMILIES.get(plain.split()[0], plain)
        cached = _column_types[cache_key] = (("column", family), _WIDEST.get(family, plain), plain)
    return cached


class Part:
    def __init__(self, index, queryset):
        self.index = index
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            self.sql, self.params = self.compiler.as_sql(with_col_aliases=True)
        except EmptyResultSet:
            self.sql = None
            return
        if self.compiler.has_extra_select or self.compiler.query.extra_select:
            raise ValueError("fetch_together: a part with extra select columns")
        self.columns = [(expr, alias) for expr, _sql, alias in self.compiler.select]
        if any(alias is None for _expr, alias in self.columns):
            raise ValueError("fetch_together: a part column without an alias")
        self.rows = []
        self.compiler.get_converters = self._converters
        self._converters_found = None

    def _converters(self, expressions):
        # A part's columns are fixed when it is compiled, and so are their converters (the
        # field's and the backend's): Django looks them up on every evaluation, a few dozen
        # calls per part; a prepared read (core.prepared) runs the same part request after
        # request. The iterables ask only for the compiled select's columns.
        if self._converters_found is None:
            self._converters_found = type(self.compiler).get_converters(self.compiler, expressions)
        return self._converters_found

    def result(self, rows=None):
        """The part's rows through Django's own iterable for its queryset."""
        if self.sql is None:
            return []
        rows = self.rows if rows is None else rows
        if not rows:
            # No rows, no objects, whatever the iterable: Django's own path for nothing cost
            # about 0.1 ms a part (a clone, a compiler, the iterable's setup), and the work
            # log's day reads nine parts most of them empty.
            return []
        # The compiler that made the part's SQL is set up already (select, klass_info, the
        # converters' fields): the iterable gets a copy of it back, answering with the rows
        # read (a copy: core.prepared runs the same part again, request after request).
        compiler = copy.copy(self.compiler)
        compiler.execute_sql = lambda result_type=MULTI, *args, **kwargs: [rows]
        # Django's iterables only read the queryset's query (its compiler, which columns are
        # values): a shallow copy of each answers them, where _chain() cloned the whole
        # query tree per part and run. (Not copy.copy of a QuerySet: its pickling state
        # evaluates it.)
        query = copy.copy(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        clone = object.__new__(type(self.queryset))
        clone.__dict__.update(self.queryset.__dict__)
        clone._query = query
        clone._result_cache = None
        clone._prefetch_done = False
        clone._fetch_all()
        return clone._result_cache


def fetch_together(querysets):
    """[list(qs) for qs in querysets], reading each database once (one UNION ALL)."""
    parts = [Part(index, qs) for index, qs in enumerate(querysets)]
    by_db = defaultdict(list)
    for part in parts:
        if part.sql is not None:
            by_db[part.queryset.db].append(part)
    for db, group in by_db.items():
        _run(connections[db], group)
    return [part.result() for part in parts]


def count_of(rows):
    """The number a one-row count read gives (a part of rows ``(count,)``, counted with a
    window so that no row means 0): e.g. ``documents.selectors.flagged_handover_count_query``."""
    return rows[0][0] if rows else 0


def _run(connection, parts):
    sql, params, placements = statement(connection, parts)
    for part, rows in zip(parts, execute(connection, sql, params, placements), strict=True):
        part.rows = rows


def statement(connection, parts):
    """(sql, params, placements) of the parts' UNION ALL; ``execute`` runs it."""
    if len(parts) == 1:
        return parts[0].sql, list(parts[0].params), None
    quote = connection.ops.quote_name
    # Result columns: per family, as many as the widest part needs. PostgreSQL types a bare
    # NULL as text when it meets another NULL first, and resolves a UNION's column types
    # from left to right: so the first SELECT types each column (a NULL cast to its type
    # where it is not its own) and the others can say NULL. The first SELECT casts its own
    # columns to the result column's type too (an integer to bigint, a varchar to text):
    # where a later SELECT changed a column's type, PostgreSQL could not fold the UNION ALL
    # into one append and planned ~25 nested ones (planning 12 -> 8 ms on the branch page).
    # (Not on SQLite: there a CAST to a declared type like "datetime" changes the value.)
    cast_first = connection.vendor == "postgresql"
    slots = {}  # (family key, n-th of that family) -> result column index
    null_cells = []  # per result column: its typed NULL for the first SELECT
    casts = {}  # (part number, column position) -> the type that column is cast to
    placements = []  # per part: [result column of its i-th column]
    for number, part in enumerate(parts):
        seen = defaultdict(int)
        placement = []
        for position, (expression, _alias) in enumerate(part.columns):
            family, cast, own = _family(expression, connection)
            key = (family, seen[family])
            seen[family] += 1
            if key not in slots:
                slots[key] = len(slots)
                null_cells.append(f"CAST(NULL AS {cast})")
            if cast_first and (own is None or (number == 0 and own != cast)):
                casts[number, position] = cast
            placement.append(slots[key])
        placements.append(placement)
    selects, params = [], []
    for number, (part, placement) in enumerate(zip(parts, placements, strict=True)):
        table = quote(f"_p{number}")
        params.extend(part.params)
        cells = list(null_cells) if number == 0 else ["NULL"] * len(null_cells)
        for position, ((_expression, alias), column) in enumerate(
            zip(part.columns, placement, strict=True)
        ):
            cells[column] = f"{table}.{quote(alias)}"
            if (number, position) in casts:
                cells[column] = f"CAST({cells[column]} AS {casts[number, position]})"
        selects.append(
            f"SELECT {number} AS {quote('_part')}, {', '.join(cells)} FROM ({part.sql}) {table}"
        )
    return " UNION ALL ".join(selects), params, placements


def execute(connection, sql, params, placements):
    """Run a ``statement``: each part's rows, in the parts' order."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return distribute(cursor.fetchall(), placements)


def distribute(rows, placements):
    """A ``statement``'s result rows, as each part's rows."""
    if placements is None:
        return [[tuple(row) for row in rows]]
    results = [[] for _placement in placements]
    pick = [itemgetter(*(1 + column for column in placement)) for placement in placements]
    single = [len(placement) == 1 for placement in placements]
    for row in rows:
        number = row[0]
        values = pick[number](row)
        results[number].append((values,) if single[number] else values)
    return results
