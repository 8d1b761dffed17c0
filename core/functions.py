"""SQL functions Django does not ship."""

import datetime

from django.db.models import DateField, Func, IntegerField, Value


class JSONArrayLength(Func):
    """The number of items in a JSON array column, counted in the database: a list shows
    how many records a row holds without reading the records themselves."""

    output_field = IntegerField()
    function = "json_array_length"  # SQLite's (JSON1)

    def as_postgresql(self, compiler, connection, **extra_context):
        # JSONField is jsonb on PostgreSQL.
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra_context)


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (dates, as expressions, field names or values:
    a core.prepared placeholder too), negative when ``end`` is earlier; NULL if either is."""

    output_field = IntegerField()

    def __init__(self, start, end):
        if isinstance(start, datetime.date):
            start = Value(start, output_field=DateField())
        super().__init__(start, end)

    def as_sql(self, compiler, connection, **extra_context):
        # SQLite keeps dates as ISO text; julianday() makes them day numbers.
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(julianday({end}) - julianday({start}) AS integer)",
            (*end_params, *start_params),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        # date - date is an integer on PostgreSQL; the cast types a bound parameter.
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return f"({end} - CAST({start} AS date))", (*end_params, *start_params)
